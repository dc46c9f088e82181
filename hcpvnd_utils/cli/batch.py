"""``hcpvnd batch``: every unit of a period through the per-unit notebook, then the reports."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..periods import parse_period
from .common import PERIOD_HELP, io_options, places
from .progress import Progress

if TYPE_CHECKING:
    from ..runs.period import PeriodResult


def add_parsers(sub) -> None:
    p = sub.add_parser("batch", help="làm thư cho mọi đơn vị trong một kỳ")
    p.add_argument("--period", required=True, help=PERIOD_HELP)
    p.add_argument("--units", default="all", help="all hoặc danh sách mã, cách nhau dấu phẩy")
    p.add_argument("--jobs", type=int, help="số lượt chạy song song (mặc định: số lõi CPU)")
    io_options(p)
    p.add_argument("--rerun-failed", action="store_true", help="chỉ chạy lại các đơn vị bị lỗi")
    p.set_defaults(run=batch_command)


def batch_command(args) -> int:
    from ..runs.period import run_period

    where = places(args)
    units = None if args.units in ("all", "", None) else [u.strip() for u in args.units.split(",")]
    result = run_period(
        parse_period(args.period), inputs=where.inputs, outputs=where.outputs,
        ledger=where.ledger, units=units, jobs=args.jobs, rerun_failed=args.rerun_failed,
        progress=Progress(),
    )  # fmt: skip
    print_period(result)
    return result.exit_code


def print_period(result: PeriodResult) -> None:
    """The batch's outcome, then each report's headline, notices and PDF (as ``hcpvnd report``
    shows them), then the PDF conversion's messages."""
    print(result.batch.report())
    if result.held:
        print("Chưa làm báo cáo của kỳ: còn đơn vị bị lỗi.")
        return
    for notice in result.waiting:
        print(f"\n{notice}")
    for run in result.reports:
        if not run.ok:
            print(run.error, file=sys.stderr)
            continue
        print("\n" + "\n".join(run.lines()))
    if result.pdf_notices:
        print("\n" + "\n".join(result.pdf_notices))
