"""Reading real export files: every fixture is named after the problem it provokes."""

import shutil
import unicodedata
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcpvnd_utils.ingest import files as ingest
from hcpvnd_utils.records import FIELDS

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parents[1] / "inputs" / "phuoc-quang"
BROKEN = {
    "zero_bytes.xlsx": "E-FILE-02",
    "empty.xlsx": "E-FILE-02",
    "text_renamed.xlsx": "E-FILE-01",
    "truncated.xlsx": "E-FILE-01",
    "encrypted.xlsx": "E-FILE-03",
    "no_header.xlsx": "E-FILE-04",
    "no_event.xlsx": "E-FILE-06",
}
CSV_BIRTHS = ["nfd_names.csv", "windows1258.csv", "bom_utf8.csv", "semicolon.csv"]


def read(name: str):
    return ingest.read_file(DATA / name)


def only(result, code):
    found = [p for r in result.records for p in r.problems + r.warnings if p.code == code]
    return found


# --- broken files ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "code"), BROKEN.items())
def test_a_file_that_cannot_be_used_is_one_problem_naming_it(name, code):
    result = read(name)
    assert result.records == [] and result.sources == []
    assert [p.code for p in result.file_problems] == [code]
    problem = result.file_problems[0]
    assert problem.file == name
    assert problem.message.startswith(f"[{code}] Tệp {name}")
    assert "Traceback" not in problem.message


def test_an_excel_2003_xml_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "khai_sinh.xls"
    path.write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row><Cell><Data>Số</Data></Cell></Row></Table></Worksheet>"
        "</Workbook>",
        encoding="utf-8",
    )
    (problem,) = ingest.read_file(path).file_problems
    assert problem.code == "E-FILE-01"
    assert "XML 2003" in problem.message and "lưu lại dạng .xlsx" in problem.message


def test_no_header_names_the_sheet():
    (problem,) = read("no_header.xlsx").file_problems
    assert problem.sheet == "Sheet"
    assert "trang “Sheet”" in problem.message


def test_an_unexpected_error_becomes_a_problem_without_cell_contents(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("Nguyễn Văn Tám 099301012345")

    monkeypatch.setattr(ingest, "_read_sheet", explode)
    result = read("bom_utf8.csv")
    (problem,) = result.file_problems
    assert problem.code == "E-FILE-01" and problem.file == "bom_utf8.csv"
    assert "Nguyễn" not in problem.message and "0993" not in problem.message
    assert "RuntimeError" in problem.message


def test_read_file_never_raises_for_any_fixture():
    for path in sorted(DATA.iterdir()):
        if path.is_file():
            result = ingest.read_file(path)
            assert result.records or result.file_problems, path.name


# --- title rows, two-row merged header, footers ----------------------------------------------


def test_title_rows_merged_header_and_every_kind_of_non_data_row():
    result = read("title_rows_merged_header.xlsx")
    assert result.file_problems == []
    (source,) = result.sources
    assert (source.name, source.sheet, source.event, source.rows) == (
        "title_rows_merged_header.xlsx", "KT T9", "khai_tu", 6)  # fmt: skip
    assert (source.stated_start, source.stated_end) == (date(2024, 9, 1), date(2024, 9, 30))
    # rows 7 (column numbers), 11 (blank), 13-14 (header repeated), 17+ (footer) are not data
    assert [r.row for r in result.records] == [8, 9, 10, 12, 15, 16]
    first = result.records[0]
    assert first.values == {
        "reg_no": "01",
        "reg_date": date(2024, 9, 3),
        "deceased_full_name": "Nguyễn Văn Tám",
        "deceased_dob": date(1941, 2, 1),
        "deceased_sex": "Nam",
        "last_residence": "Thôn Phổ Trạch, xã Phước Thành",
        "declarant_full_name": "Nguyễn Văn Chín",
        "declarant_relation": "Con",
        "death_date": date(2024, 9, 1),
    }
    assert first.headers["deceased_full_name"] == "Người chết / Họ và tên"
    assert first.headers["declarant_relation"] == "Người đi khai tử / Quan hệ"
    assert first.column("death_date") == "Đã chết vào lúc"
    assert result.records[1].values["deceased_dob"] == 1938  # a year alone
    assert result.records[1].values["deceased_full_name"] == "Trần Thị Lý"
    assert all(not r.problems for r in result.records)


def test_columns_not_needed_are_never_kept():
    result = read("title_rows_merged_header.xlsx")
    allowed = set(FIELDS["common"]) | set(FIELDS["khai_tu"])
    for record in result.records:
        assert set(record.values) <= allowed
        assert "Già yếu" not in record.values.values()
    births = read("bom_utf8.csv")
    assert all("Kinh" not in r.values.values() for r in births.records)  # ethnicity


def test_headers_without_diacritics_in_capitals_with_line_breaks():
    result = read("no_diacritics_headers.xlsx")
    (source,) = result.sources
    assert source.event == "ket_hon"
    assert (source.stated_start, source.stated_end) == (date(2024, 9, 1), date(2024, 9, 30))
    record = result.records[0]
    assert record.values["husband_full_name"] == "Nguyễn Văn An"
    assert record.values["husband_dob"] == date(1996, 3, 12)
    assert record.values["wife_pid"] == "099198001235"
    assert record.headers["husband_dob"] == "Ngay sinh chong"
    assert result.records[1].values["husband_dob"] == 1995


def test_ben_nam_ben_nu_over_the_party_columns():
    result = read("ket_hon_ben_nam_ben_nu.xlsx")
    record = result.records[0]
    assert record.event == "ket_hon" and record.row == 4
    assert record.values["husband_full_name"] == "Nguyễn Văn An"
    assert record.values["wife_residence"] == "Thôn Quảng Tín"
    assert record.headers["wife_full_name"] == "Bên nữ / Họ, chữ đệm, tên"


# --- CSV: encodings, separators, names -------------------------------------------------------


@pytest.mark.parametrize("name", CSV_BIRTHS)
def test_csv_exports_read_the_same_whatever_the_encoding_or_separator(name):
    result = read(name)
    assert result.file_problems == [] and result.warnings == []
    (source,) = result.sources
    assert (source.sheet, source.event, source.rows) == ("", "khai_sinh", 3)
    assert (source.stated_start, source.stated_end) == (date(2024, 9, 1), date(2024, 9, 30))
    first = result.records[0]
    assert (first.file, first.sheet, first.row) == (name, "", 4)
    assert first.values["child_full_name"] == "Ngô Thị Kim Liên"
    assert first.values["mother_full_name"] == "Ngô Thị Hường"
    assert first.values["mother_birth_year"] == 1995
    assert first.values["mother_residence"] == "Thôn Phổ Trạch, xã Phước Thành, huyện Tuy Phước"
    assert first.values["child_sex"] == "Nữ"
    assert result.records[2].values["reg_date"] == date(2024, 9, 10)
    for record in result.records:
        for value in record.values.values():
            if isinstance(value, str):
                assert unicodedata.is_normalized("NFC", value)


def test_two_row_header_in_a_csv_without_merge_information():
    result = read("two_row_header.csv")
    record = result.records[0]
    assert record.row == 3
    assert record.values["child_full_name"] == "Ngô Thị Kim Liên"
    assert record.values["mother_birth_year"] == 1995
    assert record.headers["mother_residence"] == "Thông tin người mẹ / Nơi cư trú"


# --- cell problems -----------------------------------------------------------------------------


def test_bad_dates_are_reported_with_file_sheet_row_and_column():
    result = read("bad_dates.xlsx")
    assert len(result.records) == 4
    found = [(p.file, p.sheet, p.row, p.column, p.code) for p in only(result, "E-DATE-01")]
    assert found == [
        ("bad_dates.xlsx", "KS", 4, "Ngày ĐK", "E-DATE-01"),
        ("bad_dates.xlsx", "KS", 5, "Ngày ĐK", "E-DATE-01"),
        ("bad_dates.xlsx", "KS", 6, "Ngày ĐK", "E-DATE-01"),
    ]
    # "không rõ" is no wrong date but an empty cell: the date of birth is missing (E-REQ-01)
    assert "child_dob" not in result.records[1].values
    first = only(result, "E-DATE-01")[0]
    assert first.message.startswith(
        "[E-DATE-01] Tệp bad_dates.xlsx, trang “KS”, dòng 4, cột “Ngày ĐK”: “31/11/2024”"
    )
    assert "reg_date" not in result.records[0].values
    assert result.records[3].values["child_dob"] == date(2024, 8, 2)
    assert result.records[3].problems == []


def test_an_id_that_lost_its_leading_zero_gets_it_back_with_a_warning():
    result = read("id_lost_zero.xlsx")
    pids = [r.values.get("child_pid") for r in result.records]
    assert pids == ["099324001111", None, "099324001113", "099324001114"]
    (warning,) = only(result, "W-ID-01")
    assert (warning.row, warning.column, warning.severity) == (4, "Số định danh cá nhân", "warning")
    (error,) = only(result, "E-ID-01")
    assert (error.row, error.column, error.severity) == (5, "Số định danh cá nhân", "error")
    assert "10 chữ số" in error.message


def test_a_number_where_a_name_belongs():
    result = read("number_as_name.xlsx")
    found = [(p.row, p.column) for p in only(result, "E-NAME-01")]
    assert found == [(4, "Họ và tên"), (5, "Họ và tên")]
    assert all("child_full_name" not in r.values for r in result.records)


# --- layouts -----------------------------------------------------------------------------------


def test_sex_ticked_in_two_columns():
    result = read("sex_x_columns.xlsx")
    assert [r.values["child_sex"] for r in result.records] == ["Nam", "Nữ"]
    assert [r.row for r in result.records] == [5, 6]


def test_merged_cells_fill_every_row_and_other_sheets_are_skipped_silently():
    result = read("merged_cells_extra_sheets.xlsx")
    assert result.file_problems == []
    assert [s.sheet for s in result.sources] == ["Khai sinh"]
    assert [r.values["reg_date"] for r in result.records] == [
        date(2024, 9, 2), date(2024, 9, 2), date(2024, 9, 9)]  # fmt: skip


def test_event_from_the_file_name_when_headers_and_title_say_nothing():
    result = read("ks_event_from_file_name.xlsx")
    assert [s.event for s in result.sources] == ["khai_sinh"]
    assert result.records[0].values["child_full_name"] == "Lý Văn Sơn"


def test_a_sheet_without_title_takes_the_event_of_the_other_sheets():
    result = read("second_sheet_without_title.xlsx")
    assert result.file_problems == []
    assert [(s.sheet, s.event, s.rows) for s in result.sources] == [
        ("T9", "khai_sinh", 1), ("T10", "khai_sinh", 1)]  # fmt: skip
    assert [r.values["reg_no"] for r in result.records] == ["9", "10"]


def test_html_saved_as_xls():
    result = read("html_as_xls.xls")
    (source,) = result.sources
    assert (source.event, source.rows) == ("khai_sinh", 2)
    assert (source.stated_start, source.stated_end) == (date(2024, 9, 1), date(2024, 9, 30))
    first = result.records[0]
    assert first.values["child_full_name"] == "Huỳnh Thị Mỹ"
    assert first.values["mother_birth_year"] == 1993
    assert first.headers["child_full_name"] == "Thông tin trẻ / Họ, chữ đệm, tên"


def test_legacy_xls_through_xlrd():
    result = read("legacy.xls")
    by_sheet = {s.sheet: s for s in result.sources}
    assert by_sheet["KS"].rows == 2 and by_sheet["KS"].encoding == ""
    first = result.records[0]
    assert (first.sheet, first.row) == ("KS", 4)
    assert first.values["reg_date"] == date(2024, 9, 5)
    assert first.values["child_full_name"] == "Lê Thị Mai"
    assert first.values["child_pid"] == "099324001230"
    old = [r for r in result.records if r.sheet == "KS cu"]
    assert old[0].values["child_full_name"] == "Nguyễn Văn Hùng"
    assert by_sheet["KS cu"].encoding == "TCVN3"


# --- legacy encodings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("tcvn3_vntime.xlsx", "TCVN3"), ("vni_times.xlsx", "VNI"), ("tcvn3_bytes.csv", "TCVN3")],
)
def test_legacy_encodings_are_converted_and_said_so(name, encoding):
    result = read(name)
    (source,) = result.sources
    assert source.encoding == encoding and source.event == "khai_sinh"
    (warning,) = result.warnings
    assert warning.code == "W-ENC-01" and warning.file == name
    assert f"bảng mã {encoding}" in warning.message
    names = [r.values["child_full_name"] for r in result.records]
    assert names == ["Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Đình Phúc"]
    assert result.records[0].values["mother_residence"] == "Thôn Phổ Trạch, xã Phước Thành"
    assert result.records[0].headers["child_full_name"] == "Họ và tên"


def test_a_stray_tcvn3_cell_in_a_unicode_sheet_is_converted_and_said_so():
    result = read("stray_tcvn3_cell.xlsx")
    assert [r.values["child_full_name"] for r in result.records] == [
        "Lê Văn Tài", "Trần Thị Thu Hà"]  # fmt: skip
    (warning,) = result.warnings
    assert (warning.code, warning.sheet) == ("W-ENC-01", "KS")
    assert result.sources[0].encoding == "TCVN3"


def test_unicode_files_get_no_encoding_warning():
    for name in ("title_rows_merged_header.xlsx", "windows1258.csv", "nfd_names.csv"):
        assert read(name).warnings == []


# --- a unit's folder ---------------------------------------------------------------------------


def test_read_unit_reads_exports_in_name_order_and_leaves_other_files(tmp_path):
    unit = tmp_path / "phuoc-thanh"
    unit.mkdir()
    shutil.copy(DATA / "bom_utf8.csv", unit / "b_khai_sinh.csv")
    shutil.copy(DATA / "title_rows_merged_header.xlsx", unit / "a_khai_tu.xlsx")
    shutil.copy(DATA / "text_renamed.xlsx", unit / "~$a_khai_tu.xlsx")  # Excel lock file
    (unit / ".hidden.xlsx").write_bytes(b"")
    (unit / "ghi_chu.txt").write_text("ghi chú", encoding="utf-8")
    (unit / "README.md").write_text("#", encoding="utf-8")
    result = ingest.read_unit(tmp_path, "phuoc-thanh")
    assert result.file_problems == []
    assert [s.name for s in result.sources] == ["a_khai_tu.xlsx", "b_khai_sinh.csv"]
    assert len(result.records) == 6 + 3


def test_read_unit_missing_folder(tmp_path):
    result = ingest.read_unit(tmp_path, "phuoc-son")
    (problem,) = result.file_problems
    assert problem.code == "E-FILE-05"
    assert str(tmp_path / "phuoc-son") in problem.message


def test_read_unit_uses_the_users_own_aliases(tmp_path):
    unit = tmp_path / "phuoc-an"
    unit.mkdir()
    (unit / "khai_sinh.csv").write_text(
        "Số sổ hộ tịch,Ngày ĐK,Tên bé\n9,02/9/2024,lê văn an\n", encoding="utf-8"
    )
    (tmp_path / "aliases.yaml").write_text(
        "fields:\n  reg_no: [Số sổ hộ tịch]\n  child_full_name: [Tên bé]\n", encoding="utf-8"
    )
    (record,) = ingest.read_unit(tmp_path, "phuoc-an").records
    assert record.values == {"reg_no": "9", "reg_date": date(2024, 9, 2),
                             "child_full_name": "Lê Văn An"}  # fmt: skip


def test_a_large_file_streams_every_row(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KS")
    sheet.append(["DANH SÁCH ĐĂNG KÝ KHAI SINH"])
    sheet.append(["Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh"])
    for number in range(1, 3001):
        sheet.append([number, date(2024, 9, 1 + number % 28), "lê văn an", date(2024, 8, 1)])
    sheet.append(["Tổng cộng", 3000])
    workbook.save(tmp_path / "khai_sinh.xlsx")
    result = ingest.read_file(tmp_path / "khai_sinh.xlsx")
    assert len(result.records) == 3000
    assert result.records[-1].row == 3002
    assert result.records[0].headers is result.records[-1].headers  # shared, not copied


def test_a_table_that_starts_in_column_c_keeps_excel_row_numbers(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["C2"] = "DANH SÁCH ĐĂNG KÝ KẾT HÔN"
    sheet.merge_cells("C2:F2")
    for col, (top, sub) in enumerate(
        [("Số", ""), ("Bên nam", "Họ tên"), ("", "Ngày sinh"), ("Bên nữ", "Họ tên")], start=3
    ):
        sheet.cell(5, col, top or None)
        sheet.cell(6, col, sub or None)
    sheet.merge_cells("D5:E5")
    sheet.merge_cells("C5:C6")
    sheet.append([])
    for col, value in enumerate([12, "lê văn an", "1990", "trần thị bé"], start=3):
        sheet.cell(8, col, value)
    workbook.save(tmp_path / "kh.xlsx")
    (record,) = ingest.read_file(tmp_path / "kh.xlsx").records
    assert (record.event, record.row) == ("ket_hon", 8)
    assert record.values == {"reg_no": "12", "husband_full_name": "Lê Văn An",
                             "husband_dob": 1990, "wife_full_name": "Trần Thị Bé"}  # fmt: skip


@pytest.mark.parametrize("name", ["bom_utf8.csv", "semicolon.csv"])
def test_a_damaged_byte_in_a_utf8_csv_never_passes_as_a_name(tmp_path, name):
    good = (DATA / name).read_bytes()
    damaged = good.replace("kim liên".encode(), b"kim li\xeau", 1)
    assert damaged != good
    (tmp_path / "khai_sinh.csv").write_bytes(damaged)
    result = ingest.read_file(tmp_path / "khai_sinh.csv")
    assert len(result.records) == 3
    (problem,) = result.records[0].problems
    assert (problem.code, problem.row, problem.column) == ("E-NAME-01", 4, "Họ và tên")
    assert result.records[1].values["child_full_name"] == "Nguyễn Hoàng Phúc"


@pytest.mark.parametrize("name", ["bom_utf8.csv", "semicolon.csv"])
def test_a_damaged_byte_in_an_address_is_refused_naming_the_cell(tmp_path, name):
    """A cell pasted from an old file into a UTF-8 CSV: the address reached the letter as
    "Thôn Qu\ufffdng Tín", silently."""
    good = (DATA / name).read_bytes()
    damaged = good.replace("Thôn Quảng".encode(), "Thôn".encode("cp1258") + " Quảng".encode(), 1)
    assert damaged != good
    (tmp_path / "khai_sinh.csv").write_bytes(damaged)
    result = ingest.read_file(tmp_path / "khai_sinh.csv")
    assert len(result.records) == 3
    (problem,) = result.records[1].problems
    assert (problem.code, problem.row, problem.file) == ("E-TEXT-01", 5, "khai_sinh.csv")
    assert problem.column == "Nơi cư trú"
    assert "lưu lại tệp với mã UTF-8" in problem.message
    assert "\ufffd" not in "".join(str(v) for v in result.records[1].values.values())
    assert not result.records[0].problems and not result.records[2].problems


def test_two_columns_read_as_one_field_are_a_warning_naming_both(tmp_path):
    """ "Ngày cấp" (an ID card's) beside "Ngày ĐK": the first column won, silently."""
    (tmp_path / "ket_hon.csv").write_text(
        "STT,Số ĐK,Ngày cấp,Ngày ĐK,Họ tên chồng,Họ tên vợ\n"
        "1,12,05/05/2021,10/09/2024,Nguyễn Văn Hùng,Trần Thị Mai\n",
        encoding="utf-8",
    )
    result = ingest.read_file(tmp_path / "ket_hon.csv")
    (warning,) = [w for w in result.warnings if w.code == "W-HEAD-01"]
    assert warning.severity == "warning" and warning.file == "ket_hon.csv"
    assert "“Ngày cấp” và “Ngày ĐK”" in warning.message
    assert "đã dùng cột “Ngày cấp”" in warning.message


def test_one_column_per_field_gives_no_clash_warning(tmp_path):
    shutil.copy(DATA / "bom_utf8.csv", tmp_path / "khai_sinh.csv")
    result = ingest.read_file(tmp_path / "khai_sinh.csv")
    assert not [w for w in result.warnings if w.code == "W-HEAD-01"]


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                            b"<html><table><tr><td>", b"\xef\xbb\xbfSTT,S\xe1\xbb\x91 \xc4\x90K\n"]),
    body=st.binary(max_size=3000),
    suffix=st.sampled_from([".xlsx", ".xls", ".csv"]),
)  # fmt: skip
def test_whatever_the_bytes_read_file_answers_and_never_raises(tmp_path_factory, prefix, body,
                                                               suffix):  # fmt: skip
    path = tmp_path_factory.mktemp("fuzz") / f"khai_sinh{suffix}"
    path.write_bytes(prefix + body)
    result = ingest.read_file(path)
    assert isinstance(result.records, list)
    for problem in result.file_problems:
        assert problem.code.startswith("E-FILE-") and "Traceback" not in problem.message


def test_an_adults_old_cmnd_or_passport_is_accepted_but_a_childs_must_be_an_id(tmp_path):
    """Older people still hold a 9-digit CMND, and a spouse may be a foreigner with a passport:
    their rows get letters (the number is never a key, so it is not kept). A child has only
    the 12-digit number."""
    marriages = tmp_path / "ket_hon_2024-03.xlsx"
    book = openpyxl.load_workbook(SAMPLE / "ket_hon_2024-03.xlsx")
    sheet = book.worksheets[0]
    sheet["J8"], sheet["P8"] = "211234567", "C1234567"  # husband's CMND, wife's passport
    book.save(marriages)
    births = tmp_path / "khai_sinh_2024-03.xlsx"
    book = openpyxl.load_workbook(SAMPLE / "khai_sinh_2024-03.xlsx")
    sheet = book.worksheets[0]
    sheet["L8"] = "211234567"  # the child's column
    book.save(births)

    married = ingest.read_file(marriages).records[0]
    born = ingest.read_file(births).records[0]

    assert married.problems == [] and married.warnings == []
    assert "husband_pid" not in married.values and "wife_pid" not in married.values
    assert [p.code for p in born.problems] == ["E-ID-01"]
    assert "9 chữ số" in born.problems[0].message


# --- placeholders ("None", "x", "-", "Không có") are empty cells ---------------------------------

BIRTH_HEADER = ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Họ tên mẹ", "Năm sinh mẹ",
                "Nơi cư trú", "Họ tên cha", "Số định danh cá nhân"]  # fmt: skip
FATHERS = ["None", "x", "không", "(không có)", "Chưa xác định", "-", "0", "...", "/", "NULL"]


def birth_csv(path: Path, rows: list[list]) -> Path:
    lines = [",".join(BIRTH_HEADER)] + [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_placeholders_in_text_and_name_cells_are_read_as_empty(tmp_path):
    rows = [
        [i + 1, 101 + i, f"{2 + i:02d}/09/2024", "Lê Văn An", "01/08/2024",
         "NaT" if i == 1 else "Phạm Thị Hoa", "nan" if i == 2 else 1990,
         ["nan", "NULL", "(trống)"][i % 3] if i < 3 else "Thôn Phổ Trạch", father, "không có"]
        for i, father in enumerate(FATHERS)
    ]  # fmt: skip
    result = ingest.read_file(birth_csv(tmp_path / "khai_sinh.csv", rows))
    assert len(result.records) == len(FATHERS)
    assert all(r.problems == [] and r.warnings == [] for r in result.records)  # no E-NAME-01
    assert all("father_full_name" not in r.values for r in result.records)
    assert all("child_pid" not in r.values for r in result.records)
    assert "mother_full_name" not in result.records[1].values
    assert "mother_birth_year" not in result.records[2].values
    assert [r.values.get("mother_residence") for r in result.records[:4]] == [
        None, None, None, "Thôn Phổ Trạch"]  # fmt: skip
    assert result.records[0].values["mother_full_name"] == "Phạm Thị Hoa"


def test_a_real_name_that_looks_like_a_placeholder_word_is_kept(tmp_path):
    rows = [[1, 101, "02/09/2024", "Lê Văn An", "01/08/2024", "Khổng Thị Na", 1990,
             "Thôn 0", "Nguyễn Văn Không", ""]]  # fmt: skip
    (record,) = ingest.read_file(birth_csv(tmp_path / "khai_sinh.csv", rows)).records
    assert record.values["mother_full_name"] == "Khổng Thị Na"
    assert record.values["father_full_name"] == "Nguyễn Văn Không"
    assert record.values["mother_residence"] == "Thôn 0"


def test_a_required_cell_holding_a_placeholder_is_reported_missing(tmp_path):
    from hcpvnd_utils.periods import parse_period
    from hcpvnd_utils.validate.rules import classify

    rows = [[1, 101, "02/09/2024", "None", "01/08/2024", "Phạm Thị Hoa", 1990, "Thôn A", "", ""],
            [2, "-", "03/09/2024", "Lê Văn An", "Chưa xác định", "Phạm Thị Hoa", 1990, "", "", ""]]  # fmt: skip
    result = ingest.read_file(birth_csv(tmp_path / "khai_sinh.csv", rows))
    outcomes = classify(result.records, parse_period("2024-09"), {}, today=date(2025, 1, 15))
    messages = [o.problem.message for o in outcomes]
    assert messages == [
        "[E-REQ-01] Tệp khai_sinh.csv, dòng 2, cột “Họ và tên”: Thiếu họ tên trẻ. Bổ sung vào "
        "ô này rồi chạy lại.",
        "[E-REQ-01] Tệp khai_sinh.csv, dòng 3, cột “Số ĐK”: Thiếu số đăng ký. Bổ sung vào ô này "
        "rồi chạy lại.",
    ]


def test_a_row_of_placeholders_only_is_no_data(tmp_path):
    rows = [[1, 101, "02/09/2024", "Lê Văn An", "01/08/2024", "Phạm Thị Hoa", 1990, "", "", ""],
            [2, "-", "-", "-", "-", "x", "0", "...", "", "None"]]  # fmt: skip
    result = ingest.read_file(birth_csv(tmp_path / "khai_sinh.csv", rows))
    assert [r.row for r in result.records] == [2]


def test_an_office_adds_placeholders_in_its_own_aliases_file(tmp_path):
    folder = tmp_path / "phuoc-thanh"
    folder.mkdir()
    rows = [[1, 101, "02/09/2024", "Lê Văn An", "01/08/2024", "Phạm Thị Hoa", 1990,
             "Thôn A", "chưa khai", ""]]  # fmt: skip
    birth_csv(folder / "khai_sinh.csv", rows)
    (record,) = ingest.read_unit(tmp_path, "phuoc-thanh").records
    assert record.values["father_full_name"] == "Chưa Khai"  # looks like a name: kept
    (tmp_path / "aliases.yaml").write_text('empty_values: ["chưa khai"]\n', encoding="utf-8")
    (record,) = ingest.read_unit(tmp_path, "phuoc-thanh").records
    assert "father_full_name" not in record.values


def test_an_id_with_a_letter_says_so_instead_of_counting_digits(tmp_path):
    rows = [[1, 101, "02/09/2024", "Lê Văn An", "01/08/2024", "Phạm Thị Hoa", 1990, "", "",
             "099224260002x"],
            [2, 102, "03/09/2024", "Lê Văn Bình", "01/08/2024", "Phạm Thị Hoa", 1990, "", "",
             "99224260002"]]  # fmt: skip
    result = ingest.read_file(birth_csv(tmp_path / "khai_sinh.csv", rows))
    (letters,) = result.records[0].problems
    assert letters.code == "E-ID-02"
    assert "chữ cái hoặc ký tự khác chữ số" in letters.message
    assert "có 12 chữ số;" not in letters.message
    assert result.records[1].values["child_pid"] == "099224260002"  # lost zero: W-ID-01


# --- a required column missing from a sheet -------------------------------------------------------


def test_a_sheet_without_a_required_column_refuses_each_row_for_that_reason(tmp_path):
    header = [h for h in BIRTH_HEADER if h != "Ngày ĐK"]
    lines = [",".join(header), "1,101,Lê Văn An,01/08/2024,Phạm Thị Hoa,1990,,,",
             "2,102,Lê Văn Bình,31/02/2024,Phạm Thị Hoa,1990,,,"]  # fmt: skip
    (tmp_path / "khai_sinh.csv").write_text("\n".join(lines), encoding="utf-8")
    result = ingest.read_file(tmp_path / "khai_sinh.csv")
    assert result.file_problems == []  # the rows are read and counted, not the file refused
    first = [r.problems[0] for r in result.records]
    assert [(p.code, p.row, p.column) for p in first] == [("E-REQ-02", 2, ""), ("E-REQ-02", 3, "")]
    assert first[0].message == (
        "[E-REQ-02] Tệp khai_sinh.csv, dòng 2: không có cột “ngày đăng ký” (bắt buộc), nên không "
        "dòng nào của trang này làm được thư. Thêm cột còn thiếu vào danh sách (hoặc sửa tiêu đề "
        "cột cho rõ, ví dụ “Ngày đăng ký”) rồi chạy lại."
    )
    assert [p.code for p in result.records[1].problems] == ["E-REQ-02", "E-DATE-01"]


@pytest.mark.parametrize("event", ["khai_sinh", "ket_hon", "khai_tu"])
def test_the_header_a_missing_column_message_suggests_is_recognised(event):
    from hcpvnd_utils.ingest.headers import match_header
    from hcpvnd_utils.records import FIELD_TITLES, REQUIRED

    for name in REQUIRED[event]:
        assert match_header(FIELD_TITLES[name].capitalize()).name == name
