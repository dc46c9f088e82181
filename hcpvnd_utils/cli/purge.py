"""``hcpvnd purge --before DATE``: what would be deleted, a question, then the deletion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..ingest.dates import DateError, parse_date
from ..ledger.purge import PurgeError, PurgePlan, describe, execute, plan_purge
from ..textnorm import fold
from .common import io_options, places

YES = {"c", "co", "y", "yes", "dong y"}


def add_parsers(sub) -> None:
    p = sub.add_parser("purge", help="xóa thư và tệp in đã cũ (sổ theo dõi vẫn giữ số liệu)")
    p.add_argument("--before", required=True, help="xóa những gì làm trước ngày này (2025-01-01)")
    io_options(p, inputs=False)
    p.add_argument("--yes", action="store_true", help="không hỏi lại trước khi xóa")
    p.set_defaults(run=purge_command)


def purge_command(args) -> int:
    before = parse_before(args.before)
    where = places(args)
    plan = plan_purge(where.outputs, where.ledger, before)
    print(describe(plan))
    if plan.empty:
        return 0
    if not (args.yes or confirm(plan)):
        print("Không xóa gì.")
        return 1
    execute(plan)
    print(describe(plan, done=True))
    return 0


def confirm(plan: PurgePlan, input: Callable[[str], str] = input) -> bool:
    """Ask before deleting; only "có" (or c, y, yes) goes ahead. No answer means no."""
    try:
        answer = input("Xóa các tệp này? Gõ “có” để đồng ý, Enter để thôi: ")
    except EOFError:
        return False
    return fold(answer) in YES


def parse_before(text: str) -> date:
    """'2024-10-01' or '01/10/2024' (day first)."""
    try:
        value = parse_date(str(text))
    except DateError:
        value = None
    if not isinstance(value, date):
        raise PurgeError("E-PURGE-01", value=text)
    return value
