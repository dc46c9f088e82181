"""A CSV export, read as one sheet: its encoding (UTF-8, UTF-16, Windows-1258, or TCVN3/VNI
bytes), its separator, and every physical line accounted for — a quote that merges lines into
one row refuses the file naming the line (E-FILE-08)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from . import legacy
from .raw import FileProblem, RawSheet

CSV_DELIMITERS = (",", ";", "\t")
_HIGH_BYTES = bytes(range(128, 256))


def _is_utf8(path: Path) -> bool:
    """UTF-8, perhaps with a few damaged bytes (shown as "�"; a name with one is refused).
    Windows-1258 text read as UTF-8 fails on nearly every accented letter instead."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    damaged = high_bytes = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            damaged += decoder.decode(chunk).count("\ufffd")
            high_bytes += len(chunk) - len(chunk.translate(None, _HIGH_BYTES))
    return 40 * damaged <= high_bytes  # a Vietnamese letter is 2-3 bytes of UTF-8


def text_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 — or Latin-1 when the
    bytes are TCVN3/VNI text, so that the legacy tables see the characters they expect."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _is_utf8(path):
        return "utf-8"
    if legacy.detect(head.decode("cp1258", errors="replace")):
        return "latin-1"
    return "cp1258"


def sniff_delimiter(lines: list[str]) -> tuple[str, int]:
    """(separator, the field count most lines have with it): the separator whose field count
    is the same on most lines (commas inside unquoted addresses make "," irregular in a ";"
    file)."""
    best, best_score = ",", (-1, 0)
    for delimiter in CSV_DELIMITERS:
        lengths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not lengths:
            continue
        mode = max(set(lengths), key=lengths.count)
        score = (lengths.count(mode) if mode > 1 else 0, mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best, max(best_score[1], 1)


CSV_FIELD_LIMIT = 16 * 1024 * 1024  # one cell; a longer one is no register's (E-CELL-01 below)


class _Lines:
    """The file's physical lines, as the csv reader takes them: which lines made a record."""

    def __init__(self, handle):
        self.handle, self.number, self.taken = handle, 0, []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.number += 1
        self.taken.append(line)
        return line


def _csv_rows(path: Path, encoding: str, delimiter: str, width: int = 0) -> Iterator[list]:
    """Every record of the file. A record that takes several physical lines (a quoted cell
    with a line break) is checked: a quote never closed, or closed lines later, would swallow
    whole rows into one cell and they would be counted as one (E-FILE-08, naming the line)."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines, delimiter=delimiter)
        first = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise FileProblem("E-FILE-08", f"dòng {first}: có một ô dài quá "
                                  f"{CSV_FIELD_LIMIT // (1024 * 1024)} MB") from None  # fmt: skip
            taken, lines.taken = lines.taken, []
            if len(taken) > 1:
                _check_span(taken, first, lines.number, delimiter, width)
            first = lines.number + 1
            yield row


def _check_span(taken: list[str], first: int, last: int, delimiter: str, width: int) -> None:
    text = "".join(taken)
    try:
        next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
        closed = True
    except csv.Error as exc:
        closed = "end of data" not in str(exc)  # other strict complaints are sloppy quoting
    swallowed = any(line.count(delimiter) >= max(2, width - 2) for line in taken[1:])
    if closed and not (swallowed and width > 3):
        return
    shown = f"từ dòng {first} đến hết tệp" if not closed else f"từ dòng {first} đến dòng {last}"
    raise FileProblem(
        "E-FILE-08",
        f'dòng {first}: dấu ngoặc kép (") mở ở dòng này không được đóng đúng chỗ, nên '
        f"{last - first + 1} dòng ({shown}) bị gộp làm một dòng và không được đếm riêng",
    )


def csv_sheet(path: Path) -> RawSheet:
    encoding = text_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        head = [line for _, line in zip(range(50), handle)]
    if not "".join(head).strip():
        raise FileProblem("E-FILE-02")
    delimiter, width = sniff_delimiter(head)
    return RawSheet("", _csv_rows(path, encoding, delimiter, width))
