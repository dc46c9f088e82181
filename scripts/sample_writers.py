"""Writing a unit's exports: a grid of cells per sheet (title rows, one- or two-row header,
data, footer), saved as .xlsx with fixed dates inside, or as .csv the way Excel saves it."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter
from sample_layouts import Profile, styled_header
from sample_plan import SAMPLE_OUTCOMES
from sample_rows import Row, UnitRows, month_key

from hcpvnd_utils.ingest.legacy import encode_cp1258
from hcpvnd_utils.periods import short_date
from hcpvnd_utils.records import EVENTS, LETTER

EXPORT_NAME = re.compile(r"^(khai_sinh|ket_hon|khai_tu)_\d{4}-(\d{2}|Q[1-4])\.(xlsx|csv)$")

DATE_FIELDS = {"reg_date", "child_dob", "husband_dob", "wife_dob", "deceased_dob", "death_date"}
PID_FIELDS = {"child_pid", "husband_pid", "wife_pid", "deceased_pid"}
NAME_FIELDS = {
    "child_full_name", "mother_full_name", "father_full_name", "declarant_full_name",
    "husband_full_name", "wife_full_name", "deceased_full_name",
}  # fmt: skip
EVENT_SHORT = {"khai_sinh": "KS", "ket_hon": "KH", "khai_tu": "KT"}
EVENT_UPPER = {"khai_sinh": "KHAI SINH", "ket_hon": "KẾT HÔN", "khai_tu": "KHAI TỬ"}


@dataclass
class Grid:
    """The cells of one sheet, top to bottom; rows and columns count from 1 as in Excel."""

    width: int
    cells: list = field(default_factory=list)
    kinds: list = field(default_factory=list)  # title, heading, header, data, footer, sign, blank
    merges: list = field(default_factory=list)  # (row1, col1, row2, col2)

    def add(self, kind: str, values=(), at: int = 1) -> int:
        row = [None] * self.width
        for offset, value in enumerate(values):
            row[at - 1 + offset] = value
        self.cells.append(row)
        self.kinds.append(kind)
        return len(self.cells)


class SheetMaker:
    """Turns a month of rows into a grid the way this unit's clerk exports it."""

    def __init__(self, unit, profile: Profile, clerk: str):
        self.unit, self.profile, self.clerk = unit, profile, clerk

    def grid(self, event: str, period: tuple[date, date], rows: list[Row]) -> tuple[Grid, dict]:
        layout = self.profile.layout(event)
        grid = Grid(len(layout))
        self.titles(grid, event, period)
        header_rows = self.headers(grid, [header for _, header in layout])
        specials, families = [], {}
        for seq, row in enumerate(rows, 1):
            at = grid.add("data", [self.cell(row, name, seq) for name, _ in layout])
            if row.family:
                families.setdefault(row.family, []).append(at)
            if row.reason or row.warning or row.outcome != LETTER:
                written = None if "reg_date" in row.broken else row.reg_date.isoformat()
                specials.append({"row": at, "outcome": row.outcome, "reason": row.reason,
                                 "warning": row.warning, "reg_date": written,
                                 "variant": row.variant, "family": row.family})  # fmt: skip
        for special in specials:  # the rows one letter is for (twins: both), by row number
            family = special.pop("family")
            if family:
                special["letter_rows"] = families[family]
        first = header_rows[-1] + 1
        self.footer(grid, len(rows))
        if self.profile.nfd:
            grid.cells = [[nfd(value) for value in line] for line in grid.cells]
        info = {"header_rows": header_rows, "data_rows": [first, first + len(rows) - 1],
                "specials": specials}  # fmt: skip
        return grid, info

    def titles(self, grid: Grid, event: str, period: tuple[date, date]) -> None:
        unit = f"{self.unit.type} {self.unit.name}".upper()
        if self.profile.titles == "official":
            right = max(grid.width - 5, 4)
            grid.add("title", ["ỦY BAN NHÂN DÂN"])
            grid.cells[-1][right - 1] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            grid.add("title", [unit])
            grid.cells[-1][right - 1] = "Độc lập - Tự do - Hạnh phúc"
        else:
            grid.add("title", [f"ỦY BAN NHÂN DÂN {unit}"])
        grid.add("blank")
        start, end = period
        for kind, text in (
            ("heading", f"DANH SÁCH ĐĂNG KÝ {EVENT_UPPER[event]}"),
            ("subtitle", f"Từ ngày {short_date(start)} đến ngày {short_date(end)}"),
        ):
            at = grid.add(kind, [text])
            grid.merges.append((at, 1, at, grid.width))
        grid.add("blank")

    def headers(self, grid: Grid, headers: list) -> list[int]:
        def style(text):
            return styled_header(text, self.profile.headers) if text else None

        if not any(isinstance(h, tuple) for h in headers):
            return [grid.add("header", [style(h) for h in headers])]
        top = grid.add("header", [style(h[0] if isinstance(h, tuple) else h) for h in headers])
        bottom = grid.add(
            "header", [style(h[1]) if isinstance(h, tuple) else None for h in headers]
        )
        col = 0
        while col < len(headers):
            span = 1
            if isinstance(headers[col], tuple):
                group = headers[col][0]
                while col + span < len(headers) and headers[col + span][0] == group:
                    grid.cells[top - 1][col + span] = None
                    span += 1
                if span > 1:
                    grid.merges.append((top, col + 1, top, col + span))
            else:
                grid.merges.append((top, col + 1, bottom, col + 1))
            col += span
        return [top, bottom]

    def footer(self, grid: Grid, count: int) -> None:
        at = grid.add("footer", [f"Tổng cộng: {count:02d} trường hợp"])
        grid.merges.append((at, 1, at, min(4, grid.width)))
        grid.add("blank")
        sign = max(2, grid.width - 3)
        grid.add("sign", ["Người lập biểu"], at=sign)
        grid.add("blank")
        grid.add("blank")
        grid.add("sign", [self.clerk], at=sign)

    def cell(self, row: Row, name: str, seq: int):
        if name == "record_seq":
            return seq
        if name in row.broken:
            return row.broken[name]
        if name == "deceased_birth_year":
            born = row.values.get("deceased_dob")
            return born.year if isinstance(born, date) else born
        value = row.values.get(name)
        if value in (None, ""):
            return None
        if name == "death_date" and self.profile.death_date:
            return self.death_text(value, row.values.get("death_time"))
        if isinstance(value, date):
            return self.date_cell(value)
        if name in NAME_FIELDS:
            return self.name_case(value, row)
        return value

    def date_cell(self, day: date):
        if self.profile.dates == "slash":
            return short_date(day)
        if self.profile.dates == "dash":
            return f"{day:%d-%m-%Y}"
        return day

    def death_text(self, day: date, time) -> str:
        """'ngày 05 tháng 9 năm 2024', or '14 giờ 30 phút, ngày 05/9/2024' (hour if known)."""
        if self.profile.death_date == "words":
            month = f"{day.month:02d}" if day.month < 3 else str(day.month)
            return f"ngày {day.day:02d} tháng {month} năm {day.year}"
        when = f"ngày {short_date(day)}"
        return f"{time[0]:02d} giờ {time[1]:02d} phút, {when}" if time else when

    def name_case(self, value: str, row: Row) -> str:
        if self.profile.names == "upper":
            return value.upper()
        if self.profile.names == "some_lower" and row.values["reg_no"] * 37 % 100 < 15:
            return value.lower()
        return value


def nfd(value):
    return unicodedata.normalize("NFD", value) if isinstance(value, str) else value


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = {"record_seq": 5, "reg_no": 7, "reg_book": 9, "child_sex": 7, "deceased_sex": 7,
          "declarant_sex": 7, "note": 18, "reg_kind": 11}  # fmt: skip


def column_width(name: str) -> float:
    if name in WIDTHS:
        return WIDTHS[name]
    if name.endswith("residence") or name in ("birth_place", "hometown", "death_place"):
        return 40
    if name.endswith("full_name"):
        return 24
    if name in DATE_FIELDS or name.endswith(("_pid", "_code")):
        return 15 if name.endswith("_pid") else 12
    return 11


FONTS = {
    kind: Font(name="Times New Roman", size=14 if kind == "heading" else 12, bold=bold, italic=italic)
    for kind, bold, italic in (
        ("title", True, False), ("heading", True, False), ("subtitle", False, True),
        ("header", True, False), ("data", False, False), ("footer", True, False),
        ("sign", True, False),
    )
}  # fmt: skip
CENTRED = Alignment(horizontal="center")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def fill_sheet(ws, grid: Grid, layout: list) -> None:
    styles = {}  # (row kind, number format) -> style, set once and copied (as copy_worksheet)
    for r, (kind, values) in enumerate(zip(grid.kinds, grid.cells), 1):
        for c, value in enumerate(values, 1):
            if value is None and kind not in ("header", "data"):
                continue
            cell = ws.cell(r, c, value)
            number_format = data_format(layout[c - 1][0], value) if kind == "data" else "General"
            key = (kind, number_format)
            if key not in styles:
                style_cell(cell, kind, number_format)
                styles[key] = copy(cell._style)
            cell._style = copy(styles[key])
    for r1, c1, r2, c2 in grid.merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for c, (name, _) in enumerate(layout, 1):
        ws.column_dimensions[get_column_letter(c)].width = column_width(name)


def style_cell(cell, kind: str, number_format: str) -> None:
    if kind in FONTS:
        cell.font = FONTS[kind]
    if kind in ("heading", "subtitle", "sign"):
        cell.alignment = CENTRED
    if kind == "header":
        cell.alignment = HEADER_ALIGNMENT
    if kind in ("header", "data"):
        cell.border = BOX
    cell.number_format = number_format


def data_format(name: str, value) -> str:
    if isinstance(value, date):
        return "dd/mm/yyyy"
    if name in PID_FIELDS:
        return "0" if isinstance(value, int) else "@"
    return "General"


def save_xlsx(workbook: Workbook, path: Path, stamp: datetime) -> None:
    """Save with the document dates and every zip entry's date fixed, so bytes repeat."""
    workbook.properties.creator = "hcpvnd - dữ liệu mẫu"
    workbook.properties.created = workbook.properties.modified = stamp
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    path.write_bytes(fixed.getvalue())


def csv_bytes(grid: Grid, delimiter: str, encoding: str) -> bytes:
    """As Excel saves a sheet: every line as wide as the table, CRLF, dates as shown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for values in grid.cells:
        writer.writerow(["" if v is None else f"{v:%d/%m/%Y}" if isinstance(v, date) else v
                         for v in values])  # fmt: skip
    text = buffer.getvalue()
    return encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


class UnitWriter:
    """Writes one unit's folder: a file per event and month (or quarter), .xlsx or .csv."""

    def __init__(self, sample: UnitRows, clerk: str):
        self.sample, self.profile = sample, sample.profile
        self.maker = SheetMaker(sample.unit, sample.profile, clerk)

    def write(self, folder: Path, rows: dict[str, list[Row]]) -> list[dict]:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if EXPORT_NAME.match(old.name):
                old.unlink()
        entries = []
        for event in EVENTS:
            by_month = defaultdict(list)
            for row in sorted(rows[event], key=lambda r: r.order):
                by_month[row.month].append(row)
            for name, months in self.files(event):
                entries += self.write_file(folder / name, event, months, by_month)
        return entries

    def files(self, event: str) -> list[tuple[str, list[date]]]:
        if self.profile.grouping == "quarter":
            quarters = defaultdict(list)
            for month in self.sample.months:
                quarters[f"{month.year}-Q{(month.month - 1) // 3 + 1}"].append(month)
            return [(f"{event}_{key}.xlsx", months) for key, months in quarters.items()]
        files = []
        for month in self.sample.months:
            ext = "csv" if month_key(month) in self.profile.csv_months else "xlsx"
            files.append((f"{event}_{month_key(month)}.{ext}", [month]))
        return files

    def write_file(self, path: Path, event: str, months: list[date], by_month) -> list[dict]:
        sheets = []
        for month in months:
            period = self.sample.file_period(month)
            grid, info = self.maker.grid(event, period, by_month[month_key(month)])
            name = self.profile.sheet.format(short=EVENT_SHORT[event], m=month.month)
            sheets.append((name, grid, info, month, period, by_month[month_key(month)]))
        stamp = datetime.combine(sheets[-1][4][1] + timedelta(days=1), datetime.min.time())
        stamp = stamp.replace(hour=8, minute=30)
        if path.suffix == ".csv":
            if any(isinstance(h, tuple) for _, h in self.profile.layout(event)):
                raise ValueError(f"{path.name}: a CSV export cannot keep a two-row header")
            grid = sheets[0][1]
            path.write_bytes(csv_bytes(grid, self.profile.csv_delimiter, self.profile.csv_encoding))
        else:
            workbook = Workbook()
            workbook.remove(workbook.active)
            for name, grid, *_ in sheets:
                fill_sheet(workbook.create_sheet(name), grid, self.profile.layout(event))
            save_xlsx(workbook, path, stamp)
        return [self.entry(path, event, *sheet) for sheet in sheets]

    def entry(self, path, event, sheet, grid, info, month, period, rows) -> dict:
        outcomes = {name: 0 for name in SAMPLE_OUTCOMES}
        for row in rows:
            outcomes[row.outcome] += 1
        return {
            "file": path.name,
            "sheet": "" if path.suffix == ".csv" else sheet,
            "event": event,
            "month": month_key(month),
            "stated_period": [period[0].isoformat(), period[1].isoformat()],
            "encoding": self.csv_encoding_label() if path.suffix == ".csv" else "",
            **info,
            "rows": len(rows),
            "outcomes": outcomes,
        }

    def csv_encoding_label(self) -> str:
        return f"{self.profile.csv_encoding}; delimiter {self.profile.csv_delimiter}"
