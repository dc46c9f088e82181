"""A minimal BIFF8 .xls writer for the hostile corpus: the cases no spreadsheet program writes on
purpose (a formula saved without its result, as xlwt and other libraries save it; a cell at the
last row and column of a sheet). One sheet; text as LABEL records, numbers as NUMBER, formulas
with the result the caller asks for. Wrapped in the OLE2 container of make_fixtures._cfb."""

from __future__ import annotations

import struct
from pathlib import Path

# result of a FORMULA record (8 bytes): xlwt writes "blank string" (type 3 under 0xFFFF)
BLANK_RESULT = struct.pack("<BBBBBBH", 3, 0, 0, 0, 0, 0, 0xFFFF)
STRING_RESULT = struct.pack("<BBBBBBH", 0, 0, 0, 0, 0, 0, 0xFFFF)  # a STRING record follows
_RPN = struct.pack("<HBH", 3, 0x1E, 1)  # =1 (ptgInt): the formula itself is never evaluated


class Formula:
    """A formula cell: ``result`` is BLANK_RESULT (no result saved), STRING_RESULT with
    ``text`` (a saved text result; None: the STRING record is missing) or a number."""

    def __init__(self, result=BLANK_RESULT, text: str | None = None):
        self.result, self.text = result, text


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _unicode(text: str, length_bytes: int = 2) -> bytes:
    encoded = text.encode("utf-16-le")
    head = struct.pack("<H" if length_bytes == 2 else "<B", len(text))
    return head + b"\x01" + encoded


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _globals(sheet_name: str, sheet_offset: int) -> bytes:
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _unicode("Arial", 1)
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    parts = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200))]
    parts += [_record(0x0031, font)] * 5
    parts += [_record(0x00E0, xf)] * 15 + [_record(0x00E0, cell_xf)]
    parts.append(_record(0x0085, struct.pack("<IBB", sheet_offset, 0, 0) + _unicode(sheet_name, 1)))
    parts.append(_record(0x000A, b""))
    return b"".join(parts)


def _cell(row: int, col: int, value) -> bytes:
    where = struct.pack("<HHH", row, col, 15)
    if isinstance(value, Formula):
        result = (
            value.result if isinstance(value.result, bytes) else struct.pack("<d", value.result)
        )
        data = _record(0x0006, where + result + struct.pack("<HI", 0, 0) + _RPN)
        if value.text is not None:
            data += _record(0x0207, _unicode(value.text))
        return data
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _record(0x0203, where + struct.pack("<d", float(value)))
    return _record(0x0204, where + _unicode(str(value)))


def _merged(merges: list[tuple[int, int, int, int]]) -> bytes:
    """MERGEDCELLS records (0x00E5): (first row, last row, first col, last col), 0-based,
    at most 1,026 a record."""
    records = b""
    for start in range(0, len(merges), 1026):
        part = merges[start : start + 1026]
        data = struct.pack("<H", len(part)) + b"".join(struct.pack("<HHHH", *m) for m in part)
        records += _record(0x00E5, data)
    return records


def _sheet(cells: dict[tuple[int, int], object], merges=()) -> bytes:
    rows = [r for r, _ in cells] or [0]
    cols = [c for _, c in cells] or [0]
    dimensions = struct.pack("<IIHHH", min(rows), max(rows) + 1, min(cols), max(cols) + 1, 0)
    body = b"".join(_cell(r, c, v) for (r, c), v in sorted(cells.items()))
    end = _merged(list(merges)) + _record(0x000A, b"")
    return _bof(0x0010) + _record(0x0200, dimensions) + body + end


def workbook_stream(cells: dict[tuple[int, int], object], sheet_name: str = "KS",
                    merges=()) -> bytes:  # fmt: skip
    """The BIFF8 Workbook stream: globals, then the one sheet (0-based (row, col) -> value;
    ``merges`` (first row, last row, first col, last col))."""
    size = len(_globals(sheet_name, 0))
    stream = _globals(sheet_name, size) + _sheet(cells, merges)
    padded = max(4096, -(-len(stream) // 512) * 512)  # a regular (not mini) stream, whole sectors
    return stream.ljust(padded, b"\x00")


def write_raw_xls(path: Path, rows: list[list], cfb, extra: dict | None = None) -> None:
    """Rows (first row = Excel row 1) and ``extra`` {(row, col): value} cells, as an .xls;
    ``cfb``: make_fixtures._cfb."""
    cells = {
        (r, c): value
        for r, row in enumerate(rows)
        for c, value in enumerate(row)
        if value is not None and value != ""
    }
    cells.update(extra or {})
    Path(path).write_bytes(cfb({"Workbook": workbook_stream(cells), "Padding": b""}))
