"""The delivery sheet and its import (issue #14, points 1-2): a letters run writes
``so_giao_thu.xlsx`` (one row per letter, drop-down lists, locked references, a signing sheet
in A4 landscape), the commune fills it in — in any order, rows deleted or added, drop-downs typed
over, dates typed as text — and ``hcpvnd delivery import`` records each row in the real SQLite
ledger: recorded, unchanged or rejected, ``rows = recorded + unchanged + rejected``, the same file
twice changing nothing, a changed row keeping its old values in the history."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from delivery_fixtures import COLUMN, cell, fill
from openpyxl import load_workbook

from hcpvnd_utils.delivery.importer import import_sheets
from hcpvnd_utils.delivery.sheet import DATA_SHEET, HEADER_ROW, LISTS_SHEET, META_SHEET
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.ledger.rows import letter_reference
from hcpvnd_utils.letters.run import run_unit

ROOT = Path(__file__).resolve().parents[1]
UNIT, PERIOD = "phuoc-thanh", "2024-11"
TODAY = date.today()


@pytest.fixture
def run(tmp_path):
    """Phước Thành's letters of November 2024 (33), made by the letters run into tmp_path."""
    result = run_unit(UNIT, PERIOD, outputs=tmp_path)
    return result


def sheet_of(run) -> Path:
    return run.out_dir / "so_giao_thu.xlsx"


def deliveries(ledger: Path) -> list[tuple]:
    with sqlite3.connect(ledger) as db:
        return db.execute(
            "SELECT letter_id, handed_on, channel, role, response, note FROM deliveries"
            " ORDER BY letter_id"
        ).fetchall()


def ledger_dump(ledger: Path) -> list[str]:
    db = sqlite3.connect(ledger)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def imported(path, run, **options):
    outputs = run.out_dir.parents[1]
    return import_sheets([path], outputs=outputs, **options)


# --- the sheet a run writes --------------------------------------------------------------------


def test_a_letters_run_writes_one_row_per_letter_with_its_stable_reference(run):
    path = sheet_of(run)
    assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    book = load_workbook(path)
    assert book.sheetnames == [DATA_SHEET, LISTS_SHEET, META_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    assert book[META_SHEET].sheet_state == "veryHidden"
    sheet = book[DATA_SHEET]
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers == ["STT", "Mã thư", "Loại thư", "Số ĐK", "Ngày đăng ký",
                       "Kính gửi (người nhận thư)", "Địa chỉ", "Ngày làm thư", "Ngày trao thư",
                       "Cách trao", "Người trao", "Phản ánh của gia đình", "Ghi chú",
                       "Người nhận ký"]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    made = {e: c["letters"] for e, c in run.summary["counts"].items()}
    assert len(rows) == sum(made.values()) == 33
    with Ledger(run.out_dir.parents[1] / "ledger.sqlite") as book_:
        known = book_.letters_by_reference()
    references = [r[1] for r in rows]
    assert len(set(references)) == len(rows) and set(references) <= set(known)
    first = rows[0]
    letter = known[first[1]]
    assert first[1] == letter_reference(letter["scheme"], letter["unit_code"], letter["event"],
                                        letter["book"], letter["reg_no"])  # fmt: skip
    assert first[1].startswith("KS-21988-1/2024-")  # event, unit code, book, number, check
    assert first[2] == "Thư chúc mừng khai sinh" and first[5] and first[6]
    assert first[7].date() == datetime.fromisoformat(letter["created_at"]).date()
    assert all(v is None for r in rows for v in r[8:])  # nothing filled in yet
    counts = {title: sum(1 for r in rows if r[2] == title) for title in {r[2] for r in rows}}
    assert counts == {"Thư chúc mừng khai sinh": 15, "Thư chúc mừng kết hôn": 8,
                      "Thư chia buồn": 10}  # fmt: skip


def test_the_sheet_prints_as_a_signing_sheet_and_guards_its_references(run):
    sheet = load_workbook(sheet_of(run))[DATA_SHEET]
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # the header on every page
    assert sheet.protection.sheet and not sheet.protection.password
    assert not sheet.protection.sort and not sheet.protection.insertRows  # allowed
    first = HEADER_ROW + 1
    for key in ("reference", "event", "recipient", "address", "made_on"):
        assert sheet.cell(first, COLUMN[key]).protection.locked, key
    for key in ("handed_on", "channel", "role", "response", "note"):
        assert not sheet.cell(first, COLUMN[key]).protection.locked, key
        letter = sheet.cell(first, COLUMN[key]).column_letter
        assert not sheet.column_dimensions[letter].protection.locked  # rows added below too
    rules = {str(v.sqref).split(":")[0][:1]: v for v in sheet.data_validations.dataValidation}
    letters = {key: sheet.cell(first, COLUMN[key]).column_letter
               for key in ("channel", "role", "response", "handed_on")}  # fmt: skip
    assert rules[letters["channel"]].formula1 == f"'{LISTS_SHEET}'!$A$2:$A$5"
    assert rules[letters["role"]].formula1 == f"'{LISTS_SHEET}'!$B$2:$B$7"
    assert rules[letters["response"]].formula1 == f"'{LISTS_SHEET}'!$C$2:$C$5"
    assert rules[letters["handed_on"]].type == "date"
    lists = load_workbook(sheet_of(run))[LISTS_SHEET]
    assert [c.value for c in lists["C"][1:5]] == ["Tích cực", "Bình thường", "Tiêu cực",
                                                  "Không ý kiến"]  # fmt: skip
    assert [c.value for c in lists["A"][1:5]] == ["Trao tận tay", "Qua thôn, tổ dân phố",
                                                  "Bưu điện", "Khác"]  # fmt: skip


def _calc() -> bool:
    soffice = shutil.which("soffice")
    if not soffice:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("libsclo.so")) or any(program.glob("*sc*.dll"))


@pytest.mark.skipif(not _calc(), reason="LibreOffice Calc is not installed (make pdf-tools)")
def test_libreoffice_prints_it_a4_landscape_with_the_header_on_every_page_and_keeps_it_ours(
    tmp_path,
):
    result = run_unit("phuoc-quang", "2024-03-01..2024-05-31", outputs=tmp_path / "out")
    work = tmp_path / "lo"
    work.mkdir()
    source = work / "so_giao_thu.xlsx"
    shutil.copy(result.out_dir / "so_giao_thu.xlsx", source)
    fill(source, {1: {"handed_on": TODAY, "channel": "Trao tận tay", "response": "Tích cực"}})
    profile = (tmp_path / "profile").as_uri()
    for target in ("pdf", "xlsx"):  # print it; save it as a LibreOffice user would
        out = work / target
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", target, "--outdir", str(out), str(source)],
                       check=True, capture_output=True, timeout=240)  # fmt: skip
    pdf = work / "pdf" / "so_giao_thu.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "841.89 x 595.3" in info  # A4 landscape
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages")).split()[1])
    assert pages >= 2
    for page in (1, pages):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True).stdout  # fmt: skip
        assert "Mã thư" in text and "Ngày trao thư" in text and "Người nhận ký" in text
    resaved = work / "xlsx" / "so_giao_thu.xlsx"
    done = import_sheets([resaved], outputs=tmp_path / "out")
    (only,) = done.files
    assert only.refusal is None and only.recorded == 1 and only.rows == 71
    assert only.unit.key == "phuoc-quang"


def test_a_rerun_keeps_what_was_filled_in_and_writes_it_back_as_data(run):
    path = sheet_of(run)
    formula = '=HYPERLINK("http://example.invalid","bấm vào đây")'
    fill(path, {1: {"handed_on": "05/12/2024", "channel": "trao tan tay", "note": formula},
                2: {"response": "rất tốt"}})  # fmt: skip
    reference = cell(path, 1, "reference")
    again = run_unit(UNIT, PERIOD, outputs=run.out_dir.parents[1], regenerate=True)
    assert sum(c["letters"] for c in again.summary["counts"].values()) == 33  # remade
    sheet = load_workbook(path)[DATA_SHEET]
    row = HEADER_ROW + 1
    assert sheet.cell(row, COLUMN["reference"]).value == reference
    assert sheet.cell(row, COLUMN["handed_on"]).value == "05/12/2024"  # as typed
    assert sheet.cell(row, COLUMN["channel"]).value == "trao tan tay"
    note = sheet.cell(row, COLUMN["note"])
    assert note.value == formula and note.data_type == "s"  # text, never a formula again
    assert sheet.cell(row + 1, COLUMN["response"]).value == "rất tốt"  # kept for the clerk
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "HYPERLINK" in xml


def test_a_sheet_deleted_after_its_import_is_written_again_from_the_ledger(run):
    path = sheet_of(run)
    fill(path, {3: {"handed_on": TODAY, "channel": "Bưu điện", "role": "Nhân viên bưu điện",
                    "response": "Không ý kiến", "note": "gửi bảo đảm"}})  # fmt: skip
    assert imported(path, run).exit_code == 0
    path.unlink()
    run_unit(UNIT, PERIOD, outputs=run.out_dir.parents[1])  # no new letter, no sheet: written
    assert cell(path, 3, "handed_on").date() == TODAY
    assert [cell(path, 3, k) for k in ("channel", "role", "response", "note")] == [
        "Bưu điện", "Nhân viên bưu điện", "Không ý kiến", "gửi bảo đảm"]  # fmt: skip
    assert cell(path, 4, "handed_on") is None


def test_a_rerun_without_new_letters_leaves_the_filled_sheet_alone(run):
    path = sheet_of(run)
    fill(path, {1: {"handed_on": TODAY}})
    before = path.read_bytes()
    run_unit(UNIT, PERIOD, outputs=run.out_dir.parents[1])
    assert path.read_bytes() == before


# --- importing it --------------------------------------------------------------------------------


def test_every_row_ends_in_one_outcome_and_the_same_file_twice_changes_nothing(run):
    path = sheet_of(run)
    fill(path, {1: {"handed_on": TODAY, "channel": "Trao tận tay", "role": "Hội LHPN",
                    "response": "Tích cực", "note": "trao tại nhà"},
                2: {"handed_on": TODAY, "response": "Bình thường"},
                3: {"handed_on": "31/11/2024"}})  # fmt: skip
    ledger = run.out_dir.parents[1] / "ledger.sqlite"
    result = imported(path, run)
    (each,) = result.files
    assert (each.rows, each.recorded, each.unchanged, each.rejected) == (33, 2, 30, 1)
    assert each.holds() and each.waiting == 30 and result.exit_code == 1
    assert [p.code for p in each.problems] == ["E-DELIV-15"]
    assert (each.problems[0].row, each.problems[0].column) == (HEADER_ROW + 3, "Ngày trao thư")
    recorded = deliveries(ledger)
    assert [r[1:] for r in recorded] == [
        (TODAY.isoformat(), "tan_tay", "hoi_phu_nu", "tich_cuc", "trao tại nhà"),
        (TODAY.isoformat(), None, None, "binh_thuong", None),
    ]
    before = ledger_dump(ledger)
    again = imported(path, run)
    assert ledger_dump(ledger) == before  # not even a line in the import log
    (twice,) = again.files
    assert (twice.recorded, twice.unchanged, twice.rejected) == (0, 32, 1)


def test_a_changed_row_updates_and_keeps_the_old_values_in_the_history(run):
    path = sheet_of(run)
    ledger = run.out_dir.parents[1] / "ledger.sqlite"
    fill(path, {1: {"handed_on": TODAY, "response": "Tiêu cực", "note": "nhầm"}})
    imported(path, run)
    fill(path, {1: {"response": "Tích cực", "note": None}})
    (each,) = imported(path, run).files
    assert (each.recorded, each.unchanged, each.rejected) == (1, 32, 0)
    with Ledger(ledger) as book:
        (letter_id,) = [r[0] for r in deliveries(ledger)]
        history = book.delivery_history(letter_id)
        imports = book.delivery_imports()
    assert deliveries(ledger)[0][4:] == ("tich_cuc", None)
    assert [(h["response"], h["note"]) for h in history] == [("tieu_cuc", "nhầm")]
    assert history[0]["replaced_by"] == imports[-1]["id"] and len(imports) == 2


def test_a_re_sorted_sheet_with_rows_deleted_and_added_imports_by_reference(run):
    path = sheet_of(run)
    book = load_workbook(path)
    sheet = book[DATA_SHEET]
    first = HEADER_ROW + 1
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=first)]
    shutil.copy(path, path.with_name("goc.xlsx"))
    kept = list(reversed(rows[5:]))  # re-sorted, the first five deleted
    added = list(rows[10])  # a letter's row copied below (the original stays, blank)
    added[COLUMN["handed_on"] - 1] = TODAY
    added[COLUMN["channel"] - 1] = "Qua thôn, tổ dân phố"
    stray = [None] * len(rows[0])  # a row typed in with no reference
    stray[COLUMN["handed_on"] - 1] = TODAY
    sheet.delete_rows(first, len(rows))
    for number, values in enumerate([*kept, added, stray], start=first):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column).value = value
    kept_row = kept.index(rows[20]) + first
    typed = (
        f"ngày {TODAY.day} tháng {TODAY.month} năm {TODAY.year}"  # the day the letters were made
    )
    sheet.cell(kept_row, COLUMN["handed_on"]).value = typed
    sheet.cell(kept_row, COLUMN["response"]).value = "TÍCH CỰC."  # typed over the drop-down
    book.save(path)
    (each,) = imported(path, run, today=TODAY + timedelta(days=26)).files
    assert each.rows == 28 + 2 and each.holds()
    assert (each.recorded, each.rejected) == (2, 1)
    assert [(p.code, p.row) for p in each.problems] == [("E-DELIV-10", first + 29)]
    ledger = run.out_dir.parents[1] / "ledger.sqlite"
    with Ledger(ledger) as book_:
        by_reference = book_.letters_by_reference()
    got = {r[0]: r[1:] for r in deliveries(ledger)}
    assert got[by_reference[rows[10][1]]["letter_id"]][:2] == (TODAY.isoformat(), "qua_thon")
    assert got[by_reference[rows[20][1]]["letter_id"]][0] == TODAY.isoformat()
    assert got[by_reference[rows[20][1]]["letter_id"]][3] == "tich_cuc"


def test_two_rows_of_one_letter_that_disagree_record_neither(run):
    path = sheet_of(run)
    book = load_workbook(path)
    sheet = book[DATA_SHEET]
    first, extra = HEADER_ROW + 1, sheet.max_row + 1
    for column in range(1, sheet.max_column + 1):
        sheet.cell(extra, column).value = sheet.cell(first, column).value
    sheet.cell(first, COLUMN["handed_on"]).value = TODAY
    sheet.cell(extra, COLUMN["handed_on"]).value = TODAY
    sheet.cell(first, COLUMN["response"]).value = "Tích cực"
    sheet.cell(extra, COLUMN["response"]).value = "Tiêu cực"
    book.save(path)
    (each,) = imported(path, run, today=TODAY).files
    assert [(p.code, p.row) for p in each.problems] == [
        ("E-DELIV-20", first),
        ("E-DELIV-20", extra),
    ]
    assert each.recorded == 0 and each.rows == 34 and each.holds()


def _saved_at(path: Path, moment: datetime) -> None:
    """Make the workbook say it was saved at ``moment`` (UTC), as Excel records it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    core = parts["docProps/core.xml"].decode("utf-8")
    end = core.index("</dcterms:modified>")
    start = core.rindex(">", 0, end) + 1
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    parts["docProps/core.xml"] = (core[:start] + stamp + core[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_an_older_copy_never_overwrites_what_a_later_one_recorded(run):
    path = sheet_of(run)
    ledger = run.out_dir.parents[1] / "ledger.sqlite"
    older = fill(path, {1: {"handed_on": TODAY, "response": "Bình thường"}},
                 target=path.with_name("ban_cu.xlsx"))  # fmt: skip
    newer = fill(path, {1: {"handed_on": TODAY, "response": "Tích cực"},
                        2: {"handed_on": TODAY}}, target=path.with_name("ban_moi.xlsx"))  # fmt: skip
    _saved_at(older, datetime(2026, 1, 5, 8, 0))
    _saved_at(newer, datetime(2026, 1, 6, 8, 0))
    assert imported(newer, run).exit_code == 0
    before = deliveries(ledger)
    (each,) = imported(older, run).files
    assert [(p.code, p.row) for p in each.problems] == [("E-DELIV-21", HEADER_ROW + 1)]
    assert "ban_moi.xlsx" in each.problems[0].message and each.rejected == 1
    assert deliveries(ledger) == before
    _saved_at(older, datetime(2026, 1, 7, 8, 0))  # saved again: it is the right one after all
    (again,) = imported(older, run).files
    assert again.recorded == 1 and deliveries(ledger)[0][4] == "binh_thuong"


def test_the_letters_of_another_unit_unknown_references_and_purged_letters_are_refused(run):
    outputs = run.out_dir.parents[1]
    other = run_unit("phuoc-an", PERIOD, outputs=outputs)
    path = sheet_of(run)
    theirs = cell(sheet_of(other), 1, "reference")
    mine = cell(path, 3, "reference")
    with Ledger(outputs / "ledger.sqlite") as book:
        book.mark_purged([book.letters_by_reference()[mine]["letter_id"]])
    fill(path, {1: {"reference": theirs, "handed_on": TODAY},
                2: {"reference": cell(path, 2, "reference")[:-1] + "?", "handed_on": TODAY},
                3: {"handed_on": TODAY}, 4: {"handed_on": TODAY}})  # fmt: skip
    (each,) = imported(path, run).files
    codes = {p.row - HEADER_ROW: p.code for p in each.problems}
    assert codes == {1: "E-DELIV-12", 2: "E-DELIV-11", 3: "E-DELIV-13"}
    assert "xã Phước An" in each.problems[0].message and theirs in each.problems[0].message
    assert each.recorded == 1 and each.holds()


@pytest.mark.parametrize(
    "typed, code",
    [
        ({"handed_on": None, "response": "Tích cực"}, "E-DELIV-14"),  # filled, but no date
        ({"handed_on": "hôm qua"}, "E-DELIV-15"),
        ({"handed_on": date(2020, 1, 2)}, "E-DELIV-16"),  # before the letter was made
        ({"handed_on": TODAY + timedelta(days=3)}, "E-DELIV-17"),
        ({"handed_on": TODAY, "channel": "gửi qua Zalo"}, "E-DELIV-18"),
        ({"handed_on": TODAY, "role": "Nguyễn Văn Tèo"}, "E-DELIV-18"),
        ({"handed_on": "=TODAY()"}, "E-DELIV-19"),
        ({"handed_on": TODAY, "note": "x" * 501}, "E-DELIV-22"),
    ],
    ids=["no-date", "not-a-date", "before-made", "future", "channel", "role-a-name", "formula",
         "long-note"],
)  # fmt: skip
def test_a_row_that_cannot_be_recorded_is_said_by_file_sheet_row_column_and_code(run, typed, code):
    path = sheet_of(run)
    fill(path, {1: typed})
    (each,) = imported(path, run, today=TODAY).files
    (problem,) = each.problems
    assert (problem.code, problem.file, problem.sheet, problem.row) == (
        code, "so_giao_thu.xlsx", DATA_SHEET, HEADER_ROW + 1)  # fmt: skip
    assert problem.column in {"Ngày trao thư", "Cách trao", "Người trao", "Ghi chú"}
    assert problem.message.startswith(f"[{code}] Tệp so_giao_thu.xlsx, trang “{DATA_SHEET}”")
    assert each.recorded == 0 and each.rejected == 1 and each.holds()
    loi = run.out_dir / "so_giao_thu_loi.xlsx"
    written = [r for r in load_workbook(loi).active.iter_rows(min_row=2, values_only=True)]
    assert written == [(problem.file, problem.sheet, problem.row, problem.column, code,
                        problem.message)]  # fmt: skip
    fill(path, {1: {"handed_on": None, "channel": None, "role": None, "response": None,
                    "note": None}})  # fmt: skip
    imported(path, run)
    assert not loi.exists()  # nothing left to fix: the list of rows to fix is gone


def test_typed_over_drop_downs_that_mean_an_item_are_taken(run):
    path = sheet_of(run)
    fill(path, {1: {"handed_on": TODAY.strftime("%d/%m/%Y"), "channel": "TRAO TAN TAY",
                    "role": "hội phụ nữ", "response": "tich_cuc"},
                2: {"handed_on": f"{TODAY.day}/{TODAY.month}/{TODAY.year}", "channel": " Qua thôn ",
                    "role": "Trưởng thôn, tổ trưởng TDP", "response": "không có ý kiến"}})  # fmt: skip
    (each,) = imported(path, run).files
    assert each.rejected == 0 and each.recorded == 2
    ledger = run.out_dir.parents[1] / "ledger.sqlite"
    assert [r[2:5] for r in deliveries(ledger)] == [
        ("tan_tay", "hoi_phu_nu", "tich_cuc"), ("qua_thon", "truong_thon", "khong_y_kien")]  # fmt: skip


def test_a_formula_in_a_note_is_stored_as_its_text(run):
    path = sheet_of(run)
    formula = '=HYPERLINK("http://example.invalid/?q="&A1,"xem")'
    fill(path, {1: {"handed_on": TODAY, "note": formula}})
    assert imported(path, run).exit_code == 0
    assert deliveries(run.out_dir.parents[1] / "ledger.sqlite")[0][5] == formula


def merge_down(path: Path, key: str, first: int, last: int) -> None:
    """Merge a column's cells over data rows ``first``..``last`` (1 = the first letter)."""
    book = load_workbook(path)
    column = COLUMN[key]
    book[DATA_SHEET].merge_cells(start_row=HEADER_ROW + first, end_row=HEADER_ROW + last,
                                 start_column=column, end_column=column)  # fmt: skip
    book.save(path)


def test_a_date_typed_once_in_cells_merged_over_three_rows_is_each_rows_date(run):
    path = sheet_of(run)
    fill(path, {1: {"handed_on": TODAY}})
    merge_down(path, "handed_on", 1, 3)
    (each,) = imported(path, run).files
    assert [p.code for p in each.problems] == []
    assert each.recorded == 3 and each.rejected == 0 and each.holds()
    assert [r[1] for r in deliveries(run.out_dir.parents[1] / "ledger.sqlite")] == [
        TODAY.isoformat()
    ] * 3


def test_a_response_typed_once_in_merged_cells_is_each_rows_response(run):
    path = sheet_of(run)
    fill(path, {1: {"handed_on": TODAY, "response": "Tích cực"}, 2: {"handed_on": TODAY}})
    merge_down(path, "response", 1, 2)
    (each,) = imported(path, run).files
    assert each.recorded == 2 and each.rejected == 0
    assert [r[4] for r in deliveries(run.out_dir.parents[1] / "ledger.sqlite")] == ["tich_cuc"] * 2


def test_one_transaction_per_file_a_failing_write_records_nothing_of_it(run):
    from hcpvnd_utils.ledger.deliveries import Handover, SheetImport

    ledger = run.out_dir.parents[1] / "ledger.sqlite"
    with Ledger(ledger) as book:
        ids = sorted(r["letter_id"] for r in book.letters_by_reference().values())[:3]
        rows = [Handover(i, TODAY.isoformat(), "tan_tay", None, None, None, DATA_SHEET, n)
                for n, i in enumerate(ids)]  # fmt: skip
        rows[2] = Handover(ids[2], TODAY.isoformat(), "bo_cau", None, None, None, DATA_SHEET, 3)
        source = SheetImport(run.unit, PERIOD, "x.xlsx", "abc", None)
        with pytest.raises(sqlite3.IntegrityError):
            book.record_handovers(source, rows, {})
        assert book.delivery_imports() == []
    assert deliveries(ledger) == []


def test_a_letter_handed_over_is_never_remade_by_regenerate(run):
    path = sheet_of(run)
    fill(path, {1: {"handed_on": TODAY}})
    imported(path, run)
    with Ledger(run.out_dir.parents[1] / "ledger.sqlite") as book:
        handed = book.letters_by_reference()[cell(path, 1, "reference")]
        before = book.sent(run.unit, (handed["event"], handed["book"], handed["reg_no"]))
    again = run_unit(UNIT, PERIOD, outputs=run.out_dir.parents[1], regenerate=True)
    counts = again.summary["counts"]
    assert sum(c["letters"] for c in counts.values()) == 32
    assert sum(c["already_sent"] for c in counts.values()) == 1
    with Ledger(run.out_dir.parents[1] / "ledger.sqlite") as book:
        after = book.sent(run.unit, (handed["event"], handed["book"], handed["reg_no"]))
    assert after["created_at"] == before["created_at"] and after["sha256"] == before["sha256"]


def test_a_regenerated_letter_keeps_its_made_date_and_earlier_handovers_are_recorded(run):
    outputs = run.out_dir.parents[1]
    ledger = outputs / "ledger.sqlite"
    made = (datetime.now() - timedelta(days=10)).astimezone().isoformat(timespec="seconds")
    with sqlite3.connect(ledger) as db:  # letters first made 10 days ago
        db.execute("UPDATE letters SET created_at = ?", (made,))
    again = run_unit(UNIT, PERIOD, outputs=outputs, regenerate=True)
    assert sum(c["letters"] for c in again.summary["counts"].values()) == 33
    with sqlite3.connect(ledger) as db:
        assert {r[0] for r in db.execute("SELECT created_at FROM letters")} == {made}
    path = sheet_of(again)
    fill(path, {1: {"handed_on": TODAY - timedelta(days=5)}})  # between make and remake
    (each,) = imported(path, again).files
    assert [p.code for p in each.problems] == []
    assert each.recorded == 1 and each.rejected == 0 and each.holds()
    assert deliveries(ledger)[0][1] == (TODAY - timedelta(days=5)).isoformat()


def test_a_purge_empties_the_notes_and_keeps_the_figures(run):
    path = sheet_of(run)
    fill(path, {1: {"handed_on": TODAY, "response": "Tích cực", "note": "bà Lan nhận thay"}})
    imported(path, run)
    fill(path, {1: {"note": "bà Lan (con dâu) nhận thay"}})
    imported(path, run)
    ledger = run.out_dir.parents[1] / "ledger.sqlite"
    with Ledger(ledger) as book:
        (letter_id,) = [r[0] for r in deliveries(ledger)]
        book.mark_purged([letter_id])
        book.checkpoint()
        assert book.delivery_history(letter_id)[0]["note"] is None
    assert deliveries(ledger)[0][1:] == (TODAY.isoformat(), None, None, "tich_cuc", None)
    assert "bà Lan".encode() not in ledger.read_bytes()


# --- the command ---------------------------------------------------------------------------------


def hcpvnd(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hcpvnd_utils", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")  # fmt: skip


def test_the_command_says_counts_codes_and_late_letters_never_a_name_or_a_note(run):
    outputs = run.out_dir.parents[1]
    path = sheet_of(run)
    recipient = cell(path, 2, "recipient")
    fill(path, {1: {"handed_on": TODAY, "note": "bà Nguyễn Thị Lan nhận thay"},
                2: {"handed_on": TODAY, "role": recipient}})  # fmt: skip
    with sqlite3.connect(outputs / "ledger.sqlite") as db:  # letters made 20 days ago
        made = (datetime.now() - timedelta(days=20)).astimezone().isoformat(timespec="seconds")
        db.execute("UPDATE letters SET created_at = ?", (made,))
    done = hcpvnd("delivery", "import", path, "--outputs", outputs)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "[I-DELIV-01] Tệp so_giao_thu.xlsx (xã Phước Thành, từ ngày 01/11/2024 đến ngày "
        "30/11/2024): 33 dòng thư: 1 dòng ghi mới hoặc sửa, 31 dòng không đổi (31 dòng chưa "
        "điền ngày trao), 1 dòng bị loại."
    )
    assert f"[E-DELIV-18] Tệp so_giao_thu.xlsx, trang “{DATA_SHEET}”, dòng 7, cột “Người trao”:" in (
        done.stdout)  # fmt: skip
    assert "[I-DELIV-02] xã Phước Thành: 32 thư chưa trao sau 15 ngày" in done.stdout
    assert any(line.strip().endswith("20 ngày") and "-21988-" in line for line in lines)
    for private in ("Nguyễn Thị Lan", "nhận thay", recipient):
        assert private not in done.stdout + done.stderr
    assert str(run.out_dir / "so_giao_thu_loi.xlsx") in done.stdout


def test_the_command_without_a_ledger_creates_none(tmp_path, run):
    ledger = tmp_path / "khong_co" / "ledger.sqlite"
    done = hcpvnd("delivery", "import", sheet_of(run), "--outputs", tmp_path, "--ledger", ledger)
    assert done.returncode == 2 and done.stderr.startswith("[E-DELIV-23] ")
    assert not ledger.exists()
