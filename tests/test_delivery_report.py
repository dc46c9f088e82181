"""What the delivery records change downstream (issue #14, points 3-4): a ledger made by today's
code gains the delivery tables in place; the letters frame carries each letter's reference and
delivery; the report says made, printed or sent as the data shows, and its section 5 states
handed over out of made, the responses and the letters late — as of the last import, so an
unchanged import never un-approves a report."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from delivery_fixtures import cell, everything_handed, fill
from docx import Document
from openpyxl import load_workbook
from report_fixtures import INPUTS_2024, PILOT, hand_over, pilot_data, pilot_place

import hcpvnd_utils as hc
from hcpvnd_utils.delivery.importer import import_sheets
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.ledger.export import letter_rows
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.report.document import build_report, extract_text
from hcpvnd_utils.report.text import NARRATIVE_KEYS, Narrative, body_blocks
from hcpvnd_utils.report.workbook import write_tables
from hcpvnd_utils.review import drafting
from hcpvnd_utils.review.approve import approve

V2 = Path(__file__).parent / "data" / "ledger_v2_events"
TODAY = date.today()


def text_of(data) -> str:
    return "\n".join(b.text for b in body_blocks(data, Narrative(), ["by_unit", "delivery"]))


# --- the ledger of today's offices -------------------------------------------------------------


def test_a_ledger_made_by_todays_code_gains_the_delivery_tables_in_place(tmp_path):
    shutil.copytree(V2, tmp_path / "v2")
    inputs, outputs = tmp_path / "v2" / "inputs", tmp_path / "v2" / "outputs"
    ledger = outputs / "ledger.sqlite"
    letters = {p: p.read_bytes() for p in outputs.rglob("letters/*/*.docx")}
    with sqlite3.connect(ledger) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        before = db.execute("SELECT * FROM letters ORDER BY id").fetchall()
    assert letter_rows(ledger, date(2024, 9, 1), date(2024, 9, 30)).rows  # read as it is
    result = run_unit("phuoc-thanh", "2024-09", inputs=inputs, outputs=outputs)
    counts = result.summary["counts"]
    assert sum(c["letters"] for c in counts.values()) == 0  # nothing remade
    assert sum(c["already_sent"] for c in counts.values()) == 5
    assert {p: p.read_bytes() for p in letters} == letters
    with sqlite3.connect(ledger) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 4
        after = db.execute("SELECT * FROM letters ORDER BY id").fetchall()
        assert [row[: len(before[0])] for row in after] == before  # letter_ref, variant added
        assert all(row[-2] and row[-1] == "" for row in after)  # each its own ref, no variant
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"deliveries", "delivery_history", "delivery_imports"} <= tables
    sheet = result.out_dir / "so_giao_thu.xlsx"  # the folder had none: written
    assert load_workbook(sheet).active.max_row == 5 + 5
    fill(sheet, everything_handed())
    (each,) = import_sheets([sheet], inputs=inputs, outputs=outputs).files
    assert (each.rows, each.recorded, each.rejected) == (5, 5, 0)
    frame = hc.frames.letters("2024-09", inputs=inputs, outputs=outputs)
    assert frame["handed_on"].notna().all() and (frame["status"] == "final").sum() == 1
    assert set(frame["reference"]) == {cell(sheet, n, "reference") for n in range(1, 6)}


def test_an_older_ledger_read_for_the_frames_has_empty_delivery_columns(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    shutil.copy(V2 / "outputs" / "ledger.sqlite", ledger)
    before = ledger.read_bytes()
    frame = hc.frames.letters("2024-09", outputs=tmp_path, ledger=ledger)
    assert ledger.read_bytes() == before  # read-only: not upgraded
    assert len(frame) == 5 and frame["handed_on"].isna().all() and frame["response"].isna().all()
    assert frame.attrs["delivery_checked"] == {}
    assert frame["reference"].str.match(r"^K[SHT]-21988-1/2024-\d+-[A-Z2-9]{2}$").all()


# --- the report -----------------------------------------------------------------------------------


def test_letters_made_printed_and_handed_over_are_three_facts(tmp_path):
    data = pilot_data(tmp_path, letters={"phuoc-quang": {"khai_sinh": 4}})
    made = text_of(data)
    assert "đã làm Thư chúc mừng cho 04 trường hợp đăng ký khai sinh" in made
    assert "gửi" not in made.replace("gửi thư", "")  # "sent" nowhere but the scheme's name
    with Ledger(tmp_path / "ledger.sqlite") as book:
        book.mark_final(load_unit("phuoc-quang"), PILOT)
    printed = text_of(pilot_data(tmp_path, letters={}))
    assert "đã in Thư chúc mừng cho 04 trường hợp đăng ký khai sinh" in printed
    hand_over(tmp_path / "ledger.sqlite", skip=2)  # two of the four
    partly = text_of(pilot_data(tmp_path, letters={}))
    assert "đã in Thư chúc mừng cho 04" in partly
    assert "Trong đó, 02 thư đã trao cho gia đình" in partly
    assert "đã trao 02/04 thư (50%)" in partly and "Còn 02 thư chưa trao" in partly
    hand_over(tmp_path / "ledger.sqlite")
    sent = text_of(pilot_data(tmp_path, letters={}))
    assert "đã gửi Thư chúc mừng cho 04 trường hợp đăng ký khai sinh" in sent
    assert "Bảng 1. Số thư đã gửi theo đơn vị và loại thư" in sent


def load_unit(key: str):
    from hcpvnd_utils.config import load_units

    return load_units(INPUTS_2024 / "units.yaml").unit(key)


def test_section_5_states_handed_over_responses_and_late_letters_per_event(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    pilot_data(tmp_path)  # 137 letters of the pilot
    with sqlite3.connect(ledger) as db:  # made 30 days ago: late unless handed over
        made = (datetime.now() - timedelta(days=30)).astimezone().isoformat(timespec="seconds")
        db.execute("UPDATE letters SET created_at = ?", (made,))
    hand_over(ledger, skip=10, responses=("tich_cuc", "tich_cuc", "tich_cuc", "binh_thuong",
                                          "tieu_cuc", "khong_y_kien", None))  # fmt: skip
    data = pilot_data(tmp_path, letters={})
    text = text_of(data)
    handed, made_ = sum(data.totals("handed").values()), sum(data.totals().values())
    assert (handed, made_) == (124, 137)
    assert f"(cập nhật đến ngày {TODAY.day:02d}/" in text
    assert "đã trao 124/137 thư (90,5%): thư chúc mừng khai sinh 49/54 (90,7%)" in text
    assert "thư chia buồn 19/21 (90,5%)" in text
    assert "trường hợp gia đình phản ánh tích cực" in text and "phản ánh tiêu cực." in text
    assert "chưa ghi phản ánh" in text
    assert ("Còn 13 thư chưa trao, trong đó 13 thư đã quá 15 ngày kể từ ngày làm thư"
            in text)  # fmt: skip
    assert "Bảng 2. Tình hình trao thư và phản ánh của gia đình theo đơn vị" in text
    assert len(data.late) == 13 and {x["days"] for x in data.late} == {30}
    book = load_workbook(write_tables(data, tmp_path / "bang.xlsx"))
    assert book.sheetnames[-2:] == ["Giao thư", "Thư chưa trao"]
    late = [r for r in book["Thư chưa trao"].iter_rows(min_row=4, values_only=True)]
    assert len(late) == 13 and late[0][1] == data.late[0]["reference"] and late[0][5] == 30
    table = [r for r in book["Giao thư"].iter_rows(min_row=3, values_only=True)]
    assert table[-1][1:] == ("Tổng cộng", 137, 124, 90.5, *_responses(data), 13, 13)
    header, *table = table
    assert header[5:10] == ("Tích cực", "Bình thường", "Tiêu cực", "Không ý kiến", "Chưa ghi")
    assert _responses(data)[-1] > 0  # some letters handed over without a response
    for row in table:  # the responses, "Chưa ghi" included, add up to the letters handed over
        assert sum(row[5:10]) == row[3], row
    document = extract_text(build_report(data, Narrative(), {}, report_day=TODAY))
    assert "| Không ý kiến | Chưa ghi | Chưa trao |" in document
    lines = [line for line in document.splitlines() if "| Tổng cộng | 137 | 124 |" in line]
    assert lines and all(sum(map(int, line.split(" | ")[5:10])) == 124 for line in lines), lines


def _responses(data) -> tuple:
    return tuple(sum(u.responses[c] for u in data.units)
                 for c in ("tich_cuc", "binh_thuong", "tieu_cuc", "khong_y_kien",
                           "chua_ghi"))  # fmt: skip


def test_late_is_counted_as_of_the_last_import_never_the_calendar(tmp_path):
    """Re-importing the same sheet changes nothing, so an approved report stays approved; only a
    sheet that says something new moves the date the figures are as of."""
    place = pilot_place(tmp_path)
    outputs, inputs = place["outputs"], place["inputs"]
    sheets = []
    for unit in ("phuoc-quang", "phuoc-nghia"):
        sheets.append(run_unit(unit, PILOT, inputs=INPUTS_2024, outputs=tmp_path / "runs",
                               ledger=outputs / "ledger.sqlite").out_dir / "so_giao_thu.xlsx")  # fmt: skip
    for sheet in sheets:
        fill(sheet, everything_handed())
    import_sheets(sheets, inputs=inputs, outputs=outputs)
    written = {key: f"Nội dung {key} do chuyên viên viết." for key in NARRATIVE_KEYS}
    first = drafting.run_report(PILOT, inputs=inputs, outputs=outputs, narrative=written,
                                pdf=False)  # fmt: skip
    approve(PILOT, None, "Lê Minh Khang", outputs=outputs, pdf=False, accept_warnings=True)
    import_sheets(sheets, inputs=inputs, outputs=outputs)  # the same files again
    again = drafting.run_report(PILOT, inputs=inputs, outputs=outputs, narrative=written,
                                pdf=False)  # fmt: skip
    assert again.status == "da_duyet", again.messages  # unchanged: still the approved one
    assert first.data.sha256() == again.data.sha256()


def test_the_dispatch_sentence_in_the_pilot_report_comes_from_delivery_records(tmp_path):
    data = pilot_data(tmp_path, delivered=True)
    text = text_of(data)
    assert "đã gửi Thư chúc mừng cho 54 trường hợp đăng ký khai sinh" in text
    assert "đã trao 137/137 thư (100%)" in text
    assert "chưa ghi nhận phản ánh tiêu cực nào" in text
    assert "chưa trao" not in text


@pytest.mark.slow
def test_the_report_document_has_the_delivery_table_and_chart(tmp_path):
    place = pilot_place(tmp_path)
    hand_over(place["outputs"] / "ledger.sqlite", skip=4)
    result = drafting.run_report(PILOT, narrative={}, pdf=False, **place)
    text = extract_text(Document(str(result.draft)))
    assert "STT | Đơn vị | Số thư đã làm | Đã trao | Tỷ lệ đã trao (%) | Tích cực" in text
    assert " | Tổng cộng | 137 | 103 | 75,2 |" in text
    assert "Biểu đồ 4. Thư đã trao và phản ánh của gia đình theo đơn vị" in text
    assert (result.draft.parent / "bieu_do_giao_thu.png").is_file()


def test_the_days_waiting_count_to_the_last_import_not_to_today(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    pilot_data(tmp_path, letters={"phuoc-quang": {"khai_sinh": 3}})
    with sqlite3.connect(ledger) as db:  # made 30 days ago, the sheet imported 20 days ago
        made = (datetime.now() - timedelta(days=30)).astimezone().isoformat(timespec="seconds")
        db.execute("UPDATE letters SET created_at = ?", (made,))
    hand_over(ledger, skip=1)  # nothing handed over: an import of a sheet left blank
    with sqlite3.connect(ledger) as db:
        checked = (datetime.now() - timedelta(days=20)).astimezone().isoformat(timespec="seconds")
        db.execute("UPDATE delivery_imports SET imported_at = ?", (checked,))
    data = pilot_data(tmp_path, letters={})
    assert data.delivery_as_of == (date.today() - timedelta(days=20))
    assert sum(data.totals("waiting").values()) == 3 and data.late == []
    assert "chưa có thư nào quá 15 ngày kể từ ngày làm thư" in text_of(data)
