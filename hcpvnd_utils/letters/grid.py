"""Table grids after column loops: a table's w:tblGrid follows its widest row.

``{%tc for %}`` repeats a cell, ``{% hm %}`` and ``{% colspan %}`` widen one; the grid written in
the template still lists the template's columns, and LibreOffice then drops the cells beyond
them. As docxtpl's ``fix_tables`` does, the grid gets a column per cell of the widest row
(counting spans), keeping the table's total width: added columns share it, removed ones give
theirs back to the others.
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMESPACES = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def namespaces_of(head: str) -> str:
    """The namespace declarations of a part's root element (to parse a fragment of its body)."""
    return "".join(dict.fromkeys(_NAMESPACES.findall(head)))


def fit_grids(content: str, namespaces: str) -> str:
    """``content`` (the inside of w:body or of a header) with every table's grid fitted."""
    if "<w:tbl" not in content:
        return content
    wrapper = etree.fromstring(f"<w:body{namespaces}>{content}</w:body>")
    changed = False
    for table in wrapper.iter(_w("tbl")):
        changed |= _fit(table)
    if not changed:
        return content
    xml = etree.tostring(wrapper, encoding="unicode")
    return xml[xml.index(">") + 1 : xml.rindex("</w:body>")]


def _span(cell) -> int:
    span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    try:
        return max(int(span.get(_w("val"))), 1) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _fit(table) -> bool:
    grid = table.find(_w("tblGrid"))
    if grid is None:
        return False
    columns = grid.findall(_w("gridCol"))
    rows = [row for row in table.findall(_w("tr"))]
    widest = max((sum(_span(c) for c in row.findall(_w("tc"))) for row in rows), default=0)
    if widest == 0 or widest == len(columns):
        return False
    widths = [_width(c) for c in columns]
    total = sum(widths)
    if widest > len(columns):
        share = total / widest if total else 0
        scale = (total - share * (widest - len(columns))) / total if total else 1
        for column, width in zip(columns, widths):
            column.set(_w("w"), str(int(width * scale)))
        for _ in range(widest - len(columns)):
            etree.SubElement(grid, _w("gridCol")).set(_w("w"), str(int(share)))
    else:
        removed = sum(widths[widest:])
        for column in columns[widest:]:
            grid.remove(column)
        for column, width in zip(columns[:widest], widths):
            column.set(_w("w"), str(int(width + removed / widest)))
    return True


def _width(column) -> float:
    try:
        return float(column.get(_w("w")) or 0)
    except ValueError:
        return 0.0
