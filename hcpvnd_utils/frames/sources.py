"""Where the frames come from, and what is wrong with it: the units file (which units, in which
order), the runs' ``summary.json`` of exactly the period, and the ledger — read, never written.

Whatever is missing or broken becomes a Vietnamese note (with its code) and no rows, never an
exception in the analyst's notebook: a period with no run yet, a truncated summary, a summary of
an older version, a missing or unreadable ledger.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import layout, messages
from ..config import Unit, UnitsConfig, load_units
from ..errors import HcpvndError
from ..layout import Places
from ..periods import Period, parse_period
from ..records import EVENTS


@dataclass
class Scope:
    """One frame's question: which units, which period, which files. ``strict`` (the report's):
    a ledger that cannot be read stops with its coded error instead of giving no letters."""

    config: UnitsConfig
    period: Period
    units: list[Unit]
    inputs: Path
    outputs: Path
    ledger: Path
    strict: bool = False
    notes: list[str] = field(default_factory=list)

    def note(self, code: str, **fields) -> None:
        text = messages.render(code, **fields)
        if text not in self.notes:
            self.notes.append(text)


def scope(period, units=None, inputs=None, outputs=None, ledger=None) -> Scope:
    """Resolve the arguments every frame takes ('' means the default, as in the notebooks)."""
    places = Places.resolve(inputs, outputs, ledger)
    config = load_units(places.units_file)
    return scope_of(config, period, units, outputs=places.outputs, ledger=places.ledger,
                    inputs=places.inputs)  # fmt: skip


def scope_of(config: UnitsConfig, period, units, *, outputs: Path, ledger: Path,
             inputs: Path | None = None, strict: bool = False) -> Scope:  # fmt: skip
    """The scope of a units file already loaded (the report's)."""
    period = period if isinstance(period, Period) else parse_period(period)
    found = Scope(config, period, chosen_units(config, units), Path(inputs or config.path.parent),
                  Path(outputs), Path(ledger), strict)  # fmt: skip
    start, end = config.valid_from, config.valid_to
    if (start and period.start < start) or (end and period.end > end):
        found.note("W-FRAMES-09", period=period.vietnamese(), path=config.path,
                   start=start or "…", end=end or "…")  # fmt: skip
    return found


def chosen_units(config: UnitsConfig, units) -> list[Unit]:
    """None, '', 'all': every unit; 'k1,k2' or a list of keys: those (E-CONF-03 for an unknown
    key), always in the units file's order."""
    if isinstance(units, str):
        units = [] if units.strip() in ("", "all") else units.split(",")
    keys = {config.unit(_key(key)).key for key in units or []}
    return [u for u in config.units.values() if not keys or u.key in keys]


def _key(unit) -> str:
    return unit.key if isinstance(unit, Unit) else str(unit).strip()


# ---------------------------------------------------------------- the runs' summaries


@dataclass
class Summary:
    unit: Unit
    path: Path
    counts: dict[str, dict[str, int]]
    letters: list[dict]
    rejected: list[dict]
    sha256: str = ""  # of the file as read: its rows file names it (``rowsfile``)

    @property
    def rows_path(self) -> Path:
        """The rows file next to it (every row the run read, ``rowsfile``)."""
        return self.path.parent / layout.ROWS_FILE


class _Broken(Exception):
    """A summary.json that cannot be used; its text says why (Vietnamese)."""


def summaries(where: Scope) -> list[Summary]:
    """The summary of each unit's run of exactly this period; a note for every unit without one."""
    found, missing = [], []
    for unit in where.units:
        path = layout.unit_folder(where.outputs, where.period.label, unit.key).summary
        try:
            summary = read_summary(path, unit, where.period)
        except _Broken as exc:
            where.note("W-FRAMES-02", path=path, detail=str(exc), unit=unit.full_name,
                       key=unit.key, period_arg=where.period.argument)  # fmt: skip
            continue
        if summary is not None:
            found.append(summary)
        elif unit.sending_in(where.period.start, where.period.end):  # else: no run is due
            missing.append(unit)
    if missing:
        where.note("W-FRAMES-01", period=where.period.vietnamese(),
                   units=", ".join(u.full_name for u in missing),
                   period_arg=where.period.argument)  # fmt: skip
    return found


def read_summary(path: Path, unit: Unit, period: Period) -> Summary | None:
    """The unit's summary for exactly ``period``; None when there is none (no run yet, or the
    run of another period); ``_Broken`` when the file is there but cannot be used."""
    try:
        raw = Path(path).read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _Broken(type(exc).__name__) from None
    try:
        data = json.loads(text)
    except ValueError:
        raise _Broken("tệp bị cắt ngang hoặc không đúng dạng JSON") from None
    if not isinstance(data, dict):
        raise _Broken("không phải kết quả làm thư")
    if data.get("unit") != unit.key or data.get("period") != period.as_dict():
        return None
    return Summary(unit, Path(path), _counts(data.get("counts")), _entries(data, "letters"),
                   _entries(data, "rejected"), hashlib.sha256(raw).hexdigest())  # fmt: skip


def summary_counts(path: Path, unit: Unit, period: Period) -> dict | None:
    """Only the ``counts`` of a unit's summary for exactly this period, None when there is none
    or it cannot be used (the report's test of whether a unit has run)."""
    try:
        summary = read_summary(path, unit, period)
    except _Broken:
        return None
    return summary.counts if summary else None


def _counts(value) -> dict[str, dict[str, int]]:
    if not isinstance(value, dict):
        raise _Broken("thiếu mục counts")
    try:
        return {
            event: {name: int(n) for name, n in (value.get(event) or {}).items()}
            for event in EVENTS
        }
    except (AttributeError, TypeError, ValueError):
        raise _Broken("mục counts có số không hợp lệ") from None


def _entries(data: dict, key: str) -> list[dict]:
    """The rows listed under ``key``; whatever is not a row is left out (the counts still hold,
    and the registrations frame notes that fewer rows are listed than counted)."""
    value = data.get(key)
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


# ---------------------------------------------------------------- the ledger


def ledger_rows(where: Scope, start: date, end: date):
    """The ledger's letters of registrations dated in [start, end] (``ledger.export``); a note,
    and no rows, when there is no ledger or it cannot be read."""
    from ..ledger.export import LetterRows, letter_rows

    try:
        found = letter_rows(where.ledger, start, end)
    except HcpvndError as exc:
        if where.strict:
            raise
        where.notes.append(exc.message)
        return LetterRows()
    if not found.found:
        where.note("W-FRAMES-03", path=where.ledger)
    return found
