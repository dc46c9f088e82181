"""Build Word templates the way offices make them: python-docx for the text and tables, raw
field XML for Word's mail-merge fields (as Word writes them: begin/instruction/separate/result/
end runs, or w:fldSimple), footnotes, bound content controls. No third-party template file.

    doc = blank()
    add(doc, paragraph("Kính gửi: ", merge("kinh_gui")))
    add(doc, paragraph("Cháu ", if_field(merge("gioi_tinh_tre"), "=", '"Nam"', '"trai"', '"gái"')))
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W = nsdecls("w")
CORE_TITLE_BINDING = (
    "<w:dataBinding w:prefixMappings=\"xmlns:ns0='http://purl.org/dc/elements/1.1/' "
    "xmlns:ns1='http://schemas.openxmlformats.org/package/2006/metadata/core-properties'\" "
    'w:xpath="/ns1:coreProperties[1]/ns0:title[1]" '
    'w:storeItemID="{6C3C8BC8-F283-45AE-878A-BAB7291924A1}"/>'
)


@dataclass
class Xml:
    """A piece of run-level XML (a field, a run) to put in a paragraph as it is."""

    xml: str


def run(text: str, bold: bool = False, italic: bool = False) -> Xml:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return Xml(f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def _char(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def _instr(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{escape(text)}</w:instrText></w:r>'


def field(*parts: str | Xml, shown: str = "") -> Xml:
    """A complex field; ``parts`` are instruction text or nested fields, in order."""
    inner = "".join(p.xml if isinstance(p, Xml) else _instr(p) for p in parts)
    result = run(shown).xml if shown else ""
    return Xml(_char("begin") + inner + _char("separate") + result + _char("end"))


def merge(name: str, switches: str = "", shown: str | None = None, simple=False) -> Xml:
    """A MERGEFIELD as Word inserts it (Insert Merge Field): «name» as its cached result."""
    written = f'"{name}"' if " " in name else name
    instruction = f" MERGEFIELD {written} {switches} \\* MERGEFORMAT ".replace("  ", " ")
    shown = f"«{name}»" if shown is None else shown
    if simple:
        return Xml(
            f'<w:fldSimple w:instr="{escape(instruction, {chr(34): "&quot;"})}">'
            f"{run(shown).xml}</w:fldSimple>"
        )
    return field(instruction, shown=shown)


def if_field(left, operator: str, right, true, false=None, switches="", shown="") -> Xml:
    """Word's Rules › If…Then…Else: { IF left op right "true" "false" }; each operand is text
    (quotes included when wanted) or a field, or a list of both."""
    parts: list = [" IF "]
    for piece in (left, f" {operator} ", right, " ", true, " ", false, f" {switches} "):
        if piece is None:
            continue
        parts += piece if isinstance(piece, list) else [piece]
    return field(*parts, shown=shown)


def paragraph(*pieces: str | Xml) -> str:
    inner = "".join(p.xml if isinstance(p, Xml) else run(p).xml for p in pieces)
    return f"<w:p {W}>{inner}</w:p>"


def blank() -> Document:
    return Document()


def add(doc: Document, xml: str) -> None:
    """Append a raw paragraph or table before the body's final section properties."""
    doc.element.body.sectPr.addprevious(parse_xml(xml))


def lines(doc: Document, *texts: str) -> Document:
    for text in texts:
        doc.add_paragraph(text)
    return doc


def table(doc: Document, rows: list[list[str]], width_twips: int = 2000) -> None:
    """A bordered table; rows may be shorter than the grid (a {% colspan %} cell)."""
    columns = max(len(row) for row in rows)
    grid = "".join(f'<w:gridCol w:w="{width_twips}"/>' for _ in range(columns))
    cell = '<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{p}</w:tc>'
    body = "".join(
        "<w:tr>"
        + "".join(cell.format(w=width_twips, p=paragraph(text)) for text in row)
        + "</w:tr>"
        for row in rows
    )
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    add(
        doc,
        f'<w:tbl {W}><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}'
        f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>",
    )


def footnote(doc: Document, anchor: str, note: str, kind: str = "footnote") -> None:
    """A paragraph ``anchor`` with a footnote (``kind="endnote"``: an endnote) whose text is
    ``note``."""
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s {W}>'
        f'{separators}<w:{kind} w:id="1"><w:p><w:r><w:t xml:space="preserve">{escape(note)}'
        f"</w:t></w:r></w:p></w:{kind}></w:{kind}s>"
    )
    types = {
        "footnote": (CT.WML_FOOTNOTES, RT.FOOTNOTES),
        "endnote": (CT.WML_ENDNOTES, RT.ENDNOTES),
    }
    content_type, relation = types[kind]
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode(), doc.part.package)
    doc.part.relate_to(part, relation)
    reference = (
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Reference w:id="1"/></w:r>'
    )
    add(doc, paragraph(anchor, Xml(reference)))


def text_box(*texts: str) -> str:
    """A paragraph holding a text box (Insert › Text Box; VML, as Word writes its fallback)
    whose paragraphs are ``texts``."""
    inner = "".join(paragraph(text) for text in texts)
    return (
        f'<w:p {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict>'
        '<v:shape style="width:300pt;height:60pt" type="#_x0000_t202"><v:textbox>'
        f"<w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
    )


def content_control(text: str, alias: str = "Người nhận") -> str:
    """A plain-text content control (Developer › Plain Text Content Control) around a paragraph."""
    return (
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="{alias}"/><w:text/></w:sdtPr>'
        f"<w:sdtContent>{paragraph(text)}</w:sdtContent></w:sdt>"
    )


def edit_package(path, name: str, change) -> None:
    """Rewrite the part ``name`` of a saved .docx as ``change(text)`` (a part not yet there
    gets ``change("")``), the other parts unchanged."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    parts[name] = change(parts.get(name, b"").decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)


CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def custom_property(path, name: str, value: str, **more: str) -> None:
    """Custom document properties (File › Info › Properties › Advanced › Custom) in a saved
    .docx — ``name``: ``value``, and ``more`` — docProps/custom.xml, its content type and its
    package relationship."""
    properties = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
        f'name="{escape(key)}"><vt:lpwstr>{escape(text)}</vt:lpwstr></property>'
        for pid, (key, text) in enumerate({name: value, **more}.items(), start=2)
    )
    edit_package(
        path,
        "docProps/custom.xml",
        lambda _: (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{CUSTOM}"'
            ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"{properties}</Properties>"
        ),
    )
    edit_package(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "</Types>",
            f'<Override PartName="/docProps/custom.xml" ContentType="{CT.OFC_CUSTOM_PROPERTIES}"/>'
            "</Types>",
        ),
    )
    edit_package(
        path,
        "_rels/.rels",
        lambda xml: xml.replace(
            "</Relationships>",
            f'<Relationship Id="rIdCustom1" Type="{RT.CUSTOM_PROPERTIES}" '
            'Target="docProps/custom.xml"/></Relationships>',
        ),
    )


def bound_title(doc: Document, cached: str) -> None:
    """A content control showing the document's Title property (Insert › Quick Parts ›
    Document Property › Title), its cached text ``cached``."""
    add(
        doc,
        f'<w:p {W}><w:sdt><w:sdtPr><w:alias w:val="Title"/>{CORE_TITLE_BINDING}'
        f"<w:text/></w:sdtPr><w:sdtContent>{run(cached).xml}</w:sdtContent></w:sdt></w:p>",
    )
