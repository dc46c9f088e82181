"""Issue #12, point 7, second pass: a small file of any format we read (.ods, .xlsx merges,
.xls merges, HTML spans) that declares more cells, rows, merges or repeats than a reader can
hold ends in a coded message naming the file, in tens of MB, never an abort; merges down to
the sheet's last row cost the rows that are read. The crafted files: tests/data/bad/bomb_bad.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from test_bad_inputs import GENERATED, make_bad  # the corpus's generator, loaded once

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
LIMIT_MB = 1536  # an address-space limit: past it, a reader's allocation fails
REFUSED = {
    "ods_cell_repeated_over_2000_rows_and_16384_columns.ods": "E-FILE-09",
    "ods_data_row_repeated_to_the_sheet_end.ods": "E-FILE-09",
    "ods_register_below_a_million_empty_rows_and_a_wide_row.ods": "E-FILE-09",
    "ods_zip_bomb_300_megabytes.ods": "E-FILE-09",
    "ods_two_billion_spaces_in_one_cell.ods": "E-FILE-09",
    "ods_32767_spaces_in_each_of_40000_cells.ods": "E-FILE-09",
    "xlsx_60_merges_stacked_over_a_million_rows.xlsx": "E-FILE-09",
    "xlsx_vntime_font_merge_down_to_row_1048576.xlsx": "E-FILE-09",
    "xlsx_100001_merges.xlsx": "E-FILE-09",
    "xlsx_a_million_rows_without_references.xlsx": "E-FILE-09",
    "xls_merges_stacked_over_65536_rows.xls": "E-FILE-09",
    "html_colspan_and_rowspan_200_on_every_cell.xls": "E-FILE-09",
    "html_1100000_rows.xls": "E-FILE-09",
}
READ = {  # merges down to row 1,048,576 over three rows of data, rows without r="…": read as before
    "xlsx_9_merges_down_to_row_1048576.xlsx": "3",
    "xlsx_60_merges_down_to_row_1048576.xlsx": "3",
    "xlsx_data_column_merged_down_to_row_1048576.xlsx": "3",
    "xlsx_rows_and_cells_without_references.xlsx": "3",
}
PEAK = """
import resource, sys, time
from pathlib import Path
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from hcpvnd_utils.ingest.files import read_file
started = time.perf_counter()
read = read_file(Path(sys.argv[1]))
seconds = time.perf_counter() - started
print(",".join(p.code for p in read.file_problems) or len(read.records))
status = Path("/proc/self/status").read_text()  # VmHWM: this process's own peak (ru_maxrss
peak = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
print(peak[0] // 1024, f"{seconds:.2f}")  # would count the forking pytest's memory too)
"""


def _copy(name: str, folder: Path) -> Path:
    path = folder / name
    if name in GENERATED:
        GENERATED[name](path)
    else:
        shutil.copy(BAD / name, path)
    return path


def _limited() -> None:
    import resource

    limit = LIMIT_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("name", sorted(REFUSED | READ))
def test_a_crafted_file_is_refused_or_read_in_tens_of_mb(name, tmp_path):
    """Each file in a fresh process under a 1.5 GB limit: its coded end (or its three rows)
    and a peak (VmHWM) under 300 MB. Before: the .ods of 2,000 × 16,384 repeats aborted
    (SIGABRT, "memory allocation of 1 bytes failed"), nine merges to row 1,048,576 took 905 MB,
    sixty a MemoryError, the stacked .xls merges a MemoryError, the HTML spans 110 MB and 0 rows,
    a million "<row/>" without r="…" an abort (SIGABRT)."""
    path = _copy(name, tmp_path)
    done = subprocess.run([sys.executable, "-c", PEAK, str(path), str(LIMIT_MB)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    outcome, (peak_mb, seconds) = done.stdout.split("\n")[0], done.stdout.split("\n")[1].split()
    assert outcome == (REFUSED | READ)[name]
    assert int(peak_mb) < 300, peak_mb
    assert float(seconds) < 30, seconds


def _unit(tmp_path: Path, names) -> Path:
    inputs = tmp_path / "inputs"
    folder = inputs / "phuoc-thanh"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs)
    for name in names:
        _copy(name, folder)
    return inputs


def _hcpvnd(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hcpvnd_utils", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8",
                          preexec_fn=_limited, timeout=600)  # fmt: skip


def test_validate_names_every_crafted_file_under_a_memory_limit(tmp_path):
    """`hcpvnd validate` over a folder holding every crafted file, under a 1.5 GB limit:
    one coded line naming each refused file, none for the merged sheets, no traceback.
    Before: the process aborted on the first .ods (exit -6, an English line from Rust)."""
    inputs = _unit(tmp_path, sorted(REFUSED | READ))
    done = _hcpvnd("validate", "--unit", "phuoc-thanh", "--inputs", inputs,
                   "--outputs", tmp_path / "out")  # fmt: skip
    shown = done.stdout + done.stderr
    assert done.returncode == 2, shown[-2000:]  # files not read: the exit code of E-FILE-07
    assert "Traceback" not in shown and "memory allocation" not in shown and "E-BUG" not in shown
    for name, code in REFUSED.items():
        assert f"[{code}] Tệp {name}:" in shown, name
    for name in READ:
        assert f"Tệp {name}:" not in shown, name


def test_letters_from_sheets_merged_to_the_last_row_under_a_memory_limit(tmp_path):
    """A letters run (CLI, 1.5 GB limit) over the sheets merged down to row 1,048,576 and the
    .ods as LibreOffice saves it: three letters each, the merged address on every row.
    Before: the run died of a MemoryError on the sixty merges."""
    names = [*READ, "ods_register_as_libreoffice_saves_it.ods"]
    inputs = _unit(tmp_path, names)
    out = tmp_path / "out"
    done = _hcpvnd("letters", "--unit", "phuoc-thanh", "--period", "2024-09",
                   "--inputs", inputs, "--outputs", out)  # fmt: skip
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    letters = sorted(out.glob("2024-09/phuoc-thanh/letters/*/*.docx"))
    # the same three children in each of the four files: one letter each, the others R-DUP-01
    assert len(letters) == 3
    texts = ["\n".join(p.text for p in docx.Document(path).paragraphs) for path in letters]
    assert all(make_bad.PLACE in text for text in texts)
