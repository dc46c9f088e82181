"""A newcomer's path: each message gives the right fix, a rerun says where the letters are,
validate and letters agree on what was already sent, and the rows to fix come first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from hcpvnd_utils import layout, messages
from hcpvnd_utils.config import load_units
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.validate.check import check

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"


def hcpvnd(*args, cwd=ROOT):
    done = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


# --- messages that give the right fix -------------------------------------------------------


def test_a_file_that_is_not_there_is_not_called_damaged(tmp_path):
    code, _, err = hcpvnd("validate", "--outputs", tmp_path, tmp_path / "ks_thang9.xlsx")
    assert code == 2 and err.startswith("[E-FILE-10] Không có tệp")
    assert "Excel" not in err and "--unit" in err


def test_a_folder_given_as_a_file_is_said_so(tmp_path):
    code, _, err = hcpvnd("validate", "--outputs", tmp_path, INPUTS / "phuoc-quang")
    assert code == 2 and err.startswith("[E-FILE-11]") and "là một thư mục" in err


def test_a_wrong_inputs_folder_points_at_inputs_not_at_yaml(tmp_path):
    code, _, err = hcpvnd("letters", "--unit", "phuoc-quang", "--period", "2024-09",
                          "--inputs", tmp_path / "nowhere", "--outputs", tmp_path)  # fmt: skip
    assert code == 2 and err.startswith("[E-CONF-05]")
    assert "--inputs" in err and "YAML" not in err


def test_a_reversed_period_says_to_swap_the_dates(tmp_path):
    code, _, err = hcpvnd("validate", "--unit", "phuoc-quang", "--period", "2024-05-31..2024-03-01",
                          "--outputs", tmp_path)  # fmt: skip
    assert code == 2 and "[E-PERIOD-02]" in err and "2024-03-01..2024-05-31" in err


def test_the_folder_name_of_a_period_is_accepted_as_the_period(tmp_path):
    code, out, err = hcpvnd("validate", "--unit", "phuoc-quang", "--period",
                            "2024-09-01_2024-09-30", "--outputs", tmp_path)  # fmt: skip
    assert code in (0, 1), err
    assert (tmp_path / "kiem_tra_phuoc-quang_2024-09-01_2024-09-30.xlsx").is_file()


def test_an_old_registration_is_said_in_years_not_months():
    from datetime import date

    from hcpvnd_utils.records import Record
    from hcpvnd_utils.validate.rules import classify

    record = Record("khai_sinh", "ks.xlsx", "KS", 7, {
        "reg_no": "5", "reg_date": date(2024, 9, 5), "child_full_name": "Lê Văn Tư",
        "child_dob": date(1968, 1, 2),
    })  # fmt: skip
    (outcome,) = classify([record], parse_period("2024-09"), {}, today=date(2024, 10, 1))
    assert "đã 56 tuổi khi đăng ký" in outcome.problem.message
    assert "tháng tuổi" not in outcome.problem.message


@pytest.mark.slow
def test_a_period_before_the_unit_started_says_so(tmp_path):
    code, out, err = hcpvnd("letters", "--unit", "phuoc-hoa", "--period", "2024-05",
                            "--outputs", tmp_path)  # fmt: skip
    assert code == 0, err
    assert "[I-RUN-01] Xã Phước Hòa bắt đầu gửi thư từ ngày 01/7/2024" in out


# --- a rerun, and validate agreeing with letters --------------------------------------------


@pytest.fixture(scope="module")
def year_made(tmp_path_factory) -> Path:
    """What `make demo` leaves: Phước Quang's letters of June–December made by one run."""
    outputs = tmp_path_factory.mktemp("outputs")
    run_unit("phuoc-quang", "2024-06-01..2024-12-31", outputs=outputs)
    return outputs


@pytest.mark.slow
def test_a_rerun_with_nothing_new_says_where_the_letters_are(year_made):
    code, out, err = hcpvnd("letters", "--unit", "phuoc-quang", "--period", "2024-09",
                            "--outputs", year_made)  # fmt: skip
    assert code == 0, err
    assert "Thư mới: 0" in out and "Không có thư mới" in out
    assert "và sổ giao thư so_giao_thu.xlsx trong thư mục đó" in out  # where to fill it in
    assert str(year_made / "2024-06-01_2024-12-31" / "phuoc-quang") in out


def test_pdf_on_a_rerun_with_nothing_new_says_why_there_is_nothing_to_preview(year_made):
    code, out, err = hcpvnd("letters", "--unit", "phuoc-quang", "--period", "2024-09", "--pdf",
                            "--outputs", year_made)  # fmt: skip
    assert code == 0, err
    assert "[I-PDF-01]" in out  # not silence: why, and what to type
    assert not list(year_made.rglob("*.pdf"))


def test_validate_counts_as_already_sent_what_letters_would(year_made, tmp_path):
    config = load_units(INPUTS / "units.yaml")
    period = parse_period("2024-09")
    ledger = layout.default_ledger(year_made)
    checked = check(config, INPUTS, tmp_path, unit="phuoc-quang", period=period, ledger=ledger)
    rerun = run_unit("phuoc-quang", period, outputs=year_made)  # what `letters` counts
    assert checked.groups[0].counts["khai_sinh"]["already_sent"] > 0
    for event, counts in rerun.summary["counts"].items():
        made = {k: v for k, v in counts.items() if k != "shared_letters"}  # letters made only
        assert checked.groups[0].counts[event] == made, event


def test_validate_never_creates_a_ledger(tmp_path):
    config = load_units(INPUTS / "units.yaml")
    ledger = tmp_path / "ledger.sqlite"
    check(config, INPUTS, tmp_path, unit="phuoc-quang", period=parse_period("2024-09"),
          ledger=ledger)  # fmt: skip
    assert not ledger.exists()


def test_the_rows_to_fix_come_first_and_apart(tmp_path):
    first = run_unit("phuoc-nghia", "2024", outputs=tmp_path)
    again = run_unit("phuoc-nghia", "2024", outputs=tmp_path)  # every letter now "already sent"
    counts = again.summary["counts"]
    assert sum(c["already_sent"] for c in counts.values()) == len(first.summary["letters"]) > 50
    book = openpyxl.load_workbook(again.out_dir / "rejected.xlsx", read_only=True)
    assert book.sheetnames == ["Cần sửa", "Không gửi thư", "Cảnh báo"]
    to_fix = list(book["Cần sửa"].iter_rows(min_row=2, values_only=True))
    every = list(book["Không gửi thư"].iter_rows(min_row=2, values_only=True))
    assert len(to_fix) == sum(c["rejected"] for c in counts.values()) >= 1
    assert every[: len(to_fix)] == to_fix  # the rows to fix open the full list too
    outcomes = [row[5] for row in every]
    assert outcomes[-1] == "Đã gửi trước" and "Đã gửi trước" not in outcomes[: len(to_fix)]


def test_the_summary_and_the_notebooks_table_list_the_rows_to_fix_first(tmp_path):
    """A rerun: the rows to fix open summary.json's list and the notebook's table "Các dòng
    không gửi thư", the other rows without a letter next, those already sent last; none lost."""
    run_unit("phuoc-nghia", "2024", outputs=tmp_path)
    again = run_unit("phuoc-nghia", "2024", outputs=tmp_path)
    counts = again.summary["counts"].values()
    listed = again.summary["rejected"]
    assert len(listed) == sum(c["rows"] - c["letters"] for c in counts)  # every row kept
    outcomes = [entry["outcome"] for entry in listed]
    to_fix = sum(c["rejected"] for c in counts)
    assert to_fix >= 1 and outcomes[:to_fix] == ["rejected"] * to_fix
    sent = outcomes.index("already_sent")
    assert set(outcomes[to_fix:sent]) <= {"out_of_period", "duplicate", "not_eligible"}
    assert set(outcomes[sent:]) == {"already_sent"}
    shown = [row[5] for row in again.rejected_table().rows]
    assert all(m.startswith("[E-") for m in shown[:to_fix]) and not shown[to_fix].startswith("[E-")
    saved = json.loads(again.out_dir.joinpath("summary.json").read_text(encoding="utf-8"))
    assert saved["rejected"] == listed


def test_a_condolence_letter_to_ong_ba_is_a_warning_the_clerk_sees(tmp_path):
    result = run_unit("phuoc-son", "2024", outputs=tmp_path)
    warned = [o for o in result.outcomes if any(w.code == "W-SEX-02" for w in o.record.warnings)]
    unsure = [
        letter for letter in result.summary["letters"]
        if letter["event"] == "khai_tu"
        and "Kính gửi: Ông/Bà" in extract_text(result.out_dir / letter["file"])
    ]  # fmt: skip
    assert len(warned) == len(unsure) > 0
    book = openpyxl.load_workbook(result.out_dir / "rejected.xlsx", read_only=True)
    codes = [row[4] for row in book["Cảnh báo"].iter_rows(min_row=2, values_only=True)]
    assert codes.count("W-SEX-02") == len(unsure)


# --- the console's warnings are the catalogue's -------------------------------------------------


def test_letters_says_how_many_condolence_letters_say_ong_ba_in_the_catalogues_words(tmp_path):
    code, out, err = hcpvnd("letters", "--unit", "phuoc-son", "--period", "2024",
                            "--outputs", tmp_path)  # fmt: skip
    assert code == 0, err
    rejected = next(tmp_path.glob("*/phuoc-son/rejected.xlsx"))
    book = openpyxl.load_workbook(rejected, read_only=True)
    unsure = [row[4] for row in book["Cảnh báo"].iter_rows(min_row=2, values_only=True)]
    expected = messages.render("W-SEX-03", count=unsure.count("W-SEX-02"), file=rejected)
    assert unsure.count("W-SEX-02") > 0 and expected in out.splitlines()


def test_letters_says_an_unreadable_delivery_sheet_was_kept_in_the_catalogues_words(tmp_path):
    run_unit("phuoc-thanh", "2024-11", outputs=tmp_path)
    folder = layout.unit_folder(tmp_path, "2024-11", "phuoc-thanh")
    folder.delivery_sheet.write_bytes(b"PK\x03\x04 hong")
    code, out, err = hcpvnd("letters", "--unit", "phuoc-thanh", "--period", "2024-11",
                            "--outputs", tmp_path, "--regenerate")  # fmt: skip
    assert code == 0, err
    assert messages.render("W-DELIV-02", file=folder.rejected) in out.splitlines()
