"""Word fields in a template, as Word's mail merge evaluates them.

MERGEFIELD, IF (Word's "Rules › If…Then…Else", nested or holding MERGEFIELDs) and QUOTE become
one run holding a jinja expression, with their switches (``wordformat.py``). Fields Word and
LibreOffice compute on the page by themselves (PAGE, NUMPAGES, SYMBOL, REF, HYPERLINK…) stay.
Document-property fields (DOCPROPERTY Title, TITLE, SUBJECT…) become the property's own text,
so each letter shows its own. Every other field — NEXT, NEXTIF, SKIPIF, ASK, FILLIN, DATABASE,
DATE… — is refused, with the field code and its paragraph, before any letter: no field is ever
left in a letter to show the template's cached result.

A field is read from Word's runs (``w:fldChar`` begin/separate/end, ``w:instrText``) or from
``w:fldSimple``; its instruction is tokenised as Word does (quotes, ``\\"``, switches, fields
nested inside it).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from .wordformat import CASES, OPERATORS, picture_core

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# fields the page computes (kept as they are, unless a merge field is nested in them)
ON_THE_PAGE = {"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "SYMBOL", "HYPERLINK", "REF",
               "PAGEREF", "NOTEREF", "STYLEREF", "EQ", "TOC", "TC", "XE", "INDEX", "SEQ",
               "FORMTEXT", "FORMCHECKBOX", "FORMDROPDOWN", "DOCVARIABLE", "FILENAME",
               "NUMWORDS", "NUMCHARS", "LISTNUM", "ADVANCE", "BARCODE", "DISPLAYBARCODE"}  # fmt: skip
PROPERTY_FIELDS = {"TITLE": "title", "SUBJECT": "subject", "AUTHOR": "author",
                   "KEYWORDS": "keywords", "COMMENTS": "comments"}  # fmt: skip
_MERGE_CONTROL = "trường điều khiển việc trộn thư của Word; ở đây mỗi thư là một trường hợp đăng ký và chương trình tự làm từng thư"
REFUSED = {
    **dict.fromkeys(("NEXT", "NEXTIF", "SKIPIF", "MERGEREC", "MERGESEQ", "DATABASE"),
                    _MERGE_CONTROL),
    **dict.fromkeys(("ASK", "FILLIN"), "trường hỏi người dùng gõ chữ khi trộn thư"),
    "SET": "trường đặt giá trị khi trộn thư",
    **dict.fromkeys(("DATE", "TIME", "CREATEDATE", "SAVEDATE", "PRINTDATE", "EDITTIME"),
                    "ngày giờ lấy từ máy lúc mở hoặc in tệp, không phải ngày của thư; dùng "
                    "{{ ngay_thu }} hoặc {{ ngay_thang }}"),
    **dict.fromkeys(("INCLUDETEXT", "INCLUDEPICTURE", "LINK", "DDE", "DDEAUTO", "EMBED", "IMPORT"),
                    "trường lấy nội dung từ tệp khác"),
    **dict.fromkeys(("GREETINGLINE", "ADDRESSBLOCK"),
                    "dòng chào hoặc khối địa chỉ tự động của Word; dùng {{ kinh_gui }} và {{ dia_chi }}"),
    "=": "phép tính của Word",
}  # fmt: skip
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
class Refusal:
    """A field the engine will not put in a letter: its code, its paragraph, and why."""

    code: str
    paragraph: str
    reason: str


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


def convert_fields(
    root, name_of: Callable[[str], str], properties: dict[str, str]
) -> tuple[dict[str, str], list[Refusal]]:
    """Replace every MERGEFIELD/IF/QUOTE/property field of ``root`` by a run holding its jinja
    expression. Returns (jinja name → MERGEFIELD name as written, the refused fields)."""
    _unsimplify(root)
    _split_field_runs(root)
    converter = _Converter(name_of, properties)
    refused = []
    for top in _top_fields(root):
        try:
            converter.replace(top)
        except Refused as exc:
            refused.append(Refusal(top.code(), _paragraph_text(top.runs[0]), exc.reason))
    return converter.names, refused


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
    run = etree.Element(_w("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    instr = etree.SubElement(run, _w("instrText"))
    instr.text = text
    instr.set(XML_SPACE, "preserve")
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


def _top_fields(root) -> list[Field]:
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
    return found


def _deleted(run) -> bool:
    parent = run.getparent()
    return parent is not None and parent.tag in (_w("del"), _w("moveFrom"))


def _paragraph_of(run):
    node = run.getparent()
    while node is not None and node.tag != _w("p"):
        node = node.getparent()
    return node


def _paragraph_text(run) -> str:
    """The paragraph's text, or its place when it has none ("đoạn thứ 3")."""
    paragraph = _paragraph_of(run)
    if paragraph is None:
        return ""
    texts = [t.text or "" for t in paragraph.iter(_w("t")) if _paragraph_of(t) is paragraph]
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
            elif item == '"':
                out.append(current)
                current, quoted = None, False
            else:
                current.pieces.append(item)
        elif item == '"':
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


# ---------------------------------------------------------------- fields → jinja


class _Converter:
    def __init__(self, name_of: Callable[[str], str], properties: dict[str, str]):
        self.name_of, self.properties = name_of, properties
        self.names: dict[str, str] = {}  # jinja name -> MERGEFIELD name as written

    def replace(self, top: Field) -> None:
        kind = top.kind()
        if kind in ON_THE_PAGE:
            nested = _nested(top)
            if nested:
                raise Refused(f"có trường {nested[0].kind()} lồng bên trong trường {kind}")
            return
        if kind in PROPERTY_FIELDS or kind == "DOCPROPERTY":
            text = self._property(top, kind)
            if text is None:
                return  # a property the page computes (Pages, Words…)
            self._put(top, text)
            return
        if kind not in ("MERGEFIELD", "IF", "QUOTE"):
            raise Refused(REFUSED.get(kind, "chương trình không làm loại trường này"))
        paragraphs = [_paragraph_of(run) for run in top.runs]  # kept alive: lxml proxies
        if any(p is not paragraphs[0] for p in paragraphs):
            raise Refused("trường kéo dài qua nhiều đoạn; viết cả trường trong một đoạn")
        self._put(top, "{{ " + self.expression(top) + " }}")

    def _property(self, top: Field, kind: str) -> str | None:
        words = tokens(top.parts)
        name = PROPERTY_FIELDS.get(kind) or (words[1].text() or "" if len(words) > 1 else "")
        return self.properties.get(name.lower())

    def _put(self, top: Field, text: str) -> None:
        """The field's runs replaced by one run holding ``text``, formatted like its result."""
        shown = next((r for r in top.result if r.find(_w("t")) is not None), top.runs[0])
        run = etree.Element(_w("r"))
        props = shown.find(_w("rPr"))
        if props is not None:
            run.append(copy.deepcopy(props))
        t = etree.SubElement(run, _w("t"))
        t.text = text
        t.set(XML_SPACE, "preserve")
        top.runs[0].addprevious(run)
        for old in top.runs:
            if old.getparent() is not None:
                old.getparent().remove(old)

    def expression(self, item: Field) -> str:
        kind = item.kind()
        words = tokens(item.parts)[1:]
        if kind == "MERGEFIELD":
            return self._merge(words)
        if kind == "IF":
            return self._if(words)
        if kind == "QUOTE":
            texts, switches = _split_switches(words)
            value = " ~ ".join(self.text(t) for t in texts) or '""'
            return _apply(f"({value})", switches)
        if kind in PROPERTY_FIELDS or kind == "DOCPROPERTY":
            raise Refused("trường thuộc tính văn bản lồng trong trường khác")
        raise Refused(f"có trường {kind or '?'} lồng bên trong; "
                      + REFUSED.get(kind, "chương trình không làm loại trường này"))  # fmt: skip

    def _merge(self, words: list[Token]) -> str:
        if not words or words[0].text() is None or words[0].text().startswith("\\"):
            raise Refused("trường MERGEFIELD không có tên trường")
        written = words[0].text().strip()
        name = self.name_of(written)
        self.names.setdefault(name, written)
        around = {}
        switches = []
        for switch, argument in _switch_pairs(words[1:]):
            if switch in ("\\b", "\\f"):
                around[switch] = argument
            else:
                switches.append((switch, argument))
        value = _apply(f"({name}|_field_text)", switches)
        if around:
            before, after = literal(around.get("\\b", "")), literal(around.get("\\f", ""))
            value = f'(({before} ~ {value} ~ {after}) if {value} else "")'
        return value

    def _if(self, words: list[Token]) -> str:
        texts, switches = _split_switches(words)
        operators = [i for i, t in enumerate(texts) if not t.quoted and t.text() in OPERATORS]
        if not operators or operators[0] != 1 or len(texts) < 4 or len(texts) > 5:
            raise Refused(
                'trường IF chưa đúng dạng IF «trường» = "giá trị" "chữ khi đúng" "chữ khi '
                'sai" (nếu mẫu đã được mở và lưu bằng LibreOffice, điều kiện có thể đã bị mất: '
                "dùng lại mẫu gốc làm bằng Word)"
            )
        left, operator, right = texts[0], texts[1].text(), texts[2]
        true = self.text(texts[3])
        false = self.text(texts[4]) if len(texts) > 4 else '""'
        test = f"({self.text(left)})|_word_compare({literal(operator)}, ({self.text(right)}))"
        return _apply(f"(({true}) if ({test}) else ({false}))", switches)

    def text(self, token: Token) -> str:
        """A token as a jinja string expression: its text, its nested fields' values."""
        pieces = [
            literal(p) if isinstance(p, str) else f"({self.expression(p)})" for p in token.pieces
        ]
        return " ~ ".join(pieces) if pieces else '""'


def _nested(item: Field) -> list[Field]:
    found = []
    for part in item.parts:
        if isinstance(part, Field):
            found += [part, *_nested(part)]
    return [f for f in found if f.kind() not in ON_THE_PAGE]


def _switch_pairs(words: list[Token]) -> list[tuple[str, str]]:
    """(switch, argument) pairs; \\m and \\v take no argument."""
    pairs, index = [], 0
    while index < len(words):
        word = words[index].text()
        if word is None or not word.startswith("\\") or word.lower() not in _KNOWN_SWITCHES:
            shown = "trường lồng" if word is None else word
            raise Refused(f"chương trình không hiểu phần “{shown}” của trường")
        if word.lower() in ("\\m", "\\v"):
            index += 1
            continue
        if index + 1 >= len(words) or words[index + 1].text() is None:
            raise Refused(f"tùy chọn {word} thiếu giá trị")
        pairs.append((word.lower(), words[index + 1].text()))
        index += 2
    return pairs


_KNOWN_SWITCHES = ("\\*", "\\@", "\\#", "\\b", "\\f", "\\m", "\\v")


def _split_switches(words: list[Token]) -> tuple[list[Token], list[tuple[str, str]]]:
    first = next(
        (i for i, t in enumerate(words) if not t.quoted and (t.text() or "").startswith("\\")),
        len(words),
    )
    switches = _switch_pairs(words[first:])
    if any(s in ("\\b", "\\f") for s, _ in switches):
        raise Refused("tùy chọn \\b, \\f chỉ dùng cho trường MERGEFIELD")
    return words[:first], switches


def _apply(value: str, switches: list[tuple[str, str]]) -> str:
    for switch, argument in switches:
        if switch == "\\*":
            case = argument.lower()
            if case in ("mergeformat", "charformat", "arabic"):
                continue
            if case not in CASES:
                raise Refused(
                    f"định dạng \\* {argument} (chỉ dùng được \\* Upper, \\* Lower, \\* Caps, "
                    "\\* FirstCap; số viết bằng chữ, số La Mã… không làm được)"
                )
            value = f"({value}|_word_case({literal(case)}))"
        elif switch == "\\@":
            value = f"({value}|_word_date({literal(argument)}))"
        elif switch == "\\#":
            if picture_core(argument) is None or "x" in argument.replace("'", ""):
                raise Refused(f"định dạng số \\# {argument} (dùng các chữ số 0, # và dấu , .)")
            value = f"({value}|_word_number({literal(argument)}))"
    return value


def properties_of(parts: dict[str, bytes]) -> dict[str, str]:
    """Document properties by their Word field names (title, subject, author, company, and
    custom ones), from docProps/core.xml, app.xml and custom.xml."""
    names = {"title": "title", "subject": "subject", "creator": "author", "keywords": "keywords",
             "description": "comments", "category": "category", "Company": "company",
             "Manager": "manager"}  # fmt: skip
    found: dict[str, str] = {}
    for part in ("docProps/core.xml", "docProps/app.xml"):
        if part in parts:
            for node in etree.fromstring(parts[part]):
                local = etree.QName(node).localname
                if local in names and node.text:
                    found[names[local]] = node.text
    if "docProps/custom.xml" in parts:
        for prop in etree.fromstring(parts["docProps/custom.xml"]):
            value = next(iter(prop), None)
            if prop.get("name") and value is not None and value.text:
                found[prop.get("name").lower()] = value.text
    return found


__all__ = ["Field", "Refusal", "convert_fields", "literal", "properties_of", "tokens"]
