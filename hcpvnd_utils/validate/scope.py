"""Which rows a period's run looks at, and the part of the period a unit sends letters in.

A units file covers one hierarchy for a span of time; a sheet belongs to a period when it says so
or when one of its rows does; a unit sends letters from its ``letters_start``.
"""

from __future__ import annotations

from datetime import timedelta

from ..config import Unit, UnitsConfig
from ..errors import ConfigError
from ..periods import Period, short_date
from ..records import IngestResult, Record


def check_validity(config: UnitsConfig, period: Period) -> None:
    """A units file describes one hierarchy for a span of time (Tuy Phước's 13 units until
    30/6/2025, its 4 new communes after): a period outside it belongs to the other file."""
    start, end = config.valid_from, config.valid_to
    if (start and period.end < start) or (end and period.start > end):
        raise ConfigError(
            "E-CONF-04", path=config.path, period=period.vietnamese(),
            start=short_date(start) if start else "…", end=short_date(end) if end else "nay",
        )  # fmt: skip


def stated_periods(read: IngestResult) -> dict:
    """(file, sheet) -> (start, end) that the sheet's title rows state ("Từ ngày … đến ngày …")."""
    return {(s.name, s.sheet): (s.stated_start, s.stated_end) for s in read.sources}


def relevant_records(read: IngestResult, period: Period) -> list[Record]:
    """Rows of the sheets that belong to this period.

    A sheet belongs when its stated period ("Từ ngày … đến ngày …") overlaps ours, or when one
    of its rows is registered within ours, or when none of its rows has a readable date (so that
    its problems are shown). Its other rows then count as out of period.
    """
    by_sheet: dict[tuple[str, str], list[Record]] = {}
    for record in read.records:
        by_sheet.setdefault((record.file, record.sheet), []).append(record)
    stated = stated_periods(read)
    keep: list[Record] = []
    for sheet, rows in by_sheet.items():
        start, end = stated.get(sheet, (None, None))
        dates = [r.reg_date for r in rows if r.reg_date]
        if (
            (start and end and period.overlaps(start, end))
            or any(d in period for d in dates)
            or not dates
        ):
            keep += rows
    return keep


def sending_period(unit: Unit, period: Period) -> Period:
    """The part of the period in which the unit sends letters (from its letters_start)."""
    begin = unit.rollout.letters_start
    if begin is None or begin <= period.start:
        return period
    return Period(min(begin, period.end + timedelta(days=1)), period.end, period.label)
