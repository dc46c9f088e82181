"""The letters still waiting to be handed over: made more than ``settings.delivery_days`` days
ago, with no delivery recorded (purged letters aside: nothing more is recorded for them). What
the unit's clerk is told after an import — references, days, never a name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..config import Unit
from ..ledger.rows import letter_reference
from ..ledger.schema import PURGED


@dataclass(frozen=True)
class Waiting:
    reference: str
    event: str
    made_on: date
    days: int  # since the letter was made


def waiting_letters(book, unit: Unit, today: date, days: int) -> list[Waiting]:
    """The unit's letters not handed over ``days`` days after they were made, longest first."""
    found = []
    for row in book.letters_of(unit):
        if row["status"] == PURGED or row["handed_on"]:
            continue
        made = _day(row["created_at"])
        if made is None or (today - made).days <= days:
            continue
        reference = letter_reference(unit.scheme, unit.code, row["event"], row["book"],
                                     row["reg_no"])  # fmt: skip
        found.append(Waiting(reference, row["event"], made, (today - made).days))
    return sorted(found, key=lambda w: (-w.days, w.reference))


def _day(moment) -> date | None:
    try:
        return datetime.fromisoformat(str(moment)).date()
    except (TypeError, ValueError):
        return None
