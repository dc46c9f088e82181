"""What an .ods may cost to read, checked before any reader touches it (``limits`` does the
same for an .xlsx).

An .ods says how often a row or a cell repeats (``table:number-rows-repeated``,
``table:number-columns-repeated``): a 1 KB file whose one cell repeats over 2,000 rows ×
16,384 columns makes python-calamine fill a grid of 32 million cells (about 120 bytes each:
4 GB, then "memory allocation failed" and an abort). LibreOffice itself writes repeats for
the empty rows and columns to the sheet's edge; those cost the reader nothing. So
``check_ods`` reads content.xml as a stream (bounded memory; a part that inflates beyond
what it declares fails zipfile's CRC check here) and adds up, per table, the grid the reader
will build: every row from the first to the last one holding a value (the reader yields
each, empty or not), from the first to the last column holding one, repeats counted. A cell's
text can repeat too: ``<text:s text:c="2000000000"/>`` stands for two billion spaces, which
the reader writes out; those counts are bounded as well.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from .limits import MAX_MEMBER_BYTES, TooLarge, _letters, _mb, _n, _shown

MAX_ODS_CELLS = 2_000_000  # rows × columns of one table's grid (about 250 MB in the reader)
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_ROWS_REPEATED = f"{_TABLE}number-rows-repeated"
_COLUMNS_REPEATED = f"{_TABLE}number-columns-repeated"
_VALUE_TYPE = f"{_OFFICE}value-type"
_SPACES = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}s"
_SPACE_COUNT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c"
MAX_CELL_SPACES = 32_767  # spaces one <text:s text:c="…"/> may stand for: a cell's length in Excel
MAX_SPACES = 20_000_000  # and all of them in the file
_MOST = 1 << 20  # a repeat counted no further than a sheet's rows: the figures stay readable


class _Counted:
    """Reads a zip part, counting what it inflates to and stopping past the limit."""

    def __init__(self, stream, table: list[str]):
        self.stream, self.table, self.inflated = stream, table, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size if size and size > 0 else 1 << 20)
        self.inflated += len(chunk)
        if self.inflated > MAX_MEMBER_BYTES:
            where = f"trang “{_shown(self.table[0])}”" if self.table else "nội dung tệp"
            raise TooLarge(f"{where} giải nén ra quá {_mb(MAX_MEMBER_BYTES)} MB")
        return chunk


class _Grid:
    """One table: the rows and columns holding a value, repeats counted."""

    def __init__(self, name: str):
        self.name = name
        self.row = 0  # rows before the current one
        self.col = 0  # cells before the current one, in the current row
        self.row_cols: tuple[int, int] | None = None  # first, last column with a value
        self.last_row = 0
        self.first_col = self.last_col = 0

    def cell(self, repeated: int, valued: bool) -> None:
        if valued:
            first, last = self.col + 1, self.col + repeated
            seen = self.row_cols
            self.row_cols = (min(seen[0], first), max(seen[1], last)) if seen else (first, last)
        self.col += repeated

    def end_row(self, repeated: int) -> None:
        if self.row_cols:
            self.last_row = self.row + repeated
            self.first_col = (
                min(self.first_col, self.row_cols[0]) if self.last_col else self.row_cols[0]
            )
            self.last_col = max(self.last_col, self.row_cols[1])
            self.check()
        self.row += repeated
        self.col, self.row_cols = 0, None

    def check(self) -> None:
        rows = self.last_row  # the reader yields every row from row 1
        columns = self.last_col - self.first_col + 1
        if rows * columns > MAX_ODS_CELLS:
            raise TooLarge(
                f"trang “{_shown(self.name)}” lặp lại ô có dữ liệu tới tận"
                f" {_letters(self.last_col)}{self.last_row}, nên bảng cần đọc rộng"
                f" {_n(rows)} dòng × {_n(columns)} cột, quá lớn để đọc"
            )


def check_ods(archive: zipfile.ZipFile) -> None:
    """Raise TooLarge when a table of the .ods's content.xml would make a grid beyond the
    limit (after ``limits.check_members``)."""
    table: list[str] = []
    with archive.open("content.xml") as stream:
        counted = _Counted(stream, table)
        events = etree.iterparse(counted, events=("start", "end"), resolve_entities=False,
                                 no_network=True, huge_tree=False)  # fmt: skip
        grids: list[_Grid] = []  # a table inside a cell of another is counted on its own
        rows_repeated: list[int] = []
        spaces = 0
        for event, element in events:
            tag = element.tag
            if tag == _SPACES and event == "end":
                spaces += _spaces(element.get(_SPACE_COUNT), grids)
                if spaces > MAX_SPACES:
                    raise TooLarge(
                        f"các ô của tệp ghi tổng cộng hơn {_n(MAX_SPACES)} dấu cách, quá dài để đọc"
                    )
                continue
            if event == "start":
                if tag == f"{_TABLE}table":
                    grids.append(_Grid(element.get(f"{_TABLE}name", "")))
                    table[:] = [grids[0].name]
                elif tag == f"{_TABLE}table-row":
                    rows_repeated.append(_repeats(element.get(_ROWS_REPEATED)))
                continue
            if grids and tag in _CELLS:
                valued = element.get(_VALUE_TYPE) is not None or len(element) > 0
                grids[-1].cell(_repeats(element.get(_COLUMNS_REPEATED)), valued)
                element.clear()
            elif grids and rows_repeated and tag == f"{_TABLE}table-row":
                grids[-1].end_row(rows_repeated.pop())
                element.clear()
                while element.getprevious() is not None:  # rows read: memory stays flat
                    del element.getparent()[0]
            elif grids and tag == f"{_TABLE}table":
                grids.pop()
                element.clear()
        while counted.read():  # read through: the CRC check at the part's end
            pass


def _spaces(value: str | None, grids: list[_Grid]) -> int:
    """The spaces a <text:s text:c="…"/> stands for (a reader writes each out: two billion of
    them in a 1 KB file was an abort), refused past the limits."""
    try:
        count = max(int(value or 1), 1)
    except ValueError:
        count = 1
    if count > MAX_CELL_SPACES:
        where = f"trang “{_shown(grids[0].name)}”" if grids else "nội dung tệp"
        raise TooLarge(f"một ô của {where} ghi {_n(count)} dấu cách liền nhau, quá dài để đọc")
    return count


def _repeats(value: str | None) -> int:
    """A repeat count; one when missing or not a number (the reader then says it is broken)."""
    try:
        return min(max(int(value or 1), 1), _MOST)
    except ValueError:
        return 1


__all__ = ["MAX_ODS_CELLS", "check_ods"]
