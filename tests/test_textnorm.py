"""Text clean-up, matching keys, names, ID numbers and legacy Vietnamese encodings."""

import unicodedata

import pytest

from hcpvnd_utils.ingest import legacy
from hcpvnd_utils.ingest.headers import cached_aliases
from hcpvnd_utils.textnorm import (
    OTHER_DOCUMENT,
    EmptyValues,
    capitalize_name,
    clean_text,
    fold,
    is_marked,
    looks_like_name,
    normalize_pid,
    parse_sex,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ngày đăng ký", "ngay dang ky"),
        ("NGÀY ĐĂNG KÝ", "ngay dang ky"),
        ("Ngay DK", "ngay dk"),
        ("Ngày, tháng,\nnăm ĐK", "ngay thang nam dk"),
        ("Họ, chữ đệm, tên", "ho chu dem ten"),
        ("  Số   ĐK. ", "so dk"),
        (nfd("Nơi cư trú (mẹ)"), "noi cu tru me"),
        ("Phước Hoà", "phuoc hoa"),
        ("Phước Hòa", "phuoc hoa"),
        ("Đặng\u200b Thị", "dang thi"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_makes_one_key_of_every_spelling(text, key):
    assert fold(text) == key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (nfd("Nguyễn Thị Hường"), "Nguyễn Thị Hường"),
        ("Lê\u00a0Văn\tA", "Lê Văn A"),
        ("Trần\u200b Thị\ufeff B", "Trần Thị B"),
        ("Thôn 1\r\nxã Phước Thành", "Thôn 1 xã Phước Thành"),
        ("a\x00b\x07c", "abc"),
        (12.0, "12"),
        (None, ""),
    ],
)
def test_clean_text_is_nfc_without_invisible_characters(raw, clean):
    assert clean_text(raw) == clean
    assert unicodedata.is_normalized("NFC", clean_text(raw))


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("ngô thị kim liên", "Ngô Thị Kim Liên"),
        (nfd("ngô thị kim liên"), "Ngô Thị Kim Liên"),
        (nfd("NGUYỄN THỊ HƯỜNG"), "Nguyễn Thị Hường"),
        ("đặng  văn   đức", "Đặng Văn Đức"),
        ("ÂU DƯƠNG ỨNG", "Âu Dương Ứng"),
        ("h'hen niê", "H'Hen Niê"),
        ("y-moan ênuôl", "Y-Moan Ênuôl"),
    ],
)
def test_names_are_capitalised_per_syllable_from_nfc_or_nfd(raw, name):
    result = capitalize_name(raw)
    assert result == name
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("Nguyễn Văn A", True), ("12345", False), ("Trần Văn 2", False), ("#N/A", False),
     ("=A1", False), ("", False)],
)  # fmt: skip
def test_a_name_has_letters_and_no_digits(text, ok):
    assert looks_like_name(text) is ok


@pytest.mark.parametrize(
    ("raw", "pid", "code"),
    [
        ("099301012345", "099301012345", ""),
        (99301012345, "099301012345", "W-ID-01"),
        (99301012345.0, "099301012345", "W-ID-01"),
        ("99301012345", "099301012345", "W-ID-01"),
        ("0993 0101 2345", "099301012345", ""),
        ("'099301012345", "099301012345", ""),
        (9930101234, "", "E-ID-01"),
        ("9.93E+10", "", "E-ID-02"),  # letters: "9,93E+10" is what Excel showed
        ("0993010123456", "", "E-ID-01"),
        ("C1234567", "", OTHER_DOCUMENT),  # a passport
        ("211234567", "", OTHER_DOCUMENT),  # an old CMND
        (211234567, "", OTHER_DOCUMENT),
        ("21123456", "", "E-ID-01"),
        ("Không rõ", "", "E-ID-02"),
        ("099224260002x", "", "E-ID-02"),  # 12 digits and a letter: not "has 12 digits"
        ("０９９３０１０１２３４５", "", "E-ID-02"),  # full-width digits
        (99301012.5, "", "E-ID-02"),
    ],
)
def test_id_numbers_are_twelve_digits_of_text(raw, pid, code):
    assert normalize_pid(raw) == (pid, code)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("211234567", "E-ID-01"), ("C1234567", "E-ID-02"), ("099301012345", ""),
     ("99301012345", "W-ID-01")],
)  # fmt: skip
def test_a_child_has_only_the_twelve_digit_number(raw, code):
    assert normalize_pid(raw, child=True)[1] == code


@pytest.mark.parametrize(
    ("raw", "sex"),
    [("Nam", "Nam"), ("nam", "Nam"), ("NỮ", "Nữ"), ("nu", "Nữ"), (nfd("Nữ"), "Nữ"),
     ("Trai", "Nam"), ("gái", "Nữ"), ("x", ""), ("", "")],
)  # fmt: skip
def test_sex_is_nam_or_nu(raw, sex):
    assert parse_sex(raw) == sex


@pytest.mark.parametrize(
    ("raw", "ticked"), [("x", True), ("X", True), ("✓", True), (1, True), ("", False),
                        (None, False), (0, False)]
)  # fmt: skip
def test_a_tick_in_a_sex_column(raw, ticked):
    assert is_marked(raw) is ticked


# --- placeholders: cells that mean "nothing here" ----------------------------------------------

SHIPPED = cached_aliases().empty


@pytest.mark.parametrize(
    "raw",
    ["None", "none", "NULL", "nan", "NaN", "NaT", "n/a", "N / A", "x", "X", "-", "--", " - - ",
     "0", 0, 0.0, float("nan"), "...", "…", "/", "?", "không", "KHÔNG", "khong", "(không có)",
     "Không có", "khong co", "chưa có", "Chưa xác định", "chua xac dinh", "không rõ", "(trống)",
     "[trống]", nfd("Không có"), "\u200bNone\u200b"],
)  # fmt: skip
def test_placeholders_are_empty_cells(raw):
    assert SHIPPED.matches(raw)


@pytest.mark.parametrize(
    "raw",
    ["Nguyễn Văn Không", "Khổng", "Khổng Minh", "Trọng", "Na Văn Xô", "A", "Y", "Nat Thị B",
     "00", "01", 5, "#N/A", "{x}", "<x>", "Không có tên trong sổ gốc", "Thôn 0", None, True,
     "x" * 200],
)  # fmt: skip
def test_names_and_other_values_are_never_placeholders(raw):
    assert not SHIPPED.matches(raw)


def test_an_office_adds_its_own_placeholders():
    own = SHIPPED | EmptyValues.of(["chưa khai", "***"])
    assert own.matches("Chưa khai") and own.matches("chua khai") and own.matches("*")
    assert own.matches("None") and not SHIPPED.matches("chưa khai")


# --- legacy encodings ------------------------------------------------------------------------

TCVN3_CASES = [
    ("céng hßa x· héi chñ nghÜa viÖt nam", "cộng hòa xã hội chủ nghĩa việt nam"),
    ("NguyÔn V¨n Hïng", "Nguyễn Văn Hùng"),
    ("TrÇn ThÞ Thu Hµ", "Trần Thị Thu Hà"),
    ("§Æng Ngäc ¸nh", "Đặng Ngọc ánh"),  # TCVN3 has no Á: ingest capitalises names after
    ("Th«n Phæ Tr¹ch, x· Ph\xadíc Thµnh", "Thôn Phổ Trạch, xã Phước Thành"),
]
VNI_CASES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Nguyeãn Vaên Huøng", "Nguyễn Văn Hùng"),
    ("Ñaëng Ngoïc AÙnh", "Đặng Ngọc Ánh"),
    ("Thoân Phoå Traïch, xaõ Phöôùc Thaønh", "Thôn Phổ Trạch, xã Phước Thành"),
    ("NGUYEÃN THÒ HÖÔØNG", "NGUYỄN THỊ HƯỜNG"),
]


@pytest.mark.parametrize(("surface", "unicode"), TCVN3_CASES)
def test_tcvn3_text_becomes_unicode(surface, unicode):
    assert legacy.convert(surface, legacy.TCVN3) == unicode


@pytest.mark.parametrize(("surface", "unicode"), VNI_CASES)
def test_vni_text_becomes_unicode(surface, unicode):
    assert legacy.convert(surface, legacy.VNI) == unicode


def test_vntimeh_text_is_drawn_in_capitals():
    assert legacy.convert("danh s¸ch ®¨ng ký khai sinh", legacy.TCVN3, upper=True) == (
        "DANH SÁCH ĐĂNG KÝ KHAI SINH"
    )


def test_unicode_and_ascii_text_is_never_converted():
    for text in ("Nguyễn Văn Hùng", "Le Van A", nfd("Trần Thị Bé")):
        assert legacy.convert(text, legacy.TCVN3) == text
        assert legacy.convert(text, legacy.VNI) == text


@pytest.mark.parametrize(
    ("font", "expected"),
    [(".VnTime", ("TCVN3", False)), (".VnTimeH", ("TCVN3", True)), (".VnArial", ("TCVN3", False)),
     ("VNI-Times", ("VNI", False)), ("Times New Roman", ("", False)), (None, ("", False))],
)  # fmt: skip
def test_legacy_fonts_name_their_encoding(font, expected):
    assert legacy.font_encoding(font) == expected


def test_encodings_are_told_apart_by_their_characters():
    tcvn3 = " ".join(surface for surface, _ in TCVN3_CASES)
    vni = " ".join(surface for surface, _ in VNI_CASES)
    unicode = " ".join(text for _, text in TCVN3_CASES + VNI_CASES)
    assert legacy.detect(tcvn3) == legacy.TCVN3
    assert legacy.detect(vni) == legacy.VNI
    assert legacy.detect(unicode) == ""
    assert legacy.detect(nfd(unicode)) == ""
    assert legacy.detect("Nguyen Van A, Thon 1") == ""
