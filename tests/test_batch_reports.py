"""The reports at the end of ``hcpvnd batch``, as a clerk sees them: the report's own notices on
the console (a change after approval, a unit still missing), units named by their Vietnamese
names, a district report that waits for every unit after ``--units``, and every PDF preview of
the batch made by ONE soffice call."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import (
    INPUTS_2024,
    INPUTS_2025,
    PILOT,
    PILOT_LETTERS,
    record_letters,
    write_summary,
)

from hcpvnd_utils import pdf
from hcpvnd_utils.config import load_units
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.report.text import NARRATIVE_KEYS
from hcpvnd_utils.review import drafting as reporting
from hcpvnd_utils.runs import reports as report_runs

ROOT = Path(__file__).resolve().parents[1]
PILOT_ARG = "2024-03-01..2024-05-31"


def hcpvnd(*args, env: dict | None = None):
    proc = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env={**os.environ, **(env or {})},
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def sample(tmp_path) -> Path:
    """The 2024 sample's inputs, with the analyst's narrative for the pilot months (a YAML one
    here, instead of the shipped Word example: one narrative per report)."""
    inputs = tmp_path / "inputs"
    shutil.copytree(
        INPUTS_2024, inputs, ignore=shutil.ignore_patterns("gia-lai-2025", "narratives")
    )
    (inputs / "narratives").mkdir(exist_ok=True)
    written = {key: f"Nội dung {key} do chuyên viên viết." for key in NARRATIVE_KEYS}
    narrative = inputs / "narratives" / f"{PILOT.label}.yaml"
    narrative.write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    return inputs


# ---------------------------------------------------------------- fast: what a batch decides


def test_the_district_report_waits_until_every_unit_has_run(tmp_path):
    config = load_units(INPUTS_2024 / "units.yaml")
    write_summary(tmp_path, PILOT, "phuoc-quang", {"khai_sinh": {"rows": 3, "letters": 3}})

    due, waiting = report_runs.reports_due(config, PILOT, tmp_path, ["phuoc-quang"])

    assert due == []
    (notice,) = waiting
    assert notice.startswith("[I-REPORT-04] Lần chạy này không lập báo cáo tổng hợp kỳ")
    assert "chưa có kết quả làm thư kỳ này của 1 đơn vị (xã Phước Nghĩa)" in notice
    assert f"hcpvnd batch --period {PILOT_ARG} --units phuoc-nghia" in notice
    assert f"hcpvnd report --period {PILOT_ARG}." in notice

    write_summary(tmp_path, PILOT, "phuoc-nghia", {"khai_tu": {"rows": 1, "letters": 1}})
    assert report_runs.reports_due(config, PILOT, tmp_path, ["phuoc-nghia"]) == ([None], [])


def test_after_units_only_those_communes_reports_are_made_post_2025(tmp_path):
    config = load_units(INPUTS_2025 / "units.yaml")
    period = parse_period("2025-09")
    for key in ("tuy-phuoc-bac", "tuy-phuoc-dong"):
        write_summary(tmp_path, period, key, {})

    due, waiting = report_runs.reports_due(config, period, tmp_path, ["tuy-phuoc-bac"])

    assert (due, waiting) == (["tuy-phuoc-bac"], [])
    due, waiting = report_runs.reports_due(config, period, tmp_path)
    assert due == ["tuy-phuoc-bac", "tuy-phuoc-dong"]
    assert [w.split(":")[0] for w in waiting] == [
        "[I-REPORT-04] Lần chạy này không lập báo cáo của xã Tuy Phước kỳ từ ngày 01/9/2025 đến "
        "ngày 30/9/2025",
        "[I-REPORT-04] Lần chạy này không lập báo cáo của xã Tuy Phước Tây kỳ từ ngày 01/9/2025 "
        "đến ngày 30/9/2025",
    ]


def test_report_messages_name_the_commune_not_its_key(tmp_path):
    record_letters(tmp_path / "ledger.sqlite", PILOT_LETTERS)
    draft = reporting.run_report(PILOT, unit="phuoc-quang", inputs=INPUTS_2024, outputs=tmp_path,
                                 narrative={}, pdf=False, today=date(2024, 6, 5))  # fmt: skip
    shown = "\n".join(draft.messages)
    assert "[I-REPORT-03] Đã lập bản dự thảo báo cáo của xã Phước Quang kỳ" in shown
    assert "--unit phuoc-quang" in shown  # the command still takes the key
    assert "báo cáo của phuoc-quang" not in shown
    assert report_runs.report_title(load_units(INPUTS_2024 / "units.yaml"), None) == (
        "báo cáo tổng hợp của huyện Tuy Phước"
    )


# ---------------------------------------------------------------- slow: the command itself


@pytest.mark.slow
def test_a_batch_after_approval_says_the_figures_changed(sample, tmp_path):
    out = tmp_path / "outputs"
    where = ("--inputs", sample, "--outputs", out)
    code, stdout, stderr = hcpvnd("batch", "--period", PILOT_ARG, *where)
    assert code == 0, stdout + stderr
    report = out / PILOT.label / "report" / "huyen-tuy-phuoc"
    draft = report / "du_thao" / f"bao_cao_huyen-tuy-phuoc_{PILOT.label}_du_thao.docx"
    assert f"Báo cáo tổng hợp của huyện Tuy Phước (dự thảo): {draft}" in stdout
    assert "[I-REPORT-03] Đã lập bản dự thảo báo cáo tổng hợp kỳ từ ngày 01/3/2024" in stdout
    code, stdout, stderr = hcpvnd(
        "approve", "--period", PILOT_ARG, "--by", "Lê Minh Khang", "--outputs", out
    )
    assert code == 0, stdout + stderr
    final = next((report / "da_duyet").glob("*.docx"))
    approved = final.read_bytes()

    code, stdout, _ = hcpvnd("batch", "--period", PILOT_ARG, *where)  # nothing changed
    assert code == 0, stdout
    assert f"Báo cáo tổng hợp của huyện Tuy Phước (đã duyệt, không thay đổi): {final}" in stdout
    assert "[I-REPORT-01]" in stdout

    narrative = sample / "narratives" / f"{PILOT.label}.yaml"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace("Nội dung han_che",
                         "Còn một số hạn chế"), encoding="utf-8")  # fmt: skip
    code, stdout, stderr = hcpvnd("batch", "--period", PILOT_ARG, *where)

    assert code == 1, "a report to look at again"
    assert "[W-REPORT-01] Báo cáo tổng hợp kỳ từ ngày 01/3/2024 đến ngày 31/5/2024 đã được Lê " \
        "Minh Khang duyệt" in stdout  # fmt: skip
    assert "nội dung nhận định đã thay đổi sau khi duyệt" in stdout
    assert final.read_bytes() == approved, "the approved report is never overwritten"
    assert "Traceback" not in stdout + stderr


@pytest.mark.slow
def test_a_batch_of_some_units_leaves_the_district_report_alone(sample, tmp_path):
    out = tmp_path / "outputs"
    code, stdout, stderr = hcpvnd(
        "batch", "--period", "2024-09", "--units", "phuoc-an,phuoc-hoa",
        "--inputs", sample, "--outputs", out,
    )  # fmt: skip
    assert code == 0, stdout + stderr
    assert "2 đơn vị xong, 0 đơn vị lỗi" in stdout
    assert (
        "[I-REPORT-04] Lần chạy này không lập báo cáo tổng hợp kỳ từ ngày 01/9/2024 đến ngày "
        "30/9/2024: chưa có kết quả làm thư kỳ này của 11 đơn vị"
    ) in stdout
    assert "(thị trấn Tuy Phước, thị trấn Diêu Trì, xã Phước Thắng" in stdout
    assert "Báo cáo tổng hợp" not in stdout and "(dự thảo)" not in stdout
    assert not (out / "2024-09" / "report").exists()


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(os.name == "nt", reason="the soffice logging wrapper is a shell script")
def test_post_2025_batch_makes_every_report_pdf_in_one_soffice_call(tmp_path):
    calls = tmp_path / "soffice_calls.log"
    wrapper = tmp_path / "soffice"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{pdf.find_soffice()}" "$@"\n')
    wrapper.chmod(0o755)
    out = tmp_path / "outputs"

    code, stdout, stderr = hcpvnd(
        "batch", "--period", "2025-09", "--inputs", INPUTS_2025, "--outputs", out,
        env={"HCPVND_SOFFICE": str(wrapper)},
    )  # fmt: skip

    assert code == 0, stdout + stderr
    assert len(calls.read_text().splitlines()) == 1, "one soffice call for the whole batch"
    keys = ["tuy-phuoc", "tuy-phuoc-bac", "tuy-phuoc-dong", "tuy-phuoc-tay"]
    names = ["Tuy Phước", "Tuy Phước Bắc", "Tuy Phước Đông", "Tuy Phước Tây"]
    for key, name in zip(keys, names):
        draft = out / "2025-09" / "report" / key / "du_thao" / f"bao_cao_{key}_2025-09_du_thao.docx"
        assert f"Báo cáo của xã {name} (dự thảo): {draft}" in stdout
        assert f"Bản xem trước PDF: {draft.with_suffix('.pdf')}" in stdout
        assert draft.with_suffix(".pdf").stat().st_size > 0
    assert "báo cáo của xã Tuy Phước Bắc kỳ từ ngày 01/9/2025" in stdout
    assert "Traceback" not in stdout + stderr
