"""Every register row a unit's run read, one line each: ``<period>/<unit>/rows.jsonl.gz``, next to
summary.json. It is what the analyst's registrations frame reads.

summary.json lists at most ``MAX_LISTED`` rows without a letter (a 1,048,575-row export must not
make a 420 MB summary, nor a notebook that shows it); its counts hold every row. This file lists
them all, compactly: gzip, a header line naming the columns, then one JSON array per row. It is
written row by row (memory stays bounded whatever the export's size), under a temporary name
renamed into place, 0600 like every file under outputs/.

summary.json's ``rows_file`` (``{"name", "run", "rows"}``) says which file belongs to it: the
header carries the same ``run`` token, written by the same run, and the file holds ``rows``
lines. A file of another run (a run killed between the two writes), a truncated or damaged file
is not used; the reader says why (Vietnamese), and the frames say what is then missing.

No name and no ID number: the same fields as summary.json's entries (a reason's message quotes
a cell at most; a purge empties those quotes here as in summary.json, ``rewrite_rows``).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .safeio import replacing

FORMAT, VERSION = "hcpvnd-rows", 1
# Rows without a letter that summary.json (and the notebook) list: every one is in this file
# and in rejected.xlsx.
MAX_LISTED = 1000
COLUMNS = (
    "event", "outcome", "code", "column", "file", "sheet", "row", "book", "number",
    "registration_no", "registration_date", "event_date", "message",
)  # fmt: skip


class RowsFileError(Exception):
    """A rows file that cannot be used; its text says why (Vietnamese)."""


def write_rows(path: Path, entries: Iterable[dict]) -> dict:
    """Write every entry (a dict with ``COLUMNS``' keys; others ignored) and return what
    summary.json records of the file: ``{"name", "run", "rows"}``."""
    token, count = uuid.uuid4().hex, 0
    header = {"format": FORMAT, "version": VERSION, "run": token, "columns": list(COLUMNS)}
    with _gzip_text(path) as out:
        out.write(_line(header))
        for entry in entries:
            out.write(_line([entry.get(name) for name in COLUMNS]))
            count += 1
    return {"name": Path(path).name, "run": token, "rows": count}


def read_rows(path: Path, expected) -> tuple[list[str], list[list]]:
    """(columns, rows) of the rows file summary.json describes (``expected``: its
    ``rows_file``); ``RowsFileError`` when it is missing, of another run, truncated or damaged."""
    if not isinstance(expected, dict) or not isinstance(expected.get("rows"), int):
        raise RowsFileError("mục rows_file trong summary.json không hợp lệ")
    try:
        header, rows = _read(path)
    except FileNotFoundError:
        raise RowsFileError(f"không thấy tệp {path}") from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError):
        raise RowsFileError(f"tệp {path} bị cắt ngang hoặc hỏng") from None
    if header.get("run") != expected.get("run"):
        raise RowsFileError(f"tệp {path} là của một lần chạy khác (lần chạy sau bị dừng giữa chừng)")
    if len(rows) != expected["rows"]:
        raise RowsFileError(f"tệp {path} có {len(rows)} dòng, summary.json ghi {expected['rows']}")
    return header["columns"], rows


def rewrite_rows(path: Path, change: Callable[[dict], dict]) -> bool:
    """Rewrite the file with ``change`` applied to each row (a dict), row by row, keeping its
    header (its ``run`` token: summary.json still matches). False when it cannot be read."""
    try:
        header = _header(path)
        with _gzip_text(path) as out:  # the old file is read while the new one is written
            out.write(_line(header))
            for row in _lines(path):
                entry = change(dict(zip(header["columns"], row)))
                out.write(_line([entry.get(name) for name in header["columns"]]))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError):
        return False
    return True


def _read(path: Path) -> tuple[dict, list[list]]:
    header = _header(path)
    width = len(header["columns"])
    rows = list(_lines(path))
    if any(len(row) != width for row in rows):
        raise ValueError("a row of another width")
    return header, rows


def _header(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError("not a rows file")
    if not isinstance(header.get("columns"), list):
        raise ValueError("no columns")
    return header


def _lines(path: Path) -> Iterator[list]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        handle.readline()
        for text in handle:
            row = json.loads(text)
            if not isinstance(row, list):
                raise ValueError("a row that is not a list")
            yield row


def _line(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


@contextmanager
def _gzip_text(path: Path):
    """A text stream into a gzip file that replaces ``path`` when done (flushed to the disk)."""
    with replacing(path) as tmp, open(tmp, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as packed:
            with io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as text:
                yield text
                text.flush()
        raw.flush()
        os.fsync(raw.fileno())


__all__ = ["COLUMNS", "MAX_LISTED", "RowsFileError", "read_rows", "rewrite_rows",
           "write_rows"]  # fmt: skip
