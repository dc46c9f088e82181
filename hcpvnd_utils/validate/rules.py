"""Rules → exactly one outcome per row, and the accounting that proves it.

``classify`` gives every record one ``Outcome``, in input order, trying the rules in this order
(the first that applies wins):

1. ``rejected``: the row already has problems from ingest (the first is the reason); a required
   field is missing (E-REQ-01); a date is not a date (E-DATE-01), lies in the future (E-DATE-02),
   or a date of birth or death is after the registration date (E-DATE-03).
2. ``out_of_period``: the registration date is outside the period (R-PERIOD-01).
3. ``duplicate``: the same registration key (event, book, number) as an earlier row of this run
   that passed rules 1-2 (R-DUP-01). The earlier row keeps its own outcome. A row with the same
   event, number and registration date as a registration the ledger knows (``known``) or as an
   earlier row, but its book spelt otherwise or left out, is that registration (its key is
   taken), when it is about the same people: one registration exported twice never looks
   like two. But a key the ledger (``held``) or an earlier row gives to other people with
   another registration date is another registration (two books in one year, the book column
   left out): the row is ``rejected`` (E-KEY-01, E-KEY-02; ``keys``), neither a duplicate nor
   already sent.
4. ``not_eligible``: a birth registered after the child's ``birth_max_age_months`` birthday
   (R-OLD-01); a registration kind listed in ``excluded_kinds`` (R-KIND-01); a death registered
   more than ``death_max_delay_days`` after it happened (R-LATE-01); a birth whose child has a death
   registration among this run's rows (R-CHILDDEATH-01, or -02 when that death was registered
   outside the period).
5. ``already_sent``: ``sent(key)`` returns a ledger row (R-SENT-01).
6. ``letter``.

Then the birth letters are put together by family (``families.join_families``): twins get one
letter, and a family the ledger knows gets no second one (R-FAMILY-01/02, R-DUP-02, E-FAMILY-01/02).

Where the issue was silent:
- "more than 12 months old" means registered after the 12-month birthday (a child registered on
  it still gets a letter); a date of birth known only by its year counts as 31 December.
- an excluded kind matches as whole folded words, so "Ghi vào sổ việc kết hôn…" matches
  "ghi vào sổ" and "ĐĂNG KÝ LẠI" matches "đăng ký lại".
- a child's death is looked for among every death row of the run, whatever that row's own
  outcome: a congratulation letter for a child whose death is known is the worse mistake.
  Two different ID numbers are two people, even with one name and date of birth.

Data problems never raise: a value of the wrong type is a rejected row, not a traceback.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from datetime import date, datetime

from ..config import DEFAULT_SETTINGS
from ..errors import Problem
from ..periods import Period, short_date
from ..records import (
    ALREADY_SENT,
    DUPLICATE,
    FIELD_TITLES,
    FIELDS,
    LETTER,
    NOT_ELIGIBLE,
    OUT_OF_PERIOD,
    REJECTED,
    REQUIRED,
    Outcome,
    Record,
)
from ..textnorm import fold
from .families import FamilyLookup, join_families
from .keys import HeldLookup, Identities, Key, KnownLookup, taken_in_run

SentLookup = Callable[[Key], "dict | None"]
_BIRTH, _DEATH = "khai_sinh", "khai_tu"


def classify(
    records: list[Record],
    period: Period,
    settings: dict,
    *,
    sent: SentLookup | None = None,
    today: date | None = None,
    stated: dict | None = None,
    known: KnownLookup | None = None,
    families: FamilyLookup | None = None,
    held: HeldLookup | None = None,
) -> list[Outcome]:
    """One Outcome per record, in input order (rules in the module docstring).

    ``stated`` maps (file, sheet) to the period its title rows state ("Từ ngày … đến ngày …"):
    a row registered outside its own file's period is flagged and gets no letter, so a month
    run and a year run give the same letters. ``known`` and ``held`` (the ledger's) say which
    registration a row is (``keys``).
    """
    rules = _Rules(records, period, {**DEFAULT_SETTINGS, **(settings or {})}, today or date.today())
    rules.stated = stated or {}
    rules.identities = Identities(known, held)
    first_of_key: dict[Key, Record] = {}
    outcomes = []
    for record in records:
        outcome = _first_failing(record, rules, first_of_key, sent)
        outcomes.append(outcome or Outcome(record, LETTER))
    join_families(outcomes, families)
    return outcomes


def _first_failing(record, rules, first_of_key, sent) -> Outcome | None:
    if problem := _rejection(record, rules.today):
        return Outcome(record, REJECTED, problem)
    if problem := _outside_period(record, rules.period) or _outside_file(record, rules.stated):
        return Outcome(record, OUT_OF_PERIOD, problem)
    key = rules.identities.key_of(record)
    if problem := rules.identities.taken_in_ledger(record, key):
        return Outcome(record, REJECTED, problem)
    if key in first_of_key:
        if problem := taken_in_run(record, first_of_key[key], key):
            return Outcome(record, REJECTED, problem)
        return Outcome(record, DUPLICATE, _duplicate_of(record, first_of_key[key]))
    first_of_key[key] = record
    if problem := rules.ineligibility(record):
        return Outcome(record, NOT_ELIGIBLE, problem)
    if sent is not None and (row := sent(key)):
        return Outcome(record, ALREADY_SENT, _already_sent(record, row))
    return None


# -- 1. rejected ------------------------------------------------------------------------------


def _rejection(record: Record, today: date) -> Problem | None:
    if record.problems:
        return record.problems[0]
    for name in REQUIRED.get(record.event, []):
        if _is_blank(record.get(name)) or (name == "reg_no" and not record.number):
            return record.problem("E-REQ-01", name, what=FIELD_TITLES.get(name, name))
    dates = _date_fields(record)
    for name, value in dates.items():
        if value is None:
            return record.problem("E-DATE-01", name, value=str(record.get(name)))
    for name, value in dates.items():
        if _year(value) > today.year or (isinstance(value, date) and value > today):
            return record.problem("E-DATE-02", name, value=_show(value))
    return _event_after_registration(record, dates)


def _event_after_registration(record: Record, dates: dict) -> Problem | None:
    registered = dates.get("reg_date")
    if not isinstance(registered, date):
        return None
    for name, value in dates.items():
        if name == "reg_date":
            continue
        late = value > registered if isinstance(value, date) else value > registered.year
        if late:
            return record.problem("E-DATE-03", name, value=_show(value))
    return None


def _date_fields(record: Record) -> dict[str, date | int | None]:
    """Every date field present: a date, a year (dates of birth only), or None when unusable."""
    names = FIELDS["common"] + FIELDS.get(record.event, [])
    found = {}
    for name in names:
        if not name.endswith(("_date", "_dob")) or _is_blank(record.get(name)):
            continue
        found[name] = _as_day(record.get(name), year_ok=name.endswith("_dob"))
    return found


def _as_day(value, *, year_ok: bool) -> date | int | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if year_ok and isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _registered(record: Record) -> date | None:
    return _as_day(record.get("reg_date"), year_ok=False)


def _year(value: date | int) -> int:
    return value.year if isinstance(value, date) else value


def _show(value: date | int) -> str:
    return short_date(value) if isinstance(value, date) else str(value)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- 2. out of period, 3. duplicate, 5. already sent -------------------------------------------


def _outside_period(record: Record, period: Period) -> Problem | None:
    registered = _registered(record)
    if registered in period:
        return None
    return record.problem(
        "R-PERIOD-01", "reg_date", value=short_date(registered), period=period.vietnamese()
    )


def _outside_file(record: Record, stated: dict) -> Problem | None:
    start, end = stated.get((record.file, record.sheet)) or (None, None)
    registered = _registered(record)
    if not (start and end) or start <= registered <= end:
        return None
    return record.problem(
        "R-PERIOD-02",
        "reg_date",
        value=short_date(registered),
        start=short_date(start),
        end=short_date(end),
    )


def _duplicate_of(record: Record, first: Record) -> Problem:
    return record.problem(
        "R-DUP-01",
        "reg_no",
        reg_no=record.registration_key()[2],
        other_row=first.row,
        other_file=_where(first),
    )


def _already_sent(record: Record, row: dict) -> Problem:
    return record.problem(
        "R-SENT-01", "reg_no", sent_on=_sent_on(row.get("created_at")), letter=row.get("file", "")
    )


def _sent_on(created_at) -> str:
    if isinstance(created_at, str):
        try:
            created_at = datetime.fromisoformat(created_at)
        except ValueError:
            return created_at
    day = _as_day(created_at, year_ok=False)
    return short_date(day) if day else "?"


def _where(record: Record) -> str:
    """'ks_t3.xlsx, trang “KS”' — the other row's file, and its sheet when it has one."""
    return f"{record.file}, trang “{record.sheet}”" if record.sheet else record.file


# -- 4. not eligible --------------------------------------------------------------------------


class _Rules:
    """The eligibility rules with their thresholds, and the deaths known to this run."""

    def __init__(self, records: list[Record], period: Period, settings: dict, today: date):
        self.period, self.today = period, today
        self.max_months = int(settings["birth_max_age_months"])
        self.max_days = int(settings["death_max_delay_days"])
        self.excluded = [fold(kind) for kind in settings.get("excluded_kinds") or [] if fold(kind)]
        self.deaths = _DeathIndex(r for r in records if r.event == _DEATH)

    def ineligibility(self, record: Record) -> Problem | None:
        checks = {
            _BIRTH: (self._too_old, self._excluded_kind, self._child_died),
            _DEATH: (self._excluded_kind, self._too_late),
        }.get(record.event, (self._excluded_kind,))
        for check in checks:
            if problem := check(record):
                return problem
        return None

    def _too_old(self, record: Record) -> Problem | None:
        born = _as_day(record.get("child_dob"), year_ok=True)
        if isinstance(born, int):  # year only: assume the youngest possible child
            born = date(born, 12, 31)
        registered = _registered(record)
        if registered <= add_months(born, self.max_months):
            return None
        months = full_months(born, registered)
        age = f"{months} tháng tuổi" if months < 36 else f"{months // 12} tuổi"  # not "676 tháng"
        return record.problem("R-OLD-01", "child_dob", age=age, limit=self.max_months)

    def _excluded_kind(self, record: Record) -> Problem | None:
        kind = record.get("reg_kind")
        folded = f" {fold(kind)} " if not _is_blank(kind) else ""
        if folded and any(f" {excluded} " in folded for excluded in self.excluded):
            return record.problem("R-KIND-01", "reg_kind", value=str(kind).strip())
        return None

    def _too_late(self, record: Record) -> Problem | None:
        days = (_registered(record) - _as_day(record.get("death_date"), year_ok=False)).days
        if days <= self.max_days:
            return None
        return record.problem("R-LATE-01", "reg_date", days=days, limit=self.max_days)

    def _child_died(self, record: Record) -> Problem | None:
        death = self.deaths.match(record)
        if death is None:
            return None
        registered = _registered(death)
        in_period = registered is not None and registered in self.period
        return record.problem(
            "R-CHILDDEATH-01" if in_period else "R-CHILDDEATH-02",
            "child_full_name",
            other_row=death.row,
            other_file=_where(death),
        )


class _DeathIndex:
    """Deaths of this run, found by ID number, or by folded name and date of birth."""

    def __init__(self, deaths: Iterable[Record]):
        self.by_pid: dict[str, Record] = {}
        self.by_person: dict[tuple, Record] = {}  # every death with a name and a date of birth
        self.by_person_no_pid: dict[tuple, Record] = {}
        for death in deaths:
            pid = _pid(death.get("deceased_pid"))
            person = _person(death.get("deceased_full_name"), death.get("deceased_dob"))
            if pid:
                self.by_pid.setdefault(pid, death)
            if person:
                self.by_person.setdefault(person, death)
                if not pid:
                    self.by_person_no_pid.setdefault(person, death)

    def match(self, birth: Record) -> Record | None:
        pid = _pid(birth.get("child_pid"))
        person = _person(birth.get("child_full_name"), birth.get("child_dob"))
        if pid:  # two different ID numbers are two people, whatever their names
            return self.by_pid.get(pid) or self.by_person_no_pid.get(person)
        return self.by_person.get(person)


def _pid(value) -> str:
    return str(value).strip() if not _is_blank(value) else ""


def _person(name, born) -> tuple | None:
    day = _as_day(born, year_ok=False)
    if _is_blank(name) or not isinstance(name, str) or day is None:
        return None
    return (fold(name), day)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months(start: date, end: date) -> int:
    """Completed months from ``start`` to ``end`` (age in months)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months
