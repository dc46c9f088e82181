"""Word narratives for the tests, written as an analyst writes them: the skeleton ``hcpvnd
narrative new`` makes, filled with python-docx (and, where a test says so, re-saved or converted
by LibreOffice), plus the hostile variants (tracked changes, comments, renamed headings…)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from docx import Document
from report_fixtures import PILOT

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from make_narrative import Writer, add_footnote, fill, section_heading  # noqa: E402

from hcpvnd_utils.pdf import find_soffice  # noqa: E402
from hcpvnd_utils.report.skeleton import new_narrative  # noqa: E402
from hcpvnd_utils.review import drafting  # noqa: E402

DAY = date(2024, 6, 5)
__all__ = ["Writer", "add_footnote", "fill", "section_heading"]


def skeleton(inputs: Path, unit: str | None = None) -> Path:
    return new_narrative(PILOT, unit, inputs).path


def write(inputs: Path, sections: dict, unit: str | None = None, *, edit=None) -> Path:
    """The skeleton with ``sections`` {key: build(writer)} filled; ``edit(doc)`` for the rest."""
    path = skeleton(inputs, unit)
    doc = Document(str(path))
    for key, build in sections.items():
        fill(doc, key, build)
    if edit:
        edit(doc)
    doc.save(str(path))
    return path


def text(*parts):
    """A builder writing one paragraph."""
    return lambda w: w.paragraph(*parts)


def report(place: dict, **kw):
    return drafting.run_report(PILOT, inputs=place["inputs"], outputs=place["outputs"],
                               pdf=False, today=DAY, **kw)  # fmt: skip


def soffice_convert(source: Path, target_suffix: str, out_dir: Path) -> Path:
    """``source`` saved by LibreOffice in another format (docx → odt, docx → docx …)."""
    soffice = find_soffice()
    profile = (out_dir / "lo-profile").resolve().as_uri()
    work = out_dir / "lo-out"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         target_suffix.lstrip("."), "--outdir", str(work), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    made = work / (source.stem + target_suffix)
    assert made.is_file(), made
    return made


def requires_soffice():
    import pytest

    return pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")


def copy_to(path: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return target
