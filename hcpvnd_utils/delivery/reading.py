"""Reading a delivery sheet back, as a clerk returns it: re-sorted, rows deleted or added, a
column widened, saved by Excel or LibreOffice, an older copy — or a file that is none of that.

``read_sheet`` checks what the file may cost to read before any reader opens it (the limits of
the register exports), finds the hidden sheet that says whose sheet it is, finds the header by
its titles (not by position), and gives every row that has a reference or anything filled in,
with the cells as typed: a date cell as a date, a text as text, a formula as its text ("=…"),
flagged. A file that cannot be used raises ``SheetProblem`` with its code; nothing of it is
imported.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from ..ingest.cell_faults import sheet_members
from ..ingest.limits import (
    TooLarge,
    check_contents,
    check_file_size,
    check_members,
    merged_ranges,
)
from ..ingest.readers import sniff
from ..safeio import sha256_file
from ..textnorm import clean_text, visible
from .sheet import DATA_SHEET, FORMAT, META_SHEET, VERSION, SheetInfo
from .vocabulary import FILLED, TITLES, column_of

HEADER_SCAN = 30  # rows searched for the header
REQUIRED = ("reference", *FILLED)


class SheetProblem(Exception):
    """A file none of whose rows can be imported; ``code`` and ``fields`` make its message."""

    def __init__(self, code: str, **fields):
        super().__init__(code)
        self.code, self.fields = code, fields


@dataclass
class SheetRow:
    row: int  # as Excel numbers it
    values: dict[str, object]  # column key -> the cell as typed (None when empty)
    formulas: set[str] = field(default_factory=set)  # keys whose cell holds a formula

    def blank(self) -> bool:
        """Nothing filled in: the letter is not handed over yet (or the row is not a letter's)."""
        return all(_empty(self.values.get(key)) for key in FILLED)


@dataclass
class FilledSheet:
    path: Path
    file: str  # its name, as it can be shown
    sheet: str
    info: SheetInfo
    rows: list[SheetRow]
    saved_at: str | None  # when the workbook says it was last saved (UTC, ISO), if it says
    sha256: str


def read_sheet(path: Path) -> FilledSheet:
    path = Path(path)
    file = visible(path.name)
    if not path.is_file():
        raise SheetProblem("E-DELIV-09", file=visible(path))
    _check_cost(path, file)
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises what its parsers raise: all mean "unreadable"
        raise SheetProblem("E-DELIV-01", file=file, detail=_why(exc)) from None
    try:
        info = _info(book, file)
        sheet = _data_sheet(book, file)
        header, columns = _header(sheet, file)
        rows = list(_rows(sheet, header, columns, _merges(path, sheet.title)))
        saved = book.properties.modified if book.properties else None
    finally:
        book.close()
    if not rows:
        raise SheetProblem("E-DELIV-05", file=file, sheet=visible(sheet.title))
    return FilledSheet(path, file, visible(sheet.title), info, rows,
                       _moment(saved), sha256_file(path))  # fmt: skip


def _check_cost(path: Path, file: str) -> None:
    kind = sniff(path)
    if kind != "zip":
        detail = {
            "empty": "tệp trống, 0 byte",
            "ole": "tệp có mật khẩu, hoặc lưu dạng Excel 97-2003 (.xls)",
        }.get(kind, "không phải tệp Excel .xlsx")
        raise SheetProblem("E-DELIV-01", file=file, detail=detail)
    try:
        check_file_size(path.stat().st_size)
        with zipfile.ZipFile(path) as archive:
            check_members(archive)
            if "xl/workbook.xml" not in archive.NameToInfo:
                raise SheetProblem("E-DELIV-01", file=file, detail="không phải tệp Excel .xlsx")
            check_contents(archive, sheet_members(archive))
    except TooLarge as exc:
        raise SheetProblem("E-DELIV-08", file=file, detail=exc.reason) from None
    except SheetProblem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, ValueError,
            zlib.error, SyntaxError):  # fmt: skip
        raise SheetProblem(
            "E-DELIV-01", file=file, detail="tệp bị hỏng hoặc chưa tải về hết"
        ) from None


def _why(exc: Exception) -> str:
    return "tệp bị hỏng hoặc không đúng dạng .xlsx" if not isinstance(exc, OSError) else str(exc)


def _info(book, file: str) -> SheetInfo:
    if META_SHEET not in book.sheetnames:
        raise SheetProblem("E-DELIV-02", file=file, detail="không có phần ghi đơn vị và kỳ")
    entries = {}
    for row in book[META_SHEET].iter_rows(max_col=2, values_only=True):
        if row and isinstance(row[0], str):
            entries[row[0]] = row[1] if len(row) > 1 else None
    if entries.get("format") != FORMAT:
        raise SheetProblem("E-DELIV-02", file=file, detail="phần ghi đơn vị và kỳ không đúng dạng")
    try:
        version = int(entries.get("version"))
        info = SheetInfo(
            str(entries["unit"]), str(entries["scheme"]), int(entries["unit_code"]),
            str(entries.get("unit_name") or entries["unit"]), str(entries["period"]),
            date.fromisoformat(str(entries["start"])), date.fromisoformat(str(entries["end"])),
            str(entries.get("written_at") or ""),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        raise SheetProblem("E-DELIV-02", file=file, detail="phần ghi đơn vị và kỳ bị sửa") from None
    if version > VERSION:
        raise SheetProblem("E-DELIV-02", file=file, detail="do phiên bản hcpvnd mới hơn làm")
    return info


def _data_sheet(book, file: str):
    names = [DATA_SHEET] if DATA_SHEET in book.sheetnames else []
    names += [n for n in book.sheetnames if n not in (DATA_SHEET, META_SHEET)]
    for name in names:
        sheet = book[name]
        if getattr(sheet, "sheet_state", "visible") == "visible" or name == DATA_SHEET:
            return sheet
    raise SheetProblem("E-DELIV-02", file=file, detail="không có trang sổ giao thư")


def _header(sheet, file: str) -> tuple[int, dict[str, int]]:
    """The header's row and the column of each key (0-based), found by the titles."""
    sheet.reset_dimensions()  # a LibreOffice file may declare fewer rows than it has
    for number, row in enumerate(sheet.iter_rows(max_row=HEADER_SCAN, values_only=True), 1):
        columns: dict[str, int] = {}
        for index, value in enumerate(row):
            key = column_of(value) if isinstance(value, str) else None
            if key and key not in columns:
                columns[key] = index
        if "reference" in columns:
            missing = [TITLES[k] for k in REQUIRED if k not in columns]
            if missing:
                raise SheetProblem("E-DELIV-06", file=file, sheet=visible(sheet.title),
                                   columns=", ".join(f"“{m}”" for m in missing))  # fmt: skip
            return number, columns
    raise SheetProblem("E-DELIV-06", file=file, sheet=visible(sheet.title),
                       columns=", ".join(f"“{TITLES[k]}”" for k in REQUIRED))  # fmt: skip


def _merges(path: Path, title: str) -> list[tuple[int, int, int, int]]:
    """The data sheet's ranges merged over several rows (0-based, inclusive): Excel shows
    their value on each of those rows, the file holds it only in the top cell."""
    with zipfile.ZipFile(path) as archive:
        member = sheet_members(archive).get(title)
        found = merged_ranges(archive, member) if member in archive.NameToInfo else []
    return [m for m in found if m[2] > m[0]]


def _rows(sheet, header: int, columns: dict[str, int], merges=()):
    """Every row below the header that has a reference or anything filled in. A value typed in
    cells merged over several rows (one date for three letters handed over together) is the
    value of each of those rows, as the clerk sees it."""
    wanted = list(columns.items())
    pending = sorted(m for m in merges if m[0] >= header)  # starting below the header
    next_ = 0
    active: list[tuple[int, int, int, object, bool]] = []  # (last row, columns, value, formula)
    for number, cells in enumerate(sheet.iter_rows(min_row=header + 1), start=header + 1):
        at = number - 1  # 0-based, as the merges
        if active:
            active = [a for a in active if a[0] >= at]
        while next_ < len(pending) and pending[next_][0] <= at:
            r0, c0, r1, c1 = pending[next_]
            next_ += 1
            top = cells[c0] if r0 == at and c0 < len(cells) else None
            if getattr(top, "value", None) is not None:
                formula = getattr(top, "data_type", "") == "f"
                active.append((r1, c0, c1, top.value, formula))
        values, formulas = {}, set()
        for key, index in wanted:
            cell = cells[index] if index < len(cells) else None
            value = getattr(cell, "value", None)
            formula = getattr(cell, "data_type", "") == "f"
            if value is None:
                spread = next((a for a in active if a[1] <= index <= a[2]), None)
                if spread is not None:
                    value, formula = spread[3], spread[4]
            if formula:  # kept as the text typed, flagged
                formulas.add(key)
                value = str(value)
            values[key] = _value(value)
        found = SheetRow(number, values, formulas)
        if not _empty(values.get("reference")) or not found.blank():
            yield found


def _value(value):
    """A cell as typed: dates as dates, text as NFC text (spaces collapsed), numbers as they
    are; an empty text is None."""
    if isinstance(value, datetime):
        return value if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date()
    if isinstance(value, str):
        return clean_text(value) or None
    return value


def _empty(value) -> bool:
    return value is None


def _moment(value) -> str | None:
    return value.replace(microsecond=0).isoformat() if isinstance(value, datetime) else None


__all__ = ["FilledSheet", "SheetProblem", "SheetRow", "read_sheet"]
