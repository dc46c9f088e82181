"""The delivery figures of a report (its section 5), from the letters frame (``frames.letters``,
which carries each letter's delivery): per unit and event, the letters made, printed (marked
final), handed over, still waiting and late, and the families' responses; and the list of late
letters for the units' clerks.

Counted in letters (sheets of paper: one letter for twins), as they are handed over.

"Late": not handed over although made more than ``days`` days (``settings.delivery_days``)
before ``as_of`` — the day the units' delivery sheets were last imported, so that the figures
change with the data, never with the calendar (an approved report stays approved until a sheet
says something new). Purged letters count as made; with no delivery recorded they are neither
waiting nor late (nothing can be recorded for them any more).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from ..ledger.schema import PURGED, RESPONSES
from ..records import EVENTS

NO_RESPONSE = "chua_ghi"  # handed over, no response written
COUNTS = ["letters", "printed", "handed", "waiting", "late", *RESPONSES, NO_RESPONSE]
LATE_COLUMNS = ["reference", "unit", "event", "made_on", "days"]


def as_of_day(checked: dict[str, str], units: list[str]) -> date | None:
    """The last day a delivery sheet of one of ``units`` was imported (None: never)."""
    moments = [checked[key] for key in units if key in checked]
    return datetime.fromisoformat(max(moments)).date() if moments else None


def delivery_frame(letters: pd.DataFrame, start: date, end: date, units: list[str],
                   as_of: date | None, days: int) -> pd.DataFrame:  # fmt: skip
    """One row per unit and event (every unit of ``units``, zeros included): COUNTS."""
    inside = _in_period(letters, start, end)
    flags = pd.DataFrame({"unit": inside["unit"].astype(str), "event": inside["event"].astype(str)})
    handed = inside["handed_on"].notna()
    flags["letters"] = 1
    flags["printed"] = inside["final_at"].notna().astype(int)
    flags["handed"] = handed.astype(int)
    flags["waiting"] = (~handed & (inside["status"] != PURGED)).astype(int)
    flags["late"] = (flags["waiting"].astype(bool) & _late(inside, as_of, days)).astype(int)
    for code in RESPONSES:
        flags[code] = (handed & (inside["response"] == code)).astype(int)
    flags[NO_RESPONSE] = (handed & inside["response"].isna()).astype(int)
    grid = pd.MultiIndex.from_product([units, list(EVENTS)], names=["unit", "event"])
    table = flags.groupby(["unit", "event"])[COUNTS].sum()
    return table.reindex(grid, fill_value=0).astype("int64").reset_index()


def late_letters(letters: pd.DataFrame, start: date, end: date, as_of: date | None,
                 days: int) -> pd.DataFrame:  # fmt: skip
    """The late letters (LATE_COLUMNS), longest wait first: references, never names."""
    inside = _in_period(letters, start, end)
    waiting = inside["handed_on"].isna() & (inside["status"] != PURGED)
    late = inside[waiting & _late(inside, as_of, days)]
    made = late["made_at"].dt.normalize()
    found = pd.DataFrame({
        "reference": late["reference"].astype(str), "unit": late["unit"].astype(str),
        "event": late["event"].astype(str), "made_on": made.dt.date,
        "days": (pd.Timestamp(as_of) - made).dt.days if as_of else pd.Series(dtype="int64"),
    })  # fmt: skip
    return found.sort_values(["days", "reference"], ascending=[False, True], ignore_index=True)


def _in_period(letters: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The letters of registrations dated in [start, end], one row per letter: a letter for
    twins has a row per registration (one ``letter_ref``) and is handed over once."""
    inside = letters[letters["reg_date"].between(pd.Timestamp(start), pd.Timestamp(end))]
    if "letter_ref" not in inside.columns:
        return inside
    ref = inside["letter_ref"].astype(object)
    several = ref.notna() & inside.assign(_ref=ref).duplicated(["unit", "_ref"])
    return inside[~several]


def _late(letters: pd.DataFrame, as_of: date | None, days: int) -> pd.Series:
    if as_of is None:
        return pd.Series(False, index=letters.index)
    waited = (pd.Timestamp(as_of) - letters["made_at"].dt.normalize()).dt.days
    return waited > days


__all__ = ["COUNTS", "NO_RESPONSE", "as_of_day", "delivery_frame", "late_letters"]
