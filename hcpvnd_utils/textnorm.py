"""Text clean-up for everything read from a register export.

- ``clean_text``: NFC, control characters and zero-width marks removed, whitespace collapsed.
- ``fold``: the matching key (lower case, no diacritics, đ → d, punctuation and line breaks
  collapsed to single spaces). For matching only: never shown to a clerk.
- ``capitalize_name``: a personal name with every syllable capitalised, from NFC or NFD input.
- ``EmptyValues``: cell texts that mean "nothing here" ("None", "nan", "x", "-", "Không có").
- ``normalize_pid``: a personal ID number as 12 digits of text.
- ``parse_sex``: "Nam" / "Nữ".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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


# What a name shown on a terminal or written to a workbook must not carry raw: control
# characters (terminal escapes, bells, line breaks) and the marks that reorder text on screen.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: object) -> str:
    """A file or sheet name as it can be shown anywhere (console, log, workbook): NFC, each
    control or direction character written as ``\\xNN`` / ``\\uNNNN``. The same name always
    gives the same text, so it still tells two files apart."""
    text = unicodedata.normalize("NFC", str(text))
    return _UNSHOWABLE.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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


MAX_SLUG = 60


def ascii_slug(text: str, limit: int = MAX_SLUG) -> str:
    """'Nguyễn Thị Đào' -> 'nguyen_thi_dao' (safe on Windows and in zip files): what a letter's
    file name says of the people it is for."""
    return fold(text).replace(" ", "_")[:limit].rstrip("_") or "x"


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


DAMAGED = "\ufffd"  # U+FFFD: what a byte that was not UTF-8 is read as
_NOT_IN_NAMES = frozenset('#@=/\\:;!?%&*+<>[]{}|_~^$"' + DAMAGED)


def looks_like_name(text: str) -> bool:
    """A personal name has letters, and no digits or symbols ("#N/A", "=A1", "12345")."""
    return any(c.isalpha() for c in text) and not any(
        c.isdigit() or c in _NOT_IN_NAMES for c in text
    )


# Placeholders are compared without case, spaces and this punctuation: "(Không có)", "N/A",
# "- - -" and "..." are "khôngcó", "na", "" and "". Symbols that could be data ({, <, #, &)
# are kept, so "#N/A" or "{x}" is never taken for an empty cell.
_PLACEHOLDER_MARKS = re.compile(r"[\s.,;:…\-‐‑–—/\\_()\[\]'\"“”‘’?*]+")
_PLACEHOLDER_MAX = 60  # longer cells are never a placeholder: no need to look


# what clean-up and key-making remove or change: punctuation, spaces, invisible marks, the
# combining accents of decomposed (NFD) text
_IGNORED_CHARS = frozenset(
    ".,;:…-‐‑–—/\\_()[]'\"“”‘’?* \t\n\r\x0b\x0c\xa0\u2000\u2001\u2002\u2003\u2009\u202f\u3000"
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
) | frozenset(map(chr, range(0x300, 0x370)))


def _chars_of(keys) -> frozenset[str]:
    found = set(_IGNORED_CHARS)
    for key in keys:
        found.update(key, unicodedata.normalize("NFD", key))
    return frozenset(found)


@lru_cache(maxsize=8)
def _other_char(chars: frozenset[str]) -> re.Pattern:
    """A character no placeholder holds, in either case."""
    allowed = chars | {c.upper() for c in chars}
    return re.compile("[^" + "".join(re.escape(c) for c in sorted(allowed)) + "]")


@lru_cache(maxsize=1 << 14)
def _placeholder_key(text: str) -> str:
    return _PLACEHOLDER_MARKS.sub("", clean_text(text).lower())


@dataclass(frozen=True)
class EmptyValues:
    """Cell texts that stand for "nothing here": an export's "None", "nan" or "NaT", a clerk's
    "x", "-", "0", "Không có", "Chưa xác định". Matched as a whole cell, so a name is never
    touched. An entry matches as written (any case, with or without the punctuation above),
    and typed without diacritics: "khong co" is "Không có", but "Khổng" is not "không"."""

    exact: frozenset[str] = frozenset()
    plain: frozenset[str] = frozenset()  # the same, without diacritics
    # every character a placeholder cell can hold (in lower case): a cell with any other, as
    # nearly every name, date or address has, is no placeholder, and costs no clean-up to say so
    chars: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entries) -> EmptyValues:
        keys = {_placeholder_key(str(entry)) for entry in entries if entry is not None}
        plain = {strip_accents(key) for key in keys}
        return cls(frozenset(keys), frozenset(plain), _chars_of(keys | plain))

    def __or__(self, other: EmptyValues) -> EmptyValues:
        return EmptyValues(
            self.exact | other.exact, self.plain | other.plain, self.chars | other.chars
        )

    def matches(self, value: object) -> bool:
        """Whether a cell (text or number) is one of these placeholders. Called for every
        cell: most are rejected by their first character that no placeholder has."""
        if value.__class__ is str:
            if len(value) > _PLACEHOLDER_MAX or _other_char(self.chars).search(value):
                return False
            text = value
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        elif value == value and value != 0:  # only 0 and NaN can stand for nothing
            return False
        else:
            text = clean_text(value)
        key = _placeholder_key(text)
        if key in self.exact:
            return True
        return key.isascii() and key in self.plain  # typed without diacritics


def normalize_pid(value: object, *, child: bool = False) -> tuple[str, str]:
    """(12-digit ID or "", code): code is "" (fine), "W-ID-01" (leading zero restored),
    OTHER_DOCUMENT (an old 9-digit CMND or a passport number: a valid identity document for
    an adult, but never a key), "E-ID-01" (digits only, but not as many as any of these) or
    "E-ID-02" (letters or other characters that no ID has). A ``child`` has only the 12-digit
    number: a CMND is E-ID-01, a passport E-ID-02."""
    if isinstance(value, bool):
        return "", "E-ID-02"
    if isinstance(value, float):
        if not value.is_integer():
            return "", "E-ID-02"
        value = int(value)
    text = clean_text(value).lstrip("'")
    compact = re.sub(r"[\s.\-]", "", text)
    if not (compact.isdigit() and compact.isascii()):
        passport = not child and _PASSPORT.fullmatch(compact)
        return "", OTHER_DOCUMENT if passport else "E-ID-02"
    if len(compact) == PID_DIGITS:
        return compact, ""
    if len(compact) == PID_DIGITS - 1:
        return "0" + compact, "W-ID-01"
    if len(compact) == CMND_DIGITS and not child:
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


def natural_key(name: str) -> tuple:
    """A name's sort key with its runs of digits compared as numbers ("phu_luc_2" before
    "phu_luc_10"), the rest case-folded; the name itself breaks ties ("2" and "02")."""
    parts = re.split(r"(\d+)", name)
    return (tuple((0, int(x), "") if x.isdigit() else (1, 0, x.casefold()) for x in parts), name)
