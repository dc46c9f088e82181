"""``hcpvnd report`` (a report's draft, through the report notebook) and ``hcpvnd approve``.

What ``report`` prints comes from the record the notebook writes of what it did (its table and
messages), never from the notebook's cells: renaming a cell changes nothing here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import load_units
from ..periods import parse_period
from ..tables import Table
from .common import PERIOD_HELP, io_options, places


def add_parsers(sub) -> None:
    p = sub.add_parser("report", help="báo cáo kết quả (bản dự thảo) cho huyện/tỉnh")
    p.add_argument("--period", required=True, help=PERIOD_HELP)
    p.add_argument("--unit", help="báo cáo riêng của một xã (mặc định: báo cáo của huyện)")
    p.add_argument(
        "--narrative",
        type=Path,
        help="tệp nhận định do chuyên viên viết (.docx, hoặc .yaml); mặc định: "
        "inputs/narratives/<kỳ>.docx (xem lệnh hcpvnd narrative new)",
    )
    p.add_argument(
        "--annex-unit-reports",
        action="store_true",
        help="kèm báo cáo đã duyệt của các xã vào phụ lục của báo cáo tổng hợp",
    )
    io_options(p)
    p.set_defaults(run=report_command)
    p = sub.add_parser("approve", help="ghi nhận lãnh đạo đã duyệt báo cáo, làm bản chính thức")
    p.add_argument("--period", required=True, help="kỳ của báo cáo")
    p.add_argument("--unit", help="mã xã, nếu là báo cáo riêng của xã")
    p.add_argument("--by", required=True, help="họ và tên người duyệt")
    p.add_argument(
        "--accept-warnings",
        action="store_true",
        help="vẫn duyệt khi bản dự thảo được lập lúc số liệu chưa đủ (được ghi vào bản ghi duyệt)",
    )
    io_options(p, ledger=False, inputs=False)
    p.set_defaults(run=approve_command)


def report_command(args) -> int:
    """Runs the report notebook, prints its table and messages. Exit 0 done, 1 done with
    something to look at (a warning, or figures changed after approval), 2 could not run."""
    from ..runs.reports import notebook_record, run_report_notebook

    where = places(args)
    config = load_units(where.units_file)
    if args.unit:
        config.unit(args.unit)  # a wrong unit fails before any kernel starts
    period = parse_period(args.period)
    narrative = Path(args.narrative).expanduser().resolve() if args.narrative else None
    execution, executed = run_report_notebook(
        period, unit=args.unit, inputs=where.inputs, outputs=where.outputs, ledger=where.ledger,
        narrative=narrative, annex_unit_reports=args.annex_unit_reports,
    )  # fmt: skip
    if execution.status != "ok":
        print(execution.message, file=sys.stderr)
        return 2
    record = notebook_record(executed) or {}
    table = record.get("table") or {}
    if table:
        print(Table(table["headers"], table["rows"], table.get("title", "")).to_text())
        print()
    messages = list(record.get("messages", []))
    messages += [f"Bản xem trước PDF: {pdf}" for pdf in record.get("pdfs", [])]
    if messages:
        print("\n".join(messages))
    print(f"\nBản đã chạy của sổ tay: {executed}")
    return 1 if any("[W-" in m for m in record.get("messages", [])) else 0


def approve_command(args) -> int:
    from ..review.approve import approve

    approval = approve(
        args.period, args.unit, args.by, args.outputs, accept_warnings=args.accept_warnings
    )
    print("\n".join(approval.messages))
    return 1 if any(m.startswith("[W-") for m in approval.messages) else 0
