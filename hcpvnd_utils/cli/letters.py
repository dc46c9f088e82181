"""``hcpvnd letters`` (one unit, one period, through the per-unit notebook) and ``hcpvnd
finalize`` (the period's letters marked printed and sent)."""

from __future__ import annotations

import sys

from .. import layout, messages
from ..config import load_units
from ..ledger.book import Ledger
from ..ledger.guard import rebuild_args, require_ledger
from ..periods import parse_period, short_date
from ..records import letters_in
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
    p = sub.add_parser("finalize", help="chốt các thư đã in: --regenerate không làm lại nữa")
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
    summary = _print_unit_summary(folder, f"Đơn vị {unit.name}, {period.vietnamese()}")
    for line in run_notes(unit, period, summary, where):
        print(line)
    _print_notices(where, unit, period)
    if args.pdf:
        _preview_print_files(folder)
    return 0


def run_notes(unit, period, summary: dict, where) -> list[str]:
    """What a clerk needs after a run that made nothing new: the unit had not started yet, or
    the letters were made by an earlier run, and where they are."""
    from ..messages import render
    from ..validate.scope import sending_period

    notes = []
    start = unit.rollout.letters_start
    if start is None:
        notes.append(render("I-RUN-02", name=_title(unit.full_name)))
    elif sending_period(unit, period).start > period.end:
        notes.append(render("I-RUN-01", name=_title(unit.full_name), start=short_date(start),
                            period=f"kỳ {period.vietnamese()}"))  # fmt: skip
    counts = summary.get("counts", {})
    earlier = sum(c.get("already_sent", 0) for c in counts.values())
    if earlier and not summary.get("letters"):
        notes += _where_earlier_letters(unit, period, where)
    return notes


def _where_earlier_letters(unit, period, where) -> list[str]:
    """The folders holding the period's letters made by earlier runs, with how many in each."""
    if not where.ledger.is_file():
        return []
    with Ledger(where.ledger) as book:
        rows = book.letters_for(unit, period)
    folders: dict[layout.UnitFolder, int] = {}
    for row in rows:
        folder = layout.UnitFolder.of_file(where.outputs, row["file"])
        folders[folder] = folders.get(folder, 0) + 1
    lines = ["Không có thư mới: các thư của kỳ này đã được làm ở lần chạy trước, nằm ở:"]
    for folder, count in sorted(folders.items(), key=lambda item: item[0].prefix):
        delivery = folder.delivery_sheet
        sheet = f" và sổ giao thư {delivery.name}" if delivery.is_file() else ""
        lines.append(f"  {folder.path} ({count} thư; tệp in ban_in_*.docx{sheet} trong thư mục đó)")
    return lines if folders else []


def warning_count(workbook, code: str) -> int:
    """How many rows of the workbook's “Cảnh báo” sheet carry ``code``."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(workbook, read_only=True)
    except (OSError, ValueError, KeyError):
        return 0
    try:
        sheet = book["Cảnh báo"] if "Cảnh báo" in book.sheetnames else None
        rows = sheet.iter_rows(min_row=2, values_only=True) if sheet is not None else []
        return sum(1 for row in rows if code in row)
    finally:
        book.close()


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def _preview_print_files(folder: layout.UnitFolder) -> None:
    """The print files as PDFs next to them, in one LibreOffice call, to check before printing."""
    from ..messages import render
    from ..pdf import convert

    files = folder.print_files()
    if not files:  # the letters were made in another run's folder: say so, not nothing
        print(render("I-PDF-01", folder=folder.path))
        return
    result = convert(files)
    for line in result.messages:
        print(line)
    for pdf in result.pdfs.values():
        print(f"Bản xem trước PDF: {pdf}")


def _print_unit_summary(folder: layout.UnitFolder, title: str) -> dict:
    summary = read_json(folder.summary) or {}
    print(accounting_table(summary.get("counts", {}), title).to_text())
    print(f"\nThư mới: {letters_in(summary.get('letters', []))}. Kết quả tại: {folder.path}")
    if folder.delivery_sheet.is_file():
        print(f"Sổ giao thư (điền khi trao thư, rồi nhập: hcpvnd delivery import <tệp>): "
              f"{folder.delivery_sheet}")  # fmt: skip
    if warning_count(folder.rejected, "W-DELIV-01"):
        print(messages.render("W-DELIV-02", file=folder.rejected))
    changed = warning_count(folder.rejected, "W-CHANGED-01")
    if changed:  # a letter that may carry a name the clerk has since corrected
        print(messages.render("W-CHANGED-02", count=changed, file=folder.rejected))
    unsure = warning_count(folder.rejected, "W-SEX-02")
    if unsure:
        print(messages.render("W-SEX-03", count=unsure, file=folder.rejected))
    return summary


def _print_notices(where, unit, period) -> None:
    """What the run found about letters beyond its rows: letters in no print file, a file the
    old naming gave to two registrations (``letters.notices``)."""
    from ..letters.notices import unit_notices

    with Ledger(where.ledger) as book:
        found = unit_notices(book, unit, period, where.outputs)
    for problem in found:
        print(problem.message)


def finalize_command(args) -> int:
    where = places(args)
    unit = load_units(where.units_file).unit(args.unit)
    period = parse_period(args.period)
    args = rebuild_args(where.outputs, where.ledger, where.inputs)
    require_ledger(where.ledger, where.outputs, args, unit, where.inputs)
    with Ledger(where.ledger) as book:
        count = book.mark_final(unit, period)
    print(f"Đã chốt {count} thư của {unit.full_name}, {period.vietnamese()}.")
    return 0
