"""Input faults of issue #12 beyond the corpus manifest (tests/test_bad_inputs.py): the exact
line a CSV is refused at, reading crafted workbooks under a memory limit, names with control
characters through `hcpvnd validate`, and views that stay bounded."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from hcpvnd_utils.ingest.files import read_file
from hcpvnd_utils.letters.run import MAX_LISTED, run_unit
from hcpvnd_utils.letters.views import MAX_SHOWN

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"


from test_bad_inputs import make_bad  # the corpus's generator, loaded once


def test_a_csv_with_an_unterminated_quote_is_refused_at_its_line():
    """Row 95 of 100 (line 97: a title and a header above it) opens a quote. Before: the 100
    rows were read as 95, the last six swallowed into one cell, and nothing said so."""
    [problem] = read_file(BAD / "csv_unterminated_quote_row_95_of_100.csv").file_problems
    assert problem.code == "E-FILE-08"
    assert "dòng 97" in problem.message and "dấu ngoặc kép" in problem.message


def test_a_quoted_line_break_inside_an_address_is_one_row_not_a_fault():
    read = read_file(BAD / "csv_quoted_line_break_in_an_address.csv")
    assert not read.file_problems and len(read.records) == 3


WORST = [
    "xlsx_cell_at_XFD1048576.xlsx",
    "xlsx_cell_at_XFD8000.xlsx",
    "xlsx_shared_strings_declare_4000000000.xlsx",
    "xlsx_sheet_part_declares_3_9_gigabytes.xlsx",
    "xls_cell_at_IV65536.xls",
]
PEAK = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
from hcpvnd_utils.ingest.files import read_file
read = read_file(Path(sys.argv[1]))
print(",".join(p.code for p in read.file_problems) or len(read.records))
status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
peak = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
print(peak[0] // 1024 if peak else 0)  # this process's own peak, in MB
"""


@pytest.mark.parametrize("name", WORST)
def test_a_crafted_workbook_is_read_or_refused_within_a_memory_limit(name):
    """Under a 1.5 GB address-space limit each crafted file ends in a coded message or its
    rows, never in an abort. Before: exit 134, "memory allocation … failed"."""
    done = subprocess.run([sys.executable, "-c", PEAK, str(BAD / name)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    outcome, peak_mb = done.stdout.split()
    assert outcome in ("E-FILE-09", "3"), outcome
    assert int(peak_mb) < 300  # the memory figure of the closing note: tens of MB


def _unit_with(tmp_path: Path, names: dict) -> Path:
    inputs = tmp_path / "inputs"
    (inputs / "phuoc-thanh").mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs)
    for name, writer in names.items():
        writer(inputs / "phuoc-thanh" / name)
    return inputs


def test_validate_escapes_control_characters_in_names_and_writes_no_formula(tmp_path):
    """Files and sheets named with a terminal escape, a bell, a direction override or "=…":
    before, `hcpvnd validate` crashed writing its workbook (and printed raw escapes)."""
    names = {name: make_bad.GENERATED[name] for name in make_bad.CONTROL_NAMES}
    names.update({name: make_bad.CASES[name] for name in make_bad.FORMULA_NAMES})
    for name in (
        "xls_sheet_named_with_a_terminal_escape.xls",
        "xlsx_sheet_named_like_a_formula.xlsx",
    ):
        names[name] = lambda path, name=name: shutil.copy(BAD / name, path)
    inputs = _unit_with(tmp_path, names)
    done = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", "validate", "--unit", "phuoc-thanh",
         "--inputs", inputs, "--outputs", tmp_path / "out"],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
    )  # fmt: skip
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert "Traceback" not in shown and "E-BUG" not in shown
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "khai_sinh_\\x1b[31m_t9.csv" in shown and "KS\\x1b[2J\\x07" in shown
    book = openpyxl.load_workbook(tmp_path / "out" / "kiem_tra_phuoc-thanh_tat-ca.xlsx")
    values = [c for s in book.worksheets for r in s.iter_rows() for c in r if c.value]
    assert values and all(c.data_type != "f" for c in values)
    assert "=khai_sinh_t9.csv" in {c.value for c in values}


def test_summaries_and_views_stay_bounded(tmp_path):
    """3,000 rows, a few of them in the period: summary.json lists the first MAX_LISTED
    reasons, the notebook's table the first MAX_SHOWN with the total; rejected.xlsx holds every
    one. Before: a 1,048,575-row export made a 420 MB summary and a 500 MB notebook."""
    rows = 3000
    inputs = _unit_with(tmp_path, {"khai_sinh.xlsx": lambda p: make_bad.write_big_export(p, rows)})
    days = [make_bad.big_export_day(rows - 2, rows), make_bad.big_export_day(rows - 1, rows)]
    period = f"{days[0].isoformat()}..{days[1].isoformat()}"
    result = run_unit("phuoc-thanh", period, inputs=inputs, outputs=tmp_path / "out",
                      today=date(2025, 1, 15))  # fmt: skip
    counts = result.summary["counts"]["khai_sinh"]
    assert counts["letters"] >= 2 and counts["out_of_period"] == rows - counts["letters"]
    assert len(result.summary["rejected"]) == MAX_LISTED
    table = result.rejected_table()
    assert len(table.rows) == min(MAX_SHOWN, MAX_LISTED)
    total = f"{rows - counts['letters']:,}".replace(",", ".")
    assert f"trong {total}" in table.title
    sheet = openpyxl.load_workbook(result.out_dir / "rejected.xlsx", read_only=True)
    assert sum(1 for _ in sheet["Không gửi thư"].iter_rows()) == 1 + rows - counts["letters"]


@pytest.mark.slow
def test_a_batch_unit_with_a_crafted_workbook_fails_naming_the_file(tmp_path):
    """Through the per-unit notebook, as `hcpvnd batch` runs it. Before: the kernel died and
    the unit's message said only "kernel died … maybe out of memory"."""
    from hcpvnd_utils.periods import parse_period
    from hcpvnd_utils.runs.notebook import run_unit_notebook

    name = "xlsx_cell_at_XFD8000.xlsx"
    inputs = _unit_with(tmp_path, {name: lambda path: shutil.copy(BAD / name, path)})
    run = run_unit_notebook(
        "phuoc-thanh", parse_period("2024-09"), inputs=inputs, outputs=tmp_path / "out",
        ledger=tmp_path / "out" / "ledger.sqlite",
    )  # fmt: skip
    assert run.status == "failed"
    assert run.message.startswith("[E-FILE-07]")
    assert f"[E-FILE-09] Tệp {name}: trang “KS” có ô ở tận XFD8000" in run.message
