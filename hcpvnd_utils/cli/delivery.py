"""``hcpvnd delivery import FILE... [--outputs DIR] [--ledger FILE] [--unit KEY] [--period P]``:
filled delivery sheets into the ledger (``delivery.importer``).

The console says, per file, what became of its rows, the refused rows by where they are and
their code (never what was typed: that is in ``so_giao_thu_loi.xlsx``), then, per unit, the
letters still waiting to be handed over after ``settings.delivery_days`` — references and days,
never a name. Exit 0: every row recorded or unchanged; 1: some rows refused; 2: a file refused
(or the units file, the ledger)."""

from __future__ import annotations

from pathlib import Path

from ..delivery.importer import FileImport, ImportResult, import_sheets
from ..messages import console_text, render
from ..records import EVENT_TITLES
from .common import PERIOD_HELP, UNIT_HELP, io_options, places

MAX_LINES = 50  # refused rows printed per file; the workbook has them all
MAX_WAITING = 30  # late letters printed per unit


def add_parsers(sub) -> None:
    p = sub.add_parser("delivery", help="sổ giao thư: ghi việc trao thư và phản ánh của gia đình")
    inner = p.add_subparsers(dest="action", required=True, metavar="VIỆC")
    importer = inner.add_parser(
        "import", help="nhập sổ giao thư đã điền (so_giao_thu.xlsx) vào sổ theo dõi thư"
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="TỆP",
                          help="các tệp so_giao_thu.xlsx đã điền")  # fmt: skip
    io_options(importer)
    importer.add_argument("--unit", help=f"chỉ nhận sổ của đơn vị này ({UNIT_HELP})")
    importer.add_argument("--period", help=f"chỉ nhận sổ của kỳ này ({PERIOD_HELP})")
    importer.set_defaults(run=import_command)


def import_command(args) -> int:
    where = places(args)
    result = import_sheets(args.files, inputs=where.inputs, outputs=where.outputs,
                           ledger=where.ledger, unit=args.unit, period=args.period)  # fmt: skip
    for each in result.files:
        _print_file(each)
    _print_waiting(result)
    return result.exit_code


def _print_file(each: FileImport) -> None:
    if each.refusal is not None:
        print(console_text(each.refusal))
        return
    print(render("I-DELIV-01", file=each.file, unit=each.unit.full_name, period=_period(each),
                 rows=each.rows, recorded=each.recorded, unchanged=each.unchanged,
                 waiting=each.waiting, rejected=each.rejected))  # fmt: skip
    for problem in each.problems[:MAX_LINES]:
        print(f"  {console_text(problem)}")
    if each.problems_file is not None:
        more = len(each.problems) - MAX_LINES
        lead = f"  … và {more} lý do khác. " if more > 0 else "  "
        print(f"{lead}Đủ các dòng bị loại và lý do: {each.problems_file}")


def _period(each: FileImport) -> str:
    from ..periods import parse_period

    return parse_period(each.period).vietnamese()


def _print_waiting(result: ImportResult) -> None:
    for key, late in result.waiting.items():
        if not late:
            continue
        unit = result.units[key]
        print(render("I-DELIV-02", unit=unit.full_name, count=len(late), days=result.delivery_days))
        for letter in late[:MAX_WAITING]:
            title = EVENT_TITLES.get(letter.event, letter.event)
            print(f"  {letter.reference}  {title.lower()}  {letter.days} ngày")
        if len(late) > MAX_WAITING:
            print(f"  … và {len(late) - MAX_WAITING} thư khác.")
