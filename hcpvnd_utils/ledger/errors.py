"""What stops a ledger operation, said in Vietnamese: a file that cannot be opened, a damaged
one (never replaced by a new one), a write that fails, a unit another process is running."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import HcpvndError
from ..storage import reason


class LedgerError(HcpvndError):
    """The ledger file cannot be opened or written."""


class RunInProgress(LedgerError):
    """Another live process is running the same unit."""


def open_error(exc: BaseException, path: Path) -> LedgerError:
    """A ledger that cannot be opened: damaged (never replaced by a new one) or unreachable."""
    if damaged(exc):
        return LedgerError("E-LEDGER-06", path=path, detail=reason(exc, path), args="")
    return LedgerError("E-LEDGER-01", path=path, detail=reason(exc, path))


def write_error(exc: BaseException, path: Path) -> LedgerError:
    if damaged(exc):
        return LedgerError("E-LEDGER-06", path=path, detail=reason(exc, path), args="")
    return LedgerError("E-LEDGER-04", path=path, detail=reason(exc, path))


def damaged(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.DatabaseError) and code is not None and code & 0xFF in (11, 26)
