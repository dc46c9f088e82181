"""``so_giao_thu_loi.xlsx``: the rows the last import of a delivery sheet refused, each with
where it is (file, sheet, row, column), its code and the full message — with what was typed,
which the console never shows. Beside the sheet, under outputs/; an import that refuses
nothing removes the earlier one, so the file always says what is still to fix."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import sheets
from ..errors import Problem
from ..layout import UnitFolder
from ..safeio import atomic_write_bytes, private_dir

HEADERS = ["Tệp", "Trang", "Dòng", "Cột", "Mã", "Nội dung"]
WIDTHS = [24, 14, 7, 22, 13, 100]


def write_problems(folder: UnitFolder, problems: list[Problem]) -> Path | None:
    """Write the workbook of refused rows (None, and no file, when there are none)."""
    target = folder.delivery_problems
    if not problems:
        target.unlink(missing_ok=True)
        return None
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cần sửa")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([sheets.cell(sheet, h, font=bold) for h in HEADERS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for p in problems:
        row = [p.file, p.sheet, p.row, p.column, p.code]
        sheet.append([*sheets.row(sheet, row), sheets.cell(sheet, p.message, alignment=wrap)])
    buffer = io.BytesIO()
    book.save(buffer)
    private_dir(folder.path, root=folder.outputs)
    return atomic_write_bytes(target, buffer.getvalue())
