"""Writing files so that nothing is ever half-written and nothing is readable by others.

Every generated file goes through a temporary name in the same folder and ``os.replace``; folders
we create are 0700 and files 0600 on POSIX (registers hold personal data).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TEMP_SUFFIX = ".part"  # what the ledger's reconcile() looks for after a killed run
FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path, root: Path | None = None) -> Path:
    """Create the folder (and missing parents) readable by the owner only. A folder that
    already exists is made owner-only too when it is ours (a clone's ``outputs/`` is 0755):
    ``path`` itself, and with ``root`` every folder from ``root`` down to ``path``."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):  # up to the first folder that exists
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    chain = [path]
    if root is not None and path.is_relative_to(root):
        chain += [p for p in path.parents if p.is_relative_to(root)]
    for folder in chain:
        if folder not in missing:
            tighten(folder)
    return path


def tighten(folder: Path) -> None:
    """Owner-only access to an existing folder of ours (never the home folder, never a folder
    of another user or a shared one like /tmp)."""
    if os.name != "posix":
        return
    try:
        info = folder.stat()
        if info.st_uid != os.getuid() or not info.st_mode & 0o077 or folder == Path.home():
            return
        if info.st_mode & 0o1000:  # sticky, as /tmp: a shared folder, not ours to close
            return
        os.chmod(folder, DIR_MODE)
    except OSError:
        pass


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> Path:
    """``durable`` (the default): flushed to the disk before the rename, so a power cut leaves
    the old file or the new one. Without it the file is only renamed into place: safe against a
    killed run, not against a power cut (a benchmark's scratch files)."""
    with replacing(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    return Path(path)


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, value, *, sort_keys: bool = False) -> Path:
    """The one JSON writer: UTF-8 (Vietnamese as it is), indented, streamed to the file (a
    100,000-row summary is never one string in memory)."""
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, indent=1, sort_keys=sort_keys)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    return Path(path)


def read_json(path: Path) -> dict | None:
    """A JSON object we wrote, or None when the file is missing, unreadable or not an object."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def sha256_file(path: Path) -> str:
    """The file's sha256, read in blocks (what approvals record and compare)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary sibling of ``path`` to write (for writers that need a file name: openpyxl,
    matplotlib); it becomes ``path`` when the block ends, and is removed if the block fails.
    An error names ``path``, never the temporary name the user has never seen."""
    path = Path(path)
    tmp = None
    try:
        private_dir(path.parent)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        yield tmp
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and _names_temporary(exc):
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def _names_temporary(exc: OSError) -> bool:
    return exc.filename is None or str(exc.filename).endswith(TEMP_SUFFIX)
