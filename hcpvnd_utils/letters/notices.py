"""What a unit's run tells the clerk about letters already made, beyond its own rows.

- ``W-PRINT-01``: letters of the unit recorded as made whose folder's print file is missing or
  older than them. A run killed after its letters and before its print file, then a run of
  another (overlapping) period, would otherwise leave them out of every print file without a
  word; the message gives the command that makes that print file.
- ``W-LEDGER-01``: in this run's folder, one letter file recorded for several registrations
  (the naming before ledger schema 2 could write a later letter over an earlier family's).

Counts, folders, numbers and commands only: never a name (letter files are named after people).
"""

from __future__ import annotations

from pathlib import Path

from .. import layout
from ..config import Unit
from ..errors import Problem
from ..layout import UnitFolder
from ..ledger.book import Ledger
from ..ledger.schema import PURGED
from ..periods import Period
from ..records import EVENT_TITLES

# What a run says of letters beyond its own rows, shown wherever a run's outcome is shown: the
# console of ``hcpvnd letters`` and of ``hcpvnd batch``, the per-unit notebook, rejected.xlsx.
CODES = ("W-LEDGER-01", "W-PRINT-01")


def unit_notices(book: Ledger, unit: Unit, period: Period, outputs: Path) -> list[Problem]:
    """Every notice of the unit as things stand (after its run): the letter files of the
    period's folder given to several registrations, the letters of any folder in no print file."""
    folder = layout.unit_folder(outputs, period.label, unit.key)
    found = [p for _, p in shared_letter_files(book, unit, period, folder)]
    return found + unprinted(book, unit, outputs)


def unprinted(book: Ledger, unit: Unit, outputs: Path) -> list[Problem]:
    """One W-PRINT-01 per folder and event whose print file misses letters on disk: every
    letter when there is no print file, else those made after it (a print file holds every
    letter of its folder as it was when it was written)."""
    groups: dict[tuple[str, str], set[Path]] = {}  # a letter for twins: one file, counted once
    for row in book.letters_of(unit):
        path = Path(outputs) / row["file"]
        if row["status"] == PURGED or not path.is_file():
            continue
        folder = layout.UnitFolder.of_file(outputs, row["file"])
        if path.parent.parent != folder.letters():  # not <period>/<unit>/letters/<event>/
            continue
        groups.setdefault((folder.period_label, row["event"]), set()).add(path)
    found = []
    for (label, event), letters in sorted(groups.items()):
        target = layout.unit_folder(outputs, label, unit.key).print_file(event)
        printed = target.stat().st_mtime_ns if target.is_file() else None
        missing = [p for p in letters if printed is None or p.stat().st_mtime_ns > printed]
        if not missing:
            continue
        found.append(
            Problem.make(
                "W-PRINT-01",
                severity="warning",
                count=len(missing),
                event_title=EVENT_TITLES[event].lower(),
                folder=target.parent,
                print_file=target.name,
                unit=unit.key,
                period_arg=label.replace("_", ".."),
            )  # fmt: skip
        )
    return found


def shared_letter_files(
    book: Ledger, unit: Unit, period: Period, folder: UnitFolder
) -> list[tuple[str, Problem]]:
    """(event, W-LEDGER-01) per letter file the ledger gives to more than one registration:
    that event's print file is made again, with every one of them."""
    return [
        (
            rows[0]["event"],
            Problem.make(
                "W-LEDGER-01",
                severity="warning",
                folder=folder.path,
                count=len(rows),
                event_title=EVENT_TITLES[rows[0]["event"]].lower(),
                numbers=", ".join(f"{r['reg_no']} quyển {r['book']}" for r in rows),
                unit=unit.key,
                period_arg=period.argument,
            ),
        )  # fmt: skip
        for rows in book.shared_files(unit, folder.prefix)
    ]
