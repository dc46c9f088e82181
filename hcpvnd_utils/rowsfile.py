"""Every register row a unit's run read, one line each: ``<period>/<unit>/rows.jsonl.gz``, next to
summary.json. It is what the analyst's registrations frame reads.

summary.json lists at most ``MAX_LISTED`` rows without a letter (a 1,048,575-row export must not
make a 420 MB summary, nor a notebook that shows it); its counts hold every row. This file lists
them all, compactly: gzip, a header line naming the columns, then one JSON array per row. It is
written row by row (memory stays bounded whatever the export's size), under a temporary name
renamed into place, 0600 like every file under outputs/.

It is written just after summary.json, and its header carries the sha256 of that summary: a
rows file of another run (a run killed between the two writes, a summary edited by hand) is not
used, nor one cut short (its last line gives the number of rows). The reader says why
(Vietnamese), and the frames say what is then missing. summary.json itself is unchanged (its
keys are a contract).

No name and no ID number: the same fields as summary.json's entries (a reason's message quotes
a cell at most; a purge empties those quotes here as in summary.json, ``rewrite_rows``).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .safeio import replacing, sha256_file

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


def write_rows(path: Path, entries: Iterable[dict], summary: Path) -> int:
    """Write every entry (a dict with ``COLUMNS``' keys; others ignored) after the header that
    names ``summary`` (already written); return how many rows."""
    count = 0
    with _gzip_text(path) as out:
        out.write(_line(_header_of(list(COLUMNS), summary)))
        for entry in entries:
            out.write(_line([entry.get(name) for name in COLUMNS]))
            count += 1
        out.write(_line({"rows": count}))
    return count


def read_rows(path: Path, summary_sha256: str) -> tuple[list[str], list[list]]:
    """(columns, rows) of the rows file of the summary whose sha256 is given; ``RowsFileError``
    when it is missing, of another summary, cut short or damaged."""
    try:
        header, rows = _read(path)
    except FileNotFoundError:
        raise RowsFileError("không thấy tệp") from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError):
        raise RowsFileError("tệp bị cắt ngang hoặc hỏng") from None
    if header.get("summary_sha256") != summary_sha256:
        raise RowsFileError(
            "tệp không khớp với summary.json bên cạnh: lần làm thư bị dừng giữa lúc ghi hai tệp, "
            "hoặc một trong hai tệp đã bị sửa tay"
        )
    return header["columns"], rows


def rewrite_rows(path: Path, change: Callable[[dict], dict], summary: Path | None = None) -> bool:
    """Rewrite the file with ``change`` applied to each row (a dict), row by row; with
    ``summary``, its header names that file as it is now (a purge rewrites both). False when it
    cannot be read (left as it is)."""
    try:
        header = _header(path)
        if summary is not None:
            header = _header_of(header["columns"], summary)
        with _gzip_text(path) as out:  # the old file is read while the new one is written
            out.write(_line(header))
            count = 0
            for row in _lines(path):
                entry = change(dict(zip(header["columns"], row)))
                out.write(_line([entry.get(name) for name in header["columns"]]))
                count += 1
            out.write(_line({"rows": count}))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError):
        return False
    return True


def rows_sha256(path: Path) -> str | None:
    """The sha256 of the summary a rows file belongs to (None: no usable header)."""
    try:
        return _header(path).get("summary_sha256")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError):
        return None


def _header_of(columns: list[str], summary: Path) -> dict:
    return {"format": FORMAT, "version": VERSION, "summary_sha256": sha256_file(summary),
            "columns": columns}  # fmt: skip


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
    """The rows, each a list; ValueError unless the last line gives their number."""
    count, end = 0, None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        handle.readline()
        for text in handle:
            if end is not None:
                raise ValueError("a line after the end")
            row = json.loads(text)
            if isinstance(row, dict):
                end = row
                continue
            if not isinstance(row, list):
                raise ValueError("a row that is not a list")
            count += 1
            yield row
    if end is None or end.get("rows") != count:
        raise ValueError("cut short")


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
           "rows_sha256", "write_rows"]  # fmt: skip
