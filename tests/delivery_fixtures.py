"""Delivery sheets filled in as a clerk fills them: the real so_giao_thu.xlsx a letters run
wrote, opened with openpyxl (as Excel would open it), cells typed, saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from hcpvnd_utils.delivery.sheet import DATA_SHEET, HEADER_ROW
from hcpvnd_utils.delivery.vocabulary import COLUMNS

COLUMN = {c.key: i for i, c in enumerate(COLUMNS, start=1)}


def fill(path: Path, values, target: Path | None = None) -> Path:
    """Type into the sheet: ``values`` maps a data row (1 = the first letter) to {column key:
    value}, or is a function (row number, the row's reference) -> {column key: value} | None
    applied to every letter's row. Saved to ``target`` (default: in place)."""
    book = load_workbook(path)
    sheet = book[DATA_SHEET]
    rows = range(HEADER_ROW + 1, sheet.max_row + 1)
    for row in rows:
        number = row - HEADER_ROW
        if callable(values):
            typed = values(number, sheet.cell(row, COLUMN["reference"]).value)
        else:
            typed = values.get(number)
        for key, value in (typed or {}).items():
            sheet.cell(row, COLUMN[key]).value = value
    target = target or path
    book.save(target)
    return target


def everything_handed(day: date | None = None, response: str = "Tích cực"):
    """Every letter handed over on ``day`` (default today), by hand, by the justice officer."""
    day = day or date.today()
    return lambda number, reference: {
        "handed_on": day, "channel": "Trao tận tay", "role": "Cán bộ tư pháp – hộ tịch",
        "response": response if number % 5 else "Bình thường",
    }  # fmt: skip


def cell(path: Path, row: int, key: str):
    """A cell of a data row (1 = the first letter) as the file holds it."""
    sheet = load_workbook(path)[DATA_SHEET]
    return sheet.cell(HEADER_ROW + row, COLUMN[key]).value
