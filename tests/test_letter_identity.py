"""One registration, one letter, one file, for ever (issue #12, points 1, 2, 4 and 5): however an
export spells the registration, whatever other registrations a run holds and in whatever order,
and whatever a killed run left behind. Real CSV exports in, real .docx and SQLite out."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.records import Record, normalize_book, normalize_number

ROOT = Path(__file__).resolve().parents[1]
UNIT = "phuoc-thanh"
HEADER = ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
          "Họ tên mẹ", "Nơi cư trú"]  # fmt: skip
PLACE = "Thôn Phổ Trạch, xã Phước Thành"


def row(book, number, registered, child, mother, born="01/09/2024", sex="Nam") -> list[str]:
    return [book, number, registered, child, born, sex, mother, PLACE]


def write_export(inputs: Path, name: str, rows: list[list[str]], book_column=True) -> Path:
    header = HEADER if book_column else [h for h in HEADER if h != "Quyển số"]
    lines = [",".join(header)]
    for number, cells in enumerate(rows, start=1):
        cells = cells if book_column else cells[1:]
        lines.append(",".join([str(number), *(f'"{c}"' for c in cells)]))
    path = inputs / UNIT / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    (folder / UNIT).mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", folder / "units.yaml")
    return folder


def letters_on_disk(outputs: Path) -> list[Path]:
    return sorted(outputs.rglob("letters/*/*.docx"))


def ledger_files(outputs: Path) -> list[str]:
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        return [r[0] for r in db.execute("SELECT file FROM letters ORDER BY id")]


# --- the key: every spelling an export gives one registration ----------------------------------


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["5", "5.0", "05", "005", "5,0", "Số 5", "số: 05", "5/2024", "05/2024", " 5 "], "5"),
        (["7A", "7a", "07a", "7 A", "7-a", "07 A"], "7a"),
        (["12/3", "12-3", "012/03"], "12-3"),
        (["", "---", "  "], ""),
    ],
)
def test_every_spelling_of_a_number_is_one_key(spellings, key):
    assert {normalize_number(s, {"2024"}) for s in spellings} == {key}


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("09/KS", "9"),
        ("22-KH", "22"),
        ("23/2024/KH", "23"),
        ("số 20/KS-2024", "20"),
        ("Số 20/KT", "20"),
        (5.0000001, "5"),
        ("5.0000001", "5"),
        (4.9999999, "5"),
        ("Số ８", "8"),
        ("０６", "6"),
    ],
)
def test_an_event_mark_a_float_or_full_width_digits_do_not_make_a_new_key(spelling, key):
    """A re-export writing "09/KS", 5.0000001 or "Số ８" for a registration the ledger knows as
    9, 5 or 8 gave it a new key, and so a second letter."""
    assert normalize_number(spelling, {"2024"}) == key


@pytest.mark.parametrize(
    "book", ["01/2024", "1/2024", "1 / 2024", "1-2024", "Quyển 01/2024", "01", ""]
)
def test_every_spelling_of_a_book_is_one_key(book):
    assert normalize_book(book, date(2024, 9, 2)) == "1/2024"


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Quyển A/2024", "A/2024", "a / 2024", "Quyển A"], "a/2024"),
        (["Quyển B/2024", "B/2024", "B-2024"], "b/2024"),
        (["KS/2024", "Quyển/2024", "Quyển số 2024"], "1/2024"),
    ],
)
def test_a_book_named_by_a_letter_keeps_it(spellings, key):
    """ "Quyển A/2024" and "B/2024" were both "1/2024": number 5 of book B was taken for a
    duplicate of number 5 of book A, and that family got no letter."""
    assert {normalize_book(s, date(2024, 9, 2)) for s in spellings} == {key}


def test_two_deaths_with_one_number_in_books_a_and_b_are_two_keys():
    def record(book):
        values = {"reg_no": "5", "reg_date": date(2024, 9, 10), "reg_book": book}
        return Record("khai_tu", "x.csv", "", 2, values)

    keys = {record(b).registration_key() for b in ("Quyển A/2024", "Quyển B/2024")}
    assert keys == {("khai_tu", "a/2024", "5"), ("khai_tu", "b/2024", "5")}


def test_a_row_keeps_the_key_of_the_same_registration_exported_with_another_book_spelling():
    def record(book, number):
        values = {"reg_no": number, "reg_date": date(2024, 9, 2)}
        if book is not None:
            values["reg_book"] = book
        return Record("khai_sinh", "x.csv", "", 2, values)

    keys = {record(b, n).registration_key() for b in ("01/2024", "1-2024", None) for n in
            ("5", "5.0", "05/2024")}  # fmt: skip
    assert keys == {("khai_sinh", "1/2024", "5")}


# --- 1. a letter file is never overwritten -----------------------------------------------------


@pytest.mark.parametrize(
    ("first_book", "second_book"),
    [("01/2024", "02/2024"), ("Quyển khai sinh số một", "Quyển khai sinh số hai")],
)
def test_two_books_with_one_number_and_name_keep_two_letters_across_runs(
    inputs, tmp_path, first_book, second_book
):
    """Book 01/2024 no. 30 gets its letter; a later run of the same month also sees book
    02/2024 no. 30, same child's name, registered earlier. Before: the new letter took the
    first one's file name and overwrote it; the print file lost the first family."""
    outputs = tmp_path / "outputs"
    first = row(first_book, "30", "10/10/2024", "Võ Văn Dũng", "Mai Thị Quyên")
    second = row(second_book, "30", "07/10/2024", "Võ Văn Dũng", "Nguyễn Thị Lan")
    write_export(inputs, "khai_sinh_t10.csv", [first])
    run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs)
    [made] = letters_on_disk(outputs)
    first_letter = made.read_bytes()
    write_export(inputs, "khai_sinh_t10.csv", [first, second])
    again = run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs)

    assert again.summary["counts"]["khai_sinh"]["letters"] == 1
    files = letters_on_disk(outputs)
    assert len(files) == 2 and made in files and made.read_bytes() == first_letter
    assert len(set(ledger_files(outputs))) == 2
    texts = {p.name: extract_text(p) for p in files}
    assert sum("Mai Thị Quyên" in t for t in texts.values()) == 1
    assert sum("Nguyễn Thị Lan" in t for t in texts.values()) == 1
    printed = extract_text(again.print_files["khai_sinh"])
    assert "Mai Thị Quyên" in printed and "Nguyễn Thị Lan" in printed


def test_a_letter_name_does_not_depend_on_the_other_rows_of_the_run(inputs, tmp_path):
    """The same registration, run alone and run with a same-number registration of another
    book, gets the same file name."""
    one = row("01/2024", "30", "10/10/2024", "Võ Văn Dũng", "Mai Thị Quyên")
    other = row("02/2024", "30", "07/10/2024", "Võ Văn Dũng", "Nguyễn Thị Lan")
    write_export(inputs, "khai_sinh_t10.csv", [one])
    alone = run_unit(UNIT, "2024-10", inputs=inputs, outputs=tmp_path / "a")
    write_export(inputs, "khai_sinh_t10.csv", [other, one])
    together = run_unit(UNIT, "2024-10", inputs=inputs, outputs=tmp_path / "b")

    def by_registration(result):
        return {x["registration_date"]: x["file"] for x in result.summary["letters"]}

    [(day, name)] = by_registration(alone).items()
    assert by_registration(together)[day] == name
    assert len(set(by_registration(together).values())) == 2


def test_a_letter_is_never_written_over_a_file_another_registration_owns(inputs, tmp_path):
    """Even a name clash (a file the ledger gives to another registration) moves the new
    letter to a free name instead of writing over it."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t10.csv", [row("01/2024", "30", "10/10/2024", "Võ Văn Dũng",
                                                   "Mai Thị Quyên")])  # fmt: skip
    first = run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs)
    [made] = letters_on_disk(outputs)
    original = made.read_bytes()
    # the next registration's own name, taken by the first one's letter in the ledger
    second = row("02/2024", "30", "07/10/2024", "Võ Văn Dũng", "Nguyễn Thị Lan")
    write_export(inputs, "khai_sinh_t10.csv", [second])
    probe = run_unit(UNIT, "2024-10", inputs=inputs, outputs=tmp_path / "probe")
    wanted = (
        f"{first.out_dir.relative_to(outputs).as_posix()}/{probe.summary['letters'][0]['file']}"
    )
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        db.execute("UPDATE letters SET file = ?", (wanted,))
    (outputs / wanted).write_bytes(original)
    made.unlink()
    run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs)
    assert (outputs / wanted).read_bytes() == original
    assert len(set(ledger_files(outputs))) == 2 and len(letters_on_disk(outputs)) == 2


# --- 2. the same registration exported differently gets no second letter -----------------------


SEPTEMBER = [
    ("01/2024", "5", "02/09/2024", "Lê Văn An", "Nguyễn Thị Lan"),
    ("01/2024", "7A", "03/09/2024", "Trần Thị Bích", "Bùi Thị Mai"),
    ("01/2024", "12", "04/09/2024", "Đặng Thị Giang", "Hồ Thị Oanh"),
]
RESPELT = [("5.0", "7a", "12/2024"), ("05", "07A", "012"), ("Số 5", "7 A", "Số 12")]


@pytest.mark.parametrize("numbers", RESPELT)
@pytest.mark.parametrize("book_column", [True, False])
def test_a_re_export_spelt_otherwise_gets_no_second_letter(inputs, tmp_path, numbers,
                                                           book_column):  # fmt: skip
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.csv", [row(*r) for r in SEPTEMBER])
    first = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert first.summary["counts"]["khai_sinh"]["letters"] == 3
    respelt = [row(b, n, *rest) for (b, _, *rest), n in zip(SEPTEMBER, numbers)]
    write_export(inputs, "khai_sinh_t9.csv", respelt, book_column=book_column)
    again = run_unit(UNIT, "2024-Q3", inputs=inputs, outputs=outputs)  # across periods too
    counts = again.summary["counts"]["khai_sinh"]
    assert (counts["letters"], counts["already_sent"]) == (0, 3)
    assert len(letters_on_disk(outputs)) == 3


def test_a_book_left_out_or_spelt_otherwise_is_the_same_registration_in_one_run(inputs, tmp_path):
    """Two exports of one month: one with the book column (book 02/2024), one without. Same
    number, same registration date: one registration, one letter."""
    write_export(inputs, "khai_sinh_a.csv", [row("02/2024", "5", "02/09/2024", "Lê Văn An",
                                                 "Nguyễn Thị Lan")])  # fmt: skip
    write_export(inputs, "khai_sinh_b.csv", [row("", "5.0", "02/09/2024", "Lê Văn An",
                                                 "Nguyễn Thị Lan")], book_column=False)  # fmt: skip
    result = run_unit(UNIT, "2024-09", inputs=inputs, outputs=tmp_path / "outputs")
    counts = result.summary["counts"]["khai_sinh"]
    assert (counts["letters"], counts["duplicates"]) == (1, 1)
    assert [r["code"] for r in result.summary["rejected"]] == ["R-DUP-01"]


def test_a_book_left_out_later_finds_the_registration_across_periods(inputs, tmp_path):
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.csv", [row("02/2024", "5", "02/09/2024", "Lê Văn An",
                                                  "Nguyễn Thị Lan")])  # fmt: skip
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    write_export(inputs, "khai_sinh_t9.csv", [row("", "5", "02/09/2024", "Lê Văn An",
                                                  "Nguyễn Thị Lan")], book_column=False)  # fmt: skip
    year = run_unit(UNIT, "2024", inputs=inputs, outputs=outputs)
    assert year.summary["counts"]["khai_sinh"]["already_sent"] == 1
    assert len(letters_on_disk(outputs)) == 1


def test_a_number_without_a_letter_or_digit_is_refused_not_recorded(inputs, tmp_path):
    write_export(inputs, "khai_sinh_t9.csv", [row("01/2024", "#", "02/09/2024", "Lê Văn An",
                                                  "Nguyễn Thị Lan")])  # fmt: skip
    result = run_unit(UNIT, "2024-09", inputs=inputs, outputs=tmp_path / "outputs")
    assert [r["code"] for r in result.summary["rejected"]] == ["E-REQ-01"]


# --- 4. letters made but in no print file ---------------------------------------------------------


def test_letters_left_out_of_every_print_file_are_named_with_the_command(inputs, tmp_path):
    """A month run killed after its letters, before its print file; then a quarter run, which
    counts those letters as sent. Before: no print file ever held them, and nothing said so."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.csv", [row(*r) for r in SEPTEMBER])
    month = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    month.print_files["khai_sinh"].unlink()  # what a kill before the print file leaves
    quarter = run_unit(UNIT, "2024-Q3", inputs=inputs, outputs=outputs)
    notices = [w for w in quarter.warnings if w.code == "W-PRINT-01"]
    assert len(notices) == 1
    assert "3 thư khai sinh" in notices[0].message
    assert "hcpvnd letters --unit phuoc-thanh --period 2024-09" in notices[0].message
    again = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)  # what it says to run
    assert extract_text(again.print_files["khai_sinh"]).count("Thôn Phổ Trạch") >= 3
    assert not [w for w in again.warnings if w.code == "W-PRINT-01"]


# --- 5. leftovers of a killed run ---------------------------------------------------------------


def test_a_rerun_removes_letter_files_the_ledger_never_recorded(inputs, tmp_path):
    """A run killed between writing a letter and recording it leaves the file; the row is then
    corrected (another name), so the rerun makes the letter under the new name. The old file,
    never sent, goes."""
    outputs = tmp_path / "outputs"
    write_export(inputs, "khai_sinh_t9.csv", [row(*r) for r in SEPTEMBER])
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    with sqlite3.connect(outputs / "ledger.sqlite") as db:  # the letter was never recorded
        leftover = outputs / db.execute("SELECT file FROM letters ORDER BY id").fetchone()[0]
        db.execute("DELETE FROM letters WHERE id = (SELECT MIN(id) FROM letters)")
    (outputs / "2024-09" / UNIT / "summary.json").unlink()  # a killed run writes no summary
    corrected = [row(*SEPTEMBER[0][:3], "Lê Văn Bình", SEPTEMBER[0][4]), *map(lambda r: row(*r),
                                                                           SEPTEMBER[1:])]  # fmt: skip
    write_export(inputs, "khai_sinh_t9.csv", corrected)
    again = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert again.summary["counts"]["khai_sinh"]["letters"] == 1
    assert not leftover.exists()
    on_disk = {p.relative_to(outputs).as_posix() for p in letters_on_disk(outputs)}
    assert on_disk == set(ledger_files(outputs)) and len(on_disk) == 3
    with Ledger(outputs / "ledger.sqlite") as book:
        assert len(book.letters_for(again.unit, again.period)) == 3


# --- a corrected number: a marriage or a death is registered once --------------------------

DEATH_HEADER = ["STT", "Quyển số", "Số", "Ngày đăng ký", "Họ tên người chết", "Ngày sinh người chết",
                "Giới tính người chết", "Ngày chết", "Nơi cư trú cuối cùng", "Người đi khai tử",
                "Quan hệ với người chết"]  # fmt: skip


def write_deaths(inputs: Path, name: str, rows: list[tuple[str, str, str]]) -> None:
    lines = [",".join(DEATH_HEADER)]
    for n, (number, registered, deceased) in enumerate(rows, start=1):
        cells = ["01/2024", number, registered, deceased, "03/03/1940", "Nam", "01/09/2024",
                 PLACE, "Lê Văn Con", "Con"]  # fmt: skip
        lines.append(",".join([str(n), *(f'"{c}"' for c in cells)]))
    (inputs / UNIT / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_a_death_whose_number_the_clerk_corrected_gets_no_second_letter(inputs, tmp_path):
    """September's export typed no. 59; the quarter's export has the corrected no. 95, same
    deceased, same registration date. Before: a second condolence letter, no word."""
    outputs = tmp_path / "outputs"
    write_deaths(inputs, "khai_tu_t9.csv", [("59", "10/09/2024", "Phạm Văn Tư")])
    first = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert first.summary["counts"]["khai_tu"]["letters"] == 1
    (inputs / UNIT / "khai_tu_t9.csv").unlink()
    write_deaths(inputs, "khai_tu_q3.csv", [("95", "10/09/2024", "Phạm Văn Tư")])
    again = run_unit(UNIT, "2024-Q3", inputs=inputs, outputs=outputs)

    assert again.summary["counts"]["khai_tu"]["letters"] == 0
    assert len(letters_on_disk(outputs)) == 1 and len(ledger_files(outputs)) == 1


def test_one_death_typed_twice_under_two_numbers_gets_one_letter(inputs, tmp_path):
    """The same death entered twice in one export (59, then 95) is one registration; another
    person's death the same day keeps its own letter."""
    outputs = tmp_path / "outputs"
    write_deaths(inputs, "khai_tu_t9.csv", [("59", "10/09/2024", "Phạm Văn Tư"),
                                             ("95", "10/09/2024", "Phạm Văn Tư"),
                                             ("96", "10/09/2024", "Trần Văn Sáu")])  # fmt: skip
    result = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    assert result.summary["counts"]["khai_tu"]["letters"] == 2
    assert len(letters_on_disk(outputs)) == 2


# --- a file named for the period is never left out of its accounting -------------------------


def test_a_file_named_for_the_month_whose_dates_were_all_misread_is_counted(inputs, tmp_path):
    """A CSV saved with US regional settings (9/5/2024 for 5 September): read day first, no
    row fell in September, and the whole file was left out: "0 rows, no error", exit 0, no
    letter. Its rows are now counted, the impossible 9/20/2024 refused for the clerk to fix."""
    lines = [",".join(DEATH_HEADER)]
    for n, registered in enumerate(["9/5/2024", "9/11/2024", "9/20/2024"], start=1):
        cells = ["01/2024", str(40 + n), registered, f"Phạm Văn {'ABC'[n - 1]}", "03/03/1940",
                 "Nam", "9/1/2024", PLACE, "Lê Văn Con", "Con"]  # fmt: skip
        lines.append(",".join([str(n), *(f'"{c}"' for c in cells)]))
    (inputs / UNIT / "khai_tu_2024-09.csv").write_text("\r\n".join(lines) + "\r\n", "utf-8")
    result = run_unit(UNIT, "2024-09", inputs=inputs, outputs=tmp_path / "outputs")
    counts = result.summary["counts"]["khai_tu"]
    assert counts["rows"] == 3 and counts["rejected"] >= 1 and counts["letters"] == 0


def test_a_title_left_from_last_month_does_not_put_every_row_out_of_period(inputs, tmp_path):
    """The clerk copied August's sheet for September and kept its title "Từ ngày 01/8/2024
    đến ngày 31/8/2024": every September row was "out of period", 0 letters, exit 0."""
    title = "Từ ngày 01/8/2024 đến ngày 31/8/2024"
    lines = [title, ",".join(DEATH_HEADER)]
    for n, (number, deceased) in enumerate([("61", "Phạm Văn Một"), ("62", "Hồ Văn Hai")], 1):
        cells = ["01/2024", number, f"1{n}/09/2024", deceased, "03/03/1940", "Nam",
                 "01/09/2024", PLACE, "Lê Văn Con", "Con"]  # fmt: skip
        lines.append(",".join([str(n), *(f'"{c}"' for c in cells)]))
    (inputs / UNIT / "khai_tu_t9.csv").write_text("\r\n".join(lines) + "\r\n", "utf-8")
    result = run_unit(UNIT, "2024-09", inputs=inputs, outputs=tmp_path / "outputs")
    assert result.summary["counts"]["khai_tu"]["letters"] == 2
    warned = [w for o in result.outcomes for w in o.record.warnings if w.code == "W-PERIOD-03"]
    assert len(warned) == 2 and "01/8/2024" in warned[0].message
