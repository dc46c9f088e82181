"""Names and ID numbers for ``registrations(names=True)``: the registers are read again and each
row joined to the run's row by file, sheet and row number.

Neither summary.json nor the ledger keeps a name, so this is the only frame that reads the
registers. A register changed since the run (rows inserted, a row corrected) must not put a name
on the wrong row: a row whose event or registration number no longer matches gets no name, and a
note says how many.
"""

from __future__ import annotations

import pandas as pd

from ..ingest.files import read_unit
from . import columns as cols
from .sources import Scope

PEOPLE = [name for name in cols.NAME_COLUMNS if name != "message"]
_JOIN = ["unit", "file", "sheet", "row"]


def add_names(frame: pd.DataFrame, where: Scope) -> pd.DataFrame:
    """``frame`` (a registrations frame with the NAME_COLUMNS, empty) with the people's names and
    ID numbers filled from the registers as they are now."""
    if frame.empty:
        return frame
    read = pd.concat([_read_again(where, key) for key in frame["unit"].unique()], ignore_index=True)
    read = read.drop_duplicates(_JOIN)
    joined = frame.drop(columns=PEOPLE).astype({"unit": str})
    joined = joined.merge(read, on=_JOIN, how="left", suffixes=("", "_now"))
    moved = _moved(joined)
    joined.loc[moved, PEOPLE] = pd.NA
    for unit, count in joined[moved].groupby("unit").size().items():
        where.note("W-FRAMES-08", unit=where.config.unit(unit).full_name, count=count)
    joined = joined.set_axis(frame.index)[list(frame.columns)]
    return cols.typed(joined, {c: str(t) for c, t in frame.dtypes.items()}, where.units)


def _read_again(where: Scope, unit_key: str) -> pd.DataFrame:
    read = read_unit(where.inputs, str(unit_key))
    rows = [
        {
            "unit": str(unit_key), "file": r.file, "sheet": r.sheet, "row": r.row,
            "event_now": r.event, "number_now": r.registration_key()[2],
            **{name: _text(r.values.get(name)) for name in PEOPLE},
        }
        for r in read.records
    ]  # fmt: skip
    columns = [*_JOIN, "event_now", "number_now", *PEOPLE]
    found = pd.DataFrame.from_records(rows, columns=columns)
    return found.astype({"row": cols.INT, "file": cols.TEXT, "sheet": cols.TEXT})


def _moved(joined: pd.DataFrame) -> pd.Series:
    """Rows whose register row now holds another registration (or is gone)."""
    gone = joined["event_now"].isna()
    other_event = joined["event_now"].astype(str) != joined["event"].astype(str)
    known = joined["number"].notna() & (joined["number"] != "")
    other_number = known & (joined["number_now"].astype(str) != joined["number"].astype(str))
    return (gone | other_event | other_number).fillna(True)


def _text(value) -> str | None:
    return None if value is None else str(value)
