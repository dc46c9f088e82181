"""A template's tracked changes accepted, its comment anchors and mail-merge settings removed.

A clerk who edits a template with Track Changes on leaves deleted text (``w:del``, with its
``w:delText``: a deleted ``{%p if … %}`` is still a tag to jinja) and inserted text wrapped in
``w:ins``; comments leave anchors in the text; a Word mail-merge main document keeps its data
source and query in ``w:mailMerge`` (settings.xml), which makes Word ask to run the query when a
letter opens. Letters are made from the template as Word shows it with every change accepted:
deletions and moved-away text removed, insertions and moved-in text kept as plain text,
formatting changes kept as they are now, no comment anchors, no mail-merge settings.
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# the revision elements (as report/wordfile.py REVISIONS) and comment anchors, by local name
_MARKED = re.compile(
    rb":(?:ins|del|moveFrom|moveTo|moveFromRange(?:Start|End)|moveToRange(?:Start|End)"
    rb"|rPrChange|pPrChange|sectPrChange|tblPrChange|tblGridChange|tcPrChange|trPrChange"
    rb"|tblPrExChange|numberingChange|cellIns|cellDel|cellMerge"
    rb"|commentRangeStart|commentRangeEnd|commentReference)[\s/>]"
)
_WORD_PART = re.compile(r"word/[^/]+\.xml")
_CHANGES = (
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblGridChange", "tcPrChange",
    "trPrChange", "tblPrExChange", "numberingChange", "cellIns", "cellDel", "cellMerge",
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "commentRangeStart", "commentRangeEnd",
)  # fmt: skip


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def clean_parts(parts: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], bool]:
    """Every part with its changes accepted and comment anchors removed, settings without
    ``w:mailMerge``; and whether the template held tracked changes or comments."""
    cleaned, revised = [], False
    merge = any(n == "word/settings.xml" and b"mailMerge" in d for n, d in parts)
    for name, data in parts:
        if merge and name == "word/settings.xml":
            data = _without_mail_merge(data)
        elif merge and name == "word/_rels/settings.xml.rels":
            data = _without_merge_sources(data)
        elif _WORD_PART.fullmatch(name) and name != "word/comments.xml" and _MARKED.search(data):
            try:
                root = etree.fromstring(data)
            except etree.XMLSyntaxError:
                cleaned.append((name, data))  # the compile step says the part is broken
                continue
            if accept(root):
                revised = True
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        cleaned.append((name, data))
    return cleaned, revised


def _without_merge_sources(data: bytes) -> bytes:
    """settings.xml's relationships without the mail merge's data source (a path on the
    clerk's computer)."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return data
    for relationship in list(root):
        if "mailMerge" in relationship.get("Type", ""):
            root.remove(relationship)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_mail_merge(data: bytes) -> bytes:
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return data
    found = root.findall(_w("mailMerge"))
    for element in found:
        root.remove(element)
    if not found:
        return data
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def accept(root) -> bool:
    """Accept every tracked change under ``root`` and remove comment anchors, in place;
    whether anything was changed."""
    changed = False
    for tag in ("del", "moveFrom", "ins", "moveTo"):
        for element in list(root.iter(_w(tag))):
            changed = True
            parent = element.getparent()
            if parent is None:
                continue
            if parent.tag == _w("trPr"):  # a whole row inserted or deleted
                row = parent.getparent()
                if tag in ("del", "moveFrom") and row is not None and row.getparent() is not None:
                    row.getparent().remove(row)
                else:
                    parent.remove(element)
            elif parent.tag == _w("rPr"):  # a paragraph mark (or a run's mark) inserted/deleted
                parent.remove(element)
                if tag in ("del", "moveFrom"):
                    _merge_with_next(parent)
            elif tag in ("del", "moveFrom"):
                parent.remove(element)
            else:
                _unwrap(element)
    for tag in _CHANGES:
        for element in list(root.iter(_w(tag))):
            changed = True
            element.getparent().remove(element)
    for reference in list(root.iter(_w("commentReference"))):
        changed = True
        run = reference.getparent()
        if run.tag == _w("r") and all(
            child.tag in (_w("rPr"), _w("commentReference")) for child in run
        ):
            run.getparent().remove(run)
        else:
            run.remove(reference)
    return changed


def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _merge_with_next(rpr) -> None:
    """A deleted paragraph mark: the paragraph's remaining content joins the next paragraph."""
    ppr = rpr.getparent()
    paragraph = ppr.getparent() if ppr is not None and ppr.tag == _w("pPr") else None
    if paragraph is None or paragraph.tag != _w("p"):
        return
    following = paragraph.getnext()
    if following is None or following.tag != _w("p"):
        return  # the last paragraph of its cell or body keeps its mark
    content = [child for child in paragraph if child.tag != _w("pPr")]
    anchor = following.find(_w("pPr"))
    index = 0 if anchor is None else following.index(anchor) + 1
    for offset, child in enumerate(content):
        following.insert(index + offset, child)
    paragraph.getparent().remove(paragraph)
