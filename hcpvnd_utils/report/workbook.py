"""The report's tables as an .xlsx to copy into the province's forms: a sheet per table,
Vietnamese headers, numbers as numbers (not text) and dates as dates."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..periods import short_date
from ..safeio import atomic_write_bytes
from ..sheets import row as data_row
from .data import ReportData
from .handover import shows_delivery
from .tables import (
    delivery_rows,
    late_rows,
    monthly_rows,
    registrations_rows,
    results_rows,
    rollout_rows,
)

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def sheets(data: ReportData) -> list[tuple[str, str, tuple[list[str], list[list]]]]:
    """(sheet name, title, (headers, rows)) for every table of the report."""
    period, verb = data.period.vietnamese(), data.verb()
    found = [
        ("Thư theo đơn vị", f"Số thư đã {verb} theo đơn vị và loại thư, {period}",
         results_rows(data)),
        ("Đăng ký và thư", f"Số trường hợp đăng ký và số trường hợp đã {verb} thư, {period}",
         registrations_rows(data)),
        ("Thư theo tháng", f"Số thư theo tháng năm {data.period.end.year}", monthly_rows(data)),
        ("Tiến độ triển khai", f"Tiến độ triển khai mô hình, {data.issuer.area}",
         rollout_rows(data)),
    ]  # fmt: skip
    if shows_delivery(data):
        as_of = f" (sổ giao thư cập nhật đến ngày {short_date(data.delivery_as_of)})" if (
            data.delivery_as_of) else ""  # fmt: skip
        found += [
            ("Giao thư", f"Tình hình trao thư và phản ánh của gia đình, {period}{as_of}",
             delivery_rows(data)),
            ("Thư chưa trao", f"Thư chưa trao quá {data.delivery_days} ngày kể từ ngày làm thư,"
             f" {period}{as_of}", late_rows(data)),
        ]  # fmt: skip
    return found


def write_tables(data: ReportData, path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, title, (headers, rows) in sheets(data):
        _sheet(book.create_sheet(name), title, headers, rows)
    buffer = io.BytesIO()  # in memory first: see rejected.write_rejected
    book.save(buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def _sheet(sheet, title: str, headers: list[str], rows: list[list]) -> None:
    sheet.append(data_row(sheet, [title]))
    sheet["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    sheet.append([])
    sheet.append(data_row(sheet, headers))
    for row in rows:  # names come from units.yaml: strings go in as data, never formulas
        sheet.append(data_row(sheet, row))
    for cells in sheet.iter_rows(min_row=3, max_row=3 + len(rows)):
        for cell in cells:
            cell.border = BOX
            cell.font = Font(name="Times New Roman", size=12, bold=cell.row == 3)
            cell.alignment = Alignment(wrap_text=cell.row == 3, vertical="center")
            if cell.is_date:
                cell.number_format = "DD/MM/YYYY"
    if rows and rows[-1][1:2] == ["Tổng cộng"]:
        for cell in sheet[3 + len(rows)]:
            cell.font = Font(name="Times New Roman", size=12, bold=True)
    for index, header in enumerate(headers, start=1):
        longest = max(
            [len(str(header)) // 2 + 2, *(len(str(r[index - 1] or "")) + 2 for r in rows)]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 6), 40)
    sheet.freeze_panes = "A4"
