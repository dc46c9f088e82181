"""One .docx holding many letters, for printing: built in one pass from a compiled template.

Each letter's body is rendered with the compiled template and the bodies are joined into a single
document.xml; each letter ends with a section break (a copy of the template's page setup,
starting a new page), so every letter starts on its own page with its own margins. Numbered
lists restart in each letter (a new w:num per letter), and headers/footers holding fields get a
copy per letter; footnotes and endnotes holding fields are kept per letter in the one notes part
(each letter's notes numbered apart). Picture ids and bookmarks are renumbered so Word finds no
duplicates. docxcompose stays the tool for joining unrelated documents.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..safeio import atomic_write_bytes
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
    template: CompiledTemplate, contexts: list[dict], path: str | Path, durable: bool = True
) -> None:
    """Write every letter of ``contexts`` into one .docx at ``path`` (atomically)."""
    atomic_write_bytes(Path(path), print_file_bytes(template, contexts), durable)


def print_file_bytes(template: CompiledTemplate, contexts: list[dict]) -> bytes:
    if not contexts:
        raise ValueError("a print file needs at least one letter")
    headers = _PerLetterParts(template, len(contexts))
    numbering = _ListRestarts(template, len(contexts))
    notes = _PerLetterNotes(template)
    rendered = {DOCUMENT: _document_chunks(template, contexts, headers, numbering, notes)}
    rendered.update(headers.render(contexts))
    rendered.update(notes.render(contexts))
    replace = {**headers.replaced(), **numbering.replaced()}
    return template.assemble(rendered, replace or None, level=1)


def _document_chunks(template, contexts: list[dict], headers, numbering, notes):
    """document.xml piece by piece: head, each letter closed by its section break, tail."""
    body, ids, last = template.body, _Counter(), len(contexts) - 1
    yield body.head
    for index, context in enumerate(contexts):
        content = numbering.renumber(template.render_content(context), index)
        content = notes.renumber(content, index)
        content = headers.section(_unique_ids(content, index, ids), index)
        yield (
            content
            if index == last
            else _end_section(content, headers.section(body.sect_pr, index))
        )
    yield headers.section(body.sect_pr, last) + body.tail


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
    """A fresh w:num (same list definition, counters restarted) per letter after the first."""

    def __init__(self, template: CompiledTemplate, letters: int):
        self.mapping: list[dict[str, str]] = [{} for _ in range(letters)]
        self.xml = None
        raw = template.parts.get(NUMBERING)
        if letters < 2 or raw is None or "<w:numId" not in template.sources.get(DOCUMENT, ""):
            return
        self.xml = etree.fromstring(raw)
        used = set(re.findall(r'<w:numId w:val="(\d+)"', template.sources[DOCUMENT])) - {"0"}
        nums = {n.get(f"{{{W}}}numId"): n for n in self.xml.iter(f"{{{W}}}num")}
        nums = {num_id: num for num_id, num in nums.items() if num_id in used}
        starts = self._level_starts()
        next_id = max((int(k) for k in nums), default=0) + 1
        for index in range(1, letters):
            for num_id, num in nums.items():
                abstract = num.find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val")
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
    """Headers/footers holding fields: one rendered copy per letter, referenced by its section."""

    def __init__(self, template: CompiledTemplate, letters: int):
        self.template, self.letters = template, letters
        self.parts = {n: t for n, t in template.templates.items() if n not in NOTES}
        self.rel_ids: dict[str, str] = {}  # part name -> relationship id in document.xml.rels
        if self.parts:
            rels = etree.fromstring(template.parts[DOC_RELS])
            for rel in rels:
                target = "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/")
                if target in self.parts:
                    self.rel_ids[target] = rel.get("Id")

    def copy_name(self, part: str, index: int) -> str:
        return part.replace(".xml", f"_l{index + 1}.xml")

    def section(self, xml: str, index: int) -> str:
        """Point the header/footer references of ``xml`` to letter ``index``'s copies."""
        for rel_id in self.rel_ids.values():
            xml = xml.replace(f'r:id="{rel_id}"', f'r:id="{rel_id}l{index + 1}"')
        return xml

    def render(self, contexts: list[dict]) -> dict[str, bytes]:
        out = {}
        for part, compiled in self.parts.items():
            out[part] = compiled.render(contexts[0]).encode("utf-8")  # the unused original
            if part not in self.rel_ids:
                continue
            for index, context in enumerate(contexts):
                out[self.copy_name(part, index)] = compiled.render(context).encode("utf-8")
                own_rels = part.replace("word/", "word/_rels/") + ".rels"
                if own_rels in self.template.parts:
                    copy = self.copy_name(part, index).replace("word/", "word/_rels/") + ".rels"
                    out[copy] = self.template.parts[own_rels]
        return out

    def replaced(self) -> dict[str, bytes]:
        if not self.rel_ids:
            return {}
        rels = etree.fromstring(self.template.parts[DOC_RELS])
        types = etree.fromstring(self.template.parts[CONTENT_TYPES])
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        for part, rel_id in self.rel_ids.items():
            rel = next(r for r in rels if r.get("Id") == rel_id)
            for index in range(self.letters):
                name = self.copy_name(part, index)
                attrs = {"Id": f"{rel_id}l{index + 1}", "Type": rel.get("Type")}
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
    Note N of letter i gets the id N + i * NOTE_STEP, and letter i's references follow it."""

    def __init__(self, template: CompiledTemplate):
        self.parts = {n: template.templates[n] for n in NOTES if n in template.templates}

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
        for part, compiled in self.parts.items():
            kind = NOTES[part]
            note = re.compile(rf"<w:{kind}\b[^>]*?(?:/>|>.*?</w:{kind}>)", re.DOTALL)
            first = compiled.render(contexts[0])
            end = max((m.end() for m in note.finditer(first)), default=first.rindex("</w:"))
            later = [
                _shifted(found[0], index)
                for index, context in enumerate(contexts[1:], start=1)
                for found in note.finditer(compiled.render(context))
                if _own_note(found[0])
            ]
            out[part] = (first[:end] + "".join(later) + first[end:]).encode("utf-8")
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
