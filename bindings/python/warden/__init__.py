"""warden: orchestrate jails from Python, on libwarden's C ABI (ctypes; no compiled module).

    import warden
    job = warden.Job.parse(open("hello-web.nomad").read(), filename="hello-web.nomad")
    job.canonicalize().validate()
    print(job.to_json(envelope=True, pretty=True))
"""

from . import _native
from . import image as _image
from . import jail as _jail
from . import sched as _sched
from .errors import Diagnostic, JobError, WardenError
from .image import *  # noqa: F401,F403  (the names listed in image.__all__)
from .jail import *  # noqa: F401,F403
from .sched import *  # noqa: F401,F403
from .job import Group, Job, Task, hcl_to_json

__all__ = ["Diagnostic", "Group", "Job", "JobError", "Task", "WardenError", "hcl_to_json", "version"]
__all__ += _image.__all__ + _jail.__all__ + _sched.__all__


def version() -> str:
    """The version of the loaded libwarden."""
    return _native.warden_version().decode()
