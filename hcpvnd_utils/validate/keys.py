"""Which registration a row is: the key it is known by, and the rows whose key belongs to
another registration.

A row's key is (event, book, number). A row with the same event, number, registration date and
people as a registration the ledger (``known``) or an earlier row of the run knows, its book
spelt otherwise or not exported, takes that registration's key (``Identities.key_of``).

The key alone does not make two rows one registration: an export without a "Quyển số" column
puts every row in book 1 of its year, so in a commune with two books in one year (numbers start
again in each book) two families get one key. A row whose key the ledger (``held``) or an
earlier row gives to a registration with other people AND another registration date is not that
registration: it is refused (E-KEY-01, E-KEY-02), never counted as sent or as a duplicate row,
and never made over the other family's letter. A corrected name (same date) or a corrected date
(same people) is still the same registration (W-CHANGED-01 and ``--regenerate`` as before).

A marriage or a death is registered once: a row with the same event, registration date and
people as a registration the ledger or an earlier row knows under another number (the number
corrected by the clerk, or spelt so that it normalises otherwise) is that registration too,
never a second letter (``RENUMBERED_EVENTS``). Births are left out: twins share a day and a
family, not a child's name, and ``validate.families`` ties them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import PurePosixPath

from ..errors import Problem
from ..periods import short_date
from ..records import RENUMBERED_EVENTS, SUBJECT_FIELDS, Record
from ..textnorm import ascii_slug

Key = tuple[str, str, str]
# (own key, Record.same_day_key()) -> the key the ledger knows it by, or None
KnownLookup = Callable[[Key, tuple], "Key | None"]
# key -> the ledger's registration under that key (reg_date, subject_hash, file, status), or None
HeldLookup = Callable[[Key], "dict | None"]


class Identities:
    """Which registration a row is: its own key, or the key under which the ledger or an
    earlier row of the run knows the same registration (same event, number, registration date
    and people, the book spelt otherwise or not exported)."""

    def __init__(self, known: KnownLookup | None, held: HeldLookup | None = None):
        self.known, self.held = known, held
        self.first: dict[tuple, Key] = {}  # Record.same_day_key() -> key of its first row
        self.first_by_people: dict[tuple, Key] = {}  # (event, date, subject) -> first row's key

    def key_of(self, record: Record) -> Key:
        record.same_as = None  # classified afresh
        own = record.registration_key()
        day = record.same_day_key()
        if day is None:
            return own
        people = (day[0], day[2], day[3])
        other = self.first.get(day)
        if other is None and self.known is not None:
            other = self.known(own, day)
        if other is None and record.event in RENUMBERED_EVENTS:
            other = self.first_by_people.get(people)
        if other is None or other == own:
            self.first.setdefault(day, own)
            self.first_by_people.setdefault(people, own)
            return own
        record.same_as = other
        return other

    def taken_in_ledger(self, record: Record, key: Key) -> Problem | None:
        """E-KEY-01 when the ledger holds ``key`` for another registration (other people, other
        registration date)."""
        row = self.held(key) if self.held is not None else None
        if row is None or not other_registration(record, row):
            return None
        return record.problem(
            "E-KEY-01", "reg_no", **_key_fields(key), other_date=_day(row.get("reg_date")),
            letter=_letter_note(row),
        )  # fmt: skip


def taken_in_run(record: Record, first: Record, key: Key) -> Problem | None:
    """E-KEY-02 when an earlier row of the run has ``key`` for another registration (other
    people, other registration date): not a duplicate row, another family."""
    held = {"reg_date": first.reg_date, "subject_hash": first.subject_hash()}
    if not other_registration(record, held):
        return None
    where = f"{first.file}, trang “{first.sheet}”" if first.sheet else first.file
    return record.problem(
        "E-KEY-02", "reg_no", **_key_fields(key), other_row=first.row, other_file=where,
        date=_day(record.reg_date), other_date=_day(first.reg_date),
    )  # fmt: skip


def other_registration(record: Record, held: dict) -> bool:
    """Other people and another registration date: not the registration ``held`` is."""
    registered = _day(held.get("reg_date"))
    if not registered or registered == _day(record.reg_date):
        return False
    return same_people(record, held) is False


def same_people(record: Record, held: dict) -> bool | None:
    """Is ``held`` (a ledger row, or an earlier row's values) about the row's people? By the
    subject hash; for a registration recorded before the ledger kept it, by the name its letter
    file carries; None when neither says (a purged letter of such a registration)."""
    if held.get("subject_hash"):
        return held["subject_hash"] == record.subject_hash()
    file = held.get("file")
    if not file or held.get("status") == "purged":
        return None
    names = " ".join(str(record.get(f, "")) for f in SUBJECT_FIELDS.get(record.event, ()))
    return f"_{ascii_slug(names)}_" in f"_{PurePosixPath(str(file)).stem}_"


def _key_fields(key: Key) -> dict:
    return {"reg_no": key[2], "book": key[1]}


def _day(value) -> str:
    if isinstance(value, date):
        return short_date(value)
    try:
        return short_date(date.fromisoformat(str(value)[:10])) if value else ""
    except ValueError:
        return str(value)


def _letter_note(row: dict) -> str:
    if not row.get("file"):
        return "đăng ký đó chưa có thư"
    return "đăng ký đó đã có thư"
