"""A minimal .xlsx writer for inputs too large for openpyxl to write quickly (the 100,000-row
export: 2 s here, 20 s with openpyxl): one sheet, inline strings, dates as numbers with a date
format, rows streamed into the zip. It also crafts what no spreadsheet program writes: a cell at
the last column and row, a ``<dimension>`` that lies, a shared-strings table declaring billions
of strings, a sheet named with control characters, a zip part whose declared size lies."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

FIXED_TIME = (2024, 10, 1, 0, 0, 0)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    f'org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    f'spreadsheetml/2006/main" xmlns:r="{_REL}"><sheets><sheet name="{{name}}" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    f'org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
    f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>'
    '</fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders '
    'count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2">'
    '<xf/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
)
_EPOCH = date(1899, 12, 30)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value) -> str:
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def _sheet_chunks(rows, extra: dict | None = None, dimension: str = "", padding: int = 0,
                  merges: list[str] | None = None):  # fmt: skip
    yield ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
           '.org/spreadsheetml/2006/main">')  # fmt: skip
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    number = 0
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            _cell(f"{_column(col)}{number}", value)
            for col, value in enumerate(row)
            if value is not None and value != ""
        )
        yield f'<row r="{number}">{cells}</row>'
    for ref, value in sorted((extra or {}).items(), key=lambda kv: _row_of(kv[0])):
        yield f'<row r="{_row_of(ref)}">{_cell(ref, value)}</row>'
    block = " " * (1 << 20)
    for _ in range(padding // len(block)):  # blanks between the elements: valid XML
        yield block
    yield "</sheetData>"
    if merges:
        yield f'<mergeCells count="{len(merges)}">'
        for start in range(0, len(merges), 10_000):
            yield "".join(f'<mergeCell ref="{ref}"/>' for ref in merges[start : start + 10_000])
        yield "</mergeCells>"
    yield "</worksheet>"


def _row_of(ref: str) -> int:
    return int("".join(c for c in ref if c.isdigit()))


def write_raw_xlsx(path: Path, rows, *, sheet_name: str = "KS", extra: dict | None = None,
                   dimension: str = "", parts: dict | None = None, stream: bool = True,
                   padding: int = 0, merges: list[str] | None = None) -> None:  # fmt: skip
    """A minimal .xlsx with one sheet, streaming ``rows`` (str, int, float, date); ``extra``
    {"XFD8000": value} cells after them; ``dimension`` a ``<dimension ref>``; ``padding`` bytes
    of blanks in the sheet (a zip bomb: they compress a thousand times); ``parts`` more
    zip members {name: text} (e.g. a shared-strings table); ``merges`` merged ranges ("A8:A1048576"). ``sheet_name`` goes into the XML
    as given (escape it yourself: "&#x1b;" is how a control character would come). Without
    ``stream`` the sheet is one plain member (no zip64 header), so ``declare_size`` can lie
    about it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        members = {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _ROOT_RELS,
                   "xl/workbook.xml": _WORKBOOK.replace("{name}", sheet_name),
                   "xl/styles.xml": _STYLES, "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
                   **(parts or {})}  # fmt: skip
        for name, text in members.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), text)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        if not stream:
            archive.writestr(info, "".join(_sheet_chunks(rows, extra, dimension, padding, merges)))
            return
        with archive.open(info, "w", force_zip64=True) as sheet:
            for chunk in _sheet_chunks(rows, extra, dimension, padding, merges):
                sheet.write(chunk.encode("utf-8"))


def declare_size(path: Path, member: str, size: int) -> None:
    """Make the zip say ``member`` inflates to ``size`` bytes (local and central headers),
    whatever it really holds: the lie a zip bomb or a damaged download tells."""
    data = bytearray(Path(path).read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_length] == member.encode():
            data[central + 24 : central + 28] = size.to_bytes(4, "little")
            break
        central = data.find(b"PK\x01\x02", central + 4)
    Path(path).write_bytes(bytes(data))
