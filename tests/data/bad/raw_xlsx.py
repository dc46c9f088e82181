"""A minimal .xlsx writer for inputs too large for openpyxl to write quickly (the 100,000-row
export: 2 s here, 20 s with openpyxl): one sheet "KS", inline strings, dates as numbers with a
date format, rows streamed into the zip."""

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
    f'spreadsheetml/2006/main" xmlns:r="{_REL}"><sheets><sheet name="KS" sheetId="1" '
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


def _sheet_chunks(rows):
    yield ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
           '.org/spreadsheetml/2006/main"><sheetData>')  # fmt: skip
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            _cell(f"{_column(col)}{number}", value)
            for col, value in enumerate(row)
            if value is not None and value != ""
        )
        yield f'<row r="{number}">{cells}</row>'
    yield "</sheetData></worksheet>"


def write_raw_xlsx(path: Path, rows) -> None:
    """A minimal .xlsx with one sheet "KS", streaming ``rows`` (str, int, float, date)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/styles.xml", _STYLES),
                           ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)):  # fmt: skip
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), text)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as sheet:
            for chunk in _sheet_chunks(rows):
                sheet.write(chunk.encode("utf-8"))
