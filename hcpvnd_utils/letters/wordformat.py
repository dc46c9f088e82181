"""Word's field switches and IF comparisons, evaluated for each letter (jinja filters).

A Word mail-merge template's MERGEFIELD, IF and QUOTE fields become jinja expressions
(``fields.py``) that call these filters, so a letter shows what Word's merge shows:

- ``\\* Upper``, ``\\* Lower``, ``\\* Caps`` (first letter of every word), ``\\* FirstCap`` (first
  letter of the text): only the letters named change, as in Word ("anh Lê" → ``FirstCap`` →
  "Anh Lê", never "Anh lê").
- ``\\@ "dd/MM/yyyy"``: a date picture. d, dd, ddd, dddd; M, MM, MMM, MMMM; yy, yyyy; H, HH, h,
  hh, m, mm, s, ss, AM/PM; 'quoted text' as it is. Month and day names are Vietnamese (MMMM →
  "tháng Chín", MMM → "thg 9", dddd → "Thứ Hai", ddd → "T2"). A value that is not a date
  prints unchanged, as in Word.
- ``\\# "#,##0"``: a numeric picture (0 and # places, grouping, decimals, - and +, sections
  "positive;negative;zero", 'quoted text'). A value that is not a number prints unchanged.
- IF comparisons: numbers compare as numbers, anything else as text (case counts, as in Word);
  with = and <> the right-hand text may hold the wildcards ? and *.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..letterfields import yes_no_word

MONTH_WORDS = ("Một", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười Một",
               "Mười Hai")  # fmt: skip
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
WEEKDAYS_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
CASES = ("upper", "lower", "caps", "firstcap")
OPERATORS = ("=", "<>", "<", ">", "<=", ">=")

_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_DATE_TOKEN = re.compile(
    r"'[^']*'|AM/PM|am/pm|A/P|a/p|[dD]{1,4}|M{1,4}|[yY]+|H{1,2}|h{1,2}|m{1,2}|s{1,2}|."
)  # Word reads D as d and Y as y; only M (month) and m (minutes), H and h differ
_CORE = re.compile(r"[0#][0#.,]*[0#]|[0#]")


def field_text(value) -> str:
    """What a merge field inserts for a context value: "" for nothing, the text otherwise."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# ---------------------------------------------------------------- \* case switches


def word_case(value, case: str) -> str:
    text = field_text(value)
    if case == "upper":
        return text.upper()
    if case == "lower":
        return text.lower()
    if case == "caps":
        return re.sub(r"(^|\s)(\S)", lambda m: m[1] + m[2].upper(), text)
    return text[:1].upper() + text[1:]  # firstcap


# ---------------------------------------------------------------- \@ date pictures


def as_day(value) -> datetime | None:
    """A date from a context value: a date object, "15/10/2024", "2/9/2024" or "2024-10-15"."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = field_text(value).strip()
    found, iso = _DAY_FIRST.fullmatch(text), _ISO.fullmatch(text)
    try:
        if found:
            return datetime(int(found[3]), int(found[2]), int(found[1]))
        if iso:
            return datetime(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def word_date(value, picture: str) -> str:
    moment = as_day(value)
    if moment is None:
        return field_text(value)
    return "".join(_date_piece(token, moment) for token in _DATE_TOKEN.findall(picture))


def _date_piece(token: str, moment: datetime) -> str:
    letter, width = token[0], len(token)
    letter = {"D": "d", "Y": "y"}.get(letter, letter)
    if token.startswith("'"):
        return token[1:-1]
    if letter == "d":
        if width <= 2:
            return f"{moment.day:0{width}d}"
        return (WEEKDAYS_SHORT if width == 3 else WEEKDAYS)[moment.weekday()]
    if letter == "M":
        if width <= 2:
            return f"{moment.month:0{width}d}"
        return f"thg {moment.month}" if width == 3 else f"tháng {MONTH_WORDS[moment.month - 1]}"
    if letter == "y":
        return f"{moment.year % 100:02d}" if width <= 2 else f"{moment.year:04d}"
    hour12 = moment.hour % 12 or 12
    numbers = {"H": moment.hour, "h": hour12, "m": moment.minute, "s": moment.second}
    if letter in numbers and width <= 2:
        return f"{numbers[letter]:0{width}d}"
    if token.lower() in ("am/pm", "a/p"):
        return ("SA" if moment.hour < 12 else "CH") if width > 3 else "AP"[moment.hour >= 12]
    return token


# ---------------------------------------------------------------- \# numeric pictures


def as_number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)) or (isinstance(value, float) and math.isfinite(value)):
        return Decimal(str(value))
    text = field_text(value).strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def picture_core(picture: str) -> str | None:
    """The digit part of a numeric picture ("#,##0" in "Số #,##0 'người'"), or None."""
    found = _CORE.search(_unquoted(picture.split(";")[0]))
    return found[0] if found else None


def _unquoted(picture: str) -> str:
    return re.sub(r"'[^']*'", lambda m: " " * len(m[0]), picture)


def _separators(core: str) -> tuple[str, str]:
    """(grouping, decimal) of a picture's digit part. A separator followed by exactly three
    places (and then the end or the same separator) groups: "#,##0" and "#.##0" both group."""
    kinds = [c for c in core if c in ",."]
    if not kinds:
        return "", ""
    if len(set(kinds)) == 2:
        decimal = kinds[-1]
        return ("," if decimal == "." else "."), decimal
    mark = kinds[0]
    groups = core.split(mark)
    if len(groups) > 2 or (len(groups[-1]) == 3 and groups[0]):
        return mark, ""
    return "", mark


def word_number(value, picture: str) -> str:
    number = as_number(value)
    if number is None:
        return field_text(value)
    sections = picture.split(";")
    section, signed = sections[0], True
    if number < 0 and len(sections) > 1 and sections[1]:
        section, signed, number = sections[1], False, -number
    elif number == 0 and len(sections) > 2 and sections[2]:
        section = sections[2]
    core = picture_core(section)
    if core is None:  # a section of text only ("positive;negative;'không'")
        return _literal(section, number)
    start = _unquoted(section).index(core)
    prefix, suffix = section[:start], section[start + len(core) :]
    digits = _place_digits(number, core)
    if signed and number < 0 and "-" not in prefix and "+" not in prefix:
        digits = "-" + digits
    return _literal(prefix, number) + digits + _literal(suffix, number)


def _place_digits(number: Decimal, core: str) -> str:
    group, decimal = _separators(core)
    whole, _, fraction = core.partition(decimal) if decimal else (core, "", "")
    places = len(fraction)
    rounded = abs(number).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    int_text, _, frac_text = f"{rounded:f}".partition(".")
    slots = [c for c in whole if c in "0#"]
    missing = slots[: max(len(slots) - len(int_text), 0)]
    filled = "".join("0" if slot == "0" else " " for slot in missing) + int_text
    if group:
        filled = _group(filled, group)
    if places:
        filled += decimal + frac_text.ljust(places, "0")
    return filled


def _group(filled: str, mark: str) -> str:
    """Grouping marks between digits only (padding spaces are never separated)."""
    pad = len(filled) - len(filled.lstrip(" "))
    digits, out = filled[pad:], []
    for index, ch in enumerate(reversed(digits)):
        if index and index % 3 == 0:
            out.append(mark)
        out.append(ch)
    return " " * pad + "".join(reversed(out))


def _literal(text: str, number: Decimal) -> str:
    pieces = re.findall(r"'[^']*'|.", text)
    out = []
    for piece in pieces:
        if piece.startswith("'"):
            out.append(piece[1:-1])
        elif piece == "-":
            out.append("-" if number < 0 else " ")
        elif piece == "+":
            out.append("+" if number > 0 else "-" if number < 0 else " ")
        else:
            out.append(piece)
    return "".join(out)


# ---------------------------------------------------------------- IF comparisons


def word_compare(left, operator: str, right) -> bool:
    """Word's IF: numbers as numbers, else text; ? and * in the right-hand text with = and <>.
    A yes/no field is its text "Đúng"/"Sai", equal to "đúng", "True"… in any case."""
    a, b = field_text(left), field_text(right)
    flags = (yes_no_word(a), yes_no_word(b))
    if operator in ("=", "<>") and None not in flags:
        return (flags[0] is flags[1]) == (operator == "=")
    x, y = as_number(a), as_number(b)
    if x is not None and y is not None:
        a, b = x, y
    elif operator in ("=", "<>") and ("*" in b or "?" in b):
        matched = _wildcard(b).fullmatch(a) is not None
        return matched if operator == "=" else not matched
    return {
        "=": a == b,
        "<>": a != b,
        "<": a < b,
        ">": a > b,
        "<=": a <= b,
        ">=": a >= b,
    }[operator]


def _wildcard(pattern: str) -> re.Pattern:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


FILTERS = {
    "_field_text": field_text,
    "_word_case": word_case,
    "_word_date": word_date,
    "_word_number": word_number,
    "_word_compare": word_compare,
}
