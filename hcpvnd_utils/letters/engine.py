"""Compile-once merge engine for docxtpl-style and Word mail-merge templates.

A template is read once: Word fields are evaluated as Word's merge does (``fields.py``: MERGEFIELD,
IF, QUOTE with their switches; fields we cannot evaluate are refused), each paragraph's tags are
checked — in every part a letter is made of, whether it holds a whole tag or only a stray brace —
and cleaned with docxtpl's own ``patch_xml`` (``tags.py``), and each part holding tags
(body, headers, footers, footnotes, endnotes, document properties) is compiled once by jinja
with XML autoescape. Each letter is then one jinja render plus a zip written around the
template's unchanged parts, which were compressed once.

Values print literally and are escaped exactly once, whatever filter or object they went
through (``|e``, ``|safe``, docxtpl's RichText and Listing print their text): "&", "<",
"{{ 7*7 }}" or a MERGEFIELD code in a value are text, never evaluated; None prints as nothing;
control characters and newlines in a value become spaces. Supported tags: everything docxtpl
documents — ``{{ }}``, ``{% %}``, ``{%p %}``, ``{%tr %}``, ``{%tc %}`` (the table grid follows
the widest row, ``grid.py``), ``{%r %}``, ``{%- -%}``, ``{# #}``, ``{% colspan %}``,
``{% hm %}``, ``{% vm %}``, ``{% cellbg %}``; ``{{r x }}`` and ``{{p x }}`` print the value as
text where they were typed. Not supported (docxtpl extras needing Python objects): InlineImage,
Subdoc, RichText formatting (its text prints, its formatting does not).
"""

from __future__ import annotations

import html
import numbers
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import escape

from ..safeio import atomic_write_bytes
from . import grid, revisions, tags
from .fieldcodes import properties_of
from .fieldnames import plain_name
from .fields import convert_fields
from .package import ZipLayout, entry
from .stylemerge import explicit_style_numbering
from .wordformat import FILTERS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DOCUMENT = "word/document.xml"
TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
PROPERTY_PART = re.compile(r"docProps/(core|app|custom)\.xml|customXml/item\d+\.xml")
TAG = re.compile(r"\{\{|\{%|\{#")
BRACES = re.compile(rb"[{}]")  # a part without a brace holds neither a tag nor a broken one
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_BREAKS = re.compile(r"<w:(?:br|tab|cr)\b[^>]*>|</w:p>|<br\s*/?>", re.IGNORECASE)
_MARKUP_TAG = re.compile(r"<[^>]*>")


class BrokenTemplate(Exception):
    """The template cannot be compiled. ``kind``: "not_docx", "syntax", "xml", "tag" (a
    paragraph's tags are broken) or "field" (a Word field we do not evaluate); ``snippet`` is
    the template text around the problem (no personal data: it comes from the template);
    ``part`` the template part ("word/header1.xml"); ``issues`` holds every broken paragraph
    or property of every part ("tag": ``tags.Fault``) or refused field ("field")."""

    def __init__(self, kind: str, detail: str = "", snippet: str = "", part: str = "", issues=()):
        self.kind, self.detail, self.snippet, self.part = kind, detail, snippet, part
        self.issues = list(issues)
        super().__init__(f"{kind}: {detail} [{part}] {snippet}")


# ---------------------------------------------------------------- values


def xml_value(value) -> str:
    """A value as the letter prints it, XML-escaped exactly once. This is jinja's finalize: it
    runs after every filter (``|e``, ``|safe``…) and on constants jinja has already escaped,
    so whatever went through an escaping step is read back to its text and escaped here; plain
    text is left for jinja's autoescape (the fast path of every letter)."""
    if type(value) is str:
        return _clean(value)
    return escape(_clean(_as_text(value)))


def _clean(text: str) -> str:
    if text.isprintable() and unicodedata.is_normalized("NFC", text):
        return text
    return _SPACES.sub(" ", _BAD_CHARS.sub(" ", unicodedata.normalize("NFC", text)))


def _as_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "__html__"):  # Markup, docxtpl's RichText and Listing: their text
        markup = str(value.__html__())
        if "<" in markup:
            markup = _MARKUP_TAG.sub("", _BREAKS.sub(" ", markup))
        return html.unescape(markup) if "&" in markup else markup
    try:
        if value != value:  # noqa: PLR0124 (nan and NaT differ from themselves)
            return ""
    except (TypeError, ValueError):  # pandas.NA
        return ""
    if isinstance(value, (str, numbers.Number, date)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a value a letter can print")


def _word_constant(node) -> bool:
    return isinstance(node, nodes.Const) and (node.value is None or isinstance(node.value, bool))


def _same(value):
    """``|safe`` never lets a value's text become XML: it is escaped once like any other."""
    return value


# StrictUndefined: {{ ho_ten_tre.abc }} is an error the check reports, not a blank in a letter.
# Sandboxed: a template is a file from outside (an office's own), and jinja would otherwise let
# {{ ho_ten_tre.__class__.__mro__ … }} reach Python itself; the sandbox refuses it (SecurityError,
# a TemplateError the check reports like any broken tag).
ENV = ImmutableSandboxedEnvironment(
    autoescape=True,
    finalize=xml_value,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
ENV.filters.update(FILTERS, safe=_same, forceescape=ENV.filters["escape"])
for _name in ("lipsum", "cycler", "joiner", "namespace", "dict"):
    ENV.globals.pop(_name, None)


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


@dataclass
class _Prepared:
    source: str  # jinja source of the part
    merge_fields: dict[str, str]  # jinja name -> MERGEFIELD name as written
    markers: dict[int, tuple[str, bool]]  # marker -> (paragraph text, in a text box): vanish check
    columns: bool  # a tag changes a table's columns: grids are fitted after rendering


def _prepare(raw: bytes, styles, names, properties, markers: int | None) -> _Prepared:
    """Template XML -> jinja source: Word fields evaluated or refused, every paragraph's tags
    checked, docxtpl's tag cleaning applied."""
    try:
        root = etree.fromstring(raw)
    except etree.XMLSyntaxError as exc:
        raise BrokenTemplate("not_docx", f"XML: {exc}") from None
    merge_names: dict[str, str] = {}
    if b"fldChar" in raw or b"fldSimple" in raw:
        merge_names, refused = convert_fields(root, names, properties)
        if refused:
            raise BrokenTemplate("field", issues=refused)
    for binding in list(root.iter(_w("dataBinding"))):  # bound content controls keep the
        binding.getparent().remove(binding)  # letter's own text (a print file has one core.xml)
    if styles is not None:
        explicit_style_numbering(root, styles)
    if faults := tags.faults(root):
        raise BrokenTemplate("tag", issues=faults)  # the caller names the part
    marked = tags.add_markers(root, markers) if markers is not None else {}
    source, columns = tags.patch(etree.tostring(root, encoding="unicode"))
    return _Prepared(XML_DECLARATION + source, merge_names, marked, columns)


def _prepare_properties(raw: bytes) -> str:
    try:
        root = etree.fromstring(raw)
    except etree.XMLSyntaxError as exc:
        raise BrokenTemplate("not_docx", f"XML: {exc}") from None
    if faults := tags.properties_faults(root):
        raise BrokenTemplate("tag", issues=faults)
    xml = etree.tostring(root, encoding="unicode")
    return XML_DECLARATION + tags.patch_plain(xml)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


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


class _Part:
    """A compiled part (header, footer, footnotes, properties): ``render`` gives its XML."""

    def __init__(self, template: jinja2.Template, namespaces: str | None):
        self.template, self.namespaces = template, namespaces

    def render(self, context: dict) -> str:
        xml = self.template.render(context)
        if self.namespaces is None:
            return xml
        start = xml.index(">", xml.index("<w:", xml.index("?>") + 2)) + 1
        end = xml.rindex("</w:")
        return xml[:start] + grid.fit_grids(xml[start:end], self.namespaces) + xml[end:]


class CompiledTemplate:
    """A .docx template compiled once; render many letters from it.

    ``names`` reads a MERGEFIELD's name as a field (default: folded, ``fieldnames.plain_name``);
    ``markers=True`` compiles the copy the check renders to find vanishing paragraphs.

    Every part a letter is made of is checked the same way, whether it holds a tag or not: a
    part with a ``{`` or ``}`` anywhere (a header's ``{ kinh_gui }}``, a tag Word split over
    runs, a title's ``{{ ho_ten_tre }``) is read and its paragraphs or properties checked; the
    broken ones of all parts are refused together (BrokenTemplate "tag")."""

    def __init__(
        self,
        parts: list[tuple[str, bytes]],
        path: Path | None = None,
        names: Callable[[str], str] = plain_name,
        markers: bool = False,
    ):
        self.path = path
        self.names = names  # kept: a print file recompiles a renamed copy the same way
        # letters are made from the template with its tracked changes accepted, without
        # comment anchors or mail-merge settings; ``revised``: it held changes or comments
        parts, self.revised = revisions.clean_parts(parts)
        raw = dict(parts)
        self.parts = raw
        self.merge_fields: dict[str, str] = {}  # jinja name -> MERGEFIELD name as written
        self.markers: dict[int, tuple[str, bool]] | None = {} if markers else None
        self.marker_parts: dict[int, str] = {}  # marker -> its part
        self.templates: dict[str, _Part] = {}
        self.sources: dict[str, str] = {}
        self.fit = False  # some tag changes a table's columns
        properties, faults = properties_of(raw), []
        for name, data in parts:
            try:
                if TEMPLATED_PART.fullmatch(name):
                    styles = raw.get("word/styles.xml") if name == DOCUMENT else None
                    self._add_part(name, data, styles, names, properties)
                elif PROPERTY_PART.fullmatch(name):
                    self._add_properties(name, data)
            except BrokenTemplate as exc:
                if exc.kind != "tag":
                    exc.part = exc.part or name
                    raise
                faults += [replace(fault, part=name) for fault in exc.issues]
        if faults:
            raise BrokenTemplate("tag", issues=faults)
        for name, source in self.sources.items():
            if name != DOCUMENT:
                space = (
                    grid.namespaces_of(source) if self.fit and name.startswith("word/") else None
                )
                self.templates[name] = _Part(_compile(source, name), space)
        head, content, sect_pr, tail = _split_body(self.sources[DOCUMENT])
        self.body = _Body(head, _compile(content, DOCUMENT), sect_pr, tail)
        self.namespaces = grid.namespaces_of(head)
        static = [entry(n, d, 9) for n, d in parts if n != DOCUMENT and n not in self.templates]
        self._zip = ZipLayout(static)

    def _add_part(self, name: str, data: bytes, styles, names, properties) -> None:
        if name != DOCUMENT and not (
            BRACES.search(data) or b"fldChar" in data or b"fldSimple" in data
        ):
            return
        first = None if self.markers is None else len(self.markers)
        prepared = _prepare(data, styles, names, properties, first)
        if name != DOCUMENT and not TAG.search(prepared.source):
            return  # only fields the page computes (a footer's PAGE): the part stays as it is
        self.merge_fields.update(prepared.merge_fields)
        if self.markers is not None:
            self.markers.update(prepared.markers)
            self.marker_parts.update(dict.fromkeys(prepared.markers, name))
        self.sources[name] = prepared.source
        self.fit |= prepared.columns

    def _add_properties(self, name: str, data: bytes) -> None:
        """Document properties: every property with a brace is checked (core, app, custom);
        a part bound to content controls (customXml) when it holds a tag."""
        text = data.decode("utf-8", "replace")
        if not (TAG.search(text) if name.startswith("customXml/") else BRACES.search(data)):
            return
        source = _prepare_properties(data)
        if TAG.search(source):
            self.sources[name] = source

    @classmethod
    def from_path(cls, path: str | Path, **options) -> CompiledTemplate:
        path = Path(path)
        try:
            return cls(_read_docx(path), path, **options)
        except BrokenTemplate as exc:
            exc.part = exc.part or path.name
            raise

    @property
    def fields(self) -> set[str]:
        """Every field (undeclared variable) the template's tags use; a tag printing a word of
        the template language (``{{ None }}``, ``{{ true }}``) names a field of that name."""
        return set().union(*self.part_fields().values())

    def part_fields(self) -> dict[str, set[str]]:
        """part -> the fields its tags use (body first)."""
        found: dict[str, set[str]] = {}
        for name, source in sorted(self.sources.items(), key=lambda item: item[0] != DOCUMENT):
            tree = ENV.parse(source)
            found[name] = meta.find_undeclared_variables(tree)
            for output in tree.find_all(nodes.Output):
                found[name] |= {str(c.value) for c in output.nodes if _word_constant(c)}
        return found

    def render_content(self, context: dict) -> str:
        """The rendered inside of <w:body>, without the final section properties."""
        content = self.body.content.render(context)
        return grid.fit_grids(content, self.namespaces) if self.fit else content

    def render_parts(self, context: dict) -> dict[str, bytes]:
        """Every part that depends on the record: document.xml, the headers, footers, notes
        and document properties holding tags or fields."""
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
