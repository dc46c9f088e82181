"""An HTML page saved as .xls (what some web register exports give) as one sheet of rows.

Tables become rows (colspan/rowspan kept as merges, the value in the top-left cell); text
outside tables (titles) becomes one-cell rows. A span is a declaration: ``<td colspan=200
rowspan=200>`` is 22 bytes that stand for 40,000 cells, so the cells the spans add (padding
to the right, cells held by a rowspan above) are counted, and a page whose spans add more
than ``MAX_SPANNED`` is refused (E-FILE-09) as it is read, before it costs gigabytes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .csvfile import text_encoding
from .limits import TooLarge, _n, check_merges
from .raw import FileProblem, RawSheet

MAX_ROWS = 1_048_576  # rows of a page: what one Excel sheet holds
MAX_SPANNED = 500_000  # cells added by colspan/rowspan in one page (tens of MB at most)

_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "caption", "center"}
_SKIPPED = {"script", "style", "title", "head"}


class _HtmlGrid(HTMLParser):
    """Tables as rows (colspan/rowspan kept as merges, the value in the top-left cell), and
    text outside tables (titles) as one-cell rows, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._below: dict[int, int] = {}  # column → rows still covered by a rowspan
        self._text: list[str] = []
        self._skip = 0
        self._tables = 0
        self.spanned = 0  # cells the spans added (or held open) so far

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "table":
            self._flush_text()
            self._tables += 1
        elif tag == "tr" and self._tables:
            self._end_row()
            self._row = []
        elif tag in ("td", "th") and self._tables:
            if self._row is None:
                self._row = []
            attrs = dict(attrs)
            self._span = (_span(attrs.get("rowspan")), _span(attrs.get("colspan")))
            self._cell = []
        elif tag == "br":
            (self._cell if self._cell is not None else self._text).append("\n")
        elif tag in _BLOCKS and not self._tables:
            self._flush_text()

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None:
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table" and self._tables:
            self._end_row()
            self._tables -= 1
            self._below = {}
        elif tag in _BLOCKS and not self._tables:
            self._flush_text()

    def handle_data(self, data):
        if self._skip:
            return
        (self._cell if self._cell is not None else self._text).append(data)

    def _flush_text(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self._append([text])
        self._text = []

    def _end_cell(self) -> None:
        row = self._row
        col = len(row)
        while self._below.get(col, 0) > 0:
            row.append("")
            col += 1
        rowspan, colspan = self._span
        self._count(colspan - 1)  # cells held by a rowspan above: counted by _end_row
        row.append("".join(self._cell).strip())
        row.extend([""] * (colspan - 1))
        if rowspan > 1 or colspan > 1:
            top = len(self.rows)
            self.merges.append((top, col, top + rowspan - 1, col + colspan - 1))
        if rowspan > 1:  # a cell of one row holds nothing below it
            for covered in range(col, col + colspan):
                self._below[covered] = max(self._below.get(covered, 0), rowspan)
        self._cell = None

    def _end_row(self) -> None:
        if self._cell is not None:
            self._end_cell()
        if self._row is None:
            return
        self._append(self._row)
        self._row = None
        self._count(len(self._below))
        self._below = {col: left - 1 for col, left in self._below.items() if left > 1}

    def _append(self, row: list[str]) -> None:
        if len(self.rows) >= MAX_ROWS:  # "<tr>" is 4 bytes; a row list, 60
            raise TooLarge(f"bảng trong tệp có hơn {_n(MAX_ROWS)} dòng, nhiều hơn một trang Excel")
        self.rows.append(row)

    def _count(self, cells: int) -> None:
        self.spanned += cells
        if self.spanned > MAX_SPANNED:
            raise TooLarge(
                f"các ô gộp (colspan, rowspan) của bảng trong tệp trải ra quá {_n(MAX_SPANNED)}"
                " ô: tệp bị hỏng hoặc được làm để làm treo máy"
            )


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1


def _html_text(path: Path) -> str:
    data = path.read_bytes()
    declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    if declared:
        try:
            return data.decode(declared[1].decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode(text_encoding(path), errors="replace")


def html_sheet(path: Path) -> RawSheet:
    parser = _HtmlGrid()
    try:
        parser.feed(_html_text(path))
        parser.close()
        parser._end_row()
    except TooLarge as exc:
        raise FileProblem("E-FILE-09", exc.reason) from None
    parser._flush_text()
    if not any(any(cell.strip() for cell in row) for row in parser.rows):
        raise FileProblem("E-FILE-02")
    try:
        check_merges("", parser.merges, len(parser.rows), max(map(len, parser.rows)))
    except TooLarge as exc:
        raise FileProblem("E-FILE-09", exc.reason) from None
    return RawSheet("", parser.rows, parser.merges)
