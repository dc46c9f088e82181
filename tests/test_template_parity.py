"""The parity suite: every docxtpl tag and Word field kind (catalogue in template_parity.py),
each template built by our own script, then

- rendered by hcpvnd and compared, part by part (body, headers, footers, footnotes, document
  properties), with docxtpl (autoescape on) or with what Word's merge shows; or refused by the
  check and by every run, before any letter, with its coded Vietnamese message;
- opened and saved by LibreOffice (one soffice call for all), then the same again: the same
  letter, a refusal, or — where LibreOffice itself dropped a switch or a field — what Word
  shows for the file LibreOffice saved, with the W-TPL-03 warning;
- every letter converted to PDF (one soffice call), its text found on the page.

The table for the closing note: ``.venv/bin/python tests/template_parity.py``.
"""

from __future__ import annotations

import shutil

import pytest
from template_parity import (
    DOCXTPL,
    KINDS,
    Kind,
    Refused,
    build_all,
    context_of,
    libreoffice_round_trip,
    ours,
    outcome,
    verdict,
)

from hcpvnd_utils import pdf
from hcpvnd_utils.errors import TemplateError
from hcpvnd_utils.letters.templates import compile_for_run

IDS = [kind.name for kind in KINDS]
needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_all(tmp_path_factory.mktemp("kinds"))


@pytest.fixture(scope="module")
def round_trip(built, tmp_path_factory):
    if pdf.find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    saved = libreoffice_round_trip(list(built.values()), tmp_path_factory.mktemp("libreoffice"))
    assert len(saved) == len(built)
    return saved


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_each_kind_works_as_docxtpl_or_word_or_is_refused(built, kind: Kind):
    result = outcome(kind, built[kind.name])
    if isinstance(kind.expect, Refused):
        _assert_refused(kind.expect, result.errors)
        return
    assert result.errors == [], [p.message for p in result.errors]
    assert {p.code for p in result.problems} == ({kind.warning} if kind.warning else set())
    if kind.expect == DOCXTPL:
        assert result.texts == result.docxtpl
    else:
        assert result.texts["body"] == kind.expect


def _assert_refused(expect: Refused, errors: list) -> None:
    assert errors, "not refused"
    assert {p.code for p in errors} == {expect.code}, [p.message for p in errors]
    text = "\n".join(p.message for p in errors)
    for mention in expect.mentions:
        assert mention in text, (mention, text)


@pytest.mark.parametrize(
    "kind", [k for k in KINDS if isinstance(k.expect, Refused)], ids=lambda k: k.name
)
def test_a_refused_kind_stops_a_run_before_any_letter(built, tmp_path, kind: Kind):
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(built[kind.name], folder / "khai_sinh.docx")
    with pytest.raises(TemplateError) as stopped:
        compile_for_run(folder, "phuoc-thanh", ["khai_sinh"])
    assert stopped.value.code == "E-TPL-05"
    assert kind.expect.code in str(stopped.value)


@needs_soffice
@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_after_a_libreoffice_round_trip_the_letter_is_the_same_or_refused(
    built, round_trip, kind: Kind
):
    before = outcome(kind, built[kind.name], with_docxtpl=False)
    after = outcome(kind, round_trip[built[kind.name]], with_docxtpl=False)
    now = verdict(after)
    if now[0] == "refused":
        assert all(p.code.startswith("E-TPL-") for p in after.errors)
        return
    if now == verdict(before):
        return
    # LibreOffice itself dropped a switch or a field: the letter is what Word shows for the
    # file LibreOffice saved, and the check says the template was saved by LibreOffice
    assert kind.after_lo is not None, now
    assert now[1]["body"] == kind.after_lo
    assert "W-TPL-03" in {p.code for p in after.problems}


@needs_soffice
def test_every_letter_keeps_its_text_on_the_pdf_page(built, tmp_path):
    made = {}
    for kind in KINDS:
        if isinstance(kind.expect, Refused):
            continue
        letter = tmp_path / built[kind.name].name
        letter.write_bytes(ours(built[kind.name], context_of(kind)))
        made[kind.name] = letter
    converted = pdf.convert(list(made.values()))
    assert converted.calls == 1
    lost = {}
    for kind in KINDS:
        if kind.name not in made:
            continue
        page = " ".join((pdf.pdf_text(converted.pdfs[made[kind.name]]) or "").split())
        texts = outcome(kind, built[kind.name], with_docxtpl=False).texts
        shown = texts["body"] + texts["header"] + texts["footer"] + texts["footnotes"]
        missing = [line for line in shown if line not in page]
        if missing:
            lost[kind.name] = missing
    assert lost == {}
