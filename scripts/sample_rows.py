"""The registrations of one unit, event by event and month by month, numbered as in the
register book, each knowing the outcome it is meant to get."""

from __future__ import annotations

import calendar
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sample_names as names
from sample_names import FEMALE, MALE, SEXES, People
from sample_plan import (
    DISTRICT_MONTHLY,
    HOLIDAYS,
    PILOT_LETTERS,
    REASONS,
    SEASON,
    SPECIALS,
    VARIANTS,
)

from hcpvnd_utils.config import UnitsConfig
from hcpvnd_utils.records import EVENTS, LETTER


@dataclass
class Row:
    event: str
    reg_date: date  # the true date, also for a row whose date cell is broken
    values: dict
    outcome: str = LETTER
    reason: str = ""
    warning: str = ""
    broken: dict = field(default_factory=dict)  # field -> what the cell holds instead
    month: str = ""  # the file month it is exported in, "2024-03"
    order: float = 0.0  # position in its file
    variant: str = ""  # the template variant its letter is meant to use
    family: str = ""  # rows with the same family share one letter (twins)
    line: tuple | None = None  # the family's surname (men's form, women's form)


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def month_starts(start: date, end: date) -> list[date]:
    months, day = [], date(start.year, start.month, 1)
    while day <= end:
        months.append(day)
        day = month_end(day) + timedelta(days=1)
    return months


def working_days(start: date, end: date) -> list[date]:
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5 and d not in HOLIDAYS]


FOREIGN_WIVES = ["Kim Ji Yeon", "Park Soo Min", "Lee Hye Jin"]  # synthetic


def derived_rng(*parts) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class UnitRows:
    """The registrations of one unit from its start to ``end``, per event, numbered."""

    def __init__(self, cfg: UnitsConfig, unit, index: int, seed: int, end: date, profile):
        self.cfg, self.unit, self.end, self.profile = cfg, unit, end, profile
        self.rng = derived_rng(seed, cfg.scheme, unit.key)
        self.people = People(self.rng, cfg, unit, index)
        self.start = unit.rollout.letters_start
        self.months = month_starts(self.start, end)
        self.specials = defaultdict(list)
        for key, event, kind in SPECIALS.get(cfg.scheme, {}).get(unit.key, []):
            self.specials[key, event].append(kind)
        self.injected: dict[tuple, list[Row]] = defaultdict(list)
        self.duplicates: dict[str, list[str]] = defaultdict(list)

    def all_rows(self) -> dict[str, list[Row]]:
        """Births first: a child's death is added to the deaths of the same month."""
        result = {}
        for event in EVENTS:
            rows = [row for month in self.months for row in self.month_rows(event, month)]
            self.number(event, rows)
            result[event] = rows + self.duplicate_rows(event, rows)
        return result

    def file_period(self, month: date) -> tuple[date, date]:
        return max(month, self.start), min(month_end(month), self.end)

    def month_rows(self, event: str, month: date) -> list[Row]:
        key = month_key(month)
        days = working_days(*self.file_period(month))
        injected = self.injected.pop((key, event), [])
        count = self.letter_target(event, month, days) - sum(r.outcome == LETTER for r in injected)
        rows = [self.make_row(event, self.rng.choice(days)) for _ in range(max(0, count))]
        rows += injected
        for kind in self.specials.get((key, event), []):
            rows += self.special(kind, event, month, days, rows)
        for row in rows:
            row.month = key
        return rows

    def mean(self, event: str, month: date) -> float:
        return DISTRICT_MONTHLY[event] / len(self.cfg.units) * SEASON[event][month.month - 1]

    def letter_target(self, event: str, month: date, days: list[date]) -> int:
        pilot = PILOT_LETTERS.get(self.cfg.scheme, {}).get(self.unit.key, {})
        if month_key(month) in pilot:
            return pilot[month_key(month)][EVENTS.index(event)]
        share = len(days) / len(working_days(month, month_end(month)))
        mean = self.mean(event, month) * share
        return max(1, round(self.rng.gauss(mean, 0.8 * mean**0.5)))

    def numbers_before(self, event: str, year: int) -> int:
        """Registrations of the year before the unit's first exported day (not written)."""
        first = max(date(year, 1, 1), self.cfg.valid_from or date(year, 1, 1))
        last = self.start - timedelta(days=1)
        if self.start.year != year or last < first:
            return 0
        expected = sum(
            self.mean(event, month)
            * ((min(month_end(month), last) - max(month, first)).days + 1)
            / month_end(month).day
            for month in month_starts(first, last)
        )
        return round(expected * self.rng.uniform(0.9, 1.1))

    def number(self, event: str, rows: list[Row]) -> None:
        """Running 'Số' per year in date order; one book per year."""
        rows.sort(key=lambda r: r.reg_date)
        counters: dict[int, int] = {}
        for row in rows:
            year = row.reg_date.year
            if year not in counters:
                counters[year] = self.numbers_before(event, year)
            counters[year] += 1
            row.values["reg_no"] = counters[year]
            row.values["reg_book"] = self.profile.book.format(no=1, year=year)
            row.order = counters[year]

    def duplicate_rows(self, event: str, rows: list[Row]) -> list[Row]:
        """A row pasted twice: same book and number, one to three rows further down."""
        copies = []
        for key in self.duplicates[event]:
            block = [r for r in rows if r.month == key]
            candidates = [
                i for i, r in enumerate(block[:-1]) if r.outcome == LETTER and not r.warning
            ]
            i = self.rng.choice(candidates)
            after = block[min(i + self.rng.randint(0, 2), len(block) - 1)]
            outcome, reason = REASONS["duplicate"]
            copy = Row(event, block[i].reg_date, dict(block[i].values), outcome, reason)
            copy.month, copy.order = key, after.order + 0.5
            copies.append(copy)
        return copies

    # -- ordinary rows ----------------------------------------------------------------------

    def make_row(self, event: str, reg: date) -> Row:
        make = {"khai_sinh": self.birth, "ket_hon": self.marriage, "khai_tu": self.death}[event]
        return make(reg)

    def common(self, reg: date, kind: str = "", note: str = "") -> dict:
        dossier = (
            f"000.00.{self.unit.code % 100:02d}.H08-{reg:%y%m%d}-{self.rng.randint(1, 999):04d}"
        )
        return {"reg_date": reg, "reg_kind": kind, "note": note, "dossier_code": dossier}

    def birth(self, reg: date, dob: date | None = None, kind: str = "", note: str = "") -> Row:
        rng, people = self.rng, self.people
        if dob is None:
            lag = rng.randint(3, 58) if rng.random() < 0.92 else rng.randint(65, 300)
            dob = reg - timedelta(days=lag)
            kind = "Đúng hạn" if lag <= 60 else "Quá hạn"
            kind = "Lưu động" if kind == "Đúng hạn" and rng.random() < 0.04 else kind
            note = rng.choice(["", "", "", "", "", "Cấp 02 bản sao"])
        sex = rng.choice([MALE, FEMALE])
        values = self.common(reg, kind, note) | self.parents(dob.year)
        line = values.pop("_line")
        values |= {
            "child_full_name": people.full_name(sex, dob.year, line),
            "child_dob": dob,
            "child_sex": sex,
            "child_pid": people.pid(sex, dob.year),
            "child_ethnicity": people.ethnicity(),
            "child_nationality": "Việt Nam",
            "birth_place": rng.choice(names.BIRTH_PLACES.get(self.cfg.scheme) or [people.place]),
            "hometown": people.place,
        }
        return Row("khai_sinh", reg, values, line=line)

    def parents(self, child_year: int) -> dict:
        rng, people = self.rng, self.people
        mother_year = child_year - rng.randint(19, 40)
        father_year = min(mother_year - rng.randint(-2, 8), child_year - 20)
        home = people.residence()
        mother_line, father_line = people.line(), people.line()
        values = {
            "mother_full_name": people.full_name(FEMALE, mother_year, mother_line),
            "mother_birth_year": mother_year,
            "mother_residence": home,
            "_line": mother_line,
        }
        if rng.random() < 0.07:  # mother alone
            relation = rng.choice(["Mẹ", "Mẹ", "Mẹ", "Bà ngoại"])
            return values | self.birth_declarant(relation, values, mother_year - 24)
        values |= {
            "father_full_name": people.full_name(MALE, father_year, father_line),
            "father_birth_year": father_year,
            "father_residence": home if rng.random() < 0.9 else people.residence(local=False),
            "_line": father_line,
        }
        relation = rng.choices(["Cha", "Mẹ", "Ông nội", "Bà nội", "Bà ngoại"], [55, 30, 5, 6, 4])[0]
        return values | self.birth_declarant(relation, values, father_year - 26)

    def birth_declarant(self, relation: str, family: dict, elder_year: int) -> dict:
        named = {"Cha": family.get("father_full_name"), "Mẹ": family["mother_full_name"]}
        if relation in named:
            name = named[relation]
        elif relation == "Ông nội":
            name = self.people.full_name(MALE, elder_year, family["_line"])
        else:
            name = self.people.full_name(FEMALE, elder_year)
        return {"declarant_full_name": name, "declarant_relation": relation}

    def marriage(self, reg: date) -> Row:
        rng, people = self.rng, self.people
        husband_age = rng.randint(22, 35) if rng.random() < 0.9 else rng.randint(36, 55)
        husband_dob = self.adult_dob(reg, husband_age, minimum=20)
        wife_age = max(18, husband_age - rng.randint(-2, 7))
        wife_dob = self.adult_dob(reg, wife_age, minimum=18)
        local = rng.choice(["husband", "wife"])
        both_local = rng.random() < 0.65
        values = self.common(reg, note=rng.choice(["", "", "", "", "", "Cấp 02 bản chính"]))
        for party, sex, dob in (("husband", MALE, husband_dob), ("wife", FEMALE, wife_dob)):
            values |= {
                f"{party}_full_name": people.full_name(sex, dob.year),
                f"{party}_dob": dob,
                f"{party}_residence": people.residence(both_local or party == local),
                f"{party}_pid": people.pid(sex, dob.year),
                f"{party}_ethnicity": people.ethnicity(),
                f"{party}_nationality": "Việt Nam",
            }
        return Row("ket_hon", reg, values)

    def adult_dob(self, reg: date, age: int, minimum: int) -> date:
        dob = self.people.birthday(reg.year - age)
        while (reg.year - dob.year) - ((reg.month, reg.day) < (dob.month, dob.day)) < minimum:
            dob = dob.replace(year=dob.year - 1, day=min(dob.day, 28))
        return dob

    def death(self, reg: date, lag: int | None = None, kind: str = "", age: int | None = None):
        rng, people = self.rng, self.people
        if lag is None:
            lag = rng.randint(0, 12) if rng.random() < 0.88 else rng.randint(16, 75)
            kind = "Đúng hạn" if lag <= 15 else "Quá hạn"
        died = reg - timedelta(days=lag)
        if age is None:
            age = rng.choices([95, 85, 75, 62, 45, 20], [18, 34, 25, 13, 7, 3])[0]
            age += rng.randint(-4, 4)
        sex = rng.choice([MALE, FEMALE])
        born = people.birthday(died.year - age)
        line = people.line()
        home = people.residence()
        values = self.common(reg, kind) | {
            "deceased_full_name": people.full_name(sex, born.year, line),
            "deceased_dob": born if rng.random() < 0.7 else born.year,
            "deceased_sex": sex,
            "deceased_pid": people.pid(sex, born.year) if rng.random() < 0.93 else "",
            "deceased_ethnicity": people.ethnicity(),
            "deceased_nationality": "Việt Nam",
            "last_residence": home,
            "death_date": died,
            "death_time": (rng.randint(0, 23), rng.choice(range(0, 60, 5))),
            "death_place": "Tại nhà" if rng.random() < 0.6 else rng.choice(
                names.DEATH_PLACES.get(self.cfg.scheme) or ["Tại nhà"]),
            "death_cause": rng.choice(names.DEATH_CAUSES),
            "death_notice_no": f"{rng.randint(1, 400):03d}/GBT",
        }  # fmt: skip
        if rng.random() < 0.2:
            values["death_time"] = None  # hour unknown
        if rng.random() < 0.95:
            values |= self.death_declarant(sex, born.year, died.year, line, home)
        return Row("khai_tu", reg, values)

    def death_declarant(self, sex: str, born: int, died: int, line, home: str) -> dict:
        """Who registers the death, by the deceased's age: a parent, spouse, sibling, child."""
        rng, age = self.rng, died - born
        if age < 45:
            options = {"parent": 55, "spouse": 25 if age >= 20 else 0, "sibling": 20}
        else:
            options = {"spouse": 30 if age < 85 else 0, "child": 58, "grandchild": 12 * (age >= 70)}
        kind = rng.choices(list(options), list(options.values()))[0]
        their_sex = {MALE: FEMALE, FEMALE: MALE}[sex] if kind == "spouse" else rng.choice(SEXES)
        year = born + {"parent": -rng.randint(20, 35), "spouse": rng.randint(-6, 6),
                       "sibling": rng.randint(-8, 8), "child": rng.randint(22, 36),
                       "grandchild": rng.randint(45, 60)}[kind]  # fmt: skip
        relation = {
            "parent": {MALE: "Cha", FEMALE: "Mẹ"}[their_sex],
            "spouse": {MALE: "Chồng", FEMALE: "Vợ"}[their_sex],
            "sibling": ("Em" if year > born else {MALE: "Anh", FEMALE: "Chị"}[their_sex]),
            "child": rng.choice(["Con", {MALE: "Con trai", FEMALE: "Con gái"}[their_sex]]),
            "grandchild": "Cháu",
        }[kind]
        # the deceased carries the father's surname, and so do a man's children
        same_line = kind == "sibling" or (kind == "parent" and their_sex == MALE)
        same_line = same_line or (kind == "child" and sex == MALE)
        return {
            "declarant_full_name": self.people.full_name(
                their_sex, min(year, died - 18), line if same_line else None
            ),
            "declarant_sex": their_sex,
            "declarant_relation": relation,
            "declarant_residence": home if rng.random() < 0.85 else self.people.residence(False),
        }

    # -- rows that must not get a plain letter ------------------------------------------------

    def special(self, kind: str, event: str, month: date, days: list[date], rows) -> list[Row]:
        if kind == "duplicate":
            self.duplicates[event].append(month_key(month))
            return []
        if kind == "id_lost_zero":
            self.lose_leading_zero(event, rows)
            return []
        made = getattr(self, f"special_{kind}")(event, month, days)
        made = made if isinstance(made, list) else [made]
        for row in made:
            row.outcome, row.reason = REASONS[kind]
            row.variant = VARIANTS.get(kind, "")
        return made

    def special_twins(self, event: str, month: date, days: list[date], count: int = 2):
        """Children of one mother born the same day, registered together: one letter."""
        rng, people = self.rng, self.people
        reg = rng.choice(days)
        first = self.birth(reg, reg - timedelta(days=rng.randint(5, 25)), "Đúng hạn")
        born = first.values["child_dob"]
        rows, names = [first], {first.values["child_full_name"]}
        for _ in range(count - 1):
            sex = rng.choice([MALE, FEMALE])
            name = people.full_name(sex, born.year, first.line)
            while name in names:
                name = people.full_name(sex, born.year, first.line)
            names.add(name)
            values = dict(first.values) | {"child_full_name": name, "child_sex": sex,
                                           "child_pid": people.pid(sex, born.year)}  # fmt: skip
            rows.append(Row("khai_sinh", reg, values))
        for row in rows:
            row.family = f"{month_key(month)}-{count}"
        return rows

    def special_triplets(self, event: str, month: date, days: list[date]):
        return self.special_twins(event, month, days, count=3)

    def special_young_death(self, event: str, month: date, days: list[date]) -> Row:
        """A child of seven: the condolence letter for a child."""
        return self.death(self.rng.choice(days), lag=self.rng.randint(1, 6), kind="Đúng hạn",
                          age=7)  # fmt: skip

    def special_elder_death(self, event: str, month: date, days: list[date]) -> Row:
        """A death at 95: the condolence letter for an elder."""
        return self.death(self.rng.choice(days), lag=self.rng.randint(1, 6), kind="Đúng hạn",
                          age=95)  # fmt: skip

    def special_foreign_spouse(self, event: str, month: date, days: list[date]) -> Row:
        """A marriage with a foreign wife (communes register them from 01/7/2025)."""
        row = self.marriage(self.rng.choice(days))
        row.values |= {
            "wife_full_name": self.rng.choice(FOREIGN_WIVES), "wife_nationality": "Hàn Quốc",
            "wife_pid": "", "wife_ethnicity": "",
        }  # fmt: skip
        return row

    def special_adult_birth(self, event: str, month: date, days: list[date]) -> Row:
        dob = self.people.birthday(self.rng.randint(1958, 1992))
        return self.birth(self.rng.choice(days), dob, "Đăng ký lại", "Đăng ký lại khai sinh")

    def special_late_birth(self, event: str, month: date, days: list[date]) -> Row:
        reg = self.rng.choice(days)
        return self.birth(reg, self.people.birthday(reg.year - self.rng.randint(6, 15)), "Quá hạn")

    def special_late_death(self, event: str, month: date, days: list[date]) -> Row:
        return self.death(self.rng.choice(days), lag=self.rng.randint(120, 700), kind="Quá hạn")

    def special_outside_period(self, event: str, month: date, days: list[date]) -> Row:
        first = self.file_period(month)[0]
        before = working_days(first - timedelta(days=10), first - timedelta(days=1))[-1]
        return self.make_row(event, before)

    def special_bad_reg_date(self, event: str, month: date, days: list[date]) -> Row:
        row = self.make_row(event, self.rng.choice(days))
        row.broken["reg_date"] = self.impossible_date(month)
        return row

    def special_bad_dob(self, event: str, month: date, days: list[date]) -> Row:
        row = self.birth(self.rng.choice(days))
        row.broken["child_dob"] = self.impossible_date(month - timedelta(days=1))
        return row

    def special_missing_reg_date(self, event: str, month: date, days: list[date]) -> Row:
        row = self.make_row(event, self.rng.choice(days))
        row.broken["reg_date"] = None
        return row

    def special_child_death(self, event: str, month: date, days: list[date]) -> Row:
        """A birth early in the month, and the child's death registered later that month."""
        reg = self.rng.choice(days[:5])
        birth = self.birth(reg, reg - timedelta(days=self.rng.randint(5, 20)), "Đúng hạn")
        death = self.child_death_row(birth, days)
        death.reason, death.variant = "death_of_child_born_same_month", VARIANTS["young_death"]
        self.injected[month_key(month), "khai_tu"].append(death)
        return birth

    def child_death_row(self, birth: Row, days: list[date]) -> Row:
        child, rng = birth.values, self.rng
        died = birth.reg_date + timedelta(days=rng.randint(3, 8))
        reg = next(d for d in days if d > died)
        parent = "father" if "father_full_name" in child and rng.random() < 0.6 else "mother"
        values = self.common(reg, "Đúng hạn") | {
            "deceased_full_name": child["child_full_name"],
            "deceased_dob": child["child_dob"],
            "deceased_sex": child["child_sex"],
            "deceased_pid": child["child_pid"],
            "deceased_ethnicity": child["child_ethnicity"],
            "deceased_nationality": "Việt Nam",
            "last_residence": child["mother_residence"],
            "death_date": died,
            "death_time": (rng.randint(0, 23), rng.choice(range(0, 60, 5))),
            "death_place": child["birth_place"],
            "death_cause": "Bệnh",
            "death_notice_no": f"{rng.randint(1, 400):03d}/GBT",
            "declarant_full_name": child[f"{parent}_full_name"],
            "declarant_sex": MALE if parent == "father" else FEMALE,
            "declarant_relation": "Cha" if parent == "father" else "Mẹ",
            "declarant_residence": child[f"{parent}_residence"],
        }
        return Row("khai_tu", reg, values)

    def lose_leading_zero(self, event: str, rows: list[Row]) -> None:
        """The ID typed into a number cell: 099… becomes the 11-digit number 99…"""
        fields = {"khai_sinh": ["child_pid"], "ket_hon": ["husband_pid", "wife_pid"]}
        name = self.rng.choice(fields.get(event, ["deceased_pid"]))
        plain = [r for r in rows if r.outcome == LETTER and not (r.reason or r.warning)]
        row = self.rng.choice([r for r in plain if r.values.get(name)])
        row.broken[name] = int(row.values[name])
        row.warning = REASONS["id_lost_zero"][1]

    def impossible_date(self, month: date) -> str:
        """A day the month does not have, as the clerk types dates: 31/11/2024."""
        day = calendar.monthrange(month.year, month.month)[1] + 1
        if self.profile.dates == "dash":
            return f"{day:02d}-{month.month:02d}-{month.year}"
        return f"{day:02d}/{month.month}/{month.year}"
