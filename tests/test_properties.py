"""Properties that must hold for every input, not only for the examples we thought of
(hypothesis): header matching, date parsing, name capitalisation, escaping into letters."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hcpvnd_utils.ingest.dates import MAX_YEAR, MIN_YEAR, DateError, parse_date
from hcpvnd_utils.ingest.headers import ALIASES_FILE, SEX_MARKS, load_aliases, match_header
from hcpvnd_utils.letters.engine import CompiledTemplate
from hcpvnd_utils.letters.printfile import print_file_bytes
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.textnorm import capitalize_name, clean_text, fold

SOME = settings(max_examples=60, deadline=None)
FEW = settings(max_examples=25, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


# --- the header matcher --------------------------------------------------------------------------

ALIASES = load_aliases()
_DATA = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))
SECTIONS = (("fields", "field"), ("parts", "part"), ("groups", "group"))
WRITTEN = [
    alias for section, _ in SECTIONS for aliases in _DATA[section].values() for alias in aliases
]


def expected_match(alias: str) -> tuple[str, str]:
    """What a header means: "Nam"/"Nữ" alone are the ticks of a sex column; then a field wins
    over a part, a part over a group ("Quan hệ" is the declarant's relation field, "Mẹ" the
    mother's name field)."""
    key = fold(alias)
    if key in SEX_MARKS:
        return "sexmark", SEX_MARKS[key]
    for section, kind in SECTIONS:
        for name, aliases in _DATA[section].items():
            if key in {fold(a) for a in aliases}:
                return kind, name
    raise AssertionError(alias)


def test_no_two_aliases_of_one_section_fold_to_one_key():
    for section, _ in SECTIONS:
        owners: dict[str, set[str]] = {}
        for name, aliases in _DATA[section].items():
            for alias in aliases:
                owners.setdefault(fold(alias), set()).add(name)
        assert {k: v for k, v in owners.items() if len(v) > 1} == {}, section


def _strip_accents(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in plain if not unicodedata.combining(char))


@st.composite
def header_as_written(draw):
    """An alias as a clerk might type it: any case, with or without diacritics (or decomposed),
    words separated by spaces, line breaks or punctuation, odd marks around it."""
    alias = draw(st.sampled_from(WRITTEN))
    text = draw(st.sampled_from([str.upper, str.lower, str.title, str]))(alias)
    text = draw(st.sampled_from([_strip_accents, lambda t: unicodedata.normalize("NFD", t), str]))(
        text
    )
    separators = st.sampled_from([" ", "  ", "\n", " \r\n", ", ", " - ", "/", ".", "\t", "\u00a0"])
    words = text.split()
    joined = words[0] + "".join(draw(separators) + word for word in words[1:])
    around = st.sampled_from(["", " ", "\n", "(", ":", "*", "\u200b", "(*)", "- ", ". "])
    return draw(around) + joined + draw(around), alias


@SOME
@given(header_as_written())
def test_any_alias_however_written_matches_its_field(written):
    text, alias = written
    match = match_header(text, ALIASES)
    assert (match.kind, match.name) == expected_match(alias), (text, alias)


# --- the date parser -----------------------------------------------------------------------------

VALID_DAYS = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))
FORMATS = {
    "dd/mm/yyyy": lambda d: d.strftime("%d/%m/%Y"),
    "d/m/yyyy": lambda d: f"{d.day}/{d.month}/{d.year}",
    "dd-mm-yyyy": lambda d: d.strftime("%d-%m-%Y"),
    "dd.mm.yyyy": lambda d: d.strftime("%d.%m.%Y"),
    "yyyy-mm-dd": lambda d: d.isoformat(),
    "ngày … tháng … năm …": lambda d: f"ngày {d.day:02d} tháng {d.month} năm {d.year}",
    "NGÀY … THÁNG … NĂM …": lambda d: f"NGÀY {d.day} THÁNG {d.month:02d} NĂM {d.year}",
    "time first": lambda d: f"14 giờ 30 phút, ngày {d.day}/{d.month}/{d.year}",
    "time after": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year} 08:45",
    "datetime": lambda d: datetime(d.year, d.month, d.day, 13, 5),
    "date": lambda d: d,
}


@pytest.mark.parametrize("form", FORMATS)
@SOME
@given(day=VALID_DAYS)
def test_any_valid_date_in_an_accepted_format_parses_back_to_itself(form, day):
    assert parse_date(FORMATS[form](day)) == day


@SOME
@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_an_excel_serial_number_in_a_date_cell_is_its_date(day):
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == parse_date(float(serial)) == parse_date(str(serial)) == day


_DATE_LIKE = st.lists(
    st.sampled_from(["ngày", "tháng", "năm", "/", "-", ".", " ", "31", "02", "2024", "0", "giờ",
                     "24", ":", "lúc", "9", "1850", "2101", "00"]) | st.text(max_size=3),
    max_size=10,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(), _DATE_LIKE, st.integers(), st.floats(), st.booleans(),
                       st.none()), allow_year=st.booleans())  # fmt: skip
def test_any_value_gives_a_date_a_year_nothing_or_a_date_error(value, allow_year):
    try:
        parsed = parse_date(value, allow_year=allow_year)
    except DateError:
        return
    if isinstance(parsed, date):
        assert MIN_YEAR <= parsed.year <= MAX_YEAR
    elif isinstance(parsed, int):
        assert allow_year and MIN_YEAR <= parsed <= MAX_YEAR
    else:
        assert parsed is None


# --- the name capitaliser ------------------------------------------------------------------------

VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
LETTERS = VIETNAMESE + VIETNAMESE.upper() + "fjwz"
NAMES = st.lists(
    st.text(alphabet=LETTERS + "-'", min_size=1, max_size=8), min_size=1, max_size=6
).flatmap(
    lambda words: st.lists(st.sampled_from([" ", "  ", "\t", "\u200b ", "\n"]),
                           min_size=len(words), max_size=len(words))
    .map(lambda gaps: "".join(w + g for w, g in zip(words, gaps)))
)  # fmt: skip


def _letters(text: str) -> list[str]:
    return [char for char in unicodedata.normalize("NFC", text).lower() if char.isalpha()]


@SOME
@given(NAMES)
def test_capitalising_a_name_is_idempotent_nfc_and_keeps_its_letters(raw):
    name = capitalize_name(raw)
    assert capitalize_name(name) == name
    assert unicodedata.is_normalized("NFC", name)
    assert capitalize_name(unicodedata.normalize("NFD", raw)) == name
    assert _letters(name) == _letters(clean_text(raw))
    for word in re.split(r"[ \-]", name):
        assert word[:1] == word[:1].upper()


# --- escaping values into letters ----------------------------------------------------------------

TOKENS = ["{{", "}}", "{%", "%}", "{#", "#}", "{%p if x %}", "{{ 7*7 }}", "&", "&amp;", "<", ">",
          "<w:t>", "]]>", '"', "'", "MERGEFIELD", "«", "»", "\n", "\r\n", "\t", "\x00", "\x0b",
          "\x1f", "\x7f", "\u2028", "\u00ad", "\u200b", "\ufeff", "ư\u031b", "e\u0301", "  "]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=12).map("".join),
)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def printed_as(value: str) -> str:
    """The documented cleaning (hcpvnd_utils.letters.engine.xml_value): text that is printable
    and NFC prints as it is; otherwise it is made NFC, control characters become spaces and runs
    of whitespace one space. Nothing else changes: no escaping shows, nothing is evaluated."""
    if value.isprintable() and unicodedata.is_normalized("NFC", value):
        return value
    return re.sub(r"\s+", " ", _CONTROLS.sub(" ", unicodedata.normalize("NFC", value)))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> CompiledTemplate:
    path = tmp_path_factory.mktemp("template") / "value.docx"
    document = Document()
    document.add_paragraph("Địa chỉ: [{{ dia_chi }}]")
    document.add_paragraph("Kính gửi: {{ kinh_gui }}.")
    document.save(str(path))
    return CompiledTemplate.from_path(path)


@FEW
@given(value=VALUES, other=VALUES)
def test_any_text_value_prints_literally_in_a_letter(template, value, other):
    text = extract_text(template.render_bytes({"dia_chi": value, "kinh_gui": other}))
    assert text.splitlines()[:2] == [f"Địa chỉ: [{printed_as(value)}]",
                                     f"Kính gửi: {printed_as(other)}."]  # fmt: skip


@FEW
@given(values=st.lists(VALUES, min_size=1, max_size=3))
def test_any_text_value_prints_literally_in_a_print_file(template, values):
    contexts = [{"dia_chi": value, "kinh_gui": "x"} for value in values]
    lines = extract_text(print_file_bytes(template, contexts)).splitlines()
    shown = [line for line in lines if line.startswith("Địa chỉ: [")]
    assert shown == [f"Địa chỉ: [{printed_as(value)}]" for value in values]
