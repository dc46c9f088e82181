"""The ledger: one row per registration, no personal data, never two letters, several writers."""

import multiprocessing
import os
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from hcpvnd_utils.config import load_units
from hcpvnd_utils.ledger.book import Ledger, LedgerError, RunInProgress, row_hash
from hcpvnd_utils.ledger.schema import SCHEMA_VERSION
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.records import EVENTS, Record

ROOT = Path(__file__).resolve().parents[1]
UNITS_2024 = ROOT / "inputs" / "units.yaml"
UNITS_2025 = ROOT / "inputs" / "gia-lai-2025" / "units.yaml"
PERIOD = parse_period("2024-11")
SPAWN = multiprocessing.get_context("spawn")  # as on Windows: nothing inherited from the parent


def unit(key, units_file=UNITS_2024):
    return load_units(units_file).unit(key)


def birth(number, day=date(2024, 11, 4), *, row=None, file="ks_t11.xlsx", **changes) -> Record:
    values = {
        "reg_book": "01/2024", "reg_no": str(number), "reg_date": day,
        "child_full_name": "Nguyễn Thị Ánh", "child_dob": day - timedelta(days=20),
        "child_pid": "099324001234", "mother_full_name": "Trần Thị Bích Ngọc",
        "mother_residence": "Thôn Phổ Trạch, xã Phước Thuận",
    }  # fmt: skip
    return Record("khai_sinh", file, "KS", row or 6 + int(number), {**values, **changes})


def letter_file(number, event="khai_sinh", unit_key="phuoc-thanh"):
    return f"2024-11/{unit_key}/letters/{event}/{number:03d}_anh.docx"


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / "out" / "ledger.sqlite") as opened:
        yield opened


def test_schema_is_versioned_in_wal_mode_and_holds_no_personal_columns(ledger):
    db = sqlite3.connect(ledger.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"registrations", "letters", "runs", "deliveries", "delivery_history",
                      "delivery_imports"}  # fmt: skip
    columns = {
        table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")] for table in tables
    }
    assert columns["registrations"] == [
        "id", "scheme", "unit_code", "unit_key", "event", "book", "reg_no", "reg_date",
        "first_seen", "source_file", "source_row", "row_hash", "subject_hash",
        "family_id_hash", "family_hash", "family_year_hash",
    ]  # fmt: skip
    assert columns["letters"][-2:] == ["letter_ref", "variant"]
    personal = ("name", "dob", "pid", "birth", "residence", "declarant", "mother", "father")
    for table, names in columns.items():
        assert not [c for c in names if any(word in c for word in personal)], table
    db.close()


def test_the_file_holds_no_name_nor_id_number(tmp_path):
    path = tmp_path / "ledger.sqlite"
    phuoc_thanh = unit("phuoc-thanh")
    with Ledger(path) as ledger:
        reg_ids = ledger.record_registrations(phuoc_thanh, [birth(n) for n in range(1, 30)])
        run_id = ledger.start_run(phuoc_thanh, PERIOD)
        for number, reg_id in enumerate(reg_ids, 1):
            ledger.record_letter(reg_id, letter_file(number), "0" * 64, run_id)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in ("Nguyễn Thị Ánh", "Trần Thị Bích Ngọc", "099324001234", "Phổ Trạch"):
        assert secret.encode("utf-8") not in stored


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_new_ledger_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "new" / "ledger.sqlite"
    with Ledger(path) as ledger:
        ledger.record_registration(unit("phuoc-thanh"), birth(1))
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o077 == 0


def test_recording_a_registration_twice_keeps_one_row(ledger):
    phuoc_thanh = unit("phuoc-thanh")
    first = ledger.record_registration(phuoc_thanh, birth(101, row=7))
    again = ledger.record_registration(phuoc_thanh, birth(101, row=40, file="ks_bo_sung.xlsx"))
    assert first == again
    rows = (
        sqlite3.connect(ledger.path)
        .execute("SELECT reg_no, book, reg_date, source_file, source_row FROM registrations")
        .fetchall()
    )
    assert rows == [("101", "1/2024", "2024-11-04", "ks_t11.xlsx", 7)]


def test_a_changed_row_is_detected_by_its_hash(ledger):
    phuoc_thanh = unit("phuoc-thanh")
    ledger.record_registration(phuoc_thanh, birth(101))
    assert not ledger.changed(phuoc_thanh, birth(101))
    corrected = birth(101, child_full_name="Nguyễn Thị Ánh Dương")
    assert ledger.changed(phuoc_thanh, corrected)
    assert row_hash(corrected) != row_hash(birth(101))


def test_the_same_code_under_another_scheme_is_another_registration(ledger):
    before, after = unit("tuy-phuoc"), unit("tuy-phuoc", UNITS_2025)
    assert (before.key, before.code) == (after.key, after.code)
    reg_before = ledger.record_registration(before, birth(7))
    reg_after = ledger.record_registration(after, birth(7))
    assert reg_before != reg_after
    ledger.record_letter(reg_before, letter_file(7), "1" * 64, None)
    key = birth(7).registration_key()
    assert ledger.sent(before, key)["file"] == letter_file(7)
    assert ledger.sent(after, key) is None


def test_sent_gives_the_letter_with_its_file_and_time(ledger):
    phuoc_thanh = unit("phuoc-thanh")
    key = birth(5).registration_key()
    assert ledger.sent(phuoc_thanh, key) is None
    reg_id = ledger.record_registration(phuoc_thanh, birth(5))
    assert ledger.sent(phuoc_thanh, key) is None  # seen, but no letter yet
    run_id = ledger.start_run(phuoc_thanh, PERIOD)
    ledger.record_letter(reg_id, Path(letter_file(5)), "2" * 64, run_id)
    row = ledger.sent(phuoc_thanh, key)
    assert row["file"] == letter_file(5) and row["status"] == "made" and row["run_id"] == run_id
    assert row["created_at"].startswith(date.today().isoformat())
    with pytest.raises(ValueError):
        ledger.record_letter(reg_id, "/tmp/elsewhere.docx", "2" * 64, run_id)
    with pytest.raises(ValueError):
        ledger.record_letter(reg_id, "../../elsewhere.docx", "2" * 64, run_id)


def test_regenerate_replaces_a_made_letter_but_never_a_final_one(ledger):
    phuoc_thanh = unit("phuoc-thanh")
    key = birth(8).registration_key()
    reg_id = ledger.record_registration(phuoc_thanh, birth(8))
    ledger.record_letter(reg_id, letter_file(8), "a" * 64, None)
    assert ledger.regenerable(phuoc_thanh, key)
    assert ledger.lookup(phuoc_thanh, regenerate=True)(key) is None
    ledger.record_letter(reg_id, letter_file(8), "b" * 64, None)
    letters = sqlite3.connect(ledger.path).execute("SELECT sha256 FROM letters").fetchall()
    assert letters == [("b" * 64,)]
    assert ledger.mark_final(phuoc_thanh, PERIOD, keys=[key]) == 1
    assert not ledger.regenerable(phuoc_thanh, key)
    assert ledger.lookup(phuoc_thanh, regenerate=True)(key)["status"] == "final"
    with pytest.raises(ValueError, match="final letter"):
        ledger.record_letter(reg_id, letter_file(8), "c" * 64, None)


def test_letters_and_counts_per_period_unit_and_event(ledger):
    quang, nghia, thanh = unit("phuoc-quang"), unit("phuoc-nghia"), unit("phuoc-thanh")
    made = [
        (quang, birth(1)), (quang, birth(2, date(2024, 11, 30))),
        (quang, birth(3, date(2024, 12, 1))),  # next period
        (nghia, Record("khai_tu", "kt.xlsx", "KT", 9,
                       {"reg_no": "4", "reg_date": date(2024, 11, 2), "death_date": date(2024, 11, 1)})),
    ]  # fmt: skip
    for number, (where, record) in enumerate(made, 1):
        reg_id = ledger.record_registration(where, record)
        ledger.record_letter(reg_id, letter_file(number), str(number) * 64, None)
    assert [row["reg_no"] for row in ledger.letters_for(quang, PERIOD)] == ["1", "2"]
    assert ledger.letters_for(thanh, PERIOD) == []
    counts = ledger.counts(PERIOD, [quang, nghia, thanh])
    assert counts == {
        "phuoc-quang": {"khai_sinh": 2, "ket_hon": 0, "khai_tu": 0},
        "phuoc-nghia": {"khai_sinh": 0, "ket_hon": 0, "khai_tu": 1},
        "phuoc-thanh": dict.fromkeys(EVENTS, 0),
    }
    assert ledger.counts(PERIOD) == {key: counts[key] for key in ("phuoc-quang", "phuoc-nghia")}
    old = ledger.letters_created_before(date.today() + timedelta(days=1))
    assert ledger.mark_purged(row["letter_id"] for row in old) == 4
    assert ledger.counts(PERIOD, [quang, nghia, thanh]) == counts  # reports stay true
    assert ledger.sent(quang, birth(1).registration_key())["status"] == "purged"


def test_a_run_is_recorded_with_its_counts(ledger):
    phuoc_thanh = unit("phuoc-thanh")
    run_id = ledger.start_run(phuoc_thanh, PERIOD)
    assert ledger.run(run_id)["status"] == "running"
    counts = {"khai_sinh": {"rows": 3, "letters": 3}}
    ledger.finish_run(run_id, "ok", counts)
    run = ledger.run(run_id)
    assert (run["unit_key"], run["period"], run["status"]) == ("phuoc-thanh", "2024-11", "ok")
    assert run["counts_json"] == '{"khai_sinh": {"letters": 3, "rows": 3}}'
    with pytest.raises(ValueError):
        ledger.finish_run(run_id, "finished", counts)


def test_a_run_abandoned_by_this_process_is_marked_interrupted(ledger):
    phuoc_thanh = unit("phuoc-thanh")
    first = ledger.start_run(phuoc_thanh, PERIOD)
    second = ledger.start_run(phuoc_thanh, PERIOD)
    assert ledger.run(first)["status"] == "interrupted"
    assert ledger.run(second)["status"] == "running"


def hold_a_run(path, unit_key, started, release):
    with Ledger(Path(path)) as ledger:
        run_id = ledger.start_run(unit(unit_key), PERIOD)
        started.set()
        if release is None:
            os._exit(9)  # killed: the run is never finished
        release.wait(60)
        ledger.finish_run(run_id, "ok", {})


def test_a_second_run_of_a_unit_is_refused_while_the_first_process_lives(tmp_path):
    path = tmp_path / "ledger.sqlite"
    started, release = SPAWN.Event(), SPAWN.Event()
    holder = SPAWN.Process(target=hold_a_run, args=(str(path), "phuoc-son", started, release))
    holder.start()
    try:
        assert started.wait(60)
        with Ledger(path) as ledger:
            with pytest.raises(RunInProgress) as refused:
                ledger.start_run(unit("phuoc-son"), PERIOD)
            assert refused.value.code == "E-LEDGER-03"
            assert "Đơn vị phuoc-son đang được chạy" in refused.value.message
            assert re.search(r"bắt đầu lúc \d\d:\d\d ngày \d\d/\d\d/20\d\d,", refused.value.message)
            ledger.finish_run(ledger.start_run(unit("phuoc-hoa"), PERIOD), "ok", {})
    finally:
        release.set()
        holder.join(60)
    assert holder.exitcode == 0
    with Ledger(path) as ledger:
        assert ledger.run(ledger.start_run(unit("phuoc-son"), PERIOD))["status"] == "running"


def test_the_run_of_a_killed_process_is_taken_over(tmp_path):
    path = tmp_path / "ledger.sqlite"
    started = SPAWN.Event()
    holder = SPAWN.Process(target=hold_a_run, args=(str(path), "phuoc-son", started, None))
    holder.start()
    holder.join(60)
    assert holder.exitcode == 9
    with Ledger(path) as ledger:
        run_id = ledger.start_run(unit("phuoc-son"), PERIOD)
        statuses = [ledger.run(i)["status"] for i in range(1, run_id + 1)]
    assert statuses == ["interrupted", "running"]


def test_a_file_that_is_not_a_ledger_is_refused_with_a_message(tmp_path):
    path = tmp_path / "ledger.sqlite"
    path.write_text("not a database, just text\n" * 200)
    with pytest.raises(LedgerError) as refused:
        Ledger(path)
    assert refused.value.code == "E-LEDGER-06"  # damaged: never replaced by a new one
    assert str(path) in refused.value.message and "--ledger" not in refused.value.message
    assert "hcpvnd ledger rebuild" in refused.value.message
    with pytest.raises(LedgerError) as no_folder:
        Ledger(path / "ledger.sqlite")  # its folder would have to be a file
    assert no_folder.value.code == "E-LEDGER-01"


def test_a_ledger_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "ledger.sqlite"
    Ledger(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(LedgerError) as refused:
        Ledger(path)
    assert refused.value.code == "E-LEDGER-02"
    assert "lược đồ 99" in refused.value.message


def test_reconcile_finds_partial_unrecorded_and_missing_files(tmp_path, ledger):
    phuoc_thanh = unit("phuoc-thanh")
    outputs = tmp_path / "out"
    letters = outputs / "2024-11" / "phuoc-thanh" / "letters"
    (letters / "khai_sinh").mkdir(parents=True)
    for number in (1, 2):
        reg_id = ledger.record_registration(phuoc_thanh, birth(number))
        ledger.record_letter(reg_id, letter_file(number), "d" * 64, None)
    (outputs / letter_file(1)).write_bytes(b"PK complete")
    (outputs / (letter_file(3) + ".part")).write_bytes(b"PK half")
    (outputs / letter_file(4)).write_bytes(b"PK complete, not recorded")
    found = ledger.reconcile(phuoc_thanh, outputs, letters)
    assert found.partial == [outputs / (letter_file(3) + ".part")]
    assert found.unrecorded == [outputs / letter_file(4)]
    assert [row["file"] for row in found.missing] == [letter_file(2)]


def write_unit(path, unit_key, count, with_run, ready, go, errors):
    """One process: registrations and letters of one unit, each letter in its own transaction."""
    try:
        where = unit(unit_key)
        ready.put(unit_key)
        go.wait(60)
        with Ledger(Path(path)) as ledger:
            run_id = ledger.start_run(where, PERIOD) if with_run else None
            for number in range(1, count + 1):
                reg_id = ledger.record_registration(where, birth(number))
                file = letter_file(number, unit_key=unit_key)
                ledger.record_letter(reg_id, file, f"{number:064d}", run_id)
            if with_run:
                ledger.finish_run(run_id, "ok", {"khai_sinh": {"letters": count}})
    except Exception as exc:  # noqa: BLE001 - every failure is reported to the parent
        errors.put(f"{unit_key}: {type(exc).__name__}: {exc}")


def run_writers(path, jobs):
    ready, go, errors = SPAWN.Queue(), SPAWN.Event(), SPAWN.Queue()
    workers = [
        SPAWN.Process(target=write_unit, args=(str(path), *job, ready, go, errors)) for job in jobs
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=120)
    go.set()  # every process creates the new file and writes at the same moment
    for worker in workers:
        worker.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    return [worker.exitcode for worker in workers], found


def test_several_processes_write_one_ledger_at_once(tmp_path):
    path = tmp_path / "shared" / "ledger.sqlite"
    keys = ["phuoc-quang", "phuoc-nghia", "phuoc-son", "phuoc-hoa", "phuoc-loc", "phuoc-thanh"]
    exit_codes, errors = run_writers(path, [(key, 120, True) for key in keys])
    assert errors == [] and exit_codes == [0] * len(keys)
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM registrations").fetchone()[0] == 6 * 120
    assert db.execute("SELECT COUNT(*) FROM letters").fetchone()[0] == 6 * 120
    assert db.execute("SELECT unit_key, status FROM runs ORDER BY unit_key").fetchall() == [
        (key, "ok") for key in sorted(keys)
    ]
    db.close()
    with Ledger(path) as ledger:
        counts = ledger.counts(PERIOD, [unit(key) for key in keys])
    assert counts == {key: {"khai_sinh": 120, "ket_hon": 0, "khai_tu": 0} for key in keys}


def test_two_processes_recording_the_same_registrations_make_one_row_each(tmp_path):
    path = tmp_path / "ledger.sqlite"
    exit_codes, errors = run_writers(path, [("phuoc-quang", 80, False)] * 3)
    assert errors == [] and exit_codes == [0, 0, 0]
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM registrations").fetchone()[0] == 80
    assert db.execute("SELECT COUNT(DISTINCT registration_id), COUNT(*) FROM letters").fetchone() == (
        80, 80,
    )  # fmt: skip
    db.close()
