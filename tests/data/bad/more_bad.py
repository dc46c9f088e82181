"""The hostile corpus, second part (issue #12): what an independent hostile run found — CSV
quoting that swallows rows, workbooks that cost gigabytes to read, .xls formulas without their
result, names with terminal escapes, strings that a workbook would take for formulas — and the
spellings of one registration an export gives.

``cases(h)`` returns {file name: writer} for make_bad.py (``h``: its helpers); ``GENERATED``
are written at test time only (names a repository should not hold: control characters; a
300 MB zip bomb).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

FORMULA_NAMES = ("=khai_sinh_t9.csv", "+khai_sinh_t9.csv", "-khai_sinh_t9.csv", "@khai_sinh_t9.csv")
CONTROL_NAMES = (
    "khai_sinh_\x1b[31m_t9.csv",
    "khai_sinh\x07_t9.csv",
    "khai_sinh_\u202egsl.csv",
    "khai_sinh_\nt9.csv",
)


def cases(h: SimpleNamespace) -> dict:
    found: dict = {}

    def case(name: str):
        def register(writer):
            found[name] = writer
            return writer

        return register

    def csv_text(lines: list[str]) -> str:
        return "\r\n".join(lines) + "\r\n"

    def csv_rows(rows: list[list], header=None) -> list[str]:
        def text(value) -> str:
            return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)

        return [h.base._csv_line(cells, ",") for cells in
                [[h.TITLE], header or h.HEADER, *[[text(v) for v in r] for r in rows]]]  # fmt: skip

    def many(count: int) -> list[list]:
        rows = []
        for i in range(count):
            day = 2 + i % 28
            row = h.birth(i % 6, no=str(101 + i), reg=date(2024, 9, day), dob=date(2024, 8, day))
            rows.append([i + 1, *row[1:]])
        return rows

    # --- 6. CSV quoting: every physical line counted, or the file refused naming the line --------

    @case("csv_unterminated_quote_row_95_of_100.csv")
    def _(path: Path) -> None:  # the address of row 95 opens its quote and never closes it
        lines = csv_rows(many(100))
        lines[96] = lines[96].replace('xã Phước Thành"', "xã Phước Thành", 1)
        path.write_text(csv_text(lines), encoding="utf-8")

    @case("csv_unterminated_quote_in_the_header.csv")
    def _(path: Path) -> None:
        lines = csv_rows(h.births(3))
        lines[1] = lines[1].replace("Họ và tên", '"Họ và tên')
        path.write_text(csv_text(lines), encoding="utf-8")

    @case("csv_quote_closed_three_lines_later.csv")
    def _(path: Path) -> None:  # row 4's address opens a quote, a stray one on row 7 closes it
        lines = csv_rows(many(10))
        lines[5] = lines[5].replace('xã Phước Thành"', "xã Phước Thành", 1)
        lines[8] = lines[8].replace('"Thôn Phổ Trạch', 'Thôn Phổ Trạch"', 1)
        path.write_text(csv_text(lines), encoding="utf-8")

    @case("csv_quoted_line_break_in_an_address.csv")
    def _(path: Path) -> None:
        rows = h.births(3)
        rows[1][8] = "Thôn Phổ Trạch,\r\nxã Phước Thành"
        path.write_text(csv_text(csv_rows(rows)), encoding="utf-8")

    @case("csv_quotes_inside_an_unquoted_name.csv")
    def _(path: Path) -> None:
        lines = csv_rows(h.births(3))
        lines[3] = lines[3].replace("Trần Thị Bích", 'Trần "Bé" Thị Bích')
        path.write_text(csv_text(lines), encoding="utf-8")

    @case("csv_cr_only_line_endings.csv")
    def _(path: Path) -> None:
        path.write_text("\r".join(csv_rows(h.births(3))) + "\r", encoding="utf-8")

    @case("csv_trailing_separators_and_500_blank_lines.csv")
    def _(path: Path) -> None:
        lines = [line + ",,,," for line in csv_rows(h.births(3))] + [""] * 500
        path.write_text(csv_text(lines), encoding="utf-8")

    @case("csv_rows_missing_their_last_cells.csv")
    def _(path: Path) -> None:
        lines = csv_rows(h.births(3))
        lines[3] = ",".join(lines[3].split(",")[:8])
        path.write_text(csv_text(lines), encoding="utf-8")

    @case("csv_twenty_thousand_characters_in_one_cell.csv")
    def _(path: Path) -> None:
        rows = h.births(3)
        rows[0][8] = ("Thôn Phổ Trạch, " * 1300)[:20000]
        path.write_text(csv_text(csv_rows(rows)), encoding="utf-8")

    @case("csv_header_only.csv")
    def _(path: Path) -> None:
        path.write_text(csv_text(csv_rows([])), encoding="utf-8")

    @case("csv_numbers_spelt_as_a_re_export.csv")
    def _(path: Path) -> None:
        rows = [h.birth(0, no="5.0"), h.birth(1, no="07A"), h.birth(2, no="Số 12"),
                h.birth(0, no="05")]  # fmt: skip
        path.write_text(csv_text(csv_rows(rows)), encoding="utf-8")

    @case("csv_blank_line_between_every_row.csv")
    def _(path: Path) -> None:
        lines = csv_rows(h.births(3))
        path.write_text(csv_text([x for line in lines for x in (line, "")]), encoding="utf-8")

    # --- 7. workbooks that would cost gigabytes to read ----------------------------------------------

    def raw(path: Path, rows=None, **options) -> None:
        h.write_raw_xlsx(path, [[h.TITLE], [], h.HEADER, *(rows or h.births(3))], **options)

    @case("xlsx_cell_at_XFD1048576.xlsx")
    def _(path: Path) -> None:
        raw(path, extra={"XFD1048576": "x"})

    @case("xlsx_cell_at_XFD8000.xlsx")
    def _(path: Path) -> None:
        raw(path, extra={"XFD8000": "x"})

    @case("xlsx_stray_cell_at_XFD3.xlsx")
    def _(path: Path) -> None:  # wide but small: read, the stray cell ignored
        raw(path, extra={"XFD3": "x"})

    @case("xlsx_dimension_claims_XFD1048576.xlsx")
    def _(path: Path) -> None:  # a <dimension> that lies costs nothing: read as usual
        raw(path, dimension="A1:XFD1048576")

    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main" count="{n}" uniqueCount="{n}"><si><t>x</t></si></sst>')  # fmt: skip

    @case("xlsx_shared_strings_declare_4000000000.xlsx")
    def _(path: Path) -> None:
        raw(path, parts={"xl/sharedStrings.xml": sst.format(n=4_000_000_000)})

    @case("xlsx_shared_strings_declare_500000_in_60_bytes.xlsx")
    def _(path: Path) -> None:
        raw(path, parts={"xl/sharedStrings.xml": sst.format(n=500_000)})

    @case("xlsx_sheet_part_declares_3_9_gigabytes.xlsx")
    def _(path: Path) -> None:
        raw(path, stream=False)
        h.declare_size(path, "xl/worksheets/sheet1.xml", 3_900_000_000)

    @case("xlsx_styles_part_declares_3_9_gigabytes.xlsx")
    def _(path: Path) -> None:
        raw(path, stream=False)
        h.declare_size(path, "xl/styles.xml", 3_900_000_000)

    @case("xlsx_sheet_inflates_beyond_its_declared_size.xlsx")
    def _(path: Path) -> None:
        raw(path, stream=False)
        h.declare_size(path, "xl/worksheets/sheet1.xml", 200)

    @case("xlsx_shared_strings_inflate_beyond_their_declared_size.xlsx")
    def _(path: Path) -> None:
        strings = sst.format(n=2).replace("<si><t>x</t></si>", "<si><t>x</t></si>" * 2)
        raw(path, parts={"xl/sharedStrings.xml": strings + " " * 5000}, stream=False)
        h.declare_size(path, "xl/sharedStrings.xml", 100)

    # --- 7 and 11. .xls: formulas without their result, a cell at the sheet's last corner ----------

    def xls(path: Path, rows, extra=None, sheet: str = "KS") -> None:
        cells = [[h.TITLE], [], h.HEADER, *rows]
        stream = h.raw_xls.workbook_stream(_cells(cells, extra), sheet)
        path.write_bytes(h.base._cfb({"Workbook": stream, "Padding": b""}))

    def text_dates(rows: list[list]) -> list[list]:
        return [[v.strftime("%d/%m/%Y") if isinstance(v, date) else v for v in r] for r in rows]

    @case("xls_formula_without_its_saved_result.xls")
    def _(path: Path) -> None:
        rows = text_dates(h.births(3))
        rows[0][8] = h.raw_xls.Formula()  # the address: read as empty before
        rows[1][2] = h.raw_xls.Formula()  # the registration date
        xls(path, rows)

    @case("xls_formula_with_an_empty_text_result.xls")
    def _(path: Path) -> None:
        rows = text_dates(h.births(3))
        rows[2][8] = h.raw_xls.Formula(h.raw_xls.STRING_RESULT, "")
        xls(path, rows)

    @case("xls_formula_text_result_record_missing.xls")
    def _(path: Path) -> None:
        rows = text_dates(h.births(3))
        rows[2][8] = h.raw_xls.Formula(h.raw_xls.STRING_RESULT, None)
        xls(path, rows)

    @case("xls_formula_with_its_saved_text_result.xls")
    def _(path: Path) -> None:
        rows = text_dates(h.births(3))
        rows[0][8] = h.raw_xls.Formula(h.raw_xls.STRING_RESULT, "Thôn Mỹ Lợi, xã Phước Thành")
        xls(path, rows)

    @case("xls_cell_at_IV65536.xls")
    def _(path: Path) -> None:
        xls(path, text_dates(h.births(3)), {(65535, 255): "x"})

    @case("xls_sheet_named_with_a_terminal_escape.xls")
    def _(path: Path) -> None:
        rows = text_dates(h.births(3))
        rows[2][2] = "31/11/2024"
        xls(path, rows, sheet="KS\x1b[2J\x07")

    # --- 8 and 9. names and headers: escaped on screen, never formulas in a workbook ----------------

    @case("xlsx_sheet_named_with_control_characters.xlsx")
    def _(path: Path) -> None:
        rows = h.births(3)
        rows[2][2] = "31/11/2024"
        raw(path, rows, sheet_name="KS&#x1b;[31m&#x7;&#x202e;")

    @case("xlsx_sheet_named_like_a_formula.xlsx")
    def _(path: Path) -> None:
        rows = h.births(3)
        rows[2][2] = "31/11/2024"
        raw(path, rows, sheet_name="=HYPERLINK(&quot;http://x&quot;)")

    def with_header(path: Path, rows, renamed: dict) -> None:  # header cells as text
        header = [renamed.get(c, c) for c in h.HEADER]
        h.write_raw_xlsx(path, [[h.TITLE], [], header, *rows])

    @case("header_starting_with_equals.xlsx")
    def _(path: Path) -> None:
        rows = h.births(3)
        rows[2][2] = "31/11/2024"
        with_header(path, rows, {"STT": "=STT", "Ngày ĐK": "=Ngày ĐK"})

    @case("headers_starting_with_plus_minus_at.xlsx")
    def _(path: Path) -> None:
        rows = h.births(3)
        rows[1][3] = "12345"
        with_header(path, rows, {"Số ĐK": "+Số ĐK", "Họ và tên": "-Họ và tên",
                                 "Ngày sinh": "@Ngày sinh"})  # fmt: skip

    for name in FORMULA_NAMES:
        found[name] = _bad_date_csv(h)

    # --- 1 and 2. one registration, one key; two registrations, two letters ------------------------

    @case("same_registration_book_spelt_two_ways.xlsx")
    def _(path: Path) -> None:
        header = [*h.HEADER, "Quyển số"]
        h._sheet(path, [[*h.birth(0, no="5"), "01/2024"], [*h.birth(0, no="05"), "1-2024"]],
                 header)  # fmt: skip

    @case("same_number_in_two_books_two_children.xlsx")
    def _(path: Path) -> None:
        header = [*h.HEADER, "Quyển số"]
        h._sheet(path, [[*h.birth(0, no="5"), "01/2024"],
                        [*h.birth(1, no="5"), "02/2024"]], header)  # fmt: skip

    @case("same_number_in_two_books_same_child_same_day.xlsx")
    def _(path: Path) -> None:
        header = [*h.HEADER, "Quyển số"]
        h._sheet(path, [[*h.birth(0, no="5"), "01/2024"], [*h.birth(0, no="5"), "02/2024"]],
                 header)  # fmt: skip

    @case("registration_numbers_with_letters_in_two_cases.xlsx")
    def _(path: Path) -> None:
        h._sheet(path, [h.birth(0, no="7A"), h.birth(0, no="7a"), h.birth(1, no="8B")])

    @case("registration_number_500_characters.xlsx")
    def _(path: Path) -> None:
        h._sheet(path, [h.birth(0, no="12" * 250), h.birth(1)])

    @case("registration_number_only_punctuation.xlsx")
    def _(path: Path) -> None:
        h._sheet(path, [h.birth(0, no="#?!"), h.birth(1), h.birth(2)])

    # --- values and layouts a clerk's file can hold ----------------------------------------------------

    @case("names_made_of_emoji.xlsx")
    def _(path: Path) -> None:
        h._sheet(path, [h.birth(0, name="😀 😀"), h.birth(1), h.birth(2)])

    @case("boolean_true_in_date_cells.xlsx")
    def _(path: Path) -> None:
        h._sheet(path, [h.birth(0, reg=True), h.birth(1), h.birth(2)])

    @case("ten_thousand_formatted_empty_rows.xlsx")
    def _(path: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "KS"
        ws["A1"] = h.TITLE
        h._rows(ws, 3, [h.HEADER, *h.births(3)])
        for row in range(7, 10007):
            ws.cell(row, 1).font = Font(bold=True)
        h._save(wb, path)

    @case("hidden_sheet_of_another_month.xlsx")
    def _(path: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "T9"
        ws["A1"] = h.TITLE
        h._rows(ws, 3, [h.HEADER, *h.births(3)])
        old = wb.create_sheet("T10")
        old.sheet_state = "hidden"
        old["A1"] = h.TITLE
        october = [h.birth(i, no=str(201 + i), reg=date(2024, 10, 2 + i)) for i in range(2)]
        h._rows(old, 3, [h.HEADER, *october])
        h._save(wb, path)

    @case("registration_kind_dang_ky_lai.xlsx")
    def _(path: Path) -> None:
        header = [*h.HEADER, "Loại đăng ký"]
        rows = [[*h.birth(0), "Đăng ký lại"], [*h.birth(1), "Đăng ký mới"], [*h.birth(2), ""]]
        h._sheet(path, rows, header)

    return found


def _cells(rows: list[list], extra: dict | None) -> dict:
    cells = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)
             if v is not None and v != ""}  # fmt: skip
    cells.update(extra or {})
    return cells


def _bad_date_csv(h: SimpleNamespace):
    """Three births, the third with 31/11/2024: rejected.xlsx names the file on its row."""

    def write(path: Path) -> None:
        rows = h.births(3)
        rows[2][2] = "31/11/2024"
        path.write_text(h._csv(rows), encoding="utf-8")

    return write


# --- written at test time ------------------------------------------------------------------------

BOMB_BYTES = 300 * 1024 * 1024


def write_zip_bomb(path: Path, h: SimpleNamespace) -> None:
    """An .xlsx whose sheet inflates to 300 MB of blanks (a thousand times its size)."""
    h.write_raw_xlsx(path, [[h.TITLE], [], h.HEADER, *h.births(3)], padding=BOMB_BYTES)


def generated(h: SimpleNamespace) -> dict:
    """{file name: writer} of the inputs written at test time."""
    found = {name: _bad_date_csv(h) for name in CONTROL_NAMES}
    found["xlsx_zip_bomb_300_megabytes.xlsx"] = lambda path: write_zip_bomb(path, h)
    return found
