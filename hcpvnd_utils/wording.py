"""Pure wording functions: dates, numbers, honorifics (the template fields of one letter are
made from them in ``letterfields``).

Everything returned is NFC text on one line (or a bool flag), never None/nan/NaT. Rules:
- dates per Decree 30 (Nghị định 30/2020): "Phước Thành, ngày 03 tháng 01 năm 2025";
- counts per administrative convention: "02", "54", "1.405", "97,5%";
- honorifics by sex and age with the thresholds of the units file's ``settings``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

from .config import DEFAULT_SETTINGS
from .periods import short_date
from .textnorm import fold

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
MALE, FEMALE = "Nam", "Nữ"


# ---------------------------------------------------------------- text and dates


def is_missing(value) -> bool:
    """None, empty text, float nan, pandas NaT/NA (without importing pandas)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # noqa: PLR0124 (nan and NaT differ from themselves)
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True


def clean_text(value) -> str:
    """One line of NFC text: control characters and newlines become spaces, spaces collapse."""
    if is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def as_date(value) -> date | None:
    """A date from a date/datetime/Timestamp; None for anything else (and for NaT)."""
    if is_missing(value) or not isinstance(value, date):
        return None
    return value.date() if isinstance(value, datetime) else value


def vn_date(day: date) -> str:
    """'ngày 03 tháng 01 năm 2025': zero-padded days below 10 and months 1 and 2 only."""
    day = as_date(day)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: date) -> str:
    """'Phước Thành, ngày 03 tháng 01 năm 2025' (place without 'xã'/'huyện')."""
    return f"{clean_text(place)}, {vn_date(day)}"


def day_text(value) -> str:
    """'04/11/2024' for running text (periods.short_date); a bare year stays '1950'."""
    day = as_date(value)
    if day is not None:
        return short_date(day)
    return clean_text(value)


def age_on(born, day) -> int | None:
    """Completed years on ``day``; ``born`` is a date or a year (int); None when unknown."""
    day = as_date(day)
    if day is None or is_missing(born):
        return None
    birth = as_date(born)
    if birth is not None:
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    try:
        return day.year - int(born)
    except (TypeError, ValueError):
        return None


def letter_day(values: dict, settings: dict, today: date) -> date:
    """The date printed on a letter: the registration date, or ``today`` when configured."""
    if settings.get("letter_date", "registration") == "run":
        return today
    return as_date(values.get("reg_date")) or today


# ---------------------------------------------------------------- numbers


def _group(digits: str) -> str:
    """'1405' -> '1.405'."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def admin_number(n: int) -> str:
    """Counts in reports: '02', '09', '54', '1.405' (leading zero from 1 to 9, dot thousands)."""
    n = int(n)
    sign, n = ("-", -n) if n < 0 else ("", n)
    text = f"{n:02d}" if 0 < n < 10 else _group(str(n))
    return sign + text


def admin_decimal(x: float, digits: int = 1) -> str:
    """'1.405,5', '97,5', '100' (decimal comma, dot thousands, trailing zeros dropped)."""
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return ""
    text = f"{abs(x):.{digits}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    sign = "-" if x < 0 and (int(whole) or frac) else ""
    return sign + _group(whole) + (f",{frac}" if frac else "")


def admin_percent(x: float, digits: int = 1) -> str:
    """97.5 -> '97,5%' (x is already a percentage)."""
    text = admin_decimal(x, digits)
    return f"{text}%" if text else ""


# ---------------------------------------------------------------- honorifics


def normal_sex(value) -> str:
    """'Nam' / 'Nữ' / '' from the many ways a register writes it."""
    key = fold(clean_text(value))
    if key in {"nam", "male", "m", "trai"}:
        return MALE
    if key in {"nu", "female", "f", "gai"}:
        return FEMALE
    return ""


def sex_from_name(full_name: str) -> str:
    """'Nữ' when a middle syllable is 'Thị', 'Nam' for 'Văn'; '' otherwise (a guess)."""
    middle = {fold(word) for word in clean_text(full_name).split()[1:-1]}
    if "thi" in middle and "van" not in middle:
        return FEMALE
    if "van" in middle and "thi" not in middle:
        return MALE
    return ""


# folded relation -> sex; "ba"/"bà" is left out: "ba" means father in the South, "bà" grandmother
_RELATION_SEX = {
    "vo": FEMALE, "me": FEMALE, "ma": FEMALE, "con gai": FEMALE, "con dau": FEMALE,
    "chau gai": FEMALE, "chi": FEMALE, "em gai": FEMALE,
    "chong": MALE, "cha": MALE, "bo": MALE, "con trai": MALE, "con re": MALE,
    "chau trai": MALE, "anh": MALE, "em trai": MALE, "ong": MALE,
}  # fmt: skip


def sex_from_relation(relation: str) -> str:
    """'vợ' -> 'Nữ', 'con trai' -> 'Nam'; '' when the relation says nothing about sex."""
    return _RELATION_SEX.get(fold(clean_text(relation)), "")


def honorific(sex, age: int | None, role: str, settings: dict) -> str:
    """How the letter names a person, lower-case: cụ / ông / bà / anh / chị / cháu, or ''.

    role "deceased": cháu below ``child_age``, anh/chị below ``adult_age``, ông/bà below
    ``elder_age``, cụ from it; unknown age: ông/bà. Roles "parent", "spouse": anh/chị, or ông/bà
    from ``formal_age`` or when ``address_style`` is "ong_ba". Role "declarant" (age not in the
    registers): ông/bà, or anh/chị when the age is known to be below ``formal_age``.
    An unknown sex gives '' where the word depends on it.
    """
    cfg = {**DEFAULT_SETTINGS, **(settings or {})}
    sex = normal_sex(sex)
    if role == "deceased":
        if age is not None and age < int(cfg["child_age"]):
            return "cháu"
        if age is not None and age >= int(cfg["elder_age"]):
            return "cụ"
        young = age is not None and age < int(cfg["adult_age"])
    elif role == "declarant":
        young = age is not None and age < int(cfg["formal_age"])
    else:
        formal = cfg.get("address_style") == "ong_ba"
        young = not formal and (age is None or age < int(cfg["formal_age"]))
    pair = ("anh", "chị") if young else ("ông", "bà")
    return {MALE: pair[0], FEMALE: pair[1]}.get(sex, "")


def named(title: str, name: str) -> str:
    """'anh Nguyễn Văn An'; just the name when the honorific is empty (no double space)."""
    return " ".join(part for part in (title, name) if part)


def capitalised(text: str) -> str:
    """'anh Nguyễn Văn An' -> 'Anh Nguyễn Văn An'; 'ông/bà X' -> 'Ông/Bà X'."""
    head, space, rest = text.partition(" ")
    head = "/".join(part[:1].upper() + part[1:] for part in head.split("/"))
    return head + space + rest
