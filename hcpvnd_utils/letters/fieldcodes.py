"""Word field codes read from a template's XML, as Word writes them.

A field is a run with ``w:fldChar`` begin, runs of ``w:instrText`` (its instruction, with any
fields nested in it), a ``separate`` run, the runs of its cached result and an ``end`` run; or a
``w:fldSimple``. ``top_fields`` gives the outermost fields of a part in document order (after
turning every w:fldSimple into runs and giving every field character a run of its own), and
``tokens`` reads an instruction as Word does: words split by spaces, "quoted text" with \\"
and \\\\ inside, switches (\\*, \\@, \\#, \\b…), comparison operators, nested fields whole.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
QUOTES = ('"', "“", "”", "„")  # Word reads typographic quotes in a field code as quotes too
_LITERAL_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Field:
    """One field: every run from its begin to its end, its instruction (text pieces and nested
    fields) and the runs of its cached result."""

    runs: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    result: list = field(default_factory=list)
    separated: bool = False
    unended: bool = False  # no end character before the end of the part

    def code(self) -> str:
        """The field code as Word shows it (Alt+F9): { IF { MERGEFIELD x } = "Nam" … }."""
        inner = "".join(p if isinstance(p, str) else p.code() for p in self.parts)
        return "{ " + " ".join(inner.split()) + " }"

    def kind(self) -> str:
        text = "".join(p for p in self.parts if isinstance(p, str)).strip()
        if text.startswith("="):
            return "="
        return text.split()[0].upper() if text.split() else ""


@dataclass
class Token:
    pieces: list  # str and Field
    quoted: bool = False

    def text(self) -> str | None:
        """The token's text when it holds no field."""
        if any(isinstance(p, Field) for p in self.pieces):
            return None
        return "".join(self.pieces)


# ---------------------------------------------------------------- reading fields from runs


def top_fields(root) -> list[Field]:
    """The outermost fields of ``root`` in document order (every w:fldSimple made runs first,
    every field character given a run of its own)."""
    _unsimplify(root)
    _split_field_runs(root)
    return _collect(root)


def _unsimplify(root) -> None:
    """<w:fldSimple w:instr="X">result</w:fldSimple> → the same field as begin/instr/end runs."""
    for simple in list(root.iter(_w("fldSimple"))):
        result = simple.findall(_w("r"))
        props = result[0].find(_w("rPr")) if result else None
        runs = [_char_run("begin", props), _instr_run(simple.get(_w("instr"), ""), props)]
        runs += [_char_run("separate", props), *result, _char_run("end", props)]
        for run in runs:
            simple.addprevious(run)
        simple.getparent().remove(simple)


def _char_run(kind: str, props):
    run = etree.Element(_w("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    etree.SubElement(run, _w("fldChar")).set(_w("fldCharType"), kind)
    return run


def _instr_run(text: str, props):
    return text_run(text, props, "instrText")


def text_run(text: str, props, tag: str = "t"):
    """A run formatted by ``props`` (a copy of a w:rPr, or None) holding ``text`` in a w:t (or
    another text element, e.g. w:instrText), spaces kept."""
    run = etree.Element(_w("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    element = etree.SubElement(run, _w(tag))
    element.text = text
    element.set(XML_SPACE, "preserve")
    return run


def _split_field_runs(root) -> None:
    """A run holding a field character or instruction next to other content is split, so every
    field character sits in a run of its own."""
    for run in list(root.iter(_w("r"))):
        children = [c for c in run if c.tag != _w("rPr")]
        if len(children) < 2 or not any(
            c.tag in (_w("fldChar"), _w("instrText")) for c in children
        ):
            continue
        props = run.find(_w("rPr"))
        for child in children:
            piece = etree.Element(_w("r"))
            if props is not None:
                piece.append(copy.deepcopy(props))
            piece.append(child)
            run.addprevious(piece)
        run.getparent().remove(run)


def _collect(root) -> list[Field]:
    """The outermost fields in document order (deleted text of tracked changes skipped)."""
    found, stack = [], []
    for run in root.iter(_w("r")):
        if _deleted(run):
            continue
        char = run.find(_w("fldChar"))
        kind = char.get(_w("fldCharType")) if char is not None else None
        if kind == "begin":
            new = Field()
            if stack:
                (stack[-1].result if stack[-1].separated else stack[-1].parts).append(new)
            stack.append(new)
        for open_field in stack:
            open_field.runs.append(run)
        if not stack:
            continue
        top = stack[-1]
        instr = run.find(_w("instrText"))
        if instr is not None and not top.separated:
            top.parts.append(instr.text or "")
        elif kind == "separate":
            top.separated = True
        elif kind == "end":
            stack.pop()
            if not stack:
                found.append(top)
        elif kind is None and top.separated:
            top.result.append(run)
    if stack:  # a field that never ends (a damaged file): kept whole, so it is refused
        stack[0].unended = True
        found.append(stack[0])
    return found


def _deleted(run) -> bool:
    parent = run.getparent()
    return parent is not None and parent.tag in (_w("del"), _w("moveFrom"))


def paragraph_of(run):
    node = run.getparent()
    while node is not None and node.tag != _w("p"):
        node = node.getparent()
    return node


def paragraph_text(run) -> str:
    """The paragraph's text, or its place when it has none ("đoạn thứ 3")."""
    paragraph = paragraph_of(run)
    if paragraph is None:
        return ""
    texts = [t.text or "" for t in paragraph.iter(_w("t")) if paragraph_of(t) is paragraph]
    if "".join(texts).strip():
        return "".join(texts).strip()
    paragraphs = list(paragraph.getroottree().getroot().iter(_w("p")))
    return f"đoạn thứ {next(i for i, p in enumerate(paragraphs, 1) if p is paragraph)}"


# ---------------------------------------------------------------- instructions → tokens


def tokens(parts: list) -> list[Token]:
    """Word's reading of an instruction: words split by spaces, "quoted text" with \\" and \\\\
    inside, switches (\\*, \\@, \\#, \\b…), comparison operators, nested fields kept whole."""
    out: list[Token] = []
    current: Token | None = None
    stream = [c for p in parts for c in ([p] if isinstance(p, Field) else list(p))]
    index, quoted = 0, False
    while index < len(stream):
        item = stream[index]
        if isinstance(item, Field):
            current = current or Token([], False)
            current.pieces.append(item)
        elif quoted:
            if item == "\\" and index + 1 < len(stream) and stream[index + 1] in ('"', "\\"):
                index += 1
                current.pieces.append(stream[index])
            elif item in QUOTES:
                out.append(current)
                current, quoted = None, False
            else:
                current.pieces.append(item)
        elif item in QUOTES:
            if current:
                out.append(current)
            current, quoted = Token([], True), True
        elif item.isspace():
            if current:
                out.append(current)
            current = None
        elif item in "<>=":
            if current:
                out.append(current)
            following = stream[index + 1] if index + 1 < len(stream) else ""
            pair = item + following if item + following in ("<>", "<=", ">=") else item
            index += len(pair) - 1
            out.append(Token([pair]))
            current = None
        elif item == "\\" and current is None:
            following = stream[index + 1] if index + 1 < len(stream) else ""
            index += 1
            out.append(Token(["\\" + (following if isinstance(following, str) else "")]))
        else:
            current = current or Token([], False)
            current.pieces.append(item)
        index += 1
    if current:
        out.append(current)
    return [_merge_chars(t) for t in out]


def _merge_chars(token: Token) -> Token:
    pieces: list = []
    for piece in token.pieces:
        if isinstance(piece, str) and pieces and isinstance(pieces[-1], str):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return Token(pieces, token.quoted)


def literal(text: str) -> str:
    """A jinja string literal holding ``text`` in plain ASCII (no brace, quote, & or < that tag
    cleaning or XML could touch)."""
    out = []
    for ch in text.translate(_LITERAL_ESCAPES):
        code = ord(ch)
        if ch.isascii() and (ch.isalnum() or ch in " .,:;!?()-_/'*+=@$\\\"") and code >= 32:
            out.append(ch)
        else:
            out.append(f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def properties_of(parts: dict[str, bytes]) -> dict[str, str]:
    """Document properties by their Word field names (title, subject, author, company, and
    custom ones), from docProps/core.xml, app.xml and custom.xml (a part that cannot be read
    gives none: the check reports the part itself)."""
    names = {"title": "title", "subject": "subject", "creator": "author", "keywords": "keywords",
             "description": "comments", "category": "category", "Company": "company",
             "Manager": "manager"}  # fmt: skip
    found: dict[str, str] = {}
    for part in ("docProps/core.xml", "docProps/app.xml"):
        for node in _children(parts.get(part)):
            local = etree.QName(node).localname if isinstance(node.tag, str) else ""
            if local in names and node.text:
                found[names[local]] = node.text
    for prop in _children(parts.get("docProps/custom.xml")):
        value = next(iter(prop), None)
        if prop.get("name") and value is not None and value.text:
            found[prop.get("name").lower()] = value.text
    return found


def _children(xml: bytes | None) -> list:
    try:
        return list(etree.fromstring(xml)) if xml else []
    except etree.XMLSyntaxError:
        return []
