"""rejected.xlsx: every row that gets no letter, with the reason, for the clerk to fix."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .errors import Problem
from .records import EVENT_TITLES, LETTER, OUTCOME_TITLES, Outcome
from .safeio import atomic_write_bytes

HEADERS = ["Sự kiện", "Tệp", "Trang", "Dòng", "Cột", "Kết quả", "Mã", "Nội dung"]
WIDTHS = [12, 28, 10, 7, 22, 16, 16, 100]
WARNING_HEADERS = ["Tệp", "Trang", "Dòng", "Cột", "Mã", "Nội dung"]


def rejected_rows(outcomes: list[Outcome], file_problems: list[Problem]) -> list[list]:
    rows = [
        _row(EVENT_TITLES.get(o.record.event, ""), o.problem, OUTCOME_TITLES[o.status])
        for o in outcomes
        if o.status != LETTER and o.problem is not None
    ]
    rows += [_row("", p, "Không đọc được") for p in file_problems]
    return rows


def _row(event: str, p: Problem, outcome: str) -> list:
    return [event, p.file, p.sheet, p.row, p.column, outcome, p.code, p.message]


def write_rejected(path: Path, outcomes, file_problems, warnings=()) -> Path:
    """Write the workbook (sheet “Không gửi thư”, and “Cảnh báo” for warnings)."""
    buffer = io.BytesIO()  # saved in memory first: openpyxl's zip, cut short by a full disk,
    _workbook(outcomes, file_problems, warnings).save(buffer)  # would complain when collected
    return atomic_write_bytes(path, buffer.getvalue())


def _workbook(outcomes, file_problems, warnings) -> Workbook:
    book = Workbook(write_only=True)  # streams: a 100,000-row export stays quick
    sheet = book.create_sheet("Không gửi thư")
    _fill(sheet, HEADERS, rejected_rows(outcomes, file_problems), WIDTHS)
    notes = [[p.file, p.sheet, p.row, p.column, p.code, p.message] for p in warnings]
    notes += [
        [w.file, w.sheet, w.row, w.column, w.code, w.message]
        for o in outcomes
        for w in o.record.warnings
    ]
    _fill(book.create_sheet("Cảnh báo"), WARNING_HEADERS, notes, WIDTHS[1:5] + WIDTHS[6:])
    return book


def _fill(sheet, headers: list[str], rows: list[list], widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, h, Font(bold=True)) for h in headers])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([*row[:-1], _cell(sheet, row[-1], alignment=wrap)])


def _cell(sheet, value, font=None, alignment=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    return cell
