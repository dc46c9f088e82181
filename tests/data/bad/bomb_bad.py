"""The hostile corpus, third part (issue #12, point 7, second pass): small files that declare
what makes a reader allocate per declared cell, row, merge or repeat — in every format we read
— and the ordinary files of each kind that must still read as before.

- .ods: a cell repeated over 2,000 rows × 16,384 columns (4 GB in the reader before), a data
  row repeated to the sheet's end, a content part that lies about its size or inflates to
  300 MB; and an ordinary register saved by LibreOffice (empty rows and columns to the edge);
- .xlsx: merged ranges down to row 1,048,576 (905 MB for nine before; sixty: MemoryError),
  merges stacked on one another over a million-row grid, more merges than any register has;
  a million "<row/>" without r="…" (12 KB; an abort before) and an ordinary sheet without them;
  one merge down to row 1,048,576 in a workbook of a legacy font (openpyxl: 640 MB, 50 s);
- .xls: merges stacked over 65,536 rows;
- HTML saved as .xls: colspan and rowspan of 200 on every cell (1.3 GB for 1.7 MB before),
  more "<tr>" than a sheet has rows.

``cases(h)`` returns {file name: writer} for make_bad.py (``h``: its helpers); ``generated(h)``
those written at test time only (too large for the repository).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import SimpleNamespace

# the 0-based (first row, last row, first col, last col) of nine merges under the three rows
# of data (Excel rows 8 to 1,048,576, columns A to I): what a clerk's "merge to the end" makes
NINE_DOWN = [f"{c}8:{c}1048576" for c in "ABCDEFGHI"]


def cases(h: SimpleNamespace) -> dict:
    found: dict = {}
    ods = h.raw_ods

    def case(name: str):
        def register(writer):
            found[name] = writer
            return writer

        return register

    def register_rows(rows=None) -> list[list]:
        return [[h.TITLE], [], h.HEADER, *(rows or h.births(3))]

    def raw(path: Path, **options) -> None:
        h.write_raw_xlsx(path, register_rows(), **options)

    # --- .ods ---------------------------------------------------------------------------------

    @case("ods_register_as_libreoffice_saves_it.ods")
    def _(path: Path) -> None:  # each row's empty cells to XFD, empty rows to the sheet's end
        ods.write_raw_ods(path, ods.table_rows(register_rows()) + ods.EDGE_ROWS)

    @case("ods_cell_repeated_over_2000_rows_and_16384_columns.ods")
    def _(path: Path) -> None:
        far = ods.row(ods.cell("x", 16384), 2000)
        ods.write_raw_ods(path, ods.table_rows(register_rows(), edge=False) + far)

    @case("ods_data_row_repeated_to_the_sheet_end.ods")
    def _(path: Path) -> None:
        rows = register_rows()
        again = ods.row("".join(ods.cell(v) for v in rows[-1]), 1_048_570)
        ods.write_raw_ods(path, ods.table_rows(rows, edge=False) + again)

    @case("ods_register_below_a_million_empty_rows_and_a_wide_row.ods")
    def _(path: Path) -> None:  # the reader yields every row from row 1, each 1,900 cells wide
        empty = ods.row(ods.cell("", 16384), 1_040_000)
        ods.write_raw_ods(path, empty + ods.table_rows(register_rows(), edge=False)
                          + ods.row(ods.cell("x", 1900)))  # fmt: skip

    def spaces(count: int) -> str:  # a cell whose text is "a", then ``count`` spaces, then "b"
        return ('<table:table-cell office:value-type="string"><text:p>a'
                f'<text:s text:c="{count}"/>b</text:p></table:table-cell>')  # fmt: skip

    @case("ods_two_billion_spaces_in_one_cell.ods")
    def _(path: Path) -> None:
        rows = ods.table_rows(register_rows(), edge=False)
        ods.write_raw_ods(path, rows + ods.row(spaces(2_000_000_000)))

    @case("ods_32767_spaces_in_each_of_40000_cells.ods")
    def _(path: Path) -> None:
        rows = ods.table_rows(register_rows(), edge=False)
        ods.write_raw_ods(path, rows + ods.row(spaces(32_767) * 100) * 400)

    @case("ods_repeat_count_not_a_number.ods")
    def _(path: Path) -> None:
        odd = ods.row(ods.cell("x").replace("<table:table-cell ", '<table:table-cell '
                      'table:number-columns-repeated="many" ', 1))  # fmt: skip
        ods.write_raw_ods(path, ods.table_rows(register_rows(), edge=False) + odd)

    @case("ods_content_part_declares_3_9_gigabytes.ods")
    def _(path: Path) -> None:
        ods.write_raw_ods(path, ods.table_rows(register_rows(), edge=False), stream=False)
        h.declare_size(path, "content.xml", 0xF0000000)

    @case("ods_content_inflates_beyond_its_declared_size.ods")
    def _(path: Path) -> None:
        ods.write_raw_ods(path, ods.table_rows(register_rows(), edge=False), stream=False)
        h.declare_size(path, "content.xml", 2000)

    # --- .xlsx merges ---------------------------------------------------------------------------

    @case("xlsx_9_merges_down_to_row_1048576.xlsx")
    def _(path: Path) -> None:
        raw(path, merges=NINE_DOWN)

    @case("xlsx_60_merges_down_to_row_1048576.xlsx")
    def _(path: Path) -> None:
        columns = [h.raw_xlsx._column(c) for c in range(60)]
        raw(path, merges=[f"{c}8:{c}1048576" for c in columns])

    @case("xlsx_data_column_merged_down_to_row_1048576.xlsx")
    def _(path: Path) -> None:  # the address column merged from the first data row down
        rows = h.births(3)
        rows[1][8] = rows[2][8] = ""
        h.write_raw_xlsx(path, register_rows(rows), merges=["I4:I1048576"])

    @case("xlsx_vntime_font_merge_down_to_row_1048576.xlsx")
    def _(path: Path) -> None:  # a legacy font: read by openpyxl, which makes every merged cell
        styles = h.raw_xlsx._STYLES.replace("Calibri", ".VnTime")
        raw(path, merges=["A8:A1048576"], parts={"xl/styles.xml": styles})

    @case("xlsx_60_merges_stacked_over_a_million_rows.xlsx")
    def _(path: Path) -> None:  # one cell at L1048576 makes the grid; the merges cover it 60 times
        raw(path, extra={"L1048576": "x"}, merges=["A8:L1048576"] * 60)

    def without_references(path: Path, rows: list[list], after: str = "") -> None:
        """Rows and cells with no r="…" (some export libraries write them so): the reader
        places each after the one before."""
        h.write_raw_xlsx(path, rows, stream=False)
        body = "".join("<row>" + "".join(
            h.raw_xlsx._cell("A1", v).replace(' r="A1"', "") for v in row if v not in ("", None)
        ) + "</row>" for row in rows)  # fmt: skip
        sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                 'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                 f"{body}{after}</sheetData></worksheet>")  # fmt: skip
        replace_part(path, "xl/worksheets/sheet1.xml", sheet)

    @case("xlsx_rows_and_cells_without_references.xlsx")
    def _(path: Path) -> None:
        without_references(path, register_rows())

    @case("xlsx_a_million_rows_without_references.xlsx")
    def _(path: Path) -> None:  # 1,040,000 "<row/>" then 16,384 cells: a 12 KB file
        without_references(path, register_rows(), "<row/>" * 1_040_000
                           + "<row>" + "<c><v>1</v></c>" * 16384 + "</row>")  # fmt: skip

    # --- .xls merges ------------------------------------------------------------------------------

    @case("xls_merges_stacked_over_65536_rows.xls")
    def _(path: Path) -> None:
        rows = [[v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v for v in r]
                for r in register_rows()]  # fmt: skip
        cells = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)
                 if v not in (None, "")}  # fmt: skip
        cells[(65535, 255)] = "x"
        stream = h.raw_xls.workbook_stream(cells, "KS", [(7, 65535, 0, 255)] * 600)
        path.write_bytes(h.base._cfb({"Workbook": stream, "Padding": b""}))

    # --- HTML saved as .xls -------------------------------------------------------------------------

    @case("html_colspan_and_rowspan_200_on_every_cell.xls")
    def _(path: Path) -> None:
        header = "".join(f"<th>{t}</th>" for t in h.HEADER)
        spans = '<td colspan="200" rowspan="200">x</td>' * 3000
        path.write_text(f"<html><body><h1>{h.TITLE}</h1><table><tr>{header}</tr><tr>{spans}"
                        "</tr></table></body></html>", encoding="utf-8")  # fmt: skip

    return found


def replace_part(path: Path, member: str, text: str) -> None:
    """Rewrite the zip at ``path`` with ``member`` holding ``text`` (the other parts as were)."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info, data in parts:
            archive.writestr(info, text.encode("utf-8") if info.filename == member else data,
                             zipfile.ZIP_DEFLATED)  # fmt: skip


# --- written at test time ------------------------------------------------------------------------

BOMB_BYTES = 300 * 1024 * 1024


def generated(h: SimpleNamespace) -> dict:
    """{file name: writer} of the inputs written at test time."""

    def ods_bomb(path: Path) -> None:
        rows = [[h.TITLE], [], h.HEADER, *h.births(3)]
        h.raw_ods.write_raw_ods(path, h.raw_ods.table_rows(rows, edge=False), padding=BOMB_BYTES)

    def many_merges(path: Path) -> None:  # one merge of two cells on every row of a tall grid
        merges = [f"A{r}:B{r}" for r in range(8, 8 + 100_001)]
        h.write_raw_xlsx(path, [[h.TITLE], [], h.HEADER, *h.births(3)], merges=merges)

    def html_rows(path: Path) -> None:  # 1,100,000 "<tr>": 4.4 MB, more rows than a sheet holds
        header = "".join(f"<th>{t}</th>" for t in h.HEADER)
        path.write_text(f"<html><body><table><tr>{header}</tr>{'<tr>' * 1_100_000}</table>"
                        "</body></html>", encoding="utf-8")  # fmt: skip

    return {
        "html_1100000_rows.xls": html_rows,
        "ods_zip_bomb_300_megabytes.ods": ods_bomb,
        "xlsx_100001_merges.xlsx": many_merges,
    }
