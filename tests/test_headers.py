"""Header matching: aliases by folded key, group words, two-row headers, event detection."""

import pytest

from hcpvnd_utils.errors import ConfigError
from hcpvnd_utils.ingest.headers import (
    HeaderMatch,
    cached_aliases,
    detect_event,
    event_from_text,
    find_header,
    load_aliases,
    match_header,
    match_pair,
    plan_columns,
)
from hcpvnd_utils.records import FIELDS


def field_of(text: str) -> str:
    match = match_header(text)
    assert match.kind == "field", (text, match)
    return match.name


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Số ĐK", "reg_no"),
        ("Số đăng ký", "reg_no"),
        ("SO DK", "reg_no"),
        ("Ngày ĐK", "reg_date"),
        ("Ngay DK", "reg_date"),
        ("NGÀY, THÁNG, NĂM\nĐĂNG KÝ", "reg_date"),
        ("Quyển số", "reg_book"),
        ("Loại đăng ký", "reg_kind"),
        ("Ghi chú", "note"),
        ("Ho ten chong", "husband_full_name"),
        ("HỌ TÊN VỢ", "wife_full_name"),
        ("Họ tên\nmẹ", "mother_full_name"),
        ("Họ, chữ đệm, tên người mẹ", "mother_full_name"),
        ("Năm sinh của cha", "father_birth_year"),
        ("Nơi cư trú (mẹ)", "mother_residence"),
        ("Họ, chữ đệm, tên người chết", "deceased_full_name"),
        ("Người chết", "deceased_full_name"),
        ("Nơi cư trú cuối cùng", "last_residence"),
        ("Đã chết vào lúc", "death_date"),
        ("Ngày chết", "death_date"),
        ("Người đi khai tử", "declarant_full_name"),
        ("Quan hệ với người chết", "declarant_relation"),
        ("Quan hệ với người được khai sinh", "declarant_relation"),
        ("Số CCCD chồng", "husband_pid"),
        ("Họ tên người được khai sinh", "child_full_name"),
        ("Nơi cư trú của người đi khai tử", "declarant_residence"),
    ],
)
def test_headers_that_name_a_field(header, field):
    assert field_of(header) == field


@pytest.mark.parametrize(
    ("header", "part", "role"),
    [
        ("Họ và tên", "full_name", ""),
        ("HỌ VÀ TÊN", "full_name", ""),
        ("Họ, chữ đệm, tên", "full_name", ""),
        ("NTNS", "dob", ""),
        ("Ngày, tháng, năm sinh", "dob", ""),
        ("GT", "sex", ""),
        ("Giới tính", "sex", ""),
        ("Số ĐDCN", "pid", ""),
        ("Số định danh cá nhân", "pid", ""),
        ("Nơi cư trú", "residence", ""),
        ("Ngày sinh của bên nữ", "dob", "wife"),
        ("Giới tính người chết", "", ""),  # an explicit field, tested below
        ("Số định danh (con)", "pid", "child"),
        ("Số định danh người đi khai tử", "pid", "declarant"),
        ("Mẹ - Họ tên", "full_name", "mother"),
    ],
)
def test_headers_that_name_a_part(header, part, role):
    match = match_header(header)
    if not part:
        assert match.kind == "field"
        return
    assert match == HeaderMatch("part", part, role)


@pytest.mark.parametrize(
    "header", ["STT", "Dân tộc", "Nguyên nhân chết", "Nơi chết", "Số giấy báo tử",
               "Điện thoại", "Dân tộc (mẹ)", "Quốc tịch (mẹ)"]
)  # fmt: skip
def test_headers_recognised_and_not_kept(header):
    assert match_header(header).kind == "ignore"


@pytest.mark.parametrize(
    "header, field", [("Quốc tịch bên nữ", "wife_nationality"), ("Quốc tịch chồng",
                      "husband_nationality"), ("Số định danh của mẹ", "mother_pid")],
)  # fmt: skip
def test_a_spouse_nationality_and_the_mother_id_are_kept(header, field):
    """A marriage with a foreign spouse gets its own letter (issue 17), twins are found by their
    mother: the spouses' nationality and the mother's ID number are read."""
    assert match_header(header) == HeaderMatch("field", field)


def test_a_bare_nationality_column_is_the_spouse_s_in_a_marriage_register():
    assert match_header("Quốc tịch") == HeaderMatch("part", "nationality")


@pytest.mark.parametrize("header", ["Tên hàng", "Đơn giá", "Số lượng", "DANH SÁCH", ""])
def test_headers_that_mean_nothing_here(header):
    assert not match_header(header).known


@pytest.mark.parametrize(
    ("top", "bottom", "expected"),
    [
        ("Người chết", "Họ và tên", HeaderMatch("part", "full_name", "deceased")),
        ("Bên nam", "Họ, chữ đệm, tên", HeaderMatch("part", "full_name", "husband")),
        ("Bên nữ", "Ngày sinh", HeaderMatch("part", "dob", "wife")),
        ("Thông tin người mẹ", "Năm sinh", HeaderMatch("part", "birth_year", "mother")),
        ("Người đi khai tử", "Quan hệ", HeaderMatch("field", "declarant_relation")),
        ("Giới tính", "Nữ", HeaderMatch("sexmark", "Nữ")),
        ("Người chết", "Dân tộc", HeaderMatch("ignore")),
        ("Thông tin đăng ký", "Số", HeaderMatch("field", "reg_no")),
        ("Số ĐK", "", HeaderMatch("field", "reg_no")),
    ],
)
def test_two_row_headers_join_the_group_word(top, bottom, expected):
    assert match_pair(top, bottom, cached_aliases()) == expected


@pytest.mark.parametrize(
    ("top", "bottom", "expected"),
    [
        ("Bên chồng", "Ngày cấp", HeaderMatch("ignore")),
        ("Bên vợ", "Ngày cấp", HeaderMatch("ignore")),
        ("Người mẹ", "Số", HeaderMatch("ignore")),
        ("Người đi khai tử", "Ngày cấp giấy", HeaderMatch("ignore")),
        ("Người được khai sinh", "Số đăng ký khai sinh", HeaderMatch("field", "reg_no")),
    ],
)
def test_a_person_s_group_never_holds_the_registration_s_date_or_number(top, bottom, expected):
    """ "Ngày cấp" under "Bên chồng" is the date his ID card was issued: it was read as the
    registration date (and a bare "Số" as the registration number)."""
    assert match_pair(top, bottom, cached_aliases()) == expected


def test_the_id_card_issue_dates_of_the_spouses_leave_the_registration_date_to_its_column():
    rows = [
        ["STT", "Bên chồng", "", "", "", "Bên vợ", "", "", "", "Số ĐK", "Ngày ĐK"],
        ["", "Họ tên", "Ngày sinh", "Số CCCD", "Ngày cấp", "Họ tên", "Ngày sinh", "Số CCCD",
         "Ngày cấp", "", ""],
        [1, "A", "1995", "099095000111", "03/09/2024", "B", "1997", "099197000222",
         "05/05/2021", 12, "10/09/2024"],
    ]  # fmt: skip
    merges = [(0, 1, 0, 4), (0, 5, 0, 8), (0, 0, 1, 0), (0, 9, 1, 9), (0, 10, 1, 10)]
    layout = find_header(rows, merges)
    plan = plan_columns(layout, detect_event(layout))
    assert plan.event == "ket_hon"
    assert (plan.columns[9], plan.columns[10]) == ("reg_no", "reg_date")
    assert 4 not in plan.columns and 8 not in plan.columns


def test_header_found_below_title_rows():
    rows = [
        ["UBND XÃ PHƯỚC THÀNH", "", ""],
        ["DANH SÁCH ĐĂNG KÝ KHAI SINH", "", ""],
        ["Từ ngày 01/9/2024 đến ngày 30/9/2024", "", ""],
        ["", "", ""],
        ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Họ tên mẹ"],
        [1, 5, "02/9/2024", "Lê Văn A", "Lê Thị B"],
    ]
    layout = find_header(rows)
    assert (layout.top, layout.bottom) == (4, 4)
    assert layout.texts == ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Họ tên mẹ"]


def test_merged_two_row_header_takes_the_value_of_the_top_left_cell():
    rows = [
        ["STT", "Số ĐK", "Người chết", "", "", "Người đi khai tử", ""],
        ["", "", "Họ và tên", "Ngày sinh", "Giới tính", "Họ tên", "Quan hệ"],
        [1, 3, "Trần Văn A", "1940", "Nam", "Trần Văn B", "Con"],
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4), (0, 5, 0, 6)]
    layout = find_header(rows, merges)
    assert (layout.top, layout.bottom) == (0, 1)
    assert layout.texts[2] == "Người chết / Họ và tên"
    assert layout.texts[0] == "STT"
    plan = plan_columns(layout, detect_event(layout))
    assert plan.event == "khai_tu"
    assert plan.columns == {1: "reg_no", 2: "deceased_full_name", 3: "deceased_dob",
                            4: "deceased_sex", 5: "declarant_full_name",
                            6: "declarant_relation"}  # fmt: skip


def test_two_row_header_without_merge_data_spreads_group_words_right():
    rows = [
        ["Số ĐK", "Thông tin người mẹ", "", "", "Người cha"],
        ["", "Họ tên", "Năm sinh", "Nơi cư trú", "Họ tên"],
        ["7", "Lê Thị B", "1990", "Thôn 1", "Trần Văn C"],
    ]
    layout = find_header(rows)
    plan = plan_columns(layout, detect_event(layout))
    assert plan.event == "khai_sinh"
    assert plan.columns == {0: "reg_no", 1: "mother_full_name", 2: "mother_birth_year",
                            3: "mother_residence", 4: "father_full_name"}  # fmt: skip


def test_group_row_above_the_first_recognised_row():
    rows = [
        ["", "", "Bên nam", "", "Bên nữ", ""],
        ["Số", "Ngày đăng ký", "Họ tên", "Ngày sinh", "Họ tên", "Ngày sinh"],
        ["1", "02/9/2024", "A", "1990", "B", "1992"],
    ]
    layout = find_header(rows, [(0, 2, 0, 3), (0, 4, 0, 5)])
    plan = plan_columns(layout, detect_event(layout))
    assert plan.event == "ket_hon"
    assert [plan.columns[c] for c in range(2, 6)] == [
        "husband_full_name", "husband_dob", "wife_full_name", "wife_dob"]  # fmt: skip


def test_a_data_row_under_the_header_is_not_taken_for_a_second_header_row():
    rows = [["Số ĐK", "Họ và tên", "Giới tính"], ["1", "Con", "Nam"]]
    layout = find_header(rows)
    assert (layout.top, layout.bottom) == (0, 0)


def test_no_header_in_a_sheet_that_is_not_a_register():
    rows = [["Tên hàng", "Số lượng", "Đơn giá"], ["Giấy A4", 10, 55000]]
    assert find_header(rows) is None


def test_bare_parts_go_to_the_person_on_their_left_then_in_register_order():
    rows = [["Số", "Họ và tên", "Ngày sinh", "Giới tính", "Họ tên mẹ", "Năm sinh", "Nơi cư trú",
             "Họ tên cha", "Năm sinh", "Dân tộc"]]  # fmt: skip
    layout = find_header(rows)
    plan = plan_columns(layout, detect_event(layout))
    assert plan.columns == {0: "reg_no", 1: "child_full_name", 2: "child_dob", 3: "child_sex",
                            4: "mother_full_name", 5: "mother_birth_year",
                            6: "mother_residence", 7: "father_full_name",
                            8: "father_birth_year"}  # fmt: skip


def test_only_the_fields_of_the_event_are_kept():
    rows = [["Số ĐK", "Họ tên người chết", "Họ tên mẹ", "Nguyên nhân chết", "Ngày chết"]]
    layout = find_header(rows)
    plan = plan_columns(layout, "khai_tu")
    assert set(plan.columns.values()) <= set(FIELDS["common"]) | set(FIELDS["khai_tu"])
    assert "mother_full_name" not in plan.columns.values()


@pytest.mark.parametrize(
    ("text", "short", "event"),
    [
        ("DANH SÁCH ĐĂNG KÝ KHAI SINH", False, "khai_sinh"),
        ("Sổ đăng ký kết hôn", False, "ket_hon"),
        ("DANH SACH DANG KY KHAI TU", False, "khai_tu"),
        ("khai_sinh_2024_09", False, "khai_sinh"),
        ("ks_2024_09", True, "khai_sinh"),
        ("KH T9", True, "ket_hon"),
        ("phuoc-son-kt-2024", True, "khai_tu"),
        ("ks_2024_09", False, ""),
        ("Khai sinh và khai tử", False, ""),
        ("Sheet1", True, ""),
    ],
)
def test_event_from_titles_and_names(text, short, event):
    assert event_from_text(text, short_names=short) == event


def test_event_from_headers_wins_over_fallbacks():
    layout = find_header([["Số", "Họ tên chồng", "Họ tên vợ"]])
    assert detect_event(layout, "khai_sinh") == "ket_hon"
    layout = find_header([["Số", "Họ và tên", "Ngày sinh"]])
    assert detect_event(layout, "", "khai_tu") == "khai_tu"
    assert detect_event(layout) == ""


def test_users_add_aliases_in_their_own_file(tmp_path):
    extra = tmp_path / "aliases.yaml"
    extra.write_text("fields:\n  reg_no: [Số thứ tự sổ hộ tịch]\n", encoding="utf-8")
    aliases = load_aliases(extra)
    assert match_header("SỐ THỨ TỰ SỔ HỘ TỊCH", aliases) == HeaderMatch("field", "reg_no")
    assert match_header("Số ĐK", aliases) == HeaderMatch("field", "reg_no")


@pytest.mark.parametrize(
    ("content", "key"),
    [("fields:\n  child_ethnicity: [Dân tộc]\n", "fields.child_ethnicity"),
     ("groups:\n  uncle: [Chú]\n", "groups.uncle"),
     ("fields:\n  reg_no: Số\n", "fields.reg_no")],
)  # fmt: skip
def test_a_wrong_alias_file_is_refused_with_its_key(tmp_path, content, key):
    extra = tmp_path / "aliases.yaml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_aliases(extra)
    assert key in str(caught.value)
    assert str(extra) in str(caught.value)


def test_every_canonical_field_has_an_alias():
    aliases = cached_aliases()
    named = set(aliases.fields.values())
    for event in ("common", "khai_sinh", "ket_hon", "khai_tu"):
        for name in FIELDS[event]:
            assert name in named, name


def test_an_alias_file_that_is_not_yaml_says_where_in_vietnamese(tmp_path):
    extra = tmp_path / "aliases.yaml"
    extra.write_text("fields:\n  reg_no: [Số\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_aliases(extra)
    assert caught.value.code == "E-CONF-01" and "sai cú pháp ở dòng" in caught.value.message
    assert "Error" not in caught.value.message
