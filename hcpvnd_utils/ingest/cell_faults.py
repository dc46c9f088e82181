"""Cells of an .xlsx or .xls that look empty to a fast reader but are not: formulas saved without
their result, and Excel error values (#N/A, #REF!…).

Excel always saves a formula's last result next to it; files written by other programs (the
register software's own export, openpyxl) often save the formula alone. python-calamine then
reads such a cell as empty, which would make a date "missing" or silently drop an address. The
sheet XML is scanned for them, only when a quick look at its bytes finds a formula or an error
at all, so ordinary exports cost one pass of decompression and a regular-expression search.

An .xls (BIFF8) keeps a formula's result in its FORMULA record; libraries such as xlwt save a
"blank" result there, and a text result whose STRING record is missing means the same. xlrd reads
both as an empty cell, so ``xls_formula_faults`` walks the records for them.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

# A formula element (<f>, <f t="shared" …/>, <x:f>) or an error cell (t="e"); plain substring
# searches, ten times faster than a regular expression over a large sheet.
_HINTS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b't="e"', b"t='e'")
_CHUNK = 1 << 20
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
Faults = dict[int, dict[int, "CellFault"]]  # 0-based row -> 0-based column -> fault


@dataclass(frozen=True)
class CellFault:
    """A cell that holds no usable value where Excel would show one. The row reader turns it
    into a problem on its row; it is never read as an empty cell."""

    code: str  # E-CELL-02: formula without a saved result; E-CELL-03: error value
    text: str = ""  # the error as Excel shows it ("#N/A")


class SheetFaults:
    """The faulty cells of each sheet of one workbook, found on demand. Never raises: a
    workbook whose parts cannot be scanned is read as the fast reader sees it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            with zipfile.ZipFile(self.path) as archive:
                self.members = sheet_members(archive)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
            self.members = {}

    def of(self, sheet: str) -> Faults:
        member = self.members.get(sheet)
        if not member:
            return {}
        try:
            with zipfile.ZipFile(self.path) as archive:
                if not _may_have_faults(archive, member):
                    return {}
                return _faulty_cells(archive, member)
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile,
                etree.XMLSyntaxError):  # fmt: skip
            return {}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML (from workbook.xml and its relationships)."""
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels if _local(rel.tag) == "Relationship"
    }
    members = {}
    for element in etree.fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rel_id, "")
        if target:
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            members[element.get("name", "")] = posixpath.normpath(member)
    return members


def _may_have_faults(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(hint in window for hint in _HINTS):
                return True
            tail = chunk[-16:]
    return False


def _position(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """0-based (row, column) of a cell from its reference ("C4"), or the next one when the
    writer left the reference out."""
    match = _CELL_REF.fullmatch(ref or "")
    if not match:
        return row, col + 1
    index = 0
    for letter in match[1]:
        index = index * 26 + ord(letter) - 64
    return int(match[2]) - 1, index - 1


def _fault(cell) -> CellFault | None:
    children = {_local(child.tag): child for child in cell}
    value = children.get("v")
    text = value.text if value is not None else None
    if cell.get("t") == "e":
        return CellFault("E-CELL-03", text or "#?")
    if "f" in children and not text and cell.get("t") not in ("str", "inlineStr"):
        return CellFault("E-CELL-02")  # a "str" formula with an empty result is a real ""
    return None


def _faulty_cells(archive: zipfile.ZipFile, member: str) -> Faults:
    faults: Faults = {}
    row, col = -1, -1
    with archive.open(member) as stream:
        for event, element in etree.iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == "row":
                    row = int(element.get("r") or row + 2) - 1
                    col = -1
                continue
            if name == "c":
                row, col = _position(element.get("r"), row, col)
                if fault := _fault(element):
                    faults.setdefault(row, {})[col] = fault
                element.clear()
            elif name == "row":
                element.clear()
    return faults


# --- .xls (BIFF8) ------------------------------------------------------------------------------

_FORMULA, _STRING, _BOUNDSHEET, _EOF = 0x0006, 0x0207, 0x0085, 0x000A
_FORMULA_RESULT_KINDS = {3: "blank", 0: "text"}  # under the 0xFFFF marker


def xls_formula_faults(stream: bytes) -> dict[str, Faults]:
    """Sheet name -> its formulas without a saved result, from a BIFF8 Workbook stream. Never
    raises: a stream it cannot walk has none."""
    try:
        return {
            name: faults
            for name, offset in _bound_sheets(stream)
            if (faults := _sheet_formula_faults(stream, offset))
        }
    except (struct.error, IndexError, UnicodeDecodeError):
        return {}


def _records(stream: bytes, position: int):
    while position + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + size]
        if kind == _EOF:
            return
        position += 4 + size


def _bound_sheets(stream: bytes) -> list[tuple[str, int]]:
    sheets = []
    for kind, body in _records(stream, 0):
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset, count, flags = struct.unpack_from("<I2xBB", body)
            text = body[8 : 8 + count * (2 if flags & 1 else 1)]
            sheets.append((text.decode("utf-16-le" if flags & 1 else "latin-1"), offset))
    return sheets


def _sheet_formula_faults(stream: bytes, offset: int) -> Faults:
    faults: Faults = {}
    records = list(_records(stream, offset))
    for index, (kind, body) in enumerate(records):
        if kind != _FORMULA or len(body) < 14 or body[12:14] != b"\xff\xff":
            continue
        row, col = struct.unpack_from("<HH", body)
        result = _FORMULA_RESULT_KINDS.get(body[6])
        following = records[index + 1] if index + 1 < len(records) else (None, b"")
        missing_text = result == "text" and (following[0] != _STRING or len(following[1]) <= 3)
        if result == "blank" or missing_text:
            faults.setdefault(row, {})[col] = CellFault("E-CELL-02")
    return faults
