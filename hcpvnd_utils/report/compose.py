"""The analyst's Word content composed into the report with docxcompose.

Each section she wrote goes where the report left its anchor (``document.anchor_paragraph``),
after the figures of its part, through docxcompose's ``Composer.insert``: her styles are mapped
by name onto the report's (no "Heading 1 (2)"), and her numbering, pictures, footnotes and tables
come with it. Then the report's own rules: every numbered list restarts in its section, pictures
and tables wider than the text are scaled to it, plain paragraphs get the report's body layout
(justified, first line indented 1 cm, 6 pt after) and size (14 pt) unless she set an alignment,
and every font becomes the report's (Times New Roman), symbol fonts aside.
"""

from __future__ import annotations

import unicodedata
from copy import deepcopy

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docxcompose.composer import Composer

from .data import ReportError
from .document import ANCHOR, TEXT_WIDTH_CM
from .styles import force_run_fonts, heading_styles, style_fonts
from .wordfile import xpath
from .wordnarrative import INSTRUCTION_STYLE, Piece, text_of

EMU_PER_CM, TWIPS_PER_CM = 360000, 567
BODY_SIZES = ("26", "28")  # half-points: 13 and 14 pt, Decree 30's body sizes


def compose_sections(doc, narrative) -> None:
    """Every section written in Word at its anchor; the opening ("can_cu") joined with the
    report's first sentence when it ends with a comma, as in the YAML narrative."""
    for key, piece in narrative.pieces.items():
        anchor = find_anchor(doc, key)
        if anchor is None:
            continue
        inserted = insert_piece(doc, piece, anchor, TEXT_WIDTH_CM)
        follower = anchor.getnext()
        anchor.getparent().remove(anchor)
        if key == "can_cu" and inserted:
            _join_opening(inserted[-1], follower)


def find_anchor(doc, key: str):
    marks = xpath(doc.element.body, f"./w:p[w:bookmarkStart[@w:name='{ANCHOR}{key}']]")
    return marks[0] if marks else None


def insert_piece(doc, piece: Piece, anchor, width_cm: float) -> list:
    """``piece``'s elements inserted before ``anchor`` (an element of the body); returns what
    was inserted, laid out as the report's."""
    target = doc.element.body
    start = target.index(anchor)
    _compose(doc, piece, start)
    inserted = list(target)[start : target.index(anchor)]
    restart_lists(doc, inserted)
    fit_width(inserted, width_cm)
    for element in inserted:
        if element.tag == qn("w:p"):
            _body_look(doc, element)
        force_run_fonts(element)
    if inserted and inserted[-1].tag == qn("w:tbl"):  # a table never touches what follows
        anchor.addprevious(_spacer())
    return inserted


def _compose(doc, piece: Piece, index: int) -> None:
    """docxcompose's insert of the piece alone: the source's body holds only the piece's
    elements (cleaned copies) while it runs, then gets its own back."""
    source = piece.source.document
    _ensure_numbering(source)
    notes = _footnote_ids(source)
    body = source.element.body
    kept = list(body)
    last = body.find(qn("w:sectPr"))
    for child in kept:
        body.remove(child)
    body.extend(_clean(deepcopy(element), notes) for element in piece.elements)
    if last is not None:
        body.append(last)  # docxcompose skips the body's own section properties
    composer = Composer(doc)
    composer.restart_numbering = False  # done after, for every paragraph of a list
    try:
        composer.insert(index, source)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
        detail = f"{type(exc).__name__}: tệp có phần tham chiếu bị hỏng"
        raise ReportError("E-NARR-10", file=piece.source.path, title=piece.title,
                          detail=detail) from None  # fmt: skip
    finally:
        for child in list(body):
            body.remove(child)
        body.extend(kept)


def _spacer():
    return parse_xml(f'<w:p xmlns:w="{_W}"><w:pPr><w:rPr><w:sz w:val="12"/></w:rPr></w:pPr></w:p>')


def _ensure_numbering(source) -> None:
    """A document whose numbering part is missing gets an empty one (python-docx cannot make
    one, and docxcompose asks for it)."""
    if any(r.reltype.endswith("/numbering") for r in source.part.rels.values()):
        return
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.parts.numbering import NumberingPart

    element = parse_xml(f'<w:numbering xmlns:w="{_W}"/>')
    uri = PackURI("/word/numbering.xml")
    part = NumberingPart(uri, CONTENT_TYPE.WML_NUMBERING, element, source.part.package)
    source.part.relate_to(part, RELATIONSHIP_TYPE.NUMBERING)


def _footnote_ids(source) -> set[str]:
    ids = set()
    for rel in source.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            tree = parse_xml(rel.target_part.blob)
            ids |= {n.get(qn("w:id")) for n in tree.iter(qn("w:footnote"))}
    return ids


def _clean(element, notes: set[str]):
    """A section break inside her text would change the report's pages: removed; so is a
    reference to a footnote her file does not have. Her text in NFC; a paragraph left in the
    skeleton's instruction style becomes a plain one."""
    for sect in xpath(element, ".//w:pPr/w:sectPr"):
        sect.getparent().remove(sect)
    for style in xpath(element, f".//w:pStyle[@w:val='{INSTRUCTION_STYLE}']"):
        style.getparent().remove(style)
    for ref in xpath(element, ".//w:footnoteReference"):
        if ref.get(qn("w:id")) not in notes:
            ref.getparent().remove(ref)
    _drop_placeholder_look(element)
    for node in element.iter(qn("w:t")):
        if node.text and not node.text.isascii():
            node.text = unicodedata.normalize("NFC", node.text)
    return element


def _drop_placeholder_look(element) -> None:
    """Text typed over the skeleton's placeholder takes its look (Word keeps the formatting of
    what a selection replaced): yellow highlight and italics would reach the signed report.
    A report has no highlighted text: every highlight goes, and the italics that came with the
    placeholder's yellow."""
    for mark in xpath(element, ".//w:rPr/w:highlight"):
        properties = mark.getparent()
        if mark.get(qn("w:val")) == "yellow":
            for italic in properties.findall(qn("w:i")) + properties.findall(qn("w:iCs")):
                properties.remove(italic)
        properties.remove(mark)


def _join_opening(last, follower) -> None:
    if follower is None or last.tag != qn("w:p") or not text_of(last).rstrip().endswith(","):
        return
    runs = follower.findall(qn("w:r"))
    first_text = runs[0].find(qn("w:t")) if runs else None
    if first_text is None:
        return
    first_text.text = " " + (first_text.text or "")
    first_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    last.extend(runs)
    follower.getparent().remove(follower)


# ---------------------------------------------------------------- lists restart per section


def restart_lists(doc, elements: list) -> None:
    """Each list of the inserted content gets a numbering of its own that starts again (a list
    never continues the count of another section), set on each of its paragraphs."""
    numbering = doc.part.numbering_part.element
    styles = doc.styles.element
    fresh: dict[str, str | None] = {}
    for element in elements:
        for p in element.iter(qn("w:p")):
            num_id, level = _numbering_of(p, styles)
            if num_id in (None, "0"):
                continue
            if num_id not in fresh:
                fresh[num_id] = _restarted(numbering, num_id)
            if fresh[num_id] is not None:
                _set_numbering(p, fresh[num_id], level)


def _numbering_of(p, styles) -> tuple[str | None, str]:
    num_pr = p.find(qn("w:pPr") + "/" + qn("w:numPr"))
    num_id, level = _num_pr(num_pr)
    style = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    depth = 0
    while num_id is None and style is not None and depth < 8:
        element = styles.get_by_id(style.get(qn("w:val")))
        if element is None:
            break
        found, style_level = _num_pr(element.find(qn("w:pPr") + "/" + qn("w:numPr")))
        num_id, level = found, level if num_pr is not None else style_level
        style, depth = element.find(qn("w:basedOn")), depth + 1
    return num_id, level


def _num_pr(num_pr) -> tuple[str | None, str]:
    if num_pr is None:
        return None, "0"
    num_id, level = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        level.get(qn("w:val"), "0") if level is not None else "0",
    )


def _restarted(numbering, num_id: str) -> str | None:
    """A new w:num of the same list definition, every level starting again."""
    nums = numbering.findall(qn("w:num"))
    source = next((n for n in nums if n.get(qn("w:numId")) == num_id), None)
    if source is None:
        return None
    abstract_id = source.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = xpath(numbering, f"./w:abstractNum[@w:abstractNumId='{abstract_id}']")
    starts = {}
    for lvl in abstract[0].findall(qn("w:lvl")) if abstract else []:
        start = lvl.find(qn("w:start"))
        starts[lvl.get(qn("w:ilvl"))] = start.get(qn("w:val")) if start is not None else "1"
    new_id = str(max(int(n.get(qn("w:numId"))) for n in nums) + 1)
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for level, start in sorted(starts.items(), key=lambda kv: int(kv[0]))
    )
    xml = (
        f'<w:num xmlns:w="{_W}" w:numId="{new_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f"{overrides}</w:num>"
    )
    nums[-1].addnext(parse_xml(xml))
    return new_id


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _set_numbering(p, num_id: str, level: str) -> None:
    ppr = p.get_or_add_pPr()
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = int(level)
    num_pr.get_or_add_numId().val = int(num_id)


# ---------------------------------------------------------------- the report's layout


def fit_width(elements: list, width_cm: float) -> None:
    """Inline pictures and tables wider than the text scaled down to it."""
    width_emu, width_twips = int(width_cm * EMU_PER_CM), int(width_cm * TWIPS_PER_CM)
    for element in elements:
        for inline in element.iter(qn("wp:inline")):
            _fit_picture(inline, width_emu)
        if element.tag == qn("w:tbl"):
            _fit_table(element, width_twips)


def _fit_picture(inline, width_emu: int) -> None:
    extent = inline.find(qn("wp:extent"))
    cx = extent.get("cx", "0") if extent is not None else "0"
    if not cx.isdigit() or int(cx) <= width_emu:
        return
    cx = int(cx)
    scale = width_emu / cx
    for ext in (extent, *inline.iter(qn("a:ext"))):
        if (ext.get("cx") or "").isdigit() and (ext.get("cy") or "").isdigit():
            ext.set("cx", str(int(int(ext.get("cx")) * scale)))
            ext.set("cy", str(int(int(ext.get("cy")) * scale)))


def _twips(element) -> int | None:
    value = element.get(qn("w:w"), "0")
    return int(value) if value.isdigit() else None  # "100%", "5000pct": not a width in twips


def _fit_table(table, width_twips: int) -> None:
    columns = table.findall(qn("w:tblGrid") + "/" + qn("w:gridCol"))
    total = sum(_twips(c) or 0 for c in columns)
    if total <= width_twips:
        return
    scale = width_twips / total
    widths = [
        *columns,
        *(w for w in table.iter(qn("w:tcW")) if w.get(qn("w:type"), "dxa") == "dxa"),
        *(w for w in table.iter(qn("w:tblW")) if w.get(qn("w:type")) == "dxa"),
    ]
    for element in widths:
        if _twips(element) is not None:
            element.set(qn("w:w"), str(int(_twips(element) * scale)))


def _body_look(doc, p) -> None:
    """A plain paragraph of hers looks like the report's body; lists and headings keep theirs,
    an alignment, indent or spacing she chose is kept; run sizes other than 13/14 pt become the
    report's 14. Read as XML: LibreOffice writes values python-docx does not know ("start")."""
    for size in xpath(p, "./w:r/w:rPr/w:sz | ./w:r/w:rPr/w:szCs"):
        if size.get(qn("w:val")) not in BODY_SIZES:
            size.getparent().remove(size)
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    if style is not None and style.get(qn("w:val")) != doc.styles["Normal"].style_id:
        return  # a heading, a list, a quote: its style says how it looks
    if _numbering_of(p, doc.styles.element)[0] not in (None, "0"):
        return
    own = {child.tag for child in ppr} if ppr is not None else set()
    spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
    fmt = Paragraph(p, None).paragraph_format
    pictures_only = not text_of(p).strip() and xpath(p, ".//w:drawing | .//w:pict")
    if qn("w:jc") not in own:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if pictures_only else WD_ALIGN_PARAGRAPH.JUSTIFY
    if qn("w:ind") not in own and not pictures_only:
        fmt.first_line_indent = Cm(1.0)
    if spacing is None or spacing.get(qn("w:after")) is None:
        fmt.space_after = Pt(6)
    if spacing is None or spacing.get(qn("w:line")) is None:
        fmt.line_spacing = 1.15


def finish(doc) -> None:
    """The report's heading styles; every style and footnote in the report's font."""
    heading_styles(doc)
    style_fonts(doc)
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            _fonts_in_part(rel.target_part)


def _fonts_in_part(part) -> None:
    if hasattr(part, "element"):  # a part python-docx parsed
        force_run_fonts(part.element)
        return
    tree = parse_xml(part.blob)
    force_run_fonts(tree)
    from docx.opc.oxml import serialize_part_xml

    part._blob = serialize_part_xml(tree)
