"""The letters still waiting to be handed over: made more than ``settings.delivery_days`` days
ago, with no delivery recorded (purged letters aside: nothing more is recorded for them). What
the unit's clerk is told after an import — references, days, never a name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..config import Unit
from ..ledger.rows import key_ref, letter_reference, row_key
from ..ledger.schema import PURGED


@dataclass(frozen=True)
class Waiting:
    reference: str
    event: str
    made_on: date
    days: int  # since the letter was made


def waiting_letters(book, unit: Unit, today: date, days: int) -> list[Waiting]:
    """The unit's letters not handed over ``days`` days after they were made, longest first:
    a letter for twins once (one file, a ledger row per registration), under the reference
    its delivery sheet prints (its first registration's)."""
    found = []
    for rows in _by_letter(book.letters_of(unit)).values():
        if any(r["status"] == PURGED or r["handed_on"] for r in rows):
            continue
        row = _named(rows)
        made = _day(row["created_at"])
        if made is None or (today - made).days <= days:
            continue
        reference = letter_reference(unit.scheme, unit.code, *row_key(row))
        found.append(Waiting(reference, row["event"], made, (today - made).days))
    return sorted(found, key=lambda w: (-w.days, w.reference))


def _by_letter(rows: list[dict]) -> dict[str, list[dict]]:
    letters: dict[str, list[dict]] = {}
    for row in rows:
        letters.setdefault(row["file"], []).append(row)
    return letters


def _named(rows: list[dict]) -> dict:
    """The row of the registration a letter is named after (its ``letter_ref``)."""
    return next((r for r in rows if key_ref(row_key(r)) == r["letter_ref"]), rows[0])


def _day(moment) -> date | None:
    try:
        return datetime.fromisoformat(str(moment)).date()
    except (TypeError, ValueError):
        return None
