"""The rows we read and what became of each: the contract between ingest, validate, letters.

Canonical field names (``values`` keys) are English; templates see Vietnamese field names made
by ``wording``. Value types after ingest:
- text fields: NFC ``str`` (names capitalised per syllable), never ``None``-as-text;
- ``*_date`` and ``*_dob``: ``datetime.date``; a ``*_dob`` known only by its year is an ``int``;
- ``*_birth_year``: ``int``;
- ``*_sex``: "Nam" or "Nữ";
- ``*_pid``: 12-digit ``str``.
A field missing from the file, or empty, is absent from ``values``.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .errors import Problem
from .textnorm import fold

# The vocabulary every stage shares: the events, the outcome of a row, their Vietnamese titles.
EVENTS = ("khai_sinh", "ket_hon", "khai_tu")
EVENT_TITLES = {"khai_sinh": "Khai sinh", "ket_hon": "Kết hôn", "khai_tu": "Khai tử"}
# the letter each event gets, by its name: the delivery sheet, the report's headings, sentences
# (in lower case) and charts all say it so
LETTER_TITLES = {
    "khai_sinh": "Thư chúc mừng khai sinh",
    "ket_hon": "Thư chúc mừng kết hôn",
    "khai_tu": "Thư chia buồn",
}

# Outcome of each row; every row gets exactly one.
LETTER, REJECTED, OUT_OF_PERIOD, DUPLICATE, NOT_ELIGIBLE, ALREADY_SENT = (
    "letter",
    "rejected",
    "out_of_period",
    "duplicate",
    "not_eligible",
    "already_sent",
)
OUTCOMES = (LETTER, REJECTED, OUT_OF_PERIOD, DUPLICATE, NOT_ELIGIBLE, ALREADY_SENT)
# summary.json count names, in order, for each outcome
COUNT_NAMES = {
    LETTER: "letters",
    REJECTED: "rejected",
    OUT_OF_PERIOD: "out_of_period",
    DUPLICATE: "duplicates",
    NOT_ELIGIBLE: "not_eligible",
    ALREADY_SENT: "already_sent",
}
OUTCOME_TITLES = {
    LETTER: "Gửi thư",
    REJECTED: "Lỗi dữ liệu",
    OUT_OF_PERIOD: "Ngoài kỳ",
    DUPLICATE: "Trùng",
    NOT_ELIGIBLE: "Không thuộc diện",
    ALREADY_SENT: "Đã gửi trước",
}
# the columns of an accounting table: rows read, then one per outcome (summary.json's names)
COUNT_ORDER = ["rows", *COUNT_NAMES.values()]
COUNT_TITLES = {"rows": "Số dòng", **{COUNT_NAMES[o]: OUTCOME_TITLES[o] for o in OUTCOMES}}

FIELDS = {
    "common": ["reg_book", "reg_no", "reg_date", "reg_kind", "note"],
    "khai_sinh": [
        "child_full_name", "child_dob", "child_sex", "child_pid",
        "mother_full_name", "mother_birth_year", "mother_residence", "mother_pid",
        "father_full_name", "father_birth_year", "father_residence",
        "declarant_full_name", "declarant_relation",
    ],
    "ket_hon": [
        "husband_full_name", "husband_dob", "husband_residence", "husband_pid",
        "wife_full_name", "wife_dob", "wife_residence", "wife_pid",
        "husband_nationality", "wife_nationality",
    ],
    "khai_tu": [
        "deceased_full_name", "deceased_dob", "deceased_sex", "deceased_pid", "last_residence",
        "death_date", "declarant_full_name", "declarant_relation", "declarant_residence",
        "declarant_sex",
    ],
}  # fmt: skip

# The day the event itself happened, per event: a birth, the marriage (made by its registration),
# a death. A date of birth known only by its year has no day.
EVENT_DATE_FIELDS = {"khai_sinh": "child_dob", "ket_hon": "reg_date", "khai_tu": "death_date"}

# Fields without which no letter can be written, per event (in the order they are reported).
REQUIRED = {
    "khai_sinh": ["reg_no", "reg_date", "child_full_name", "child_dob"],
    "ket_hon": ["reg_no", "reg_date", "husband_full_name", "wife_full_name"],
    "khai_tu": ["reg_no", "reg_date", "deceased_full_name", "death_date"],
}

# The people a letter is about (its file name, and what tells two registrations apart).
SUBJECT_FIELDS = {
    "khai_sinh": ("child_full_name",),
    "ket_hon": ("husband_full_name", "wife_full_name"),
    "khai_tu": ("deceased_full_name",),
}

# Events registered once: the same registration date and people under another number are the
# same registration (a corrected number), never a second letter. Twins share a birth's day.
RENUMBERED_EVENTS = ("ket_hon", "khai_tu")

# What each field is called in a clerk's message when it is missing.
FIELD_TITLES = {
    "reg_book": "quyển số", "reg_no": "số đăng ký", "reg_date": "ngày đăng ký",
    "reg_kind": "loại đăng ký", "note": "ghi chú",
    "child_full_name": "họ tên trẻ", "child_dob": "ngày sinh của trẻ", "child_sex": "giới tính",
    "child_pid": "số định danh của trẻ",
    "mother_full_name": "họ tên mẹ", "mother_birth_year": "năm sinh của mẹ",
    "mother_residence": "nơi cư trú của mẹ", "mother_pid": "số định danh của mẹ",
    "father_full_name": "họ tên cha", "father_birth_year": "năm sinh của cha",
    "father_residence": "nơi cư trú của cha",
    "declarant_full_name": "họ tên người đi đăng ký", "declarant_relation": "quan hệ",
    "declarant_residence": "nơi cư trú của người đi đăng ký",
    "declarant_sex": "giới tính người đi đăng ký",
    "husband_full_name": "họ tên chồng", "husband_dob": "ngày sinh của chồng",
    "husband_residence": "nơi cư trú của chồng", "husband_pid": "số định danh của chồng",
    "wife_full_name": "họ tên vợ", "wife_dob": "ngày sinh của vợ",
    "wife_residence": "nơi cư trú của vợ", "wife_pid": "số định danh của vợ",
    "husband_nationality": "quốc tịch của chồng", "wife_nationality": "quốc tịch của vợ",
    "deceased_full_name": "họ tên người chết", "deceased_dob": "ngày sinh của người chết",
    "deceased_sex": "giới tính người chết", "deceased_pid": "số định danh của người chết",
    "last_residence": "nơi cư trú cuối cùng", "death_date": "ngày chết",
}  # fmt: skip


@dataclass
class Record:
    """One data row of a register export, as read."""

    event: str
    file: str  # input file name as the clerk sees it
    sheet: str
    row: int  # the row number Excel shows
    values: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written
    problems: list[Problem] = field(default_factory=list)  # errors: the row is rejected
    warnings: list[Problem] = field(default_factory=list)
    # the key of the registration this row is known as (another spelling of its book)
    same_as: tuple[str, str, str] | None = field(default=None, compare=False)

    def get(self, name: str, default=None):
        return self.values.get(name, default)

    @property
    def reg_date(self) -> date | None:
        value = self.values.get("reg_date")
        return value if isinstance(value, date) else None

    @property
    def book(self) -> str:
        """The register book as "<book number>/<year>": "01/2024", "1-2024" and "01" (registered
        in 2024) all give "1/2024"; an export without a book column means book 1 of the
        registration year. Clerks write the same book several ways; one registration must
        always get the same key, or it could get a second letter."""
        return normalize_book(self.values.get("reg_book"), self.reg_date)

    @property
    def number(self) -> str:
        """The registration number as a key: "5", "05", "5.0" (a CSV re-export), "Số 5" and
        "5/2024" (registered in 2024) are all "5"; "7A", "07a" and "7 A" are "7a". "" when the
        cell has no letter or digit at all."""
        years = {y for y in (self.book.rsplit("/", 1)[-1], _year_of(self.reg_date)) if y}
        return normalize_number(self.values.get("reg_no"), years)

    @property
    def event_date(self) -> date | None:
        """The day of the birth, marriage or death (``EVENT_DATE_FIELDS``), None when unknown."""
        value = self.values.get(EVENT_DATE_FIELDS.get(self.event, ""))
        return value if isinstance(value, date) else None

    def registration_fields(self) -> dict[str, str]:
        """What summary.json says of the registration a row is about: its key (book and number
        as the ledger writes them), the number as written, and its dates (ISO, "" when unknown).
        No name, no ID number."""
        _, book, number = self.registration_key()
        return {
            "book": book,
            "number": number,
            "registration_no": str(self.values.get("reg_no", "")),
            "registration_date": _iso_day(self.reg_date),
            "event_date": _iso_day(self.event_date),
        }

    def registration_key(self) -> tuple[str, str, str]:
        """(event, book, number): unique within a unit. Every spelling an export gives one
        registration is one key (``normalize_book``, ``normalize_number``); a row that the
        ledger or an earlier row of the run knows under another book spelling (same event,
        number and registration date) takes that one's key (``same_as``)."""
        return self.same_as or (self.event, self.book, self.number)

    def same_day_key(self) -> tuple[str, str, str, str] | None:
        """(event, number, registration date, subject hash): the same registration whatever
        its book is called (left out of one export, spelt otherwise in another), or None
        without a date or number. Two families are never one: the people it is about count."""
        number = self.number
        if not number or self.reg_date is None:
            return None
        return (self.event, number, self.reg_date.isoformat(), self.subject_hash())

    def subject_hash(self) -> str:
        """sha256 (16 hex digits) of the folded names of the people the letter is about: tells
        registrations apart without keeping a name."""
        names = " | ".join(fold(self.values.get(f, "")) for f in SUBJECT_FIELDS.get(self.event, ()))
        return hashlib.sha256(names.encode("utf-8")).hexdigest()[:16]

    def family_key(self) -> FamilyKey | None:
        """Who a birth's letter is for, hashed: the mother (her ID; her folded name and birth
        year) and the child's date of birth. Twins and triplets share it; None for other events,
        a date of birth known only by its year, or a birth with neither the mother's name nor
        her ID (such a row is a family of its own)."""
        born = self.values.get("child_dob")
        if self.event != "khai_sinh" or not isinstance(born, date):
            return None
        pid = str(self.values.get("mother_pid") or "").strip()
        name = fold(self.values.get("mother_full_name", ""))
        if not pid and not name:
            return None
        year = self.values.get("mother_birth_year")
        year = year.year if isinstance(year, date) else year
        base = f"khai_sinh|{_iso_day(born)}"
        return FamilyKey(
            _short_hash(f"{base}|pid|{pid}") if pid else None,
            _short_hash(f"{base}|name|{name}") if name else None,
            _short_hash(f"{base}|name|{name}|{year}") if name and year else None,
        )

    def column(self, name: str) -> str:
        """The column header as written in the file, for messages."""
        return self.headers.get(name, FIELD_TITLES.get(name, name))

    def problem(self, code: str, column_field: str = "", severity="error", **fields) -> Problem:
        return Problem.make(
            code,
            file=self.file,
            sheet=self.sheet,
            row=self.row,
            column=self.column(column_field) if column_field else "",
            severity=severity,
            **fields,
        )

    def __repr__(self) -> str:  # never show personal data in logs or tracebacks
        return f"Record({self.event}, {self.file!r}, sheet={self.sheet!r}, row={self.row})"


@dataclass(frozen=True)
class FamilyKey:
    """A birth's family, as hashes (16 hex digits, no name kept): the mother's ID, her folded
    name, her name and birth year, each with the child's date of birth (None when unknown).
    Two births are one family event when the mothers' IDs are equal (both given), or else
    the names are equal and the birth years do not differ."""

    pid: str | None
    name: str | None
    year: str | None

    def same_mother(self, other: FamilyKey) -> bool:
        if self.pid and other.pid:
            return self.pid == other.pid
        if not (self.name and other.name) or self.name != other.name:
            return False
        return not (self.year and other.year) or self.year == other.year


def letters_in(entries) -> int:
    """How many letters a summary's ``letters`` list holds: one per file (a letter for twins has
    an entry per registration)."""
    return len({e.get("file") if isinstance(e, dict) else id(e) for e in entries})


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _iso_day(value: date | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def normalize_book(value, registered: date | None = None) -> str:
    """ "01/2024", "1 / 2024", "1-2024", "Quyển 01/2024" and "01" (registered in 2024) are all
    "1/2024"; nothing written means book 1 of the registration year. A book named by letters
    keeps them, with or without a year: "Quyển A/2024", "A/2024" and "Quyển A" (registered in
    2024) are "a/2024", "B/2024" is "b/2024" (numbers restart in each book)."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    numbers = re.findall(r"\d+", text)
    year = next((n for n in numbers if len(n) == 4), None) or _year_of(registered)
    short = [n for n in numbers if len(n) != 4]
    if short:
        number = str(int(short[0]))
    else:
        words = fold(re.sub(r"\d{4}", " ", text)).split()
        while words and words[0] in _BOOK_WORDS:
            words.pop(0)
        # an event's mark is not a book's name: "KS/2024" stays book 1
        number = "".join(w for w in words if w not in _EVENT_SUFFIXES) or "1"
    return f"{number}/{year or ''}"


_BOOK_WORDS = {"quyen", "so"}  # "Quyển A", "Quyển số A"


_DECIMAL_ZERO = re.compile(r"^\s*(\d+)[.,]0+\s*$")
_DECIMAL = re.compile(r"^\s*(\d+)[.,](\d+)\s*$")
_NUMBER_WORDS = {"so", "dk", "no"}  # "Số 5", "Số ĐK: 5", "No. 5"
_EVENT_SUFFIXES = {"ks", "kh", "kt"}  # "09/KS", "22-KH", "23/2024/KH", "số 20/KS-2024"
_NEAR_INTEGER = 1e-6  # 5.0000001 (a spreadsheet's float) is number 5


def _near_integer(value: float) -> int | None:
    nearest = round(value)
    return nearest if abs(value - nearest) <= _NEAR_INTEGER else None


def normalize_number(value, years: set[str] | frozenset[str] = frozenset()) -> str:
    """A registration number as a key (see ``Record.number``). A trailing year is dropped when
    it is one of ``years`` (the book's or the registration's): "05/2024" is number 5. So is
    the event's mark ("09/KS", "22-KH", "23/2024/KH", "số 20/KS-2024"); full-width digits
    ("Số ８") are digits and a float within 1e-6 of an integer (5.0000001) is that integer."""
    if isinstance(value, float) and math.isfinite(value) and _near_integer(value) is not None:
        value = _near_integer(value)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if match := _DECIMAL_ZERO.match(text):
        text = match[1]
    elif (match := _DECIMAL.match(text)) and (
        near := _near_integer(float(f"{match[1]}.{match[2]}"))
    ) is not None:
        text = str(near)
    tokens = fold(text).split()
    while len(tokens) > 1 and tokens[0] in _NUMBER_WORDS:
        tokens.pop(0)
    while len(tokens) > 1 and (tokens[-1] in years or tokens[-1] in _EVENT_SUFFIXES):
        tokens.pop()
    parts = [re.sub(r"^0+(?=\d)", "", token) for token in tokens]
    joined = ""
    for part in parts:  # "7 a" is "7a"; "12 3" stays "12-3"
        glue = "-" if joined and joined[-1].isdigit() and part[0].isdigit() else ""
        joined += glue + part
    return joined


def _year_of(day: date | None) -> str:
    return str(day.year) if isinstance(day, date) else ""


@dataclass
class Outcome:
    record: Record
    status: str
    problem: Problem | None = None  # the reason, for every status but "letter"
    # a letter for several registrations (twins…): every one of them, in registration order,
    # the same list for each; empty for a letter of its own registration
    group: list[Record] = field(default_factory=list, compare=False, repr=False)
    # a registration the family's letter already covers (R-FAMILY-02): that letter's ledger row,
    # which the run ties this registration to; None otherwise
    shares: dict | None = field(default=None, compare=False, repr=False)


@dataclass
class SourceFile:
    """What ingest learnt about one file (or one sheet of it)."""

    name: str
    sheet: str
    event: str
    rows: int
    stated_start: date | None = None  # "Từ ngày … đến ngày …" in the title rows
    stated_end: date | None = None
    encoding: str = ""  # "TCVN3" / "VNI" when converted from a legacy encoding


@dataclass
class IngestResult:
    records: list[Record] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)  # files/sheets not read at all
    warnings: list[Problem] = field(default_factory=list)

    def extend(self, other: IngestResult) -> None:
        self.records += other.records
        self.sources += other.sources
        self.file_problems += other.file_problems
        self.warnings += other.warnings
