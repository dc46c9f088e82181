"""The delivery sheet, ``so_giao_thu.xlsx``: one row per letter of a unit's period, to print and
sign as letters are handed over, and to fill in for ``hcpvnd delivery import``.

- The sheet “Sổ giao thư”: a title, the unit and period, a line saying what to fill in, the
  header (repeated on every printed page), then one row per letter: STT, its reference, the
  kind of letter, the registration's number and date, the recipient as the letter addresses
  them, the address, the day it was made; the columns to fill (yellow, unlocked): the day it
  was handed over, how, by whom, the family's response, a note; and a column for the
  recipient's signature on paper. The reference columns are locked (the sheet is protected
  without a password: it guards against slips, not people); how, by whom and the response are
  drop-down lists (kept on the hidden sheet “Danh mục”), the day must be a date. A4 landscape,
  one page wide, page numbers in the footer.
- The hidden sheet “hcpvnd”: what the file is (its format and version), whose (the unit's key,
  scheme and code) and which period: a sheet knows its unit and period.

Everything a clerk typed comes back as data (``sheets.cell``): a note "=HYPERLINK(…)" is text,
never a formula. Written streaming (openpyxl's write-only mode): 10,000 letters in a few seconds.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import sheets
from ..config import Unit
from ..periods import Period, now_iso
from ..records import LETTER_TITLES
from ..safeio import atomic_write_bytes
from .vocabulary import COLUMNS, FILLED, LISTS, TITLES

FORMAT, VERSION = "hcpvnd-so-giao-thu", 1
DATA_SHEET, LISTS_SHEET, META_SHEET = "Sổ giao thư", "Danh mục", "hcpvnd"
HEADER_ROW = 5  # rows 1-4: title, unit and period, what to fill in, blank
DAY_FORMAT = "DD/MM/YYYY"
ROW_HEIGHT = 30  # points: two lines of a name or an address, and a signature
FONT = "Times New Roman"
YELLOW = PatternFill("solid", fgColor="FFF2CC")
GREY = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INSTRUCTION = (
    "Điền các cột màu vàng khi trao thư: ngày trao (ngày/tháng/năm), cách trao, người trao, "
    "phản ánh của gia đình (chọn trong danh sách), ghi chú. Không sửa các cột khác. Điền xong, "
    "lưu tệp rồi nhập vào sổ theo dõi thư: hcpvnd delivery import <tệp này>."
)


@dataclass(frozen=True)
class SheetInfo:
    """Whose sheet it is, for which period (the hidden sheet “hcpvnd”)."""

    unit_key: str
    scheme: str
    unit_code: int
    unit_name: str  # "xã Phước Quang"
    period_label: str
    period_start: date
    period_end: date
    written_at: str = ""

    @classmethod
    def of(cls, unit: Unit, period: Period) -> SheetInfo:
        return cls(unit.key, unit.scheme, unit.code, unit.full_name, period.label, period.start,
                   period.end, now_iso())  # fmt: skip

    def entries(self) -> list[tuple[str, object]]:
        return [
            ("format", FORMAT), ("version", VERSION), ("unit", self.unit_key),
            ("scheme", self.scheme), ("unit_code", self.unit_code), ("unit_name", self.unit_name),
            ("period", self.period_label), ("start", self.period_start.isoformat()),
            ("end", self.period_end.isoformat()), ("data_sheet", DATA_SHEET),
            ("written_at", self.written_at or now_iso()),
        ]  # fmt: skip

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.period_label)


@dataclass(frozen=True)
class SheetLetter:
    """One letter's row: what the sheet says of it before anyone fills it in."""

    reference: str
    event: str
    reg_no: str
    reg_date: date | None
    recipient: str
    address: str
    made_on: date | None


@dataclass
class _Styles:
    """A styled prototype cell per kind: each cell of the sheet copies one (fast)."""

    sheet: object
    protos: dict = field(default_factory=dict)

    def cell(self, value, kind: str):
        made = sheets.cell(self.sheet, value)
        proto = self.protos.get(kind)
        if proto is None:
            proto = self.protos[kind] = _prototype(self.sheet, kind)
        made._style = copy.copy(proto._style)
        return made


def _prototype(sheet, kind: str):
    made = sheets.cell(sheet, None)
    made.font = Font(name=FONT, size=10, bold=kind == "header")
    made.border = BOX
    made.alignment = Alignment(vertical="center", wrap_text=kind in ("header", "text", "fill"),
                               horizontal="center" if kind in ("header", "day") else None)  # fmt: skip
    if kind == "header":
        made.fill = GREY
    if kind in ("fill", "fill_day"):
        made.fill, made.protection = YELLOW, Protection(locked=False)
    if kind == "sign":
        made.protection = Protection(locked=False)
    if kind in ("day", "fill_day"):
        made.number_format = DAY_FORMAT
    return made


def write_sheet(path: Path, info: SheetInfo, letters: list[SheetLetter],
                filled: dict[str, dict]) -> Path:  # fmt: skip
    """Write the sheet; ``filled``: reference -> {column key: value} of what was filled in
    before (the earlier sheet's cells as typed, else what the ledger records), kept as it is."""
    book = Workbook(write_only=True)
    data = book.create_sheet(DATA_SHEET)
    _layout(data, len(letters))
    styles = _Styles(data)
    for row in _title_rows(info):
        data.append([sheets.cell(data, v, font=Font(name=FONT, **s),
                                 alignment=Alignment(wrap_text=wrap, vertical="top"))
                     for v, s, wrap in row])  # fmt: skip
    data.append([styles.cell(c.title, "header") for c in COLUMNS])
    for number, letter in enumerate(letters, start=1):
        data.append(_letter_row(styles, number, letter, filled.get(letter.reference, {})))
    _lists_sheet(book)
    meta = book.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    for key, value in info.entries():
        meta.append(sheets.row(meta, [key, value]))
    buffer = io.BytesIO()  # in memory first: a full disk never leaves half a workbook
    book.save(buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def _title_rows(info: SheetInfo) -> list[list[tuple[str, dict, bool]]]:
    period = info.period.vietnamese()
    return [
        [("SỔ GIAO THƯ CHÚC MỪNG, THƯ CHIA BUỒN", {"bold": True, "size": 14}, False)],
        [(f"{info.unit_name[:1].upper()}{info.unit_name[1:]} – {period}", {"size": 12}, False)],
        [(INSTRUCTION, {"italic": True, "size": 10}, True)],
        [],
    ]


def _letter_row(styles: _Styles, number: int, letter: SheetLetter, filled: dict) -> list:
    known = {
        "number": (number, "plain"),
        "reference": (letter.reference, "plain"),
        "event": (LETTER_TITLES.get(letter.event, letter.event), "text"),
        "reg_no": (letter.reg_no, "plain"),
        "reg_date": (letter.reg_date, "day"),
        "recipient": (letter.recipient, "text"),
        "address": (letter.address, "text"),
        "made_on": (letter.made_on, "day"),
        "signature": (None, "sign"),
    }
    cells = []
    for column in COLUMNS:
        if column.key in FILLED:
            value = filled.get(column.key)
            value = value.date() if isinstance(value, datetime) else value
            day = column.key == "handed_on" or isinstance(value, date)
            cells.append(styles.cell(None if value == "" else value, "fill_day" if day else "fill"))
        else:
            value, kind = known[column.key]
            cells.append(styles.cell(value, kind))
    return cells


def _layout(sheet, count: int) -> None:
    """Widths, frozen header, protection, drop-down lists and print setup: all before the
    first row (a write-only sheet writes its top first)."""
    for index, column in enumerate(COLUMNS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.fill or column.key == "signature":  # rows a clerk adds stay fillable
            dimension.protection = Protection(locked=False)
    last = get_column_letter(len(COLUMNS))
    for row in range(1, HEADER_ROW - 1):  # the title lines span the page; the third wraps
        sheet.merged_cells.add(f"A{row}:{last}{row}")
    sheet.row_dimensions[HEADER_ROW - 2].height = 28
    sheet.row_dimensions[HEADER_ROW].height = 30
    for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + count):  # room to sign on paper
        sheet.row_dimensions[row].height = ROW_HEIGHT
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    protection = sheet.protection
    protection.sheet = True
    for allowed in ("sort", "autoFilter", "insertRows", "deleteRows", "formatColumns",
                    "formatRows"):  # fmt: skip
        setattr(protection, allowed, False)  # False: allowed on the protected sheet
    _validations(sheet)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", "9"  # 9: A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top, margins.bottom, margins.footer = 0.5, 0.7, 0.3
    sheet.oddFooter.center.text = "Trang &P/&N"


def _validations(sheet) -> None:
    """A list per drop-down column (its items on “Danh mục”), a date in the day column; rows
    added below the letters get them too."""
    for number, kind in enumerate(LISTS):
        letter = get_column_letter(number + 1)
        items = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(kind.items) + 1}"
        rule = DataValidation(type="list", formula1=items, allow_blank=True,
                              showErrorMessage=True, errorTitle=TITLES[kind.key],
                              error=f"Chọn một trong danh sách: {kind.shown()}")  # fmt: skip
        rule.add(_column_range(kind.key))
        sheet.data_validations.append(rule)
    day = DataValidation(type="date", operator="greaterThan", formula1="36526",  # 01/01/2000
                         allow_blank=True, showErrorMessage=True, errorStyle="warning",
                         errorTitle=TITLES["handed_on"],
                         error="Ghi ngày trao theo dạng ngày/tháng/năm, ví dụ 05/3/2024.")  # fmt: skip
    day.add(_column_range("handed_on"))
    sheet.data_validations.append(day)


def _column_range(key: str) -> str:
    index = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)
    letter = get_column_letter(index)
    return f"{letter}{HEADER_ROW + 1}:{letter}1048576"


def _lists_sheet(book) -> None:
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    longest = max(len(kind.items) for kind in LISTS)
    lists.append([TITLES[kind.key] for kind in LISTS])
    for index in range(longest):
        lists.append([kind.texts()[index] if index < len(kind.items) else None for kind in LISTS])


__all__ = ["SheetInfo", "SheetLetter", "write_sheet"]
