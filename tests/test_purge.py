"""hcpvnd purge: letters and print files made before a date go; the ledger's counts and hashes
stay, so reports do not change and no registration gets a second letter. Real runs into
tmp_path; "old" letters are made old by dating their ledger rows and files back."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from argparse import Namespace
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from hcpvnd_utils.cli import purge as purge_cli
from hcpvnd_utils.config import load_units
from hcpvnd_utils.ingest import files as ingest
from hcpvnd_utils.ledger import purge
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.periods import parse_period

ROOT = Path(__file__).resolve().parents[1]
PERIOD = parse_period("2024-09")
OLD = datetime(2024, 10, 5, 9, 0)
BEFORE = date(2025, 1, 1)


def age(outputs: Path, unit: str, files=True) -> None:
    """Make the unit's letters (and, with ``files``, its print files) look made on 5/10/2024."""
    prefix = f"{PERIOD.label}/{unit}/"
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        db.execute(
            "UPDATE letters SET created_at = ? WHERE file LIKE ?",
            (OLD.astimezone().isoformat(timespec="seconds"), prefix + "%"),
        )
    stamp = OLD.timestamp()
    folder = outputs / PERIOD.label / unit
    for path in [
        *folder.glob("letters/*/*.docx"),
        *(folder.glob("ban_in_*.docx") if files else []),
    ]:
        os.utime(path, (stamp, stamp))


def ledger_state(outputs: Path, unit) -> tuple[dict, dict]:
    with Ledger(outputs / "ledger.sqlite") as book:
        rows = {
            row["file"]: (row["sha256"], row["status"]) for row in book.letters_for(unit, PERIOD)
        }
        return book.counts(PERIOD), rows


@pytest.fixture()
def two_units(tmp_path):
    outputs = tmp_path / "outputs"
    runs = {key: run_unit(key, PERIOD, outputs=outputs) for key in ("phuoc-thanh", "dieu-tri")}
    return outputs, runs


def letter_files(outputs: Path, unit: str) -> list[Path]:
    return sorted((outputs / PERIOD.label / unit).glob("letters/*/*.docx"))


def test_purge_deletes_old_letters_and_print_files_and_keeps_counts_and_hashes(two_units):
    outputs, runs = two_units
    age(outputs, "phuoc-thanh")
    made = Counter(x["event"] for x in runs["phuoc-thanh"].summary["letters"])
    counts, rows = ledger_state(outputs, runs["phuoc-thanh"].unit)
    kept = letter_files(outputs, "dieu-tri") + sorted(
        (outputs / "2024-09/dieu-tri").glob("ban_in_*")
    )

    plan = purge.plan_purge(outputs, outputs / "ledger.sqlite", BEFORE)
    assert {key: dict(value) for key, value in plan.counts().items()} == {
        ("phuoc-thanh", event): {"letter": made[event], "print_file": 1} for event in made
    }
    assert purge.execute(plan) == Counter(letter=sum(made.values()), print_file=len(made))

    assert letter_files(outputs, "phuoc-thanh") == []
    assert list((outputs / "2024-09/phuoc-thanh").glob("ban_in_*")) == []
    assert all(path.is_file() for path in kept)
    after, purged_rows = ledger_state(outputs, runs["phuoc-thanh"].unit)
    assert after == counts  # the reports' figures do not move
    assert sorted(purged_rows.values()) == sorted((sha, "purged") for sha, _ in rows.values())
    for file in purged_rows:  # the ledger keeps no name (#12): number and hash only
        assert re.fullmatch(r"\d+_[0-9a-f]{12}\.docx", Path(file).name), file
    for name in ("summary.json", "rejected.xlsx"):
        assert (outputs / "2024-09/phuoc-thanh" / name).is_file()
    assert purge.plan_purge(outputs, outputs / "ledger.sqlite", BEFORE).empty


def test_a_rerun_after_a_purge_makes_no_second_letter(two_units):
    outputs, runs = two_units
    age(outputs, "phuoc-thanh")
    purge.execute(purge.plan_purge(outputs, outputs / "ledger.sqlite", BEFORE))
    again = run_unit("phuoc-thanh", PERIOD, outputs=outputs)
    assert again.summary["letters"] == []
    sent = sum(c["already_sent"] for c in again.summary["counts"].values())
    assert sent == len(runs["phuoc-thanh"].summary["letters"])
    assert letter_files(outputs, "phuoc-thanh") == []  # nothing comes back, not even to print
    assert list((outputs / "2024-09/phuoc-thanh").glob("ban_in_*")) == []
    regenerated = run_unit("phuoc-thanh", PERIOD, outputs=outputs, regenerate=True)
    assert regenerated.summary["letters"] == []


def test_recent_letters_stay_and_a_print_file_goes_with_its_last_letter(two_units):
    outputs, runs = two_units
    age(outputs, "phuoc-thanh", files=False)  # old letters, print files written today
    plan = purge.plan_purge(outputs, outputs / "ledger.sqlite", BEFORE)
    kinds = Counter(item.kind for item in plan.files)
    assert kinds["print_file"] == len({x["event"] for x in runs["phuoc-thanh"].summary["letters"]})
    assert {item.unit for item in plan.files} == {"phuoc-thanh"}
    nothing = purge.plan_purge(outputs, outputs / "ledger.sqlite", OLD.date())
    assert nothing.empty and "Không có thư hay tệp in nào" in purge.describe(nothing)


def test_letters_a_killed_run_left_unrecorded_go_by_their_age(two_units):
    outputs, _ = two_units
    folder = outputs / "2024-09/dieu-tri/letters/khai_sinh"
    stray, fresh = folder / "999_tre_a.docx", folder / "998_tre_b.docx"
    stray.write_bytes(b"PK")
    fresh.write_bytes(b"PK")
    os.utime(stray, (OLD.timestamp(), OLD.timestamp()))
    plan = purge.plan_purge(outputs, outputs / "ledger.sqlite", BEFORE)
    assert [(item.path.name, item.letter_id) for item in plan.files] == [("999_tre_a.docx", None)]
    purge.execute(plan)
    assert not stray.exists() and fresh.exists()


def test_nothing_outside_the_outputs_folder_is_touched(two_units, tmp_path):
    outputs, _ = two_units
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes(b"keep me")
    link = outputs / "2024-09/dieu-tri/letters/khai_sinh/997_link.docx"
    link.symlink_to(outside)
    os.utime(outside, (OLD.timestamp(), OLD.timestamp()))
    with sqlite3.connect(outputs / "ledger.sqlite") as db:  # a ledger row pointing outside
        db.execute("UPDATE letters SET file = '../elsewhere.docx', created_at = '2024-10-05' "
                   "WHERE id = (SELECT MIN(id) FROM letters)")  # fmt: skip
    plan = purge.plan_purge(outputs, outputs / "ledger.sqlite", BEFORE)
    assert all(item.path.is_relative_to(outputs) for item in plan.files)
    purge.execute(plan)
    assert outside.read_bytes() == b"keep me" and link.is_symlink()


# --- the command ---------------------------------------------------------------------------------


def args(outputs: Path, before="2025-01-01", yes=False) -> Namespace:
    return Namespace(before=before, outputs=outputs, ledger=None, yes=yes)


def people(unit: str) -> set[str]:
    records = ingest.read_unit(ROOT / "inputs", unit).records
    return {v for r in records for k, v in r.values.items() if k.endswith("_full_name")}


def test_the_command_says_what_it_removed_per_unit_and_event_without_names(two_units, capsys):
    outputs, runs = two_units
    age(outputs, "phuoc-thanh")
    assert purge_cli.purge_command(args(outputs, yes=True)) == 0
    said = capsys.readouterr().out
    made = Counter(x["event"] for x in runs["phuoc-thanh"].summary["letters"])
    assert (
        f"Đã xóa {sum(made.values())} thư và {len(made)} tệp in làm trước ngày 01/01/2025" in said
    )
    assert f"phuoc-thanh, Khai sinh: {made['khai_sinh']} thư, 1 tệp in" in said
    assert "dieu-tri" not in said
    assert not any(name in said for name in people("phuoc-thanh"))


@pytest.mark.parametrize(("answer", "deleted"), [("có\n", True), ("không\n", False), ("", False)])
def test_the_command_asks_first(two_units, monkeypatch, capsys, answer, deleted):
    outputs, _ = two_units
    age(outputs, "phuoc-thanh")
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    code = purge_cli.purge_command(args(outputs, before="01/01/2025"))
    assert (code, letter_files(outputs, "phuoc-thanh") == []) == (0 if deleted else 1, deleted)
    if not deleted:
        assert capsys.readouterr().out.rstrip().endswith("Không xóa gì.")


@pytest.mark.parametrize(
    ("answer", "yes"),
    [("có", True), ("Có ", True), ("CO", True), ("y", True), ("đồng ý", True), ("", False),
     ("không", False), ("n", False), ("cóc", False)],
)  # fmt: skip
def test_confirm_takes_only_a_clear_yes(answer, yes):
    assert purge_cli.confirm(purge.PurgePlan(Path("."), Path("."), BEFORE), lambda _: answer) is yes


def test_confirm_without_an_answer_is_no():
    def closed(_):
        raise EOFError

    assert purge_cli.confirm(purge.PurgePlan(Path("."), Path("."), BEFORE), closed) is False


def test_a_date_that_is_not_a_date_and_a_missing_ledger_are_refused(tmp_path):
    with pytest.raises(purge.PurgeError) as bad_date:
        purge_cli.purge_command(args(tmp_path, before="31/02/2025", yes=True))
    assert bad_date.value.code == "E-PURGE-01" and "“31/02/2025”" in str(bad_date.value)
    with pytest.raises(purge.PurgeError) as no_ledger:
        purge_cli.purge_command(args(tmp_path / "outputs", yes=True))
    assert no_ledger.value.code == "E-PURGE-02"
    assert not (tmp_path / "outputs").exists()  # no empty ledger created in passing


def test_hcpvnd_purge_from_the_command_line(two_units):
    outputs, _ = two_units
    age(outputs, "dieu-tri")
    command = [sys.executable, "-m", "hcpvnd_utils", "purge", "--before", "01/01/2025",
               "--outputs", str(outputs)]  # fmt: skip
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def hcpvnd(*extra, answer=""):
        return subprocess.run([*command, *extra], input=answer, capture_output=True, text=True,
                              encoding="utf-8", env=env, cwd=ROOT, check=False)  # fmt: skip

    declined = hcpvnd(answer="không\n")
    assert declined.returncode == 1 and "Không xóa gì." in declined.stdout
    assert letter_files(outputs, "dieu-tri")
    done = hcpvnd("--yes")
    assert done.returncode == 0, done.stderr
    assert "Đã xóa" in done.stdout and "dieu-tri, Khai sinh:" in done.stdout
    assert letter_files(outputs, "dieu-tri") == [] and letter_files(outputs, "phuoc-thanh")
    wrong = hcpvnd("--yes", "--before", "32/01/2025")
    assert wrong.returncode == 2 and wrong.stderr.startswith("[E-PURGE-01]")


# --- after a purge, no name anywhere (#12, point 13) -------------------------------------------


def age_everything(outputs: Path) -> None:
    """Every file under outputs/ and every letter row made on 5/10/2024."""
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        db.execute("UPDATE letters SET created_at = ?", (OLD.astimezone().isoformat(),))
    for path in outputs.rglob("*"):
        if path.is_file() and not path.name.startswith("ledger.sqlite"):
            os.utime(path, (OLD.timestamp(), OLD.timestamp()))


def names_and_numbers(unit: str) -> set[str]:
    """What would identify a person of the unit's exports: names (and their file-name slugs)
    and ID numbers."""
    from hcpvnd_utils.letters.files import ascii_slug

    records = ingest.read_unit(ROOT / "inputs", unit).records
    found = set()
    for record in records:
        for key, value in record.values.items():
            if key.endswith("_full_name") and len(str(value).split()) >= 3:
                found |= {str(value), ascii_slug(str(value))}
            elif key.endswith("_pid"):
                found.add(str(value))
    return found


def readable_bytes(path: Path) -> bytes:
    """A file's bytes, the text of every part of a zip (a .docx, an .xlsx), and the text of a
    gzip file (the runs' rows.jsonl.gz)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        import gzip

        data += gzip.decompress(data)
    if data[:4] == b"PK\x03\x04":
        import zipfile

        with zipfile.ZipFile(path) as archive:
            data += b"".join(archive.read(member) for member in archive.namelist())
    return data


@pytest.mark.slow
def test_after_a_purge_no_name_or_id_number_is_left_under_outputs(tmp_path):
    """A unit's letters made through the per-unit notebook, then purged. Before: the ledger
    kept …/120_huynh_my_ly.docx, and summary.json, rejected.xlsx and the executed notebooks
    listed every name. What stays is counts, codes, numbers and hashes (README)."""
    from hcpvnd_utils.runs.notebook import run_unit_notebook

    outputs = tmp_path / "outputs"
    run = run_unit_notebook("phuoc-thanh", PERIOD, inputs=ROOT / "inputs", outputs=outputs,
                            ledger=outputs / "ledger.sqlite")  # fmt: skip
    assert run.status == "ok", run.message
    run_unit_notebook("phuoc-thanh", PERIOD, inputs=ROOT / "inputs", outputs=outputs,
                      ledger=outputs / "ledger.sqlite")  # a rerun: one copy in lich_su  # fmt: skip
    secrets = names_and_numbers("phuoc-thanh")
    before = b"".join(readable_bytes(p) for p in outputs.rglob("*") if p.is_file())
    assert any(secret.encode() in before for secret in secrets)  # the test can see them
    age_everything(outputs)
    counts, _ = ledger_state(outputs, load_units(ROOT / "inputs" / "units.yaml").unit(
        "phuoc-thanh"))  # fmt: skip

    plan = purge.plan_purge(outputs, outputs / "ledger.sqlite", BEFORE)
    purge.execute(plan)

    left = {p: readable_bytes(p) for p in outputs.rglob("*") if p.is_file()}
    for path, data in left.items():
        found = sorted(s for s in secrets if s.encode() in data or s in path.name)
        assert found == [], (path.relative_to(outputs), found[:3])
    after, _ = ledger_state(outputs, load_units(ROOT / "inputs" / "units.yaml").unit(
        "phuoc-thanh"))  # fmt: skip
    assert after == counts  # the reports' figures stay
    summary = json.loads((outputs / "2024-09/phuoc-thanh/summary.json").read_text("utf-8"))
    assert summary["counts"] and set(summary) == {"unit", "period", "counts", "letters", "rejected"}


@pytest.mark.slow
def test_a_purge_empties_the_analysts_notebook_copies_and_says_so(tmp_path, capsys):
    """The analyst's copies in outputs/so_tay/ (``hcpvnd lab``): the per-unit notebook run there
    with papermill (as the README shows), the lab's copy saved after a run and JupyterLab's
    checkpoint of it, all saved after DATE. Before: purge left them as they were, with the
    names of the letters' files, though the README said "Nothing else"."""
    from hcpvnd_utils.runs.lab import prepare_workspace
    from hcpvnd_utils.runs.notebook import run_project_notebook

    outputs = tmp_path / "outputs"
    workspace = prepare_workspace(outputs).folder
    untouched = (workspace / "phan_tich.ipynb").read_bytes()  # never run: nothing to empty
    executed = workspace / "unit_letters_phuoc-thanh_2024-09.ipynb"
    parameters = {"unit": "phuoc-thanh", "period": PERIOD.argument, "inputs": str(ROOT / "inputs"),
                  "outputs": str(outputs), "ledger": str(outputs / "ledger.sqlite")}  # fmt: skip
    assert run_project_notebook("unit_letters.ipynb", executed, parameters).status == "ok"
    checkpoint = workspace / ".ipynb_checkpoints" / "unit_letters-checkpoint.ipynb"
    checkpoint.parent.mkdir()
    for copy in (workspace / "unit_letters.ipynb", checkpoint):
        shutil.copy(executed, copy)
    secrets = names_and_numbers("phuoc-thanh")
    assert any(s.encode() in executed.read_bytes() for s in secrets)  # the test can see them
    age(outputs, "phuoc-thanh")

    assert purge_cli.purge_command(args(outputs, yes=True)) == 0

    said = capsys.readouterr().out
    assert (
        "Đã xóa phần kết quả hiển thị (bảng, danh sách tệp thư có tên người) của 3 sổ tay trong "
        f"{workspace.resolve()}" in said
    )
    for copy in (executed, workspace / "unit_letters.ipynb", checkpoint):
        data = copy.read_bytes()
        assert not [s for s in secrets if s.encode() in data], copy.name
        cells = [c for c in json.loads(data)["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] for c in cells)
        assert any("letters_from_notebook" in "".join(c["source"]) for c in cells)  # code kept
    assert (workspace / "phan_tich.ipynb").read_bytes() == untouched
    purge_cli.purge_command(args(outputs, yes=True))  # again: nothing left to empty there
    assert "sổ tay trong" not in capsys.readouterr().out
