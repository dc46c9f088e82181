"""Open a register export, whatever it really is, as sheets of rows of raw cell values.

The first bytes decide, not the extension: a zip is an .xlsx (or .ods), an OLE2 file is a
legacy .xls (or an encrypted workbook), HTML is a web export saved as .xls, and text is CSV.
Rows stream from the file (python-calamine for .xlsx: fast; openpyxl only for the rare
workbook typed in a legacy Vietnamese font, whose cell fonts we need). What a file may cost to
read is checked before any reader opens it (``limits``); a CSV is read by ``csvfile``.
"""

from __future__ import annotations

import codecs
import io
import mmap
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from . import legacy
from .cell_faults import CellFault, SheetFaults, sheet_members, xls_formula_faults
from .csvfile import csv_sheet
from .htmlfile import html_sheet
from .limits import TooLarge, check_contents, check_file_size, check_members, check_merges
from .limits_ods import check_ods
from .raw import FileProblem, RawSheet

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_LEGACY_FONT = re.compile(rb'<(?:\w+:)?name\s+val="(\.vn[^"]*|vni[^"]*)"', re.IGNORECASE)
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32)) + b"\x7f"  # not tab, CR, LF, VT, FF


def sniff(path: Path) -> str:
    """What the file really is, from its first bytes: empty, zip, ole, html, binary or text."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole"
    text = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in text and b"<html" not in text:
        return "xml-spreadsheet"  # Excel 2003 XML, sometimes saved as .xls by web apps
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")):
        return "html"
    if _mostly_binary(head) and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary"
    return "text"


def _mostly_binary(head: bytes) -> bool:
    """Control bytes all over (an image, a program: about one byte in ten). A text export with
    a stray NUL or BEL in a cell is still text; the reader drops those characters."""
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)


def open_sheets(path: Path) -> Iterator[RawSheet]:
    """The sheets of ``path``; raises FileProblem when the file cannot be used at all (E-FILE-09
    when it would cost more memory to read than any register export: ``limits``)."""
    try:
        check_file_size(path.stat().st_size)
    except TooLarge as exc:
        raise FileProblem("E-FILE-09", exc.reason) from None
    kind = sniff(path)
    if kind == "empty":
        raise FileProblem("E-FILE-02")
    if kind == "zip":
        yield from _zip_sheets(path)
    elif kind == "ole":
        yield from _ole_sheets(path)
    elif kind == "html":
        yield html_sheet(path)
    elif kind == "xml-spreadsheet":
        raise FileProblem("E-FILE-01", "bảng tính dạng XML 2003, không phải .xlsx")
    elif kind == "text" and path.suffix.lower() in (".csv", ".txt", ".xls"):
        yield csv_sheet(path)
    else:
        raise FileProblem("E-FILE-01", "không phải tệp bảng tính Excel hay CSV")


# --- .xlsx / .xlsm / .ods --------------------------------------------------------------------


def _zip_sheets(path: Path) -> Iterator[RawSheet]:
    try:
        with zipfile.ZipFile(path) as archive:
            check_members(archive)
            names = set(archive.namelist())
            styles = archive.read("xl/styles.xml") if "xl/styles.xml" in names else b""
            legacy = bool(_LEGACY_FONT.search(styles))
            if "xl/workbook.xml" in names:
                check_contents(archive, _members(archive), legacy)
            elif "content.xml" in names:
                check_ods(archive)
    except TooLarge as exc:
        raise FileProblem("E-FILE-09", exc.reason) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, zlib.error,
            etree.XMLSyntaxError):  # fmt: skip
        raise FileProblem("E-FILE-01", "tệp bị hỏng hoặc chưa tải về hết") from None
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        raise FileProblem("E-FILE-01", "tệp nén không chứa sổ Excel")
    if legacy:
        yield from _openpyxl_sheets(path)
    else:
        yield from _calamine_sheets(path)


def _members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part, or none when workbook.xml cannot say (the reader then fails on
    the file and says so)."""
    try:
        return sheet_members(archive)
    except (KeyError, ValueError, etree.XMLSyntaxError):
        return {}


def _calamine_sheets(path: Path) -> Iterator[RawSheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 — calamine raises its own types for broken zip/XML
        raise FileProblem("E-FILE-01", "tệp bị hỏng hoặc chưa tải về hết") from None
    faults = SheetFaults(path)
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart sheets, macro sheets
        sheet = workbook.get_sheet_by_name(meta.name)
        start = sheet.start
        if start is None:
            yield RawSheet(meta.name, [])
            continue
        first_col = start[1]
        merges = [
            (r0, c0 - first_col, r1, c1 - first_col)
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
            if c1 >= first_col
        ]
        # iter_rows yields every row from row 1, and columns from the first used one.
        rows = _with_faults(sheet.iter_rows(), faults.of(meta.name), first_col)
        yield RawSheet(meta.name, rows, merges)


def _with_faults(rows: Iterable[list], faults: dict, first_col: int) -> Iterator[list]:
    """The rows with each faulty cell (calamine reads it as empty) replaced by its CellFault."""
    if not faults:
        yield from rows
        return
    for index, row in enumerate(rows):
        found = faults.get(index)
        if found:
            row = list(row)
            for col, fault in found.items():
                if 0 <= col - first_col < len(row):
                    row[col - first_col] = fault
        yield row


def _openpyxl_sheets(path: Path) -> Iterator[RawSheet]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, data_only=True)
    for sheet in workbook.worksheets:
        merges = [
            (r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
            for r in sheet.merged_cells.ranges
        ]
        raw = RawSheet(sheet.title, [], merges)
        raw.rows = _font_rows(sheet, raw.converted)
        yield raw


def _font_rows(sheet, converted: set[str]) -> Iterator[list]:
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            value = cell.value
            if cell.data_type == "e":
                value = CellFault("E-CELL-03", str(value))
            if isinstance(value, str) and not value.isascii():
                encoding, upper = legacy.font_encoding(cell.font.name if cell.font else "")
                new = legacy.convert(value, encoding, upper) if encoding else value
                if new != value:
                    converted.add(encoding)
                value = new
            values.append("" if value is None else value)
        yield values


# --- .xls (BIFF) ------------------------------------------------------------------------------


def _is_encrypted_ole(path: Path) -> bool:
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return any(m.find(marker) != -1 for marker in _ENCRYPTED_MARKERS)


def _ole_sheets(path: Path) -> Iterator[RawSheet]:
    import xlrd

    if _is_encrypted_ole(path):
        raise FileProblem("E-FILE-03")
    try:
        quiet = io.StringIO()  # xlrd writes its warnings to stdout otherwise
        # ragged rows: a cell at IV65536 costs one cell, not a padded 65,536 × 256 grid
        try:
            book = xlrd.open_workbook(str(path), formatting_info=True, logfile=quiet,
                                      ragged_rows=True)  # fmt: skip
        except NotImplementedError:
            book = xlrd.open_workbook(str(path), logfile=quiet, ragged_rows=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise FileProblem("E-FILE-03") from None
        raise FileProblem("E-FILE-01", "không phải tệp Excel .xls hợp lệ") from None
    except (OSError, ValueError, IndexError, AssertionError, KeyError):
        raise FileProblem("E-FILE-01", "tệp .xls bị hỏng") from None
    faults = xls_formula_faults(_workbook_stream(path))
    for sheet in book.sheets():
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        try:
            check_merges(sheet.name, merges, sheet.nrows, sheet.ncols)
        except TooLarge as exc:
            raise FileProblem("E-FILE-09", exc.reason) from None
        raw = RawSheet(sheet.name, [], merges)
        raw.rows = _xls_rows(book, sheet, raw.converted, faults.get(sheet.name, {}))
        yield raw


def _workbook_stream(path: Path) -> bytes:
    """The BIFF Workbook stream of an .xls (b"" when it cannot be found)."""
    from xlrd import compdoc

    try:
        document = compdoc.CompDoc(path.read_bytes(), logfile=io.StringIO())
        for name in ("Workbook", "Book"):
            memory, base, size = document.locate_named_stream(name)
            if memory is not None:
                return bytes(memory[base : base + size])
    except (compdoc.CompDocError, OSError, ValueError, IndexError, struct.error):
        pass
    return b""


def _xls_value(book, cell):
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return CellFault("E-CELL-03", xlrd.error_text_from_code.get(cell.value, "#?"))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


def _xls_font(book, cell) -> str:
    try:
        return book.font_list[book.xf_list[cell.xf_index].font_index].name
    except (IndexError, AttributeError, TypeError):
        return ""


def _xls_rows(book, sheet, converted: set[str], faults: dict) -> Iterator[list]:
    for index in range(sheet.nrows):
        values = []
        found = faults.get(index, {})
        for col, cell in enumerate(sheet.row(index)):
            value = found.get(col) or _xls_value(book, cell)
            if isinstance(value, str) and not value.isascii() and book.font_list:
                encoding, upper = legacy.font_encoding(_xls_font(book, cell))
                new = legacy.convert(value, encoding, upper) if encoding else value
                if new != value:
                    converted.add(encoding)
                value = new
            values.append(value)
        yield values
