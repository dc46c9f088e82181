"""Every row gets exactly one outcome, for the reason a clerk can find: file, sheet, row, column."""

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from hcpvnd_utils.config import load_units
from hcpvnd_utils.errors import Problem
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.periods import parse_period, short_date
from hcpvnd_utils.records import (
    ALREADY_SENT,
    DUPLICATE,
    EVENTS,
    LETTER,
    NOT_ELIGIBLE,
    OUT_OF_PERIOD,
    REJECTED,
    Record,
)
from hcpvnd_utils.validate.accounting import accounting, check_invariant
from hcpvnd_utils.validate.rules import classify

ROOT = Path(__file__).resolve().parents[1]
PERIOD = parse_period("2024-11")
TODAY = date(2025, 1, 15)
SETTINGS = load_units(ROOT / "inputs" / "units.yaml").settings

HEADERS = {
    "reg_book": "Quyển số", "reg_no": "Số ĐK", "reg_date": "Ngày đăng ký",
    "reg_kind": "Loại đăng ký",
    "child_full_name": "Họ và tên", "child_dob": "Ngày, tháng, năm sinh",
    "child_pid": "Số định danh cá nhân", "mother_full_name": "Họ tên mẹ",
    "husband_full_name": "Họ tên chồng", "husband_dob": "Ngày sinh (chồng)",
    "wife_full_name": "Họ tên vợ", "wife_dob": "Ngày sinh (vợ)",
    "deceased_full_name": "Họ tên người chết", "deceased_dob": "Năm sinh",
    "deceased_pid": "Số ĐDCN", "death_date": "Ngày chết",
}  # fmt: skip
BASE = {
    "khai_sinh": {
        "reg_book": "01/2024", "reg_no": "101", "reg_date": date(2024, 11, 4),
        "child_full_name": "Nguyễn Thị An", "child_dob": date(2024, 10, 20),
        "child_pid": "099324000001", "mother_full_name": "Trần Thị Bình",
    },
    "ket_hon": {
        "reg_book": "01/2024", "reg_no": "21", "reg_date": date(2024, 11, 5),
        "husband_full_name": "Lê Văn Cường", "husband_dob": date(1996, 3, 2),
        "wife_full_name": "Phạm Thị Dung", "wife_dob": date(1998, 7, 9),
    },
    "khai_tu": {
        "reg_book": "01/2024", "reg_no": "31", "reg_date": date(2024, 11, 6),
        "deceased_full_name": "Võ Văn Em", "deceased_dob": date(1940, 5, 1),
        "deceased_pid": "099040000002", "death_date": date(2024, 11, 1),
    },
}  # fmt: skip
FILES = {"khai_sinh": ("ks_t11.xlsx", "KS"), "ket_hon": ("kh_t11.xlsx", "KH"),
         "khai_tu": ("kt_t11.csv", "kt_t11")}  # fmt: skip


def make(event, row=7, *, file=None, sheet=None, absent=(), **changes) -> Record:
    """A row as ingest gives it: ``None`` empties a cell, ``absent`` removes the column."""
    values = {**BASE[event], **changes}
    values = {name: value for name, value in values.items() if value is not None}
    columns = set(BASE[event]) | set(changes)
    headers = {name: HEADERS[name] for name in columns if name not in absent}
    default_file, default_sheet = FILES[event]
    return Record(event, file or default_file, sheet or default_sheet, row, values, headers)


def outcome_of(record, **kwargs):
    (outcome,) = classify([record], PERIOD, SETTINGS, today=TODAY, **kwargs)
    return outcome


RULES = [
    # id, event, changes, absent columns, status, code, column as the clerk sees it
    ("empty_reg_no", "khai_sinh", {"reg_no": None}, (), REJECTED, "E-REQ-01", "Số ĐK"),
    ("no_reg_no_column", "khai_sinh", {"reg_no": None}, ("reg_no",), REJECTED, "E-REQ-01",
     "số đăng ký"),
    ("blank_wife_name", "ket_hon", {"wife_full_name": "  "}, (), REJECTED, "E-REQ-01",
     "Họ tên vợ"),
    ("no_husband_name", "ket_hon", {"husband_full_name": None}, (), REJECTED, "E-REQ-01",
     "Họ tên chồng"),
    ("no_death_date_column", "khai_tu", {"death_date": None}, ("death_date",), REJECTED,
     "E-REQ-01", "ngày chết"),
    ("reg_date_left_as_text", "khai_sinh", {"reg_date": "31/11/2024"}, (), REJECTED,
     "E-DATE-01", "Ngày đăng ký"),
    ("reg_date_in_future", "khai_sinh", {"reg_date": date(2025, 2, 1)}, (), REJECTED,
     "E-DATE-02", "Ngày đăng ký"),
    ("husband_born_next_year", "ket_hon", {"husband_dob": 2026}, (), REJECTED, "E-DATE-02",
     "Ngày sinh (chồng)"),
    ("born_after_registration", "khai_sinh", {"child_dob": date(2024, 11, 10)}, (), REJECTED,
     "E-DATE-03", "Ngày, tháng, năm sinh"),
    ("died_after_registration", "khai_tu", {"death_date": date(2024, 11, 7)}, (), REJECTED,
     "E-DATE-03", "Ngày chết"),
    ("registered_in_october", "khai_sinh", {"reg_date": date(2024, 10, 31)}, (), OUT_OF_PERIOD,
     "R-PERIOD-01", "Ngày đăng ký"),
    ("registered_in_december", "khai_tu", {"reg_date": date(2024, 12, 2)}, (), OUT_OF_PERIOD,
     "R-PERIOD-01", "Ngày đăng ký"),
    ("child_12_months_and_a_day", "khai_sinh", {"child_dob": date(2023, 11, 3)}, (),
     NOT_ELIGIBLE, "R-OLD-01", "Ngày, tháng, năm sinh"),
    ("adult_reregistration", "khai_sinh", {"child_dob": date(1990, 1, 5)}, (), NOT_ELIGIBLE,
     "R-OLD-01", "Ngày, tháng, năm sinh"),
    ("kind_dang_ky_lai_in_capitals", "khai_sinh", {"reg_kind": "ĐĂNG KÝ LẠI"}, (), NOT_ELIGIBLE,
     "R-KIND-01", "Loại đăng ký"),
    ("kind_without_diacritics", "ket_hon", {"reg_kind": "Dang ky lai"}, (), NOT_ELIGIBLE,
     "R-KIND-01", "Loại đăng ký"),
    ("kind_ghi_chu_in_nfd", "ket_hon", {"reg_kind": unicodedata.normalize("NFD", "Ghi chú")},
     (), NOT_ELIGIBLE, "R-KIND-01", "Loại đăng ký"),
    ("death_registered_91_days_later", "khai_tu", {"death_date": date(2024, 8, 7)}, (),
     NOT_ELIGIBLE, "R-LATE-01", "Ngày đăng ký"),
    ("child_exactly_12_months", "khai_sinh", {"child_dob": date(2023, 11, 4)}, (), LETTER,
     None, None),
    ("late_but_within_a_year", "khai_sinh", {"reg_kind": "Quá hạn"}, (), LETTER, None, None),
    ("death_registered_90_days_later", "khai_tu", {"death_date": date(2024, 8, 8)}, (), LETTER,
     None, None),
    ("deceased_known_by_year", "khai_tu", {"deceased_dob": 1938}, (), LETTER, None, None),
    ("plain_marriage", "ket_hon", {}, (), LETTER, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    "event, changes, absent, status, code, column", [case[1:] for case in RULES],
    ids=[case[0] for case in RULES],
)  # fmt: skip
def test_each_rule_names_file_sheet_row_and_column(event, changes, absent, status, code, column):
    outcome = outcome_of(make(event, row=17, absent=absent, **changes))
    assert outcome.status == status
    if status == LETTER:
        assert outcome.problem is None
        return
    file, sheet = FILES[event]
    problem = outcome.problem
    assert (problem.code, problem.file, problem.sheet, problem.row, problem.column) == (
        code, file, sheet, 17, column,
    )  # fmt: skip
    assert problem.message.startswith(
        f"[{code}] Tệp {file}, trang “{sheet}”, dòng 17, cột “{column}”: "
    )


def test_messages_say_what_is_wrong_in_vietnamese():
    missing = outcome_of(make("khai_sinh", reg_no=None)).problem.message
    assert missing.endswith("Thiếu số đăng ký. Bổ sung vào ô này rồi chạy lại.")
    old = outcome_of(make("khai_sinh", child_dob=date(2022, 5, 4))).problem.message
    assert "đã 30 tháng tuổi khi đăng ký (quá 12 tháng" in old
    late = outcome_of(make("khai_tu", death_date=date(2024, 6, 1))).problem.message
    assert "khai tử sau 158 ngày kể từ ngày chết (quá 90 ngày)" in late
    outside = outcome_of(make("ket_hon", reg_date=date(2024, 10, 31))).problem.message
    assert "ngày đăng ký 31/10/2024 nằm ngoài kỳ từ ngày 01/11/2024 đến ngày 30/11/2024" in outside


def test_a_problem_from_ingest_is_the_reason_even_when_more_is_wrong():
    record = make("khai_sinh", reg_no=None)
    record.problems.append(
        Problem.make("E-DATE-01", file=record.file, sheet="KS", row=7, column="Ngày ĐK",
                     value="31/11/2024")
    )  # fmt: skip
    outcome = outcome_of(record)
    assert outcome.status == REJECTED
    assert outcome.problem is record.problems[0]


def test_thresholds_come_from_the_settings():
    seven_months = make("khai_sinh", child_dob=date(2024, 4, 1))
    forty_days = make("khai_tu", death_date=date(2024, 9, 27))
    strict = {**SETTINGS, "birth_max_age_months": 6, "death_max_delay_days": 30}
    assert [o.status for o in classify([seven_months, forty_days], PERIOD, SETTINGS,
                                       today=TODAY)] == [LETTER, LETTER]  # fmt: skip
    outcomes = classify([seven_months, forty_days], PERIOD, strict, today=TODAY)
    assert [o.problem.code for o in outcomes] == ["R-OLD-01", "R-LATE-01"]
    unexcluded = {**SETTINGS, "excluded_kinds": []}
    again = make("khai_sinh", reg_kind="Đăng ký lại")
    assert classify([again], PERIOD, unexcluded, today=TODAY)[0].status == LETTER


def test_odd_value_types_never_raise():
    records = [
        make("khai_sinh", reg_date=datetime(2024, 11, 4, 9, 30), child_dob=datetime(2024, 10, 1)),
        make("khai_sinh", row=8, reg_no=102, child_dob=2024),  # a number, a year only
        make("ket_hon", row=9, husband_dob="không rõ"),
        make("khai_tu", row=10, reg_date=45600),  # an Excel serial that ingest did not convert
    ]
    outcomes = classify(records, PERIOD, SETTINGS, today=TODAY)
    assert [o.status for o in outcomes] == [LETTER, LETTER, REJECTED, REJECTED]
    assert [o.problem.code for o in outcomes[2:]] == ["E-DATE-01", "E-DATE-01"]


def test_duplicate_across_two_files_names_the_other_row_and_file():
    first = make("khai_sinh", row=5, file="ks_thang_11.xlsx", sheet="KS")
    again = make("khai_sinh", row=9, file="ks_bo_sung.xlsx", sheet="Sheet1")
    other_book = make("khai_sinh", row=10, file="ks_bo_sung.xlsx", sheet="Sheet1",
                      reg_book="02/2024", child_full_name="Trần Văn Khác",
                      mother_full_name="Lê Thị Khác", child_pid="099324009999")  # fmt: skip
    other_event = make("ket_hon", row=11, reg_no="101")
    # the same child, number and date with the book spelt as another: one registration (#12)
    book_respelt = make("khai_sinh", row=12, file="ks_bo_sung.xlsx", sheet="Sheet1",
                        reg_book="02/2024")  # fmt: skip
    records = [first, again, other_book, other_event, book_respelt]
    outcomes = classify(records, PERIOD, SETTINGS, today=TODAY)
    assert [o.status for o in outcomes] == [LETTER, DUPLICATE, LETTER, LETTER, DUPLICATE]
    problem = outcomes[1].problem
    assert (problem.code, problem.file, problem.row, problem.column) == (
        "R-DUP-01", "ks_bo_sung.xlsx", 9, "Số ĐK",
    )  # fmt: skip
    assert "trùng số đăng ký 101 với dòng 5 của tệp ks_thang_11.xlsx, trang “KS”" in (
        problem.message
    )


def test_only_usable_in_period_rows_make_a_later_row_a_duplicate():
    broken = make("khai_sinh", row=5, child_full_name=None)
    outside = make("khai_sinh", row=6, reg_date=date(2024, 10, 30))
    # same book (2024 from the date) and number as the two rows above
    kept = make("khai_sinh", row=7, reg_book=None, reg_date=date(2024, 11, 30))
    broken.values.pop("reg_book")
    outside.values.pop("reg_book")
    outcomes = classify([broken, outside, kept], PERIOD, SETTINGS, today=TODAY)
    assert [o.status for o in outcomes] == [REJECTED, OUT_OF_PERIOD, LETTER]


def test_a_duplicate_of_a_not_eligible_row_is_still_a_duplicate():
    old = make("khai_sinh", row=5, child_dob=date(2020, 1, 1))
    again = make("khai_sinh", row=6, child_dob=date(2020, 1, 1))
    assert [o.status for o in classify([old, again], PERIOD, SETTINGS, today=TODAY)] == [
        NOT_ELIGIBLE, DUPLICATE,
    ]  # fmt: skip


def death_of_the_child(row=30, **changes):
    values = {"deceased_full_name": "Nguyễn Thị An", "deceased_dob": date(2024, 10, 20),
              "deceased_pid": "099324000001", "death_date": date(2024, 11, 12),
              "reg_date": date(2024, 11, 13), "reg_no": "35"}  # fmt: skip
    return make("khai_tu", row=row, **{**values, **changes})


def test_birth_letter_suppressed_when_the_child_death_is_registered_by_id():
    birth, death = make("khai_sinh", row=7), death_of_the_child()
    outcomes = classify([birth, death], PERIOD, SETTINGS, today=TODAY)
    assert [o.status for o in outcomes] == [NOT_ELIGIBLE, LETTER]
    problem = outcomes[0].problem
    assert (problem.code, problem.column) == ("R-CHILDDEATH-01", "Họ và tên")
    assert "dòng 30 tệp kt_t11.csv, trang “kt_t11”" in problem.message


def test_child_death_matched_by_folded_name_and_birth_date_when_an_id_is_missing():
    birth = make("khai_sinh", child_pid=None)
    nfd_capitals = unicodedata.normalize("NFD", "NGUYỄN THỊ  AN")
    death = death_of_the_child(deceased_full_name=nfd_capitals, deceased_pid=None)
    outcomes = classify([death, birth], PERIOD, SETTINGS, today=TODAY)
    assert outcomes[1].problem.code == "R-CHILDDEATH-01"
    with_id_only_on_death = classify([make("khai_sinh", child_pid=None), death_of_the_child()],
                                     PERIOD, SETTINGS, today=TODAY)  # fmt: skip
    assert with_id_only_on_death[0].status == NOT_ELIGIBLE


def test_two_id_numbers_are_two_children_even_with_one_name_and_birth_date():
    birth = make("khai_sinh")
    namesake = death_of_the_child(deceased_pid="099324000009")
    assert classify([birth, namesake], PERIOD, SETTINGS, today=TODAY)[0].status == LETTER


def test_a_child_death_registered_after_the_period_still_stops_the_letter():
    death = death_of_the_child(death_date=date(2024, 12, 1), reg_date=date(2024, 12, 3))
    outcomes = classify([make("khai_sinh"), death], PERIOD, SETTINGS, today=TODAY)
    assert [o.status for o in outcomes] == [NOT_ELIGIBLE, OUT_OF_PERIOD]
    assert outcomes[0].problem.code == "R-CHILDDEATH-02"


@pytest.fixture
def unit():
    return load_units(ROOT / "inputs" / "units.yaml").unit("phuoc-thanh")


def send_letter(ledger, unit, record, file="2024-11/phuoc-thanh/letters/khai_sinh/001_an.docx"):
    reg_id = ledger.record_registration(unit, record)
    run_id = ledger.start_run(unit, PERIOD)
    ledger.record_letter(reg_id, file, "ab" * 32, run_id)
    ledger.finish_run(run_id, "ok", {})


def test_already_sent_through_a_real_ledger(tmp_path, unit):
    record = make("khai_sinh", row=12)
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        assert outcome_of(record, sent=ledger.lookup(unit)).status == LETTER
        send_letter(ledger, unit, record)
        outcome = outcome_of(make("khai_sinh", row=12), sent=ledger.lookup(unit))
        assert outcome.status == ALREADY_SENT
        problem = outcome.problem
        assert (problem.code, problem.row, problem.column) == ("R-SENT-01", 12, "Số ĐK")
        day = short_date(date.today())
        assert f"đã làm thư cho đăng ký này ngày {day}" in problem.message
        assert "001_an" not in problem.message  # no name slug on the console
        regenerate = outcome_of(
            make("khai_sinh", row=12), sent=ledger.lookup(unit, regenerate=True)
        )
        assert regenerate.status == LETTER
        ledger.mark_final(unit, PERIOD)
        final = outcome_of(make("khai_sinh", row=12), sent=ledger.lookup(unit, regenerate=True))
        assert final.status == ALREADY_SENT


def test_accounting_of_a_mixed_batch_holds_the_invariant(tmp_path, unit):
    sent_before = make("ket_hon", row=20, reg_no="50")
    batch = [
        make("khai_sinh", row=2),
        make("khai_sinh", row=3, reg_no="102", child_full_name=None),
        make("khai_sinh", row=4, reg_no="103", reg_date=date(2024, 12, 1)),
        make("khai_sinh", row=5),  # duplicate of row 2
        make("khai_sinh", row=6, reg_no="104", reg_kind="Đăng ký lại"),
        make("ket_hon", row=7, wife_full_name="Đỗ Thị Hạnh"),  # another couple than no. 50
        make("ket_hon", row=8, reg_no="50"),  # already sent
        make("khai_tu", row=9, death_date=date(2024, 1, 2)),
        make("khai_tu", row=10, reg_no="32", deceased_full_name="Hồ Văn Bảy"),
    ]
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        send_letter(ledger, unit, sent_before, file="2024-11/phuoc-thanh/letters/ket_hon/001.docx")
        outcomes = classify(batch, PERIOD, SETTINGS, sent=ledger.lookup(unit), today=TODAY)
    assert len(outcomes) == len(batch)
    assert [o.record for o in outcomes] == batch
    counts = accounting(outcomes)
    assert counts == {
        "khai_sinh": {"rows": 5, "letters": 1, "rejected": 1, "out_of_period": 1,
                      "duplicates": 1, "not_eligible": 1, "already_sent": 0},
        "ket_hon": {"rows": 2, "letters": 1, "rejected": 0, "out_of_period": 0,
                    "duplicates": 0, "not_eligible": 0, "already_sent": 1},
        "khai_tu": {"rows": 2, "letters": 1, "rejected": 0, "out_of_period": 0,
                    "duplicates": 0, "not_eligible": 1, "already_sent": 0},
    }  # fmt: skip
    check_invariant(counts)
    assert all((o.status == LETTER) == (o.problem is None) for o in outcomes)


def test_accounting_lists_all_three_events_even_with_no_rows():
    zeros = {"rows": 0, "letters": 0, "rejected": 0, "out_of_period": 0, "duplicates": 0,
             "not_eligible": 0, "already_sent": 0}  # fmt: skip
    assert accounting([]) == dict.fromkeys(EVENTS, zeros)
    births_only = accounting(classify([make("khai_sinh")], PERIOD, SETTINGS, today=TODAY))
    assert list(births_only) == list(EVENTS)
    assert births_only["ket_hon"] == births_only["khai_tu"] == zeros
    assert births_only["khai_sinh"]["letters"] == births_only["khai_sinh"]["rows"] == 1


def test_check_invariant_refuses_counts_that_do_not_add_up():
    counts = accounting(classify([make("ket_hon")], PERIOD, SETTINGS, today=TODAY))
    counts["ket_hon"]["rows"] = 2
    with pytest.raises(ValueError, match="ket_hon: rows = 2 but outcomes sum to 1"):
        check_invariant(counts)
