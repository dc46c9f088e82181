"""``hcpvnd letters`` (one unit, one period, through the per-unit notebook) and ``hcpvnd
finalize`` (the period's letters marked printed and sent)."""

from __future__ import annotations

import sys

from .. import layout
from ..config import load_units
from ..ledger.book import Ledger
from ..ledger.guard import rebuild_args, require_ledger
from ..periods import parse_period
from ..safeio import read_json
from ..validate.accounting import accounting_table
from .common import UNIT_HELP, io_options, places


def add_parsers(sub) -> None:
    p = sub.add_parser("letters", help="làm thư cho một đơn vị trong một kỳ")
    p.add_argument("--unit", required=True, help=UNIT_HELP)
    p.add_argument("--period", required=True, help="kỳ: 2024-09, 2024-Q3, 2024 hoặc từ..đến")
    io_options(p)
    p.add_argument(
        "--regenerate", action="store_true", help="làm lại các thư chưa chốt đã làm trong kỳ này"
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="làm thêm bản PDF của các tệp in để xem trước (LibreOffice)",
    )
    p.set_defaults(run=letters_command)
    p = sub.add_parser("finalize", help="chốt các thư đã in, gửi: --regenerate không làm lại nữa")
    p.add_argument("--unit", required=True, help=UNIT_HELP)
    p.add_argument("--period", required=True, help="kỳ của các thư cần chốt")
    io_options(p)
    p.set_defaults(run=finalize_command)


def letters_command(args) -> int:
    from ..runs.notebook import run_unit_notebook

    where = places(args)
    unit = load_units(where.units_file).unit(args.unit)  # fails before any kernel
    period = parse_period(args.period)
    run = run_unit_notebook(
        args.unit, period, inputs=where.inputs, outputs=where.outputs, ledger=where.ledger,
        regenerate=args.regenerate,
    )  # fmt: skip
    if run.status != "ok":
        print(run.message, file=sys.stderr)
        return 2
    folder = layout.unit_folder(where.outputs, period.label, args.unit)
    _print_unit_summary(folder, f"Đơn vị {unit.name}, {period.vietnamese()}")
    _print_notices(where, unit, period, folder)
    if args.pdf:
        _preview_print_files(folder)
    return 0


def _preview_print_files(folder: layout.UnitFolder) -> None:
    """The print files as PDFs next to them, in one LibreOffice call, to check before printing."""
    from ..pdf import convert

    result = convert(folder.print_files())
    for line in result.messages:
        print(line)
    for pdf in result.pdfs.values():
        print(f"Bản xem trước PDF: {pdf}")


def _print_unit_summary(folder: layout.UnitFolder, title: str) -> None:
    summary = read_json(folder.summary) or {}
    print(accounting_table(summary.get("counts", {}), title).to_text())
    print(f"\nThư mới: {len(summary.get('letters', []))}. Kết quả tại: {folder.path}")


def _print_notices(where, unit, period, folder: layout.UnitFolder) -> None:
    """What the run found about letters beyond its rows: letters in no print file, a file the
    old naming gave to two registrations (``letters.notices``)."""
    from ..letters.notices import shared_letter_files, unprinted

    with Ledger(where.ledger) as book:
        found = [p for _, p in shared_letter_files(book, unit, period, folder)]
        found += unprinted(book, unit, where.outputs)
    for problem in found:
        print(problem.message)


def finalize_command(args) -> int:
    where = places(args)
    unit = load_units(where.units_file).unit(args.unit)
    period = parse_period(args.period)
    require_ledger(where.ledger, where.outputs, rebuild_args(where.outputs, where.ledger))
    with Ledger(where.ledger) as book:
        count = book.mark_final(unit, period)
    print(f"Đã chốt {count} thư của {unit.full_name}, {period.vietnamese()}.")
    return 0
