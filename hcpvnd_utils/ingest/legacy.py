"""Vietnamese text typed in the pre-Unicode encodings TCVN3 (ABC) and VNI-Windows.

Such text reaches us as the Windows-1252 characters of its bytes ("céng hßa x· héi",
"Coäng hoøa xaõ hoäi"). We recognise it from the cell's font (``.VnTime``, ``.VnTimeH``,
``.VnArial`` → TCVN3; ``VNI-Times`` … → VNI) or, where no font is known, from the characters
themselves, and convert it to NFC Unicode. Conversion is never silent: the caller reports it.

The tables are our own, written from the published TCVN 5712:1993 (VN3) and VNI-Windows
layouts and checked against known phrases in the tests.
TCVN3 has no accented capitals: text set in an "H" font (``.VnTimeH``) is drawn in capitals
from lower-case bytes, so ``font_encoding`` tells the caller to upper-case it.
"""

from __future__ import annotations

import re
import unicodedata

TCVN3, VNI = "TCVN3", "VNI"

# --- TCVN3: one byte per letter -----------------------------------------------------------
_TCVN3_PAIRS = (
    "¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ ¨ă ©â ªê «ô ¬ơ \xadư ®đ "
    "µà ¶ả ·ã ¸á ¹ạ »ằ ¼ẳ ½ẵ ¾ắ Æặ Çầ Èẩ Éẫ Êấ Ëậ "
    "Ìè Îẻ Ïẽ Ðé Ñẹ Òề Óể Ôễ Õế Öệ ×ì Øỉ Üĩ Ýí Þị "
    "ßò áỏ âõ ãó äọ åồ æổ çỗ èố éộ êờ ëở ìỡ íớ îợ "
    "ïù ñủ òũ óú ôụ õừ öử ÷ữ øứ ùự úỳ ûỷ üỹ ýý þỵ"
)
TCVN3_TABLE = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}
_TCVN3_TRANSLATE = str.maketrans(TCVN3_TABLE)

# --- VNI-Windows: a base letter followed by one mark character ----------------------------
# Marks after a vowel: tones (acute ù, grave ø, hook û, tilde õ, dot ï), the circumflex
# family (â, á, à, å, ã, ä) and the breve family on a (ê, é, è, ú, ü, ë). Capital letters
# take the capital marks.
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "ò": "ị", "Ò": "Ị", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip


def _vni_table() -> dict[str, str]:
    table = dict(_VNI_SINGLE)

    def add(base: str, marks: dict[str, str], extra: str = "") -> None:
        for mark, tone in marks.items():
            for b, m in ((base, mark), (base.upper(), mark.upper())):
                table[b + m] = unicodedata.normalize("NFC", b + extra + tone)

    for vowel in "aeiouy":
        add(vowel, _TONES)
    for vowel in "aeo":
        add(vowel, _HAT, "\u0302")
    add("a", _BREVE, "\u0306")
    for base, horn in (("ô", "ơ"), ("ö", "ư")):  # ơ and ư with a tone
        for mark, tone in _TONES.items():
            table[base + mark] = unicodedata.normalize("NFC", horn + tone)
            table[base.upper() + mark.upper()] = unicodedata.normalize("NFC", horn.upper() + tone)
    return table


VNI_TABLE = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))

# --- detection ----------------------------------------------------------------------------
# Characters that TCVN3 uses for very common letters (à á ả ã ạ ă â ê ô ơ ư đ ò ị …) and that
# neither Unicode Vietnamese nor VNI ever contains.
_TCVN3_ONLY = frozenset("¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾ÇÐ×Þßç÷þ")
# A vowel followed by a VNI mark, in a pair that Unicode Vietnamese never writes ("oà",
# "uá", "uê", "yê", "iê" are real Vietnamese and do not count).
_VNI_SIGNATURE = re.compile(
    "[aeAE][áàãâêéèúùõóòäåëüïøûÁÀÃÂÊÉÈÚÙÕÓÒÄÅËÜÏØÛ]|[oO][âäåëüïøûùÂÄÅËÜÏØÛÙ]"
    "|[iuyôöIUYÔÖ][ùøûõïÙØÛÕÏ]"
)
# Letters only Unicode Vietnamese has (ă đ ơ ư and the precomposed tone letters) and
# combining tone marks: real Unicode text, to be left alone.
_UNICODE_VIET = re.compile("[ăĂđĐơƠưƯ\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
_MIN_EVIDENCE = 3
_LATIN1_VIET = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")


def font_encoding(font_name: str | None) -> tuple[str, bool]:
    """(encoding, upper) for a cell font: ".VnTimeH" → ("TCVN3", True); Arial → ("", False)."""
    name = (font_name or "").strip()
    upper_name = name.upper()
    if upper_name.startswith(".VN"):
        return TCVN3, upper_name.endswith("H")
    if upper_name.startswith("VNI"):
        return VNI, False
    return "", False


def is_unicode_vietnamese(text: str) -> bool:
    return bool(_UNICODE_VIET.search(text))


def evidence(text: str) -> tuple[int, int, int]:
    """(TCVN3 signs, VNI signs, Unicode Vietnamese letters) counted in ``text``."""
    tcvn3 = sum(1 for char in text if char in _TCVN3_ONLY)
    vni = len(_VNI_SIGNATURE.findall(text))
    unicode_letters = len(_UNICODE_VIET.findall(text))
    return tcvn3, vni, unicode_letters


def detect(text: str) -> str:
    """The legacy encoding of ``text`` judged from its characters: TCVN3, VNI or "" (Unicode)."""
    if text.isascii():
        return ""
    tcvn3, vni, unicode_letters = evidence(text)
    if tcvn3 >= _MIN_EVIDENCE and tcvn3 >= 2 * vni and tcvn3 > unicode_letters:
        return TCVN3
    if vni >= _MIN_EVIDENCE and vni >= 2 * tcvn3 and vni > unicode_letters:
        return VNI
    return ""


def guess_cell(text: str) -> str:
    """The legacy encoding of one stray cell in an otherwise Unicode sheet, or "".

    Stricter than ``detect``: two signs of one encoding, and a conversion that leaves no
    character Vietnamese never uses and yields Vietnamese letters.
    """
    if text.isascii() or is_unicode_vietnamese(text):
        return ""
    candidates = []
    if _foreign(text) >= 2 and not _TCVN3_ONLY.isdisjoint(text):
        candidates.append(TCVN3)
    if len(_VNI_SIGNATURE.findall(text)) >= 2:
        candidates.append(VNI)
    for encoding in candidates:
        result = convert(text, encoding)
        if _foreign(result) == 0 and is_unicode_vietnamese(result):
            return encoding
    return ""


def _foreign(text: str) -> int:
    return sum(1 for char in text if "\xa0" < char <= "\xff" and char not in _LATIN1_VIET)


def convert(text: str, encoding: str, upper: bool = False) -> str:
    """``text`` (legacy surface characters) as NFC Unicode. ASCII and Unicode text pass as is."""
    if not text or is_unicode_vietnamese(text):
        return text
    if text.isascii():
        return text.upper() if upper else text
    if encoding == TCVN3:
        result = text.translate(_TCVN3_TRANSLATE)
    elif encoding == VNI:
        result = _VNI_PATTERN.sub(lambda m: VNI_TABLE[m[0]], text)
    else:
        return text
    result = unicodedata.normalize("NFC", result)
    return result.upper() if upper else result


# --- Windows-1258: for writing test files and the sample as offices' software does ----------
CP1258_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 the way Windows writes it: the letters the code page has are kept whole
    (ơ, ư, â, đ, à…), every other tone mark follows its letter as a combining character. The
    reader decodes these files (``readers.text_encoding``); this is its inverse, for the sample
    and the test fixtures. ValueError when the text does not round-trip."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in CP1258_TONES))
            tones = "".join(c for c in parts if c in CP1258_TONES)
            try:
                out += (base + tones).encode("cp1258")
            except UnicodeEncodeError:
                raise ValueError("Windows-1258 has no letter for this text") from None
    data = bytes(out)
    if unicodedata.normalize("NFC", data.decode("cp1258")) != unicodedata.normalize("NFC", text):
        raise ValueError("Windows-1258 does not round-trip this text")
    return data
