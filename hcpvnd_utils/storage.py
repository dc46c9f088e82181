"""Saying in Vietnamese why a file could not be written: disk full, read-only, no permission.

The system's own text ("No space left on device", SQLite's "database or disk is full") is
English; a clerk needs the reason in words to act on, and the file it concerns.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from .errors import HcpvndError

OS_REASONS = {
    getattr(errno, "EDQUOT", errno.ENOSPC): "đã dùng hết dung lượng được cấp trên ổ đĩa",
    errno.ENOSPC: "ổ đĩa đã đầy",  # after EDQUOT: wins where there is no EDQUOT
    errno.EFBIG: "tệp vượt quá dung lượng cho phép",
    errno.EACCES: "không có quyền ghi hoặc đọc",
    errno.EPERM: "không có quyền ghi hoặc đọc",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.ENOTDIR: "một tệp nằm ở chỗ lẽ ra là thư mục",
    errno.EIO: "lỗi đọc/ghi ổ đĩa",
}

# SQLite's primary result codes (the low byte of sqlite_errorcode)
SQLITE_REASONS = {
    5: "sổ đang bị một lần chạy khác giữ",  # SQLITE_BUSY
    8: "tệp sổ hoặc ổ đĩa chỉ cho đọc",  # SQLITE_READONLY
    10: "lỗi đọc/ghi ổ đĩa",  # SQLITE_IOERR
    11: "tệp sổ bị hỏng",  # SQLITE_CORRUPT
    13: "ổ đĩa đã đầy",  # SQLITE_FULL
    14: "không mở được tệp sổ (thư mục không có hoặc không có quyền ghi)",  # SQLITE_CANTOPEN
    26: "tệp này không phải sổ theo dõi thư",  # SQLITE_NOTADB
}


def os_reason(exc: OSError) -> str:
    return OS_REASONS.get(exc.errno, "lỗi hệ thống khi ghi hoặc đọc tệp")


def sqlite_reason(exc: sqlite3.Error) -> str:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return "lỗi cơ sở dữ liệu"
    return SQLITE_REASONS.get(code & 0xFF, f"lỗi cơ sở dữ liệu (mã {code})")


def reason(exc: BaseException, path=None) -> str:
    """The Vietnamese reason for a failed read or write, whatever raised it; with `path`, a
    read-only disk is named as such (SQLite only says it cannot open the file)."""
    if path is not None and on_read_only_disk(Path(path)):
        return OS_REASONS[errno.EROFS]
    if isinstance(exc, sqlite3.Error):
        return sqlite_reason(exc)
    if isinstance(exc, OSError):
        return os_reason(exc)
    return type(exc).__name__


def on_read_only_disk(path: Path) -> bool:
    folder = next((p for p in (path, *path.parents) if p.exists()), None)
    if folder is None or not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


class StorageError(HcpvndError):
    """A file under the outputs folder could not be written (or read back)."""

    @classmethod
    def from_os(cls, exc: OSError, path=None) -> StorageError:
        """`path`: the file being written, when the error does not name one."""
        named = exc.filename or path
        where = str(named) if named else "tệp trong thư mục kết quả"
        return cls("E-OS-01", where=where, reason=os_reason(exc))
