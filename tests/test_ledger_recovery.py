"""A ledger of today's district offices keeps working, and a lost one is never silently replaced
(issue #12, points 1–3).

``tests/data/ledger_v1`` holds the outputs the code before #12 made (ledger schema 1, its script
beside it): numbers spelt as a CSV re-export spells them, one number in two books, and a letter
the old naming overwrote. Copies of it are upgraded, rerun, deleted and rebuilt here."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hcpvnd_utils.ledger.book import Ledger, LedgerError
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text

ROOT = Path(__file__).resolve().parents[1]
V1 = Path(__file__).parent / "data" / "ledger_v1"
UNIT = "phuoc-thanh"


@pytest.fixture
def v1(tmp_path) -> tuple[Path, Path]:
    """A copy of the schema-1 outputs and the inputs they were made from."""
    shutil.copytree(V1 / "inputs", tmp_path / "inputs")
    shutil.copytree(V1 / "outputs", tmp_path / "outputs")
    return tmp_path / "inputs", tmp_path / "outputs"


def docx_files(outputs: Path) -> dict[str, bytes]:
    return {p.relative_to(outputs).as_posix(): p.read_bytes() for p in outputs.rglob("*.docx")}


def letter_rows(outputs: Path) -> list[tuple]:
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        return db.execute(
            "SELECT r.book, r.reg_no, r.reg_date, l.file, l.sha256 FROM letters l"
            " JOIN registrations r ON r.id = l.registration_id ORDER BY l.id"
        ).fetchall()


def hcpvnd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hcpvnd_utils", *args],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT)  # fmt: skip


# --- the upgrade in place ----------------------------------------------------------------------


def test_a_schema_1_ledger_is_upgraded_in_place_and_a_rerun_remakes_nothing(v1):
    inputs, outputs = v1
    letters = docx_files(outputs)
    before = letter_rows(outputs)
    with Ledger(outputs / "ledger.sqlite") as book:
        assert book.clashes == 0
    db = sqlite3.connect(outputs / "ledger.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 4  # through schemas 2 and 3
    numbers = sorted(r[0] for r in db.execute("SELECT reg_no FROM registrations"))
    refs = db.execute(
        "SELECT l.letter_ref, r.event || '|' || r.book || '|' || r.reg_no FROM letters l"
        " JOIN registrations r ON r.id = l.registration_id"
    ).fetchall()
    db.close()
    assert refs and all(ref == key for ref, key in refs)  # each letter its registration's
    assert numbers == ["12", "20", "20", "30", "30", "5", "7a"]  # "5.0", "07A", "12/2024"
    for period in ("2024-09", "2024-10"):
        result = run_unit(UNIT, period, inputs=inputs, outputs=outputs)
        counts = result.summary["counts"]["khai_sinh"]
        assert counts["letters"] == 0 and counts["already_sent"] == counts["rows"] > 0
    after = docx_files(outputs)
    assert {k: v for k, v in after.items() if "/letters/" in k} == {
        k: v for k, v in letters.items() if "/letters/" in k
    }  # no letter remade, renamed or removed
    assert [r[3:] for r in letter_rows(outputs)] == [r[3:] for r in before]


def test_after_the_upgrade_a_re_export_spelt_otherwise_gets_no_second_letter(v1):
    inputs, outputs = v1
    export = inputs / UNIT / "khai_sinh_t9.csv"
    text = export.read_text(encoding="utf-8")
    for old, new in ((",5.0,", ",5,"), (",07A,", ",7a,"), (",12/2024,", ",12,")):
        text = text.replace(old, new)
    export.write_text(text, encoding="utf-8")
    result = run_unit(UNIT, "2024-Q3", inputs=inputs, outputs=outputs)
    counts = result.summary["counts"]["khai_sinh"]
    assert (counts["letters"], counts["already_sent"]) == (0, 5)


def test_the_overwritten_letter_of_the_old_naming_is_said_and_can_be_made_again(v1):
    """Two registrations (book 1 and book 2, no. 30) point at one file: the rerun says so, puts
    both families in the print file, and --regenerate gives each its own letter."""
    inputs, outputs = v1
    plain = run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs)
    [notice] = [w for w in plain.warnings if w.code == "W-LEDGER-01"]
    assert "30 quyển 1/2024, 30 quyển 2/2024" in notice.message
    assert "hcpvnd letters --unit phuoc-thanh --period 2024-10 --regenerate" in notice.message
    printed = extract_text(plain.print_files["khai_sinh"])
    assert "Mai Thị Quyên" in printed and "Nguyễn Thị Lan" in printed
    again = run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs, regenerate=True)
    assert not [w for w in again.warnings if w.code == "W-LEDGER-01"]
    files = [r[3] for r in letter_rows(outputs) if r[2].startswith("2024-10")]
    assert len(set(files)) == 2
    texts = [extract_text(outputs / f) for f in files]
    assert sorted("Mai Thị Quyên" in t for t in texts) == [False, True]
    assert sorted("Nguyễn Thị Lan" in t for t in texts) == [False, True]
    assert files[0].endswith("030_vo_van_dung.docx")  # the first family keeps its file name


# --- 3. a ledger gone, emptied or damaged is never replaced by a new one ------------------------


@pytest.mark.parametrize("damage", ["deleted", "emptied", "elsewhere"])
def test_letters_on_disk_without_their_ledger_stop_the_run(v1, damage):
    inputs, outputs = v1
    ledger = outputs / "ledger.sqlite"
    if damage == "deleted":
        ledger.unlink()
    elif damage == "emptied":
        ledger.write_bytes(b"")
    else:
        ledger = outputs.parent / "other.sqlite"  # --ledger pointing at a new file
    letters = docx_files(outputs)
    with pytest.raises(LedgerError) as stopped:
        run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs, ledger=ledger)
    message = stopped.value.message
    assert stopped.value.code == "E-LEDGER-05"
    assert str(outputs) in message and "hcpvnd ledger rebuild" in message
    assert "7 thư" in message or "6 thư" in message
    assert docx_files(outputs) == letters
    assert damage == "emptied" or not ledger.exists()  # no new ledger was made
    # a typo in --ledger: the message names the real ledger, never only "rebuild a new one"
    assert (f"có sổ theo dõi đã ghi thư ở {outputs / 'ledger.sqlite'}" in message) == (
        damage == "elsewhere"
    )


def test_a_damaged_ledger_is_refused_and_kept_as_it_is(v1):
    inputs, outputs = v1
    ledger = outputs / "ledger.sqlite"
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 40
    ledger.write_bytes(damaged)
    with pytest.raises(LedgerError) as stopped:
        run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert stopped.value.code == "E-LEDGER-06"
    assert "--ledger" not in stopped.value.message
    assert "hcpvnd ledger rebuild" in stopped.value.message
    assert ledger.read_bytes() == damaged


def test_a_purge_that_left_no_letter_file_still_stops_a_run_without_the_ledger(tmp_path):
    outputs = tmp_path / "outputs"
    run_unit(UNIT, "2024-09", outputs=outputs)
    for letter in outputs.rglob("letters/*/*.docx"):
        letter.unlink()  # what a purge leaves: no letter, the summaries
    (outputs / "ledger.sqlite").unlink()
    with pytest.raises(LedgerError) as stopped:
        run_unit(UNIT, "2024-09", outputs=outputs)
    assert stopped.value.code == "E-LEDGER-05"


# --- rebuilding the ledger from the letters on disk ---------------------------------------------


def test_a_deleted_ledger_is_rebuilt_from_the_letters_and_a_rerun_remakes_nothing(v1):
    inputs, outputs = v1
    Ledger(outputs / "ledger.sqlite").close()  # upgraded: the numbers as today's rows have them
    before = letter_rows(outputs)
    (outputs / "ledger.sqlite").unlink()
    done = hcpvnd("ledger", "rebuild", "--inputs", str(inputs), "--outputs", str(outputs))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("[I-LEDGER-01] Đã dựng lại sổ theo dõi thư")
    assert "Phạm" not in done.stdout and "pham" not in done.stdout  # no name on the console
    rebuilt = letter_rows(outputs)
    # every registration is back: each letter file with its registration and sha256; the
    # one whose file the old naming overwrote, from the summary that found it sent already
    assert {(r[1], r[2]) for r in rebuilt} == {(r[1], r[2]) for r in before}
    on_disk = [r for r in rebuilt if (outputs / r[3]).is_file()]
    assert {r[3] for r in on_disk} == {r[3] for r in before}
    assert {(r[3], r[4]) for r in on_disk} <= {(r[3], r[4]) for r in before}
    letters = docx_files(outputs)
    for period in ("2024-09", "2024-10"):
        result = run_unit(UNIT, period, inputs=inputs, outputs=outputs)
        assert result.summary["counts"]["khai_sinh"]["letters"] == 0
    assert docx_files(outputs).keys() >= {k for k in letters if "/letters/" in k}


def test_rebuild_never_writes_over_a_ledger_that_records_letters(v1):
    inputs, outputs = v1
    Ledger(outputs / "ledger.sqlite").close()
    saved = letter_rows(outputs)
    done = hcpvnd("ledger", "rebuild", "--inputs", str(inputs), "--outputs", str(outputs))
    assert done.returncode == 2
    assert done.stderr.startswith("[E-LEDGER-07]")
    assert letter_rows(outputs) == saved


# --- the ledger before issue #17 (schema 2), made by main's code ----------------------------

V2 = Path(__file__).parent / "data" / "ledger_v2"


@pytest.fixture
def v2(tmp_path) -> tuple[Path, Path]:
    """A copy of the schema-2 outputs (twins with a letter each) and their inputs."""
    shutil.copytree(V2 / "inputs", tmp_path / "inputs")
    shutil.copytree(V2 / "outputs", tmp_path / "outputs")
    return tmp_path / "inputs", tmp_path / "outputs"


def test_a_schema_2_ledger_is_upgraded_in_place_and_remakes_nothing(v2):
    inputs, outputs = v2
    letters = docx_files(outputs)
    before = letter_rows(outputs)
    Ledger(outputs / "ledger.sqlite").close()
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 4
        refs = db.execute("SELECT letter_ref, variant FROM letters ORDER BY id").fetchall()
    assert refs == [(f"khai_sinh|1/2024|{n}", "") for n in (50, 51, 52)]  # a letter each
    assert letter_rows(outputs) == before
    result = run_unit(UNIT, "2024-11", inputs=inputs, outputs=outputs)
    counts = result.summary["counts"]["khai_sinh"]
    assert (counts["letters"], counts["already_sent"]) == (0, 3)
    assert docx_files(outputs) == letters  # the two letters the twins had stay as they were
    (inputs / UNIT / "khai_sinh_t11.csv").write_text(
        "\r\n".join((V2 / "inputs" / UNIT / "khai_sinh_t11.csv").read_text("utf-8").splitlines()[:3:2])
        + "\r\n", encoding="utf-8",
    )  # fmt: skip
    assert run_unit(UNIT, "2024-11", inputs=inputs, outputs=outputs).summary["letters"] == []


def test_twins_given_two_letters_before_get_one_when_remade(v2):
    inputs, outputs = v2
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs / "units.yaml")  # with the variants
    result = run_unit(UNIT, "2024-11", inputs=inputs, outputs=outputs, regenerate=True)
    twins = [e for e in result.summary["letters"] if e["number"] in ("51", "52")]
    assert {e["file"] for e in twins} == {"letters/khai_sinh/051_nguyen_minh_an_50748c.docx"}
    assert {(e["variant"], e["covers"]) for e in twins} == {("sinh_doi", 2)}
    folder = outputs / "2024-11" / UNIT / "letters" / "khai_sinh"
    assert sorted(p.name for p in folder.iterdir()) == [
        "050_le_van_binh_22be25.docx", "051_nguyen_minh_an_50748c.docx",
    ]  # the second twin's letter is gone: one letter for the family  # fmt: skip
    text = extract_text(folder / "051_nguyen_minh_an_50748c.docx")
    assert "hai cháu Nguyễn Minh An và Nguyễn Minh Khôi" in text
