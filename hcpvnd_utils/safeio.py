"""Writing files so that nothing is ever half-written and nothing is readable by others.

Every generated file goes through a temporary name in the same folder and ``os.replace``; folders
we create are 0700 and files 0600 on POSIX (registers hold personal data).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".part"  # what the ledger's reconcile() looks for after a killed run
FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create the folder (and missing parents) readable by the owner only."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    path = Path(path)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def temp_path_for(path: Path) -> Path:
    """A temporary sibling of ``path``, for writers that need a file name (openpyxl, zipfile)."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    return Path(tmp)


def commit_temp(tmp: Path, path: Path) -> Path:
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, path)
    return path
