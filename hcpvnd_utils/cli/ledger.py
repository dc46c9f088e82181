"""``hcpvnd ledger rebuild``: a lost, emptied or damaged ledger made again from the letters on
disk and the registers they were made from (``letters.rebuild``)."""

from __future__ import annotations

from ..letters.rebuild import rebuild
from ..messages import render
from .common import io_options, places


def add_parsers(sub) -> None:
    p = sub.add_parser("ledger", help="sổ theo dõi thư: dựng lại sổ từ các thư trên đĩa")
    inner = p.add_subparsers(dest="action", required=True, metavar="VIỆC")
    rebuild_parser = inner.add_parser(
        "rebuild", help="dựng lại sổ theo dõi thư đã mất hoặc hỏng từ các thư và danh sách"
    )
    io_options(rebuild_parser)
    rebuild_parser.set_defaults(run=rebuild_command)


def rebuild_command(args) -> int:
    """Exit 0: every letter on disk recorded; 1: some letter files matched nothing."""
    where = places(args)
    result = rebuild(where.inputs, where.outputs, where.ledger)
    units = set(result.letters) | set(result.purged)
    letters = sum(result.letters.values()) + sum(result.purged.values())
    print(render("I-LEDGER-01", path=result.ledger, letters=letters, units=len(units)))
    for unit in sorted(units):
        line = f"  {unit}: {result.letters[unit]} thư trên đĩa"
        if result.purged[unit]:
            line += f", {result.purged[unit]} thư đã xóa (ghi là đã gửi)"
        print(line)
    for folder, count in sorted(result.unmatched.items()):
        print(render("W-LEDGER-02", count=count, folder=folder))
    return 0 if result.complete else 1
