"""Write the hostile-input corpus: each file named after the problem it provokes.

Run from the repository: ``.venv/bin/python tests/data/bad/make_bad.py``. Same code, same
files (zip members get a fixed time). Synthetic people only; ID numbers start with 099. Every
file is a khai sinh (birth) export of Phước Thành for September 2024 unless its name says
otherwise; ``tests/test_bad_inputs.py`` holds the outcome expected of each.

The two large inputs are not committed: ``write_big_cell`` (10 MB in one cell) and
``write_big_export`` (100,000 rows) write them at test time, in a second or two, with the small
xlsx writer of raw_xlsx.py (openpyxl takes 20 s for the big export). The second part of the
corpus (issue #12) is in more_bad.py; its ``GENERATED`` inputs (file names with control
characters, a 300 MB zip bomb) are written at test time too. The third part, bomb_bad.py, holds
the small files that declare more cells, rows, merges or repeats than a reader can hold (.ods,
.xlsx merges, .xls merges, HTML spans).
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from hcpvnd_utils.ingest.legacy import encode_cp1258

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2024, 10, 1, 0, 0, 0)
CASES: dict[str, Callable[[Path], None]] = {}  # file name -> writer, in corpus order


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


base = _load(HERE.parent / "make_fixtures.py")  # its OLE2 writer and legacy helpers
raw_xlsx = _load(HERE / "raw_xlsx.py")
write_raw_xlsx, declare_size = raw_xlsx.write_raw_xlsx, raw_xlsx.declare_size
raw_xls = _load(HERE / "raw_xls.py")
raw_ods = _load(HERE / "raw_ods.py")


def case(name: str):
    def register(writer: Callable[[Path], None]):
        CASES[name] = writer
        return writer

    return register


# --- people and rows ---------------------------------------------------------------------------

HEADER = ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính", "Họ tên mẹ",
          "Năm sinh mẹ", "Nơi cư trú", "Họ tên cha", "Số định danh cá nhân"]  # fmt: skip
TITLE = "DANH SÁCH ĐĂNG KÝ KHAI SINH"
CHILDREN = ["Lê Văn An", "Trần Thị Bích", "Phạm Minh Châu", "Võ Văn Dũng", "Đặng Thị Giang",
            "Huỳnh Văn Hải"]  # fmt: skip
MOTHERS = ["Nguyễn Thị Lan", "Bùi Thị Mai", "Đỗ Thị Ngọc", "Hồ Thị Oanh", "Lý Thị Phượng",
           "Mai Thị Quyên"]  # fmt: skip
PLACE = "Thôn Phổ Trạch, xã Phước Thành"


def birth(index: int, **changes) -> list:
    """One ordinary, eligible birth row (registered 2–7 September 2024); ``changes`` by header
    position name: no, reg, name, dob, sex, mother, year, place, father, pid."""
    row = {
        "no": str(101 + index), "reg": date(2024, 9, 2 + index), "name": CHILDREN[index % 6],
        "dob": date(2024, 8, 1 + index), "sex": "Nam" if index % 2 == 0 else "Nữ",
        "mother": MOTHERS[index % 6], "year": 1990 + index, "place": PLACE,
        "father": "", "pid": "",
    }  # fmt: skip
    row.update(changes)
    keys = ["no", "reg", "name", "dob", "sex", "mother", "year", "place", "father", "pid"]
    return [index + 1] + [row[key] for key in keys]


def births(count: int) -> list[list]:
    return [birth(i) for i in range(count)]


def _rows(ws, first_row: int, rows: list[list]) -> None:
    for offset, row in enumerate(rows):
        for col, value in enumerate(row, start=1):
            if value is not None and value != "":
                ws.cell(first_row + offset, col, value)


def _freeze(path: Path) -> None:
    """Rewrite a zip with fixed member times and creation/modification dates: same bytes."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-10-01T00:00:00Z",
                              data)  # fmt: skip
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, data)


def _save(wb: openpyxl.Workbook, path: Path) -> None:
    wb.properties.creator = "hcpvnd tests"
    wb.properties.created = wb.properties.modified = datetime(2024, 10, 1)
    wb.save(path)
    _freeze(path)


def _sheet(path: Path, rows: list[list], header=None, title=TITLE, name="KS") -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    if title:
        ws["A1"] = title
    _rows(ws, 3, [header or HEADER, *rows])
    _save(wb, path)


def _csv(rows: list[list], delimiter: str = ",", title: bool = True) -> str:
    def text(value) -> str:
        return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)

    lines = [[TITLE]] if title else []
    lines += [HEADER] + [[text(v) for v in row] for row in rows]
    return "\r\n".join(base._csv_line(line, delimiter) for line in lines) + "\r\n"


# --- whole files that cannot be used -------------------------------------------------------------

TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@case("zero_bytes.xlsx")
@case("zero_bytes.csv")
def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


@case("whitespace_only.csv")
def _whitespace(path: Path) -> None:
    path.write_bytes(b" \r\n\t\r\n   \r\n")


@case("empty_workbook.xlsx")
def _empty_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.create_sheet("Trống 2")
    wb.active["C5"].font = Font(bold=True)  # formatted, but no value anywhere
    _save(wb, path)


@case("text_renamed.xlsx")
def _text_renamed(path: Path) -> None:
    path.write_text("Danh sách khai sinh tháng 9\r\nLê Văn An, 02/9/2024\r\n", encoding="utf-8")


@case("image_png_renamed.xlsx")
def _png(path: Path) -> None:
    path.write_bytes(TINY_PNG)


@case("pdf_renamed.xlsx")
def _pdf(path: Path) -> None:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


@case("word_document_renamed.xlsx")
def _docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("word/document.xml", FIXED_TIME)
        archive.writestr(info, "<w:document/>")


@case("truncated_zip.xlsx")
def _truncated(path: Path) -> None:
    _sheet(path, births(3))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])


@case("encrypted_workbook.xlsx")
def _encrypted(path: Path) -> None:
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00<?xml version='1.0'?><encryption/>"
    path.write_bytes(base._cfb({"EncryptionInfo": info, "EncryptedPackage": b"\x00" * 64}))


@case("chart_sheet_only.xlsx")
def _chart_only(path: Path) -> None:
    wb = openpyxl.Workbook()
    data = wb.active
    _rows(data, 1, [["Tháng", "Số lượng"], ["9", 3]])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    wb.create_chartsheet("Biểu đồ").add_chart(chart)
    wb.remove(data)
    _save(wb, path)


@case("excel_2003_xml_as_xls.xls")
def _xml2003(path: Path) -> None:
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row><Cell><Data>Số ĐK</Data></Cell></Row></Table></Worksheet>"
        "</Workbook>\n",
        encoding="utf-8",
    )


@case("binary_garbage.csv")
def _garbage(path: Path) -> None:
    path.write_bytes(bytes((i * 37 + 11) % 256 for i in range(2048)))


@case("no_header_row.xlsx")
def _no_header(path: Path) -> None:
    _sheet(path, [["Giấy A4", 10, 55000]], header=["Tên hàng", "Số lượng", "Đơn giá"], title="")


@case("no_event_named_anywhere.xlsx")
def _no_event(path: Path) -> None:
    header = ["Số", "Ngày đăng ký", "Họ và tên", "Ngày sinh", "Giới tính"]
    rows = [[7, date(2024, 9, 2), "Lý Văn Sơn", date(2024, 8, 1), "Nam"]]
    _sheet(path, rows, header, title="", name="T9")


@case("header_only_no_rows.xlsx")
def _header_only(path: Path) -> None:
    _sheet(path, [])


# --- layouts -------------------------------------------------------------------------------------


@case("merged_cells_across_header.xlsx")
def _merged_header(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    ws["A1"] = TITLE
    ws.merge_cells("A1:J1")
    ws["A2"] = "Từ ngày 01/9/2024 đến ngày 30/9/2024"
    ws.merge_cells("A2:J2")
    top = ["STT", "Số ĐK", "Ngày ĐK", "Thông tin trẻ", "", "", "Thông tin người mẹ", "", "", ""]
    sub = ["", "", "", "Họ, chữ đệm, tên", "Ngày sinh", "Giới tính", "Họ và tên", "Năm sinh",
           "Nơi cư trú", ""]  # fmt: skip
    rows = [row[:9] for row in births(3)]
    _rows(ws, 4, [top, sub, *rows])
    for merged in ("A4:A5", "B4:B5", "C4:C5", "D4:F4", "G4:I4", "J4:J5"):
        ws.merge_cells(merged)
    _save(wb, path)


@case("header_repeated_mid_sheet.xlsx")
def _repeated_header(path: Path) -> None:
    rows = births(4)
    _sheet(path, [*rows[:2], [], [TITLE], HEADER, *rows[2:]])


@case("formulas_without_cached_values.xlsx")
def _formulas(path: Path) -> None:
    rows = births(3)
    rows[0][2] = "=DATE(2024,9,2)"  # openpyxl stores formulas without their value
    rows[1][8] = '="Thôn "&"Phổ Trạch"'
    _sheet(path, rows)


@case("excel_error_values.xlsx")
def _errors(path: Path) -> None:
    rows = births(3)
    rows[0][3] = "#N/A"  # openpyxl writes these as Excel error cells
    rows[1][8] = "#REF!"
    _sheet(path, rows)


@case("header_below_thirty_title_rows.xlsx")
def _low_header(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    ws["A1"] = TITLE
    for row in range(2, 31):
        ws.cell(row, 1, f"Ghi chú dòng {row}: danh sách xuất từ phần mềm hộ tịch")
    _rows(ws, 31, [HEADER, *births(2)])
    _save(wb, path)


@case("required_column_missing.xlsx")
def _missing_column(path: Path) -> None:
    rows = [[row[0], row[1], *row[3:]] for row in births(2)]
    _sheet(path, rows, [HEADER[0], HEADER[1], *HEADER[3:]])


@case("same_registration_twice.xlsx")
def _duplicate(path: Path) -> None:
    _sheet(path, [birth(0), birth(1), birth(0, no="0101")])


@case("utf16_with_bom.csv")
def _utf16(path: Path) -> None:
    path.write_bytes(_csv(births(3), "\t").encode("utf-16"))


# --- dates ---------------------------------------------------------------------------------------


@case("dates_as_text_five_formats.xlsx")
def _five_formats(path: Path) -> None:
    texts = [
        ("02/09/2024", "01/08/2024"),
        ("3/9/2024", "2/8/2024"),
        ("04-09-2024", "03-08-2024"),
        ("ngày 05 tháng 9 năm 2024", "ngày 04 tháng 8 năm 2024"),
        ("2024-09-06", "2024-08-05"),
    ]
    _sheet(path, [birth(i, reg=reg, dob=dob) for i, (reg, dob) in enumerate(texts)])


@case("impossible_dates.xlsx")
def _impossible(path: Path) -> None:
    texts = ["31/11/2024", "29/02/2023", "00/09/2024", "05/13/2024", "32/08/2024", "05/09/0024"]
    rows = [birth(i, reg=text) for i, text in enumerate(texts)]
    rows.append(birth(6, reg=date(2024, 9, 8), dob="30/02/2024"))
    _sheet(path, rows)


@case("two_digit_years.xlsx")
def _two_digits(path: Path) -> None:
    _sheet(path, [birth(0, reg="02/9/24"), birth(1, dob="02/8/24"), birth(2)])


@case("dates_in_the_future.xlsx")
def _future(path: Path) -> None:
    _sheet(path, [birth(0, dob=date(2099, 8, 1)), birth(1, reg=date(2099, 9, 3)), birth(2)])


@case("birth_after_registration.xlsx")
def _birth_after(path: Path) -> None:
    _sheet(path, [birth(0, dob=date(2024, 9, 20)), birth(1)])


@case("dates_as_excel_serial_numbers.xlsx")
def _serials(path: Path) -> None:
    serial = (date(2024, 9, 2) - date(1899, 12, 30)).days
    _sheet(path, [birth(0, reg=serial, dob=serial - 32), birth(1, reg=str(serial + 1))])


@case("death_time_of_day_in_date_cells.xlsx")
def _death_times(path: Path) -> None:
    header = [
        "STT",
        "Số ĐK",
        "Ngày ĐK",
        "Họ tên người chết",
        "Ngày sinh",
        "Giới tính",
        "Ngày chết",
        "Nơi cư trú cuối cùng",
        "Họ tên người đi khai tử",
        "Quan hệ",
    ]
    times = ["14 giờ 30 phút, ngày 01/9/2024", "vào lúc 6h15 ngày 02/09/2024", "03/9/2024 08:45"]
    rows = [
        [
            i + 1,
            str(11 + i),
            date(2024, 9, 4 + i),
            name,
            date(1940 + i, 1, 1),
            sex,
            moment,
            PLACE,
            MOTHERS[i],
            "Con",
        ]
        for i, (name, sex, moment) in enumerate(
            zip(["Nguyễn Văn Tám", "Trần Thị Lý", "Lê Văn Tư"], ["Nam", "Nữ", "Nam"], times)
        )
    ]
    _sheet(path, rows, header, title="DANH SÁCH ĐĂNG KÝ KHAI TỬ", name="KT")


# --- names and ID numbers ------------------------------------------------------------------------


@case("numbers_where_names_belong.xlsx")
def _numbers_as_names(path: Path) -> None:
    _sheet(path, [birth(0, name=12345), birth(1, name=3.5), birth(2, name="Phạm Minh 2"), birth(3)])


@case("id_11_digits.xlsx")
def _id_11(path: Path) -> None:
    _sheet(path, [birth(0, pid=99324001111), birth(1, pid="99324001112")])


@case("id_13_digits.xlsx")
def _id_13(path: Path) -> None:
    _sheet(path, [birth(0, pid="0993240011115"), birth(1, pid=9932400111160),
                  birth(2, pid="099324001117")])  # fmt: skip


@case("nfd_decomposed_text.xlsx")
def _nfd(path: Path) -> None:
    rows = [[unicodedata.normalize("NFD", v) if isinstance(v, str) else v for v in row]
            for row in births(3)]  # fmt: skip
    header = [unicodedata.normalize("NFD", h) for h in HEADER]
    _sheet(path, rows, header, title=unicodedata.normalize("NFD", TITLE))


@case("mixed_tone_placement.xlsx")
def _tone_placement(path: Path) -> None:
    _sheet(path, [birth(0, name="Lê Thị Thuý", mother="Võ Thị Hoà"),
                  birth(1, name="Trần Văn Hòa", mother="Võ Thị Thúy"),
                  birth(2, name="lê thị thuỳ", place="Thôn Hoà Mỹ, xã Phước Hoà")])  # fmt: skip


@case("name_200_characters.xlsx")
def _long_name(path: Path) -> None:
    name = " ".join(["Nguyễn Thị Hoàng Anh"] * 10)[:200].rstrip()
    name = name + "a" * (200 - len(name))
    _sheet(path, [birth(0, name=name), birth(1)])


# --- encodings and invisible characters ----------------------------------------------------------


@case("tcvn3_vntime_font.xlsx")
def _tcvn3_font(path: Path) -> None:
    _save(
        base._legacy_workbook(
            "danh s¸ch ®¨ng ký khai sinh",
            base.TCVN3_HEADER,
            base.TCVN3_NAMES,
            base.TCVN3_PLACES,
            ".VnTime",
            ".VnTimeH",
        ),
        path,
    )


@case("vni_times_font.xlsx")
def _vni_font(path: Path) -> None:
    header = ["STT", "Soá ÑK", "Ngaøy ÑK", "Hoï vaø teân", "Ngaøy sinh", "Giôùi tính",
              "Nôi cö truù meï"]  # fmt: skip
    _save(
        base._legacy_workbook(
            "DANH SAÙCH ÑAÊNG KYÙ KHAI SINH",
            header,
            base.VNI_NAMES,
            base.VNI_PLACES,
            "VNI-Times",
            "VNI-Times",
        ),
        path,
    )


def _legacy_csv(header: list[str], names: list[str], places: list[str]) -> bytes:
    lines = [",".join(header)] + [
        f'{i + 1},{300 + i},0{i + 2}/9/2024,{name},01/8/2024,Nam,"{place}"'
        for i, (name, place) in enumerate(zip(names, places))
    ]
    return "\r\n".join(lines).encode("latin-1")


@case("tcvn3_bytes.csv")
def _tcvn3_csv(path: Path) -> None:
    path.write_bytes(_legacy_csv(base.TCVN3_HEADER, base.TCVN3_NAMES, base.TCVN3_PLACES))


@case("vni_bytes.csv")
def _vni_csv(path: Path) -> None:
    header = ["STT", "Soá ÑK", "Ngaøy ÑK", "Hoï vaø teân", "Ngaøy sinh", "Giôùi tính",
              "Nôi cö truù meï"]  # fmt: skip
    path.write_bytes(_legacy_csv(header, base.VNI_NAMES, base.VNI_PLACES))


@case("windows1258.csv")
def _cp1258(path: Path) -> None:
    path.write_bytes(encode_cp1258(_csv(births(3))))


@case("semicolon_separated.csv")
def _semicolons(path: Path) -> None:
    path.write_text(_csv(births(3), ";"), encoding="utf-8")


@case("windows1258_semicolon_separated.csv")
def _cp1258_semicolons(path: Path) -> None:
    path.write_bytes(encode_cp1258(_csv(births(3), ";")))


@case("control_characters.csv")
def _controls(path: Path) -> None:
    rows = [birth(0, name="Lê\x07 Văn\tAn", place="Thôn Phổ\x0bTrạch\x1f"),
            birth(1, name="\x01Trần Thị\r\nBích", mother="Bùi\x7f Thị Mai"),
            birth(2, name="Phạm\x1b Minh\x1fChâu", place="Thôn\x00 Phổ Trạch")]  # fmt: skip
    path.write_text(_csv(rows), encoding="utf-8")


@case("zero_width_spaces.xlsx")
def _zero_width(path: Path) -> None:
    _sheet(path, [birth(0, name="Lê\u200b Văn An", place="Thôn\u200b Phổ Trạch"),
                  birth(1, name="\ufeffTrần Thị Bích"), birth(2, name="Phạm\u00ad Minh Châu"),
                  birth(3, name="Võ Văn\u200d Dũng\u2060")])  # fmt: skip


# --- values that must print as written -----------------------------------------------------------

HOSTILE = {
    "ampersand_and_angle_brackets.xlsx": ["Thôn 1 & 2, <Khu A>", "Tổ 3 > Tổ 4 & \"Xóm Mới\" 'Bắc'"],
    "template_expression_in_values.xlsx": ["{{ 7*7 }}", "Thôn {{ ho_ten_tre }} {{ ''.__class__ }}"],
    "template_raw_block_in_values.xlsx": ["{% raw %}Thôn An{% endraw %}", "{%p if co_cha %}Xóm",
                                          "{# chú thích #} {%"],
    "mergefield_code_in_values.xlsx": ["{ MERGEFIELD ho_ten_tre }", "«ho_ten_tre» «Họ tên»",
                                       ' MERGEFIELD "Họ tên" \\* Upper '],
    "xml_markup_in_values.xlsx": ["</w:t></w:r><w:r><w:t>CHÈN", "<![CDATA[x]]> <!-- y -->",
                                  "&amp;lt; &#55357;"],
}  # fmt: skip


def _hostile(path: Path) -> None:
    places = HOSTILE[path.name]
    rows = [birth(i, place=place) for i, place in enumerate(places)]
    rows.append(birth(len(places), name=places[0]))  # in a name column: not a name
    _sheet(path, rows)


for _name in HOSTILE:
    case(_name)(_hostile)


# --- units files (inputs/units.yaml with one mistake) -------------------------------------------

UNITS = HERE.parents[2] / "inputs" / "units.yaml"
UNIT_KEYS = {
    "units_key_dot_dot.yaml": "../../x",
    "units_key_absolute_path.yaml": "/tmp/x",
    "units_key_windows_path.yaml": "..\\\\..\\\\x",
}


def _units_with_key(path: Path) -> None:
    key = UNIT_KEYS[path.name]
    text = UNITS.read_text(encoding="utf-8").replace("  phuoc-thanh:", f'  "{key}":')
    path.write_text(text, encoding="utf-8")


for _name in UNIT_KEYS:
    case(_name)(_units_with_key)

SIGNER_TAGS = "Cao Thị {{ 7*7 }} & <Trang>"


@case("units_signer_with_template_tags.yaml")
def _signer_tags(path: Path) -> None:
    text = UNITS.read_text(encoding="utf-8").replace("Cao Thị Thu Trang", f'"{SIGNER_TAGS}"')
    path.write_text(text, encoding="utf-8")


def write_ordinary(path: Path) -> None:
    """Three ordinary birth rows: the export that goes with a units file of the corpus."""
    _sheet(path, births(3))


# --- the two large inputs, written at test time ------------------------------------------------

BIG_CELL_BYTES = 10 * 1024 * 1024


def write_big_cell(path: Path) -> None:
    """Three birth rows; the first one's address is 10 MB of text in one cell."""
    unit = "Thôn Phổ Trạch, "
    huge = unit * (BIG_CELL_BYTES // len(unit.encode("utf-8")) + 1)
    rows = births(3)
    rows[0][8] = huge
    write_raw_xlsx(path, [[TITLE], [], HEADER, *rows])


BIG_ROWS = 100_000
BIG_FIRST_DAY, BIG_DAYS = date(2015, 1, 1), 3653  # 2015-01-01 .. 2024-12-31
BIG_PERIOD = "2024-09-05..2024-09-06"


def big_export_day(index: int, rows: int = BIG_ROWS) -> date:
    return BIG_FIRST_DAY + timedelta(days=index * BIG_DAYS // rows)


def big_export_rows(rows: int = BIG_ROWS):
    """A ten-year register export of births: ~27 a day, every one eligible."""
    yield [TITLE]
    yield HEADER
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    given = ["An", "Bình", "Châu", "Dũng", "Giang", "Hải", "Khánh", "Linh", "Minh", "Nga", "Phúc"]
    for i in range(rows):
        day = big_export_day(i, rows)
        middle = "Thị" if i % 2 else "Văn"
        yield [i + 1, str(i + 1), day, f"{surnames[i % 10]} {middle} {given[i % 11]}",
               day - timedelta(days=20), "Nữ" if i % 2 else "Nam",
               f"{surnames[(i + 3) % 10]} Thị {given[(i + 5) % 11]}", 1985 + i % 15, PLACE,
               "", f"099{i:09d}"]  # fmt: skip


def big_export_letters(period_days: tuple[date, date], rows: int = BIG_ROWS) -> int:
    """How many rows of the big export are registered within [first, last]."""
    first, last = period_days
    return sum(1 for i in range(rows) if first <= big_export_day(i, rows) <= last)


def write_big_export(path: Path, rows: int = BIG_ROWS) -> None:
    write_raw_xlsx(path, big_export_rows(rows))


# --- the second part (issue #12): more_bad.py ---------------------------------------------------

_more = _load(HERE / "more_bad.py")
CASES.update(_more.cases(SimpleNamespace(**globals())))
GENERATED = _more.generated(SimpleNamespace(**globals()))  # written at test time only
FORMULA_NAMES, CONTROL_NAMES = _more.FORMULA_NAMES, _more.CONTROL_NAMES

# --- the third part (issue #12, point 7: what a small file declares): bomb_bad.py -------------

_bombs = _load(HERE / "bomb_bad.py")
CASES.update(_bombs.cases(SimpleNamespace(**globals())))
GENERATED.update(_bombs.generated(SimpleNamespace(**globals())))


# --- all of it -----------------------------------------------------------------------------------


def write_all(folder: Path = HERE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, writer in CASES.items():
        writer(folder / name)
        written.append(folder / name)
    return written


def main() -> None:
    written = write_all()
    print(f"{len(written)} bad inputs written to {HERE}")


if __name__ == "__main__":
    main()
