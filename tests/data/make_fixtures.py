"""Write the ingest test fixtures, each named after the problem it provokes.

Run from the repository: ``.venv/bin/python tests/data/make_fixtures.py``. Synthetic people
only; ID numbers start with 099. ``legacy.xls`` needs the xlwt package, which the project does
not depend on: without it that file is left as committed.
"""

from __future__ import annotations

import struct
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from hcpvnd_utils.ingest.legacy import encode_cp1258

HERE = Path(__file__).resolve().parent


def _save(wb: openpyxl.Workbook, name: str) -> None:
    wb.properties.creator = "hcpvnd tests"
    wb.properties.created = datetime(2024, 10, 1)
    wb.save(HERE / name)


def _rows(ws, first_row: int, rows: list[list]) -> None:
    for offset, row in enumerate(rows):
        for col, value in enumerate(row, start=1):
            if value is not None and value != "":
                ws.cell(first_row + offset, col, value)


# --- khai tử with title rows, a two-row merged header and every kind of non-data row ----------

DEATH_TOP = ["STT", "Số ĐK", "Ngày ĐK", "Người chết", "", "", "", "Người đi khai tử", "",
             "Nguyên nhân chết"]  # fmt: skip
DEATH_SUB = ["", "", "", "Họ và tên", "Ngày sinh", "Giới tính", "Nơi cư trú cuối cùng",
             "Họ tên", "Quan hệ", ""]  # fmt: skip
DEATHS = [
    [1, "01", date(2024, 9, 3), "nguyễn văn tám", date(1941, 2, 1), "Nam",
     "Thôn Phổ Trạch, xã Phước Thành", "Nguyễn Văn Chín", "Con", "Già yếu"],
    [2, "02", date(2024, 9, 6), "TRẦN THỊ LÝ", "1938", "Nữ", "Thôn Quảng Tín, xã Phước Thành",
     "Lê Văn Hòa", "Con rể", "Bệnh"],
    [3, "03", date(2024, 9, 10), "Lê Văn Tư", "05/06/1950", "nam",
     "Thôn Mỹ Lợi, xã Phước Thành", "Lê Thị Năm", "Vợ", ""],
    None,  # a blank spacer row
    [4, "04", "14/9/2024", "Phạm Thị Sáu", date(1945, 12, 24), "NỮ",
     "Thôn Phổ Trạch, xã Phước Thành", "Phạm Văn Bảy", "Con", "Tai nạn"],
    "REPEATED_HEADER",
    [5, "05", date(2024, 9, 20), "Võ Văn Mười", "01/01/1936", "Nam",
     "Thôn Quảng Tín, xã Phước Thành", "Võ Thị Một", "Con", ""],
    [6, "06", date(2024, 9, 27), "Đặng Thị Hai", "1940", "Nữ",
     "Thôn Mỹ Lợi, xã Phước Thành", "Đặng Văn Ba", "Con", ""],
]  # fmt: skip
DEATH_TIMES = ["14 giờ 30 phút, ngày 01/9/2024", "ngày 04 tháng 9 năm 2024", "08/9/2024",
               "12/9/2024", "18/9/2024", "25/9/2024"]  # fmt: skip


def title_rows_merged_header() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KT T9"
    headers = DEATH_TOP[:9] + ["Đã chết vào lúc", "Nguyên nhân chết"]
    top = DEATH_TOP[:9] + ["Đã chết vào lúc", "Nguyên nhân chết"]
    sub = DEATH_SUB[:9] + ["", ""]
    ws["A1"] = "ỦY BAN NHÂN DÂN XÃ PHƯỚC THÀNH"
    ws["A2"] = "DANH SÁCH ĐĂNG KÝ KHAI TỬ"
    ws.merge_cells("A2:K2")
    ws["A3"] = "Từ ngày 01/9/2024 đến ngày 30/9/2024"
    ws.merge_cells("A3:K3")
    _rows(ws, 5, [top, sub])  # rows 5-6
    for col in "ABCJK":
        ws.merge_cells(f"{col}5:{col}6")
    ws.merge_cells("D5:G5")
    ws.merge_cells("H5:I5")
    _rows(ws, 7, [[f"({n})" for n in range(1, len(headers) + 1)]])
    row, times = 8, iter(DEATH_TIMES)
    for item in DEATHS:
        if item == "REPEATED_HEADER":
            _rows(ws, row, [top, sub])
            row += 2
            continue
        if item:
            _rows(ws, row, [item[:9] + [next(times), item[9]]])
        row += 1
    footer = [
        ["Tổng cộng: 6 trường hợp"],
        [],
        ["", "", "", "", "", "", "", "Phước Thành, ngày 30 tháng 9 năm 2024"],
        ["", "Người lập biểu", "", "", "", "", "", "CHỦ TỊCH"],
        ["", "(Ký, ghi rõ họ tên)"],
        ["", "", "", "Trần Thị Thu", "", "", "", "Lê Văn Bảy"],
        ["Ghi chú: danh sách xuất từ phần mềm hộ tịch"],
    ]
    _rows(ws, row, footer)
    _save(wb, "title_rows_merged_header.xlsx")


# --- kết hôn with headers written without diacritics, in capitals, with line breaks ---------

MARRIAGES = [
    [1, 15, datetime(2024, 9, 4), "Nguyễn Văn An", "12/03/1996", "Thôn Phổ Trạch", 99096001234,
     "Trần Thị Bình", "20/07/1998", "Thôn Quảng Tín", "099198001235"],
    [2, 16, datetime(2024, 9, 11), "Lê Văn Cường", "1995", "Thôn Mỹ Lợi", "099095001236",
     "Phạm Thị Dung", "01/01/1997", "Thôn Mỹ Lợi", "099197001237"],
]  # fmt: skip


def no_diacritics_headers() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "DANH SACH DANG KY KET HON THANG 9/2024"
    header = ["STT", "So DK", "NGAY DK", "HO TEN CHONG", "Ngay sinh\nchong", "Noi cu tru chong",
              "So dinh danh chong", "Ho ten vo", "NGAY SINH VO", "Noi cu tru vo",
              "So dinh danh vo"]  # fmt: skip
    _rows(ws, 3, [header, *MARRIAGES])
    _save(wb, "no_diacritics_headers.xlsx")


def ket_hon_ben_nam_ben_nu() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KH"
    ws["A1"] = "SỔ ĐĂNG KÝ KẾT HÔN"
    top = ["Số", "Ngày, tháng, năm đăng ký", "Bên nam", "", "", "Bên nữ", "", ""]
    sub = ["", "", "Họ, chữ đệm, tên", "Ngày sinh", "Nơi cư trú", "Họ, chữ đệm, tên",
           "Ngày sinh", "Nơi cư trú"]  # fmt: skip
    data = [[m[1], m[2], m[3], m[4], m[5], m[7], m[8], m[9]] for m in MARRIAGES]
    _rows(ws, 2, [top, sub, *data])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:E2")
    ws.merge_cells("F2:H2")
    _save(wb, "ket_hon_ben_nam_ben_nu.xlsx")


# --- khai sinh as CSV: NFD, Windows-1258, BOM, semicolons, two header rows -------------------

BIRTH_HEADER = ["STT", "Số đăng ký", "Ngày đăng ký", "Họ và tên", "Ngày sinh", "Giới tính",
                "Họ tên mẹ", "Năm sinh mẹ", "Nơi cư trú", "Họ tên cha", "Dân tộc"]  # fmt: skip
BIRTHS = [
    ["1", "101", "03/9/2024", "ngô thị kim liên", "01/8/2024", "Nữ", "ngô thị hường", "1995",
     "Thôn Phổ Trạch, xã Phước Thành, huyện Tuy Phước", "trần văn đức", "Kinh"],
    ["2", "102", "05/09/2024", "nguyễn hoàng phúc", "20/8/2024", "Nam", "lê thị thủy", "1998",
     "Thôn Quảng Tín, xã Phước Thành, huyện Tuy Phước", "nguyễn văn hùng", "Kinh"],
    ["3", "103", "ngày 10 tháng 9 năm 2024", "đặng ngọc ánh", "25/8/2024", "nữ", "phạm thị yến",
     "1990", "Thôn Mỹ Lợi, xã Phước Thành, huyện Tuy Phước", "", "Kinh"],
]  # fmt: skip


def _csv_line(cells: list[str], delimiter: str) -> str:
    def quote(cell: str) -> str:
        needs = delimiter in cell or '"' in cell or "\n" in cell
        return '"' + cell.replace('"', '""') + '"' if needs else cell

    return delimiter.join(quote(cell) for cell in cells)


def _csv_text(delimiter: str = ",", title: bool = True) -> str:
    width = len(BIRTH_HEADER)
    lines = []
    if title:
        lines.append(_csv_line(["DANH SÁCH ĐĂNG KÝ KHAI SINH"] + [""] * (width - 1), delimiter))
        lines.append(_csv_line(["Tháng 9 năm 2024"] + [""] * (width - 1), delimiter))
    lines += [_csv_line(row, delimiter) for row in [BIRTH_HEADER, *BIRTHS]]
    return "\r\n".join(lines) + "\r\n"


def csv_fixtures() -> None:
    (HERE / "nfd_names.csv").write_bytes(unicodedata.normalize("NFD", _csv_text()).encode())
    (HERE / "windows1258.csv").write_bytes(encode_cp1258(_csv_text()))
    (HERE / "bom_utf8.csv").write_bytes(b"\xef\xbb\xbf" + _csv_text().encode())
    (HERE / "semicolon.csv").write_bytes(_csv_text(";").replace('"', "").encode())
    top = ["STT", "Số ĐK", "Ngày ĐK", "Trẻ", "", "Thông tin người mẹ", "", "", "Người cha"]
    sub = ["", "", "", "Họ tên", "Ngày sinh", "Họ tên", "Năm sinh", "Nơi cư trú", "Họ tên"]
    rows = [top, sub] + [[b[0], b[1], b[2], b[3], b[4], b[6], b[7], b[8], b[9]] for b in BIRTHS]
    text = "\r\n".join(_csv_line(r, ",") for r in rows) + "\r\n"
    (HERE / "two_row_header.csv").write_text(text, encoding="utf-8")


# --- broken files --------------------------------------------------------------------------


def _cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (what Excel writes around an encrypted workbook)."""
    sector, end, free, fat_sector = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    payloads = [data.ljust(4096, b"\0") for data in streams.values()]
    fat, next_sector, starts = [fat_sector, end], 2, []
    for data in payloads:
        count = len(data) // sector
        starts.append(next_sector)
        fat += [next_sector + i + 1 for i in range(count - 1)] + [end]
        next_sector += count
    fat += [free] * (sector // 4 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0,
                          4096, end, 0, end, 0)  # fmt: skip
    header += struct.pack("<109I", 0, *([free] * 108))

    def entry(name, kind, left, right, child, start, size):
        raw = name.encode("utf-16-le") + b"\0\0"
        return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, left, right, child,
                           bytes(16), 0, 0, 0, start, size)  # fmt: skip

    names = list(streams)
    directory = entry("Root Entry", 5, free, free, 1, end, 0)
    directory += entry(names[0], 2, free, 2, free, starts[0], len(streams[names[0]]))
    directory += entry(names[1], 2, free, free, free, starts[1], len(streams[names[1]]))
    directory += bytes(128)
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(payloads)


def broken_files() -> None:
    (HERE / "zero_bytes.xlsx").write_bytes(b"")
    text = "Danh sách khai sinh tháng 9\nNguyễn Văn A, 01/9/2024\n"
    (HERE / "text_renamed.xlsx").write_text(text, encoding="utf-8")
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00<?xml version='1.0'?><encryption/>"
    streams = {"EncryptionInfo": info, "EncryptedPackage": b"\x00" * 64}
    (HERE / "encrypted.xlsx").write_bytes(_cfb(streams))
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    _save(wb, "empty.xlsx")
    wb = openpyxl.Workbook()
    _rows(wb.active, 1, [["Tên hàng", "Số lượng", "Đơn giá"], ["Giấy A4", 10, 55000]])
    _save(wb, "no_header.xlsx")
    whole = (HERE / "no_diacritics_headers.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])


# --- legacy encodings ----------------------------------------------------------------------

TCVN3_NAMES = ["NguyÔn V¨n Hïng", "TrÇn ThÞ Thu Hµ", "Lª §×nh Phóc"]  # Nguyễn Văn Hùng …
TCVN3_PLACES = ["Th«n Phæ Tr¹ch, x· Ph\xadíc Thµnh", "Th«n Qu¶ng TÝn, x· Ph\xadíc Thµnh",
                "Th«n Mü Lîi, x· Ph\xadíc Thµnh"]  # fmt: skip
TCVN3_HEADER = ["STT", "Sè §K", "Ngµy §K", "Hä vµ tªn", "Ngµy sinh", "Giíi tÝnh",
                "N¬i c\xad tró mÑ"]  # fmt: skip
VNI_NAMES = ["Nguyeãn Vaên Huøng", "Traàn Thò Thu Haø", "Leâ Ñình Phuùc"]
VNI_PLACES = ["Thoân Phoå Traïch, xaõ Phöôùc Thaønh", "Thoân Quaûng Tín, xaõ Phöôùc Thaønh",
              "Thoân Myõ Lôïi, xaõ Phöôùc Thaønh"]  # fmt: skip


def _legacy_workbook(title, header, names, places, font, title_font) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    ws["A1"] = title
    ws["A1"].font = Font(name=title_font, bold=True)
    rows = [header] + [
        [i + 1, 200 + i, date(2024, 9, 2 + i), name, date(2024, 8, 1 + i), "Nam", place]
        for i, (name, place) in enumerate(zip(names, places))
    ]
    _rows(ws, 3, rows)
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.font = Font(name=font)
    return wb


def legacy_fixtures() -> None:
    wb = _legacy_workbook("danh s¸ch ®¨ng ký khai sinh", TCVN3_HEADER, TCVN3_NAMES, TCVN3_PLACES,
                          ".VnTime", ".VnTimeH")  # fmt: skip
    _save(wb, "tcvn3_vntime.xlsx")
    header = ["STT", "Soá ÑK", "Ngaøy ÑK", "Hoï vaø teân", "Ngaøy sinh", "Giôùi tính",
              "Nôi cö truù meï"]  # fmt: skip
    wb = _legacy_workbook("DANH SAÙCH ÑAÊNG KYÙ KHAI SINH", header, VNI_NAMES, VNI_PLACES,
                          "VNI-Times", "VNI-Times")  # fmt: skip
    _save(wb, "vni_times.xlsx")
    lines = [",".join(TCVN3_HEADER)] + [
        f'{i + 1},{300 + i},0{i + 2}/9/2024,{name},01/8/2024,Nam,"{place}"'
        for i, (name, place) in enumerate(zip(TCVN3_NAMES, TCVN3_PLACES))
    ]
    (HERE / "tcvn3_bytes.csv").write_bytes("\r\n".join(lines).encode("latin-1"))


def legacy_xls() -> None:
    try:
        import xlwt
    except ImportError:
        print("xlwt not installed: legacy.xls left as it is")
        return
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("KS")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    sheet.write_merge(0, 0, 0, 5, "DANH SÁCH ĐĂNG KÝ KHAI SINH")
    for col, text in enumerate(
        ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Mã định danh"]
    ):
        sheet.write(2, col, text)
    for i, name in enumerate(["lê thị mai", "PHẠM VĂN NAM"]):
        row = [i + 1, 401 + i, date(2024, 9, 5 + i), name, date(2024, 8, 20 + i), 99324001230 + i]
        for col, value in enumerate(row):
            style = date_style if isinstance(value, date) else xlwt.Style.default_style
            sheet.write(3 + i, col, value, style)
    old = book.add_sheet("KS cu")
    vntime = xlwt.easyxf("font: name .VnTime")
    for col, text in enumerate(["Sè §K", "Ngµy §K", "Hä vµ tªn", "Ngµy sinh"]):
        old.write(0, col, text, vntime)
    old.write(1, 0, "501", vntime)
    old.write(1, 1, "03/9/2024", vntime)
    old.write(1, 2, TCVN3_NAMES[0], vntime)
    old.write(1, 3, "02/8/2024", vntime)
    book.save(str(HERE / "legacy.xls"))


# --- cell problems and layouts -------------------------------------------------------------


def _birth_sheet(ws, rows: list[list], header=None) -> None:
    header = header or ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Số định danh cá nhân"]
    ws["A1"] = "DANH SÁCH ĐĂNG KÝ KHAI SINH"
    _rows(ws, 3, [header, *rows])


def cell_problems() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    _birth_sheet(ws, [
        [1, 1, date(2024, 9, 2), "Hồ Văn Lộc", date(2024, 8, 1), 99324001111],
        [2, 2, date(2024, 9, 3), "Hồ Thị Lan", date(2024, 8, 2), 9932400111],
        [3, 3, date(2024, 9, 4), "Hồ Văn Tài", date(2024, 8, 3), "099324001113"],
        [4, 4, date(2024, 9, 5), "Hồ Văn Đức", date(2024, 8, 4), "0993 2400 1114"],
    ])  # fmt: skip
    _save(wb, "id_lost_zero.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    _birth_sheet(ws, [
        [1, 1, "31/11/2024", "Võ Văn Hải", date(2024, 8, 1), ""],
        [2, 2, "05/9/24", "Võ Thị Hà", "không rõ", ""],
        [3, 3, "2024", "Võ Văn Hưng", "1/8/2024", ""],
        [4, 4, "04/9/2024", "Võ Thị Hoa", "02.08.2024", ""],
    ])  # fmt: skip
    _save(wb, "bad_dates.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    _birth_sheet(ws, [[1, 1, date(2024, 9, 2), 12345, date(2024, 8, 1), ""],
                      [2, 2, date(2024, 9, 3), "Trần Văn 2", date(2024, 8, 2), ""]])  # fmt: skip
    _save(wb, "number_as_name.xlsx")


def layouts() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    ws["A1"] = "DANH SÁCH ĐĂNG KÝ KHAI SINH"
    _rows(ws, 3, [["Số ĐK", "Ngày ĐK", "Họ và tên", "Giới tính", "", "Họ tên mẹ"],
                  ["", "", "", "Nam", "Nữ", ""],
                  [1, date(2024, 9, 2), "Đỗ Văn Khang", "x", "", "Đỗ Thị Lệ"],
                  [2, date(2024, 9, 3), "Đỗ Thị Khánh", "", "X", "Đỗ Thị Lệ"]])  # fmt: skip
    for rng in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4"):
        ws.merge_cells(rng)
    _save(wb, "sex_x_columns.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Khai sinh"
    _birth_sheet(ws, [[1, 1, date(2024, 9, 2), "Mai Văn Quý", date(2024, 8, 1), ""],
                      [2, 2, "", "Mai Thị Quyên", date(2024, 8, 2), ""],
                      [3, 3, date(2024, 9, 9), "Mai Văn Quang", date(2024, 8, 3), ""]])  # fmt: skip
    ws.merge_cells("C4:C5")  # one registration date for two rows
    wb.create_sheet("Trống")
    stats = wb.create_sheet("Thống kê")
    _rows(stats, 1, [["Tháng", "Số lượng"], ["9", 3]])
    chart = BarChart()
    chart.add_data(Reference(stats, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    wb.create_chartsheet("Biểu đồ").add_chart(chart)
    _save(wb, "merged_cells_extra_sheets.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KS"
    _birth_sheet(ws, [[1, 1, date(2024, 9, 2), "Lê Văn Tài", date(2024, 8, 1), "Lê Thị Hoa"],
                      [2, 2, date(2024, 9, 3), TCVN3_NAMES[1], date(2024, 8, 2), "Trần Thị Lụa"]],
                 ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Họ tên mẹ"])  # fmt: skip
    _save(wb, "stray_tcvn3_cell.xlsx")

    wb = openpyxl.Workbook()
    for index, month in enumerate((9, 10)):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = f"T{month}"
        if index == 0:
            ws["A1"] = "DANH SÁCH ĐĂNG KÝ KHAI SINH"
        _rows(ws, 3, [["Số", "Ngày đăng ký", "Họ và tên", "Ngày sinh", "Giới tính"],
                      [month, date(2024, month, 2), "Lý Văn Sơn", date(2024, 8, 1), "Nam"]])  # fmt: skip
    _save(wb, "second_sheet_without_title.xlsx")

    for name, _title in (("ks_event_from_file_name.xlsx", ""), ("no_event.xlsx", "")):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "T9"
        _rows(ws, 1, [["Số", "Ngày đăng ký", "Họ và tên", "Ngày sinh", "Giới tính"],
                      [7, date(2024, 9, 2), "Lý Văn Sơn", date(2024, 8, 1), "Nam"]])  # fmt: skip
        _save(wb, name)


HTML = """<html><head><meta charset="utf-8"><title>Xuất Excel</title></head><body>
<div>UBND XÃ PHƯỚC THÀNH</div>
<h3>DANH SÁCH ĐĂNG KÝ KHAI SINH</h3>
<p>Từ ngày 01/9/2024 đến ngày 30/9/2024</p>
<table border="1">
<tr><th rowspan="2">STT</th><th rowspan="2">Số ĐK</th><th rowspan="2">Ngày ĐK</th>
<th colspan="2">Thông tin trẻ</th><th colspan="2">Thông tin người mẹ</th></tr>
<tr><th>Họ, chữ đệm, tên</th><th>Ngày sinh</th><th>Họ tên</th><th>Năm sinh</th></tr>
<tr><td>1</td><td>501</td><td>02/09/2024</td><td>huỳnh thị&nbsp;mỹ</td><td>15/08/2024</td>
<td>Huỳnh Thị Nga</td><td>1993</td></tr>
<tr><td>2</td><td>502</td><td>03/09/2024</td><td>HUỲNH VĂN PHÁT</td><td>16/08/2024</td>
<td>Lâm Thị Oanh</td><td>1996</td></tr>
<tr><td colspan="7">Tổng cộng: 2</td></tr>
</table></body></html>
"""


def html_fixture() -> None:
    (HERE / "html_as_xls.xls").write_text(HTML, encoding="utf-8")


def main() -> None:
    title_rows_merged_header()
    no_diacritics_headers()
    ket_hon_ben_nam_ben_nu()
    csv_fixtures()
    broken_files()
    legacy_fixtures()
    legacy_xls()
    cell_problems()
    layouts()
    html_fixture()
    print(f"fixtures written to {HERE}")


if __name__ == "__main__":
    main()
