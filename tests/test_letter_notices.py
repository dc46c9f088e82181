"""Letters recorded as made but in no print file (W-PRINT-01, issue 12 point 4): the count is the
letters that are in no print file, and the warning reaches the clerk wherever a run's outcome is
shown: ``hcpvnd batch``'s console (per unit, with the command) and the per-unit notebook's output,
not only rejected.xlsx. Real CSV exports in, real .docx, SQLite and executed notebooks out."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_letter_identity import SEPTEMBER, UNIT, row, write_export

from hcpvnd_utils import layout
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.runs.batch import run_batch

ROOT = Path(__file__).resolve().parents[1]
COMMAND = f"hcpvnd letters --unit {UNIT} --period 2024-09"
LATER = [("01/2024", "20", "10/09/2024", "Võ Văn Hùng", "Phạm Thị Hà"),
         ("01/2024", "21", "11/09/2024", "Huỳnh Thị Lệ", "Lê Thị Kim")]  # fmt: skip


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "inputs"
    (folder / UNIT).mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", folder / "units.yaml")
    return folder


def _notices(result, code="W-PRINT-01") -> list[str]:
    return [w.message for w in result.warnings if w.code == code]


def test_the_count_is_the_letters_made_after_the_print_file(inputs, tmp_path):
    """Three letters printed; two more made by a run killed before its print file (the old
    print file stays, older than them). Before: "5 thư" — every letter of the folder, though
    three of them are in the print file."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.csv", [row(*r) for r in SEPTEMBER])
    month = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    printed = month.print_files["khai_sinh"]
    kept, stamp = printed.read_bytes(), printed.stat().st_mtime_ns
    write_export(inputs, "khai_sinh_t9.csv", [row(*r) for r in SEPTEMBER + LATER])
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    printed.write_bytes(kept)  # what a kill before the new print file leaves
    os.utime(printed, ns=(stamp, stamp))
    assert extract_text(printed).count("Thôn Phổ Trạch") == 3

    quarter = run_unit(UNIT, "2024-Q3", inputs=inputs, outputs=outputs)

    [notice] = _notices(quarter)
    assert notice.startswith("[W-PRINT-01] 2 thư khai sinh") and COMMAND in notice
    shown = quarter.notices_table()
    assert [r[0] for r in shown.rows] == ["W-PRINT-01"] and "2 thư khai sinh" in shown.rows[0][1]


@pytest.mark.slow
def test_a_batch_names_per_unit_the_letters_in_no_print_file_and_the_notebook_shows_them(
    inputs, tmp_path
):
    """A month run killed before its print file, then the quarter's batch. Before: the batch
    said "1 đơn vị xong" and nothing else; the notebook showed no warning; only rejected.xlsx's
    “Cảnh báo” sheet had it."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.csv", [row(*r) for r in SEPTEMBER])
    month = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    month.print_files["khai_sinh"].unlink()
    quarter = parse_period("2024-Q3")

    result = run_batch(quarter, units=[UNIT], jobs=1, inputs=inputs, outputs=outputs,
                       ledger=outputs / "ledger.sqlite")  # fmt: skip

    assert result.ok == [UNIT], result.report()
    report = result.report()
    line = next(x for x in report.splitlines() if "[W-PRINT-01]" in x)
    assert line.startswith(f"  {UNIT}: [W-PRINT-01] 3 thư khai sinh") and COMMAND in line
    folder = layout.unit_folder(outputs, quarter.label, UNIT)
    notebook = json.loads(folder.executed("unit_letters.ipynb").read_text(encoding="utf-8"))
    shown = json.dumps([c.get("outputs", []) for c in notebook["cells"]], ensure_ascii=False)
    assert "W-PRINT-01" in shown and "3 thư khai sinh" in shown and COMMAND in shown

    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)  # what it says to run
    again = run_batch(quarter, units=[UNIT], jobs=1, inputs=inputs, outputs=outputs,
                      ledger=outputs / "ledger.sqlite")  # fmt: skip
    assert "W-PRINT-01" not in again.report() and again.notices == {}
