"""Jails: run a task in a jail, through the linux backend (namespaces, overlay, cgroups, bridge
networking; needs root) or FreeBSD's pot — see capi/include/warden_jail.h.

    import warden
    with warden.JailDriver(data_dir="/var/lib/warden") as driver:
        with driver.create(alloc_id=alloc, task_name="web", rootfs="/images/busybox",
                           config={"image": "i", "pot": "p", "tag": "t",
                                   "command": "httpd", "args": ["-f", "-p", "80"],
                                   "port_map": {"http": "80"}},
                           host_ports={"http": 8080}) as jail:   # destroyed on exit
            jail.start()
            print(jail.exec(["hostname"]).stdout)
            for chunk in jail.logs(follow=True, timeout=5):
                ...
"""

import ctypes
import json
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, Mapping, Optional, Sequence, Union

from . import _native as n
from ._managed import Managed
from .errors import WardenError, check_error

__all__ = ["ExecResult", "Jail", "JailDriver", "JailError", "JailExit", "JailStats"]

_c = ctypes
_p = ctypes.c_void_p


class JailError(WardenError):
    """A jail operation failed (code, message as every WardenError)."""


class _DriverOptions(ctypes.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("backend", _c.c_char_p),
        ("data_dir", _c.c_char_p),
        ("cgroup_parent", _c.c_char_p),
        ("bridge", _c.c_char_p),
        ("address_pool", _c.c_char_p),
        ("nft_table", _c.c_char_p),
        ("nft_binary", _c.c_char_p),
        ("pids_limit", _c.c_int64),
        ("ip_forward", _c.c_int),
        ("dns_servers", _c.POINTER(_c.c_char_p)),
        ("dns_servers_count", _c.c_size_t),
        ("pot_binary", _c.c_char_p),
        ("warm_pool", _c.c_int64),
    ]


class _Spec(ctypes.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("alloc_id", _c.c_char_p),
        ("task_name", _c.c_char_p),
        ("invocation", _c.c_char_p),
        ("config_json", _c.c_char_p),
        ("config_json_len", _c.c_size_t),
        ("rootfs", _c.c_char_p),
        ("task_dir", _c.c_char_p),
        ("log_dir", _c.c_char_p),
        ("env", _c.POINTER(_c.c_char_p)),
        ("env_count", _c.c_size_t),
        ("host_ports", _c.POINTER(_c.c_char_p)),
        ("host_ports_count", _c.c_size_t),
        ("cpu_mhz", _c.c_int64),
        ("memory_mb", _c.c_int64),
        ("memory_max_mb", _c.c_int64),
        ("pids_limit", _c.c_int64),
        ("kill_timeout_ms", _c.c_int64),
        ("kill_signal", _c.c_char_p),
        ("log_max_files", _c.c_int64),
        ("log_max_file_size_mb", _c.c_int64),
        ("default_command", _c.c_char_p),
    ]


class _Exit(ctypes.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("exited", _c.c_int),
        ("exit_code", _c.c_int),
        ("signal", _c.c_int),
        ("oom_killed", _c.c_int),
        ("finished_at_ns", _c.c_int64),
    ]


class _Stats(ctypes.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("memory_rss", _c.c_uint64),
        ("memory_cache", _c.c_uint64),
        ("memory_swap", _c.c_uint64),
        ("memory_usage", _c.c_uint64),
        ("memory_max_usage", _c.c_uint64),
        ("cpu_total_ns", _c.c_uint64),
        ("cpu_user_ns", _c.c_uint64),
        ("cpu_system_ns", _c.c_uint64),
        ("cpu_percent", _c.c_double),
        ("pids", _c.c_uint64),
        ("timestamp_ns", _c.c_int64),
    ]


class _ExecOptions(ctypes.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("argv", _c.POINTER(_c.c_char_p)),
        ("argc", _c.c_size_t),
        ("env", _c.POINTER(_c.c_char_p)),
        ("env_count", _c.c_size_t),
        ("tty", _c.c_int),
        ("input", _c.c_char_p),
        ("input_len", _c.c_size_t),
        ("timeout_ms", _c.c_int64),
    ]


class _ExecResult(ctypes.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("exit_code", _c.c_int),
        ("signal", _c.c_int),
        ("timed_out", _c.c_int),
        ("out_data", n._Buf),
        ("err_data", n._Buf),
    ]


_fn = n._fn
_err = _p
_buf = _c.POINTER(n._Buf)
warden_jail_driver_open = _fn("warden_jail_driver_open", _err, _c.POINTER(_p), _c.POINTER(_DriverOptions))
warden_jail_driver_free = _fn("warden_jail_driver_free", None, _p)
warden_jail_driver_fingerprint = _fn("warden_jail_driver_fingerprint", _err, _buf, _p)
warden_jail_driver_list = _fn("warden_jail_driver_list", _err, _buf, _p)
warden_jail_driver_recover = _fn("warden_jail_driver_recover", _err, _buf, _p)
warden_jail_driver_teardown = _fn("warden_jail_driver_teardown", _err, _p)
warden_jail_create = _fn("warden_jail_create", _err, _c.POINTER(_p), _p, _p, _c.c_size_t, _c.c_size_t,
                         _c.POINTER(_Spec))
warden_jail_open = _fn("warden_jail_open", _err, _c.POINTER(_p), _p, _c.c_char_p, _c.c_size_t)
warden_jail_free = _fn("warden_jail_free", None, _p)
warden_jail_name = _fn("warden_jail_name", _c.c_char_p, _p)
warden_jail_get_status = _fn("warden_jail_get_status", _c.c_int, _p)
warden_jail_info = _fn("warden_jail_info", _err, _buf, _p)
warden_jail_state = _fn("warden_jail_state", _err, _buf, _p)
warden_jail_start = _fn("warden_jail_start", _err, _p)
warden_jail_wait = _fn("warden_jail_wait", _err, _c.POINTER(_Exit), _p, _c.c_int64)
warden_jail_signal = _fn("warden_jail_signal", _err, _p, _c.c_char_p)
warden_jail_stop = _fn("warden_jail_stop", _err, _p, _c.c_char_p, _c.c_int64)
warden_jail_destroy = _fn("warden_jail_destroy", _err, _p, _c.c_int)
warden_jail_get_stats = _fn("warden_jail_get_stats", _err, _c.POINTER(_Stats), _p)
warden_jail_exec = _fn("warden_jail_exec", _err, _c.POINTER(_ExecResult), _p, _c.POINTER(_ExecOptions))
warden_jail_exec_result_dispose = _fn("warden_jail_exec_result_dispose", None, _c.POINTER(_ExecResult))
warden_jail_log_reader_open = _fn("warden_jail_log_reader_open", _err, _c.POINTER(_p), _p, _c.c_int,
                                  _c.c_uint64)
warden_jail_log_reader_read = _fn("warden_jail_log_reader_read", _err, _c.POINTER(_c.c_size_t), _p,
                                  _c.c_char_p, _c.c_size_t, _c.c_int, _c.c_int64)
warden_jail_log_reader_at_end = _fn("warden_jail_log_reader_at_end", _c.c_int, _p)
warden_jail_log_reader_offset = _fn("warden_jail_log_reader_offset", _c.c_uint64, _p)
warden_jail_log_reader_free = _fn("warden_jail_log_reader_free", None, _p)

_STATUS = {0: "created", 1: "running", 2: "exited"}


def _check(ptr):
    check_error(ptr, JailError)


def _take_json(buf):
    return json.loads(n.take_buf(buf))


def _strings(items: Iterable[str]):
    items = [s.encode("utf-8") for s in items]
    arr = (ctypes.c_char_p * len(items))(*items) if items else None
    return arr, len(items)


def _ms(seconds: Optional[float], default: int = -1) -> int:
    return default if seconds is None else int(seconds * 1000)


def _b(s: Optional[str]):
    return s.encode("utf-8") if s is not None else None


@dataclass(frozen=True)
class JailExit:
    exit_code: int  # 128 + signal when killed by a signal
    signal: int
    oom_killed: bool
    finished_at_ns: int

    @property
    def successful(self) -> bool:
        return self.exit_code == 0 and self.signal == 0


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    signal: int
    timed_out: bool
    stdout: str
    stderr: str


@dataclass(frozen=True)
class JailStats:
    memory_rss: int
    memory_cache: int
    memory_swap: int
    memory_usage: int
    memory_max_usage: int
    cpu_total_ns: int
    cpu_user_ns: int
    cpu_system_ns: int
    cpu_percent: float
    pids: int
    timestamp_ns: int


def _exit(e: _Exit) -> Optional[JailExit]:
    if not e.exited:
        return None
    return JailExit(e.exit_code, e.signal, bool(e.oom_killed), e.finished_at_ns)


class JailDriver(Managed):
    """A jail driver over a data directory (see warden_jail_driver_options for the options)."""

    def __init__(self, data_dir: str, backend: Optional[str] = None, cgroup_parent: Optional[str] = None,
                 bridge: Optional[str] = None, address_pool: Optional[str] = None,
                 nft_table: Optional[str] = None, nft_binary: Optional[str] = None, pids_limit: int = 0,
                 ip_forward: bool = True, dns_servers: Sequence[str] = (), pot_binary: Optional[str] = None,
                 warm_pool: int = -1):
        dns, dns_n = _strings(dns_servers)
        opts = _DriverOptions(1, _b(backend), _b(data_dir), _b(cgroup_parent), _b(bridge), _b(address_pool),
                              _b(nft_table), _b(nft_binary), pids_limit, 1 if ip_forward else 0, dns, dns_n,
                              _b(pot_binary), warm_pool)
        out = _p()
        _check(warden_jail_driver_open(ctypes.byref(out), ctypes.byref(opts)))
        self._set_ptr(out.value)

    def _delete(self, ptr):
        warden_jail_driver_free(ptr)

    def fingerprint(self) -> Dict:
        buf = n._Buf()
        _check(warden_jail_driver_fingerprint(ctypes.byref(buf), self._borrow()))
        return _take_json(buf)

    def list(self):
        buf = n._Buf()
        _check(warden_jail_driver_list(ctypes.byref(buf), self._borrow()))
        return _take_json(buf)

    def recover(self) -> Dict:
        """Re-attaches to the jails still running, cleans up those that ended; returns
        {"Running": [...], "Cleaned": [...], "Created": [...], "Errors": [...]}."""
        buf = n._Buf()
        _check(warden_jail_driver_recover(ctypes.byref(buf), self._borrow()))
        return _take_json(buf)

    def teardown(self) -> None:
        _check(warden_jail_driver_teardown(self._borrow()))

    def create(self, *, alloc_id: str, task_name: Optional[str] = None, job=None, group: int = 0, task: int = 0,
               config: Optional[Union[Mapping, str]] = None, rootfs: Optional[str] = None,
               task_dir: Optional[str] = None, log_dir: Optional[str] = None,
               env: Optional[Mapping[str, str]] = None, host_ports: Optional[Mapping[str, int]] = None,
               cpu: int = 0, memory: int = 0, memory_max: int = 0, pids_limit: int = 0,
               kill_timeout: Optional[float] = None, kill_signal: Optional[str] = None,
               log_max_files: int = 0, log_max_file_size: int = 0, invocation: Optional[str] = None,
               default_command: Optional[str] = None) -> "Jail":
        """Creates a jail (not started). With `job` (a warden.Job), its task `task` of group
        `group` gives the config, resources, env and policies; otherwise `config` (a dict or JSON
        text of the pot driver config) and `task_name`. memory and memory_max are in MB, cpu in
        MHz, kill_timeout in seconds, log_max_file_size in MB."""
        cfg = None
        if config is not None:
            cfg = (config if isinstance(config, str) else json.dumps(config)).encode("utf-8")
        env_arr, env_n = _strings(f"{k}={v}" for k, v in (env or {}).items())
        port_arr, port_n = _strings(f"{k}={v}" for k, v in (host_ports or {}).items())
        spec = _Spec(1, _b(alloc_id), _b(task_name), _b(invocation), cfg, len(cfg) if cfg else 0, _b(rootfs),
                     _b(task_dir), _b(log_dir), env_arr, env_n, port_arr, port_n, cpu, memory, memory_max,
                     pids_limit, _ms(kill_timeout, 0), _b(kill_signal), log_max_files, log_max_file_size,
                     _b(default_command))
        out = _p()
        _check(warden_jail_create(ctypes.byref(out), self._borrow(), job._borrow() if job is not None else None,
                                  group, task, ctypes.byref(spec)))
        return Jail(out.value)

    def open(self, name: str) -> "Jail":
        data = name.encode("utf-8")
        out = _p()
        _check(warden_jail_open(ctypes.byref(out), self._borrow(), data, len(data)))
        return Jail(out.value)


class Jail(Managed):
    """A jail. As a context manager it is destroyed (forcibly) on exit; close() only releases
    the handle and leaves the jail as it is."""

    def __init__(self, _ptr):
        self._set_ptr(_ptr)

    def _delete(self, ptr):
        warden_jail_free(ptr)

    def __exit__(self, *exc):
        try:
            if self._ptr:
                self.destroy(force=True)
        finally:
            self.close()

    @property
    def name(self) -> str:
        return n.text(warden_jail_name(self._borrow()))

    @property
    def status(self) -> str:
        return _STATUS[warden_jail_get_status(self._borrow())]

    def info(self) -> Dict:
        buf = n._Buf()
        _check(warden_jail_info(ctypes.byref(buf), self._borrow()))
        return _take_json(buf)

    def state(self) -> Dict:
        buf = n._Buf()
        _check(warden_jail_state(ctypes.byref(buf), self._borrow()))
        return _take_json(buf)

    def start(self) -> "Jail":
        _check(warden_jail_start(self._borrow()))
        return self

    def wait(self, timeout: Optional[float] = None) -> Optional[JailExit]:
        """Waits for the command to end (timeout in seconds; None: no limit). None on timeout."""
        e = _Exit(1)
        _check(warden_jail_wait(ctypes.byref(e), self._borrow(), _ms(timeout)))
        return _exit(e)

    def signal(self, signal: str) -> None:
        _check(warden_jail_signal(self._borrow(), signal.encode("utf-8")))

    def stop(self, signal: Optional[str] = None, timeout: Optional[float] = None) -> None:
        """Sends `signal` (default: the task's kill_signal), then SIGKILL after `timeout` seconds
        (default: the task's kill_timeout)."""
        _check(warden_jail_stop(self._borrow(), _b(signal), _ms(timeout)))

    def destroy(self, force: bool = False) -> None:
        _check(warden_jail_destroy(self._borrow(), 1 if force else 0))

    def stats(self) -> JailStats:
        s = _Stats(1)
        _check(warden_jail_get_stats(ctypes.byref(s), self._borrow()))
        return JailStats(s.memory_rss, s.memory_cache, s.memory_swap, s.memory_usage, s.memory_max_usage,
                         s.cpu_total_ns, s.cpu_user_ns, s.cpu_system_ns, s.cpu_percent, s.pids, s.timestamp_ns)

    def exec(self, argv: Sequence[str], env: Optional[Mapping[str, str]] = None,
             input: Union[str, bytes] = b"", timeout: Optional[float] = None, tty: bool = False) -> ExecResult:
        """Runs a command in the running jail and collects its output."""
        args, argc = _strings(argv)
        env_arr, env_n = _strings(f"{k}={v}" for k, v in (env or {}).items())
        data = input.encode("utf-8") if isinstance(input, str) else bytes(input)
        opts = _ExecOptions(1, args, argc, env_arr, env_n, 1 if tty else 0, data or None, len(data),
                            _ms(timeout, 0))
        r = _ExecResult(1)
        _check(warden_jail_exec(ctypes.byref(r), self._borrow(), ctypes.byref(opts)))
        try:
            out = ctypes.string_at(r.out_data.ptr, r.out_data.size) if r.out_data.ptr else b""
            err = ctypes.string_at(r.err_data.ptr, r.err_data.size) if r.err_data.ptr else b""
        finally:
            warden_jail_exec_result_dispose(ctypes.byref(r))
        return ExecResult(r.exit_code, r.signal, bool(r.timed_out), out.decode("utf-8", "replace"),
                          err.decode("utf-8", "replace"))

    def logs(self, stream: str = "stdout", offset: int = 0, follow: bool = False,
             timeout: Optional[float] = None) -> Iterator[bytes]:
        """The jail's output as chunks of bytes from `offset`. With follow, keeps reading while
        the jail runs, until it ends (or `timeout` seconds pass without output)."""
        if stream not in ("stdout", "stderr"):
            raise ValueError("stream must be 'stdout' or 'stderr'")
        reader = _p()
        _check(warden_jail_log_reader_open(ctypes.byref(reader), self._borrow(), 0 if stream == "stdout" else 1,
                                           offset))
        try:
            buf = ctypes.create_string_buffer(65536)
            got = ctypes.c_size_t()
            while True:
                _check(warden_jail_log_reader_read(ctypes.byref(got), reader, buf, len(buf), 1 if follow else 0,
                                                   _ms(timeout)))
                if got.value:
                    yield buf.raw[:got.value]
                    continue
                if not follow or warden_jail_log_reader_at_end(reader) or timeout is not None:
                    return
        finally:
            warden_jail_log_reader_free(reader)

    def __repr__(self):
        return f"<warden.Jail {self.name!r} {self.status}>" if self._ptr else "<warden.Jail closed>"
