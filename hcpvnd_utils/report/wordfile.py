"""Opening a Word file the analyst wrote (a narrative or an annex), or saying in Vietnamese why not.

A .docx is read with python-docx. A .doc, .odt or .rtf (or a .docx that is really one of them)
is converted to .docx with LibreOffice first, when it is installed (``pdf.convert_to_docx``).
A password-protected, corrupt, oversized or foreign file stops the run with a coded message
(E-NARR-02, 03, 06, 07, 08); so does a file still carrying tracked changes or comments
(E-NARR-04, 05): a report a leader signs must not carry them.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.oxml.ns import nsmap, qn
from lxml import etree

from .. import messages
from ..pdf import convert_to_docx
from ..safeio import sha256_file
from ..wording import admin_number
from .data import ReportError

MAX_MB = 100  # a narrative with a few photos is a few MB; beyond this, pictures need compressing
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
KINDS = {".doc": "Word 97-2003 (.doc)", ".odt": "OpenDocument (.odt)", ".rtf": "RTF (.rtf)"}
REVISIONS = (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
    "tblGridChange", "tcPrChange", "trPrChange", "numberingChange", "cellIns", "cellDel",
    "cellMerge",
)  # fmt: skip
_REVISION_XPATH = " | ".join(f".//w:{tag}" for tag in REVISIONS)
_REL_FOOTNOTES = "/footnotes"
_REL_ENDNOTES = "/endnotes"
_REL_COMMENTS = "/comments"


@lru_cache(maxsize=64)
def _compiled(expression: str):
    return etree.XPath(expression, namespaces=nsmap)


def xpath(element, expression: str) -> list:
    """``expression`` (w:, wp:, a: … prefixes) on any element, parsed by python-docx or not."""
    return _compiled(expression)(element)


@dataclass
class WordFile:
    path: Path  # the file as the analyst saved it
    document: Document  # read from it, or from its .docx conversion
    sha256: str  # of the analyst's file: what an approval records
    notes: list[str] = field(default_factory=list)  # I-NARR-05 when it was converted


def open_word(path: Path) -> WordFile:
    """The analyst's Word file, read; a coded ReportError when it cannot be used as it is."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_MB * 1024 * 1024:
        raise ReportError("E-NARR-08", file=path, size=round(size / 2**20), limit=MAX_MB)
    kind = _kind(path)
    if kind == "encrypted":
        raise ReportError("E-NARR-03", file=path)
    if kind == "docx":
        document = _read_docx(path, path)
        return WordFile(path, document, sha256_file(path))
    return _converted(path, kind)


def _kind(path: Path) -> str:
    """'docx', 'encrypted', a legacy kind's label, or 'unknown'."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(OLE2_MAGIC):
        return "encrypted" if ENCRYPTED_MARK in path.read_bytes()[: 1 << 20] else KINDS[".doc"]
    if head.startswith(b"{\\rtf"):
        return KINDS[".rtf"]
    if head.startswith(b"PK") and _is_opendocument(path):
        return KINDS[".odt"]
    if head.startswith(b"PK"):
        return "docx"
    return KINDS.get(path.suffix.lower(), "unknown")


def _is_opendocument(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _read_docx(source: Path, shown: Path) -> Document:
    try:
        return Document(str(source))
    except Exception as exc:  # noqa: BLE001 - any unreadable package is the same message
        raise ReportError("E-NARR-02", file=shown, detail=_reason(exc)) from None


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if isinstance(exc, zipfile.BadZipFile) or name == "PackageNotFoundError":
        return "tệp hỏng hoặc không phải văn bản Word"
    if name == "KeyError":
        return "tệp thiếu phần nội dung của văn bản Word"
    return f"tệp hỏng ({name})"


def _converted(path: Path, kind: str) -> WordFile:
    if kind == "unknown":
        raise ReportError("E-NARR-02", file=path, detail="không phải văn bản Word")
    with tempfile.TemporaryDirectory(prefix="hcpvnd-narrative-") as work:
        target = Path(work) / "converted.docx"
        done, detail = convert_to_docx(path, target)
        if not done and not detail:
            raise ReportError("E-NARR-06", file=path, kind=kind)
        if not done:
            raise ReportError("E-NARR-07", file=path, detail=detail)
        document = _read_docx(target, path)
    note = messages.render("I-NARR-05", file=path, kind=kind)
    return WordFile(path, document, sha256_file(path), [note])


# ---------------------------------------------------------------- what a signed report must not carry


def refuse_review_marks(word: WordFile, where) -> None:
    """E-NARR-04 for tracked changes not accepted, E-NARR-05 for comments left in. ``where``
    names the part of the document an element of the body is in (a section's title)."""
    body = word.document.element.body
    changes = _count(body, _REVISION_XPATH) + sum(
        _count(part, _REVISION_XPATH) for part in _note_parts(word.document)
    )
    if changes:
        places = _places(body, _REVISION_XPATH, where)
        raise ReportError("E-NARR-04", file=word.path, count=admin_number(changes), where=places)
    comments = max(_count(body, ".//w:commentReference"), _comments_in_part(word.document))
    if comments:
        places = _places(body, ".//w:commentReference | .//w:commentRangeStart", where)
        raise ReportError("E-NARR-05", file=word.path, count=admin_number(comments), where=places)


def _count(element, expression: str) -> int:
    return len(xpath(element, expression)) if element is not None else 0


def _related(document, suffix: str):
    for rel in document.part.rels.values():
        if rel.reltype.endswith(suffix) and not rel.is_external:
            yield rel.target_part


def _note_parts(document):
    from docx.oxml import parse_xml

    for suffix in (_REL_FOOTNOTES, _REL_ENDNOTES):
        for part in _related(document, suffix):
            yield parse_xml(part.blob)


def _comments_in_part(document) -> int:
    from docx.oxml import parse_xml

    return sum(_count(parse_xml(p.blob), ".//w:comment") for p in _related(document, _REL_COMMENTS))


def _places(body, expression: str, where) -> str:
    """'phần “III.2. Tồn tại, hạn chế”, phần “IV. …”' — where the marks are (at most 3)."""
    named = []
    for element in body.iterchildren():
        if element.tag != qn("w:sectPr") and xpath(element, expression):
            name = where(element)
            if name not in named:
                named.append(name)
    shown = ", ".join(named[:3]) + (", …" if len(named) > 3 else "")
    return shown or "chú thích cuối trang"
