"""The report's look for what the analyst writes: headings, body paragraphs, fonts.

Shared by the Word skeleton the analyst fills (``skeleton``) and the composition of what she wrote
into the report (``compose``): her headings map onto the report's, styled here, and whatever fonts
her document used become the report's (Times New Roman for every script), except symbol fonts.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .document import BODY_PT, FONT
from .wordnarrative import INSTRUCTION_STYLE

SYMBOL_FONTS = ("symbol", "wingdings", "webdings", "zapf dingbats")
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Heading n: bold, the first two like the report's own headings (I. bold; 1. bold italic)
HEADING_LOOKS = {1: (True, False), 2: (True, True), 3: (False, True), 4: (False, True)}


def heading_styles(doc) -> None:
    """Heading 1-4 in the report's font, size and black (the default template's are blue
    Calibri), and kept with the paragraph that follows."""
    for level, (bold, italic) in HEADING_LOOKS.items():
        style = doc.styles[f"Heading {level}"]
        font = style.font
        font.name, font.size, font.bold, font.italic = FONT, Pt(BODY_PT), bold, italic
        font.color.rgb = RGBColor(0, 0, 0)
        force_fonts(style.element)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(6), Pt(6), True


def instruction_style(doc):
    """The skeleton's explanations: small grey italic, never composed into the report."""
    if INSTRUCTION_STYLE not in [s.name for s in doc.styles]:
        style = doc.styles.add_style(INSTRUCTION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size, style.font.italic = Pt(12), True
        style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        style.paragraph_format.space_after = Pt(4)
    return doc.styles[INSTRUCTION_STYLE]


def force_fonts(element) -> None:
    """Every w:rFonts under ``element`` (itself included) set to the report's font for every
    script, theme fonts dropped; symbol fonts (bullets, ticks) are left as they are."""
    found = list(element.iter(qn("w:rFonts")))
    for fonts in found:
        named = {fonts.get(qn(a), "").lower() for a in ("w:ascii", "w:hAnsi")}
        if any(name.startswith(SYMBOL_FONTS) for name in named if name):
            continue
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)


def force_run_fonts(element) -> None:
    """Runs without fonts of their own get the report's too (their style may name another)."""
    for rpr in element.iter(qn("w:rPr")):
        if rpr.find(qn("w:rFonts")) is None and rpr.getparent().tag == qn("w:r"):
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
    force_fonts(element)


def style_fonts(doc) -> None:
    """Every style of the document in the report's font (styles an analyst's document brought
    with it, such as "List Paragraph" or "Footnote Text", included)."""
    for style in doc.styles.element.iterchildren(qn("w:style")):
        force_fonts(style)
