"""A minimal .ods writer (one table) for the hostile corpus: an ordinary register as
LibreOffice saves it (its empty rows and columns to the sheet's edge written as repeats),
and what no spreadsheet program writes — a cell or a row with a value repeated over
millions of cells, a content part that inflates to hundreds of MB."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

FIXED_TIME = (2024, 10, 1, 0, 0, 0)
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:'
    'tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
    f'manifest:full-path="/" manifest:media-type="{_MIMETYPE}"/><manifest:file-entry '
    'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
# what LibreOffice writes after the last used row: every row and column to the sheet's edge
EDGE_ROWS = (
    '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
    'table:number-columns-repeated="16384"/></table:table-row>'
)


def cell(value, repeated: int = 1) -> str:
    """One cell (str, int, float or date; "" or None: an empty one), ``repeated`` times."""
    times = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    if value is None or value == "":
        return f"<table:table-cell{times}/>"
    if isinstance(value, date):
        kind = f'office:value-type="date" office:date-value="{value.isoformat()}"'
        shown = value.strftime("%d/%m/%Y")
    elif isinstance(value, (int, float)):
        kind, shown = f'office:value-type="float" office:value="{value}"', str(value)
    else:
        kind, shown = 'office:value-type="string"', escape(str(value))
    return f"<table:table-cell{times} {kind}><text:p>{shown}</text:p></table:table-cell>"


def row(cells: str, repeated: int = 1) -> str:
    times = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{times}>{cells}</table:table-row>"


def table_rows(rows: list[list], edge: bool = True) -> str:
    """Rows of values; ``edge``: each row's empty cells to column XFD, as LibreOffice writes."""
    written = []
    for values in rows:
        cells = "".join(cell(v) for v in values)
        if edge:
            cells += cell("", 16384 - len(values))
        written.append(row(cells))
    return "".join(written)


def write_raw_ods(path: Path, body: str, *, sheet_name: str = "KS", padding: int = 0,
                  stream: bool = True) -> None:  # fmt: skip
    """An .ods whose one table holds ``body`` (table rows: ``table_rows``, ``row``, ``cell``);
    ``padding`` bytes of blanks after the table (a zip bomb: they compress a thousand times).
    Without ``stream`` content.xml is one plain member, so ``raw_xlsx.declare_size`` can lie
    about it."""
    head = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} '
            'office:version="1.2"><office:body><office:spreadsheet>'
            f'<table:table table:name="{escape(sheet_name)}">{body}</table:table>')  # fmt: skip
    end = "</office:spreadsheet></office:body></office:document-content>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", FIXED_TIME), _MIMETYPE)
        manifest = zipfile.ZipInfo("META-INF/manifest.xml", FIXED_TIME)
        archive.writestr(manifest, _MANIFEST, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("content.xml", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        if not stream:
            archive.writestr(info, head + " " * padding + end)
            return
        with archive.open(info, "w", force_zip64=True) as content:
            content.write(head.encode("utf-8"))
            block = b" " * (1 << 20)
            for _ in range(padding // len(block)):
                content.write(block)
            content.write(end.encode("utf-8"))
