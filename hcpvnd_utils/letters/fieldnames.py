"""Which template field a Word MERGEFIELD name means.

«Họ tên trẻ» is the field ``ho_ten_tre`` (diacritics folded, spaces to underscores, lower case).
An office's merge letter often names its fields after its export's own headers instead
(«Họ_và_tên», «Ngày_ĐK»): those are read with the header aliases ingest uses for the exports
(``ingest/headers.py``, ``data/aliases.yaml``), so «Ngày_ĐK» is the registration date and prints
``ngay_dang_ky``; the check lists every such mapping as a warning. A name that is a word of the
template language (None, True, self, not, loop…) never stands for that word: it is looked up as
a field like any other, and reported when no field has that name.
"""

from __future__ import annotations

import re
import unicodedata

from ..ingest.headers import COMPOSE, ROLE_ORDER, match_header

# jinja's keywords, constants and the names it resolves by itself: a field name never means them
TEMPLATE_WORDS = frozenset(
    "and or not in is if else elif endif for endfor true false none True False None self loop "
    "super caller varargs kwargs range dict lipsum cycler joiner namespace block endblock "
    "extends include import from as with without context macro call filter set raw endraw "
    "recursive ignore missing scoped trans pluralize do continue break".split()
)
# The register's fields (as ingest names them) → the letter's field of the same meaning
RECORD_TO_FIELD = {
    "reg_no": "so_dang_ky", "reg_book": "quyen_so", "reg_date": "ngay_dang_ky",
    "child_full_name": "ho_ten_tre", "child_dob": "ngay_sinh_tre", "child_sex": "gioi_tinh_tre",
    "mother_full_name": "ho_ten_me", "father_full_name": "ho_ten_cha",
    "mother_residence": "dia_chi", "husband_full_name": "ho_ten_chong",
    "wife_full_name": "ho_ten_vo", "husband_residence": "dia_chi",
    "deceased_full_name": "ho_ten_nguoi_mat", "death_date": "ngay_mat",
    "declarant_full_name": "ho_ten_nguoi_khai", "declarant_residence": "dia_chi",
}  # fmt: skip


def merge_field_name(name: str) -> str:
    """Word field name -> template field: 'Họ tên trẻ' -> 'ho_ten_tre' (diacritics folded)."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).strip().lower()
    text = re.sub(r"\W+", "_", text).strip("_")
    return text if text and not text[0].isdigit() else f"f_{text}"


def safe_name(name: str) -> str:
    """A jinja variable name that means the field ``name`` and nothing else."""
    if name.isidentifier() and name not in TEMPLATE_WORDS and not name.startswith("_"):
        return name
    return "f_" + re.sub(r"\W", "_", name, flags=re.ASCII).strip("_")


def plain_name(written: str) -> str:
    """The engine's reading of a MERGEFIELD name, without any catalogue."""
    return safe_name(merge_field_name(written))


class Resolver:
    """MERGEFIELD name → field of one event's catalogue; ``mapped`` keeps the names read
    through the export-header aliases (written name → field)."""

    def __init__(self, event: str, known: set[str]):
        self.event, self.known = event, known
        self.mapped: dict[str, str] = {}

    def __call__(self, written: str) -> str:
        name = merge_field_name(written)
        if name in self.known:
            return name
        field = RECORD_TO_FIELD.get(self._record_field(written), "")
        if field in self.known:
            self.mapped[written] = field
            return field
        return safe_name(name)

    def _record_field(self, written: str) -> str:
        match = match_header(written.replace("_", " "))
        if match.kind == "field":
            return match.name
        if match.kind != "part":
            return ""
        roles = (match.role,) if match.role else ROLE_ORDER[self.event]
        return next((COMPOSE[r][match.name] for r in roles if match.name in COMPOSE[r]), "")
