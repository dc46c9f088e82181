"""Concurrent and interrupted runs: never two letters for one registration, never a partial file.

- Two runs of one unit and period started at the same moment in two processes: the second
  refuses with the ledger's E-LEDGER-03 message (or, had it come later, finds every letter
  already sent); in the end one letter per registration, on disk and in the ledger.
- Runs killed (SIGKILL, nothing gets to clean up) at precise points — tests/test_run.py kills
  after a delay; here the child kills itself at a chosen step: with a letter's temporary file
  complete but not renamed, between a letter and its ledger row, while writing a print file,
  rejected.xlsx or summary.json, and before the ledger records the run's end. The rerun must
  give exactly the uninterrupted run's letters, print files and summary.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
import openpyxl
import pytest
from run_checks import (
    PERIOD,
    UNIT,
    assert_nothing_half_written,
    assert_one_letter_per_registration,
    letter_files,
    reference_run,
)

from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork-free process checks"),
]

RACE_SCRIPT = """
import json, sys, time
from pathlib import Path
from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.letters.run import run_unit
outputs, gate, name, unit, period = Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:]
(gate.parent / f"ready-{name}").touch()
while not gate.exists():
    time.sleep(0.005)
try:
    result = run_unit(unit, period, outputs=outputs)
    counts = result.summary["counts"].values()
    answer = {"status": "ok", "letters": len(result.summary["letters"]),
              "already_sent": sum(c["already_sent"] for c in counts)}
except HcpvndError as exc:
    answer = {"status": "refused", "code": exc.code, "message": str(exc)}
(gate.parent / f"result-{name}.json").write_text(json.dumps(answer), encoding="utf-8")
"""


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    return reference_run(tmp_path_factory.mktemp("reference"))


def test_two_runs_at_once_never_make_two_letters_for_one_registration(tmp_path, reference):
    outputs, gate = tmp_path / "outputs", tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE_SCRIPT, str(outputs), str(gate), name, UNIT, PERIOD],
            cwd=ROOT,
        )
        for name in ("a", "b")
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{n}").exists() for n in "ab"):
        assert time.monotonic() < deadline, "the two runs did not start"
        time.sleep(0.01)
    gate.touch()  # both go at the same moment
    assert [proc.wait(timeout=300) for proc in procs] == [0, 0]  # no traceback in either
    answers = [json.loads((tmp_path / f"result-{n}.json").read_text()) for n in "ab"]
    made = [a for a in answers if a["status"] == "ok" and a["letters"]]
    assert len(made) == 1 and made[0]["letters"] == len(reference["letters"])
    (other,) = [a for a in answers if a is not made[0]]
    if other["status"] == "refused":
        assert other["code"] == "E-LEDGER-03"
        assert other["message"].startswith(f"[E-LEDGER-03] Đơn vị {UNIT} đang được chạy")
        assert "Chờ lần chạy đó xong rồi chạy lại" in other["message"]
    else:  # it waited: everything was sent by then
        assert other == {"status": "ok", "letters": 0, "already_sent": len(reference["letters"])}
    assert_one_letter_per_registration(outputs, reference)


def test_two_letters_commands_at_once_the_second_says_why_it_stops(tmp_path, reference):
    """The same through ``hcpvnd letters`` (each in its own kernel): the one that loses says in
    Vietnamese, with the ledger's code, that the unit is being run."""
    outputs = tmp_path / "outputs"
    env = {**os.environ, "HCPVND_HOME": str(ROOT)}
    command = [sys.executable, "-m", "hcpvnd_utils", "letters", "--unit", UNIT,
               "--period", PERIOD, "--outputs", str(outputs)]  # fmt: skip
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "encoding": "utf-8"}
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, **pipes) for _ in range(2)]
    ends = [proc.communicate(timeout=600) for proc in procs]
    codes = [proc.returncode for proc in procs]
    assert 0 in codes and set(codes) <= {0, 2}
    for code, (out, err) in zip(codes, ends):
        assert "Traceback" not in out + err
        if code == 2:  # refused by the notebook record's lock, or (later) by the ledger
            said = ("[E-NB-10]" in err and "Chờ lần chạy đó xong" in err) or (
                "[E-LEDGER-03]" in err and f"Đơn vị {UNIT} đang được chạy" in err
            )
            assert said, err
    assert_one_letter_per_registration(outputs, reference)
    # the executed notebook is the record of the run that made the letters, never the refusal's
    notebooks = outputs / PERIOD / UNIT / "notebooks"
    record = nbformat.read(notebooks / "unit_letters.ipynb", as_version=4)
    assert record.metadata.get("hcpvnd", {}).get("status") != "failed"
    assert "lần chạy này không thành công" not in (notebooks / "run.log").read_text().lower()


# --- killed at a chosen step, then rerun ---------------------------------------------------------

KILL_SCRIPT = """
import os, signal, sys
from hcpvnd_utils.ledger import book as ledger
from hcpvnd_utils.letters.run import run_unit

point, outputs, unit, period, inputs = sys.argv[1:6]
calls = {"n": 0}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def replacing(test):
    real = os.replace
    def replace(src, dst, *a, **k):
        if test(os.path.basename(str(dst))):
            calls["n"] += 1
            if calls["n"] == 5 or not str(dst).endswith(".docx") or "ban_in" in str(dst):
                die()  # the temporary file is complete; the rename never happens
        return real(src, dst, *a, **k)
    os.replace = replace

if point == "letter_before_rename":
    replacing(lambda name: name.endswith(".docx") and not name.startswith("ban_in_"))
elif point == "letter_before_ledger_row":
    real = ledger.Ledger.record_letter
    def record_letter(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 5:
            die()  # the letter is in place, its ledger row is not
        return real(self, *a, **k)
    ledger.Ledger.record_letter = record_letter
elif point == "print_file":
    replacing(lambda name: name.startswith("ban_in_"))
elif point == "rejected_xlsx":
    replacing(lambda name: name == "rejected.xlsx")
elif point == "summary_json":
    replacing(lambda name: name == "summary.json")
elif point == "rows_file":  # summary.json written, its rows file not yet
    replacing(lambda name: name == "rows.jsonl.gz")
elif point == "before_run_end":
    def finish_run(self, *a, **k):
        die()  # every file written; the ledger still says the run is going on
    ledger.Ledger.finish_run = finish_run
run_unit(unit, period, inputs=inputs or None, outputs=outputs)
"""

POINTS = ["letter_before_rename", "letter_before_ledger_row", "print_file", "rejected_xlsx",
          "summary_json", "rows_file", "before_run_end"]  # fmt: skip


def _killed_at(point: str, outputs: Path, inputs: Path | None = None) -> None:
    arguments = [point, str(outputs), UNIT, PERIOD, str(inputs or "")]
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, *arguments], cwd=ROOT, check=False)
    assert proc.returncode == -signal.SIGKILL, f"the run was not killed at {point}"


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_any_step_then_rerun_ends_as_if_never_killed(tmp_path, reference, point):
    outputs = tmp_path / "outputs"
    folder = outputs / PERIOD / UNIT
    _killed_at(point, outputs)
    assert_nothing_half_written(folder)
    rerun = run_unit(UNIT, PERIOD, outputs=outputs)
    assert not list(outputs.rglob("*.part"))
    assert letter_files(folder) == reference["letters"]
    counts = rerun.summary["counts"]
    for event, expected in reference["counts"].items():
        done = counts[event]["letters"] + counts[event]["already_sent"]
        assert done == expected["letters"] + expected["already_sent"], event
    printed = {p.name: extract_text(p) for p in folder.glob("ban_in_*.docx")}
    assert printed == reference["print_files"]
    assert_one_letter_per_registration(outputs, reference)
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        runs = [status for (status,) in db.execute("SELECT status FROM runs ORDER BY id")]
    assert runs == ["interrupted", "ok"]  # the dead run's claim on the unit was taken over


@pytest.mark.parametrize("point", ["print_file"])
def test_a_rerun_killed_while_rewriting_a_print_file_still_ends_complete(tmp_path, point):
    """The print file of an earlier, smaller run exists; the rerun that adds letters is killed
    while replacing it; the next rerun must still give a print file with every letter."""
    inputs = tmp_path / "inputs"
    _sample_without_last_rows(inputs, rows=3)
    outputs = tmp_path / "outputs"
    first = run_unit(UNIT, PERIOD, inputs=inputs, outputs=outputs)
    _sample_without_last_rows(inputs, rows=0)
    _killed_at(point, outputs, inputs)
    final = run_unit(UNIT, PERIOD, inputs=inputs, outputs=outputs)
    folder = final.out_dir
    for event in ("khai_sinh", "ket_hon", "khai_tu"):
        letters = len(list(folder.glob(f"letters/{event}/*.docx")))
        text = extract_text(folder / f"ban_in_{event}.docx")
        assert text.count("Kính gửi") == letters, event
    assert len(first.summary["letters"]) < len(letter_files(folder))


def _sample_without_last_rows(inputs: Path, rows: int) -> None:
    """The sample unit, with the last ``rows`` data rows of each export removed."""
    shutil.rmtree(inputs, ignore_errors=True)
    shutil.copytree(ROOT / "inputs" / UNIT, inputs / UNIT)
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs / "units.yaml")
    if not rows:
        return
    for path in sorted((inputs / UNIT).glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            last = _last_data_row(sheet)
            if last:
                sheet.delete_rows(last - rows + 1, rows)
        book.save(path)


def _last_data_row(sheet) -> int:
    """The last row whose first cells hold a registration number and a date (footers skipped)."""
    for row in range(sheet.max_row, 0, -1):
        values = [cell.value for cell in sheet[row]]
        if any(isinstance(v, datetime) for v in values) and sum(v is not None for v in values) > 4:
            return row
    return 0
