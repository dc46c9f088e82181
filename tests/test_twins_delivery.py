"""The seam between one letter for twins (#17) and the letters' delivery (#14): a letter for
twins is one sheet of paper with a ledger row per registration — one row on the delivery
sheet, handed over once for every registration, counted once in section 5, never remade once
handed over — and a letter's ref ("khai_sinh|1/2024|51") names a letter only within its unit,
since every commune numbers its books the same way. Real CSV/XLSX exports in, real letters,
delivery sheets filled with openpyxl, real SQLite ledger, the report's own text out."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from delivery_fixtures import cell, fill
from openpyxl import Workbook, load_workbook

import hcpvnd_utils as hc
from hcpvnd_utils.cli.main import main
from hcpvnd_utils.config import load_units
from hcpvnd_utils.delivery.sheet import DATA_SHEET, HEADER_ROW
from hcpvnd_utils.ledger.purge import describe, execute, plan_purge
from hcpvnd_utils.ledger.rows import letter_reference
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.report.data import collect
from hcpvnd_utils.report.text import Narrative, body_blocks

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2024-11"
THANH, AN = "phuoc-thanh", "phuoc-an"
CODES = {THANH: 21988, AN: 21985}
HEADER = ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
          "Số định danh", "Họ tên mẹ", "Năm sinh mẹ", "Số định danh của mẹ", "Họ tên cha",
          "Nơi cư trú"]  # fmt: skip
HOA = ("Trần Thị Hoa", "1995", "099195000111", "Nguyễn Văn Hùng")  # the twins' parents
MAI = ("Phan Thị Mai", "1996", "099196000222", "Lê Văn Cường")
LAN = ("Võ Thị Lan", "1993", "099193000333", "Đỗ Văn Tâm")
PID = iter(f"0993240{n:05d}" for n in range(1, 99999))


def birth(number, child, parents, registered="05/11/2024", born="20/10/2024", sex="Nam"):
    mother, year, mother_id, father = parents
    return ["01/2024", str(number), registered, child, born, sex, next(PID), mother, year,
            mother_id, father, "Thôn Phổ Trạch"]  # fmt: skip


# Phước Thành: one birth, then twins (51 and 52): 3 registrations, 2 letters
THANH_ROWS = [
    birth(50, "Lê Văn Bình", MAI, registered="04/11/2024", born="10/10/2024"),
    birth(51, "Nguyễn Minh An", HOA, sex="Nữ"),
    birth(52, "Nguyễn Minh Khôi", HOA),
]
# Phước An, the same book and numbers: three single births (50, 51, 52), then twins (53, 54)
AN_ROWS = [
    birth(50, "Đỗ Gia Huy", LAN, registered="04/11/2024", born="11/10/2024"),
    birth(51, "Trương Bảo Ngọc", ("Lý Thị Thu", "1990", "099190000444", "Trương Văn Sơn"),
          sex="Nữ", born="12/10/2024"),
    birth(52, "Huỳnh Quốc Việt", ("Mai Thị Hồng", "1992", "099192000555", "Huỳnh Văn Lộc"),
          born="13/10/2024"),
    birth(53, "Phạm Thu Hà", ("Đặng Thị Yến", "1994", "099194000666", "Phạm Văn Nam"),
          registered="06/11/2024", born="21/10/2024", sex="Nữ"),
    birth(54, "Phạm Thu Hằng", ("Đặng Thị Yến", "1994", "099194000666", "Phạm Văn Nam"),
          registered="06/11/2024", born="21/10/2024", sex="Nữ"),
]  # fmt: skip


def write_csv(inputs: Path, unit: str, rows: list[list[str]]) -> None:
    lines = [",".join(HEADER)]
    lines += [",".join([str(i), *(f'"{c}"' for c in cells)]) for i, cells in enumerate(rows, 1)]
    (inputs / unit / "ks_t11.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def write_xlsx(inputs: Path, unit: str, rows: list[list[str]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "KS"
    sheet.append(HEADER)
    for i, cells in enumerate(rows, 1):
        sheet.append([i, *cells])
    book.save(inputs / unit / "ks_t11.xlsx")


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    for unit in (THANH, AN):
        (folder / unit).mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", folder / "units.yaml")
    write_csv(folder, THANH, THANH_ROWS)
    write_xlsx(folder, AN, AN_ROWS)
    return folder


def outputs_of(inputs: Path) -> Path:
    return inputs.parent / "outputs"


def run(inputs: Path, unit: str = THANH, **options):
    return run_unit(unit, PERIOD, inputs=inputs, outputs=outputs_of(inputs), **options)


def reference(unit: str, number: int) -> str:
    """The reference the unit's delivery sheet prints for its birth registration ``number``."""
    scheme = load_units(ROOT / "inputs" / "units.yaml").unit(unit).scheme
    return letter_reference(scheme, CODES[unit], "khai_sinh", "1/2024", str(number))


def sheet_references(path: Path) -> list[str]:
    rows = load_workbook(path)[DATA_SHEET].max_row - HEADER_ROW
    return [cell(path, n, "reference") for n in range(1, rows + 1) if cell(path, n, "reference")]


def handed(day: date, wanted: set[str] | None = None):
    """Hand over the letters of ``wanted`` references (all when None) on ``day``."""

    def values(number, ref):
        if wanted is not None and ref not in wanted:
            return None
        return {"handed_on": day, "channel": "Trao tận tay", "role": "Cán bộ tư pháp – hộ tịch",
                "response": "Tích cực"}  # fmt: skip

    return values


def section_5(inputs: Path, unit: str = THANH) -> str:
    config = load_units(inputs / "units.yaml")
    outputs = outputs_of(inputs)
    data = collect(config, parse_period(PERIOD), unit, ledger=outputs / "ledger.sqlite",
                   outputs=outputs)  # fmt: skip
    return "\n".join(b.text for b in body_blocks(data, Narrative(), ["by_unit", "delivery"]))


def ledger_rows(inputs: Path, unit: str) -> dict[str, tuple]:
    """reg_no -> (file, status, sha256, handed_on) of the unit's letters."""
    with sqlite3.connect(outputs_of(inputs) / "ledger.sqlite") as db:
        rows = db.execute(
            "SELECT r.reg_no, l.file, l.status, l.sha256, d.handed_on FROM letters l"
            " JOIN registrations r ON r.id = l.registration_id"
            " LEFT JOIN deliveries d ON d.letter_id = l.id WHERE r.unit_code = ?",
            (CODES[unit],),
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


# --- (a) a letter for twins: one row, handed over once, counted once, never remade -------------


def test_the_twins_letter_is_one_row_of_the_delivery_sheet(inputs):
    result = run(inputs)
    sheet = result.out_dir / "so_giao_thu.xlsx"
    assert result.summary["counts"]["khai_sinh"]["letters"] == 3  # cases, as the dispatch counts
    assert sheet_references(sheet) == [reference(THANH, 50), reference(THANH, 51)]
    assert cell(sheet, 2, "reg_no") == "51"  # the letter's first registration names its row


def test_a_twins_letter_handed_over_is_handed_over_for_both_registrations(inputs):
    result = run(inputs)
    sheet = result.out_dir / "so_giao_thu.xlsx"
    fill(sheet, handed(date.today(), {reference(THANH, 51)}))
    (each,) = hc.import_sheets([sheet], inputs=inputs, outputs=outputs_of(inputs)).files
    assert (each.rows, each.recorded, each.rejected) == (2, 1, 0)
    frame = hc.frames.letters(PERIOD, inputs=inputs, outputs=outputs_of(inputs), units=[THANH])
    shown = dict(zip(frame["number"].astype(str), frame["handed_on"].notna()))
    assert shown == {"50": False, "51": True, "52": True}
    text = section_5(inputs)
    assert "đã trao 01/02 thư (50%)" in text  # sheets of paper, not 2/3 or 1/3
    assert "Còn 01 thư chưa trao" in text
    fill(sheet, handed(date.today()))
    hc.import_sheets([sheet], inputs=inputs, outputs=outputs_of(inputs))
    text = section_5(inputs)
    assert "đã trao 02/02 thư (100%)" in text
    assert "đã gửi Thư chúc mừng cho 03 trường hợp đăng ký khai sinh" in text  # cases: three


def test_the_twins_letter_handed_over_is_not_remade_by_regenerate(inputs):
    result = run(inputs)
    sheet = result.out_dir / "so_giao_thu.xlsx"
    before = ledger_rows(inputs, THANH)
    twins = result.out_dir.parent.parent / before["51"][0]
    content = twins.read_bytes()
    fill(sheet, handed(date.today(), {reference(THANH, 51)}))
    assert main(["delivery", "import", str(sheet), "--inputs", str(inputs),
                 "--outputs", str(outputs_of(inputs))]) == 0  # fmt: skip
    again = run(inputs, regenerate=True)
    after = ledger_rows(inputs, THANH)
    assert again.summary["counts"]["khai_sinh"]["letters"] == 1  # only number 50's letter
    assert twins.read_bytes() == content
    assert after["51"][:3] == before["51"][:3] and after["52"][:3] == before["52"][:3]
    assert after["51"][3] and after["52"][3]
    assert sheet_references(sheet) == [reference(THANH, 50), reference(THANH, 51)]
    assert "W-PRINT-02" not in {w.code for w in again.warnings}


def test_the_report_counts_letters_in_table_1_and_cases_in_the_annex_and_says_which(inputs):
    from hcpvnd_utils.report.tables import registrations_rows, results_rows

    run(inputs)
    outputs = outputs_of(inputs)
    data = collect(load_units(inputs / "units.yaml"), parse_period(PERIOD), THANH,
                   ledger=outputs / "ledger.sqlite", outputs=outputs)  # fmt: skip
    headers, rows = results_rows(data)
    assert (headers[2], rows[0][2]) == ("Khai sinh", 2)  # sheets of paper: twins share one
    headers, rows = registrations_rows(data)
    assert (headers[4], rows[0][4]) == ("Số trường hợp đã làm thư", 3)  # the dispatch's cases


def test_a_twin_registered_after_the_letter_was_handed_over_shares_it(inputs):
    write_csv(inputs, THANH, THANH_ROWS[:2])  # the second twin is not in this export yet
    result = run(inputs)
    sheet = result.out_dir / "so_giao_thu.xlsx"
    fill(sheet, handed(date.today(), {reference(THANH, 51)}))
    hc.import_sheets([sheet], inputs=inputs, outputs=outputs_of(inputs))
    write_csv(inputs, THANH, THANH_ROWS)  # the corrected export: both twins
    later = run(inputs)
    (entry,) = [e for e in later.summary["rejected"] if e["number"] == "52"]
    # the family has its letter, handed over: not remade (R-FAMILY-01 would ask for it on every
    # run), and the twin is a case with that letter, handed over with it
    assert entry["code"] == "R-FAMILY-02" and "--regenerate" not in entry["message"]
    rows = ledger_rows(inputs, THANH)
    assert rows["52"][0] == rows["51"][0] and rows["52"][3] == rows["51"][3] is not None
    assert later.summary["letters"] == []
    frame = hc.frames.letters(PERIOD, inputs=inputs, outputs=outputs_of(inputs), units=[THANH])
    shown = dict(zip(frame["number"].astype(str), frame["handed_on"].notna()))
    assert shown == {"50": False, "51": True, "52": True}
    assert "đã trao 01/02 thư (50%)" in section_5(inputs)  # two sheets of paper, one handed over


def test_letters_waiting_after_an_import_name_the_twins_letter_once(inputs):
    result = run(inputs)
    sheet = result.out_dir / "so_giao_thu.xlsx"
    later = date.today() + timedelta(days=30)
    imported = hc.import_sheets([sheet], inputs=inputs, outputs=outputs_of(inputs), today=later)
    waiting = [w.reference for w in imported.waiting[THANH]]
    assert sorted(waiting) == sorted(sheet_references(sheet))  # what the clerk can find
    assert len(waiting) == 2


# --- (b) the same book and numbers in two communes of one ledger --------------------------------


def test_finalizing_one_commune_leaves_the_others_letters_made(inputs):
    run(inputs, THANH)
    run(inputs, AN)
    outputs = outputs_of(inputs)
    assert main(["finalize", "--unit", THANH, "--period", PERIOD, "--inputs", str(inputs),
                 "--outputs", str(outputs)]) == 0  # fmt: skip
    assert {row[1] for row in ledger_rows(inputs, THANH).values()} == {"final"}
    assert {row[1] for row in ledger_rows(inputs, AN).values()} == {"made"}
    frame = hc.frames.letters(PERIOD, inputs=inputs, outputs=outputs, units=[AN])
    assert len(frame) == 5 and (frame["status"] == "made").all()


def test_a_rerun_prints_every_sent_letter_whatever_another_commune_numbered(inputs):
    run(inputs, THANH)
    first = run(inputs, AN)
    again = run(inputs, AN)
    assert again.summary["counts"]["khai_sinh"]["already_sent"] == 5
    assert "W-PRINT-02" not in {w.code for w in again.warnings}
    text = extract_text(again.print_files["khai_sinh"])
    for row in AN_ROWS:
        assert row[3] in text
    assert sheet_references(first.out_dir / "so_giao_thu.xlsx") == [
        reference(AN, n) for n in (50, 51, 52, 53)
    ]


def test_a_delivery_of_one_commune_is_never_copied_to_anothers_letter(inputs):
    run(inputs, THANH)
    an = run(inputs, AN)
    sheet = an.out_dir / "so_giao_thu.xlsx"
    fill(sheet, handed(date.today(), {reference(AN, 51)}))
    hc.import_sheets([sheet], inputs=inputs, outputs=outputs_of(inputs))
    assert [n for n, row in ledger_rows(inputs, AN).items() if row[3]] == ["51"]
    assert not any(row[3] for row in ledger_rows(inputs, THANH).values())
    assert "chưa nhập sổ giao thư của xã Phước Thành" in section_5(inputs, THANH)


# --- (c) a purge: the letter for twins is one file ----------------------------------------------


def test_a_purge_counts_the_twins_letter_once_and_purges_every_registrations_row(inputs):
    result = run(inputs)
    sheet = result.out_dir / "so_giao_thu.xlsx"
    fill(sheet, lambda n, ref: {**handed(date.today())(n, ref), "note": "Chị Hoa nhận thay"})
    hc.import_sheets([sheet], inputs=inputs, outputs=outputs_of(inputs))
    outputs = outputs_of(inputs)
    plan = plan_purge(outputs, outputs / "ledger.sqlite", date.today() + timedelta(days=1))
    assert "Sẽ xóa 2 thư và 1 tệp in" in describe(plan)  # two files, not three registrations
    assert "phuoc-thanh, Khai sinh: 2 thư, 1 tệp in" in describe(plan)
    deleted = execute(plan)
    assert deleted["letter"] == 2 and not list(result.out_dir.rglob("letters/*/*.docx"))
    rows = ledger_rows(inputs, THANH)
    assert {row[1] for row in rows.values()} == {"purged"}
    assert rows["51"][0] == rows["52"][0] and "nguyen" not in rows["51"][0]
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM deliveries WHERE note IS NOT NULL").fetchone() == (
            0,
        )
        assert db.execute("SELECT COUNT(*) FROM deliveries").fetchone() == (3,)
