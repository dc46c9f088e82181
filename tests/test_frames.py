"""The analyst's frames (``hcpvnd_utils.frames``), checked on a real run of the sample (Excel in,
.docx and SQLite out): a row per register row and per letter, typed columns in the report's order,
the same figures as the report's tables and .xlsx, names only when asked; and every bad source
— no run yet, an empty, missing, broken, older or newer ledger, a truncated or older summary —
an empty frame with its columns and a Vietnamese note, never an exception."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from report_fixtures import INPUTS_2024, INPUTS_2025, PILOT, record_letters

import hcpvnd_utils as hc
from hcpvnd_utils import frames
from hcpvnd_utils.config import load_units
from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.records import EVENTS, OUTCOMES
from hcpvnd_utils.report.data import collect
from hcpvnd_utils.report.tables import registrations_rows, results_rows
from hcpvnd_utils.report.workbook import write_tables

ROOT = Path(__file__).resolve().parents[1]
LEDGER_V1 = ROOT / "tests" / "data" / "ledger_v1.sqlite"
PILOT_UNITS = ("phuoc-quang", "phuoc-nghia")
UNIT_ORDER = list(load_units(INPUTS_2024 / "units.yaml").units)


@pytest.fixture(scope="module")
def pilot(tmp_path_factory) -> Path:
    """The pilot months of the two pilot communes, run for real (letters, ledger, summaries)."""
    outputs = tmp_path_factory.mktemp("pilot") / "outputs"
    for unit in PILOT_UNITS:
        run_unit(unit, PILOT, outputs=outputs, today=date(2024, 6, 5))
    return outputs


def where(outputs: Path, **more) -> dict:
    return {"outputs": outputs, "ledger": outputs / "ledger.sqlite", **more}


def summary_of(outputs: Path, unit: str) -> dict:
    path = outputs / PILOT.label / unit / "summary.json"
    return json.loads(path.read_text(encoding="utf-8"))


def notes(frame) -> str:
    return "\n".join(frame.attrs["notes"])


# ---------------------------------------------------------------- on a real run


def test_registrations_has_a_row_per_register_row_read(pilot):
    table = frames.registrations(PILOT.argument, **where(pilot))
    for unit in PILOT_UNITS:
        counts = summary_of(pilot, unit)["counts"]
        mine = table[table["unit"] == unit]
        assert len(mine) == sum(c["rows"] for c in counts.values())
        found = mine.groupby(["event", "outcome"], observed=False).size()
        for event in EVENTS:
            assert found[(event, "letter")] == counts[event]["letters"]
            assert found[(event, "rejected")] == counts[event]["rejected"]
            assert found[(event, "not_eligible")] == counts[event]["not_eligible"]
    letters = table[table["outcome"] == "letter"]
    assert letters["reg_date"].between("2024-03-01", "2024-05-31").all()
    assert letters["file"].str.match(r".+\.(xlsx|xls|csv)$").all() and (letters["row"] > 1).all()
    assert letters["code"].isna().all()
    others = table[table["outcome"] != "letter"]
    assert others["code"].str.match(r"[ER]-[A-Z]+-\d\d").all()
    births = letters[letters["event"] == "khai_sinh"]
    assert (births["event_date"] <= births["reg_date"]).all() and births["event_date"].notna().all()
    marriages = letters[letters["event"] == "ket_hon"]
    assert (marriages["event_date"] == marriages["reg_date"]).all()
    assert table.attrs["notes"] == []


def test_columns_are_typed_in_the_report_order(pilot):
    table = frames.registrations(PILOT.argument, **where(pilot))
    assert list(table.columns) == list(frames.REGISTRATIONS)
    assert table["reg_date"].dtype == "datetime64[ns]" and table["row"].dtype == "Int64"
    assert list(table["unit"].cat.categories) == UNIT_ORDER and table["unit"].cat.ordered
    assert (
        list(table["event"].cat.categories) == list(EVENTS) == ["khai_sinh", "ket_hon", "khai_tu"]
    )
    assert list(table["outcome"].cat.categories) == list(OUTCOMES)
    pivot = table.pivot_table(index="unit", columns="event", values="row", aggfunc="count",
                              observed=True)  # fmt: skip
    assert list(pivot.index) == ["phuoc-quang", "phuoc-nghia"]  # units file order, not a-z


def test_no_names_unless_asked_and_then_those_of_the_registers(pilot):
    plain = frames.registrations(PILOT.argument, **where(pilot))
    assert not {"child_full_name", "deceased_pid", "message"} & set(plain.columns)
    named = frames.registrations(PILOT.argument, names=True, **where(pilot))
    assert list(named.columns) == [*frames.REGISTRATIONS, *frames.NAME_COLUMNS]
    births = named[(named["event"] == "khai_sinh") & (named["outcome"] == "letter")]
    assert births["child_full_name"].notna().all() and births["deceased_full_name"].isna().all()
    letter = summary_of(pilot, "phuoc-quang")["letters"][0]
    row = named[(named["unit"] == "phuoc-quang") & (named["number"] == letter["number"])
                & (named["event"] == letter["event"])].iloc[0]  # fmt: skip
    subject = row["child_full_name"] if letter["event"] == "khai_sinh" else row["husband_full_name"]
    from hcpvnd_utils.letters.files import ascii_slug

    assert Path(letter["file"]).stem.split("_", 1)[1].startswith(ascii_slug(subject)[:10])
    rejected = named[named["outcome"] != "letter"]
    assert rejected["message"].str.startswith("[").all()


def test_a_register_changed_since_the_run_gets_no_name_on_the_wrong_row(pilot, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS_2024, inputs, ignore=shutil.ignore_patterns("gia-lai-2025"))
    first = summary_of(pilot, "phuoc-nghia")["letters"][0]
    export = inputs / "phuoc-nghia" / first["source_file"]
    book = load_workbook(export)
    sheet = book[first["sheet"]]
    sheet.insert_rows(first["row"])  # a row inserted above: every row below moves down one
    book.save(export)

    named = frames.registrations(PILOT.argument, names=True, inputs=inputs, **where(pilot))

    moved = named[(named["unit"] == "phuoc-nghia") & (named["file"] == first["source_file"])
                  & (named["sheet"] == first["sheet"]) & (named["row"] >= first["row"])]  # fmt: skip
    assert len(moved) and moved[list(frames.NAME_COLUMNS)[:-1]].isna().all().all()
    assert "[W-FRAMES-08] Danh sách đăng ký của xã Phước Nghĩa đã thay đổi" in notes(named)
    others = named[named["unit"] == "phuoc-quang"]
    assert others["child_full_name"].notna().any()


def test_letters_are_the_ledgers_with_days_to_letter(pilot):
    table = frames.letters(PILOT.argument, **where(pilot))
    assert list(table.columns) == list(frames.LETTERS)
    assert len(table) == 54 + 62 + 21  # the 2024 dispatch's pilot letters
    assert table.groupby("event", observed=False).size().to_dict() == {
        "khai_sinh": 54, "ket_hon": 62, "khai_tu": 21,
    }  # fmt: skip
    assert set(table["status"]) == {"made"} and set(table["run_period"]) == {PILOT.label}
    made_on = table["made_at"].dt.normalize()
    assert (table["days_to_letter"] == (made_on - table["reg_date"]).dt.days).all()
    assert table["made_at"].dt.date.max() == date.today()
    with Ledger(pilot / "ledger.sqlite") as book:
        unit = load_units(INPUTS_2024 / "units.yaml").unit("phuoc-quang")
        ids = {row["letter_id"] for row in book.letters_for(unit, PILOT)}
    assert set(table.loc[table["unit"] == "phuoc-quang", "letter_id"]) == ids


def test_figures_are_the_reports_table_and_workbook(pilot, tmp_path):
    """The analysis notebook and the report cannot disagree: same numbers, cell by cell."""
    figures = frames.figures(PILOT.argument, **where(pilot))
    data = collect(load_units(INPUTS_2024 / "units.yaml"), PILOT, None,
                   ledger=pilot / "ledger.sqlite", outputs=pilot)  # fmt: skip
    assert len(figures) == 13 * 3 and list(figures.columns) == list(frames.FIGURES)
    _, results = results_rows(data)
    shown = figures[figures["letters"].groupby(figures["unit"], observed=True).transform("sum") > 0]
    pivot = shown.pivot_table(index="unit", columns="event", values="letters", observed=True)
    assert [row[2:5] for row in results[:-1]] == pivot[list(EVENTS)].values.tolist()
    assert results[-1][2:5] == [54, 62, 21]
    _, registered = registrations_rows(data)
    frame_rows = [
        [r.registrations, r.letters, r.rejected, r.not_eligible, r.coverage]
        for r in figures[figures["unit"].isin(PILOT_UNITS)].itertuples()
    ]
    assert [row[3:] for row in registered] == frame_rows
    workbook = load_workbook(write_tables(data, tmp_path / "bang.xlsx"))
    sheet = [list(r)[3:] for r in workbook["Đăng ký và thư"].iter_rows(min_row=4, values_only=True)]
    assert sheet == frame_rows
    quang = figures[(figures["unit"] == "phuoc-quang") & (figures["event"] == "khai_sinh")].iloc[0]
    assert quang["coverage"] == round(100 * quang["letters"] / quang["registrations"], 1)
    assert (
        quang["pilot"]
        and quang["implementing"]
        and quang["plan_issued"] == pd.Timestamp("2024-02-05")
    )


def test_the_analysis_tables_add_up_to_the_figures(pilot):
    reg = frames.registrations(PILOT.argument, **where(pilot))
    let = frames.letters(PILOT.argument, **where(pilot))
    fig = frames.figures(PILOT.argument, **where(pilot))
    coverage = hc.analysis.coverage(fig)
    assert coverage.loc["Tổng cộng", ("Khai sinh", "Thư")] == 54
    assert coverage.loc["Phước Quang", ("Kết hôn", "Thư")] == len(
        let[(let["unit"] == "phuoc-quang") & (let["event"] == "ket_hon")])  # fmt: skip
    assert list(coverage.index) == ["Phước Quang", "Phước Nghĩa", "Tổng cộng"]  # as the report
    quang = fig[(fig["unit"] == "phuoc-quang") & (fig["event"] == "khai_tu")].iloc[0]
    assert coverage.loc["Phước Quang", ("Khai tử", "Tỷ lệ (%)")] == quang["coverage"]
    timely = hc.analysis.timeliness(let)
    assert timely.loc["Tổng cộng", "Số thư"] == 137
    assert timely.loc["Phước Quang", "Trung vị (ngày)"] == let.loc[
        let["unit"] == "phuoc-quang", "days_to_letter"].median()  # fmt: skip
    months = hc.analysis.by_month(let)
    assert list(months.index) == ["3/2024", "4/2024", "5/2024"]
    assert months["Tổng số thư"].sum() == 137
    assert hc.analysis.rollout_share(fig) == (
        "02/13 xã, thị trấn đã triển khai gửi thư đến ngày 31/5/2024 (15,4%); "
        "mục tiêu 100% đến ngày 01/9/2024."
    )  # the report's "02/13 xã, thị trấn đã triển khai gửi thư …, đạt 15,4%"
    errors = hc.analysis.reasons(reg)
    assert errors["Tổng"].sum() == (reg["outcome"] == "rejected").sum()


# ---------------------------------------------------------------- bad sources


def test_a_period_with_no_run_yet_gives_empty_frames_with_their_columns(tmp_path):
    out = tmp_path / "empty"
    reg = frames.registrations("2024-09", **where(out))
    let = frames.letters("2024-09", **where(out))
    fig = frames.figures("2024-09", **where(out))
    assert reg.empty and list(reg.columns) == list(frames.REGISTRATIONS)
    assert reg["reg_date"].dtype == "datetime64[ns]" and reg["unit"].dtype.name == "category"
    assert let.empty and list(let.columns) == list(frames.LETTERS)
    assert list(fig.columns) == list(frames.FIGURES) and fig["registrations"].isna().all()
    assert (fig["letters"] == 0).all()
    assert "[W-FRAMES-01] Chưa có kết quả làm thư kỳ từ ngày 01/9/2024" in notes(reg)
    assert "[W-FRAMES-03] Chưa có sổ theo dõi thư" in notes(let)
    assert not (out / "ledger.sqlite").exists()  # looking creates nothing
    for table in (hc.analysis.coverage(fig), hc.analysis.timeliness(let),
                  hc.analysis.by_month(let), hc.analysis.reasons(reg), hc.analysis.rollout(fig)):  # fmt: skip
        assert len(table.columns)
    for chart in (hc.analysis.coverage_chart(fig), hc.analysis.timeliness_chart(let),
                  hc.analysis.by_month_chart(let), hc.analysis.reasons_chart(reg),
                  hc.analysis.rollout_over_time(fig)):  # fmt: skip
        assert chart._repr_png_().startswith(b"\x89PNG")


def test_a_unit_that_never_sent_letters_is_a_row_of_zeros_without_a_note(tmp_path):
    record_letters(tmp_path / "ledger.sqlite", {"phuoc-quang": {"khai_sinh": 2}})
    fig = frames.figures(PILOT.argument, units="phuoc-quang,phuoc-thanh", **where(tmp_path))
    thanh = fig[fig["unit"] == "phuoc-thanh"]
    assert list(thanh["letters"]) == [0, 0, 0] and not thanh["implementing"].any()
    assert "Phước Thành" not in notes(fig)  # not sending yet: no run is due
    assert "xã Phước Quang" in notes(fig)  # sending, no run of the period yet
    assert list(fig["unit"].cat.categories) == ["phuoc-quang", "phuoc-thanh"]


def test_an_empty_ledger_gives_no_letters_and_says_so(tmp_path):
    Ledger(tmp_path / "ledger.sqlite").close()
    table = frames.letters(PILOT.argument, **where(tmp_path))
    assert table.empty and list(table.columns) == list(frames.LETTERS)
    assert "[I-FRAMES-01] Sổ theo dõi thư" in notes(table)


def test_a_truncated_summary_is_named_and_left_out(pilot, tmp_path):
    out = tmp_path / "outputs"
    shutil.copytree(pilot, out)
    path = out / PILOT.label / "phuoc-nghia" / "summary.json"
    path.write_bytes(path.read_bytes()[:500])

    reg = frames.registrations(PILOT.argument, **where(out))
    fig = frames.figures(PILOT.argument, **where(out))

    assert set(reg["unit"]) == {"phuoc-quang"}
    assert fig.loc[fig["unit"] == "phuoc-nghia", "registrations"].isna().all()
    assert f"[W-FRAMES-02] Tệp {path} không dùng được (tệp bị cắt ngang" in notes(reg)
    assert "hcpvnd letters --unit phuoc-nghia --period 2024-03-01..2024-05-31" in notes(fig)
    data = collect(load_units(INPUTS_2024 / "units.yaml"), PILOT, None,
                   ledger=out / "ledger.sqlite", outputs=out)  # fmt: skip
    assert any(n.startswith("[W-FRAMES-02]") for n in data.notes)  # the report says it too


def test_a_summary_of_an_older_version_still_gives_its_rows(pilot, tmp_path):
    out = tmp_path / "outputs"
    shutil.copytree(pilot, out)
    path = out / PILOT.label / "phuoc-quang" / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    old_letter = {"event", "file", "registration_no", "registration_date"}
    old_other = {"event", "file", "sheet", "row", "column", "code", "message"}
    summary["letters"] = [
        {k: v for k, v in e.items() if k in old_letter} for e in summary["letters"]
    ]
    summary["rejected"] = [
        {k: v for k, v in e.items() if k in old_other} for e in summary["rejected"]
    ]
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")

    old = frames.registrations(PILOT.argument, **where(out))
    new = frames.registrations(PILOT.argument, **where(pilot))

    mine = old[old["unit"] == "phuoc-quang"]
    assert len(mine) == len(new[new["unit"] == "phuoc-quang"])
    assert mine["outcome"].value_counts().equals(
        new[new["unit"] == "phuoc-quang"]["outcome"].value_counts())  # from the codes  # fmt: skip
    assert mine.loc[mine["outcome"] == "letter", "file"].isna().all()
    assert mine.loc[mine["outcome"] == "letter", "number"].notna().all()
    assert (
        "[W-FRAMES-05] Kết quả làm thư kỳ từ ngày 01/3/2024 đến ngày 31/5/2024 của xã Phước Quang"
        in notes(old)
    )


def test_a_summary_edited_by_hand_is_flagged(pilot, tmp_path):
    out = tmp_path / "outputs"
    shutil.copytree(pilot, out)
    path = out / PILOT.label / "phuoc-quang" / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["letters"] = summary["letters"][:-3]
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    reg = frames.registrations(PILOT.argument, **where(out))
    assert "[W-FRAMES-07]" in notes(reg) and "tệp có thể đã bị sửa tay" in notes(reg)


def test_a_summary_with_values_of_the_wrong_kind_gives_empty_cells_not_an_exception(
    pilot, tmp_path
):
    out = tmp_path / "outputs"
    shutil.copytree(pilot, out)
    path = out / PILOT.label / "phuoc-quang" / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    letters = summary["letters"]
    letters[0]["row"], letters[1]["event"] = "mười hai", "sinh_nhat"
    letters[2]["registration_date"], letters[3]["number"] = 20240304, {"so": 5}
    del letters[4]["file"], letters[4]["source_file"]
    summary["rejected"][0] = {"message": "không có sự kiện, không có mã"}
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")

    reg = frames.registrations(PILOT.argument, **where(out))

    mine = reg[reg["unit"] == "phuoc-quang"].reset_index(drop=True)
    assert pd.isna(mine.loc[0, "row"]) and pd.isna(mine.loc[1, "event"])
    assert pd.isna(mine.loc[2, "reg_date"]) and mine.loc[3, "number"] == "{'so': 5}"
    assert pd.isna(mine.loc[4, "file"]) and mine.loc[5, "row"] > 1
    assert "[W-FRAMES-07]" in notes(reg)  # one row fewer listed than counted
    path.write_text(json.dumps({**summary, "counts": ["hỏng"]}), encoding="utf-8")
    fig = frames.figures(PILOT.argument, **where(out))
    assert "thiếu mục counts" in notes(fig)
    assert fig.loc[fig["unit"] == "phuoc-quang", "registrations"].isna().all()


def test_a_ledger_made_by_the_version_of_issue_15_is_read_as_it_is(tmp_path):
    ledger = tmp_path / "ledger_v1.sqlite"
    shutil.copy(LEDGER_V1, ledger)
    before = ledger.read_bytes()

    table = frames.letters("2024", outputs=tmp_path, ledger=ledger)

    assert ledger.read_bytes() == before  # read-only: not upgraded, not touched
    assert len(table) == 7 and notes(table) == ""
    assert table["status"].value_counts().to_dict() == {"made": 5, "final": 1, "purged": 1}
    quang = table[table["unit"] == "phuoc-quang"]
    assert set(quang["run_period"]) == {PILOT.label} and table["run"].isna().sum() == 2
    assert list(quang["number"]) == ["1", "2", "1", "1", "3"] and set(table["book"]) == {"1/2024"}
    pilot = frames.figures(PILOT.argument, outputs=tmp_path, ledger=ledger)
    assert pilot.groupby("unit", observed=True)["letters"].sum().to_dict()["phuoc-quang"] == 4


@pytest.mark.parametrize(
    "content, code",
    [(b"not a database at all" * 100, "E-LEDGER-01"), (None, "E-LEDGER-02")],
    ids=["not-sqlite", "newer-version"],
)
def test_an_unreadable_ledger_is_a_note_for_the_analyst_and_an_error_for_the_report(
    tmp_path, content, code
):
    ledger = tmp_path / "ledger.sqlite"
    if content is None:
        shutil.copy(LEDGER_V1, ledger)
        with sqlite3.connect(ledger) as db:
            db.execute("PRAGMA user_version = 99")
    else:
        ledger.write_bytes(content)
    table = frames.letters(PILOT.argument, outputs=tmp_path, ledger=ledger)
    assert table.empty and notes(table).startswith(f"[{code}] ")
    with pytest.raises(HcpvndError) as stopped:  # a report must not show zero letters instead
        collect(load_units(INPUTS_2024 / "units.yaml"), PILOT, None, ledger=ledger,
                outputs=tmp_path)  # fmt: skip
    assert stopped.value.code == code


def test_letters_of_units_the_units_file_does_not_know_are_counted_in_a_note(tmp_path):
    record_letters(tmp_path / "ledger.sqlite", {"phuoc-quang": {"khai_sinh": 3}})
    table = frames.letters(PILOT.argument, inputs=INPUTS_2025, **where(tmp_path))
    assert table.empty
    assert "[W-FRAMES-06] 3 thư trong sổ theo dõi thư" in notes(table)
    assert "[W-FRAMES-09] Kỳ từ ngày 01/3/2024 đến ngày 31/5/2024 nằm ngoài" in notes(table)


def test_the_period_and_units_take_every_form_the_command_line_takes(pilot):
    for period in ("2024-03-01..2024-05-31", PILOT):
        for units in (None, "", "all", ["phuoc-nghia", "phuoc-quang"], "phuoc-quang,phuoc-nghia"):
            table = frames.letters(period, units=units, **where(pilot))
            assert len(table) == 137
    with pytest.raises(HcpvndError, match=r"\[E-PERIOD-01\]"):
        frames.letters("2024-13", **where(pilot))
    with pytest.raises(HcpvndError, match=r"\[E-CONF-03\]"):
        frames.letters(PILOT, units="phuoc-xyz", **where(pilot))


# ---------------------------------------------------------------- where pandas is imported


def test_pandas_is_imported_only_on_the_analysis_and_report_paths():
    code = (
        "import sys; import hcpvnd_utils as hc; light = 'pandas' not in sys.modules; "
        "hc.frames; print(light, 'pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True"]


def test_a_report_never_reads_the_registers(tmp_path):
    """frames may read the registers for names=True; the report, built from frames, never does."""
    record_letters(tmp_path / "ledger.sqlite", {"phuoc-quang": {"khai_sinh": 2}})
    code = (
        "import sys; from datetime import date; from hcpvnd_utils.review.drafting import run_report; "
        f"run_report('{PILOT.argument}', outputs={str(tmp_path)!r}, narrative={{}}, pdf=False, "
        "today=date(2024, 6, 5)); "
        "print(sorted(m for m in sys.modules if m.startswith(('hcpvnd_utils.ingest', "
        "'hcpvnd_utils.validate', 'hcpvnd_utils.frames.names'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)  # fmt: skip
    assert done.stdout.strip() == "[]"
