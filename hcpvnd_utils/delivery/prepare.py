"""The delivery sheet a letters run leaves beside its print files (``so_giao_thu.xlsx``): one row
per letter of the folder, written when the run made letters or when the folder has none yet.

A rerun keeps what was filled in: each letter's cells as the earlier sheet has them (as typed,
even what an import would refuse, so nothing a clerk wrote is lost), else what the ledger
records of its delivery. An earlier sheet that cannot be read is kept aside under another name,
never written over, and the run says so (W-DELIV-01).
"""

from __future__ import annotations

from datetime import date, datetime

from ..config import Unit
from ..errors import Problem
from ..layout import UnitFolder
from ..ledger.rows import letter_reference, reference_key
from ..periods import Period
from ..records import Record
from .reading import SheetProblem, read_sheet
from .sheet import SheetInfo, SheetLetter, write_sheet
from .vocabulary import CHANNEL, FILLED, RESPONSE, ROLE, text_of


def sheet_for_run(folder: UnitFolder, unit: Unit, period: Period, letters: list[tuple[Record, dict]],
                  book, *, made_any: bool) -> list[Problem]:  # fmt: skip
    """Write the folder's delivery sheet when due; ``letters``: (row, letter context) of every
    letter in the folder's print files. Returns the warnings to show."""
    target = folder.delivery_sheet
    if not letters or (target.exists() and not made_any):
        return []
    made = {(r["event"], r["book"], r["reg_no"]): r for r in book.letters_of(unit)}
    rows = [_sheet_letter(unit, record, context, made) for record, context in letters]
    kept, warnings = _filled_before(folder)
    recorded = _recorded(book, unit, made)
    filled = {row.reference: kept.get(row.reference) or recorded.get(row.reference, {})
              for row in rows}  # fmt: skip
    write_sheet(target, SheetInfo.of(unit, period), rows, filled)
    return warnings


def _sheet_letter(unit: Unit, record: Record, context: dict, made: dict) -> SheetLetter:
    key = record.registration_key()
    letter = made.get(key) or {}
    return SheetLetter(
        reference=letter_reference(unit.scheme, unit.code, *key),
        event=record.event,
        reg_no=str(record.get("reg_no", "")),
        reg_date=record.reg_date,
        recipient=str(context.get("kinh_gui", "")),
        address=str(context.get("dia_chi", "")),
        made_on=_day(letter.get("created_at")),
    )


def _filled_before(folder: UnitFolder) -> tuple[dict[str, dict], list[Problem]]:
    """What the earlier sheet has filled in, by reference; an unreadable one is kept aside."""
    target = folder.delivery_sheet
    if not target.exists():
        return {}, []
    try:
        earlier = read_sheet(target)
    except SheetProblem as exc:
        kept = folder.delivery_sheet_kept(datetime.now().strftime("%Y%m%d-%H%M%S"))
        target.replace(kept)
        detail = exc.fields.get("detail") or exc.code
        return {}, [Problem.make("W-DELIV-01", severity="warning", file=target.name,
                                 detail=detail, kept=kept)]  # fmt: skip
    filled = {}
    for row in earlier.rows:
        typed = row.values.get("reference")
        if typed is not None and not row.blank():
            filled.setdefault(reference_key(typed), {k: row.values.get(k) for k in FILLED})
    return filled, []


def _recorded(book, unit: Unit, made: dict) -> dict[str, dict]:
    """What the ledger records of the unit's deliveries, by reference, as the sheet shows it."""
    deliveries = book.deliveries_of(unit)
    found = {}
    for key, letter in made.items():
        row = deliveries.get(letter["letter_id"])
        if row is None:
            continue
        found[letter_reference(unit.scheme, unit.code, *key)] = {
            "handed_on": date.fromisoformat(row["handed_on"]),
            "channel": text_of(CHANNEL, row["channel"]) or None,
            "role": text_of(ROLE, row["role"]) or None,
            "response": text_of(RESPONSE, row["response"]) or None,
            "note": row["note"],
        }
    return found


def _day(moment) -> date | None:
    try:
        return datetime.fromisoformat(str(moment)).date()
    except (TypeError, ValueError):
        return None
