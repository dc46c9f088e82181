"""PDF previews with LibreOffice headless: every document of a run in ONE ``soffice`` call.

Starting LibreOffice costs seconds, converting a page milliseconds, so the documents are staged
under unique names in a temporary folder, converted by one call with a private profile
(``-env:UserInstallation``, so a LibreOffice the user has open is neither used nor disturbed), and
each PDF is moved next to its document. Without LibreOffice we say how to get it and carry on:
a PDF is a preview, never a reason to stop a run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import messages
from .safeio import replacing

INSTALL_HINT_CODE = "W-PDF-01"
WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
MAC_PATH = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


@dataclass
class PdfResult:
    pdfs: dict[Path, Path] = field(default_factory=dict)  # document -> its PDF
    messages: list[str] = field(default_factory=list)  # Vietnamese, for the user
    soffice: str | None = None
    calls: int = 0  # soffice processes started

    @property
    def available(self) -> bool:
        return self.soffice is not None


def find_soffice() -> str | None:
    """$HCPVND_SOFFICE, then soffice/libreoffice on PATH, then the usual install folders."""
    candidates = [
        os.environ.get("HCPVND_SOFFICE"),
        shutil.which("soffice"),
        shutil.which("libreoffice"),
    ]
    candidates += list(WINDOWS_PATHS) if sys.platform == "win32" else [MAC_PATH]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def font_warning() -> str | None:
    """W-PDF-02 when fontconfig maps Times New Roman to something else than Liberation Serif
    (None when it does, or where there is no fontconfig, as on Windows)."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        found = subprocess.run(
            [fc_match, "-f", "%{family[0]}", "Times New Roman"],
            capture_output=True, text=True, timeout=30, check=False,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if found in ("Liberation Serif", "Times New Roman"):
        return None
    return messages.render("W-PDF-02", found=found or "?")


def convert(documents: list[Path], *, timeout_s: float | None = None) -> PdfResult:
    """PDFs next to the documents (same name, .pdf), in one soffice call."""
    documents = [Path(d) for d in documents]
    result = PdfResult(soffice=find_soffice())
    if not documents:
        return result
    if result.soffice is None:
        result.messages.append(messages.render(INSTALL_HINT_CODE))
        return result
    warning = font_warning()
    if warning:
        result.messages.append(warning)
    with tempfile.TemporaryDirectory(prefix="hcpvnd-pdf-") as work:
        work = Path(work)
        staged = _stage(documents, work / "in")
        detail = _run_soffice(result, staged, work, timeout_s or 120 + 10 * len(documents), "pdf")
        for document, copy in zip(documents, staged):
            made = work / "out" / (copy.stem + ".pdf")
            if made.is_file() and made.stat().st_size > 0:
                result.pdfs[document] = _place(made, document.with_suffix(".pdf"))
            else:
                result.messages.append(
                    messages.render("W-PDF-03", file=document.name, detail=detail)
                )
    return result


def _stage(documents: list[Path], folder: Path) -> list[Path]:
    """Copies under unique names: two units' print files may share a name."""
    folder.mkdir(parents=True)
    staged = []
    for number, document in enumerate(documents, start=1):
        copy = folder / f"{number:05d}{document.suffix.lower()}"
        shutil.copyfile(document, copy)
        staged.append(copy)
    return staged


def _run_soffice(result: PdfResult, staged: list[Path], work: Path, timeout_s: float,
                 target: str) -> str:  # fmt: skip
    profile = (work / "profile").resolve().as_uri()
    command = [
        result.soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
        "--nolockcheck", "--convert-to", target, "--outdir", str(work / "out"), *map(str, staged),
    ]  # fmt: skip
    result.calls += 1
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return f"quá {int(timeout_s)} giây"
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return f"mã thoát {done.returncode}" if done.returncode else "không có tệp PDF"


def _place(made: Path, target: Path) -> Path:
    with replacing(target) as tmp:
        shutil.copyfile(made, tmp)
    return target


def convert_to_docx(source: Path, target: Path, *, timeout_s: float = 120) -> tuple[bool, str]:
    """A .doc, .odt or .rtf document saved as Word .docx at ``target`` by LibreOffice (an
    analyst's narrative or annex). Returns (done, why not): why is "" when there is no
    LibreOffice, else what went wrong (a timeout, an exit code)."""
    soffice = find_soffice()
    if soffice is None:
        return False, ""
    result = PdfResult(soffice=soffice)
    with tempfile.TemporaryDirectory(prefix="hcpvnd-docx-") as work:
        work = Path(work)
        (staged,) = _stage([Path(source)], work / "in")
        detail = _run_soffice(result, [staged], work, timeout_s, "docx")
        made = work / "out" / (staged.stem + ".docx")
        if made.is_file() and made.stat().st_size > 0:
            _place(made, Path(target))
            return True, ""
    return False, detail


def pdf_text(path: Path) -> str | None:
    """The PDF's text via pdftotext (poppler-utils), or None when pdftotext is missing."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    done = subprocess.run(
        [tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60, check=False
    )
    return done.stdout.decode("utf-8", errors="replace")
