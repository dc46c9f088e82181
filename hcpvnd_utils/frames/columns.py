"""The columns of each frame, their dtypes and their order: the contract analysts and outside
checks rely on. An empty frame has exactly these columns, so a period with nothing in it still
pivots, filters and plots without a KeyError."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..config import Unit
from ..ledger.schema import CHANNELS, LETTER_STATUSES, RESPONSES, ROLES
from ..records import EVENTS, OUTCOMES

DATE = "datetime64[ns]"
TEXT = "string"
INT = "Int64"  # a count or number that may be unknown (pandas' nullable integer)

REGISTRATIONS = {
    "unit": "category",
    "event": "category",
    "book": TEXT,
    "number": TEXT,
    "reg_date": DATE,
    "event_date": DATE,
    "outcome": "category",
    "code": TEXT,  # the reason a row got no letter (E-…, R-…); <NA> for a letter
    "column": TEXT,  # the column the reason is about, as written in the file
    "file": TEXT,  # the register export the row is in
    "sheet": TEXT,
    "row": INT,  # the row number Excel shows
}
# with names=True: the people of each event, as read from the registers, and the full message
NAME_COLUMNS = {
    "child_full_name": TEXT, "child_pid": TEXT, "mother_full_name": TEXT,
    "father_full_name": TEXT, "husband_full_name": TEXT, "husband_pid": TEXT,
    "wife_full_name": TEXT, "wife_pid": TEXT, "deceased_full_name": TEXT, "deceased_pid": TEXT,
    "declarant_full_name": TEXT, "message": TEXT,
}  # fmt: skip

LETTERS = {
    "unit": "category",
    "event": "category",
    "book": TEXT,
    "number": TEXT,
    "reg_date": DATE,
    "made_at": DATE,  # when the letter was (last) made, the machine's local time
    "days_to_letter": INT,  # days from the registration to the letter
    "status": "category",  # made, final (printed and sent), purged (file deleted, still sent)
    "run": INT,  # the ledger's run that made it
    "run_period": TEXT,  # that run's period label (2024-09, 2024-03-01_2024-05-31)
    "final_at": DATE,
    "purged_at": DATE,
    "letter_id": "int64",  # the ledger's ids: what later tables (delivery, feedback) join on
    "registration_id": "int64",
    # the letter itself: one ref for the registrations of one letter (twins: two rows, one
    # ref), and the template variant it was made with ('' the event's own; <NA> before #17)
    "letter_ref": TEXT,
    "variant": TEXT,
    "reference": TEXT,  # the letter's reference, as its delivery sheet prints it
    "handed_on": DATE,  # when it was handed over (NaT: no delivery recorded)
    "days_to_hand": INT,  # days from the letter to its handing over
    "channel": "category",  # how: tan_tay, qua_thon, buu_dien, khac
    "role": "category",  # by whom: tu_phap, lanh_dao, hoi_phu_nu, truong_thon, buu_dien, khac
    "response": "category",  # the family's: tich_cuc, binh_thuong, tieu_cuc, khong_y_kien
}

FIGURES = {
    "unit": "category",
    "event": "category",
    "unit_type": TEXT,  # "xã", "thị trấn"
    "unit_name": TEXT,  # "Phước Quang"
    "registrations": INT,  # <NA>: no run of exactly this period for the unit
    "letters": "int64",  # registrations with a letter ("trường hợp", as the dispatch counts)
    "shared_letters": "int64",  # letters each for several of them (twins, triplets)
    "shared_cases": "int64",  # the registrations those letters are for
    "coverage": "Float64",  # letters / registrations, %, one decimal (the report's figure)
    "rejected": INT,  # rows with a data error to fix
    "not_eligible": INT,  # rows outside the scheme (late, re-registration, child died)
    "pilot": "bool",
    "plan_issued": DATE,
    "launch": DATE,
    "letters_start": DATE,
    "implementing": "bool",  # sending letters by the period's last day
}


def categories(units: list[Unit]) -> dict[str, pd.CategoricalDtype]:
    """Units in the units file's order, events and outcomes in the order the report uses."""
    return {
        "unit": pd.CategoricalDtype([u.key for u in units], ordered=True),
        "event": pd.CategoricalDtype(list(EVENTS), ordered=True),
        "outcome": pd.CategoricalDtype(list(OUTCOMES), ordered=True),
        "status": pd.CategoricalDtype(list(LETTER_STATUSES), ordered=True),
        "channel": pd.CategoricalDtype(list(CHANNELS), ordered=True),
        "role": pd.CategoricalDtype(list(ROLES), ordered=True),
        "response": pd.CategoricalDtype(list(RESPONSES), ordered=True),
    }


def typed(frame: pd.DataFrame, spec: dict, units: list[Unit]) -> pd.DataFrame:
    """``frame`` with exactly the columns of ``spec`` (missing ones empty), in order, typed. A
    value of the wrong kind (a summary.json edited by hand) becomes an empty cell, never an
    exception: an unknown unit, event or outcome, a row number that is not a whole number."""
    cats = categories(units)
    columns = {}
    for name, kind in spec.items():
        values = frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)
        columns[name] = _as(values, cats.get(name, kind))
    return pd.DataFrame(columns, index=frame.index)


def _as(values: pd.Series, kind) -> pd.Series:
    if isinstance(kind, pd.CategoricalDtype):
        known = set(kind.categories)
        labels = [v if isinstance(v, str) and v in known else None for v in _objects(values)]
        return pd.Series(pd.Categorical(labels, dtype=kind), index=values.index)
    if kind == INT and not pd.api.types.is_integer_dtype(values):
        number = pd.to_numeric(values.astype(object), errors="coerce")
        return number.where(number == number.round()).astype(INT)
    if kind == DATE and not pd.api.types.is_datetime64_dtype(values):
        return dates(values)
    return values.astype(kind)


def empty(spec: dict, units: list[Unit]) -> pd.DataFrame:
    return typed(pd.DataFrame(index=pd.RangeIndex(0)), spec, units)


def dates(values: pd.Series) -> pd.Series:
    """ISO days ('2024-03-04') or ``date`` objects → datetime64; '', None and junk → NaT."""
    objects = _objects(values)
    text = [v if isinstance(v, str) else None for v in objects]
    found = pd.to_datetime(pd.Series(text, index=values.index, dtype=object), format="%Y-%m-%d",
                           errors="coerce")  # fmt: skip
    days = [pd.Timestamp(v) if isinstance(v, date) else pd.NaT for v in objects]
    return found.fillna(pd.Series(days, index=values.index, dtype=DATE)).astype(DATE)


def moments(values: pd.Series) -> pd.Series:
    """Moments as the ledger writes them ('2024-06-05T09:05:12+07:00') → datetime64 of the wall
    clock written (the machine's local time then); None → NaT."""
    text = [v[:19] if isinstance(v, str) else None for v in _objects(values)]
    return pd.to_datetime(pd.Series(text, index=values.index, dtype=object),
                          format="%Y-%m-%dT%H:%M:%S", errors="coerce").astype(DATE)  # fmt: skip


def numbers(values: pd.Series) -> pd.Series:
    """Registration numbers as the ledger keys them: "05" and "5" are the same number."""
    keyed = [_number(v) for v in _objects(values)]
    return pd.Series(keyed, index=values.index, dtype=object).astype(TEXT)


def _number(value):
    if not isinstance(value, str):
        return None if value is None or pd.isna(value) else str(value)
    text = value.strip()
    return str(int(text)) if text.isdigit() else text


def _objects(values: pd.Series):
    """The values as plain Python objects (iterating a pandas string array is ten times slower)."""
    return values.to_numpy(dtype=object, na_value=None)
