"""``hcpvnd validate``: the problems to fix, the warnings and the accounting, on the console.

The console is not protected like outputs/: it says where (unit, file, sheet, row, column), the
code and what to do, never what a cell holds (``messages.console_text``). The workbook written
by ``validate.check`` keeps the full messages.
"""

from __future__ import annotations

from pathlib import Path

from ..config import load_units
from ..ingest.files import MISSING_COLUMN
from ..messages import console_text, sheet_text
from ..periods import parse_period
from ..records import REJECTED
from ..tables import Table
from ..validate.accounting import accounting_table, units_accounting_table
from ..validate.check import Checked, check
from .common import PERIOD_HELP, io_options, places

MAX_LINES = 200  # problems printed; the workbook lists them all


def add_parsers(sub) -> None:
    p = sub.add_parser("validate", help="kiểm tra danh sách đăng ký, không làm thư")
    io_options(p)
    p.add_argument("--unit", help="mã đơn vị, ví dụ phuoc-quang (mặc định: tất cả)")
    p.add_argument("--period", help=PERIOD_HELP)
    p.add_argument("files", nargs="*", type=Path, metavar="TỆP", help="chỉ kiểm tra các tệp này")
    p.set_defaults(run=validate_command)


def validate_command(args) -> int:
    where = places(args)
    config = load_units(where.units_file)
    period = parse_period(args.period) if args.period else None
    result = check(
        config, where.inputs, where.outputs, unit=args.unit, period=period, files=args.files,
        ledger=where.ledger,
    )  # fmt: skip
    _print_problems(result.groups)
    _print_warnings(result.groups)
    _print_accounting(result.groups)
    print(f"Danh sách các dòng không gửi thư: {result.workbook}")
    return result.exit_code


def _print_accounting(checked: list[Checked]) -> None:
    if len(checked) == 1:
        only = checked[0]
        table = accounting_table(only.counts, only.label)
    else:
        per_unit = [(c.unit or c.label, c.counts) for c in checked]
        empty = sum(1 for _, counts in per_unit if not any(e["rows"] for e in counts.values()))
        title = f"{len(checked)} đơn vị" + (f" ({empty} đơn vị không có dòng nào)" if empty else "")
        table = units_accounting_table(per_unit, title)
    print(table.to_text(), end="\n\n")


def _print_warnings(checked: list[Checked]) -> None:
    """Warnings (an ID whose lost zero was restored, a legacy encoding converted): where, and
    the code, never the value."""
    rows = [
        [c.unit, w.code, w.file, w.sheet, w.row, w.column]
        for c in checked
        for w in [*c.read.warnings, *(w for o in c.outcomes for w in o.record.warnings)]
    ]
    if not rows:
        return
    title = f"Cảnh báo ({len(rows)}), đã tự xử lý nhưng nên kiểm tra (chi tiết trong tệp Excel):"
    headers = ["Đơn vị", "Mã", "Tệp", "Trang", "Dòng", "Cột"]
    print(Table(headers, rows[:MAX_LINES], title).to_text())
    if len(rows) > MAX_LINES:
        print(f"… và {len(rows) - MAX_LINES} cảnh báo khác: xem đủ trong tệp Excel kiểm tra.")
    print()


def _print_problems(checked: list[Checked]) -> None:
    """Each line says where (file, sheet, row, column), what, and what to do, without the cell's
    content. A column missing from a sheet is said once for the sheet, with its row count."""
    lines: dict[tuple, list] = {}  # key → [text, rows]; insertion order is the output order
    for c in checked:
        problems = [*c.read.file_problems]
        problems += [o.problem for o in c.outcomes if o.status == REJECTED and o.problem]
        for p in problems:
            if p.code == MISSING_COLUMN:
                key = (c.label, p.code, p.file, p.sheet)
                lines.setdefault(key, [sheet_text(p), 0])[1] += 1
            else:
                lines[(c.label, len(lines))] = [console_text(p), 0]
    if not lines:
        print("Không có lỗi dữ liệu.\n")
        return
    several = len(checked) > 1
    print(f"Lỗi dữ liệu cần sửa ({len(lines)}):")
    for (label, *_), (text, rows) in list(lines.items())[:MAX_LINES]:
        text = f"{text} ({rows} dòng)" if rows else text
        print(f"- {label}: {text}" if several else f"- {text}")
    if len(lines) > MAX_LINES:  # a 1,048,575-row export must not flood the console
        print(f"… và {len(lines) - MAX_LINES} lỗi khác: xem đủ trong tệp Excel kiểm tra.")
    print()
