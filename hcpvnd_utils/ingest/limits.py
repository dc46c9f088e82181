"""What a workbook may cost to read, checked before any reader touches it.

A 5 KB .xlsx can make a reader ask for terabytes: a value at XFD1048576 makes the dense grid
of python-calamine (about 32 bytes a cell) 16,384 × 1,048,576 cells; a shared-strings table that
declares 4,000,000,000 strings is allocated up front; a 2 MB zip can inflate to 10 GB. The
process then dies (exit 134, "memory allocation failed") with no word about which file. So
before reading, ``check_members`` and ``check_contents`` look at what the file declares and what it really holds:

- every member's declared size, its compression ratio and the total;
- the shared-strings table's declared counts against its size;
- each worksheet's extent — every row and cell, with its reference or, without one, where
  the reader puts it; read as a stream (bounded memory) — as rows × columns of the grid a
  reader builds. (A ``<dimension>`` that claims more than the cells
  hold costs the readers nothing: it is not refused.)
- each worksheet's merged ranges (``check_merges``, shared with the .xls and HTML readers):
  how many, and how many cells of the real grid they cover. A merge down to row 1,048,576
  over three rows of data covers three rows (only rows that are read are filled); sixty
  merges stacked on one another over a grid of a million rows would fill sixty million.

An .ods is checked the same way by ``limits_ods``.

Anything over the limits raises ``TooLarge`` with a Vietnamese reason; the caller turns it into
a coded message naming the file (E-FILE-09). The limits leave room for the largest export a
sheet can hold (1,048,575 rows of a register's width).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

MAX_FILE_BYTES = 512 * 1024 * 1024  # on disk
MAX_MEMBER_BYTES = 1024 * 1024 * 1024  # one part of the zip, inflated
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # every part, inflated
MAX_RATIO = 200  # inflated / compressed, for parts over RATIO_FROM bytes
RATIO_FROM = 64 * 1024 * 1024
MAX_CELLS = 40_000_000  # rows × columns of one sheet's grid (about 1.3 GB in the reader)
MAX_STRINGS = 10_000_000  # shared strings a workbook may declare
MAX_MERGES = 100_000  # merged ranges of one sheet (a register merges a few header cells)
MAX_MERGED_CELLS = 10_000_000  # cells of the real grid the merges of one sheet cover, summed
# a workbook in a legacy Vietnamese font is read by openpyxl (its cell fonts are needed): a
# cell object for every cell read (about 500 bytes) and for every cell of every merged range
# as declared, not clipped (one merge down to row 1,048,576: 640 MB and 50 s)
MAX_LEGACY_CELLS = 4_000_000
MAX_LEGACY_MERGED = 1_000_000
_CHUNK = 1 << 20
_CELL = re.compile(rb'<(?:\w+:)?(c|row)\b[^>]*?\br="([A-Z]{0,3})(\d+)"')  # with its r="…"
_ANY = re.compile(rb"<(?:\w+:)?(?:c|row)\b")
_PLAIN = (b"<c ", b"<c>", b"<c/>", b"<row ", b"<row>", b"<row/>")
# the quick path's two scans: the rows' numbers, and the cells' column letters
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_TAG = re.compile(rb"<(?:\w+:)?(c|row)\b([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]{0,3})(\d*)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_SST = re.compile(rb"<(?:\w+:)?sst\b([^>]*)>")
_COUNT = re.compile(rb'\b(count|uniqueCount)="(\d+)"')


class TooLarge(Exception):
    """The file would cost more to read than any register export does: ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Extent:
    min_row: int = 0
    max_row: int = 0
    min_col: int = 0
    max_col: int = 0

    row: int = 0  # where the reader is: a row or cell without r="…" follows the last one
    col: int = 0

    def tag(self, kind: bytes, ref: re.Match | None) -> None:
        """A <row> or <c> tag, with its r="…" (``ref``) or without (the next row, the next cell:
        a million "<row/>" cost a few KB zipped, and the reader yields each)."""
        if kind == b"row":
            self.row = int(ref[2]) if ref and ref[2] else self.row + 1
            self.col = 0
            self.add(0, self.row)
            return
        self.col = _column(ref[1]) if ref and ref[1] else self.col + 1
        self.row = int(ref[2]) if ref and ref[2] else max(self.row, 1)
        self.add(self.col, self.row)

    def add(self, col: int, row: int) -> None:
        if not self.max_row:
            self.min_row = self.max_row = row
        self.min_row, self.max_row = min(self.min_row, row), max(self.max_row, row)
        if col:
            if not self.max_col:
                self.min_col = self.max_col = col
            self.min_col, self.max_col = min(self.min_col, col), max(self.max_col, col)

    @property
    def cells(self) -> int:
        if not self.max_row:
            return 0
        columns = self.max_col - self.min_col + 1 if self.max_col else 1
        return self.max_row * columns  # the reader yields every row from row 1


def check_file_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise TooLarge(f"tệp nặng {_mb(size)} MB, quá {_mb(MAX_FILE_BYTES)} MB")


def check_contents(archive: zipfile.ZipFile, sheets: dict[str, str], legacy: bool = False) -> None:
    """Raise TooLarge when the workbook's strings or sheets are beyond the limits (after
    ``check_members``). ``sheets``: sheet name -> its member (``cell_faults.sheet_members``);
    ``legacy``: it will be read by openpyxl (a legacy font), whose limits are lower."""
    _check_strings(archive)
    for name, member in sheets.items():
        if member in archive.NameToInfo:
            _check_sheet(archive, name, member, legacy)


def check_members(archive: zipfile.ZipFile) -> None:
    """Raise TooLarge when a part of the zip, or all of them, would inflate beyond the limits
    (what they declare; a part that inflates to more than it declares is refused by zipfile's
    CRC check as it is read)."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > RATIO_FROM and ratio > MAX_RATIO):
            raise TooLarge(
                f"phần “{_shown(info.filename)}” trong tệp giải nén ra {_mb(info.file_size)} MB"
                f" (nén {_n(round(ratio))} lần): tệp bị hỏng hoặc được làm để làm treo máy"
            )
    if total > MAX_TOTAL_BYTES:
        raise TooLarge(
            f"các phần của tệp giải nén ra {_mb(total)} MB, quá {_mb(MAX_TOTAL_BYTES)} MB"
        )


def _check_strings(archive: zipfile.ZipFile) -> None:
    member = next((n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if member is None:
        return
    info = archive.getinfo(member)
    with archive.open(member) as stream:
        head = stream.read(4096)
        while stream.read(_CHUNK):  # read through: a part that inflates beyond what it
            pass  # declares fails zipfile's CRC check here, before any reader trusts it
    found = _SST.search(head)
    declared = {k: int(v) for k, v in _COUNT.findall(found[1])} if found else {}
    unique = declared.get(b"uniqueCount", 0)
    # a string takes at least <si><t/></si>: 12 bytes of XML
    if unique > MAX_STRINGS or unique > info.file_size // 12 + 1:
        raise TooLarge(
            f"tệp khai báo {_n(unique)} chuỗi ký tự dùng chung nhưng chỉ chứa"
            f" {_n(info.file_size)} byte dữ liệu: tệp bị hỏng hoặc được làm để làm treo máy"
        )


def check_merges(sheet: str, merges, rows: int, columns: int) -> None:
    """Raise TooLarge when a sheet's merged ranges (first row, first column, last row, last
    column; 0-based, inclusive) are more than any register has, or would fill more cells of
    the grid the reader holds (``rows`` × ``columns``) than ``MAX_MERGED_CELLS``."""
    where = f"trang “{_shown(sheet)}”" if sheet else "bảng trong tệp"
    if len(merges) > MAX_MERGES:
        raise TooLarge(
            f"{where} có {_n(len(merges))} vùng gộp ô, quá {_n(MAX_MERGES)}"
            " vùng: tệp bị hỏng hoặc được làm để làm treo máy"
        )
    covered = 0
    for r0, c0, r1, c1 in merges:
        height = min(r1, rows - 1) - max(r0, 0) + 1
        width = min(c1, columns - 1) - max(c0, 0) + 1
        covered += height * width if height > 0 and width > 0 else 0
    if covered > MAX_MERGED_CELLS:
        raise TooLarge(
            f"các vùng gộp ô của {where} phủ tới {_n(covered)} ô (bảng có"
            f" {_n(rows)} dòng × {_n(columns)} cột), quá {_n(MAX_MERGED_CELLS)} ô: bỏ gộp các ô"
            " thừa (nút “Gộp và căn giữa”)"
        )


def _check_sheet(archive: zipfile.ZipFile, name: str, member: str, legacy: bool) -> None:
    actual, inflated = _Extent(), 0
    merges: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            inflated += len(chunk)
            if inflated > MAX_MEMBER_BYTES:
                raise TooLarge(f"trang “{_shown(name)}” giải nén ra quá {_mb(MAX_MEMBER_BYTES)} MB")
            window = tail + chunk
            cut = window.rfind(b"<")  # a tag cut by the chunk's end is read with the next one
            cut = cut if cut > 0 else len(window)
            _read_tags(window[:cut], actual)
            if b"mergeCell" in window:
                merges.extend(_merge(*found) for found in _MERGE.findall(window[:cut]))
            if len(merges) > MAX_MERGES:
                check_merges(name, merges, 0, 0)
            tail = window[cut:]
    if actual.cells > (MAX_LEGACY_CELLS if legacy else MAX_CELLS):
        corner = f"{_letters(actual.max_col)}{actual.max_row}"
        raise TooLarge(
            f"trang “{_shown(name)}” có ô ở tận {corner}, nên bảng cần đọc rộng"
            f" {_n(actual.max_row)} dòng × "
            f"{_n(actual.max_col - actual.min_col + 1)} cột, quá lớn để đọc"
        )
    # calamine's grid starts at the first used column, and its rows at row 1
    shift = max(actual.min_col - 1, 0)
    columns = actual.max_col - actual.min_col + 1 if actual.max_col else 0
    merges = [(r0, c0 - shift, r1, c1 - shift) for r0, c0, r1, c1 in merges]
    check_merges(name, merges, actual.max_row, columns)
    if legacy:
        _check_declared_merges(name, merges)


def _check_declared_merges(name: str, merges) -> None:
    declared = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merges if r1 >= r0)
    if declared > MAX_LEGACY_MERGED:
        bottom = max(r1 for _, _, r1, _ in merges) + 1
        raise TooLarge(
            f"các vùng gộp ô của trang “{_shown(name)}” trải tới {_n(declared)} ô (gộp đến tận"
            f" dòng {_n(bottom)}); tệp dùng phông chữ cũ (.VnTime, VNI) nên phải đọc từng ô"
            f" gộp, quá {_n(MAX_LEGACY_MERGED)} ô: bỏ gộp các ô thừa (nút “Gộp và căn giữa”)"
        )


def _read_tags(text: bytes, actual: _Extent) -> None:
    """Add the rows and cells of ``text`` to ``actual``: quickly when each has its r="…" (what
    every spreadsheet program writes), one tag at a time when some have none."""
    if b":c" not in text and b":row" not in text:  # no prefixed tags: two plain scans
        rows, cells = _ROW_NUMBER.findall(text), _CELL_REF.findall(text)
        plain_cells = text.count(b"<c ") + text.count(b"<c>") + text.count(b"<c/>")
        tags = text.count(b"<row ") + text.count(b"<row>") + text.count(b"<row/>")
        if tags == len(rows) and plain_cells == len(cells):  # every row and cell says where
            numbers = list(map(int, rows))
            if cells:  # in bulk: a 50,000-row sheet has 800,000 cells, each with its own row
                letters, cell_rows = zip(*cells)
                numbers += (min(map(int, cell_rows)), max(map(int, cell_rows)))
                for column in set(letters):
                    actual.add(_column(column), numbers[-1])
            if numbers:
                actual.add(0, min(numbers))
                actual.add(0, max(numbers))
            if text.rfind(b"<c ") > text.rfind(b"<row"):  # ends inside a row: at its last cell
                actual.row, actual.col = int(cells[-1][1]), _column(cells[-1][0])
            elif rows:
                actual.row, actual.col = int(rows[-1]), 0
            return
    found = _CELL.findall(text)
    if len(_ANY.findall(text)) == len(found):
        for _kind, letters, number in found:
            actual.add(_column(letters), int(number))
        if found:
            kind, letters, number = found[-1]
            actual.row, actual.col = int(number), _column(letters) if kind == b"c" else 0
        return
    for kind, attributes in _TAG.findall(text):
        actual.tag(kind, _REF.search(attributes))


def merged_ranges(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges as 0-based (first row, first column, last row, last column),
    read from its XML in chunks (a read-only openpyxl sheet does not give them); to be called
    after ``check_contents`` has bounded the member and its merges."""
    merges: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            cut = window.rfind(b"<")
            cut = cut if cut > 0 else len(window)
            if b"mergeCell" in window:
                merges.extend(_merge(*found) for found in _MERGE.findall(window[:cut]))
            tail = window[cut:]
    if b"mergeCell" in tail:
        merges.extend(_merge(*found) for found in _MERGE.findall(tail))
    return merges


def _merge(first: bytes, top: bytes, last: bytes, bottom: bytes) -> tuple[int, int, int, int]:
    """A mergeCell's ref ("B5:C1048576"; one cell when it has no colon) as 0-based (first row,
    first column, last row, last column), columns counted from A."""
    last, bottom = (last, bottom) if last else (first, top)
    return int(top) - 1, _column(first) - 1, int(bottom) - 1, _column(last) - 1


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index


def _letters(index: int) -> str:
    name = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name or "A"


def _mb(size: int) -> str:
    return _n(round(size / (1024 * 1024)))


def _n(number: int) -> str:
    """1.048.576: thousands as a Vietnamese reader groups them."""
    return f"{number:,}".replace(",", ".")


def _shown(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(text))[:60]


__all__ = [
    "TooLarge",
    "check_contents",
    "check_file_size",
    "check_members",
    "check_merges",
    "merged_ranges",
]
