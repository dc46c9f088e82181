"""Wording: Decree 30 dates, administrative numbers, honorifics, and the fields of one letter."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pandas as pd
import pytest

from hcpvnd_utils import letterfields, wording
from hcpvnd_utils.config import Rollout, Signer, Unit
from hcpvnd_utils.letters.templates import SAMPLE_DATE, SAMPLE_RECORDS, SAMPLE_UNIT

SETTINGS = {
    "address_style": "anh_chi",
    "formal_age": 50,
    "elder_age": 70,
    "adult_age": 40,
    "child_age": 16,
}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def context(event: str, settings=None, **changes) -> dict:
    values = {**SAMPLE_RECORDS[event], **changes}
    values = {k: v for k, v in values.items() if v is not None}
    return letterfields.letter_context(
        event, values, SAMPLE_UNIT, settings or SETTINGS, SAMPLE_DATE
    )


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2025, 1, 3), "ngày 03 tháng 01 năm 2025"),
        (date(2024, 11, 25), "ngày 25 tháng 11 năm 2024"),
        (date(2024, 9, 5), "ngày 05 tháng 9 năm 2024"),
        (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
        (date(2024, 3, 10), "ngày 10 tháng 3 năm 2024"),
        (date(2024, 12, 1), "ngày 01 tháng 12 năm 2024"),
        (datetime(2024, 10, 9, 14, 30), "ngày 09 tháng 10 năm 2024"),
        (pd.Timestamp("2024-06-07"), "ngày 07 tháng 6 năm 2024"),
    ],
)
def test_vn_date_pads_days_below_10_and_months_1_and_2_only(day, expected):
    assert wording.vn_date(day) == expected


@pytest.mark.parametrize(
    "place, day, expected",
    [
        ("Phước Thành", date(2025, 1, 3), "Phước Thành, ngày 03 tháng 01 năm 2025"),
        ("Tuy Phước", date(2024, 9, 5), "Tuy Phước, ngày 05 tháng 9 năm 2024"),
        (nfd("Phước Thành"), date(2024, 11, 25), "Phước Thành, ngày 25 tháng 11 năm 2024"),
    ],
)
def test_date_line(place, day, expected):
    line = wording.date_line(place, day)
    assert line == expected
    assert unicodedata.is_normalized("NFC", line)


def test_letter_is_dated_its_registration_unless_configured():
    values = {"reg_date": date(2024, 11, 4)}
    today = date(2024, 12, 2)
    assert wording.letter_day(values, {"letter_date": "registration"}, today) == date(2024, 11, 4)
    assert wording.letter_day(values, {"letter_date": "run"}, today) == today


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "n, expected",
    [(2, "02"), (9, "09"), (10, "10"), (54, "54"), (100, "100"), (1405, "1.405"),
     (1234567, "1.234.567"), (0, "0")],
)  # fmt: skip
def test_admin_number(n, expected):
    assert wording.admin_number(n) == expected


@pytest.mark.parametrize(
    "x, expected", [(97.5, "97,5%"), (100, "100%"), (100.0, "100%"), (33.333, "33,3%"), (5, "5%")]
)
def test_admin_percent(x, expected):
    assert wording.admin_percent(x) == expected


@pytest.mark.parametrize(
    "x, digits, expected", [(1405.5, 1, "1.405,5"), (2.25, 2, "2,25"), (-3.5, 1, "-3,5")]
)
def test_admin_decimal(x, digits, expected):
    assert wording.admin_decimal(x, digits) == expected


# ---------------------------------------------------------------- honorifics


@pytest.mark.parametrize(
    "sex, age, expected",
    [
        ("Nam", 85, "cụ"), ("Nữ", 70, "cụ"), ("Nữ", 69, "bà"), ("Nam", 40, "ông"),
        ("Nam", 39, "anh"), ("Nữ", 16, "chị"), ("Nữ", 15, "cháu"), ("Nam", 0, "cháu"),
        ("Nam", None, "ông"), ("Nữ", None, "bà"), ("", 50, ""), ("", 80, "cụ"), ("", 5, "cháu"),
        ("nữ", 45, "bà"), (nfd("Nữ"), 45, "bà"),
    ],
)  # fmt: skip
def test_honorific_of_the_deceased_by_age_band(sex, age, expected):
    assert wording.honorific(sex, age, "deceased", SETTINGS) == expected


def test_honorific_thresholds_are_configurable():
    later_elders = {**SETTINGS, "elder_age": 80, "child_age": 6}
    assert wording.honorific("Nam", 75, "deceased", later_elders) == "ông"
    assert wording.honorific("Nam", 80, "deceased", later_elders) == "cụ"
    assert wording.honorific("Nữ", 10, "deceased", later_elders) == "chị"


@pytest.mark.parametrize(
    "sex, age, style, expected",
    [
        ("Nam", 30, "anh_chi", "anh"), ("Nữ", 30, "anh_chi", "chị"), ("Nam", None, "anh_chi", "anh"),
        ("Nữ", 50, "anh_chi", "bà"), ("Nam", 49, "anh_chi", "anh"), ("Nam", 25, "ong_ba", "ông"),
        ("Nữ", 25, "ong_ba", "bà"),
    ],
)  # fmt: skip
def test_honorific_of_parents_and_spouses(sex, age, style, expected):
    settings = {**SETTINGS, "address_style": style}
    assert wording.honorific(sex, age, "parent", settings) == expected
    assert wording.honorific(sex, age, "spouse", settings) == expected


@pytest.mark.parametrize(
    "name, expected",
    [("Trần Thị Bích Ngọc", "Nữ"), ("Nguyễn Văn An", "Nam"), ("Lê Minh Tâm", ""),
     ("Văn Thị", ""), (nfd("Huỳnh Thị Lài"), "Nữ"), ("Tôn Nữ Thị Hà", "Nữ")],
)  # fmt: skip
def test_sex_from_middle_name(name, expected):
    assert wording.sex_from_name(name) == expected


# ---------------------------------------------------------------- cleaning


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, ""), (float("nan"), ""), (pd.NaT, ""), (pd.NA, ""), ("   ", ""),
        (" thôn 1\nxã Phước Thành\r\n", "thôn 1 xã Phước Thành"), ("a\tb\x00c\x0bd", "a b c d"),
        (nfd("Nguyễn Thị Hường"), "Nguyễn Thị Hường"), (101.0, "101"), (7, "7"),
    ],
)  # fmt: skip
def test_clean_text(value, expected):
    text = wording.clean_text(value)
    assert text == expected
    assert unicodedata.is_normalized("NFC", text)


# ---------------------------------------------------------------- letter fields


def assert_clean(fields: dict) -> None:
    """NFC one-line text, yes/no flags or counts (so_tre, tuoi_nguoi_mat), never
    None/nan/NaT, no dangling 'và', no double spaces."""
    for name, value in fields.items():
        if isinstance(value, int):
            assert name in ("so_tre", "tuoi_nguoi_mat") and not isinstance(value, bool), name
            continue
        assert isinstance(value, (str, letterfields.YesNo)), name
        if isinstance(value, str):
            assert unicodedata.is_normalized("NFC", value), name
            assert value == value.strip() and "  " not in value and "\n" not in value, name
            assert not value.endswith(" và") and not value.startswith("và "), name
            for bad in ("None", "nan", "NaT", "{{", "{%"):
                assert bad not in value, (name, value)


def test_yes_no_fields_print_dung_sai_and_compare_as_word_and_flag():
    yes, no = letterfields.YesNo(True), letterfields.YesNo(False)
    assert (str(yes), str(no)) == ("Đúng", "Sai") and yes and not no
    assert yes == True and no == False  # noqa: E712
    assert yes == "đúng" and yes == "ĐÚNG" and yes == "True" and yes != "Sai"
    assert no == unicodedata.normalize("NFD", "Sai") and no == "false" and no != "Đúng"


def test_counts_are_numbers_a_template_can_compare():
    one = context("khai_sinh")
    assert one["so_tre"] == 1 and str(one["so_tre"]) == "1"
    assert context("khai_tu")["tuoi_nguoi_mat"] == 93


def test_birth_with_both_parents():
    fields = context("khai_sinh")
    assert fields["kinh_gui"] == "Anh Nguyễn Văn Cường và chị Trần Thị Bích Ngọc"
    assert fields["nguoi_nhan"] == "anh chị"
    assert fields["co_cha"] == True and fields["co_me"] == True  # noqa: E712 (YesNo)
    assert fields["ngay_thang"] == "Phước Thành, ngày 04 tháng 11 năm 2024"
    assert_clean(fields)


def test_birth_without_father_is_addressed_to_the_mother_alone():
    fields = context("khai_sinh", father_full_name=None, father_birth_year=None)
    assert fields["kinh_gui"] == "Chị Trần Thị Bích Ngọc"
    assert fields["nguoi_nhan"] == "chị"
    assert not fields["co_cha"] and fields["ho_ten_cha"] == "" and fields["danh_xung_cha"] == ""
    assert "và" not in fields["kinh_gui"]
    assert_clean(fields)


@pytest.mark.parametrize("missing", [None, "", "   ", float("nan")])
def test_birth_father_empty_in_any_form_counts_as_absent(missing):
    fields = context("khai_sinh", father_full_name=missing)
    assert fields["kinh_gui"] == "Chị Trần Thị Bích Ngọc"
    assert_clean(fields)


def test_birth_with_an_older_parent_addresses_both_formally():
    fields = context("khai_sinh", father_birth_year=1970)
    assert fields["kinh_gui"] == "Ông Nguyễn Văn Cường và bà Trần Thị Bích Ngọc"
    assert fields["nguoi_nhan"] == "ông bà"


def test_birth_age_of_an_unnamed_father_does_not_make_the_letter_formal():
    fields = context("khai_sinh", father_full_name=None, father_birth_year=1960)
    assert fields["kinh_gui"] == "Chị Trần Thị Bích Ngọc"


def test_birth_father_only_and_no_parent():
    father_only = context("khai_sinh", mother_full_name=None)
    assert father_only["kinh_gui"] == "Anh Nguyễn Văn Cường" and father_only["nguoi_nhan"] == "anh"
    nobody = context("khai_sinh", mother_full_name=None, father_full_name=None)
    assert nobody["kinh_gui"] == "Gia đình cháu Nguyễn Minh Khôi"
    assert nobody["nguoi_nhan"] == "gia đình"
    assert_clean(nobody)


def test_nfd_input_comes_out_nfc():
    fields = context(
        "khai_sinh",
        child_full_name=nfd("Đặng Thị Thùy Dương"),
        mother_full_name=nfd("Lê Thị Hường"),
        father_full_name=nfd("Đặng Quốc Việt"),
    )
    assert fields["ho_ten_tre"] == "Đặng Thị Thùy Dương"
    assert fields["kinh_gui"] == "Anh Đặng Quốc Việt và chị Lê Thị Hường"
    assert_clean(fields)


def test_newlines_and_control_characters_in_values_are_flattened():
    fields = context("khai_sinh", mother_residence="thôn Phú Mỹ 1\r\nxã Phước Thành\x07")
    assert fields["dia_chi"] == "thôn Phú Mỹ 1 xã Phước Thành"
    assert_clean(fields)


@pytest.mark.parametrize(
    "changes, kinh_gui, nguoi_nhan",
    [
        ({}, "Anh Lê Quốc Bảo và chị Phạm Thị Thu Hà", "anh chị"),
        ({"husband_dob": date(1970, 1, 1)}, "Ông Lê Quốc Bảo và bà Phạm Thị Thu Hà", "ông bà"),
        ({"wife_dob": 1960}, "Ông Lê Quốc Bảo và bà Phạm Thị Thu Hà", "ông bà"),
    ],
)
def test_marriage_addressing(changes, kinh_gui, nguoi_nhan):
    fields = context("ket_hon", **changes)
    assert (fields["kinh_gui"], fields["nguoi_nhan"]) == (kinh_gui, nguoi_nhan)
    assert_clean(fields)


def test_marriage_formal_style_setting():
    fields = context("ket_hon", settings={**SETTINGS, "address_style": "ong_ba"})
    assert fields["kinh_gui"] == "Ông Lê Quốc Bảo và bà Phạm Thị Thu Hà"


@pytest.mark.parametrize(
    "changes, kinh_gui, nguoi_nhan",
    [
        ({}, "Ông Huỳnh Văn Tâm và gia đình", "ông và gia đình"),
        ({"declarant_sex": "Nữ", "declarant_full_name": "Lê Minh Châu"}, "Bà Lê Minh Châu và gia đình",
         "bà và gia đình"),
        ({"declarant_relation": "vợ", "declarant_full_name": "Lê Minh Châu"}, "Bà Lê Minh Châu và gia đình",
         "bà và gia đình"),
        ({"declarant_relation": "con", "declarant_full_name": "Trần Thị Hoa"}, "Bà Trần Thị Hoa và gia đình",
         "bà và gia đình"),
        ({"declarant_relation": "con", "declarant_full_name": "Lê Minh Châu"},
         "Ông/Bà Lê Minh Châu và gia đình", "ông/bà và gia đình"),
    ],
)  # fmt: skip
def test_death_addressed_through_the_declarant(changes, kinh_gui, nguoi_nhan):
    fields = context("khai_tu", **changes)
    assert (fields["kinh_gui"], fields["nguoi_nhan"]) == (kinh_gui, nguoi_nhan)
    assert_clean(fields)


def test_death_without_declarant_is_addressed_to_the_family():
    fields = context("khai_tu", declarant_full_name=None, declarant_relation=None)
    assert fields["kinh_gui"] == "Gia đình cụ Võ Thị Lài"
    assert fields["nguoi_nhan"] == "gia đình"
    assert not fields["co_nguoi_khai"] and str(fields["co_nguoi_khai"]) == "Sai"
    assert fields["dia_chi"] == "thôn Phú Mỹ 1, xã Phước Thành"  # the deceased's home
    assert_clean(fields)


@pytest.mark.parametrize(
    "changes, nguoi_mat",
    [
        ({}, "cụ Võ Thị Lài"),
        ({"deceased_dob": date(1975, 3, 1)}, "bà Võ Thị Lài"),
        ({"deceased_dob": date(1995, 3, 1)}, "chị Võ Thị Lài"),
        ({"deceased_dob": date(2014, 3, 1)}, "cháu Võ Thị Lài"),
        ({"deceased_dob": None}, "bà Võ Thị Lài"),
        (
            {"deceased_dob": None, "deceased_sex": None, "deceased_full_name": "Võ Minh Lài"},
            "Võ Minh Lài",
        ),
    ],
)
def test_deceased_is_named_by_age_band(changes, nguoi_mat):
    fields = context("khai_tu", **changes)
    assert fields["nguoi_mat"] == nguoi_mat
    assert_clean(fields)


def test_condolence_fields_carry_no_cause_or_place():
    fields = context(
        "khai_tu", death_place="Bệnh viện Đa khoa tỉnh", death_cause="tai nạn giao thông"
    )
    text = " ".join(str(v) for v in fields.values())
    for word in ("Bệnh viện", "tai nạn", "1931"):
        assert word not in text
    assert not any("noi_chet" in name or "nguyen_nhan" in name for name in fields)


@pytest.mark.parametrize(
    "born, died, expected",
    [(1931, date(2024, 9, 2), "hưởng thọ 93 tuổi"), (date(1979, 9, 3), date(2024, 9, 2),
     "hưởng dương 44 tuổi"), (date(1964, 9, 2), date(2024, 9, 2), "hưởng thọ 60 tuổi"),
     (date(2024, 5, 1), date(2024, 9, 2), ""), (None, date(2024, 9, 2), "")],
)  # fmt: skip
def test_huong_tho_says_the_age_the_traditional_way_only_when_known(born, died, expected):
    """The field a commune's own template may print (the default templates print no age)."""
    fields = context("khai_tu", deceased_dob=born, death_date=died)
    assert fields["huong_tho"] == expected
    assert fields["tuoi_nguoi_mat"] == ("" if born is None else wording.age_on(born, died))


def test_missing_optional_values_never_print_as_none_nan_or_nat():
    fields = context(
        "khai_tu",
        deceased_dob=pd.NaT,
        deceased_sex=float("nan"),
        declarant_full_name=float("nan"),
        declarant_residence=pd.NA,
        reg_book=None,
    )
    assert fields["kinh_gui"] == "Gia đình bà Võ Thị Lài"  # 'Thị': the middle name says bà
    assert_clean(fields)


def test_signer_block_and_issuing_body_come_from_the_unit():
    fields = context("ket_hon")
    assert (fields["co_quan"], fields["don_vi_in_hoa"]) == ("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC THÀNH")
    assert (fields["tham_quyen_ky"], fields["chuc_vu_ky"], fields["chuc_vu_ky_2"]) == (
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    )  # fmt: skip
    town = Unit(
        key="dieu-tri", code=21955, scheme="x", type="thị trấn", name="Diêu Trì",
        short_name="Diêu Trì", rollout=Rollout(None, None, None),
        signer=Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Toàn"),
    )  # fmt: skip
    fields = letterfields.letter_context(
        "ket_hon", SAMPLE_RECORDS["ket_hon"], town, SETTINGS, date(2025, 1, 3)
    )
    assert fields["don_vi_in_hoa"] == "THỊ TRẤN DIÊU TRÌ"
    assert fields["ten_ubnd"] == "Ủy ban nhân dân thị trấn Diêu Trì"
    assert fields["ngay_thang"] == "Diêu Trì, ngày 03 tháng 01 năm 2025"
    assert (fields["chuc_vu_ky"], fields["chuc_vu_ky_2"]) == ("CHỦ TỊCH", "")


def test_unknown_event_is_a_programming_error():
    with pytest.raises(ValueError):
        letterfields.letter_context("khai_hoang", {}, SAMPLE_UNIT, SETTINGS, SAMPLE_DATE)
