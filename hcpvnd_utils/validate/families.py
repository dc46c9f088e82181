"""One letter per family event: twins, triplets… get one birth letter naming every child.

After the rules (``rules.classify``), the birth rows that would get a letter are put together by
family (``records.FamilyKey``: the same child's date of birth, and the same mother — her ID when
both rows give one, else her name and birth year — and no two fathers' names that differ). Each family of several rows becomes one
letter (``Outcome.group``: every registration, in registration order). Then, against what the
ledger knows of the family (``FamilyLookup``), nothing is ever sent twice for one family event:

- another registration of the family already has a letter (an earlier run, another file or
  period, a twin rejected then corrected): these rows get none (``already_sent``, R-FAMILY-01
  when that letter is this run's folder's and not final, so ``--regenerate`` remakes it as one
  letter for all the children; R-FAMILY-02 otherwise — the letter is final, handed over or
  another period's — and the run ties the registration to that letter, ``Outcome.shares``);
- the same child under another registration number, in this run or in the ledger: a duplicate
  (R-DUP-02), one child one letter;
- rows of one mother by her ID and one day of birth whose fathers' names differ: refused, every
  one of them (E-FAMILY-02), until the clerk makes the names agree — one family, one letter, to
  the right names;
- a row that would belong to two families (its mother's name and birth year match two rows whose
  mothers' IDs differ): refused (E-FAMILY-01) until the clerk writes the mother's ID.

Where the issue was silent: rows are grouped in input order, each joining the family whose every
member it matches; the group's order is the registration order (date, then number).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from .. import layout
from ..periods import short_date
from ..records import ALREADY_SENT, DUPLICATE, LETTER, REJECTED, FamilyKey, Outcome, Record
from ..textnorm import fold

# FamilyKey -> the ledger's registrations of that family: dicts with event, book, reg_no,
# subject_hash, and the letter's file, status, created_at and "mine" (its file lies in the
# run's folder), file None for a registration without a letter
FamilyLookup = Callable[[FamilyKey], list[dict]]
_BIRTH = "khai_sinh"


def join_families(outcomes: list[Outcome], lookup: FamilyLookup | None = None) -> None:
    """Group the birth letters by family and settle them against the ledger, in place."""
    families = _Families()
    for outcome in outcomes:
        if outcome.status == LETTER and outcome.record.event == _BIRTH:
            families.add(outcome)
    families.refuse_ambiguous()
    making = {o.record.registration_key() for o in outcomes if o.status == LETTER}
    for number, members in enumerate(families.clusters):
        if number in families.torn:
            continue
        if members and lookup is not None and _settled(members, lookup, making):
            continue
        if len(members) > 1:
            group = [o.record for o in sorted(members, key=_order)]
            for outcome in members:
                outcome.group = group


class _Families:
    """Clusters of LETTER outcomes, each one mother and one day of birth."""

    def __init__(self):
        self.clusters: list[list[Outcome]] = []
        self.keys: dict[int, FamilyKey] = {}
        self.index: dict[str, set[int]] = {}  # a hash -> clusters holding it
        self.torn: set[int] = set()  # clusters refused whole: fathers' names that differ

    def add(self, outcome: Outcome) -> None:
        key = outcome.record.family_key()
        if key is None:
            return
        self.keys[id(outcome)] = key
        candidates = self._candidates(key)
        torn = next((c for c in candidates if self._other_father(outcome, c)), None)
        if torn is not None:
            self._refuse_fathers(outcome, torn)
            return
        full = [c for c in candidates if self._fits(outcome, self.clusters[c])]
        if len(full) > 1:
            first, second = (self.clusters[c][0].record for c in full[:2])
            _refuse(outcome, first, second)
            return
        if full:
            members = self.clusters[full[0]]
            twin = next((m for m in members if _same_child(m.record, outcome.record)), None)
            if twin is not None:
                _duplicate_child(outcome, _in_run(twin.record))
                return
            members.append(outcome)
            number = full[0]
        else:
            self.clusters.append([outcome])
            number = len(self.clusters) - 1
        for part in (key.pid, key.name):
            if part:
                self.index.setdefault(part, set()).add(number)

    def _candidates(self, key: FamilyKey) -> list[int]:
        found = set()
        for part in (key.pid, key.name):
            found |= self.index.get(part, set()) if part else set()
        return sorted(found)

    def _fits(self, outcome: Outcome, members: list[Outcome]) -> bool:
        mine = self.keys[id(outcome)]
        return bool(members) and all(
            mine.same_mother(self.keys[id(m)]) and _same_father(outcome.record, m.record)
            for m in members
        )

    def _other_father(self, outcome: Outcome, number: int) -> bool:
        """The same mother by her ID (both rows give it) and the same day of birth, but another
        father's name: one of the two names is mistyped, or the mother's ID is."""
        mine = self.keys[id(outcome)]
        return any(
            mine.pid and mine.pid == self.keys[id(m)].pid
            and not _same_father(outcome.record, m.record)
            for m in self.clusters[number]
        )  # fmt: skip

    def _refuse_fathers(self, outcome: Outcome, number: int) -> None:
        """Neither row gets a letter until the clerk makes the fathers agree: a letter to the
        wrong father's name, or a second letter to one family, would both be wrong."""
        members = self.clusters[number]
        first = members[0].record
        for member in members if number not in self.torn else []:
            _refuse_father(member, outcome.record)
        _refuse_father(outcome, first)
        members.append(outcome)  # a third child of the family is refused with them
        self.torn.add(number)

    def refuse_ambiguous(self) -> None:
        """A member that matches another cluster wholly as well could be either mother's child."""
        for number, members in enumerate(self.clusters):
            if number in self.torn:
                continue
            for outcome in list(members):
                key = self.keys[id(outcome)]
                others = [c for c in self._candidates(key) if c != number]
                rival = next((c for c in others if self._fits(outcome, self.clusters[c])), None)
                if rival is not None and len(members) > 1:
                    mate = next(m for m in members if m is not outcome).record
                    members.remove(outcome)
                    _refuse(outcome, mate, self.clusters[rival][0].record)


def _settled(members: list[Outcome], lookup: FamilyLookup, making: set) -> bool:
    """Settle a family the ledger already knows: True when its rows get no letter now."""
    seen: dict[tuple, dict] = {}
    for outcome in members:
        for row in lookup(outcome.record.family_key()):
            key = (row["event"], row["book"], row["reg_no"])
            if key not in making and row.get("file"):
                seen.setdefault(key, row)
    if not seen:
        return False
    rows = sorted(seen.values(), key=lambda r: (str(r.get("created_at")), r["reg_no"]))
    for outcome in members:
        same = next(
            (r for r in rows if r.get("subject_hash") == outcome.record.subject_hash()), None
        )
        if same is not None:
            _duplicate_child(outcome, _in_ledger(same))
            continue
        row = rows[0]
        remakable = row.get("mine") and row.get("status") == "made" and not row.get("handed_on")
        code = "R-FAMILY-01" if remakable else "R-FAMILY-02"
        outcome.status = ALREADY_SENT
        outcome.shares = None if remakable else row
        outcome.problem = outcome.record.problem(
            code, "child_dob", other=_in_ledger(row), sent_on=_day(row.get("created_at")),
            folder=_folder(row.get("file") or ""),
        )  # fmt: skip
    return True


def _order(outcome: Outcome) -> tuple:
    record = outcome.record
    number = record.number
    return (
        record.reg_date or date.min,
        (int(number), number) if number.isdigit() else (10**9, number),
    )


def _same_father(one: Record, other: Record) -> bool:
    """Twins have one father: two rows naming different fathers are two families, whatever the
    mothers' names say (a name and birth year shared by two women of one commune)."""
    names = [fold(record.get("father_full_name", "") or "") for record in (one, other)]
    return not all(names) or names[0] == names[1]


def _same_child(one: Record, other: Record) -> bool:
    """One child under two registrations: the same name (twins never share one) or ID."""
    pids = (one.get("child_pid"), other.get("child_pid"))
    if all(pids) and pids[0] == pids[1]:
        return True
    return fold(one.get("child_full_name", "")) == fold(other.get("child_full_name", ""))


def _duplicate_child(outcome: Outcome, other: str) -> None:
    outcome.status = DUPLICATE
    outcome.problem = outcome.record.problem("R-DUP-02", "child_full_name", other=other)


def _refuse(outcome: Outcome, first: Record, second: Record) -> None:
    outcome.status = REJECTED
    outcome.problem = outcome.record.problem(
        "E-FAMILY-01", "mother_pid", first=_in_run(first), second=_in_run(second)
    )


def _refuse_father(outcome: Outcome, other: Record) -> None:
    outcome.status = REJECTED
    outcome.problem = outcome.record.problem(
        "E-FAMILY-02", "father_full_name", other=_in_run(other)
    )


def _in_run(record: Record) -> str:
    """'đăng ký số 15 (dòng 17, tệp ks_t11.xlsx)' — no name."""
    where = f"tệp {record.file}, trang “{record.sheet}”" if record.sheet else f"tệp {record.file}"
    return f"đăng ký số {record.registration_key()[2]} (dòng {record.row}, {where})"


def _in_ledger(row: dict) -> str:
    return f"đăng ký số {row['reg_no']} quyển {row['book']}"


def _folder(file: str) -> str:
    """'2024-11/phuoc-thanh' of a letter's file: where it is, without its name (a person's)."""
    return layout.UnitFolder.of_file(Path(), file).relative


def _day(moment) -> str:
    try:
        return short_date(date.fromisoformat(str(moment)[:10]))
    except ValueError:
        return "?"
