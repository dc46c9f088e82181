"""Building the frames from their sources (``sources``) with pandas: the rows the runs read, the
letters of the ledger, the report's figures and the letters by month.

The report builds its figures with the same functions (``report.data.collect``), so the
analyst's notebook and the report cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd

from .. import layout
from ..ledger.rows import letter_reference
from ..periods import Period
from ..records import COUNT_NAMES, EVENT_TITLES, EVENTS, LETTER, OUTCOME_TITLES, OUTCOMES
from ..rowsfile import MAX_LISTED, RowsFileError, read_rows
from . import columns as cols
from .sources import Scope, Summary, ledger_rows, summaries

# The outcome a reason code stands for, for the summaries of versions that did not write it
REASON_OUTCOMES = {
    "R-PERIOD": "out_of_period",
    "R-DUP": "duplicate",
    "R-OLD": "not_eligible",
    "R-KIND": "not_eligible",
    "R-LATE": "not_eligible",
    "R-CHILDDEATH": "not_eligible",
    "R-SENT": "already_sent",
}


def with_notes(frame: pd.DataFrame, where: Scope, **attrs) -> pd.DataFrame:
    """What a frame says of itself: its period, its units, and the notes on its sources."""
    frame.attrs.update(
        period=where.period.argument, units={u.key: u.name for u in where.units},
        notes=list(where.notes), **attrs,
    )  # fmt: skip
    return frame


# ---------------------------------------------------------------- registrations


def registrations_frame(where: Scope, extra: dict | None = None) -> pd.DataFrame:
    """``extra``: more columns of the summaries' entries to keep (``columns.NAME_COLUMNS``: the
    message; the names themselves are filled by ``names.add_names``, which the report never
    imports)."""
    found = summaries(where)
    parts = [part for part in (_summary_rows(s, where) for s in found) if len(part)]
    old = [s.unit.full_name for s in found if _old_format(s)]
    if old:
        where.note("W-FRAMES-05", period=where.period.vietnamese(), units=", ".join(old))
    raw = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    spec = {**cols.REGISTRATIONS, **(extra or {})}
    frame = cols.typed(raw, spec, where.units) if len(raw) else cols.empty(spec, where.units)
    return with_notes(frame, where)


def _summary_rows(summary: Summary, where: Scope) -> pd.DataFrame:
    """One row per register row the run read: from its rows file, which has every one; for a run
    of an older version, or a rows file that cannot be used, from the rows summary.json lists
    (a note then says exactly which rows are missing, and why)."""
    rows, why = _rows_file(summary)
    if rows is None:
        rows = _listed_rows(summary)
    _check_complete(rows, summary, where, why)
    if rows.empty:
        return rows
    rows["unit"] = summary.unit.key
    rows["reg_date"] = cols.dates(_column(rows, "registration_date"))
    rows["event_date"] = cols.dates(_column(rows, "event_date"))
    number = _column(rows, "number").astype(cols.TEXT)
    unknown = number.isna()  # an older summary: the number as written, keyed here
    if unknown.any():
        number = number.mask(unknown, cols.numbers(_column(rows, "registration_no")))
    rows["number"] = number
    return rows


def _rows_file(summary: Summary) -> tuple[pd.DataFrame | None, str]:
    """(every row the run read, ""), or (None, why it cannot be used; "" when there is none: a
    run of an older version)."""
    if not summary.rows_path.exists():
        return None, ""
    try:
        columns, rows = read_rows(summary.rows_path, summary.sha256)
    except RowsFileError as exc:
        return None, str(exc)
    return pd.DataFrame.from_records(rows, columns=columns), ""


def _listed_rows(summary: Summary) -> pd.DataFrame:
    """The rows summary.json lists: its letters, then its rows without a letter."""
    made = pd.DataFrame.from_records(summary.letters)
    others = pd.DataFrame.from_records(summary.rejected)
    if len(made):
        made = made.drop(columns=["file"], errors="ignore").rename(columns={"source_file": "file"})
        made["outcome"] = LETTER
    if len(others):
        others = others[_column(others, "event").isin(EVENTS)].copy()  # a file's problem: no row
        if "outcome" not in others:
            others["outcome"] = _column(others, "code").map(_outcome_of_code)
    return pd.concat([made, others], ignore_index=True)


def _check_complete(rows: pd.DataFrame, summary: Summary, where: Scope, why: str) -> None:
    """A note when the rows found are not the rows the run counted: what is missing and why
    (summary.json lists only the first rows without a letter, and there is no usable rows
    file), or that the file was edited by hand (W-FRAMES-07)."""
    listed, counted = len(rows), sum(c.get("rows", 0) for c in summary.counts.values())
    if listed == counted:
        return
    fields = dict(path=summary.path, key=summary.unit.key, period_arg=where.period.argument)
    from_file = summary.rows_path.exists() and not why
    if from_file or len(summary.rejected) < MAX_LISTED:  # not a list cut at MAX_LISTED
        where.note("W-FRAMES-07", listed=listed, counted=counted, **fields)
        return
    missing = _missing(rows, summary.counts)
    rejected = layout.unit_folder(where.outputs, where.period.label, summary.unit.key).rejected
    more = dict(unit=summary.unit.full_name, missing=_n(sum(missing.values())),
                counted=_n(counted), detail=_missing_text(missing), rejected=rejected)  # fmt: skip
    if why:
        where.note("W-FRAMES-11", rows_file=summary.rows_path, reason=why, **more, **fields)
    else:
        where.note("W-FRAMES-10", limit=_n(MAX_LISTED), rows_file=summary.rows_path, **more,
                   **fields)  # fmt: skip


def _missing(rows: pd.DataFrame, counts: dict) -> dict[tuple[str, str], int]:
    """(event, outcome) -> rows counted but not found, in the accounting's order."""
    found = Counter(zip(_column(rows, "event"), _column(rows, "outcome")))
    missing = {}
    for event in EVENTS:
        for outcome in OUTCOMES:
            count = counts.get(event, {}).get(COUNT_NAMES[outcome], 0) - found[(event, outcome)]
            if count > 0:
                missing[(event, outcome)] = count
    return missing


def _missing_text(missing: dict[tuple[str, str], int]) -> str:
    """'khai sinh: 1.998 dòng ngoài kỳ, 2 dòng lỗi dữ liệu; kết hôn: 5 dòng trùng'"""
    parts: dict[str, list[str]] = {}
    for (event, outcome), count in missing.items():
        parts.setdefault(event, []).append(f"{_n(count)} dòng {OUTCOME_TITLES[outcome].lower()}")
    return "; ".join(f"{EVENT_TITLES[e].lower()}: {', '.join(p)}" for e, p in parts.items())


def _n(number: int) -> str:
    return f"{int(number):,}".replace(",", ".")


def _old_format(summary: Summary) -> bool:
    """Written before the entries said their outcome, book and source row (before issue 15)."""
    letter = summary.letters[0] if summary.letters else {}
    other = summary.rejected[0] if summary.rejected else {}
    return (bool(letter) and "source_file" not in letter) or (
        bool(other) and "outcome" not in other
    )


def _column(rows: pd.DataFrame, name: str) -> pd.Series:
    return rows[name] if name in rows else pd.Series(pd.NA, index=rows.index, dtype="object")


def _outcome_of_code(code) -> str | None:
    text = str(code or "")
    if text.startswith("E-"):
        return "rejected"
    return REASON_OUTCOMES.get("-".join(text.split("-")[:2]))


# ---------------------------------------------------------------- letters


def letters_frame(where: Scope, start: date | None = None, end: date | None = None):
    """The ledger's letters of the units whose registration is dated in [start, end] (default:
    the period)."""
    start, end = start or where.period.start, end or where.period.end
    found = ledger_rows(where, start, end)
    raw = pd.DataFrame.from_records(found.rows, columns=found.columns)
    if raw.empty:
        if found.found:
            where.note("I-FRAMES-01", path=where.ledger, period=Period(start, end, "").vietnamese())
        empty = cols.empty(cols.LETTERS, where.units)
        return with_notes(empty, where, ledger_found=found.found,
                          delivery_checked=_checked(found, where))  # fmt: skip
    raw["unit"] = _unit_keys(raw, where)
    raw = raw[raw["unit"].notna()]
    raw["reg_date"] = cols.dates(raw["reg_date"])
    for name in ("made_at", "final_at", "purged_at"):
        raw[name] = cols.moments(raw[name])
    raw["reference"] = [letter_reference(*key) for key in zip(
        raw["scheme"], raw["unit_code"], raw["event"], raw["book"], raw["number"])]  # fmt: skip
    raw["number"] = raw["number"].astype(cols.TEXT)  # keyed already ("05" is "5" in the ledger)
    raw["days_to_letter"] = (raw["made_at"].dt.normalize() - raw["reg_date"]).dt.days
    raw["handed_on"] = cols.dates(raw["handed_on"])
    raw["days_to_hand"] = (raw["handed_on"] - raw["made_at"].dt.normalize()).dt.days
    frame = cols.typed(raw.reset_index(drop=True), cols.LETTERS, where.units)
    return with_notes(frame, where, ledger_found=True, delivery_checked=_checked(found, where))


def _checked(found, where: Scope) -> dict[str, str]:
    """unit key -> when a delivery sheet of the unit was last imported (ISO), for the units
    asked for that ever imported one."""
    return {u.key: found.checked[(u.scheme, u.code)] for u in where.units
            if (u.scheme, u.code) in found.checked}  # fmt: skip


def _unit_keys(raw: pd.DataFrame, where: Scope) -> pd.Series:
    """The units file's key of each letter's unit (scheme and code: a key can be renamed, a code
    is reused by another scheme); None for units not asked for."""
    ident = raw["scheme"].astype(str) + ":" + raw["unit_code"].astype(str)
    wanted = {f"{u.scheme}:{u.code}": u.key for u in where.units}
    known = {f"{u.scheme}:{u.code}" for u in where.config.units.values()}
    strangers = int((~ident.isin(known)).sum())
    if strangers:
        where.note("W-FRAMES-06", count=strangers, path=where.ledger, units_file=where.config.path)
    return ident.map(wanted)


# ---------------------------------------------------------------- figures and months


def figures_frame(where: Scope, letters: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit and event: the report's table (registrations, letters, coverage, the
    reasons some got none) with the unit's rollout."""
    if letters is None:
        letters = letters_frame(where)
    in_period = letters[letters["reg_date"].between(_ts(where.period.start), _ts(where.period.end))]
    grid = pd.MultiIndex.from_product(
        [[u.key for u in where.units], EVENTS], names=["unit", "event"]
    )
    sent = in_period.groupby(["unit", "event"], observed=False).size()
    frame = pd.DataFrame(index=grid)
    frame["letters"] = sent.reindex(grid, fill_value=0).astype("int64").to_numpy()
    letters_for_several, cases = _shared(in_period)
    frame["shared_letters"] = letters_for_several.reindex(grid, fill_value=0).to_numpy()
    frame["shared_cases"] = cases.reindex(grid, fill_value=0).to_numpy()
    frame = frame.join(_summary_figures(where, grid))
    frame["coverage"] = [
        _coverage(n, of) for n, of in zip(frame["letters"], frame["registrations"])
    ]
    frame = frame.reset_index().merge(_rollout(where), on="unit", how="left")
    return with_notes(cols.typed(frame, cols.FIGURES, where.units), where,
                      target_date=_target(where), target_share=_share(where))  # fmt: skip


def _shared(letters: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per unit and event, the letters each for several registrations (one ref, several rows),
    and how many registrations they are for."""
    known = letters[letters["letter_ref"].notna()]
    sizes = known.groupby(["unit", "event", "letter_ref"], observed=True).size()
    several = sizes[sizes > 1].groupby(level=["unit", "event"], observed=True)
    return several.size().astype("int64"), several.sum().astype("int64")


def _summary_figures(where: Scope, grid: pd.MultiIndex) -> pd.DataFrame:
    """Registrations, data errors and rows outside the scheme, from each run's counts."""
    records = []
    for summary in summaries(where):
        for event in EVENTS:
            counts = summary.counts.get(event, {})
            registered = counts.get("rows", 0) - counts.get("out_of_period", 0)
            registered -= counts.get("duplicates", 0)  # stable across reruns (see report)
            records.append((summary.unit.key, event, registered, counts.get("rejected", 0),
                            counts.get("not_eligible", 0)))  # fmt: skip
    names = ["unit", "event", "registrations", "rejected", "not_eligible"]
    table = pd.DataFrame.from_records(records, columns=names).set_index(["unit", "event"])
    return table.reindex(grid).astype(cols.INT)


def _coverage(letters: int, registrations) -> float | None:
    if pd.isna(registrations) or not registrations:
        return None
    return round(100.0 * int(letters) / int(registrations), 1)  # Python's rounding, as before


def _rollout(where: Scope) -> pd.DataFrame:
    end = where.period.end
    return pd.DataFrame.from_records(
        [
            (u.key, u.type, u.name, u.rollout.pilot, u.rollout.plan_issued, u.rollout.launch,
             u.rollout.letters_start,
             u.rollout.letters_start is not None and u.rollout.letters_start <= end)
            for u in where.units
        ],  # fmt: skip
        columns=["unit", "unit_type", "unit_name", "pilot", "plan_issued", "launch", "letters_start",
                 "implementing"],
    )  # fmt: skip


def _target(where: Scope):
    agg = where.config.aggregator
    return agg.target_date if agg else None


def _share(where: Scope) -> int:
    agg = where.config.aggregator
    return agg.target_share if agg else 100


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def monthly(letters: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Letters per month of registration ("2024-03") and event, every month from ``start``'s to
    ``end``'s, zeros included."""
    months = pd.period_range(start, end, freq="M")
    inside = letters[letters["reg_date"].between(_ts(start), _ts(end))]
    counts = inside.groupby([inside["reg_date"].dt.to_period("M"), "event"], observed=False).size()
    table = counts.unstack("event").reindex(index=months, columns=list(EVENTS), fill_value=0)
    table = table.fillna(0).astype("int64")
    table.index = [str(m) for m in months]
    table.index.name, table.columns.name = "month", "event"
    return table
