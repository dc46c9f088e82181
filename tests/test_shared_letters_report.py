"""The report and the analyst's frames count cases ("trường hợp") as the 2024 dispatch does and
say how many letters were each for several of them (issue #17): a real run of the sample's
twins (Phước Hòa, 09/2024), its ledger and summary read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from hcpvnd_utils import frames
from hcpvnd_utils.config import load_units
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.report import text
from hcpvnd_utils.report.data import collect
from hcpvnd_utils.report.tables import results_rows

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
SEPTEMBER = parse_period("2024-09")


@pytest.fixture(scope="module")
def twins_run(tmp_path_factory) -> Path:
    outputs = tmp_path_factory.mktemp("twins")
    run_unit("phuoc-hoa", "2024-09", outputs=outputs)
    return outputs


def test_the_letters_frame_says_which_letter_and_variant(twins_run):
    letters = frames.letters("2024-09", units="phuoc-hoa", outputs=twins_run)
    births = letters[letters["event"] == "khai_sinh"]
    shared = births.groupby("letter_ref").size()
    assert list(shared[shared > 1]) == [2]  # one letter, two rows: the twins
    twins = births[births["letter_ref"] == shared[shared > 1].index[0]]
    assert set(twins["variant"]) == {"sinh_doi"}
    assert set(births["variant"]) == {"", "sinh_doi"}
    deaths = letters[letters["event"] == "khai_tu"]
    assert deaths["variant"].isin(["", "tre_em", "cao_tuoi"]).all()


def test_the_figures_count_cases_and_the_letters_for_several(twins_run):
    figures = frames.figures("2024-09", units="phuoc-hoa", outputs=twins_run)
    row = figures[figures["event"] == "khai_sinh"].iloc[0]
    assert (row["shared_letters"], row["shared_cases"]) == (1, 2)
    assert row["letters"] == row["registrations"]  # every case has its letter
    assert figures.loc[figures["event"] != "khai_sinh", "shared_letters"].eq(0).all()


def test_the_report_says_how_many_letters_were_for_twins(twins_run):
    config = load_units(INPUTS / "units.yaml")
    data = collect(config, SEPTEMBER, "phuoc-hoa", ledger=twins_run / "ledger.sqlite",
                   outputs=twins_run)  # fmt: skip
    cases = data.totals()["khai_sinh"]
    sentences = text.event_sentences(data, "khai_sinh")
    letters, cases_text = text.count_of(cases - 1, "thư"), text.count_of(cases, "trường hợp")
    assert sentences[0] == f"Đã làm {letters} cho {cases_text}."  # none handed over yet
    assert sentences[1] == (
        "Trong đó có 01 thư chung cho 02 trường hợp sinh đôi, sinh ba (mỗi gia đình một thư)."
    )
    headline = text.results_sentences(data)[0]
    assert f"làm Thư chúc mừng cho {text.count_of(cases, 'trường hợp')} đăng ký khai sinh" in (
        headline
    )
    assert headline.endswith(f"tổng cộng {text.count_of(data.documents(), 'thư')}.")
    assert data.documents() == sum(data.totals().values()) - 1
    assert data.as_dict()["units"][0]["shared"] == {"khai_sinh": 1, "ket_hon": 0, "khai_tu": 0}


def test_table_1_counts_the_letters_the_text_and_section_5_count(twins_run):
    """Bảng 1 ("Số thư … theo đơn vị và loại thư") and the console's table are sheets of
    paper, as "tổng cộng … thư" and section 5 are: the twins' letter once."""
    data = collect(load_units(INPUTS / "units.yaml"), SEPTEMBER, "phuoc-hoa",
                   ledger=twins_run / "ledger.sqlite", outputs=twins_run)  # fmt: skip
    _, rows = results_rows(data)
    total = rows[-1]
    assert total[-1] == data.documents() == sum(data.made().values())
    assert total[2] == data.totals()["khai_sinh"] - 1  # two twins, one letter
    assert data.frames.delivery["letters"].sum() == data.documents()


def test_without_letters_for_twins_the_snapshot_is_as_before(tmp_path):
    """An approval made before issue 17 recorded the sha256 of a snapshot without the new
    keys: a period without shared letters gives that same snapshot."""
    run_unit("phuoc-quang", "2024-03", outputs=tmp_path)
    data = collect(load_units(INPUTS / "units.yaml"), parse_period("2024-03"), "phuoc-quang",
                   ledger=tmp_path / "ledger.sqlite", outputs=tmp_path)  # fmt: skip
    unit = data.as_dict()["units"][0]
    assert "shared" not in unit and "shared_cases" not in unit
    assert text.event_sentences(data, "khai_sinh")[0].startswith("Đã làm 09 thư.")
