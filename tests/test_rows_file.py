"""Every row a run read reaches the analyst: ``rows.jsonl.gz`` next to summary.json (issue 15 on
top of issue 12's cap). Real runs (an .xlsx export in, .docx, SQLite, gzip out): a run of 3,000
rows, 1,200 of them with a data error, gives a registrations frame of 3,000 rows and an error
table of 1,200, while summary.json still lists the first MAX_LISTED; a summary of an older
version, or a rows file cut short or of another run, gives a note saying exactly what is
missing and why (not that the file was edited by hand)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_bad_inputs import make_bad  # the corpus's generator, loaded once

import hcpvnd_utils as hc
from hcpvnd_utils import frames
from hcpvnd_utils.errors import Problem
from hcpvnd_utils.letters.run import MAX_LISTED, listed_reasons, row_entries, run_unit
from hcpvnd_utils.records import OUT_OF_PERIOD, REJECTED, Outcome, Record
from hcpvnd_utils.rowsfile import read_rows, write_rows
from hcpvnd_utils.safeio import sha256_file

ROOT = Path(__file__).resolve().parents[1]
UNIT, ROWS, BAD = "phuoc-thanh", 3000, 1200
DAYS = (make_bad.big_export_day(ROWS - 2, ROWS), make_bad.big_export_day(ROWS - 1, ROWS))
PERIOD = f"{DAYS[0].isoformat()}..{DAYS[1].isoformat()}"
SUMMARY_KEYS = {"unit", "period", "counts", "letters", "rejected"}  # summary.json's contract


def _export(path: Path) -> None:
    """3,000 births over ten years; the first 1,200 with a registration date that is no date."""
    rows = make_bad.big_export_rows(ROWS)
    make_bad.write_raw_xlsx(path, (
        [*row[:2], "31/11/2024", *row[3:]] if 2 <= i < 2 + BAD else row
        for i, row in enumerate(rows)
    ))  # fmt: skip


@pytest.fixture(scope="module")
def big_run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("big")
    inputs = root / "inputs"
    (inputs / UNIT).mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs)
    _export(inputs / UNIT / "khai_sinh.xlsx")
    run_unit(UNIT, PERIOD, inputs=inputs, outputs=root / "out", today=date(2025, 1, 15))
    return root


def _copy(big_run: Path, tmp_path: Path) -> dict:
    shutil.copytree(big_run, tmp_path / "run")
    out = tmp_path / "run" / "out"
    return {"units": UNIT, "inputs": tmp_path / "run" / "inputs", "outputs": out,
            "ledger": out / "ledger.sqlite"}  # fmt: skip


def _folder(where: dict) -> Path:
    return next(Path(where["outputs"]).glob(f"*/{UNIT}"))


def _summary(where: dict) -> tuple[Path, dict]:
    path = _folder(where) / "summary.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def _notes(frame) -> str:
    return "\n".join(frame.attrs["notes"])


def test_the_registrations_frame_has_every_row_of_a_3000_row_run(big_run, tmp_path):
    """Before: 1,002 rows (the 2 letters and the 1,000 reasons summary.json lists), 1,000 data
    errors in the table of errors by code, and a note that the file was edited by hand."""
    where = _copy(big_run, tmp_path)
    reg = frames.registrations(PERIOD, **where)

    assert len(reg) == ROWS and "[W-FRAMES-" not in _notes(reg)
    path, summary = _summary(where)
    counts = summary["counts"]["khai_sinh"]
    assert reg["outcome"].value_counts().to_dict() == {
        "letter": 2, "rejected": BAD, "out_of_period": ROWS - BAD - 2, "duplicate": 0,
        "not_eligible": 0, "already_sent": 0,
    }  # fmt: skip
    assert counts["rejected"] == BAD and counts["out_of_period"] == ROWS - BAD - 2
    assert sorted(reg["row"]) == list(range(3, ROWS + 3))  # each row of the sheet, once
    table = hc.analysis.reasons(reg)
    assert table.loc["E-DATE-01", "Tổng"] == BAD
    assert hc.analysis.reasons(reg, OUT_OF_PERIOD)["Tổng"].sum() == ROWS - BAD - 2
    # summary.json as before: its keys, and the first MAX_LISTED rows without a letter
    assert set(summary) == SUMMARY_KEYS and len(summary["rejected"]) == MAX_LISTED
    rows = _folder(where) / "rows.jsonl.gz"
    if os.name == "posix":
        assert rows.stat().st_mode & 0o777 == 0o600


def test_an_older_summary_listing_a_thousand_says_exactly_what_is_missing(big_run, tmp_path):
    """A summary written before the rows file (it lists the first 1,000 rows without a letter):
    the note counts the missing rows by event and outcome, says why and where they all are.
    Before: "tệp có thể đã bị sửa tay" (W-FRAMES-07), which was not true."""
    where = _copy(big_run, tmp_path)
    (_folder(where) / "rows.jsonl.gz").unlink()  # the summary is as an older version wrote it

    reg = frames.registrations(PERIOD, **where)

    assert len(reg) == 2 + MAX_LISTED
    text = _notes(reg)
    assert "[W-FRAMES-07]" not in text and "sửa tay" not in text
    assert "[W-FRAMES-10] Bảng đăng ký thiếu 1.998 trong 3.000 dòng" in text
    assert "phiên bản trước của hcpvnd" in text
    assert "(khai sinh: 200 dòng lỗi dữ liệu, 1.798 dòng ngoài kỳ)" in text
    assert f"chỉ liệt kê {MAX_LISTED:,} dòng đầu".replace(",", ".") in text
    assert str(_folder(where) / "rejected.xlsx") in text
    assert f"hcpvnd letters --unit {UNIT} --period {PERIOD}" in text
    sheet = load_workbook(_folder(where) / "rejected.xlsx", read_only=True)["Không gửi thư"]
    assert sum(1 for _ in sheet.iter_rows()) == 1 + 1998 + MAX_LISTED  # where they all are


@pytest.mark.parametrize("damage, reason", [
    ("cut", "bị cắt ngang hoặc hỏng"),
    ("another_run", "lần làm thư bị dừng giữa lúc ghi hai tệp"),
    ("last_line_lost", "bị cắt ngang hoặc hỏng"),
])  # fmt: skip
def test_a_rows_file_that_cannot_be_used_is_said_with_what_is_missing(
    big_run, tmp_path, damage, reason
):
    where = _copy(big_run, tmp_path)
    rows = _folder(where) / "rows.jsonl.gz"
    if damage == "cut":
        rows.write_bytes(rows.read_bytes()[: rows.stat().st_size // 2])
    elif damage == "another_run":  # a run killed between its summary and its rows file
        other = tmp_path / "summary.json"
        other.write_text("{}", encoding="utf-8")
        write_rows(rows, [{"event": "khai_sinh", "outcome": "letter"}] * ROWS, other)
    else:  # a whole gzip file whose last lines are gone
        lines = gzip.decompress(rows.read_bytes()).splitlines(keepends=True)
        rows.write_bytes(gzip.compress(b"".join(lines[:-2])))

    reg = frames.registrations(PERIOD, **where)

    assert len(reg) == 2 + MAX_LISTED
    text = _notes(reg)
    assert "[W-FRAMES-11] Bảng đăng ký thiếu 1.998 trong 3.000 dòng" in text
    assert f"tệp {rows} ghi mọi dòng không dùng được (" in text and reason in text
    assert "(khai sinh: 200 dòng lỗi dữ liệu, 1.798 dòng ngoài kỳ)" in text


def test_a_purge_empties_the_quoted_cells_of_the_rows_file_too(big_run, tmp_path):
    from hcpvnd_utils.ledger.purge import execute, plan_purge

    where = _copy(big_run, tmp_path)
    rows = _folder(where) / "rows.jsonl.gz"
    assert "31/11/2024" in gzip.decompress(rows.read_bytes()).decode("utf-8")

    execute(plan_purge(where["outputs"], where["ledger"], date(2100, 1, 1)))

    text = gzip.decompress(rows.read_bytes()).decode("utf-8")
    assert "31/11/2024" not in text and "E-DATE-01" in text
    summary, _ = _summary(where)
    columns, found = read_rows(rows, sha256_file(summary))  # still the run's own file
    assert len(found) == ROWS
    assert len(frames.registrations(PERIOD, **where)) == ROWS


def test_the_rows_are_written_in_memory_that_does_not_grow_with_them(tmp_path):
    """The rows file and summary.json's list, written from 10,000 rows (tracemalloc makes more
    too slow for a test): under 2 MB at the peak, as for a 1,000,000-row run. Before: the list
    built an entry for every row (here ~6 MB; ~1.5 GB for a million), then kept 1,000."""
    record = Record("khai_sinh", "khai_sinh.xlsx", "KS", 17, {"reg_no": "5"})
    problem = Problem.make("E-DATE-01", file="khai_sinh.xlsx", sheet="KS", row=17,
                           column="Ngày đăng ký", value="31/11/2024")  # fmt: skip
    outcomes = [Outcome(record, REJECTED, problem)] * 10_000

    tracemalloc.start()
    listed = listed_reasons(outcomes, [])
    (tmp_path / "summary.json").write_text("{}", encoding="utf-8")
    written = write_rows(
        tmp_path / "rows.jsonl.gz", row_entries(outcomes), tmp_path / "summary.json"
    )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert len(listed) == MAX_LISTED and written == 10_000
    assert peak < 2 * 2**20, f"peak {peak / 2**20:.1f} MB"
