"""The rows under a header: which are data, and each data row as a Record with clean values.

Not data (skipped, not counted): blank rows, rows with nothing in any kept column (numbered
but empty template rows), the column-number row under the header ("(1) (2) (3)"), a header
repeated mid-sheet, title lines repeated mid-sheet, and footers — "Tổng cộng", "Người lập
biểu" and the signature under it, "Ngày … tháng … năm …", "Ghi chú: …".
Every other row is a Record, even when its cells are wrong: the problems travel with it.
A cell holding a placeholder ("None", "nan", "x", "-", "Không có": ``aliases.yaml``,
``empty_values``) is read as empty, so it never reaches a letter as a name or an address.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime

from ..records import Record
from ..textnorm import (
    DAMAGED,
    OTHER_DOCUMENT,
    EmptyValues,
    capitalize_name,
    clean_text,
    digit_count,
    fold,
    is_marked,
    looks_like_name,
    normalize_pid,
    parse_sex,
)
from . import legacy
from .cell_faults import CellFault
from .dates import DateError, parse_date, parse_year
from .headers import ColumnPlan, HeaderLayout

_FOOTER_ANY = re.compile(r"^(?:tong cong|tong so|tong \d|cong(?: \d.*)?$)")
_FOOTER_SHORT = re.compile(
    r"^(?:nguoi lap|nguoi tong hop|nguoi ghi|nguoi kiem tra|can bo|cong chuc|chu tich|"
    r"pho chu tich|tm uy ban|tm ubnd|kt chu tich|thu truong|lanh dao|xac nhan|ky ghi ro|"
    r"ky va ghi ro|ky ten|ky ho ten|ghi ro ho ten|noi nhan|ghi chu|luu y|chu y|"
    r"uy ban nhan dan|ubnd)\b"
    r"|\bngay\b.{0,20}\bthang\b.{0,20}\bnam\b"
)
_TITLE = re.compile(r"^(?:danh sach|so dang ky|so theo doi|bao cao|tong hop|tu ngay|thang \d)")
_NUMBER_CELL = re.compile(r"\(?\d{1,3}\)?")
_RESUME_AFTER_FOOTER = 4  # kept cells a row needs to count as data again after a footer
# Longer than this is several cells pasted into one, never one person's name or address. The
# messages say how long, never what: the value may be personal data.
MAX_NAME_LENGTH = 100
MAX_CELL_LENGTH = 1000

_CACHE_LIMIT = 20000
_WRONG = object()


class _Cache(dict):
    def put(self, key, value):
        if len(self) > _CACHE_LIMIT:
            self.clear()
        self[key] = value
        return value


def _filled(value) -> bool:
    return value is not None and value != "" and not (isinstance(value, str) and not value.strip())


class RowReader:
    """Turns the data rows of one sheet into Records, following a ColumnPlan."""

    def __init__(self, plan: ColumnPlan, layout: HeaderLayout, file: str, sheet: str,
                 merges=(), first_row: int = 1, empty: EmptyValues | None = None):  # fmt: skip
        self.plan, self.layout = plan, layout
        self.empty = empty or EmptyValues()
        self.file, self.sheet, self.first_row = file, sheet, first_row
        self.columns = list(plan.columns.items())
        self.name_columns = {c for c, f in self.columns if f.endswith("_full_name")}
        self.kept_columns = set(plan.columns)
        self.converters = {name: self._converter(name) for _, name in self.columns}
        self.fill = _MergeFill(merges, layout.bottom)
        self.cache = _Cache()
        self.in_footer = False
        self.converted: set[str] = set()  # legacy encodings of stray cells converted here

    # --- rows -------------------------------------------------------------------------------

    def read(self, rows: Iterable[list]) -> list[Record]:
        records = []
        for index, row in enumerate(rows):
            if index <= self.layout.bottom:
                continue
            row = self.fill.apply(index, row)
            if self._is_data(row):
                records.append(self._record(index + self.first_row, row))
        return records

    def _kept_cells(self, filled: list, enough: int) -> int:
        """How many of the row's kept cells hold something, counting no further than `enough`
        (the caller only asks "any?" or "at least n?")."""
        kept, marks, empty = self.kept_columns, self.plan.sex_marks, self.empty
        count = 0
        for c, v in filled:
            if c in kept and not (isinstance(v, str) and v.isspace()) and not empty.matches(v):
                count += 1
                if count >= enough:
                    return count
        return count + sum(1 for c, v in filled if c in marks and is_marked(v))

    def _is_data(self, row: list) -> bool:
        filled = [(c, v) for c, v in enumerate(row) if v != "" and v is not None]
        if not filled:
            return False
        if self._is_footer(filled):
            self.in_footer = True
            return False
        kept = self._kept_cells(filled, _RESUME_AFTER_FOOTER if self.in_footer else 1)
        if kept == 0:
            return False
        if self.in_footer:
            if kept < _RESUME_AFTER_FOOTER:
                return False
            self.in_footer = False
        return not (self._is_number_row(filled) or self._is_repeated_header(filled)
                    or self._is_title(filled))  # fmt: skip

    def _is_footer(self, filled: list) -> bool:
        col, first = filled[0]
        if not isinstance(first, str):
            return False
        key = fold(first)
        if _FOOTER_ANY.match(key) and (col not in self.name_columns or len(filled) <= 3):
            return True
        return len(filled) <= 3 and bool(_FOOTER_SHORT.search(key))

    @staticmethod
    def _is_number_row(filled: list) -> bool:
        if len(filled) < 3 or not all(isinstance(v, (int, float, str)) for _, v in filled):
            return False
        numbers = []
        for _, value in filled:
            text = clean_text(value)
            if not _NUMBER_CELL.fullmatch(text):
                return False
            numbers.append(int(text.strip("()")))
        return numbers == sorted(set(numbers))

    def _is_repeated_header(self, filled: list) -> bool:
        first = next((v for _, v in filled if isinstance(v, str)), None)
        if first is None or fold(first) not in self.layout.keys:
            return False
        texts = [fold(v) for _, v in filled if isinstance(v, str)]
        return len(texts) >= 2 and 2 * sum(t in self.layout.keys for t in texts) >= len(filled)

    @staticmethod
    def _is_title(filled: list) -> bool:
        return (
            len(filled) == 1
            and isinstance(filled[0][1], str)
            and bool(_TITLE.match(fold(filled[0][1])))
        )

    # --- values -----------------------------------------------------------------------------

    def _record(self, excel_row: int, row: list) -> Record:
        record = Record(self.plan.event, self.file, self.sheet, excel_row, {}, self.plan.headers)
        width = len(row)
        converters = self.converters
        for col, name in self.columns:
            raw = row[col] if col < width else None
            if raw is None or raw == "" or (raw.__class__ is str and raw.isspace()):
                continue
            if raw.__class__ is CellFault:
                record.problems.append(record.problem(raw.code, name, value=raw.text))
            elif raw.__class__ is str and len(raw) > MAX_CELL_LENGTH:
                record.problems.append(
                    record.problem("E-CELL-01", name, length=len(raw), limit=MAX_CELL_LENGTH)
                )
            elif not self.empty.matches(raw):  # "None", "x", "-", "Không có": an empty cell
                converters[name](record, name, raw)
        if self.plan.sex_field:
            self._sex_from_marks(record, row)
        return record

    def _sex_from_marks(self, record: Record, row: list) -> None:
        width = len(row)
        ticked = {
            mark for c, mark in self.plan.sex_marks.items() if c < width and is_marked(row[c])
        }
        if len(ticked) == 1:
            record.values[self.plan.sex_field] = ticked.pop()
        elif ticked:
            record.warnings.append(
                record.problem("W-SEX-01", self.plan.sex_field, "warning", value="Nam, Nữ")
            )

    def _unlegacy(self, raw):
        """A stray TCVN3/VNI cell in a Unicode sheet, converted (and remembered for W-ENC-01)."""
        if not isinstance(raw, str) or raw.isascii():
            return raw
        encoding = legacy.guess_cell(raw)
        if not encoding:
            return raw
        self.converted.add(encoding)
        return legacy.convert(raw, encoding)

    def _converter(self, name: str) -> Callable[[Record, str, object], None]:
        if name.endswith("_full_name"):
            return self._name
        if name.endswith(("_date", "_dob")):
            return self._date
        if name.endswith("_birth_year"):
            return self._year
        if name.endswith("_pid"):
            return self._pid
        if name.endswith("_sex"):
            return self._sex
        return self._text

    def _name(self, record: Record, name: str, raw) -> None:
        text = self.cache.get(("n", raw)) if isinstance(raw, str) else None
        if text is None:
            text = clean_text(self._unlegacy(raw))
            ok = isinstance(raw, str) and looks_like_name(text)
            text = capitalize_name(text) if ok else _WRONG
            if isinstance(raw, str):
                self.cache.put(("n", raw), text)
        if text is _WRONG:
            record.problems.append(record.problem("E-NAME-01", name, value=clean_text(raw)))
        elif len(text) > MAX_NAME_LENGTH:
            record.problems.append(
                record.problem("E-NAME-02", name, length=len(text), limit=MAX_NAME_LENGTH)
            )
        else:
            record.values[name] = text

    def _date(self, record: Record, name: str, raw) -> None:
        key = ("d", name.endswith("_dob"), raw) if isinstance(raw, str) else None
        value = self.cache.get(key) if key else None
        if value is None:
            try:
                value = parse_date(raw, allow_year=name.endswith("_dob"))
            except DateError:
                value = _WRONG
            if key:
                self.cache.put(key, value)
        if value is _WRONG:
            record.problems.append(record.problem("E-DATE-01", name, value=_shown(raw)))
        elif value is not None:
            record.values[name] = value

    def _year(self, record: Record, name: str, raw) -> None:
        try:
            value = parse_year(raw)
        except DateError:
            record.problems.append(record.problem("E-DATE-01", name, value=_shown(raw)))
            return
        if value is not None:
            record.values[name] = value

    def _pid(self, record: Record, name: str, raw) -> None:
        pid, code = normalize_pid(raw, child=name == "child_pid")
        if code == OTHER_DOCUMENT:
            return  # an adult's CMND or passport: a valid document, never a key, not kept
        if code in ("E-ID-01", "E-ID-02"):
            shown = _shown(raw)
            record.problems.append(
                record.problem(code, name, value=shown, digits=digit_count(shown))
            )
            return
        if code == "W-ID-01":
            record.warnings.append(record.problem(code, name, "warning", value=pid))
        record.values[name] = pid

    def _sex(self, record: Record, name: str, raw) -> None:
        sex = parse_sex(raw)
        if sex:
            record.values[name] = sex
        else:
            record.warnings.append(record.problem("W-SEX-01", name, "warning", value=_shown(raw)))

    def _text(self, record: Record, name: str, raw) -> None:
        if isinstance(raw, (date, datetime)):
            text = f"{raw.month:02d}/{raw.year}" if name == "reg_book" else _shown(raw)
        else:
            text = self.cache.get(("t", raw))
            if text is None:
                text = self.cache.put(("t", raw), clean_text(self._unlegacy(raw)))
        if DAMAGED in text:  # a byte that was not UTF-8: the letter would print "\ufffd"
            record.problems.append(record.problem("E-TEXT-01", name, value=text))
        elif text:
            record.values[name] = text


def _shown(raw) -> str:
    """A cell as the clerk sees it, for messages."""
    if isinstance(raw, datetime) and (raw.hour or raw.minute):
        return raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, (date, datetime)):
        return raw.strftime("%d/%m/%Y")
    return clean_text(raw)


class _MergeFill:
    """Cells merged down over several data rows: Excel shows the value on every row, so each
    row gets it (the file stores it only in the top cell). Only rows that are read are filled:
    the merges are swept in order of their first row and each is held until its last, so a
    merge declared down to row 1,048,576 over ten rows of data costs ten rows, not a million
    (``limits.check_merges`` bounds how many cells they may cover in all)."""

    def __init__(self, merges, header_bottom: int):
        # (first row, first column, last row, last column) of the merges below the header
        self.pending = sorted(m for m in merges if m[2] > m[0] > header_bottom)
        self.next = 0
        self.active: list[
            tuple[int, int, int, int, object]
        ] = []  # heap: (last row, #, cols, value)

    def apply(self, index: int, row: list) -> list:
        active = self.active
        while active and active[0][0] < index:
            heapq.heappop(active)
        filled = self._fill(row) if active else row
        pending = self.pending
        while self.next < len(pending) and pending[self.next][0] <= index:
            r0, c0, r1, c1 = pending[self.next]
            self.next += 1
            value = row[c0] if r0 == index and c0 < len(row) else None
            if _filled(value):
                heapq.heappush(active, (r1, self.next, c0, c1, value))
        return filled

    def _fill(self, row: list) -> list:
        row = list(row)
        for _, _, c0, c1, value in self.active:
            for col in range(c0, min(c1, len(row) - 1) + 1):
                if not _filled(row[col]):
                    row[col] = value
        return row
