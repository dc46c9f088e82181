"""Review and privacy, second pass (issue #12, points 12 and 14): an approved report edited after
approval is never confirmed again, a damaged approval record is never silently replaced, the
crash log goes where the command was told and never shows a traceback, folders and files under
outputs/ are owner-only even when they existed before or a run was killed, and no key in the
units file or on the command line leads outside outputs/."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from report_fixtures import INPUTS_2024, PILOT, PILOT_LETTERS, record_letters, write_summary

from hcpvnd_utils.cli import main as cli_main
from hcpvnd_utils.config import load_units
from hcpvnd_utils.errors import ConfigError, HcpvndError
from hcpvnd_utils.layout import APPROVALS
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.report.text import NARRATIVE_KEYS
from hcpvnd_utils.review import approve as approval_module
from hcpvnd_utils.review import drafting as reporting

ROOT = Path(__file__).resolve().parents[1]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def place(tmp_path):
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    (inputs / "narratives").mkdir(parents=True)
    shutil.copy(INPUTS_2024 / "units.yaml", inputs / "units.yaml")
    written = {key: f"Nội dung {key} do chuyên viên viết." for key in NARRATIVE_KEYS}
    (inputs / "narratives" / f"{PILOT.label}.yaml").write_text(
        json.dumps(written, ensure_ascii=False), encoding="utf-8"
    )
    record_letters(outputs / "ledger.sqlite", PILOT_LETTERS)
    for unit, letters in PILOT_LETTERS.items():
        write_summary(
            outputs, PILOT, unit, {e: {"rows": n, "letters": n} for e, n in letters.items()}
        )
    return {"inputs": inputs, "outputs": outputs}


def report(place):
    return reporting.run_report(PILOT, inputs=place["inputs"], outputs=place["outputs"], pdf=False)


def approve(place):
    return approval_module.approve(PILOT, None, "Lê Minh Khang", place["outputs"], pdf=False)


# --- 12. approval ------------------------------------------------------------------------------


def test_an_approved_report_edited_after_approval_is_not_confirmed_again(place):
    report(place)
    approval = approve(place)
    record = (approval.folder / APPROVALS).read_bytes()
    document = Document(str(approval.final_path))
    document.add_paragraph("Thêm một câu sau khi duyệt.")
    document.save(str(approval.final_path))
    with pytest.raises(HcpvndError) as refused:
        approve(place)
    assert refused.value.code == "E-APPROVE-06"
    assert str(approval.final_path) in refused.value.message
    assert (approval.folder / APPROVALS).read_bytes() == record  # nothing re-recorded
    approval.final_path.unlink()  # what the message says to do after an edit by mistake
    again = approve(place)
    assert again.messages[0].startswith("[I-APPROVE-01]")


@pytest.mark.parametrize(
    "damage",
    ["{ not json", "[]", '{"current": {"approved_by": "X"}, "history": []}', "\x00" * 40],
)
def test_a_damaged_approval_record_is_refused_and_kept(place, damage):
    report(place)
    approval = approve(place)
    path = approval.folder / APPROVALS
    path.write_text(damage, encoding="utf-8")
    for attempt in (lambda: approve(place), lambda: report(place)):
        with pytest.raises(HcpvndError) as refused:
            attempt()
        assert refused.value.code == "E-APPROVE-07"
        assert str(path) in refused.value.message
    assert path.read_text(encoding="utf-8") == damage  # the history is not written over


@pytest.mark.parametrize(
    "damage",
    [
        {"approved_by": None},
        {"approved_by": "  "},
        {"approved_at": "hôm qua"},
        {"approved_at": "2024-06-01"},
        {"approved_at": 20240601},
        {"document_sha256": "abc"},
        {"figures_sha256": None},
        {"unit": ""},
        {"accepted_warnings": "W-REPORT-02"},
        {"period": None},
    ],
)
def test_an_approval_record_with_a_damaged_value_is_refused_and_kept(place, damage):
    report(place)
    approval = approve(place)
    path = approval.folder / APPROVALS
    book = json.loads(path.read_text(encoding="utf-8"))
    book["current"] = {**book["current"], **damage}
    path.write_text(json.dumps(book, ensure_ascii=False), encoding="utf-8")
    written = path.read_bytes()
    for attempt in (lambda: approve(place), lambda: report(place)):
        with pytest.raises(HcpvndError) as refused:
            attempt()
        assert refused.value.code == "E-APPROVE-07"
        assert "None" not in refused.value.message and "hôm qua" not in refused.value.message
    assert path.read_bytes() == written  # the history is not written over


def test_an_approval_record_with_history_and_no_current_approval_is_refused(place):
    report(place)
    approval = approve(place)
    path = approval.folder / APPROVALS
    book = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({"history": book["history"]}), encoding="utf-8")
    with pytest.raises(HcpvndError) as refused:
        report(place)
    assert refused.value.code == "E-APPROVE-07"


def test_an_approval_record_with_an_empty_history_is_no_approval(place):
    report(place)
    path = approve(place).folder / APPROVALS
    path.write_text('{"history": []}', encoding="utf-8")
    assert approve(place).messages[0].startswith("[I-APPROVE-01]")


# --- 14. the crash log ---------------------------------------------------------------------------


def _a_bug(args):
    raise RuntimeError("a bug that quotes a cell: Nguyễn Thị Ánh")


def test_a_crash_is_logged_under_the_outputs_given_without_a_traceback(tmp_path, monkeypatch,
                                                                      capsys):  # fmt: skip
    monkeypatch.setattr(cli_main.validate, "validate_command", _a_bug)
    outputs = tmp_path / "given"
    assert cli_main.main(["validate", "--outputs", str(outputs)]) == 3
    said = capsys.readouterr().err
    log = outputs / "loi_chuong_trinh.log"
    assert said.strip() == f"[E-BUG-01] Lỗi chương trình. Gửi tệp {log} cho bộ phận kỹ thuật."
    assert "Traceback" in log.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_crash_with_no_writable_place_for_its_log_says_so_without_a_traceback(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(cli_main.validate, "validate_command", _a_bug)
    blocked = tmp_path / "a_file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(cli_main.layout, "outputs_dir", lambda: blocked / "outputs")
    monkeypatch.setattr(cli_main.layout, "spare_crash_log", lambda: blocked / "x" / "log")
    assert cli_main.main(["validate", "--outputs", str(blocked / "given")]) == 3
    said = capsys.readouterr().err
    assert said.startswith("[E-BUG-02] Lỗi chương trình (RuntimeError)")
    assert "Traceback" not in said and "Nguyễn" not in said


# --- 14. owner-only folders and files -------------------------------------------------------------


@POSIX
def test_folders_that_existed_open_are_made_owner_only(tmp_path):
    outputs = tmp_path / "outputs"
    (outputs / "2024-09" / "phuoc-thanh").mkdir(parents=True)
    for folder in (outputs, outputs / "2024-09", outputs / "2024-09" / "phuoc-thanh"):
        os.chmod(folder, 0o755)  # a clone's outputs/, or folders made by hand
    run_unit("phuoc-thanh", "2024-09", outputs=outputs)
    folders = [outputs, *(p for p in outputs.rglob("*") if p.is_dir())]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {"0o700"}
    files = [p for p in outputs.rglob("*") if p.is_file()]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {"0o600"}


KILL = """
import sys
from pathlib import Path
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.runs.notebook import run_unit_notebook
out = Path(sys.argv[1])
run_unit_notebook("phuoc-nghia", parse_period("2024"), inputs=Path(sys.argv[2]), outputs=out,
                  ledger=out / "ledger.sqlite")
"""


@POSIX
@pytest.mark.slow
def test_a_killed_notebook_run_leaves_its_copy_and_log_owner_only(tmp_path):
    outputs = tmp_path / "outputs"
    folder = outputs / "2024" / "phuoc-nghia" / "notebooks"
    copy, log = folder / "unit_letters.ipynb", folder / "run.log"
    runner = subprocess.Popen([sys.executable, "-c", KILL, str(outputs), str(ROOT / "inputs")],
                              cwd=ROOT, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (copy.exists() and log.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(runner.pid, signal.SIGKILL)  # the runner and its kernel, at once
    runner.wait()
    assert copy.exists() and log.exists()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


# --- 14. no key leads outside outputs/ ------------------------------------------------------------


@pytest.mark.parametrize("key", ["../../x", "/tmp/x", "huyen/../../x", "Huyện Tuy Phước"])
def test_a_district_key_that_would_leave_outputs_is_refused(tmp_path, key):
    text = (ROOT / "inputs" / "units.yaml").read_text(encoding="utf-8")
    assert "key: huyen-tuy-phuoc" in text
    units = tmp_path / "units.yaml"
    units.write_text(text.replace("key: huyen-tuy-phuoc", f'key: "{key}"'), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_units(units)
    assert refused.value.code == "E-CONF-02" and "district.key" in refused.value.message


@pytest.mark.parametrize("unit", ["../../x", "/tmp/x", "..", "phuoc-thanh/../../x"])
def test_approve_with_a_unit_that_would_leave_outputs_is_refused(tmp_path, unit):
    outputs = tmp_path / "work" / "outputs"
    outputs.mkdir(parents=True)
    with pytest.raises(HcpvndError) as refused:
        approval_module.approve(PILOT, unit, "Lê Minh Khang", outputs, pdf=False)
    assert refused.value.code == "E-NB-09"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert list(outputs.iterdir()) == []
