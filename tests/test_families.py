"""One letter per family event (issue #17): twins and triplets of one mother get one birth letter
naming every child, tied in the ledger to every registration, and never a second letter — in a
rerun, a later file or period, after a twin is corrected — whatever the export gets wrong. Real
CSV exports in, real .docx, print files and SQLite out."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text

ROOT = Path(__file__).resolve().parents[1]
UNIT = "phuoc-thanh"
HEADER = ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
          "Số định danh", "Họ tên mẹ", "Năm sinh mẹ", "Số định danh của mẹ", "Họ tên cha",
          "Nơi cư trú"]  # fmt: skip
HOA = ("Trần Thị Hoa", "1995", "099195000111", "Nguyễn Văn Hùng")  # the twins' parents
PID = iter(f"0993240{n:05d}" for n in range(1, 99999))


def birth(number, child, parents=HOA, registered="05/11/2024", born="20/10/2024", sex="Nam"):
    mother, year, mother_id, father = parents
    return ["01/2024", str(number), registered, child, born, sex, next(PID), mother, year,
            mother_id, father, "Thôn Phổ Trạch, xã Phước Thành"]  # fmt: skip


def write_export(inputs: Path, name: str, rows: list[list[str]]) -> None:
    lines = [",".join(HEADER)]
    lines += [",".join([str(i), *(f'"{c}"' for c in cells)]) for i, cells in enumerate(rows, 1)]
    (inputs / UNIT / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    (folder / UNIT).mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", folder / "units.yaml")
    return folder


def run(inputs: Path, period="2024-11", **options):
    return run_unit(UNIT, period, inputs=inputs, outputs=inputs.parent / "outputs", **options)


def letter_files(inputs: Path) -> list[Path]:
    return sorted((inputs.parent / "outputs").rglob("letters/*/*.docx"))


def ledger_letters(inputs: Path) -> list[tuple]:
    with sqlite3.connect(inputs.parent / "outputs" / "ledger.sqlite") as db:
        return db.execute(
            "SELECT r.reg_no, l.file, l.letter_ref, l.variant FROM letters l"
            " JOIN registrations r ON r.id = l.registration_id ORDER BY r.reg_no"
        ).fetchall()


def codes(result) -> dict[int, str]:
    return {entry["row"]: entry["code"] for entry in result.summary["rejected"]}


# --- one letter naming every child -------------------------------------------------------------


def test_twins_get_one_letter_naming_both_children(inputs):
    write_export(inputs, "ks_t11.csv", [
        birth(50, "Lê Văn Bình", ("Phan Thị Mai", "1996", "099196000222", "Lê Văn Cường"),
              registered="04/11/2024", born="10/10/2024"),
        birth(51, "Nguyễn Minh An", sex="Nữ"),
        birth(52, "Nguyễn Minh Khôi"),
    ])  # fmt: skip
    result = run(inputs)
    counts = result.summary["counts"]["khai_sinh"]
    assert (counts["letters"], counts["shared_letters"]) == (3, 1)  # cases, as the dispatch
    assert len(letter_files(inputs)) == 2
    entries = {e["number"]: e for e in result.summary["letters"]}
    assert entries["51"]["file"] == entries["52"]["file"] != entries["50"]["file"]
    assert entries["51"]["letter_ref"] == entries["52"]["letter_ref"] == "khai_sinh|1/2024|51"
    assert (entries["51"]["covers"], entries["51"]["variant"]) == (2, "sinh_doi")
    assert (entries["50"]["covers"], entries["50"]["variant"]) == (1, "")
    text = extract_text(result.out_dir / entries["51"]["file"])
    assert "vừa đón hai cháu Nguyễn Minh An và Nguyễn Minh Khôi chào đời ngày 20/10/2024" in text
    assert "Kính gửi: Anh Nguyễn Văn Hùng và chị Trần Thị Hoa" in text
    rows = ledger_letters(inputs)  # the ledger ties the one letter to both registrations
    assert [r[0] for r in rows] == ["50", "51", "52"] and rows[1][1:] == rows[2][1:]
    printed = extract_text(result.out_dir / "ban_in_khai_sinh.docx")
    assert printed.count("THƯ CHÚC MỪNG") == 2
    assert printed.index("Lê Văn Bình") < printed.index("hai cháu Nguyễn Minh An")
    table = result.letters_table()
    assert [row[2] for row in table.rows] == ["50", "51, 52"]
    assert table.title == "Thư đã làm trong lần chạy này (2 thư cho 3 trường hợp)"


def test_triplets_get_one_letter_naming_the_three(inputs):
    write_export(inputs, "ks_t11.csv", [
        birth(60, "Võ Minh An", sex="Nữ"), birth(61, "Võ Minh Bảo"), birth(62, "Võ Minh Châu", sex="Nữ"),
    ])  # fmt: skip
    result = run(inputs)
    (letter,) = letter_files(inputs)
    assert "vừa đón ba cháu Võ Minh An, Võ Minh Bảo và Võ Minh Châu chào đời" in extract_text(
        letter
    )
    assert {e["covers"] for e in result.summary["letters"]} == {3}


def test_a_rerun_and_a_later_file_holding_one_twin_make_no_second_letter(inputs):
    write_export(inputs, "ks_t11.csv", [birth(51, "Nguyễn Minh An"), birth(52, "Nguyễn Minh Khôi")])
    run(inputs)
    made = {p: p.read_bytes() for p in letter_files(inputs)}
    again = run(inputs)
    assert again.summary["letters"] == [] and {e["code"] for e in again.summary["rejected"]} == {
        "R-SENT-01"
    }
    write_export(inputs, "ks_t11.csv", [birth(52, "Nguyễn Minh Khôi")])  # a re-export: one twin
    later = run(inputs)
    assert later.summary["letters"] == []
    assert [w.code for w in later.warnings] == ["W-PRINT-02"]  # not remade from half its rows
    assert {p: p.read_bytes() for p in letter_files(inputs)} == made


def test_twins_split_across_two_files_of_the_period_get_one_letter(inputs):
    write_export(inputs, "ks_t11_a.csv", [birth(51, "Nguyễn Minh An")])
    write_export(inputs, "ks_t11_b.csv", [birth(52, "Nguyễn Minh Khôi")])
    result = run(inputs)
    assert len(letter_files(inputs)) == 1
    assert result.summary["counts"]["khai_sinh"]["shared_letters"] == 1


def test_twins_split_across_two_periods_get_no_second_letter(inputs):
    write_export(inputs, "ks_t10.csv", [birth(40, "Nguyễn Minh An", registered="31/10/2024")])
    write_export(inputs, "ks_t11.csv", [birth(41, "Nguyễn Minh Khôi", registered="01/11/2024")])
    first = run(inputs, "2024-10")
    assert len(first.summary["letters"]) == 1
    second = run(inputs, "2024-11")
    assert second.summary["letters"] == [] and len(letter_files(inputs)) == 1
    (entry,) = second.summary["rejected"]
    assert (entry["code"], entry["outcome"]) == ("R-FAMILY-02", "already_sent")
    assert (
        "đăng ký số 40 quyển 1/2024" in entry["message"]
        and "2024-10/phuoc-thanh" in entry["message"]
    )
    assert "nguyen" not in entry["message"].lower()  # the letter's folder, never its name
    assert run(inputs, "2024-11").summary["letters"] == []  # and so on every rerun


def test_a_twin_registered_in_a_later_period_is_a_case_with_the_familys_letter(inputs):
    import hcpvnd_utils as hc

    write_export(inputs, "ks_t10.csv", [birth(40, "Nguyễn Minh An", registered="31/10/2024")])
    write_export(inputs, "ks_t11.csv", [birth(41, "Nguyễn Minh Khôi", registered="01/11/2024")])
    run(inputs, "2024-10")
    run(inputs, "2024-11")
    rows = ledger_letters(inputs)  # the ledger ties October's letter to the November twin too
    assert [r[0] for r in rows] == ["40", "41"] and rows[0][1:] == rows[1][1:]
    outputs = inputs.parent / "outputs"
    figures = hc.frames.figures("2024-11", units=[UNIT], inputs=inputs, outputs=outputs)
    births = figures[figures["event"] == "khai_sinh"].iloc[0]
    assert (births["registrations"], births["letters"]) == (1, 1)  # not a case without a letter
    letters = hc.frames.letters("2024-11", units=[UNIT], outputs=outputs)
    assert list(letters["number"].astype(str)) == ["41"]
    again = run(inputs, "2024-11")
    assert again.summary["letters"] == [] and codes(again) == {2: "R-SENT-01"}
    assert len(letter_files(inputs)) == 1


def test_a_twin_rejected_then_corrected_joins_the_letter_when_it_is_remade(inputs):
    write_export(inputs, "ks_t11.csv", [
        birth(51, "Nguyễn Minh An"), birth(52, "Nguyễn Minh Khôi", born="31/10/2024x"),
    ])  # fmt: skip
    first = run(inputs)
    assert codes(first) == {3: "E-DATE-01"} and len(letter_files(inputs)) == 1
    (alone,) = letter_files(inputs)
    write_export(inputs, "ks_t11.csv", [birth(51, "Nguyễn Minh An"), birth(52, "Nguyễn Minh Khôi")])
    corrected = run(inputs)
    assert corrected.summary["letters"] == [] and codes(corrected) == {2: "R-SENT-01",
                                                                      3: "R-FAMILY-01"}  # fmt: skip
    assert "--regenerate" in corrected.summary["rejected"][1]["message"]
    remade = run(inputs, regenerate=True)
    assert letter_files(inputs) == [alone]  # the first twin's letter, remade for both
    assert "hai cháu Nguyễn Minh An và Nguyễn Minh Khôi" in extract_text(alone)
    assert {e["letter_ref"] for e in remade.summary["letters"]} == {"khai_sinh|1/2024|51"}
    rows = ledger_letters(inputs)
    assert len(rows) == 2 and rows[0][1:] == rows[1][1:]


# --- what an export gets wrong -----------------------------------------------------------------


def test_a_mother_id_missing_on_one_twin_still_makes_one_letter(inputs):
    no_id = ("Trần Thị Hoa", "1995", "", "Nguyễn Văn Hùng")
    write_export(inputs, "ks_t11.csv", [birth(51, "Nguyễn Minh An"),
                                        birth(52, "Nguyễn Minh Khôi", no_id)])  # fmt: skip
    run(inputs)
    assert len(letter_files(inputs)) == 1


def test_three_children_born_the_same_day_of_different_mothers_get_three_letters(inputs):
    write_export(inputs, "ks_t11.csv", [
        birth(70, "Lê Văn An", ("Lê Thị Thu", "1990", "", "")),
        birth(71, "Phạm Văn Bình", ("Phạm Thị Thu", "1990", "", "")),
        birth(72, "Hồ Văn Châu", ("Hồ Thị Thu", "1992", "", "")),
    ])  # fmt: skip
    result = run(inputs)
    assert len(letter_files(inputs)) == 3
    assert {e["covers"] for e in result.summary["letters"]} == {1}


def test_mothers_of_one_name_and_year_with_different_fathers_are_two_families(inputs):
    write_export(inputs, "ks_t11.csv", [
        birth(90, "Lê Văn An", ("Nguyễn Thị Lan", "1990", "", "Lê Văn Hùng")),
        birth(91, "Trần Văn Bình", ("Nguyễn Thị Lan", "1990", "", "Trần Văn Sơn")),
    ])  # fmt: skip
    result = run(inputs)
    assert len(letter_files(inputs)) == 2  # not one letter to "hai cháu" of two families
    assert {e["covers"] for e in result.summary["letters"]} == {1}
    texts = [extract_text(path) for path in letter_files(inputs)]
    assert not any("Lê Văn An và Trần Văn Bình" in text for text in texts)


def test_twins_whose_fathers_names_differ_get_no_letter_until_the_clerk_corrects_one(inputs):
    typo = ("Trần Thị Hoa", "1995", "099195000111", "Nguyễn Văn Hùnh")  # one letter mistyped
    write_export(inputs, "ks_t11.csv", [
        birth(51, "Nguyễn Minh An"), birth(52, "Nguyễn Minh Khôi", typo),
        birth(53, "Nguyễn Minh Châu"),  # a third child: the family is still refused as one
    ])  # fmt: skip
    result = run(inputs)
    assert letter_files(inputs) == []  # neither two letters to one family nor a wrong name
    assert codes(result) == {2: "E-FAMILY-02", 3: "E-FAMILY-02", 4: "E-FAMILY-02"}
    entry = next(e for e in result.summary["rejected"] if e["row"] == 3)
    assert (entry["outcome"], entry["column"]) == ("rejected", "Họ tên cha")
    assert "đăng ký số 51" in entry["message"] and "Hùng" not in entry["message"]
    write_export(inputs, "ks_t11.csv", [
        birth(51, "Nguyễn Minh An"), birth(52, "Nguyễn Minh Khôi"), birth(53, "Nguyễn Minh Châu"),
    ])  # fmt: skip
    corrected = run(inputs)
    (letter,) = letter_files(inputs)
    assert {e["covers"] for e in corrected.summary["letters"]} == {3}
    assert "Kính gửi: Anh Nguyễn Văn Hùng và chị Trần Thị Hoa" in extract_text(letter)


def test_mothers_of_one_name_and_year_with_different_ids_are_two_families(inputs):
    write_export(inputs, "ks_t11.csv", [
        birth(80, "Lê Văn An", ("Nguyễn Thị Lan", "1990", "099190000001", "")),
        birth(81, "Trần Văn Bình", ("Nguyễn Thị Lan", "1990", "099190000002", "")),
        birth(82, "Võ Văn Châu", ("Nguyễn Thị Lan", "1990", "", "")),  # which one's?
    ])  # fmt: skip
    result = run(inputs)
    assert len(letter_files(inputs)) == 2
    (refused,) = result.summary["rejected"]
    assert (refused["code"], refused["outcome"], refused["row"]) == ("E-FAMILY-01", "rejected", 4)
    assert refused["column"] == "Số định danh của mẹ"
    assert "đăng ký số 80" in refused["message"] and "đăng ký số 81" in refused["message"]


def test_one_child_registered_under_two_numbers_gets_one_letter(inputs):
    write_export(inputs, "ks_t11.csv", [birth(90, "Nguyễn Minh An"), birth(91, "Nguyễn Minh An")])
    result = run(inputs)
    assert len(letter_files(inputs)) == 1
    (entry,) = result.summary["rejected"]
    assert (entry["code"], entry["outcome"]) == ("R-DUP-02", "duplicate")
    write_export(inputs, "ks_t12.csv", [birth(5, "Nguyễn Minh An", registered="02/12/2024")])
    later = run(inputs, "2024-12")  # a third number, a month later: the ledger knows the child
    assert later.summary["letters"] == [] and codes(later) == {2: "R-DUP-02"}


def test_validate_says_what_letters_will_do(inputs):
    from hcpvnd_utils.config import load_units
    from hcpvnd_utils.periods import parse_period
    from hcpvnd_utils.validate.check import check

    write_export(inputs, "ks_t10.csv", [birth(40, "Nguyễn Minh An", registered="31/10/2024")])
    run(inputs, "2024-10")
    write_export(inputs, "ks_t11.csv", [birth(41, "Nguyễn Minh Khôi", registered="01/11/2024")])
    outputs = inputs.parent / "outputs"
    checked = check(load_units(inputs / "units.yaml"), inputs, outputs, unit=UNIT,
                    period=parse_period("2024-11"), ledger=outputs / "ledger.sqlite")  # fmt: skip
    (outcome,) = [o for group in checked.groups for o in group.outcomes]
    assert (outcome.status, outcome.problem.code) == ("already_sent", "R-FAMILY-02")


def test_a_rebuilt_ledger_ties_the_twins_letter_to_both_registrations_again(inputs):
    from hcpvnd_utils.letters.rebuild import rebuild

    write_export(inputs, "ks_t11.csv", [
        birth(50, "Lê Văn Bình", ("Phan Thị Mai", "1996", "099196000222", "Lê Văn Cường"),
              registered="04/11/2024", born="10/10/2024"),
        birth(51, "Nguyễn Minh An", sex="Nữ"), birth(52, "Nguyễn Minh Khôi"),
    ])  # fmt: skip
    run(inputs)
    before = ledger_letters(inputs)
    made = {p: p.read_bytes() for p in letter_files(inputs)}
    outputs = inputs.parent / "outputs"
    (outputs / "ledger.sqlite").unlink()
    done = rebuild(inputs, outputs, outputs / "ledger.sqlite")
    assert done.complete and done.letters[UNIT] == 2  # two files: one of them for the twins
    assert ledger_letters(inputs) == before  # 51 and 52 share the file, ref and variant again
    again = run(inputs)
    assert again.summary["letters"] == [] and set(codes(again).values()) == {"R-SENT-01"}
    assert {p: p.read_bytes() for p in letter_files(inputs)} == made
