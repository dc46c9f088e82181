"""Text clean-up for everything read from a register export.

- ``clean_text``: NFC, control characters and zero-width marks removed, whitespace collapsed.
- ``fold``: the matching key (lower case, no diacritics, đ → d, punctuation and line breaks
  collapsed to single spaces). For matching only: never shown to a clerk.
- ``capitalize_name``: a personal name with every syllable capitalised, from NFC or NFD input.
- ``normalize_pid``: a personal ID number as 12 digits of text.
- ``parse_sex``: "Nam" / "Nữ".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PID_DIGITS = 12
CMND_DIGITS = 9  # the identity card before the 12-digit number; older people still hold one
OTHER_DOCUMENT = "other-document"
_PASSPORT = re.compile(r"[A-Z]{1,2}[0-9]{6,8}")  # Vietnamese B/C/N/P + 7 digits, and the like

# Controls and zero-width/formatting marks (soft hyphen, zero-width space and joiners,
# direction marks, BOM) are dropped; tabs, line breaks, the ASCII separators (\x1c-\x1f, which
# some exports put between fields) and every kind of space become one space.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"\s+")
_COMBINING = re.compile("[\u0300-\u036f]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def _drop_invisible(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text
    return _INVISIBLE.sub("", text)


def clean_text(value: object) -> str:
    """A cell as NFC text: invisible characters removed, runs of whitespace made one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _drop_invisible(str(value))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """Lower case without diacritics (đ → d), punctuation kept."""
    text = _drop_invisible(str(text))
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFD", text)).translate(_FOLD_EXTRA)
    return text.lower()


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    return _NOT_ALNUM.sub(" ", strip_accents(text)).strip()


def fold(text: object) -> str:
    """The key used to match headers and markers: "Ngày, tháng,\\nnăm ĐK" → "ngay thang nam dk"."""
    if text is None:
        return ""
    return _fold(text if isinstance(text, str) else str(text))


def _capitalize_syllable(word: str) -> str:
    parts = re.split(r"([-'’])", word)
    out = []
    for index, part in enumerate(parts):
        # Capitalise after a hyphen, and after an apostrophe that follows one letter (H'Hen).
        after_apostrophe = index >= 2 and parts[index - 1] in "'’" and len(parts[index - 2]) != 1
        out.append(part.lower() if after_apostrophe else part[:1].upper() + part[1:].lower())
    return "".join(out)


def capitalize_name(value: object) -> str:
    """Every syllable capitalised, from NFC or NFD: "ngô thị kim liên" → "Ngô Thị Kim Liên"."""
    text = clean_text(value)
    return " ".join(_capitalize_syllable(word) for word in text.split(" ") if word)


_NOT_IN_NAMES = frozenset('#@=/\\:;!?%&*+<>[]{}|_~^$"\ufffd')  # U+FFFD: a damaged byte


def looks_like_name(text: str) -> bool:
    """A personal name has letters, and no digits or symbols ("#N/A", "=A1", "12345")."""
    return any(c.isalpha() for c in text) and not any(
        c.isdigit() or c in _NOT_IN_NAMES for c in text
    )


def normalize_pid(value: object) -> tuple[str, str]:
    """(12-digit ID or "", code): code is "" (fine), "W-ID-01" (leading zero restored),
    OTHER_DOCUMENT (an old 9-digit CMND or a passport number: a valid identity document for
    an adult, but never a key) or "E-ID-01" (none of these)."""
    if isinstance(value, bool):
        return "", "E-ID-01"
    if isinstance(value, float):
        if not value.is_integer():
            return "", "E-ID-01"
        value = int(value)
    text = clean_text(value).lstrip("'")
    compact = re.sub(r"[\s.\-]", "", text)
    if compact.isdigit() and compact.isascii():
        if len(compact) == PID_DIGITS:
            return compact, ""
        if len(compact) == PID_DIGITS - 1:
            return "0" + compact, "W-ID-01"
        if len(compact) == CMND_DIGITS:
            return "", OTHER_DOCUMENT
    if _PASSPORT.fullmatch(compact):
        return "", OTHER_DOCUMENT
    return "", "E-ID-01"


def digit_count(value: object) -> int:
    return sum(c.isdigit() for c in clean_text(value))


_SEX_WORDS = {
    "nam": "Nam",
    "trai": "Nam",
    "be trai": "Nam",
    "con trai": "Nam",
    "m": "Nam",
    "male": "Nam",
    "nu": "Nữ",
    "gai": "Nữ",
    "be gai": "Nữ",
    "con gai": "Nữ",
    "f": "Nữ",
    "female": "Nữ",
}


def parse_sex(value: object) -> str:
    """Nam or Nữ from "nam", "NỮ", "Nu", "trai", "gái"…; "" when it is neither."""
    return _SEX_WORDS.get(fold(value), "")


def is_marked(value: object) -> bool:
    """A tick in a two-column Nam | Nữ layout: "x", "X", "✓", 1, "có"."""
    if value is None or value is False or value == 0:
        return False
    key = fold(value)
    return bool(key) and key not in {"0", "khong", "no"} or str(value).strip() in {"✓", "✔", "√"}
