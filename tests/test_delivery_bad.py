"""Delivery sheets that are not what they should be (issue #14, "Privacy and bad input"): a
workbook that is not ours, a sheet of another unit or period, an emptied sheet, a header typed
over, a file that is not a workbook at all, one that would cost gigabytes to read, 10,000 rows.
Each ends in a clear coded message or the right result — never a traceback, never part of a file
recorded."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from delivery_fixtures import COLUMN, everything_handed, fill
from openpyxl import Workbook, load_workbook

from hcpvnd_utils.config import load_units
from hcpvnd_utils.delivery.importer import import_sheets
from hcpvnd_utils.delivery.sheet import DATA_SHEET, HEADER_ROW, SheetInfo, SheetLetter, write_sheet
from hcpvnd_utils.layout import unit_folder
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.ledger.rows import letter_reference
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.records import Record

ROOT = Path(__file__).resolve().parents[1]
TODAY = date.today()


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """Two units' letters of November 2024, with their sheets."""
    outputs = tmp_path_factory.mktemp("out")
    sheets = {u: run_unit(u, "2024-11", outputs=outputs).out_dir / "so_giao_thu.xlsx"
              for u in ("phuoc-thanh", "phuoc-an")}  # fmt: skip
    return outputs, sheets


def refused(path: Path, outputs: Path, **options):
    """Import ``path``; the one file must be refused whole, nothing recorded."""
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        before = db.execute("SELECT COUNT(*) FROM delivery_imports").fetchone()[0]
    result = import_sheets([path], outputs=outputs, **options)
    (each,) = result.files
    assert each.refusal is not None and result.exit_code == 2
    assert each.rows == each.recorded == 0
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM delivery_imports").fetchone()[0] == before
    return each.refusal


def test_a_workbook_that_is_not_ours_is_refused(place, tmp_path):
    outputs, _ = place
    book = Workbook()
    book.active.append(["Mã thư", "Ngày trao thư", "Cách trao"])
    book.active.append(["KS-21988-1/2024-142-ZR", "01/12/2024", "Trao tận tay"])
    book.save(tmp_path / "tu_lam.xlsx")
    problem = refused(tmp_path / "tu_lam.xlsx", outputs)
    assert problem.code == "E-DELIV-02" and "so_giao_thu.xlsx" in problem.message


def test_an_emptied_sheet_is_refused_not_read_as_nothing_handed_over(place, tmp_path):
    outputs, sheets = place
    book = load_workbook(sheets["phuoc-thanh"])
    sheet = book[DATA_SHEET]
    sheet.delete_rows(HEADER_ROW + 1, sheet.max_row)
    book.save(tmp_path / "rong.xlsx")
    assert refused(tmp_path / "rong.xlsx", outputs).code == "E-DELIV-05"


def test_a_header_typed_over_is_refused_naming_the_column(place, tmp_path):
    outputs, sheets = place
    book = load_workbook(sheets["phuoc-thanh"])
    book[DATA_SHEET].cell(HEADER_ROW, COLUMN["response"]).value = "Ý kiến"
    book.save(tmp_path / "sua_tieu_de.xlsx")
    problem = refused(tmp_path / "sua_tieu_de.xlsx", outputs)
    assert problem.code == "E-DELIV-06" and "“Phản ánh của gia đình”" in problem.message


def test_a_sheet_of_another_unit_or_period_than_asked_is_refused(place):
    outputs, sheets = place
    problem = refused(sheets["phuoc-an"], outputs, unit="phuoc-thanh")
    assert problem.code == "E-DELIV-03"
    assert "xã Phước An" in problem.message and "xã Phước Thành" in problem.message
    problem = refused(sheets["phuoc-an"], outputs, period="2024-10")
    assert problem.code == "E-DELIV-04" and "từ ngày 01/10/2024" in problem.message


def test_a_sheet_of_another_outputs_folder_is_refused_not_written_over_this_ledgers(
    place, tmp_path
):
    """The same export run in two outputs folders gives the same references: a sheet imported
    into the other folder's ledger (``--outputs`` forgotten) would overwrite its deliveries."""
    outputs, _ = place
    other = tmp_path / "other"
    sheet = run_unit("phuoc-thanh", "2024-11", outputs=other).out_dir / "so_giao_thu.xlsx"
    fill(sheet, everything_handed())
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        before = db.execute("SELECT * FROM deliveries ORDER BY letter_id").fetchall()
    problem = refused(sheet, outputs)
    assert problem.code == "E-DELIV-24" and f"--outputs {other}" in problem.message
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        assert db.execute("SELECT * FROM deliveries ORDER BY letter_id").fetchall() == before
    (each,) = import_sheets([sheet], outputs=other).files  # where it belongs
    assert each.refusal is None and each.recorded == each.rows > 0
    elsewhere = fill(sheet, {}, target=tmp_path / "so_giao_thu.xlsx")  # copied out: the clerk's
    assert import_sheets([elsewhere], outputs=other).files[0].refusal is None


def test_a_sheet_whose_unit_the_units_file_does_not_know_says_which_units_file(place, tmp_path):
    outputs, sheets = place
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "units.yaml").write_bytes((ROOT / "inputs/gia-lai-2025/units.yaml").read_bytes())
    problem = refused(sheets["phuoc-an"], outputs, inputs=inputs)
    assert problem.code == "E-DELIV-07" and "--inputs" in problem.message


def _zip_with_cell_far_away(path: Path) -> None:
    """A valid sheet with one more cell at XFD1048576: a dense reader's grid of terabytes."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    member = "xl/worksheets/sheet1.xml"
    xml = parts[member].decode("utf-8")
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    parts[member] = xml.replace("</sheetData>", far + "</sheetData>").encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    "kind, code",
    [("zero-bytes", "E-DELIV-01"), ("csv", "E-DELIV-01"), ("truncated", "E-DELIV-01"),
     ("encrypted-or-xls", "E-DELIV-01"), ("docx", "E-DELIV-01"), ("cell-far-away", "E-DELIV-08"),
     ("missing", "E-DELIV-09"), ("folder", "E-DELIV-09")],
)  # fmt: skip
def test_a_file_that_is_no_workbook_of_ours_is_said_in_vietnamese(place, tmp_path, kind, code):
    outputs, sheets = place
    path = tmp_path / "so_giao_thu.xlsx"
    original = sheets["phuoc-thanh"].read_bytes()
    if kind == "zero-bytes":
        path.write_bytes(b"")
    elif kind == "csv":
        path.write_text("Mã thư,Ngày trao thư\nKS-1,01/12/2024\n", encoding="utf-8")
    elif kind == "truncated":
        path.write_bytes(original[: len(original) // 2])
    elif kind == "encrypted-or-xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    elif kind == "docx":
        path.write_bytes((ROOT / "templates" / "khai_sinh.docx").read_bytes())
    elif kind == "cell-far-away":
        path.write_bytes(original)
        _zip_with_cell_far_away(path)
    elif kind == "folder":
        path.mkdir()
    problem = refused(path, outputs)
    assert problem.code == code
    assert problem.message.startswith(f"[{code}] ") and "Traceback" not in problem.message


def test_a_refused_file_does_not_stop_the_others(place, tmp_path):
    outputs, sheets = place
    good = fill(sheets["phuoc-an"], {1: {"handed_on": TODAY}}, target=tmp_path / "tot.xlsx")
    (tmp_path / "hong.xlsx").write_bytes(b"PK\x03\x04 not really")
    result = import_sheets([tmp_path / "hong.xlsx", good], outputs=outputs)
    bad, done = result.files
    assert bad.refusal.code == "E-DELIV-01" and done.refusal is None and done.recorded == 1
    assert result.exit_code == 2


def test_the_command_refuses_a_file_with_a_message_and_exit_2(place, tmp_path):
    outputs, _ = place
    (tmp_path / "a.xlsx").write_text("không phải bảng tính", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", "delivery", "import", str(tmp_path / "a.xlsx"),
         "--outputs", str(outputs)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout.startswith("[E-DELIV-01] Tệp a.xlsx: không đọc được (không phải tệp Excel")
    assert "Traceback" not in done.stdout + done.stderr


def test_ten_thousand_rows_import_whole_and_again_change_nothing(tmp_path):
    """A unit's 10,000 letters of a year in one sheet (written by the sheet writer with every
    row filled in, as a clerk returns it): all recorded in one transaction, then unchanged."""
    count = 10_000
    unit = load_units(ROOT / "inputs" / "units.yaml").unit("phuoc-thanh")
    period = parse_period("2024")
    with Ledger(tmp_path / "ledger.sqlite") as book:
        records = [Record("khai_sinh", "x.xlsx", "S", i + 7,
                          {"reg_no": str(i + 1), "reg_date": date(2024, 1 + i % 12, 1 + i % 28)})
                   for i in range(count)]  # fmt: skip
        for i, reg_id in enumerate(book.record_registrations(unit, records)):
            book.record_letter(reg_id, f"2024/phuoc-thanh/letters/khai_sinh/{i:05d}.docx",
                               "0" * 64, None)  # fmt: skip
    letters = [SheetLetter(letter_reference(unit.scheme, unit.code, "khai_sinh", "1/2024",
                                            str(i + 1)), "khai_sinh", str(i + 1), None,
                           "Anh A và chị B", "thôn Phổ Trạch", TODAY) for i in range(count)]  # fmt: skip
    typed = everything_handed(TODAY)
    filled = {x.reference: typed(i, x.reference) for i, x in enumerate(letters, start=1)}
    folder = unit_folder(tmp_path, period.label, unit.key)
    folder.path.mkdir(parents=True)
    write_sheet(folder.delivery_sheet, SheetInfo.of(unit, period), letters, filled)
    (each,) = import_sheets([folder.delivery_sheet], outputs=tmp_path).files
    assert (each.rows, each.recorded, each.rejected) == (count, count, 0)
    with sqlite3.connect(tmp_path / "ledger.sqlite") as db:
        responses = dict(db.execute("SELECT response, COUNT(*) FROM deliveries GROUP BY 1"))
    assert responses == {"tich_cuc": 8000, "binh_thuong": 2000}
    (again,) = import_sheets([folder.delivery_sheet], outputs=tmp_path).files
    assert (again.rows, again.recorded, again.unchanged) == (count, 0, count)


def test_a_letters_run_keeps_an_unreadable_sheet_aside_and_writes_a_new_one(tmp_path):
    result = run_unit("phuoc-thanh", "2024-11", outputs=tmp_path)
    sheet = result.out_dir / "so_giao_thu.xlsx"
    sheet.write_bytes(b"PK\x03\x04 hong")
    again = run_unit("phuoc-thanh", "2024-11", outputs=tmp_path, regenerate=True)
    kept = list(result.out_dir.glob("so_giao_thu_khong_doc_duoc_*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"PK\x03\x04 hong"
    assert [w.code for w in again.warnings if w.code.startswith("W-DELIV")] == ["W-DELIV-01"]
    assert load_workbook(io.BytesIO(sheet.read_bytes()))[DATA_SHEET].max_row == HEADER_ROW + 33
