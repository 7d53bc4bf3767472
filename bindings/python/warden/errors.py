"""Exceptions carrying warden's error codes and diagnostics (file, line, column)."""

from dataclasses import dataclass
from typing import List, Optional

from . import _native as n

# Stable codes of warden.h's warden_code.
OK = 0
INTERNAL = 1
INVALID_ARGUMENT = 2
SYNTAX = 3
INVALID_JOB = 4
IO = 5
NOT_FOUND = 6
UNSUPPORTED = 7
PERMISSION = 8
OUT_OF_MEMORY = 9
NETWORK = 10
VERIFY = 11
TIMEOUT = 12
CANCELLED = 13
CONFLICT = 14
UNSAFE = 15


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    summary: str
    detail: str
    file: str
    line: int  # 1-based; 0 when the diagnostic has no position
    column: int
    end_line: int
    end_column: int
    excerpt: str  # the source line with a caret

    def __str__(self):
        where = f"{self.file}:{self.line}:{self.column}: " if self.line else ""
        return f"{where}{self.severity}: {self.summary}" + (f": {self.detail}" if self.detail else "")


class WardenError(Exception):
    """An error reported by libwarden: `code`, `message`, and for input problems the
    `diagnostics` with their positions (`file`, `line`, `column` are the first one's)."""

    def __init__(self, code: int, message: str, formatted: str = "", diagnostics: Optional[List[Diagnostic]] = None):
        super().__init__(formatted or message)
        self.code = code
        self.message = message
        self.formatted = formatted or message
        self.diagnostics = diagnostics or []
        first = next((d for d in self.diagnostics if d.line), None)
        self.file = first.file if first else None
        self.line = first.line if first else 0
        self.column = first.column if first else 0


class JobError(WardenError):
    """A job file or job JSON that does not parse, decode or validate."""


def check_error(ptr, error_class=WardenError):
    """Turns a warden_error* into an exception (and frees it); does nothing for NULL."""
    if not ptr:
        return
    try:
        diags = []
        for i in range(n.warden_error_diagnostic_count(ptr)):
            d = n.warden_error_diagnostic(ptr, i)
            diags.append(Diagnostic(
                severity="warning" if n.warden_diagnostic_severity(d) == 1 else "error",
                summary=n.text(n.warden_diagnostic_summary(d)),
                detail=n.text(n.warden_diagnostic_detail(d)),
                file=n.text(n.warden_diagnostic_file(d)),
                line=n.warden_diagnostic_line(d),
                column=n.warden_diagnostic_column(d),
                end_line=n.warden_diagnostic_end_line(d),
                end_column=n.warden_diagnostic_end_column(d),
                excerpt=n.text(n.warden_diagnostic_excerpt(d)),
            ))
        code = n.warden_error_code(ptr)
        message = n.text(n.warden_error_message(ptr))
        formatted = n.text(n.warden_error_format(ptr))
    finally:
        n.warden_error_free(ptr)
    cls = error_class
    if code in (SYNTAX, INVALID_JOB) and not issubclass(cls, JobError):
        cls = JobError
    raise cls(code, message, formatted, diags)
