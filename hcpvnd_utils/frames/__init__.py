"""Frames: the runs' summaries and the ledger → pandas DataFrames for the analyst (``hc.frames``)
and for the report's figures (the report builds its tables and charts from these same frames).

Takes a period in any form the command line accepts (``2024-09``, ``2024-Q3``, ``2024``,
``2024-03-01..2024-05-31`` or a ``Period``), the units (``None``, ``""`` or ``"all"``: every unit
of the units file; ``"k1,k2"`` or a list of keys) and the folders (``None`` or ``""``: the
project's defaults, as in the notebooks). Gives one row per thing, with proper dtypes: dates as
datetime64, unit/event/outcome/status as ordered categoricals in the report's order (units as in
``inputs/units.yaml``; khai_sinh, ket_hon, khai_tu; the outcomes as in the accounting table),
counts as integers (``Int64`` where a figure can be unknown).

Nothing is written and nothing is created (not even an empty ledger). Whatever is missing — a
period with no run yet, a unit that never sent letters, an empty or missing ledger, a truncated
summary.json, a summary or ledger from an older version — gives the frame with its columns and
no rows (or empty cells), and a Vietnamese note with its code in ``frame.attrs["notes"]``.

- ``registrations``: every register row the period's runs read (each run's ``rows.jsonl.gz``,
  which names its ``summary.json``; for a run of an older version, the rows summary.json lists,
  with a note saying which are missing);
- ``letters``: the ledger's letters whose registration is dated in the period;
- ``figures``: the report's table (unit × event) with each unit's rollout;
- ``monthly``: letters per month of registration (the report's chart), from a letters frame.
"""

from __future__ import annotations

import pandas as pd

from .build import figures_frame, letters_frame, monthly, registrations_frame
from .columns import FIGURES, LETTERS, NAME_COLUMNS, REGISTRATIONS
from .sources import scope

__all__ = [
    "FIGURES", "LETTERS", "NAME_COLUMNS", "REGISTRATIONS", "figures", "letters", "monthly",
    "notes", "registrations",
]  # fmt: skip


def registrations(period, *, units=None, inputs=None, outputs=None, ledger=None,
                  names: bool = False) -> pd.DataFrame:  # fmt: skip
    """Every register row the runs of the period read (the rows file of each unit's run of
    exactly this period, next to its ``summary.json``, which lists only the first 1,000 rows
    without a letter): unit, event, book, number, registration date, event date (birth, marriage,
    death), outcome, the reason's code and column, and where the row is (file, sheet, row). The
    outcome is the one the last run of the period gave: after a rerun, a registration whose letter
    an earlier run made is ``already_sent`` (the ``letters`` frame has every letter).

    Names and ID numbers only with ``names=True``: they are personal data, kept nowhere but in
    the registers themselves (neither summary.json, the rows file nor the ledger holds them), so asking for them
    reads every register of the units again, and the frame — and any notebook showing it — then
    holds personal data that must stay under outputs/. The default frame can be shown, shared
    with the district and plotted without exposing a family.
    """
    where = scope(period, units, inputs, outputs, ledger)
    if not names:
        return registrations_frame(where)
    from .build import with_notes
    from .names import add_names  # reads the registers again: only when names are asked for

    frame = registrations_frame(where, extra=NAME_COLUMNS)
    return with_notes(add_names(frame, where), where)


def letters(period, *, units=None, outputs=None, ledger=None, inputs=None) -> pd.DataFrame:
    """The ledger's letters whose registration is dated in the period: unit, event, the
    registration's key (book, number) and date, when the letter was made and how many days after
    the registration, its status (made, final, purged: all three were sent), the run that made
    it, and the ledger's ids (``letter_id``, ``registration_id``) for later tables to join on.
    ``inputs`` only says where the units file is (default: the project's)."""
    where = scope(period, units, inputs, outputs, ledger)
    return letters_frame(where)


def figures(period, *, units=None, inputs=None, outputs=None, ledger=None) -> pd.DataFrame:
    """The report's own table, one row per unit and event: registrations of the period (from the
    runs' counts; <NA> for a unit with no run of exactly this period), letters (ledger), coverage
    % (letters / registrations, one decimal), rows with a data error, rows outside the scheme; and
    the unit's rollout (pilot, plan issued, launch, letters start, implementing by the period's
    end). ``attrs`` also holds the target (``target_date``, ``target_share``)."""
    where = scope(period, units, inputs, outputs, ledger)
    return figures_frame(where)


def notes(*frames: pd.DataFrame) -> list[str]:
    """The notes of the frames given, each once, in order."""
    found: list[str] = []
    for frame in frames:
        found += [n for n in frame.attrs.get("notes", []) if n not in found]
    return found
