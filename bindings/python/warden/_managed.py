"""Ownership of native handles: close() once, usable as a context manager, freed by the
finalizer if the user forgets (as wasmtime-py's Managed does)."""


class Managed:
    _ptr = None

    def _set_ptr(self, ptr):
        self._ptr = ptr

    def _borrow(self):
        if not self._ptr:
            raise ValueError(f"{type(self).__name__} is closed")
        return self._ptr

    def _delete(self, ptr):  # implemented by subclasses
        raise NotImplementedError

    def close(self):
        ptr, self._ptr = self._ptr, None
        if ptr:
            self._delete(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
