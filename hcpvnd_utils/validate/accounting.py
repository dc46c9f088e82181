"""The accounting that proves every row was counted: rows = letters + every reason, per event,
and the same as a table (terminal text or HTML in a notebook)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..records import (
    COUNT_NAMES,
    COUNT_ORDER,
    COUNT_TITLES,
    EVENT_TITLES,
    EVENTS,
    OUTCOMES,
    Outcome,
)
from ..tables import Table


def accounting(outcomes: Iterable[Outcome]) -> dict[str, dict[str, int]]:
    """{event: {"rows": n, "letters": n, "rejected": n, ...}} for every event, zeros included."""
    tally = Counter((outcome.record.event, outcome.status) for outcome in outcomes)
    events = list(EVENTS) + sorted({event for event, _ in tally} - set(EVENTS))
    counts = {}
    for event in events:
        per_status = {COUNT_NAMES[status]: tally[(event, status)] for status in OUTCOMES}
        counts[event] = {"rows": sum(per_status.values()), **per_status}
    return counts


def check_invariant(counts: dict[str, dict[str, int]]) -> None:
    """Raise ValueError unless, for every event, rows = the sum of the outcome counts."""
    for event, row in counts.items():
        total = sum(row.get(name, 0) for name in COUNT_NAMES.values())
        if row.get("rows") != total:
            raise ValueError(
                f"accounting for {event}: rows = {row.get('rows')} but outcomes sum to {total}"
            )


def accounting_table(counts: dict, title: str = "") -> Table:
    """Rows = letters + every reason, per event, with a total line."""
    rows = []
    totals = dict.fromkeys(COUNT_ORDER, 0)
    for event in EVENTS:
        figures = counts.get(event, {})
        rows.append([EVENT_TITLES[event], *(figures.get(k, 0) for k in COUNT_ORDER)])
        for k in COUNT_ORDER:
            totals[k] += figures.get(k, 0)
    rows.append(["Tổng cộng", *(totals[k] for k in COUNT_ORDER)])
    return Table(["Sự kiện", *(COUNT_TITLES[k] for k in COUNT_ORDER)], rows, title)


def units_accounting_table(per_unit: list[tuple[str, dict]], title: str = "") -> Table:
    """Several units in one table: a line per unit and event that had rows (a district of 13
    units would otherwise print 13 tables, most of them zeros), and the total."""
    rows, totals = [], dict.fromkeys(COUNT_ORDER, 0)
    for unit, counts in per_unit:
        for event in EVENTS:
            figures = counts.get(event, {})
            if figures.get("rows", 0):
                rows.append([unit, EVENT_TITLES[event], *(figures.get(k, 0) for k in COUNT_ORDER)])
                for k in COUNT_ORDER:
                    totals[k] += figures.get(k, 0)
    rows.append(["Tổng cộng", "", *(totals[k] for k in COUNT_ORDER)])
    headers = ["Đơn vị", "Sự kiện", *(COUNT_TITLES[k] for k in COUNT_ORDER)]
    return Table(headers, rows, title)
