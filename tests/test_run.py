"""One unit, one period, start to finish on the shipped sample: real Excel in, real .docx and
SQLite out. The figures of the 2024 dispatch, the summary contract, reruns that never send twice,
and runs killed at any moment."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.records import COUNT_NAMES, EVENTS

ROOT = Path(__file__).resolve().parents[1]
PILOT = "2024-03-01..2024-05-31"
COUNT_KEYS = {"rows", *COUNT_NAMES.values(), "shared_letters"}


def _letters(out: Path) -> list[Path]:
    return sorted(out.rglob("letters/*/*.docx"))


def test_pilot_reproduces_the_dispatch(tmp_path):
    totals = dict.fromkeys(EVENTS, 0)
    for unit in ("phuoc-quang", "phuoc-nghia"):
        result = run_unit(unit, PILOT, outputs=tmp_path)
        for event in EVENTS:
            totals[event] += result.summary["counts"][event]["letters"]
    assert totals == {"khai_sinh": 54, "ket_hon": 62, "khai_tu": 21}
    assert len(_letters(tmp_path)) == 54 + 62 + 21


def test_summary_follows_the_contract(tmp_path):
    result = run_unit("phuoc-thanh", "2024-11", outputs=tmp_path)
    out = tmp_path / "2024-11" / "phuoc-thanh"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary == result.summary
    assert set(summary) == {"unit", "period", "counts", "letters", "rejected"}
    assert summary["unit"] == "phuoc-thanh"
    assert summary["period"] == {"start": "2024-11-01", "end": "2024-11-30"}
    assert set(summary["counts"]) == set(EVENTS)
    for counts in summary["counts"].values():
        assert set(counts) == COUNT_KEYS
        assert counts["rows"] == sum(counts[k] for k in COUNT_NAMES.values())
    letters = summary["letters"]
    assert len(letters) == sum(c["letters"] for c in summary["counts"].values()) > 0
    for letter in letters:  # the fields of before, then the registration and its source row,
        # then the letter (its ref, how many registrations it is for, its template variant)
        assert set(letter) == {"event", "file", "registration_no", "registration_date", "book",
                               "number", "event_date", "source_file", "sheet", "row",
                               "letter_ref", "covers", "variant"}  # fmt: skip
        assert letter["letter_ref"] == f"{letter['event']}|{letter['book']}|{letter['number']}"
        assert letter["number"] == str(int(letter["registration_no"]))
        assert letter["book"] == "1/2024" and letter["event_date"] <= letter["registration_date"]
        assert letter["source_file"].endswith((".xlsx", ".xls", ".csv")) and letter["row"] > 1
        assert letter["file"].startswith(f"letters/{letter['event']}/")
        assert (out / letter["file"]).is_file()
        assert letter["file"].isascii() and letter["file"] == letter["file"].lower()
        assert letter["registration_date"].startswith("2024-11-")
    for entry in summary["rejected"]:
        assert set(entry) == {"event", "file", "sheet", "row", "column", "code", "message",
                              "outcome", "book", "number", "registration_no",
                              "registration_date", "event_date"}  # fmt: skip
        assert entry["message"].startswith(f"[{entry['code']}]")
        assert entry["outcome"] in {"rejected", "out_of_period", "duplicate", "not_eligible",
                                    "already_sent"}  # fmt: skip
    outcomes = Counter(entry["outcome"] for entry in summary["rejected"])
    for name, outcome in (("rejected", "rejected"), ("out_of_period", "out_of_period"),
                          ("duplicates", "duplicate"), ("not_eligible", "not_eligible")):  # fmt: skip
        assert outcomes[outcome] == sum(c[name] for c in summary["counts"].values())
    for event in EVENTS:
        assert (out / f"ban_in_{event}.docx").is_file()
    assert (out / "rejected.xlsx").is_file()


def test_rejected_rows_are_those_the_sample_planted(tmp_path):
    """Every planted data error of Phước Thắng is rejected at its file, row and column."""
    manifest = json.loads((ROOT / "inputs" / "sample_manifest.json").read_text(encoding="utf-8"))
    planted = {
        (f["file"], s["row"])
        for f in manifest["units"]["phuoc-thang"]["files"]
        for s in f["specials"]
        if s["outcome"] == "rejected"
    }
    assert planted, "the sample plants a data error in Phước Thắng"
    result = run_unit("phuoc-thang", "2024", outputs=tmp_path)
    rejected = [r for r in result.summary["rejected"] if r["code"].startswith("E-")]
    assert {(r["file"], r["row"]) for r in rejected} == planted
    for entry in rejected:
        assert entry["column"] and f"dòng {entry['row']}" in entry["message"]
        assert f"cột “{entry['column']}”" in entry["message"]


def test_rerun_sends_nothing_twice_and_changes_no_file(tmp_path):
    first = run_unit("phuoc-hoa", "2024-Q3", outputs=tmp_path)
    files = {p: p.read_bytes() for p in tmp_path.rglob("*.docx")}
    made = sum(c["letters"] for c in first.summary["counts"].values())
    second = run_unit("phuoc-hoa", "2024-Q3", outputs=tmp_path)
    assert second.summary["letters"] == []
    assert sum(c["already_sent"] for c in second.summary["counts"].values()) == made
    assert sum(c["letters"] for c in second.summary["counts"].values()) == 0
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.docx")} == files


def test_overlapping_later_period_counts_already_sent(tmp_path):
    run_unit("phuoc-quang", PILOT, outputs=tmp_path)
    later = run_unit("phuoc-quang", "2024-Q2", outputs=tmp_path)
    counts = later.summary["counts"]
    assert sum(c["already_sent"] for c in counts.values()) > 0  # April and May were sent
    june = [x for x in later.summary["letters"] if x["registration_date"] < "2024-06-01"]
    assert june == []


def test_regenerate_remakes_letters_not_final(tmp_path):
    first = run_unit("phuoc-son", "2024-07", outputs=tmp_path)
    again = run_unit("phuoc-son", "2024-07", outputs=tmp_path, regenerate=True)
    assert len(again.summary["letters"]) == len(first.summary["letters"]) > 0
    with Ledger(tmp_path / "ledger.sqlite") as book:
        book.mark_final(first.unit, first.period)
    final = run_unit("phuoc-son", "2024-07", outputs=tmp_path, regenerate=True)
    assert final.summary["letters"] == []


def test_regenerate_in_an_overlapping_period_never_puts_a_letter_in_two_print_files(tmp_path):
    """Letters made by the 2024 run belong to its folder and print file: a --regenerate run for
    2024-Q3 counts them as sent instead of moving them under its own print file."""
    year = run_unit("phuoc-nghia", "2024", outputs=tmp_path)
    printed = {p.name: extract_text(p) for p in year.out_dir.glob("ban_in_*.docx")}

    quarter = run_unit("phuoc-nghia", "2024-Q3", outputs=tmp_path, regenerate=True)

    assert quarter.summary["letters"] == []
    assert sum(c["already_sent"] for c in quarter.summary["counts"].values()) > 0
    for letter in year.summary["letters"]:
        assert (year.out_dir / letter["file"]).is_file()
    assert {p.name: extract_text(p) for p in year.out_dir.glob("ban_in_*.docx")} == printed
    assert not list(quarter.out_dir.glob("letters/*/*.docx"))


def test_nfd_export_gives_nfc_letters(tmp_path):
    """Phước Thắng types its registers in decomposed Unicode (NFD)."""
    import unicodedata

    result = run_unit("phuoc-thang", "2024-10", outputs=tmp_path)
    letter = result.out_dir / result.summary["letters"][0]["file"]
    text = extract_text(letter)
    assert text == unicodedata.normalize("NFC", text)
    assert "Phước Thắng" in text


def test_post_2025_hierarchy(tmp_path):
    inputs = ROOT / "inputs" / "gia-lai-2025"
    result = run_unit("tuy-phuoc-dong", "2025-09", inputs=inputs, outputs=tmp_path)
    assert sum(c["letters"] for c in result.summary["counts"].values()) > 0
    text = extract_text(result.out_dir / result.summary["letters"][0]["file"])
    assert "XÃ TUY PHƯỚC ĐÔNG" in text and "Tuy Phước Đông, ngày" in text
    assert "tỉnh Gia Lai" in text  # the address line follows the post-2025 scheme


def test_letters_hold_no_leftover_fields(tmp_path):
    result = run_unit("dieu-tri", "2024-09", outputs=tmp_path)
    for path in _letters(result.out_dir):
        text = extract_text(path)
        for bad in ("{{", "{%", "None", "nan", "NaT", " và ."):
            assert bad not in text, (path.name, bad)


KILL_SCRIPT = """
import sys
from hcpvnd_utils.letters.run import run_unit
run_unit("phuoc-nghia", "2024", outputs=sys.argv[1])
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.4, 0.9, 1.4])
def test_killed_run_then_rerun_leaves_exactly_one_letter_each(tmp_path, delay):
    reference = run_unit("phuoc-nghia", "2024", outputs=tmp_path / "reference")
    expected = {x["file"] for x in reference.summary["letters"]}
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(out)], cwd=ROOT)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rerun = run_unit("phuoc-nghia", "2024", outputs=out)
    folder = out / "2024" / "phuoc-nghia"
    on_disk = {p.relative_to(folder).as_posix() for p in _letters(folder)}
    assert on_disk == expected
    assert not list(out.rglob("*.part"))
    counts = rerun.summary["counts"]
    assert sum(c["letters"] + c["already_sent"] for c in counts.values()) == len(expected)
    with Ledger(out / "ledger.sqlite") as book:
        assert len(book.letters_for(rerun.unit, rerun.period)) == len(expected)
    assert os.access(folder / "summary.json", os.R_OK)


def test_a_period_outside_the_units_file_is_refused(tmp_path):
    """21952 is Thị trấn Tuy Phước in 2024 and Xã Tuy Phước after July 2025: the 2024 file must
    not make the new commune's letters."""
    from hcpvnd_utils.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        run_unit("tuy-phuoc", "2025-09", outputs=tmp_path)
    assert caught.value.code == "E-CONF-04"
    assert "--inputs inputs/gia-lai-2025" in caught.value.message
    assert not (tmp_path / "2025-09").exists()


@pytest.fixture
def corrected(tmp_path):
    """Phước Thành's November made into letters, then the husband's name of one marriage row
    corrected in the export. Returns (inputs, outputs, first summary letter, Excel row)."""
    from openpyxl import load_workbook

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs)
    shutil.copytree(ROOT / "inputs" / "phuoc-thanh", inputs / "phuoc-thanh")
    first = run_unit("phuoc-thanh", "2024-11", inputs=inputs, outputs=tmp_path / "out")
    letter = next(x for x in first.summary["letters"] if x["event"] == "ket_hon")
    path = inputs / "phuoc-thanh" / "ket_hon_2024-11.xlsx"
    book = load_workbook(path)
    row = _row_of(book.active, letter["registration_no"])
    cell = next(c for c in book.active[row] if isinstance(c.value, str) and " " in c.value)
    cell.value = "Trần Văn Sửa Tên"
    book.save(path)
    return inputs, tmp_path / "out", letter, row


def _changed_warnings(result) -> list:
    return [w for o in result.outcomes for w in o.record.warnings if w.code == "W-CHANGED-01"]


def test_regenerate_after_a_corrected_name_keeps_one_letter(corrected):
    inputs, out, letter, _ = corrected
    again = run_unit("phuoc-thanh", "2024-11", inputs=inputs, outputs=out, regenerate=True)
    number = int(letter["registration_no"])
    files = sorted(p.name for p in (again.out_dir / "letters" / "ket_hon").glob(f"{number:03d}_*"))
    assert len(files) == 1 and files[0] != letter["file"].rsplit("/", 1)[1]
    assert "tran_van_sua_ten" in files[0]
    plain = run_unit("phuoc-thanh", "2024-11", inputs=inputs, outputs=out)
    assert _changed_warnings(plain) == []


def test_a_row_corrected_after_its_letter_is_flagged(corrected):
    inputs, out, _, row = corrected
    again = run_unit("phuoc-thanh", "2024-11", inputs=inputs, outputs=out)
    flagged = _changed_warnings(again)
    assert len(flagged) == 1
    assert (flagged[0].file, flagged[0].row) == ("ket_hon_2024-11.xlsx", row)


def test_letters_tells_the_clerk_on_the_console_that_a_row_was_corrected_after_its_letter(
    corrected,
):
    """Before: W-CHANGED-01 lay only in the third sheet of rejected.xlsx; the console said
    "no new letter" and the letter with the old name went to print."""
    from hcpvnd_utils import messages

    inputs, out, _, _ = corrected
    done = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", "letters", "--unit", "phuoc-thanh",
         "--period", "2024-11", "--inputs", str(inputs), "--outputs", str(out)],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rejected = next(out.glob("*/phuoc-thanh/rejected.xlsx"))
    expected = messages.render("W-CHANGED-02", count=1, file=rejected)
    assert expected in done.stdout.splitlines()


def _row_of(sheet, number: str) -> int:
    for row in sheet.iter_rows():
        for cell in row:
            if str(cell.value).strip() == number:
                return cell.row
    raise AssertionError(number)
