"""Letter templates: where they are, what fields they may use, and whether they work.

``templates/<unit>/<event>.docx`` wins over ``templates/<event>.docx``. A template is checked
before any letter is written: a broken tag, a field the data cannot fill, or a file that is not
a .docx stops the run with one Vietnamese message per problem, naming the template and the field.
"""

from __future__ import annotations

import difflib
import io
import re
import traceback
from pathlib import Path

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from ..errors import Problem, TemplateError
from ..records import EVENT_TITLES, EVENTS
from . import tags
from .catalogue import (  # noqa: F401 (the catalogue is part of what templates says)
    COMMON_FIELDS,
    EVENT_FIELDS,
    MULTI_CHILD_FIELDS,
    SAMPLE_DATE,
    SAMPLE_RECORDS,
    SAMPLE_UNIT,
    field_catalogue,
    sample_context,
)
from .engine import (
    DOCUMENT,
    ENV,
    TEMPLATED_PART,
    BrokenTemplate,
    CompiledTemplate,
    plain_text,
)
from .fieldnames import Resolver
from .hints import render_detail, syntax_detail
from .where import in_part, paragraph_where, property_where, text_where

SOBER = re.compile(r"\b(chúc|vui)\b|!", re.IGNORECASE)
RENDER_ERRORS = (
    jinja2.TemplateError,
    ArithmeticError,
    TypeError,
    ValueError,
    LookupError,
    AttributeError,
)


# Word files a clerk may save a template as that we cannot read: named so the check says so
OTHER_WORD_FORMATS = (".doc", ".docm", ".dot", ".dotx", ".rtf", ".odt")


def template_for(templates_dir: Path, unit_key: str, event: str, variant: str = "") -> Path:
    """templates/<unit>/<event>.docx when the unit has its own, else templates/<event>.docx
    (a variant: <event>_<variant>.docx, the same way). A unit's own template saved in another
    format (khai_sinh.doc) is returned as it is, so the check refuses it (E-TPL-03) instead of
    quietly using the default."""
    name = f"{event}_{variant}" if variant else event
    folder = Path(templates_dir) / unit_key if unit_key else None
    if folder is not None:
        for suffix in (".docx", *OTHER_WORD_FORMATS):
            own = folder / f"{name}{suffix}"
            if own.is_file():
                return own
    return Path(templates_dir) / f"{name}.docx"


def event_of(path: Path) -> str | None:
    """The event a template is for, from its file name: khai_sinh.docx and its variants
    (khai_sinh_sinh_doi.docx) -> "khai_sinh"."""
    stem = Path(path).stem
    return next((e for e in EVENTS if stem == e or stem.startswith(f"{e}_")), None)


class RunTemplates(dict):
    """The compiled templates of a run: ``[event]`` the event's own, ``template(event,
    variant)`` any of them."""

    def __init__(self):
        super().__init__()
        self.variants: dict[tuple[str, str], CompiledTemplate] = {}
        self.notices: list[Problem] = []  # warnings the run repeats (W-TPL-06, W-TPL-07)

    def template(self, event: str, variant: str = "") -> CompiledTemplate:
        return self.variants[event, variant] if variant else self[event]


def check_template(path: Path, event: str, display: str | None = None) -> list[Problem]:
    """Every problem of one template (errors, and warnings for a condolence letter's tone)."""
    return _check(Path(path), event, display)[1]


def _problem(code: str, template: str, severity="error", **fields) -> Problem:
    return Problem.make(code, file=template, template=template, severity=severity, **fields)


def _check(path: Path, event: str, display: str | None) -> tuple[CompiledTemplate | None, list]:
    name = display or path.name
    if not path.is_file():
        return None, [_problem("E-TPL-04", name)]
    if path.suffix.lower() != ".docx":
        return None, [_problem("E-TPL-03", name, detail=f"tệp {path.suffix}")]
    names = Resolver(event, set(field_catalogue(event)))
    try:
        compiled = CompiledTemplate.from_path(path, names=names)
    except BrokenTemplate as exc:
        return None, _broken(exc, name)
    problems = _unknown_fields(compiled, event, name)
    if not problems:
        problems = _render_problems(compiled, event, name)
    if not problems:
        problems = _vanished(compiled, event, name)
    if compiled.revised:
        problems.append(_problem("W-TPL-05", name, "warning"))
    if compiled.merge_fields and _saved_by_libreoffice(compiled.parts):
        problems.append(_problem("W-TPL-03", name, "warning"))
    if names.mapped:
        shown = ", ".join(f"«{w}» → {{{{ {f} }}}}" for w, f in names.mapped.items())
        problems.append(_problem("W-TPL-02", name, "warning", mapping=shown))
    return compiled, problems


def _saved_by_libreoffice(parts: dict[str, bytes]) -> bool:
    """LibreOffice writes its name in docProps/app.xml when it saves a .docx."""
    return b"<Application>LibreOffice" in parts.get("docProps/app.xml", b"")


def _broken(exc: BrokenTemplate, name: str) -> list[Problem]:
    if exc.kind == "not_docx":  # the reader's own words are English: say what it means
        return [_problem("E-TPL-03", name, detail="nội dung tệp không phải dạng .docx")]
    if exc.kind == "field":
        return [
            _problem("E-TPL-07", name, where=paragraph_where(exc.part), snippet=r.paragraph[:200],
                     field=r.code[:200], detail=r.reason)
            for r in exc.issues
        ]  # fmt: skip
    if exc.kind == "tag":
        return [
            _problem("E-TPL-01", name, where=_fault_where(f), snippet=f.text[:200], detail=f.detail)
            for f in exc.issues
        ]
    detail = syntax_detail(exc.detail) if exc.kind == "syntax" else "thẻ làm hỏng cấu trúc văn bản"
    return [_problem("E-TPL-01", name, where=text_where(exc.part), snippet=exc.snippet,
                     detail=detail)]  # fmt: skip


def _fault_where(fault: tags.Fault) -> str:
    if fault.part.startswith("word/"):
        return paragraph_where(fault.part, fault.box)
    return property_where(fault.part, fault.prop)


def _unknown_fields(compiled: CompiledTemplate, event: str, name: str) -> list[Problem]:
    known = field_catalogue(event)
    problems, parts = [], compiled.part_fields()
    for field in sorted(compiled.fields - set(known)):
        others = [e for e in EVENTS if e != event and field in EVENT_FIELDS[e]]
        hint = f" (trường này chỉ dùng cho thư {EVENT_TITLES[others[0]].lower()})" if others else ""
        close = difflib.get_close_matches(field, known, n=1, cutoff=0.8)
        hint += f" (có phải “{close[0]}”?)" if close and not others else ""
        written = compiled.merge_fields.get(field, field)
        where = in_part(next(part for part, used in parts.items() if field in used))
        problems.append(
            _problem("E-TPL-02", name, field=written, where=where,
                     event_title=EVENT_TITLES[event].lower(), hint=hint)
        )  # fmt: skip
    return problems


def _render_problems(compiled: CompiledTemplate, event: str, name: str) -> list[Problem]:
    """Render both branches of every condition; the result must be a sound document. (A tag
    left half-typed is found before, in its paragraph: ``tags.faults``.)"""
    problems = []
    for flags in (True, False):
        try:
            check_xml(compiled, sample_context(event, flags))
            lines = _shown_lines(compiled, sample_context(event, flags))
        except BrokenTemplate as exc:
            return _broken(exc, name)
        except RENDER_ERRORS as exc:  # e.g. {{ ho_ten_tre.foo() }}: compiles, fails on data
            where, snippet = _failing_paragraph(compiled, sample_context(event, flags))
            return [_problem("E-TPL-01", name, where=where, snippet=snippet,
                             detail=render_detail(exc))]  # fmt: skip
        for where, line in lines:
            if event == "khai_tu" and (word := SOBER.search(line)):
                problems.append(_problem("W-TPL-01", name, "warning", word=word[0], where=where,
                                         snippet=line[:120]))  # fmt: skip
    return list({p.message: p for p in problems}.values())


def _shown_lines(compiled: CompiledTemplate, context: dict) -> list[tuple[str, str]]:
    """(where, text) of every paragraph a letter shows: the body's, then its headers', footers'
    and notes'."""
    rendered = compiled.render_parts(context)
    body = extract_text(compiled.assemble(rendered)).splitlines()
    lines = [(paragraph_where(DOCUMENT), line) for line in body]
    for part, data in {**compiled.parts, **rendered}.items():
        if part != DOCUMENT and TEMPLATED_PART.fullmatch(part):
            found = re.findall(r"<w:p[ >].*?</w:p>", data.decode("utf-8"), re.DOTALL)
            lines += [(paragraph_where(part), plain_text(p)) for p in found]
    return lines


def _failing_paragraph(compiled: CompiledTemplate, context: dict) -> tuple[str, str]:
    """Where, and the text of, the paragraph whose tag fails when rendered, in whichever part
    it is (one paragraph per source line)."""
    for part, source in compiled.sources.items():
        lined = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
        try:
            ENV.from_string(lined).render(context)
        except RENDER_ERRORS as exc:
            tb = traceback.extract_tb(exc.__traceback__)
            if frames := [f for f in tb if f.filename == "<template>"]:
                return text_where(part), plain_text(lined.splitlines()[frames[-1].lineno - 1])[:200]
    return text_where(DOCUMENT), ""


def _vanished(compiled: CompiledTemplate, event: str, name: str) -> list[Problem]:
    """Paragraphs with text of their own that no letter can show: a tag swallowed them while
    the template was cleaned, or no sample letter shows them though no condition encloses
    them. (A paragraph inside a condition the samples do not meet is not reported.)"""
    marked = CompiledTemplate(list(compiled.parts.items()), compiled.path,
                              names=Resolver(event, set(field_catalogue(event))), markers=True)  # fmt: skip
    kept, always, seen = set(), set(), set()
    for source in marked.sources.values():
        kept |= {int(n) for n in tags.MARK.findall(source)}
        always |= tags.unconditional_markers(source)
    for flags in (True, False):
        for data in marked.render_parts(sample_context(event, flags)).values():
            seen |= tags.present_markers(data.decode("utf-8"))
    return [
        _problem("E-TPL-08", name, where=paragraph_where(marked.marker_parts[number], box),
                 snippet=text[:200])
        for number, (text, box) in sorted(marked.markers.items())
        if number not in kept or (number in always and number not in seen)
    ]  # fmt: skip


def compile_for_run(
    templates_dir: Path, unit_key: str, events=EVENTS, rules: dict | None = None
) -> RunTemplates:
    """Compile the templates a run needs — each event's own, and every variant its ``rules``
    (``UnitsConfig.rules_for``) may choose; raise TemplateError listing every error (a
    variant without its template: E-TPL-09, naming the rule) before any letter is written."""
    templates_dir, compiled, errors = Path(templates_dir), RunTemplates(), []
    for event in events:
        template, problems = _check_for_run(templates_dir, template_for(templates_dir, unit_key,
                                                                        event), event)  # fmt: skip
        errors += problems
        compiled[event] = template
        for variant, rule in chosen_variants((rules or {}).get(event, ())).items():
            path = template_for(templates_dir, unit_key, event, variant)
            if not path.is_file():
                errors.append(missing_variant(templates_dir, unit_key, event, rule))
                continue
            template, problems = _check_for_run(templates_dir, path, event)
            errors += problems
            compiled.variants[event, variant] = template
    if errors:
        error = TemplateError("E-TPL-05", details="\n".join(f"- {p.message}" for p in errors))
        error.problems = errors
        raise error
    compiled.notices = misnamed(templates_dir, unit_key) if unit_key else []
    return compiled


def _check_for_run(templates_dir: Path, path: Path, event: str):
    display = (
        path.relative_to(templates_dir).as_posix() if path.is_relative_to(templates_dir) else None
    )
    template, problems = _check(path, event, display)
    return template, [p for p in problems if p.severity == "error"]


def chosen_variants(rules) -> dict:
    """variant -> the first rule choosing it."""
    found = {}
    for rule in rules:
        found.setdefault(rule.variant, rule)
    return found


def missing_variant(templates_dir: Path, unit_key: str, event: str, rule) -> Problem:
    name = f"{event}_{rule.variant}.docx"
    where = (
        f"templates/{unit_key}/{name} hoặc templates/{name}" if unit_key else f"templates/{name}"
    )
    return _problem("E-TPL-09", name, key=rule.key, variant=rule.variant, where=where,
                    folder=Path(templates_dir).as_posix())  # fmt: skip


def check_rules(templates_dir: Path, config) -> list[Problem]:
    """Every variant the units file's rules may choose has its template, for every unit
    (E-TPL-09 once per rule and missing file)."""
    found: dict[tuple, Problem] = {}
    for unit_key in config.units:
        for event, rules in config.rules_for(unit_key).items():
            for variant, rule in chosen_variants(rules).items():
                if template_for(templates_dir, unit_key, event, variant).is_file():
                    continue
                own = rule.key.startswith("units.")
                problem = missing_variant(templates_dir, unit_key if own else "", event, rule)
                found.setdefault((rule.key, own and unit_key), problem)
    return list(found.values())


def check_paths(paths: list | None, templates_dir: Path) -> list[Problem]:
    """``hcpvnd templates check [TEMPLATE...]``: the given templates (the event is read from the
    file name; a relative name is looked for in ``templates_dir`` first), or every template
    under ``templates_dir`` when none is given."""
    if not paths:
        return check_all(templates_dir)
    problems = []
    folder = Path(templates_dir).resolve()
    for path in map(Path, paths):
        if not path.is_absolute() and ((folder / path).exists() or not path.exists()):
            path = folder / path
        shown = path.name if path.exists() else path.as_posix()
        if path.resolve().is_relative_to(folder):
            shown = path.resolve().relative_to(folder).as_posix()
        event = event_of(path)
        if event is None:
            names = ", ".join(f"{e}.docx" for e in EVENTS) + " hoặc <loại thư>_<tên mẫu>.docx"
            problems.append(_problem("E-TPL-06", shown, names=names))
        else:
            problems += check_template(path, event, shown)
    return problems


def check_all(templates_dir: Path) -> list[Problem]:
    """Every template under ``templates_dir`` (defaults and unit overrides) checked; a default
    template missing is a problem (a unit without its own would have none)."""
    templates_dir, problems = Path(templates_dir), []
    for event in EVENTS:
        if not any(
            (templates_dir / f"{event}{s}").is_file() for s in (".docx", *OTHER_WORD_FORMATS)
        ):
            problems.append(_problem("E-TPL-04", (templates_dir / f"{event}.docx").as_posix()))
    for path in sorted(templates_dir.rglob("*")) if templates_dir.is_dir() else []:
        event, shown = event_of(path), path.relative_to(templates_dir).as_posix()
        if not event or path.name.startswith("~$"):  # ~$… is Word's lock file
            continue
        if path.suffix.lower() in (".docx", *OTHER_WORD_FORMATS) and _expected_name(path.name) in (
            None,
            path.name,
        ):  # khai_sinh.DOCX is never used: W-TPL-07 says so
            problems += check_template(path, event, shown)
    return problems + misnamed(templates_dir)


def misnamed(templates_dir: Path, unit_key: str | None = None) -> list[Problem]:
    """W-TPL-07 for each template whose name differs from the one the run looks for only in
    case or by a doubled extension (Khai_sinh.docx, khai_sinh.DOCX, khai_sinh.docx.docx): the
    run never uses it. ``unit_key``: that unit's folder and the defaults; else every folder."""
    templates_dir = Path(templates_dir)
    if unit_key is None:
        folders = [templates_dir, *sorted(p for p in templates_dir.glob("*") if p.is_dir())]
    else:
        folders = [templates_dir, templates_dir / unit_key]
    problems = []
    for folder in folders:
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            expected = _expected_name(path.name)
            if expected is None or expected == path.name or path.name.startswith("~$"):
                continue
            shown = path.relative_to(templates_dir).as_posix()
            wanted = (folder / expected).relative_to(templates_dir).as_posix()
            if (folder / expected).is_file():
                used = f"tệp {wanted}"
            elif folder != templates_dir and (templates_dir / expected).is_file():
                used = f"mẫu chung {expected}"
            else:
                used = "không có mẫu nào"
            problems.append(_problem("W-TPL-07", shown, "warning", expected=wanted, used=used))
    return problems


def _expected_name(name: str) -> str | None:
    """The template name a file was meant to have (khai_sinh.docx for Khai_sinh.DOCX or
    khai_sinh.docx.docx), None when it is not a template's."""
    base = name
    while base.lower().endswith(".docx"):
        base = base[:-5]
    if base == name or not base:
        return None
    candidate = f"{base.lower()}.docx"
    event = event_of(Path(candidate))
    return candidate if event is not None else None


def misplaced_folders(templates_dir: Path, config, unit_key: str | None = None) -> list[Problem]:
    """W-TPL-06 for each folder under templates/ that is no unit's key: its templates are never
    used (a typo, the unit's name in words); the closest key suggested. ``unit_key``: only
    the folders meant for that unit (a run's own)."""
    templates_dir, problems = Path(templates_dir), []
    for folder in sorted(templates_dir.glob("*")) if templates_dir.is_dir() else []:
        if not folder.is_dir() or folder.name in config.units or folder.name.startswith("."):
            continue
        if unit_key is not None and config.closest_key(folder.name) != unit_key:
            continue
        if not any(event_of(p) or _expected_name(p.name) for p in folder.glob("*")):
            continue  # not a folder of templates (pictures, old copies…)
        problems.append(
            _problem("W-TPL-06", f"templates/{folder.name}/", "warning",
                     hint=config.close_key(folder.name), known=", ".join(config.units))
        )  # fmt: skip
    return problems


def check_xml(compiled: CompiledTemplate, context: dict) -> None:
    """Render ``context`` and parse every rendered part strictly (BrokenTemplate "xml")."""
    for name, data in compiled.render_parts(context).items():
        try:
            etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            line = data.decode("utf-8").splitlines()[max(exc.lineno - 1, 0)]
            column = max(exc.offset or 0, 0)
            window = line[max(column - 400, 0) : column + 200]
            window = re.sub(r"<[^>]*$", "", re.sub(r"^[^<]*>", "", window))  # no half tags
            raise BrokenTemplate("xml", str(exc), plain_text(window)[-200:], name) from None


def extract_text(docx: bytes | str | Path) -> str:
    """The visible text of a .docx body as python-docx reads it: one line per paragraph, tables
    cell by cell, in document order. For checks and tests, never for layout."""
    source = io.BytesIO(docx) if isinstance(docx, bytes) else str(docx)
    return "\n".join(_block_lines(Document(source).element.body))


def _block_lines(container) -> list[str]:
    lines = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, None).text)
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                for cell in row.iterchildren(qn("w:tc")):
                    lines += _block_lines(cell)
    return lines
