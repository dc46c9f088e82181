"""Several templates in one print file: the letters of an event in registration order, each
with its own template (the event's own, a child's condolence letter, an A5 card…).

The first template is the base: its package (settings, theme, the document's head) carries the
print file. Each other template is copied into that package under names of its own, then
compiled again from the copy (``Package.members``):

- the parts its document refers to (headers, footers, pictures, charts…) get new names
  (``word/header{n}.xml``, ``word/media/v{k}_image1.png``) and relationship ids (``v{k}rId7``),
  their own relationships followed; comments are left out;
- its styles join the base's: a style the base has the same way is shared, one the base has
  otherwise is renamed (``Heading1V1``); when its default paragraph style or its document
  defaults differ, they become a style of their own, given to each of its paragraphs without one;
- its numbering joins the base's with new ids; its footnotes and endnotes join the base's with
  ids moved by ``k * NOTE_OFFSET``;
- the XML namespaces its document declares are declared in the print file's head too.

Each letter ends with its own template's section (page size and margins: an A5 card stays A5).
A section without a header (footer) shows the previous section's, so a template without one
gets an empty header (footer) of its own wherever another template has one: a letter never
shows another family's header.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from .engine import DOCUMENT, CompiledTemplate
from .stylemerge import StyleMerge, copy_element, renumber

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_RELS, CONTENT_TYPES = "word/_rels/document.xml.rels", "[Content_Types].xml"
STYLES, NUMBERING = "word/styles.xml", "word/numbering.xml"
NOTE_PARTS = {"word/footnotes.xml": "footnote", "word/endnotes.xml": "endnote"}
NOTE_OFFSET = 1000
# relationship types of parts a document has once: merged (styles, numbering, notes) or the
# base's kept (settings, theme, fonts…); comments are left out of a copied template
ONCE = ("/styles", "/numbering", "/settings", "/webSettings", "/fontTable", "/theme",
        "/footnotes", "/endnotes", "/stylesWithEffects", "/glossaryDocument", "/people",
        "/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible", "/customXml")  # fmt: skip
DUMP = {"xml_declaration": True, "encoding": "UTF-8", "standalone": True}
_NUMBERED_PART = re.compile(r"(header|footer)\d*\.xml")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Package:
    """The print file's package: its parts (the base template's, with the others' joined) and
    the templates as compiled from it, the base first."""

    parts: dict[str, bytes]
    members: list[CompiledTemplate]
    head: str
    changed: dict[str, bytes] = field(default_factory=dict)  # parts not as the base has them
    sect_prs: list[str] = field(default_factory=list)  # each member's section properties

    def sect_pr(self, member: int) -> str:
        return self.sect_prs[member] if self.sect_prs else self.members[member].body.sect_pr


def single(template: CompiledTemplate) -> Package:
    return Package(template.parts, [template], template.body.head)


def combine(templates: list[CompiledTemplate]) -> Package:
    """One package for several templates (see the module's docstring)."""
    base = templates[0]
    union = _Union(base.parts)
    members = [base]
    head = base.body.head
    for k, other in enumerate(templates[1:], start=1):
        parts = _Copy(other.parts, k, union).parts()
        members.append(CompiledTemplate(list(parts.items()), other.path, names=other.names))
        head = _declare(head, members[-1].body.head)
    sect_prs = _own_headers(union, [m.body.sect_pr for m in members])
    changed = union.changed()
    return Package({**union.parts, **changed}, members, head, changed, sect_prs)


_REFERENCE = re.compile(r'<w:(header|footer)Reference\b[^>]*\bw:type="(\w+)"')


def _own_headers(union: _Union, sect_prs: list[str]) -> list[str]:
    """Each template's sections given an empty header (footer) of each type another template
    has and it has not: Word and LibreOffice would show the previous letter's."""
    used = {found for sect in sect_prs for found in _REFERENCE.findall(sect)}
    empty: dict[str, str] = {}
    out = []
    for sect in sect_prs:
        missing = sorted(used - set(_REFERENCE.findall(sect)))
        refs = ""
        for kind, kind_type in missing:
            if kind not in empty:
                empty[kind] = _empty_part(union, kind)
            refs += f'<w:{kind}Reference w:type="{kind_type}" r:id="{empty[kind]}"/>'
        if refs:
            sect = re.sub(r"<w:sectPr\b([^>]*?)/>", r"<w:sectPr\1></w:sectPr>", sect, count=1)
            opening = re.search(r"<w:sectPr\b[^>]*>", sect)
            if opening:
                sect = sect[: opening.end()] + refs + sect[opening.end() :]
        out.append(sect)
    return out


def _empty_part(union: _Union, kind: str) -> str:
    """An empty header (footer) part in the union; its relationship id."""
    name = union.free_name(f"word/{kind}1.xml", 0)
    root = "hdr" if kind == "header" else "ftr"
    xml = f'<w:{root} xmlns:w="{W}"><w:p/></w:{root}>'.encode()
    union.add(name, etree.tostring(etree.fromstring(xml), **DUMP), f"{_WORDML}.{kind}+xml")
    rel_id = f"hcpvndEmpty{kind.title()}"
    union.relate(rel_id, f"{R}/{kind}", posixpath.relpath(name, "word"))
    return rel_id


class _Union:
    """The base's parts, as trees where templates join them."""

    def __init__(self, parts: dict[str, bytes]):
        self.original = parts
        self.parts = dict(parts)
        self.trees: dict[str, etree._Element] = {}
        self.added: set[str] = set()

    def tree(self, name: str):
        if name not in self.trees and name in self.parts:
            self.trees[name] = etree.fromstring(self.parts[name])
        return self.trees.get(name)

    def add(self, name: str, data: bytes, content_type: str) -> None:
        self.parts[name] = data
        self.added.add(name)
        types = self.tree(CONTENT_TYPES)
        etree.SubElement(types, f"{{{TYPES}}}Override", PartName="/" + name,
                         ContentType=content_type)  # fmt: skip

    def relate(self, rel_id: str, rel_type: str, target: str, external: bool = False) -> None:
        rels = self.tree(DOC_RELS)
        attrs = {"Id": rel_id, "Type": rel_type, "Target": target}
        if external:
            attrs["TargetMode"] = "External"
        etree.SubElement(rels, f"{{{RELS}}}Relationship", attrs)

    def free_name(self, name: str, k: int) -> str:
        folder, base = posixpath.split(name)
        if _NUMBERED_PART.fullmatch(base):  # kept numbered: the engine compiles these
            kind = re.match(r"[a-z]+", base)[0]
            number = 1
            while posixpath.join(folder, f"{kind}{number}.xml") in self.parts:
                number += 1
            return posixpath.join(folder, f"{kind}{number}.xml")
        return posixpath.join(folder, f"v{k}_{base}")

    def changed(self) -> dict[str, bytes]:
        out = {name: self.parts[name] for name in self.added}
        for name, tree in self.trees.items():
            out[name] = etree.tostring(tree, **DUMP)
        return out


class _Copy:
    """One template's parts renamed into the union (its k-th member)."""

    def __init__(self, parts: dict[str, bytes], k: int, union: _Union):
        self.raw, self.k, self.union = parts, k, union
        self.renamed: dict[str, str] = {}  # old part name -> new
        self.types = etree.fromstring(parts[CONTENT_TYPES])

    def parts(self) -> dict[str, bytes]:
        document = etree.fromstring(self.raw[DOCUMENT])
        self._relationships(document)
        styles = StyleMerge(self.union.tree(STYLES), self.raw.get(STYLES), self.k)
        numbers = self._numbering(styles)
        notes = {name: self._notes(name, document) for name in NOTE_PARTS if name in self.raw}
        styles.apply(document)
        renumber(document, numbers)
        for element in list(document.iter(_w("commentRangeStart"), _w("commentRangeEnd"),
                                          _w("commentReference"))):  # fmt: skip
            element.getparent().remove(element)
        copied = {DOCUMENT: etree.tostring(document, **DUMP)}
        copied.update({new: self.union.parts[new] for new in self.renamed.values()})
        copied.update({name: data for name, data in notes.items() if data is not None})
        if STYLES in self.union.parts:
            copied[STYLES] = etree.tostring(self.union.tree(STYLES), **DUMP)
        return copied

    # -- parts the document refers to -------------------------------------------------------

    def _relationships(self, document) -> None:
        mapping = {}
        rels = etree.fromstring(self.raw.get("word/_rels/document.xml.rels", b"<Relationships/>"))
        for rel in rels:
            rel_type, target = rel.get("Type", ""), rel.get("Target", "")
            if rel_type.endswith(ONCE):
                continue
            new_id = f"v{self.k}{rel.get('Id')}"
            mapping[rel.get("Id")] = new_id
            if rel.get("TargetMode") == "External":
                self.union.relate(new_id, rel_type, target, external=True)
                continue
            name = self._copy(posixpath.normpath(posixpath.join("word", target)))
            if name:
                self.union.relate(new_id, rel_type, posixpath.relpath(name, "word"))
        for element in document.iter():
            for attr, value in element.attrib.items():
                if attr.startswith(f"{{{R}}}") and value in mapping:
                    element.set(attr, mapping[value])

    def _copy(self, name: str) -> str | None:
        """The part under its new name in the union, with its own relationships followed."""
        if name in self.renamed:
            return self.renamed[name]
        if name not in self.raw:
            return None
        new = self.union.free_name(name, self.k)
        self.renamed[name] = new
        self.union.add(new, self.raw[name], self._content_type(name))
        folder, base = posixpath.split(name)
        own = posixpath.join(folder, "_rels", base + ".rels")
        if own in self.raw:
            rels = etree.fromstring(self.raw[own])
            for rel in rels:
                if rel.get("TargetMode") != "External":
                    target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                    moved = self._copy(target)
                    if moved:
                        rel.set("Target", posixpath.relpath(moved, folder))
            new_folder, new_base = posixpath.split(new)
            self.union.parts[posixpath.join(new_folder, "_rels", new_base + ".rels")] = (
                etree.tostring(rels, **DUMP)
            )
            self.union.added.add(posixpath.join(new_folder, "_rels", new_base + ".rels"))
        return new

    def _content_type(self, name: str) -> str:
        for node in self.types:
            if node.get("PartName") == "/" + name:
                return node.get("ContentType")
        extension = name.rsplit(".", 1)[-1].lower()
        for node in self.types:
            if (node.get("Extension") or "").lower() == extension:
                return node.get("ContentType")
        return "application/octet-stream"

    # -- numbering and notes ----------------------------------------------------------------

    def _numbering(self, styles: StyleMerge) -> dict[str, str]:
        """Join the numbering: numId old -> new (the styles' and the document's)."""
        if NUMBERING not in self.raw:
            return {}
        theirs = etree.fromstring(self.raw[NUMBERING])
        union = self.union.tree(NUMBERING)
        if union is None:
            union = etree.Element(_w("numbering"), nsmap={"w": W})
            self.union.add(NUMBERING, b"", f"{_WORDML}.numbering+xml")
            self.union.trees[NUMBERING] = union
            self.union.relate(f"v{self.k}numbering", f"{R}/numbering", "numbering.xml")
        abstract_ids = [int(a.get(_w("abstractNumId"))) for a in union.iter(_w("abstractNum"))]
        num_ids = [int(n.get(_w("numId"))) for n in union.iter(_w("num"))]
        shift_abstract = max(abstract_ids, default=0) + 1
        shift_num = max(num_ids, default=0) + 1
        first_num = next(union.iter(_w("num")), None)
        numbers: dict[str, str] = {}
        for abstract in theirs.iter(_w("abstractNum")):
            abstract.set(
                _w("abstractNumId"), str(int(abstract.get(_w("abstractNumId"))) + shift_abstract)
            )
            styles.rename_in(abstract)
            if first_num is None:
                union.append(abstract)
            else:
                first_num.addprevious(abstract)
        for num in theirs.iter(_w("num")):
            old = num.get(_w("numId"))
            numbers[old] = str(int(old) + shift_num)
            num.set(_w("numId"), numbers[old])
            ref = num.find(_w("abstractNumId"))
            ref.set(_w("val"), str(int(ref.get(_w("val"))) + shift_abstract))
            union.append(num)
        styles.renumber(numbers)
        return numbers

    def _notes(self, name: str, document) -> bytes | None:
        """Footnotes (endnotes) moved by k * NOTE_OFFSET, joined to the base's part; the
        template's own copy keeps them (its letters are rendered from it)."""
        kind = NOTE_PARTS[name]
        notes = etree.fromstring(self.raw[name])
        shift = self.k * NOTE_OFFSET
        for note in notes.iter(_w(kind)):
            if _own(note, kind):
                note.set(_w("id"), str(int(note.get(_w("id"))) + shift))
        for ref in document.iter(_w(f"{kind}Reference")):
            ref.set(_w("id"), str(int(ref.get(_w("id"))) + shift))
        union = self.union.tree(name)
        if union is None:
            self.union.add(name, etree.tostring(notes, **DUMP), f"{_WORDML}.{kind}s+xml")
            self.union.relate(f"v{self.k}{kind}s", f"{R}/{kind}s", f"{kind}s.xml")
        else:
            for note in notes.iter(_w(kind)):
                if _own(note, kind):
                    union.append(copy_element(note))
        return etree.tostring(notes, **DUMP)


_WORDML = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _own(note, kind: str) -> bool:
    """A note of the letter, not Word's separators (they have a type, or an id <= 0)."""
    return note.get(_w("type")) in (None, "normal") and int(note.get(_w("id"), "0")) > 0


def _declare(head: str, other: str) -> str:
    """``head`` (the print file's document start) declaring every namespace ``other`` does, and
    ignoring (mc:Ignorable) what it ignores."""
    opening = re.search(r"<w:document\b[^>]*>", head)
    theirs = re.search(r"<w:document\b[^>]*>", other)
    if not opening or not theirs:
        return head
    tag = opening[0]
    declared = dict(re.findall(r'xmlns:(\w+)="([^"]*)"', tag))
    extra = [f' xmlns:{p}="{u}"' for p, u in re.findall(r'xmlns:(\w+)="([^"]*)"', theirs[0])
             if p not in declared]  # fmt: skip
    ignorable = re.search(r'mc:Ignorable="([^"]*)"', tag)
    wanted = re.search(r'mc:Ignorable="([^"]*)"', theirs[0])
    new = tag[:-1] + "".join(extra) + ">"
    if ignorable and wanted:
        tokens = " ".join(dict.fromkeys(ignorable[1].split() + wanted[1].split()))
        new = new.replace(ignorable[0], f'mc:Ignorable="{tokens}"')
    return head.replace(tag, new, 1)
