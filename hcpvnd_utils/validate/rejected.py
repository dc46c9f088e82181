"""rejected.xlsx: every row that gets no letter, with the reason, for the clerk to fix.

``write_rejected`` writes one unit's workbook (``hcpvnd letters``); ``write_check`` writes the
workbook of ``hcpvnd validate``, which may hold several units, so each row starts with its unit.
What needs the clerk comes first: the sheet “Cần sửa” holds only the rows with a data error and
the files that could not be read; “Không gửi thư” holds every row without a letter (those to fix
first, rows already sent last, so a rerun's many “already sent” rows never hide them); then
“Cảnh báo”. The full messages (with the cell values) belong here, under the protected outputs/
only. Every string goes in as data (``sheets``): a file, sheet or header named "=…" is never a
formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import sheets
from ..errors import Problem
from ..records import ALREADY_SENT, EVENT_TITLES, LETTER, OUTCOME_TITLES, REJECTED, Outcome
from ..safeio import atomic_write_bytes

HEADERS = ["Sự kiện", "Tệp", "Trang", "Dòng", "Cột", "Kết quả", "Mã", "Nội dung"]
WIDTHS = [12, 28, 10, 7, 22, 16, 16, 100]
WARNING_HEADERS = ["Tệp", "Trang", "Dòng", "Cột", "Mã", "Nội dung"]
WARNING_WIDTHS = WIDTHS[1:5] + WIDTHS[6:]
UNIT_HEADER, UNIT_WIDTH = "Đơn vị", 18


UNREADABLE = "Không đọc được"
TO_FIX = (OUTCOME_TITLES[REJECTED], UNREADABLE)  # outcome column of the rows that need the clerk
SENT = OUTCOME_TITLES[ALREADY_SENT]


def action_first(outcome: str) -> int:
    """Where a row without a letter goes in every list of them (rejected.xlsx, summary.json,
    the notebook's table), by its outcome (an ``Outcome.status``, ``UNREADABLE`` for a file not
    read): 0 the rows the clerk must fix, 1 the others, 2 those already sent. Sort by it, a
    stable sort: each group keeps the order of the files."""
    if outcome in (REJECTED, UNREADABLE, *TO_FIX):
        return 0
    return 2 if outcome in (ALREADY_SENT, SENT) else 1


def rejected_rows(outcomes: list[Outcome], file_problems: list[Problem]) -> list[list]:
    """Every row without a letter: those to fix first, those already sent last, each group in
    the order of the files."""
    rows = [_row("", p, UNREADABLE) for p in file_problems]
    rows += [
        _row(EVENT_TITLES.get(o.record.event, ""), o.problem, OUTCOME_TITLES[o.status])
        for o in outcomes
        if o.status != LETTER and o.problem is not None
    ]
    return sorted(rows, key=lambda row: action_first(row[5]))


def warning_rows(outcomes: list[Outcome], warnings: Iterable[Problem]) -> list[list]:
    found = [*warnings, *(w for o in outcomes for w in o.record.warnings)]
    return [[w.file, w.sheet, w.row, w.column, w.code, w.message] for w in found]


def _row(event: str, p: Problem, outcome: str) -> list:
    return [event, p.file, p.sheet, p.row, p.column, outcome, p.code, p.message]


def write_rejected(path: Path, outcomes, file_problems, warnings=()) -> Path:
    """Write the workbook (sheet “Không gửi thư”, and “Cảnh báo” for warnings)."""
    return _save(path, rejected_rows(outcomes, file_problems), warning_rows(outcomes, warnings))


def write_check(path: Path, parts: Iterable[tuple[str, list, list, list]]) -> Path:
    """The same workbook for several units: ``parts`` are (unit name, outcomes, file problems,
    warnings), and every row starts with its unit (two units may have files of one name)."""
    rejected, notes = [], []
    for unit, outcomes, file_problems, warnings in parts:
        rejected += [[unit, *row] for row in rejected_rows(outcomes, file_problems)]
        notes += [[unit, *row] for row in warning_rows(outcomes, warnings)]
    return _save(path, rejected, notes, with_unit=True)


def _to_fix(rows: list[list], with_unit: bool) -> list[list]:
    outcome = 6 if with_unit else 5
    return [row for row in rows if row[outcome] in TO_FIX]


def _save(path: Path, rejected: list[list], notes: list[list], with_unit=False) -> Path:
    buffer = io.BytesIO()  # saved in memory first: openpyxl's zip, cut short by a full disk,
    _workbook(rejected, notes, with_unit).save(buffer)  # would complain when collected
    return atomic_write_bytes(path, buffer.getvalue())


def _workbook(rejected: list[list], notes: list[list], with_unit: bool) -> Workbook:
    book = Workbook(write_only=True)  # streams: a 100,000-row export stays quick
    unit = ([UNIT_HEADER], [UNIT_WIDTH]) if with_unit else ([], [])
    _fill(book.create_sheet("Cần sửa"), unit[0] + HEADERS, _to_fix(rejected, with_unit),
          unit[1] + WIDTHS)  # fmt: skip
    _fill(book.create_sheet("Không gửi thư"), unit[0] + HEADERS, rejected, unit[1] + WIDTHS)
    _fill(book.create_sheet("Cảnh báo"), unit[0] + WARNING_HEADERS, notes, unit[1] + WARNING_WIDTHS)
    return book


def _fill(sheet, headers: list[str], rows: list[list], widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([sheets.cell(sheet, h, font=Font(bold=True)) for h in headers])
    # one styled cell for the message column, its value set per row: a write-only sheet writes
    # each row as it is appended, and a new styled cell per row costs a third of the time
    message = sheets.cell(sheet, None, alignment=Alignment(wrap_text=True, vertical="top"))
    for row in rows:
        sheets.put(message, row[-1])
        sheet.append([*sheets.row(sheet, row[:-1]), message])
