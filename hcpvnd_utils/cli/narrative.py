"""``hcpvnd narrative new``: the Word file the analyst writes her part of a report in."""

from __future__ import annotations

from pathlib import Path

from .common import PERIOD_HELP


def add_parsers(sub) -> None:
    p = sub.add_parser("narrative", help="tệp nhận định (Word) của chuyên viên cho báo cáo")
    nsub = p.add_subparsers(dest="action", required=True, metavar="VIỆC")
    new = nsub.add_parser(
        "new", help="tạo tệp Word inputs/narratives/<kỳ>.docx để viết (không ghi đè tệp đã có)"
    )
    new.add_argument("--period", required=True, help=PERIOD_HELP)
    new.add_argument("--unit", help="báo cáo riêng của một xã (mặc định: báo cáo của huyện)")
    new.add_argument("--inputs", type=Path, help="thư mục dữ liệu (mặc định: inputs/)")
    new.set_defaults(run=narrative_new_command)


def narrative_new_command(args) -> int:
    """Exit 0: written, or already there (never overwritten); 2: the unit or period is wrong."""
    from ..report.skeleton import new_narrative

    done = new_narrative(args.period, args.unit, args.inputs)
    print("\n".join(done.messages))
    return 0
