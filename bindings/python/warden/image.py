"""pot images: fetch, verify, cache and unpack them; export a directory as one; serve a registry.

    import warden
    store = warden.ImageStore("/var/lib/warden/images")
    img = store.fetch("https://potluck.honeyguide.net/nginx-nomad", "nginx-nomad-amd64-13_1", "1.1.13",
                      progress=lambda done, total: print(done, total))
    print(img.rootfs)

The C functions are those of capi/include/warden_image.h.
"""

import ctypes
import json
import os
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

from . import _native as n
from ._managed import Managed
from .errors import check_error

__all__ = ["Image", "ImageStore", "RegistryServer", "export_image"]

_c = ctypes
_err = _c.c_void_p
_ptr = _c.c_void_p

# Steps of warden_image_step, as names.
STEPS = ("resolve", "wait", "download", "verify", "retry", "done", "cached")


class _Progress(_c.Structure):
    _fields_ = [("image", _c.c_char_p), ("step", _c.c_int), ("done", _c.c_uint64), ("total", _c.c_uint64)]


_PROGRESS_FN = _c.CFUNCTYPE(_c.c_int, _c.POINTER(_Progress), _c.c_void_p)
_LOG_FN = _c.CFUNCTYPE(None, _c.c_char_p, _c.c_char_p, _c.c_char_p, _c.c_uint, _c.c_uint64, _c.c_void_p)
_FREE_FN = _c.CFUNCTYPE(None, _c.c_void_p)


class _FetchOptions(_c.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("public_key", _c.c_char_p),
        ("ca_file", _c.c_char_p),
        ("insecure_skip_verify", _c.c_int),
        ("connect_timeout_ms", _c.c_uint32),
        ("read_timeout_ms", _c.c_uint32),
        ("total_timeout_ms", _c.c_uint32),
        ("retries", _c.c_int),
        ("retry_backoff_ms", _c.c_uint32),
        ("max_redirects", _c.c_int),
        ("allow_devices", _c.c_int),
        ("allow_setid", _c.c_int),
        ("max_entries", _c.c_uint64),
        ("max_bytes", _c.c_uint64),
        ("refresh", _c.c_int),
        ("progress", _PROGRESS_FN),
        ("progress_user_data", _c.c_void_p),
    ]


class _ExportOptions(_c.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("pot", _c.c_char_p),
        ("tag", _c.c_char_p),
        ("out_dir", _c.c_char_p),
        ("level", _c.c_int),
        ("threads", _c.c_uint),
        ("from_", _c.c_char_p),
        ("sign_key", _c.c_char_p),
        ("sha256", _c.c_int),
    ]


class _RegistryOptions(_c.Structure):
    _fields_ = [
        ("version", _c.c_uint),
        ("listen", _c.c_char_p),
        ("tls_cert", _c.c_char_p),
        ("tls_key", _c.c_char_p),
        ("threads", _c.c_uint),
        ("rate_limit", _c.c_uint64),
        ("no_directory_listing", _c.c_int),
        ("log", _LOG_FN),
        ("log_user_data", _c.c_void_p),
        ("log_user_data_free", _FREE_FN),
    ]


_fn = n._fn
_store_open = _fn("warden_image_store_open", _err, _c.POINTER(_ptr), _c.c_char_p, _c.c_size_t)
_store_free = _fn("warden_image_store_free", None, _ptr)
_store_dir = _fn("warden_image_store_dir", _c.c_char_p, _ptr)
_store_fetch = _fn("warden_image_store_fetch", _err, _c.POINTER(_ptr), _ptr, _c.c_char_p, _c.c_size_t, _c.c_char_p,
                   _c.c_size_t, _c.c_char_p, _c.c_size_t, _c.POINTER(_FetchOptions))
_store_lookup = _fn("warden_image_store_lookup", _err, _c.POINTER(_ptr), _ptr, _c.c_char_p, _c.c_size_t)
_store_list = _fn("warden_image_store_list", _err, _c.POINTER(_ptr), _ptr)
_store_remove = _fn("warden_image_store_remove", _err, _ptr, _c.c_char_p, _c.c_size_t)
_store_cancel = _fn("warden_image_store_cancel", None, _ptr)
_image_free = _fn("warden_image_free", None, _ptr)
_image_to_json = _fn("warden_image_to_json", _err, _c.POINTER(n._Buf), _ptr)
_list_count = _fn("warden_image_list_count", _c.c_size_t, _ptr)
_list_at = _fn("warden_image_list_at", _ptr, _ptr, _c.c_size_t)
_list_free = _fn("warden_image_list_free", None, _ptr)
_export = _fn("warden_image_export", _err, _c.POINTER(n._Buf), _c.c_char_p, _c.c_size_t, _c.POINTER(_ExportOptions))
_server_start = _fn("warden_registry_server_start", _err, _c.POINTER(_ptr), _c.c_char_p, _c.c_size_t,
                    _c.POINTER(_RegistryOptions))
_server_port = _fn("warden_registry_server_port", _c.c_uint16, _ptr)
_server_url = _fn("warden_registry_server_url", _c.c_char_p, _ptr)
_server_free = _fn("warden_registry_server_free", None, _ptr)


def _b(s):
    return os.fsencode(s) if s is not None else None


@dataclass(frozen=True)
class Image:
    """A cached image."""
    name: str  # local name: "<pot>_<tag>" with dots as underscores
    url: str
    pot: str
    tag: str
    object: str  # the content-addressed directory name
    algorithm: str  # "skein1024" or "sha256"
    digest: str
    meta: str  # the .meta line
    parent: Optional[str]  # the base image's name, for a layered image
    signature_verified: bool
    rootfs: str  # this layer's unpacked tree
    layers: Tuple[str, ...]  # uppermost first, down to the base image
    archive_bytes: int
    entries: int
    bytes: int
    fetched_at: int

    @classmethod
    def _from_handle(cls, ptr):
        buf = n._Buf()
        check_error(_image_to_json(_c.byref(buf), ptr))
        d = json.loads(n.take_buf(buf))
        return cls(d["Name"], d["URL"], d["Pot"], d["Tag"], d["Object"], d["Algorithm"], d["Digest"], d["Meta"],
                   d["Parent"], d["SignatureVerified"], d["Rootfs"], tuple(d["Layers"]), d["ArchiveBytes"],
                   d["Entries"], d["Bytes"], d["FetchedAt"])


class ImageStore(Managed):
    """A cache of unpacked pot images in a directory. Safe to use from several threads; fetches
    of one image from several threads or processes download it once."""

    def __init__(self, directory):
        out = _ptr()
        d = _b(str(directory))
        check_error(_store_open(_c.byref(out), d, len(d)))
        self._set_ptr(out.value)

    def _delete(self, ptr):
        _store_free(ptr)

    @property
    def dir(self) -> str:
        return n.text(_store_dir(self._borrow()))

    def fetch(self, url: str, pot: str, tag: str, progress: Optional[Callable[[int, int], object]] = None,
              public_key: Optional[str] = None, ca_file: Optional[str] = None, insecure: bool = False,
              connect_timeout: Optional[float] = None, read_timeout: Optional[float] = None,
              timeout: Optional[float] = None, retries: Optional[int] = None, refresh: bool = False,
              allow_setid: bool = False, allow_devices: bool = False, max_bytes: Optional[int] = None,
              max_entries: Optional[int] = None, on_step: Optional[Callable[[str, str], object]] = None) -> Image:
        """Fetches <url>/<pot>_<tag>.xz (and its base images) or finds it cached.

        progress(done, total) is called with payload bytes while downloading; on_step(image, step)
        at every step ("resolve", "download", "verify", "done", "cached", ...). An exception raised
        by either cancels the fetch and propagates. Timeouts are in seconds."""
        raised = []

        def cb(p, _ud):
            try:
                pr = p.contents
                step = STEPS[pr.step] if 0 <= pr.step < len(STEPS) else str(pr.step)
                if on_step is not None and step != "download":
                    on_step(pr.image.decode(), step)
                if progress is not None and step == "download":
                    progress(int(pr.done), int(pr.total))
                return 0
            except BaseException as e:  # noqa: B902 - handed back to the caller below
                raised.append(e)
                return 1

        ms = lambda s: int(s * 1000) if s else 0  # noqa: E731
        c_cb = _PROGRESS_FN(cb)
        opts = _FetchOptions(1, _b(public_key), _b(ca_file), int(insecure), ms(connect_timeout), ms(read_timeout),
                             ms(timeout), -1 if retries is None else retries, 0, -1, int(allow_devices),
                             int(allow_setid), max_entries or 0, max_bytes or 0, int(refresh),
                             c_cb if (progress or on_step) else _PROGRESS_FN(), None)
        out = _ptr()
        u, p, t = url.encode(), pot.encode(), tag.encode()
        err = _store_fetch(_c.byref(out), self._borrow(), u, len(u), p, len(p), t, len(t), _c.byref(opts))
        if raised:
            if err:
                n.warden_error_free(err)
            raise raised[0]
        check_error(err)
        try:
            return Image._from_handle(out.value)
        finally:
            _image_free(out.value)

    def lookup(self, name: str) -> Image:
        """A cached image by local name; raises WardenError (code NOT_FOUND) if absent."""
        out = _ptr()
        b = name.encode()
        check_error(_store_lookup(_c.byref(out), self._borrow(), b, len(b)))
        try:
            return Image._from_handle(out.value)
        finally:
            _image_free(out.value)

    def list(self) -> List[Image]:
        out = _ptr()
        check_error(_store_list(_c.byref(out), self._borrow()))
        try:
            return [Image._from_handle(_list_at(out.value, i)) for i in range(_list_count(out.value))]
        finally:
            _list_free(out.value)

    def remove(self, name: str) -> None:
        b = name.encode()
        check_error(_store_remove(self._borrow(), b, len(b)))

    def cancel(self) -> None:
        """Cancels every fetch running on this store (from any thread)."""
        _store_cancel(self._borrow())

    def __repr__(self):
        return f"<warden.ImageStore {self.dir!r}>" if self._ptr else "<warden.ImageStore closed>"


def export_image(rootfs, pot: str, tag: str, out_dir, level: int = 6, base: Optional[str] = None,
                 sign_key: Optional[str] = None, sha256: bool = False, threads: int = 0) -> dict:
    """Writes rootfs as <out_dir>/<pot>_<tag>.xz with .meta and .skein (and .sig with sign_key).
    base: "pot:tag" or "pot:tag@snapshot" for a layered image. Returns the written paths."""
    opts = _ExportOptions(1, pot.encode(), tag.encode(), _b(str(out_dir)), level, threads, _b(base), _b(sign_key),
                          int(sha256))
    buf = n._Buf()
    r = _b(str(rootfs))
    check_error(_export(_c.byref(buf), r, len(r), _c.byref(opts)))
    return json.loads(n.take_buf(buf))


class RegistryServer(Managed):
    """Serves a registry directory over HTTP(S) on background threads until closed.

    on_request(remote, method, target, status, bytes), if given, is called from the server's
    threads after each response."""

    def __init__(self, directory, listen: str = "127.0.0.1:0", tls_cert: Optional[str] = None,
                 tls_key: Optional[str] = None, rate_limit: int = 0,
                 on_request: Optional[Callable[[str, str, str, int, int], object]] = None):
        def log(remote, method, target, status, nbytes, _ud):
            try:
                on_request(remote.decode(), method.decode(), target.decode(), status, nbytes)
            except Exception:
                pass

        # Keep the callback alive as long as the server.
        self._log = _LOG_FN(log) if on_request else _LOG_FN()
        opts = _RegistryOptions(1, listen.encode(), _b(tls_cert), _b(tls_key), 0, rate_limit, 0, self._log, None,
                                _FREE_FN())
        out = _ptr()
        d = _b(str(directory))
        check_error(_server_start(_c.byref(out), d, len(d), _c.byref(opts)))
        self._set_ptr(out.value)

    def _delete(self, ptr):
        _server_free(ptr)

    @property
    def url(self) -> str:
        return n.text(_server_url(self._borrow()))

    @property
    def port(self) -> int:
        return _server_port(self._borrow())

    def __repr__(self):
        return f"<warden.RegistryServer {self.url}>" if self._ptr else "<warden.RegistryServer closed>"
