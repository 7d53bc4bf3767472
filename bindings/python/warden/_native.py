"""Loading libwarden.so and declaring the C functions (see capi/include/warden.h)."""

import ctypes
import ctypes.util
import os
from pathlib import Path


class _Buf(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_void_p), ("size", ctypes.c_size_t)]


class _ParseOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("variables", ctypes.POINTER(ctypes.c_char_p)),
        ("variables_count", ctypes.c_size_t),
        ("var_files", ctypes.POINTER(ctypes.c_char_p)),
        ("var_files_count", ctypes.c_size_t),
        ("environment", ctypes.POINTER(ctypes.c_char_p)),
        ("environment_count", ctypes.c_size_t),
        ("allow_filesystem", ctypes.c_int),
        ("base_dir", ctypes.c_char_p),
    ]


PARSE_OPTIONS_VERSION = 1
JSON_ENVELOPE = 1
JSON_PRETTY = 2


def _candidates():
    env = os.environ.get("WARDEN_LIBRARY")
    if env:
        yield env
        return
    # A checkout: the library next to the sources, in any of the CMake preset build directories.
    root = Path(__file__).resolve().parents[3]
    for preset in ("dev", "release", "asan"):
        yield str(root / "build" / preset / "capi" / "libwarden.so")
    found = ctypes.util.find_library("warden")
    if found:
        yield found
    yield "libwarden.so.0"


def _load():
    errors = []
    for path in _candidates():
        if os.path.sep in path and not os.path.exists(path):
            errors.append(f"{path}: not found")
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError("cannot load libwarden (set WARDEN_LIBRARY to its path): " + "; ".join(errors))


lib = _load()

_c = ctypes
_err = _c.c_void_p
_job = _c.c_void_p
_diag = _c.c_void_p


def _fn(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


warden_version = _fn("warden_version", _c.c_char_p)
warden_version_number = _fn("warden_version_number", _c.c_uint)

warden_error_free = _fn("warden_error_free", None, _err)
warden_error_code = _fn("warden_error_code", _c.c_int, _err)
warden_error_message = _fn("warden_error_message", _c.c_char_p, _err)
warden_error_format = _fn("warden_error_format", _c.c_char_p, _err)
warden_error_file = _fn("warden_error_file", _c.c_char_p, _err)
warden_error_line = _fn("warden_error_line", _c.c_uint32, _err)
warden_error_column = _fn("warden_error_column", _c.c_uint32, _err)
warden_error_diagnostic_count = _fn("warden_error_diagnostic_count", _c.c_size_t, _err)
warden_error_diagnostic = _fn("warden_error_diagnostic", _diag, _err, _c.c_size_t)
warden_diagnostic_severity = _fn("warden_diagnostic_severity", _c.c_int, _diag)
warden_diagnostic_summary = _fn("warden_diagnostic_summary", _c.c_char_p, _diag)
warden_diagnostic_detail = _fn("warden_diagnostic_detail", _c.c_char_p, _diag)
warden_diagnostic_file = _fn("warden_diagnostic_file", _c.c_char_p, _diag)
warden_diagnostic_excerpt = _fn("warden_diagnostic_excerpt", _c.c_char_p, _diag)
warden_diagnostic_line = _fn("warden_diagnostic_line", _c.c_uint32, _diag)
warden_diagnostic_column = _fn("warden_diagnostic_column", _c.c_uint32, _diag)
warden_diagnostic_end_line = _fn("warden_diagnostic_end_line", _c.c_uint32, _diag)
warden_diagnostic_end_column = _fn("warden_diagnostic_end_column", _c.c_uint32, _diag)

warden_buf_dispose = _fn("warden_buf_dispose", None, _c.POINTER(_Buf))

warden_job_parse = _fn("warden_job_parse", _err, _c.POINTER(_job), _c.c_char_p, _c.c_size_t, _c.c_char_p,
                       _c.POINTER(_ParseOptions))
warden_job_from_json = _fn("warden_job_from_json", _err, _c.POINTER(_job), _c.c_char_p, _c.c_size_t)
warden_job_free = _fn("warden_job_free", None, _job)
warden_job_canonicalize = _fn("warden_job_canonicalize", None, _job)
warden_job_validate = _fn("warden_job_validate", _err, _job)
warden_job_to_json = _fn("warden_job_to_json", _err, _c.POINTER(_Buf), _job, _c.c_uint)
warden_job_id = _fn("warden_job_id", _c.c_char_p, _job)
warden_job_name = _fn("warden_job_name", _c.c_char_p, _job)
warden_job_type = _fn("warden_job_type", _c.c_char_p, _job)
warden_job_region = _fn("warden_job_region", _c.c_char_p, _job)
warden_job_namespace = _fn("warden_job_namespace", _c.c_char_p, _job)
warden_job_priority = _fn("warden_job_priority", _c.c_int, _job)
warden_job_group_count = _fn("warden_job_group_count", _c.c_size_t, _job)
warden_job_group_name = _fn("warden_job_group_name", _c.c_char_p, _job, _c.c_size_t)
warden_job_group_desired_count = _fn("warden_job_group_desired_count", _c.c_int64, _job, _c.c_size_t)
warden_job_task_count = _fn("warden_job_task_count", _c.c_size_t, _job, _c.c_size_t)
warden_job_task_name = _fn("warden_job_task_name", _c.c_char_p, _job, _c.c_size_t, _c.c_size_t)
warden_job_task_driver = _fn("warden_job_task_driver", _c.c_char_p, _job, _c.c_size_t, _c.c_size_t)

warden_hcl_to_json = _fn("warden_hcl_to_json", _err, _c.POINTER(_Buf), _c.c_char_p, _c.c_size_t, _c.c_char_p, _c.c_uint)


def take_buf(buf):
    """Copies a warden_buf into a Python str and releases it."""
    try:
        return ctypes.string_at(buf.ptr, buf.size).decode("utf-8") if buf.ptr else ""
    finally:
        warden_buf_dispose(ctypes.byref(buf))


def text(ptr):
    return ptr.decode("utf-8") if ptr is not None else None
