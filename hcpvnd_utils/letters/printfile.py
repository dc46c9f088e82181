"""One .docx holding many letters, for printing: built in one pass from a compiled template.

Each letter's body is rendered with the compiled template and the bodies are joined into a single
document.xml; each letter ends with a section break (a copy of the template's page setup,
starting a new page), so every letter starts on its own page with its own margins. Numbered
lists restart in each letter (a new w:num per letter), and headers/footers holding fields get a
copy per letter; footnotes and endnotes holding fields are kept per letter in the one notes part
(each letter's notes numbered apart). Picture ids and bookmarks are renumbered so Word finds no
duplicates. Letters of several templates (variants, cards) go in one file, in the order given,
each with its own template and page (``combine``). docxcompose stays the tool for joining
unrelated documents (and is kept off the letters' path: it is slow to import).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..safeio import atomic_write_bytes
from .combine import Package, combine, single
from .engine import DOCUMENT, CompiledTemplate

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_RELS, CONTENT_TYPES, NUMBERING = (
    "word/_rels/document.xml.rels",
    "[Content_Types].xml",
    "word/numbering.xml",
)
WORDML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
SECTION_PARAGRAPH = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/></w:rPr>{sect}</w:pPr></w:p>'
)
_NUM_ID = re.compile(r'(<w:numId w:val=")(\d+)(")')
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')
_BOOKMARK = re.compile(r"<w:bookmark(?:Start|End)\b[^>]*>")
NOTES = {"word/footnotes.xml": "footnote", "word/endnotes.xml": "endnote"}
NOTE_STEP = 10000


def write_print_file(
    template: CompiledTemplate | list[CompiledTemplate],
    contexts: list[dict],
    path: str | Path,
    durable: bool = True,
) -> None:
    """Write every letter of ``contexts`` into one .docx at ``path`` (atomically);
    ``template``: one for all, or one per letter."""
    atomic_write_bytes(Path(path), print_file_bytes(template, contexts), durable)


def print_file_bytes(template, contexts: list[dict]) -> bytes:
    if not contexts:
        raise ValueError("a print file needs at least one letter")
    chosen = list(template) if isinstance(template, (list, tuple)) else [template] * len(contexts)
    if len(chosen) != len(contexts):
        raise ValueError("one template per letter")
    members: dict[int, int] = {}
    for one in chosen:
        members.setdefault(id(one), len(members))
    which = [members[id(one)] for one in chosen]
    distinct = list({id(one): one for one in chosen}.values())
    package = single(distinct[0]) if len(distinct) == 1 else combine(distinct)
    headers = _PerLetterParts(package, which)
    numbering = _ListRestarts(package, which)
    notes = _PerLetterNotes(package, which)
    rendered = {DOCUMENT: _document_chunks(package, which, contexts, headers, numbering, notes)}
    rendered.update(headers.render(contexts))
    rendered.update(notes.render(contexts))
    replace = {**package.changed, **headers.replaced(), **numbering.replaced()}
    return package.members[0].assemble(rendered, replace or None, level=1)


def _document_chunks(package: Package, which, contexts: list[dict], headers, numbering, notes):
    """document.xml piece by piece: head, each letter closed by its section break, tail."""
    ids, last = _Counter(), len(contexts) - 1
    yield package.head
    for index, context in enumerate(contexts):
        content = package.members[which[index]].render_content(context)
        content = numbering.renumber(content, index)
        content = notes.renumber(content, index)
        content = headers.section(_unique_ids(content, index, ids), index)
        yield (
            content
            if index == last
            else _end_section(content, headers.section(package.sect_pr(which[index]), index))
        )
    yield headers.section(package.sect_pr(which[last]), last) + package.members[0].body.tail


def _end_section(content: str, sect_pr: str) -> str:
    """Close a letter with a section break (next page) in its last paragraph, or after it."""
    if not sect_pr:
        return content + PAGE_BREAK
    sect = re.sub(r"<w:type\b[^>]*/>", "", sect_pr)  # default type: next page
    content = content.rstrip()
    start = max(content.rfind("<w:p>"), content.rfind("<w:p "))
    tail = content[start:] if start >= 0 else ""
    nested = ("</w:tc>", "</w:txbxContent>", "</w:sdtContent>", "<w:sectPr", "</w:tbl>")
    if not content.endswith("</w:p>") or start < 0 or any(t in tail for t in nested):
        return content + SECTION_PARAGRAPH.format(sect=sect)
    opening = content.index(">", start) + 1
    if content.startswith("<w:pPr/>", opening):
        return content[:opening] + f"<w:pPr>{sect}</w:pPr>" + content[opening + len("<w:pPr/>") :]
    if content[opening:].startswith(("<w:pPr>", "<w:pPr ")):
        close = content.index("</w:pPr>", opening)
        change = content.find("<w:pPrChange", opening, close)
        at = change if change >= 0 else close
        return content[:at] + sect + content[at:]
    return content[:opening] + f"<w:pPr>{sect}</w:pPr>" + content[opening:]


class _Counter:
    def __init__(self):
        self.value = 0

    def next(self) -> str:
        self.value += 1
        return str(self.value)


def _unique_ids(content: str, index: int, ids: _Counter) -> str:
    """Picture ids numbered across the whole file; bookmarks of later letters renamed."""
    if "docPr" in content:
        content = _DOCPR_ID.sub(lambda m: m[1] + ids.next() + m[3], content)
    if index and "bookmark" in content:

        def rename(match) -> str:
            tag = re.sub(
                r'(w:id=")(\d+)"', lambda m: f'{m[1]}{int(m[2]) + index * 10000}"', match[0]
            )
            return re.sub(r'(w:name=")([^"]*)"', rf'\1\2_{index + 1}"', tag)

        content = _BOOKMARK.sub(rename, content)
    return content


class _ListRestarts:
    """A fresh w:num (same list definition, counters restarted) per letter after the first of
    its template."""

    def __init__(self, package: Package, which: list[int]):
        self.mapping: list[dict[str, str]] = [{} for _ in which]
        self.xml = None
        raw = package.parts.get(NUMBERING)
        used = [
            set(re.findall(r'<w:numId w:val="(\d+)"', m.sources.get(DOCUMENT, ""))) - {"0"}
            for m in package.members
        ]
        if len(which) < 2 or raw is None or not any(used):
            return
        self.xml = etree.fromstring(raw)
        nums = {n.get(f"{{{W}}}numId"): n for n in self.xml.iter(f"{{{W}}}num")}
        starts = self._level_starts()
        next_id = max((int(k) for k in nums), default=0) + 1
        seen: set[int] = set()
        for index, member in enumerate(which):
            if member not in seen:
                seen.add(member)  # its first letter uses the lists as they are
                continue
            for num_id in sorted(used[member] & set(nums)):
                abstract = nums[num_id].find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val")
                self.xml.append(self._restarted(str(next_id), abstract, starts.get(abstract, {})))
                self.mapping[index][num_id] = str(next_id)
                next_id += 1

    def _level_starts(self) -> dict[str, dict[str, str]]:
        starts = {}
        for abstract in self.xml.iter(f"{{{W}}}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{{{W}}}lvl"):
                start = lvl.find(f"{{{W}}}start")
                levels[lvl.get(f"{{{W}}}ilvl")] = (
                    start.get(f"{{{W}}}val") if start is not None else "1"
                )
            starts[abstract.get(f"{{{W}}}abstractNumId")] = levels
        return starts

    @staticmethod
    def _restarted(num_id: str, abstract: str, levels: dict[str, str]):
        num = etree.Element(f"{{{W}}}num", {f"{{{W}}}numId": num_id})
        etree.SubElement(num, f"{{{W}}}abstractNumId", {f"{{{W}}}val": abstract})
        for level, start in levels.items():
            override = etree.SubElement(num, f"{{{W}}}lvlOverride", {f"{{{W}}}ilvl": level})
            etree.SubElement(override, f"{{{W}}}startOverride", {f"{{{W}}}val": start})
        return num

    def renumber(self, content: str, index: int) -> str:
        mapping = self.mapping[index]
        if not mapping:
            return content
        return _NUM_ID.sub(lambda m: m[1] + mapping.get(m[2], m[2]) + m[3], content)

    def replaced(self) -> dict[str, bytes]:
        if self.xml is None:
            return {}
        cleanup = self.xml.find(f"{{{W}}}numIdMacAtCleanup")  # must stay last
        if cleanup is not None:
            self.xml.append(cleanup)
        return {
            NUMBERING: etree.tostring(
                self.xml, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        }


class _PerLetterParts:
    """Headers/footers holding fields: one rendered copy per letter, referenced by its section
    (a letter's own template's)."""

    def __init__(self, package: Package, which: list[int]):
        self.package, self.which = package, which
        self.parts = [
            {n: t for n, t in m.templates.items() if n not in NOTES} for m in package.members
        ]
        self.rel_ids: dict[str, str] = {}  # part name -> relationship id in document.xml.rels
        if any(self.parts):
            rels = etree.fromstring(package.parts[DOC_RELS])
            wanted = {name for parts in self.parts for name in parts}
            for rel in rels:
                target = "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/")
                if target in wanted:
                    self.rel_ids[target] = rel.get("Id")

    def copy_name(self, part: str, index: int) -> str:
        return part.replace(".xml", f"_l{index + 1}.xml")

    def section(self, xml: str, index: int) -> str:
        """Point the header/footer references of ``xml`` to letter ``index``'s copies."""
        for part in self.parts[self.which[index]]:
            rel_id = self.rel_ids.get(part)
            if rel_id:
                xml = xml.replace(f'r:id="{rel_id}"', f'r:id="{rel_id}l{index + 1}"')
        return xml

    def render(self, contexts: list[dict]) -> dict[str, bytes]:
        out = {}
        for member, parts in enumerate(self.parts):
            first = contexts[self.which.index(member)]
            for part, compiled in parts.items():
                out[part] = compiled.render(first).encode("utf-8")  # the unused original
        for index, context in enumerate(contexts):
            for part, compiled in self.parts[self.which[index]].items():
                if part not in self.rel_ids:
                    continue
                out[self.copy_name(part, index)] = compiled.render(context).encode("utf-8")
                own_rels = part.replace("word/", "word/_rels/") + ".rels"
                if own_rels in self.package.parts:
                    copy = self.copy_name(part, index).replace("word/", "word/_rels/") + ".rels"
                    out[copy] = self.package.parts[own_rels]
        return out

    def replaced(self) -> dict[str, bytes]:
        if not self.rel_ids:
            return {}
        rels = etree.fromstring(self.package.parts[DOC_RELS])
        types = etree.fromstring(self.package.parts[CONTENT_TYPES])
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        by_id = {r.get("Id"): r for r in rels}
        for index, member in enumerate(self.which):
            for part in self.parts[member]:
                rel_id = self.rel_ids.get(part)
                if not rel_id:
                    continue
                name = self.copy_name(part, index)
                attrs = {"Id": f"{rel_id}l{index + 1}", "Type": by_id[rel_id].get("Type")}
                etree.SubElement(rels, f"{{{RELS}}}Relationship", {**attrs, "Target": name[5:]})
                kind = "footer" if "/footer" in part else "header"
                content_type = overrides.get("/" + part) or f"{WORDML}.{kind}+xml"
                etree.SubElement(
                    types, f"{{{TYPES}}}Override", PartName="/" + name, ContentType=content_type
                )
        dump = {"xml_declaration": True, "encoding": "UTF-8", "standalone": True}
        return {
            DOC_RELS: etree.tostring(rels, **dump),
            CONTENT_TYPES: etree.tostring(types, **dump),
        }


class _PerLetterNotes:
    """Footnotes and endnotes holding fields: every letter's own notes in the one notes part.
    Note N of letter i gets the id N + i * NOTE_STEP, and letter i's references follow it.
    Notes without fields stay as the package has them (every letter of a template shares
    them)."""

    def __init__(self, package: Package, which: list[int]):
        self.package, self.which = package, which
        self.parts = [p for p in NOTES if any(p in m.templates for m in package.members)]

    def renumber(self, content: str, index: int) -> str:
        if not index or not self.parts:
            return content
        for part in self.parts:
            pattern = rf'(<w:{NOTES[part]}Reference\b[^>]*?\bw:id=")(\d+)(")'
            content = re.sub(
                pattern, lambda m: f"{m[1]}{int(m[2]) + index * NOTE_STEP}{m[3]}", content
            )
        return content

    def render(self, contexts: list[dict]) -> dict[str, bytes]:
        out = {}
        for part in self.parts:
            kind = NOTES[part]
            note = re.compile(rf"<w:{kind}\b[^>]*?(?:/>|>.*?</w:{kind}>)", re.DOTALL)
            shell = self.package.parts[part].decode("utf-8")
            shell = note.sub(lambda m: "" if _own_note(m[0]) else m[0], shell)  # separators kept
            own = []
            for index, context in enumerate(contexts):
                member = self.package.members[self.which[index]]
                if part in member.templates:
                    xml = member.templates[part].render(context)
                else:
                    xml = member.parts.get(part, b"").decode("utf-8")
                own += [_shifted(m[0], index) for m in note.finditer(xml) if _own_note(m[0])]
            at = shell.rindex("</w:")
            out[part] = (shell[:at] + "".join(own) + shell[at:]).encode("utf-8")
        return out


def _own_note(note: str) -> bool:
    """A note of the letter (not Word's separator notes, which have a type or an id <= 0)."""
    found = re.search(r'\bw:id="(-?\d+)"', note)
    return "w:type=" not in note.split(">", 1)[0] and bool(found) and int(found[1]) > 0


def _shifted(note: str, index: int) -> str:
    return re.sub(
        r'(\bw:id=")(\d+)(")',
        lambda m: f"{m[1]}{int(m[2]) + index * NOTE_STEP}{m[3]}",
        note,
        count=1,
    )
