"""Nomad jobs: parse HCL2 job files (or API JSON), apply nomad's defaults, validate, and
export nomad API JSON."""

import ctypes
import json
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Union

from . import _native as n
from ._managed import Managed
from .errors import JobError, check_error


@dataclass(frozen=True)
class Task:
    name: str
    driver: str


@dataclass(frozen=True)
class Group:
    name: str
    count: Optional[int]  # None before canonicalization when the file sets no count
    tasks: List[Task]


def _c_strings(items):
    items = [s.encode("utf-8") for s in items]
    arr = (ctypes.c_char_p * len(items))(*items) if items else None
    return arr, len(items)


class Job(Managed):
    """A nomad job. Create with Job.parse() or Job.from_json()."""

    def __init__(self, _ptr):
        self._set_ptr(_ptr)

    def _delete(self, ptr):
        n.warden_job_free(ptr)

    @classmethod
    def parse(cls, text: Union[str, bytes], filename: str = "<input>", variables: Optional[Mapping[str, str]] = None,
              var_files: Iterable[str] = (), env: Optional[Mapping[str, str]] = None, allow_fs: bool = False,
              base_dir: Optional[str] = None) -> "Job":
        """Parses a job file. `variables` are -var values; `env` maps names to NOMAD_VAR_ values
        (e.g. {"NOMAD_VAR_region": "eu"}); the process environment is not read."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        var_arr, var_n = _c_strings(f"{k}={v}" for k, v in (variables or {}).items())
        file_arr, file_n = _c_strings(var_files)
        env_arr, env_n = _c_strings(f"{k}={v}" for k, v in (env or {}).items())
        opts = n._ParseOptions(n.PARSE_OPTIONS_VERSION, var_arr, var_n, file_arr, file_n, env_arr, env_n,
                               1 if allow_fs else 0, base_dir.encode("utf-8") if base_dir else None)
        out = ctypes.c_void_p()
        check_error(n.warden_job_parse(ctypes.byref(out), data, len(data), filename.encode("utf-8"), ctypes.byref(opts)),
                    JobError)
        return cls(out.value)

    @classmethod
    def from_json(cls, doc: Union[str, bytes, dict]) -> "Job":
        """Reads nomad API JSON, with or without the {"Job": ...} envelope."""
        if isinstance(doc, dict):
            doc = json.dumps(doc)
        data = doc.encode("utf-8") if isinstance(doc, str) else bytes(doc)
        out = ctypes.c_void_p()
        check_error(n.warden_job_from_json(ctypes.byref(out), data, len(data)), JobError)
        return cls(out.value)

    def canonicalize(self) -> "Job":
        """Applies nomad's defaults to every unset field; returns self."""
        n.warden_job_canonicalize(self._borrow())
        return self

    def validate(self) -> None:
        """Raises JobError listing every semantic problem (with positions for parsed files)."""
        check_error(n.warden_job_validate(self._borrow()), JobError)

    def to_json(self, envelope: bool = False, pretty: bool = False) -> str:
        buf = n._Buf()
        flags = (n.JSON_ENVELOPE if envelope else 0) | (n.JSON_PRETTY if pretty else 0)
        check_error(n.warden_job_to_json(ctypes.byref(buf), self._borrow(), flags))
        return n.take_buf(buf)

    def to_dict(self) -> Dict:
        return json.loads(self.to_json())

    @property
    def id(self) -> Optional[str]:
        return n.text(n.warden_job_id(self._borrow()))

    @property
    def name(self) -> Optional[str]:
        return n.text(n.warden_job_name(self._borrow()))

    @property
    def type(self) -> Optional[str]:
        return n.text(n.warden_job_type(self._borrow()))

    @property
    def region(self) -> Optional[str]:
        return n.text(n.warden_job_region(self._borrow()))

    @property
    def namespace(self) -> Optional[str]:
        return n.text(n.warden_job_namespace(self._borrow()))

    @property
    def priority(self) -> Optional[int]:
        p = n.warden_job_priority(self._borrow())
        return None if p < 0 else p

    @property
    def groups(self) -> List[Group]:
        ptr = self._borrow()
        out = []
        for g in range(n.warden_job_group_count(ptr)):
            count = n.warden_job_group_desired_count(ptr, g)
            tasks = [Task(n.text(n.warden_job_task_name(ptr, g, t)), n.text(n.warden_job_task_driver(ptr, g, t)))
                     for t in range(n.warden_job_task_count(ptr, g))]
            out.append(Group(n.text(n.warden_job_group_name(ptr, g)), None if count < 0 else count, tasks))
        return out

    def __repr__(self):
        return f"<warden.Job {self.id!r}>" if self._ptr else "<warden.Job closed>"


def hcl_to_json(text: Union[str, bytes], filename: str = "<input>", pretty: bool = False) -> str:
    """Converts any HCL document to JSON text (blocks nest under type and labels, bodies in
    arrays; expressions that need variables stay as "${...}")."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    buf = n._Buf()
    check_error(n.warden_hcl_to_json(ctypes.byref(buf), data, len(data), filename.encode("utf-8"),
                                     n.JSON_PRETTY if pretty else 0))
    return n.take_buf(buf)
