"""The district's month: a batch over the shipped sample into a temporary folder, with one unit
deliberately broken. The broken unit fails alone, batch.json says why, the report is written,
and a rerun after the fix completes without a second letter."""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2024-09"

pytestmark = pytest.mark.slow


def hcpvnd(*args, env_outputs: Path):
    import os

    env = {**os.environ, "HCPVND_OUTPUTS": str(env_outputs)}
    proc = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env=env,
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def sample(tmp_path) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs, ignore=shutil.ignore_patterns("gia-lai-2025"))
    return inputs


def test_batch_month_with_one_broken_unit(sample, tmp_path):
    out = tmp_path / "outputs"
    broken = sample / "phuoc-hiep" / "khai_sinh_2024-09.xlsx"
    good_copy = broken.read_bytes()
    broken.write_bytes(good_copy[: len(good_copy) // 2])  # a truncated download

    code, stdout, stderr = hcpvnd(
        "batch", "--period", PERIOD, "--inputs", sample, "--outputs", out, env_outputs=out
    )
    assert code == 1
    assert "12 đơn vị xong, 1 đơn vị lỗi" in stdout
    record = json.loads((out / PERIOD / "batch.json").read_text(encoding="utf-8"))
    status = {u["unit"]: u for u in record["units"]}
    assert status["phuoc-hiep"]["status"] == "failed"
    assert "khai_sinh_2024-09.xlsx" in status["phuoc-hiep"]["message"]
    assert "E-FILE-07" in status["phuoc-hiep"]["message"]
    assert {k for k, u in status.items() if u["status"] == "ok"} == set(status) - {"phuoc-hiep"}
    assert not list((out / PERIOD / "phuoc-hiep").rglob("*.docx")), "no letter from a broken unit"
    for key, _unit in status.items():
        if key == "phuoc-hiep":
            continue
        folder = out / PERIOD / key
        assert (folder / "notebooks" / "unit_letters.ipynb").is_file()
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        files = {entry["file"] for entry in summary["letters"]}  # twins: one file, two entries
        assert len(list(folder.glob("letters/*/*.docx"))) == len(files) > 0
        assert {p.name for p in folder.glob("ban_in_*.docx")} <= {
            "ban_in_khai_sinh.docx", "ban_in_ket_hon.docx", "ban_in_khai_tu.docx",
        }  # fmt: skip
    assert "Traceback" not in stdout + stderr
    assert "Chưa làm báo cáo của kỳ: còn đơn vị bị lỗi." in stdout
    assert not list((out / PERIOD / "report").rglob("*.docx"))

    broken.write_bytes(good_copy)
    letters_before = {p: p.read_bytes() for p in out.rglob("letters/*/*.docx")}
    code, stdout, _ = hcpvnd(
        "batch", "--period", PERIOD, "--inputs", sample, "--outputs", out, "--rerun-failed",
        env_outputs=out,
    )  # fmt: skip
    assert code == 0, stdout
    assert "1 đơn vị xong, 0 đơn vị lỗi" in stdout
    assert list((out / PERIOD / "phuoc-hiep").rglob("*.docx"))
    for path, data in letters_before.items():
        assert path.read_bytes() == data
    drafts = list((out / PERIOD / "report").rglob("du_thao/*.docx"))
    assert drafts, "the district report is drafted once every unit is through"

    code, stdout, _ = hcpvnd(
        "batch", "--period", PERIOD, "--inputs", sample, "--outputs", out, env_outputs=out
    )
    assert code == 0
    letters = sorted(out.rglob("letters/*/*.docx"))
    summaries = [
        json.loads(p.read_text(encoding="utf-8")) for p in out.glob(f"{PERIOD}/*/summary.json")
    ]
    assert all(s["letters"] == [] for s in summaries), "a rerun makes no second letter"
    sent = sum(s["counts"][e]["already_sent"] for s in summaries for e in s["counts"])
    with sqlite3.connect(out / "ledger.sqlite") as db:  # a row per registration, twins share a file
        rows = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT file) FROM letters WHERE file LIKE ?", (f"{PERIOD}/%",)
        ).fetchone()
    assert sent == rows[0] and rows[1] == len(letters)
