"""Issue #12, second pass: a ledger that is not this outputs folder's (another unit's, an older
backup copy) never passes the guard, and one key given to two families (a register export
without its "Quyển số" column, two books in one year) never costs a family its letter. Real
.xlsx exports (openpyxl), real runs and commands; the ledger and the letter files read back."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from hcpvnd_utils.config import load_units
from hcpvnd_utils.ledger.book import LedgerError
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.validate.check import check

ROOT = Path(__file__).resolve().parents[1]
UNIT = "phuoc-thanh"
HEADER = ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
          "Họ tên mẹ", "Nơi cư trú"]  # fmt: skip
PLACE = "Thôn Phổ Trạch, xã Phước Thành"
AN = ("5", date(2024, 9, 2), "Lê Văn An", "Nguyễn Thị Lan")
BICH = ("5", date(2024, 9, 20), "Trần Thị Bích", "Bùi Thị Mai")  # book 2's no. 5
SEPTEMBER = [("3", date(2024, 9, 3), "Đặng Thị Giang", "Hồ Thị Oanh"),
             ("4", date(2024, 9, 4), "Võ Văn Dũng", "Mai Thị Quyên"),
             ("6", date(2024, 9, 5), "Phạm Minh Châu", "Đỗ Thị Hằng")]  # fmt: skip
LATER = ("7", date(2024, 9, 12), "Huỳnh Mỹ Ly", "Lý Thị Hoa")


def write_export(inputs: Path, name: str, rows, book: str | None = None) -> Path:
    """A birth register export as the civil-status software gives it (.xlsx); ``book`` None:
    no "Quyển số" column at all."""
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.title = "KS"
    sheet.append(HEADER if book is not None else [h for h in HEADER if h != "Quyển số"])
    for index, (number, registered, child, mother) in enumerate(rows, start=1):
        cells = [number, registered, child, date(2024, 8, 28), "Nam", mother, PLACE]
        sheet.append([index, *([book] if book is not None else []), *cells])
    path = inputs / UNIT / name
    sheet_book.save(path)
    return path


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    (folder / UNIT).mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", folder / "units.yaml")
    return folder


def letters(outputs: Path) -> dict[str, tuple[bytes, int]]:
    """Every letter file under ``outputs``: its bytes and modification time."""
    return {
        p.relative_to(outputs).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(outputs.rglob("letters/*/*.docx"))
    }


def ledger_rows(ledger: Path) -> list[tuple]:
    with sqlite3.connect(ledger) as db:
        return db.execute(
            "SELECT r.event, r.book, r.reg_no, r.reg_date, l.file, l.sha256 FROM letters l"
            " JOIN registrations r ON r.id = l.registration_id ORDER BY l.id"
        ).fetchall()


def hcpvnd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hcpvnd_utils", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT)  # fmt: skip


# --- 1. a ledger that is not this folder's ------------------------------------------------------


def test_another_units_ledger_is_refused_before_any_letter_is_made_or_removed(tmp_path):
    """Before: the guard only asked that the ledger record some letter; Phước Quang's 31
    letters were deleted as a killed run's leftovers and made again."""
    ours, theirs = tmp_path / "phuoc_quang", tmp_path / "phuoc_thanh"
    made = run_unit("phuoc-quang", "2024-09", outputs=ours)
    run_unit(UNIT, "2024-09", outputs=theirs)
    other = theirs / "ledger.sqlite"
    before, recorded = letters(ours), ledger_rows(other)
    count = len(made.summary["letters"])
    with pytest.raises(LedgerError) as stopped:
        run_unit("phuoc-quang", "2024-09", outputs=ours, ledger=other)
    message = stopped.value.message
    assert stopped.value.code == "E-LEDGER-08"
    assert f"{other} không biết {count} thư" in message and "Phước Quang" in message
    assert "--ledger" in message and f"hcpvnd ledger rebuild --outputs {ours}" in message
    assert letters(ours) == before  # no file removed, remade or touched
    assert ledger_rows(other) == recorded  # nothing recorded in the other unit's ledger
    again = run_unit("phuoc-quang", "2024-09", outputs=ours)  # its own ledger: nothing new
    assert sum(c["letters"] for c in again.summary["counts"].values()) == 0


def test_the_letters_command_with_another_ledger_stops_with_the_code(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    run_unit("phuoc-quang", "2024-09", outputs=ours)
    run_unit(UNIT, "2024-09", outputs=theirs)
    before = letters(ours)
    done = hcpvnd("letters", "--unit", "phuoc-quang", "--period", "2024-09", "--outputs",
                  str(ours), "--ledger", str(theirs / "ledger.sqlite"))  # fmt: skip
    assert done.returncode == 2
    assert "[E-LEDGER-08]" in done.stderr
    assert letters(ours) == before


def test_an_older_backup_copy_of_the_ledger_is_refused(inputs, tmp_path):
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", SEPTEMBER, book="01/2024")
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    backup = tmp_path / "ledger.backup.sqlite"
    shutil.copy(outputs / "ledger.sqlite", backup)
    write_export(inputs, "khai_sinh_t9.xlsx", [*SEPTEMBER, LATER], book="01/2024")
    later = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert later.summary["counts"]["khai_sinh"]["letters"] == 1
    shutil.copy(backup, outputs / "ledger.sqlite")  # what E-LEDGER-05 advises: the backup
    before = letters(outputs)
    with pytest.raises(LedgerError) as stopped:
        run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert stopped.value.code == "E-LEDGER-08"
    assert "không biết 1 thư" in stopped.value.message
    assert letters(outputs) == before


def test_an_older_backup_that_knows_every_letter_the_summaries_list_is_refused(inputs, tmp_path):
    """The letter made after the backup is listed by no summary any more (a later run of the
    month had a narrower export): its file on disk still proves it. Before: the run deleted
    that letter's file as a killed run's leftover, with no message."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", SEPTEMBER, book="01/2024")
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    backup = tmp_path / "ledger.backup.sqlite"
    shutil.copy(outputs / "ledger.sqlite", backup)
    write_export(inputs, "khai_sinh_t9.xlsx", [*SEPTEMBER, LATER], book="01/2024")
    [made] = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs).summary["letters"]
    write_export(inputs, "khai_sinh_t9.xlsx", SEPTEMBER, book="01/2024")
    narrower = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert narrower.summary["letters"] == []  # every letter it lists the backup knows
    shutil.copy(backup, outputs / "ledger.sqlite")
    before = letters(outputs)
    with pytest.raises(LedgerError) as stopped:
        run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert stopped.value.code == "E-LEDGER-08"
    assert (narrower.out_dir / made["file"]).is_file()
    assert letters(outputs) == before


def test_letters_made_by_a_run_writing_now_are_not_called_another_units(inputs, tmp_path):
    """Two clerks start the same unit at once: the second saw the first run's letter files not
    yet recorded and was told its ledger might be another unit's or an old backup, and to
    rebuild it while the first run was still writing (E-LEDGER-08). It is a run in progress."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", SEPTEMBER, book="01/2024")
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    with sqlite3.connect(outputs / "ledger.sqlite") as db:  # the other run's files, unrecorded
        db.execute("DELETE FROM letters WHERE id = (SELECT max(id) FROM letters)")
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with sqlite3.connect(outputs / "ledger.sqlite") as db:
            db.execute(
                "INSERT INTO runs (scheme, unit_code, unit_key, period, period_start, period_end,"
                " started_at, status, process_id, host) SELECT scheme, unit_code, unit_key,"
                " period, period_start, period_end, started_at, 'running', ?, host FROM runs"
                " ORDER BY id DESC LIMIT 1",
                (writer.pid,),
            )
        before = letters(outputs)
        with pytest.raises(LedgerError) as stopped:
            run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
        assert stopped.value.code == "E-LEDGER-03"
        assert letters(outputs) == before
    finally:
        writer.kill()
        writer.wait()


KILL_AT_FIRST_LETTER = """
import os, signal, sys
from hcpvnd_utils.ledger import book as ledger
from hcpvnd_utils.letters.run import run_unit

def record_letter(self, *a, **k):
    os.kill(os.getpid(), signal.SIGKILL)  # the first letter is in place, its row is not

ledger.Ledger.record_letter = record_letter
run_unit(sys.argv[1], "2024-09", inputs=sys.argv[2], outputs=sys.argv[3])
"""


def test_a_first_run_killed_before_it_recorded_any_letter_is_simply_rerun(inputs, tmp_path):
    """A killed run's leftover is not a lost ledger: the rerun removes or remakes it. Before:
    the ledger (created by the killed run) recorded no letter, so the rerun stopped at
    E-LEDGER-05 and asked for a rebuild."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", SEPTEMBER, book="01/2024")
    killed = subprocess.run([sys.executable, "-c", KILL_AT_FIRST_LETTER, UNIT, str(inputs),
                             str(outputs)], cwd=ROOT, check=False)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    assert len(letters(outputs)) == 1 and not ledger_rows(outputs / "ledger.sqlite")
    rerun = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert rerun.summary["counts"]["khai_sinh"]["letters"] == 3
    assert set(letters(outputs)) == {row[4] for row in ledger_rows(outputs / "ledger.sqlite")}


# --- 2. one key, two families --------------------------------------------------------------------


def test_a_second_familys_row_under_a_recorded_key_is_refused_and_never_replaces_the_letter(
    inputs, tmp_path
):  # fmt: skip
    """No "Quyển số" column: book 2's no. 5 gets the key of book 1's no. 5. Before: R-SENT-01
    (no letter, no error), and --regenerate replaced Lê Văn An's letter by Trần Thị Bích's."""
    outputs = tmp_path / "outputs"
    export = write_export(inputs, "khai_sinh_t9.xlsx", [AN])
    first = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    [made] = first.summary["letters"]
    letter = first.out_dir / made["file"]
    write_export(inputs, "khai_sinh_t9.xlsx", [AN, BICH])
    for regenerate in (False, True):
        again = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs, regenerate=regenerate)
        counts = again.summary["counts"]["khai_sinh"]
        assert (
            counts["rows"]
            == 2
            == sum(
                v
                for k, v in counts.items()
                if k
                in (
                    "letters",
                    "rejected",
                    "out_of_period",
                    "duplicates",
                    "not_eligible",
                    "already_sent",
                )
            )
        )
        assert counts["rejected"] == 1
        [refused] = [r for r in again.summary["rejected"] if r["code"] == "E-KEY-01"]
        assert (refused["file"], refused["sheet"], refused["row"]) == (export.name, "KS", 3)
        assert "số đăng ký 5" in refused["message"] and "“Quyển số”" in refused["message"]
        assert not [r for r in again.summary["rejected"] if r["code"] == "R-SENT-01"
                    and r["row"] == 3]  # fmt: skip
        assert letter.is_file() and "Lê Văn An" in extract_text(letter)
        assert "Trần Thị Bích" not in extract_text(letter)
        assert not list(outputs.rglob("*tran_thi_bich*"))
    [(_, _, number, registered, file, _)] = ledger_rows(outputs / "ledger.sqlite")
    assert (number, registered) == ("5", "2024-09-02") and (outputs / file) == letter


def test_two_families_with_one_key_in_one_export_are_not_called_duplicates(inputs, tmp_path):
    """Before: R-DUP-01 told the clerk to delete the second family's row."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", [AN, BICH])
    result = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    counts = result.summary["counts"]["khai_sinh"]
    assert (counts["rows"], counts["letters"], counts["rejected"], counts["duplicates"]) == (
        2, 1, 1, 0)  # fmt: skip
    [refused] = result.summary["rejected"]
    assert refused["code"] == "E-KEY-02" and refused["row"] == 3
    assert "dòng 2" in refused["message"] and "Không xóa dòng nào" in refused["message"]
    assert len(letters(outputs)) == 1


def test_a_corrected_name_on_the_same_day_is_still_the_same_registration(inputs, tmp_path):
    """The other side of the rule: a spelling corrected (same number, same date) is still
    W-CHANGED-01 and remade by --regenerate under the registration's own key."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", [AN])
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    write_export(inputs, "khai_sinh_t9.xlsx", [(*AN[:2], "Lê Văn Anh", AN[3])])
    flagged = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert [w.code for o in flagged.outcomes for w in o.record.warnings] == ["W-CHANGED-01"]
    remade = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs, regenerate=True)
    assert remade.summary["counts"]["khai_sinh"]["letters"] == 1
    [file] = letters(outputs)
    assert "Lê Văn Anh" in extract_text(outputs / file)
    # then the registration date corrected too: the ledger knows the remade letter's people
    write_export(inputs, "khai_sinh_t9.xlsx", [(AN[0], date(2024, 9, 3), "Lê Văn Anh", AN[3])])
    dated = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert dated.summary["counts"]["khai_sinh"]["already_sent"] == 1


def test_validate_refuses_the_second_family_as_letters_does(inputs, tmp_path):
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", [AN])
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    write_export(inputs, "khai_sinh_t9.xlsx", [AN, BICH, (BICH[0], date(2024, 9, 25),
                                                          "Hồ Văn Cường", "Lê Thị Dung")])  # fmt: skip
    config = load_units(inputs / "units.yaml")
    checked = check(config, inputs, outputs, unit=UNIT, period=parse_period("2024-09"),
                    ledger=outputs / "ledger.sqlite")  # fmt: skip
    outcomes = checked.groups[0].outcomes
    assert [(o.status, o.problem.code if o.problem else "") for o in outcomes] == [
        ("already_sent", "R-SENT-01"),
        ("rejected", "E-KEY-01"),
        ("rejected", "E-KEY-01"),
    ]
    alone = check(config, inputs, outputs, unit=UNIT, period=parse_period("2024-09"))
    assert [o.problem.code if o.problem else "" for o in alone.groups[0].outcomes] == [
        "",
        "E-KEY-02",
        "E-KEY-02",
    ]
    assert checked.exit_code == 1


KILL_BEFORE_OLD_FILE_GOES = """
import os, pathlib, signal, sys
from hcpvnd_utils.letters.run import run_unit

real = pathlib.Path.unlink
def unlink(self, *a, **k):
    if self.suffix == ".docx" and "letters" in self.parts:
        os.kill(os.getpid(), signal.SIGKILL)  # the new letter is recorded, the old file stays
    return real(self, *a, **k)

pathlib.Path.unlink = unlink
run_unit(sys.argv[1], "2024-09", inputs=sys.argv[2], outputs=sys.argv[3], regenerate=True)
"""


def test_a_regenerate_killed_before_the_old_file_went_is_rerun_and_cleaned(inputs, tmp_path):
    """The other side of the guard (passes on the code before it too): --regenerate after a
    corrected name, killed once the new letter is recorded and before the old file is
    removed. That old file is older than the summary and unknown to the ledger, yet it is a
    killed run's leftover: the rerun goes on and removes it."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", [AN, *SEPTEMBER], book="01/2024")
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    write_export(inputs, "khai_sinh_t9.xlsx", [(*AN[:2], "Lê Văn Anh", AN[3]), *SEPTEMBER],
                 book="01/2024")  # fmt: skip
    killed = subprocess.run([sys.executable, "-c", KILL_BEFORE_OLD_FILE_GOES, UNIT, str(inputs),
                             str(outputs)], cwd=ROOT, check=False)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    assert len(letters(outputs)) == 5  # the old file and the new one
    rerun = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert rerun.summary["counts"]["khai_sinh"]["already_sent"] == 4
    on_disk = set(letters(outputs))
    assert on_disk == {row[4] for row in ledger_rows(outputs / "ledger.sqlite")}
    assert len(on_disk) == 4 and any("le_van_anh" in f for f in on_disk)


def test_a_letter_a_rebuild_matched_with_nothing_does_not_stop_the_next_run(inputs, tmp_path):
    """The other side again (passes on the code before the guard too): W-LEDGER-02 says the
    next run removes a letter file the rebuild could not match; that file is no sign of
    another ledger."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.xlsx", SEPTEMBER, book="01/2024")
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    write_export(inputs, "khai_sinh_t9.xlsx", [*SEPTEMBER, LATER], book="01/2024")
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    write_export(inputs, "khai_sinh_t9.xlsx", SEPTEMBER, book="01/2024")  # LATER's row gone
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    (outputs / "ledger.sqlite").unlink()
    done = hcpvnd("ledger", "rebuild", "--inputs", str(inputs), "--outputs", str(outputs))
    assert done.returncode == 1 and "[W-LEDGER-02] 1 tệp thư" in done.stdout
    rerun = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert rerun.summary["counts"]["khai_sinh"]["already_sent"] == 3
    assert len(letters(outputs)) == 3
