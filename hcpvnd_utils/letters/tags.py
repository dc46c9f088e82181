"""docxtpl tags in a template's XML: checked per paragraph, then cleaned for jinja.

Word splits what a clerk types over many runs; docxtpl's ``patch_xml`` joins a tag's pieces and
turns ``{%p %}``, ``{%tr %}``, ``{%tc %}``, ``{%r %}``, ``{% colspan %}``, ``{% cellbg %}``,
``{% hm %}``, ``{% vm %}`` and ``{%- -%}`` into plain jinja around the XML they govern. Its
joining would also run an unclosed tag on into the next paragraphs and swallow them, so first,
on the document tree:

- every tag must open and close in one paragraph, and no ``{`` or ``}`` may stand outside a tag
  (``{{ kinh_gui }`` or ``{ kinh_gui }}`` is refused, naming the paragraph) — in every part a
  letter is made of: body, headers, footers, footnotes, endnotes, the text boxes and shapes in
  any of them, content controls, and the document properties (``properties_faults``);
- a paragraph (row, cell) holding ``{%p %}`` (``{%tr %}``, ``{%tc %}``) must hold nothing else:
  docxtpl drops the whole paragraph (row, cell), and its text with it.

Then value tags ``{{r x }}``, ``{{p x }}`` (docxtpl's RichText tags) become ``{{ x }}``: the
value prints as text in the run (paragraph) where it was typed, with its formatting, instead of
outside any run where no reader shows it. After ``patch_xml``, ``&``, ``"`` and ``'`` inside a
tag are the characters themselves (``default("Ông & Bà")``, ``== "R&D"``).

For the check before any letter, ``add_markers`` puts an invisible marker in every paragraph
that has text of its own; a marker missing from every sample letter is a paragraph that
vanished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docxtpl import DocxTemplate

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PATCHER = DocxTemplate(None)  # only its patch_xml() is used; it reads no file

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_ESCAPED = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")  # docxtpl's escaped braces, printed as {{ }} {% %}
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_STRUCTURE = re.compile(r"\{[%#](p|tr|tc)\s")
_VALUE_TAG = re.compile(r"\{\{-?(?:r|p|tr|tc)\s")
_IN_TAG = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})", re.DOTALL)
_BLOCK = re.compile(r"\{%-?\s*(?:(?:p|tr|tc|r)\s+)?(\w+)([^%]*)")
_OPENS = {"if", "for", "macro", "call", "filter", "with", "block", "autoescape"}
COLUMN_TAG = re.compile(r"\{%-?\s*(?:tc\s|hm\s*-?%\}|colspan\s)")  # the grid must follow
MARK_START, MARK_END = "\ue000", "\ue001"
MARK = re.compile(f"{MARK_START}(\\d+){MARK_END}")
_BLOCK_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)
UNIT = {"p": "đoạn", "tr": "dòng bảng", "tc": "ô bảng"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def own_texts(container) -> list:
    """The w:t of a paragraph (row, cell) in order, without those of text boxes inside it."""
    level = container.tag
    found = []
    for t in container.iter(_w("t")):
        node = t.getparent()
        while node is not None and node is not container and node.tag != level:
            node = node.getparent()
        if node is container:
            found.append(t)
    return found


def text_of(container) -> str:
    return "".join(t.text or "" for t in own_texts(container))


def outside_tags(text: str) -> str:
    """What of a paragraph's text is printed as it is (tags and docxtpl's escapes removed)."""
    return TAG.sub(" ", _RAW.sub(" ", _ESCAPED.sub(" ", text)))


# ---------------------------------------------------------------- checks on the tree


@dataclass(frozen=True)
class Fault:
    """A broken paragraph (row, cell) or document property: its text and what is wrong, in
    Vietnamese; ``box``: inside a text box or shape; ``prop``: the property's name; ``part``:
    the template part (set by the engine)."""

    text: str
    detail: str
    box: bool = False
    prop: str = ""
    part: str = ""


def in_text_box(node) -> bool:
    return any(a.tag == _w("txbxContent") for a in node.iterancestors())


def faults(root) -> list[Fault]:
    """Every broken paragraph, row or cell of a part (a text box's text is its own paragraph;
    a shape Word saves twice, for new and old readers, is reported once)."""
    found: dict[tuple, Fault] = {}
    for paragraph in root.iter(_w("p")):
        text = text_of(paragraph)
        if "{" in text or "}" in text:
            detail = brace_fault(text) or _structure_fault(text, "p")
            if detail:
                fault = Fault(text.strip(), detail, in_text_box(paragraph))
                found.setdefault((fault.text, detail), fault)
    for level in ("tr", "tc"):
        for container in root.iter(_w(level)):
            text = text_of(container)
            if "{" in text and (detail := _structure_fault(text, level)):
                fault = Fault(text.strip(), detail, in_text_box(container))
                found.setdefault((fault.text, detail), fault)
    return list(found.values())


def brace_fault(text: str) -> str:
    rest = outside_tags(text)
    if "{{" in rest:
        return "thẻ {{ chưa được đóng bằng }} trong cùng đoạn"
    if "{%" in rest:
        return "thẻ {% chưa được đóng bằng %} trong cùng đoạn"
    if "{#" in rest:
        return "thẻ {# chưa được đóng bằng #} trong cùng đoạn"
    if "}}" in rest or "%}" in rest or "#}" in rest:
        return "thừa dấu đóng }} hoặc %} (thiếu dấu mở {{ hoặc {%)"
    if "{" in rest or "}" in rest:
        return "dấu ngoặc { hoặc } đứng lẻ: thẻ phải có hai ngoặc mỗi bên, như {{ ten_truong }}"
    return ""


def _structure_fault(text: str, level: str) -> str:
    tags = [m for m in TAG.finditer(text) if (s := _STRUCTURE.match(m[0])) and s[1] == level]
    if not tags or not outside_tags(text).strip():
        return ""
    unit, tag = UNIT[level], tags[0][0]
    return f"{unit} có thẻ {tag} thì không được có chữ nào khác: cả {unit} bị bỏ khi in thư"


# ---------------------------------------------------------------- markers for the vanish check


def add_markers(root, first: int = 0) -> dict[int, tuple[str, bool]]:
    """A marker before the first character of every paragraph's own text that is not inside a
    condition or loop opened in that paragraph. Returns marker number → (paragraph text,
    whether the paragraph is in a text box)."""
    marked: dict[int, tuple[str, bool]] = {}
    number = first
    for paragraph in root.iter(_w("p")):
        texts = own_texts(paragraph)
        joined = "".join(t.text or "" for t in texts)
        at = _first_plain_character(joined)
        if at is None:
            continue
        offset = 0
        for t in texts:
            length = len(t.text or "")
            if offset + length > at:
                inside = at - offset
                t.text = t.text[:inside] + f"{MARK_START}{number}{MARK_END}" + t.text[inside:]
                break
            offset += length
        marked[number] = joined.strip(), in_text_box(paragraph)
        number += 1
    return marked


def _first_plain_character(text: str) -> int | None:
    """Index of the first non-space character outside tags and outside blocks opened in the
    text itself, or None."""
    depth, position = 0, 0
    for match in list(TAG.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        if depth == 0:
            segment = text[position:end]
            stripped = len(segment) - len(segment.lstrip())
            if segment.strip():
                return position + stripped
        if match is None:
            return None
        depth = max(depth + _depth_change(match[0]), 0)
        position = match.end()
    return None


def _depth_change(tag: str) -> int:
    found = _BLOCK.match(tag)
    if not found:
        return 0
    word, rest = found[1], found[2]
    if word in _OPENS or (word == "set" and "=" not in rest):
        return 1
    return -1 if word.startswith("end") else 0


def unconditional_markers(source: str) -> set[int]:
    """Markers of a part's jinja source that no condition or loop encloses: a letter always
    shows them (those inside a block may vanish for the sample data by design)."""
    found, depth = set(), 0
    for match in re.finditer(f"{_BLOCK_TAG.pattern}|{MARK.pattern}", source, re.DOTALL):
        if match[0].startswith("{%"):
            depth = max(depth + _depth_change(match[0]), 0)
        elif depth == 0:
            found.add(int(MARK.match(match[0])[1]))
    return found


def present_markers(xml: str) -> set[int]:
    """Markers inside the text runs of a rendered part."""
    found: set[int] = set()
    for text in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml):
        if MARK_START in text:
            found.update(int(n) for n in MARK.findall(text))
    return found


# ---------------------------------------------------------------- cleaning for jinja


def patch(xml: str) -> tuple[str, bool]:
    """Template XML → (jinja source, whether a tag changes a table's columns): tags joined,
    value tags made plain, docxtpl's cleaning, entities inside tags decoded, docxtpl's escaped
    braces kept literal."""
    xml = _join(xml)
    columns = bool(COLUMN_TAG.search(xml))
    xml = _VALUE_TAG.sub(lambda m: "{{-" if m[0].startswith("{{-") else "{{", xml)
    xml = _PATCHER.patch_xml(xml)
    xml = _IN_TAG.sub(_decode_entities, xml)
    for literal in ("{_{", "}_}", "{_%", "%_}"):
        xml = xml.replace(literal, "{% raw %}" + literal.replace("_", "") + "{% endraw %}")
    return xml, columns


def patch_plain(xml: str) -> str:
    """A document-properties part: no runs to join, only the entities inside tags."""
    return _IN_TAG.sub(_decode_entities, _PATCHER.patch_xml(xml))


def _join(xml: str) -> str:
    """docxtpl's first two steps: the XML between a tag's pieces removed (see patch_xml)."""
    xml = re.sub(
        r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", "", xml, flags=re.DOTALL
    )

    def strip(match: re.Match) -> str:
        return re.sub("</w:t>.*?(<w:t>|<w:t [^>]*>)", "", match[0], flags=re.DOTALL)

    return re.sub(r"{%(?:(?!%}).)*|{#(?:(?!#}).)*|{{(?:(?!}}).)*", strip, xml, flags=re.DOTALL)


def _decode_entities(match: re.Match) -> str:
    text = match[0]
    if "&" not in text:
        return text
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


_GUID = re.compile(r"\{[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}")


def properties_faults(root) -> list[Fault]:
    """Broken tags in a document-properties part (title, subject, company, a custom property),
    one per property. An identifier Word or an add-in stores there ({8-4-4-4-12 hex digits})
    is not a tag."""
    found = []
    for node in root.iter():
        text = node.text if isinstance(node.tag, str) else ""  # not XML comments
        if text and ("{" in text or "}" in text) and (detail := brace_fault(_GUID.sub(" ", text))):
            found.append(Fault(text.strip(), detail, prop=_property_name(root, node)))
    return found


def _property_name(root, node) -> str:
    """The property a node's text belongs to: a custom property's name, else the element's."""
    while node.getparent() is not None and node.getparent() is not root:
        node = node.getparent()
    return node.get("name") or node.tag.rsplit("}", 1)[-1]
