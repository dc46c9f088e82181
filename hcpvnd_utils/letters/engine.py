"""Compile-once merge engine for docxtpl-style Word templates.

A template is read once: its XML parts are cleaned with docxtpl's own tag cleaning
(``DocxTemplate.patch_xml``), Word MERGEFIELD fields are turned into ``{{ field }}``, and each part
holding tags is compiled once by jinja2 with XML autoescape. Each letter is then one jinja render
plus a zip written around the template's unchanged parts, which were compressed once.

Values print literally: "&", "<", "{{ 7*7 }}" or a MERGEFIELD code in a value are text, never
evaluated; None prints as nothing; control characters and newlines in a value become spaces.
Supported tags: ``{{ }}``, ``{% %}``, ``{%p %}``, ``{%tr %}``, ``{%tc %}``, ``{%r %}`` and filters.
Not supported (docxtpl extras): RichText, InlineImage, Subdoc, ``{%tc for %}`` column fixing.
"""

from __future__ import annotations

import copy
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta
from lxml import etree
from markupsafe import escape

from ..safeio import atomic_write_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DOCUMENT = "word/document.xml"
TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
TAG = re.compile(r"\{\{|\{%|\{#")
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_PATCHER = DocxTemplate(None)  # only its patch_xml() is used; it reads no file


class BrokenTemplate(Exception):
    """The template cannot be compiled. ``kind``: "not_docx", "syntax" or "xml"; ``snippet`` is
    the template text around the problem (no personal data: it comes from the template)."""

    def __init__(self, kind: str, detail: str = "", snippet: str = "", part: str = ""):
        self.kind, self.detail, self.snippet, self.part = kind, detail, snippet, part
        super().__init__(f"{kind}: {detail} [{part}] {snippet}")


# ---------------------------------------------------------------- values


def xml_value(value) -> str:
    """The text a value prints as (before XML escaping, which jinja's autoescape does)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        try:
            if value != value:  # noqa: PLR0124 (nan and NaT differ from themselves)
                return ""
        except (TypeError, ValueError):  # pandas.NA
            return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable() or not unicodedata.is_normalized("NFC", text):
        text = _SPACES.sub(" ", _BAD_CHARS.sub(" ", unicodedata.normalize("NFC", text)))
    return text


# StrictUndefined: {{ ho_ten_tre.abc }} is an error the check reports, not a blank in a letter
ENV = jinja2.Environment(
    autoescape=True,
    finalize=xml_value,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


# ---------------------------------------------------------------- zip writing


@dataclass(frozen=True)
class _Entry:
    name: bytes
    method: int
    crc: int
    size: int
    data: bytes  # compressed (or stored) bytes


def _entry(name: str, raw: bytes | Iterable[bytes | str], level: int) -> _Entry:
    """A zip member from bytes, or from chunks compressed as they come (a print file's body
    is never held whole in memory)."""
    if isinstance(raw, bytes) and (level == 0 or len(raw) < 256):
        return _Entry(name.encode(), zipfile.ZIP_STORED, zlib.crc32(raw), len(raw), raw)
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    crc, size, data = 0, 0, []
    for chunk in (raw,) if isinstance(raw, bytes) else raw:
        chunk = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        data.append(packer.compress(chunk))
    data.append(packer.flush())
    return _Entry(name.encode(), zipfile.ZIP_DEFLATED, crc, size, b"".join(data))


_DOS_TIME, _DOS_DATE = 0, (2020 - 1980) << 9 | 1 << 5 | 1  # fixed: same input, same bytes


def _local_header(e: _Entry) -> bytes:
    fixed = (20, 0, e.method, _DOS_TIME, _DOS_DATE, e.crc, len(e.data), e.size, len(e.name), 0)
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", *fixed) + e.name


def _central_header(e: _Entry, offset: int) -> bytes:
    fixed = (20, 20, 0, e.method, _DOS_TIME, _DOS_DATE, e.crc, len(e.data), e.size)
    rest = (len(e.name), 0, 0, 0, 0, 0, offset)
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", *fixed, *rest) + e.name


class _ZipLayout:
    """The unchanged parts as ready-made bytes; each call adds only the rendered parts."""

    def __init__(self, static: list[_Entry]):
        self.static = static
        self.head, self.central, offset = bytearray(), bytearray(), 0
        for e in static:
            self.central += _central_header(e, offset)
            local = _local_header(e) + e.data
            self.head += local
            offset += len(local)
        self.head, self.central = bytes(self.head), bytes(self.central)

    def build(self, rendered: dict[str, bytes], level: int = 6, replace: dict | None = None):
        if replace:  # parts of the template itself change (print file): no ready-made head
            kept = [e for e in self.static if e.name.decode() not in replace]
            return _ZipLayout(kept).build({**replace, **rendered}, level)
        out, central, offset = [self.head], [self.central], len(self.head)
        for name, raw in rendered.items():
            e = _entry(name, raw, level)
            central.append(_central_header(e, offset))
            out += (_local_header(e), e.data)
            offset += len(out[-2]) + len(e.data)
        central_bytes = b"".join(central)
        count = len(self.static) + len(rendered)
        end = struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central_bytes), offset, 0
        )
        return b"".join(out) + central_bytes + end


# ---------------------------------------------------------------- compiling


def _read_docx(path: Path) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise BrokenTemplate("not_docx", type(exc).__name__) from None
    if DOCUMENT not in dict(parts):
        raise BrokenTemplate("not_docx", "no word/document.xml")
    return parts


def _prepare(raw: bytes, styles: bytes | None = None) -> tuple[str, dict[str, str]]:
    """Template XML -> jinja source: MERGEFIELDs converted, docxtpl's tag cleaning applied."""
    try:
        root = etree.fromstring(raw)
    except etree.XMLSyntaxError as exc:
        raise BrokenTemplate("not_docx", f"XML: {exc}") from None
    merge_names = _convert_merge_fields(root)
    if styles is not None:
        _explicit_style_numbering(root, styles)
    source = _PATCHER.patch_xml(etree.tostring(root, encoding="unicode"))
    for literal in ("{_{", "}_}", "{_%", "%_}"):  # docxtpl's escaped braces print as {{ }} {% %}
        source = source.replace(literal, "{% raw %}" + literal.replace("_", "") + "{% endraw %}")
    return XML_DECLARATION + source, merge_names


# ---------------------------------------------------------------- MERGEFIELD templates


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_MERGE = re.compile(r'^\s*MERGEFIELD\s+(?:"([^"]*)"|(\S+))(.*)$', re.DOTALL | re.IGNORECASE)
_CASE_FILTERS = {"upper": "|upper", "lower": "|lower", "caps": "|title", "firstcap": "|capitalize"}


def merge_field_name(name: str) -> str:
    """Word field name -> template field: 'Họ tên trẻ' -> 'ho_ten_tre' (diacritics folded)."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).strip().lower()
    text = re.sub(r"\W+", "_", text).strip("_")
    return text if text and not text[0].isdigit() else f"f_{text}"


def _merge_expression(instruction: str) -> tuple[str, str, str] | None:
    """' MERGEFIELD ho_ten \\b "Anh " \\* Upper ' -> (jinja text, field, name as written)."""
    match = _MERGE.match(instruction)
    if not match:
        return None
    written, switches = match[1] if match[1] is not None else match[2], match[3]
    name = merge_field_name(written)
    case = re.search(r"\\\*\s*(upper|lower|caps|firstcap)\b", switches, re.IGNORECASE)
    expression = "{{ " + name + (_CASE_FILTERS[case[1].lower()] if case else "") + " }}"
    before = re.search(r'\\b\s+"([^"]*)"', switches)
    after = re.search(r'\\f\s+"([^"]*)"', switches)
    if before or after:
        around = [escape(m[1] if m else "") for m in (before, after)]
        expression = f"{{% if {name} %}}{around[0]}{expression}{around[1]}{{% endif %}}"
    return expression, name, written


def _field_run(template_run, text: str):
    """A run with the formatting of ``template_run`` holding only ``text``."""
    run = etree.Element(_w("r"))
    props = template_run.find(_w("rPr")) if template_run is not None else None
    if props is not None:
        run.append(copy.deepcopy(props))
    t = etree.SubElement(run, _w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _convert_merge_fields(root) -> dict[str, str]:
    """Replace simple and complex MERGEFIELD fields by a run holding ``{{ field }}``."""
    found: dict[str, str] = {}
    for simple in list(root.iter(_w("fldSimple"))):
        converted = _merge_expression(simple.get(_w("instr"), ""))
        if converted:
            runs = simple.findall(_w("r"))
            simple.addnext(_field_run(runs[0] if runs else None, converted[0]))
            simple.getparent().remove(simple)
            found[converted[1]] = converted[2]
    field: list = []  # runs of the complex field being read; [] when outside any field
    depth, instruction = 0, []
    for run in list(root.iter(_w("r"))):
        char = run.find(_w("fldChar"))
        kind = char.get(_w("fldCharType")) if char is not None else None
        if kind == "begin":
            depth += 1
            field, instruction = (field + [run], instruction) if depth > 1 else ([run], [])
        elif depth:
            field.append(run)
            instruction += (
                [t.text or "" for t in run.findall(_w("instrText"))] if depth == 1 else []
            )
            if kind == "end":
                depth -= 1
                if depth == 0:
                    _replace_field(field, "".join(instruction), found)
    return found


def _replace_field(runs: list, instruction: str, found: dict) -> None:
    converted = _merge_expression(instruction)
    nested = sum(r.find(_w("fldChar")) is not None for r in runs) > 3
    if not converted or nested:
        return
    shown = next((r for r in runs if r.find(_w("t")) is not None), runs[0])
    runs[0].addprevious(_field_run(shown, converted[0]))
    for run in runs:
        run.getparent().remove(run)
    found[converted[1]] = converted[2]


_BEFORE_NUMPR = {
    _w(t) for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")
}


def _explicit_style_numbering(root, styles: bytes) -> None:
    """Give paragraphs numbered through their style an explicit numPr, so a print file can
    restart each letter's lists (it renumbers numIds per letter)."""
    numbered = {}
    for style in etree.fromstring(styles).iter(_w("style")):
        num = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        if num is not None:
            level = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('ilvl')}")
            numbered[style.get(_w("styleId"))] = (num.get(_w("val")), level)
    for ppr in root.iter(_w("pPr")):
        style = ppr.find(_w("pStyle"))
        if (
            style is None
            or ppr.find(_w("numPr")) is not None
            or style.get(_w("val")) not in numbered
        ):
            continue
        num_id, level = numbered[style.get(_w("val"))]
        numpr = etree.Element(_w("numPr"))
        etree.SubElement(numpr, _w("ilvl")).set(
            _w("val"), "0" if level is None else level.get(_w("val"))
        )
        etree.SubElement(numpr, _w("numId")).set(_w("val"), num_id)
        before = [c for c in ppr if c.tag in _BEFORE_NUMPR]  # schema order inside w:pPr
        before[-1].addnext(numpr)


def _compile(source: str, part: str) -> jinja2.Template:
    try:
        return ENV.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise BrokenTemplate("syntax", exc.message or "", _locate(source, exc), part) from None


def _locate(source: str, exc: jinja2.TemplateSyntaxError) -> str:
    """The text of the Word paragraph where jinja stopped (tags stripped)."""
    lined = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
    try:
        ENV.from_string(lined)  # compiles too: an unknown filter is found here, not by parse
        return ""
    except jinja2.TemplateSyntaxError as again:
        lines = lined.splitlines()
        line = lines[min(max(again.lineno - 1, 0), len(lines) - 1)] if lines else ""
    return plain_text(line)[:200]


def plain_text(xml: str) -> str:
    """Visible text of an XML fragment (tags removed, entities decoded)."""
    text = re.sub(r"<[^>]+>", "", xml)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


@dataclass
class _Body:
    """document.xml split so a print file can repeat the content: head + content + sectPr + tail."""

    head: str
    content: jinja2.Template
    sect_pr: str
    tail: str


def _split_body(source: str) -> tuple[str, str, str, str]:
    start = re.search(r"<w:body(?: [^>]*)?>", source)
    end = source.rfind("</w:body>")
    if not start or end < 0:
        raise BrokenTemplate("not_docx", "no w:body")
    inner = source[start.end() : end]
    sect = inner.rfind("<w:sectPr")
    sect_pr = ""
    if sect >= 0 and inner.endswith("</w:sectPr>") and not TAG.search(inner[sect:]):
        inner, sect_pr = inner[:sect], inner[sect:]
    return source[: start.end()], inner, sect_pr, source[end:]


class CompiledTemplate:
    """A .docx template compiled once; render many letters from it."""

    def __init__(self, parts: list[tuple[str, bytes]], path: Path | None = None):
        self.path = path
        raw = dict(parts)
        self.parts = raw
        self.merge_fields: dict[str, str] = {}  # jinja name -> MERGEFIELD name as written
        self.templates: dict[str, jinja2.Template] = {}
        self.sources: dict[str, str] = {}
        for name, data in parts:
            if TEMPLATED_PART.fullmatch(name):
                self._add_part(name, data, raw.get("word/styles.xml") if name == DOCUMENT else None)
        head, content, sect_pr, tail = _split_body(self.sources[DOCUMENT])
        self.body = _Body(head, _compile(content, DOCUMENT), sect_pr, tail)
        static = [_entry(n, d, 9) for n, d in parts if n != DOCUMENT and n not in self.templates]
        self._zip = _ZipLayout(static)

    def _add_part(self, name: str, data: bytes, styles: bytes | None) -> None:
        if name != DOCUMENT and not (
            TAG.search(data.decode("utf-8", "replace")) or b"MERGEFIELD" in data
        ):
            return
        source, merge_names = _prepare(data, styles)
        self.merge_fields.update(merge_names)
        self.sources[name] = source
        if name != DOCUMENT:
            self.templates[name] = _compile(source, name)

    @classmethod
    def from_path(cls, path: str | Path) -> CompiledTemplate:
        path = Path(path)
        try:
            return cls(_read_docx(path), path)
        except BrokenTemplate as exc:
            exc.part = exc.part or path.name
            raise

    @property
    def fields(self) -> set[str]:
        """Every field (undeclared variable) the template's tags use."""
        found: set[str] = set()
        for source in self.sources.values():
            found |= meta.find_undeclared_variables(ENV.parse(source))
        return found

    def render_content(self, context: dict) -> str:
        """The rendered inside of <w:body>, without the final section properties."""
        return self.body.content.render(context)

    def render_parts(self, context: dict) -> dict[str, bytes]:
        """Every part that depends on the record: document.xml, headers/footers with tags."""
        b = self.body
        document = b.head + self.render_content(context) + b.sect_pr + b.tail
        rendered = {DOCUMENT: document.encode("utf-8")}
        for name, template in self.templates.items():
            rendered[name] = template.render(context).encode("utf-8")
        return rendered

    def render_bytes(self, context: dict) -> bytes:
        """One complete .docx for one record."""
        return self._zip.build(self.render_parts(context))

    def assemble(
        self, rendered: dict[str, bytes], replace: dict[str, bytes] | None = None, level=6
    ):
        """A .docx from rendered parts (and, for print files, replaced template parts)."""
        return self._zip.build(rendered, level=level, replace=replace)

    def write(self, context: dict, path: str | Path, durable: bool = True) -> None:
        atomic_write_bytes(Path(path), self.render_bytes(context), durable)
