"""The synthetic sample under inputs/: reproducible to the byte, equal to what the generator
writes (nobody edits it by hand), the 2024 dispatch's pilot figures, synthetic IDs only.

Files are read back with openpyxl and the csv module only: the sample must not depend on the
reader it is meant to test.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(SCRIPTS))

import make_sample
import sample_names

from hcpvnd_utils.ingest.legacy import encode_cp1258 as to_cp1258
from hcpvnd_utils.periods import short_date

INPUTS = ROOT / "inputs"
HIERARCHIES = {
    "2024": (INPUTS / "units.yaml", INPUTS, "2024-12-31"),
    "2025": (INPUTS / "gia-lai-2025" / "units.yaml", INPUTS / "gia-lai-2025", "2025-09-30"),
}
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def generate(hierarchy: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    units, _, end = HIERARCHIES[hierarchy]
    command = [sys.executable, str(SCRIPTS / "make_sample.py"), "--units", str(units)]
    command += ["--out", str(out), "--end", end, *extra]
    return subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT)


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file the generator owns there: the unit folders and the manifest."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and (relative.count("/") == 1 or path.name == make_sample.MANIFEST):
            found[relative] = path.read_bytes()
    return found


def committed_files(hierarchy: str) -> dict[str, bytes]:
    units_file, folder, _ = HIERARCHIES[hierarchy]
    keys = {line.split(":")[0].strip() for line in units_file.read_text("utf-8").splitlines()
            if re.match(r"^  [a-z0-9-]+:\s*$", line)}  # fmt: skip
    found = files_under(folder)
    return {
        name: data for name, data in found.items() if "/" not in name or name.split("/")[0] in keys
    }


@pytest.fixture(scope="module", params=sorted(HIERARCHIES))
def two_runs(request, tmp_path_factory):
    runs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(f"{request.param}-{name}")
        result = generate(request.param, out)
        assert result.returncode == 0, result.stderr
        runs.append(files_under(out))
    return request.param, runs


def test_same_seed_gives_identical_bytes(two_runs):
    _, (first, second) = two_runs
    assert len([name for name in first if name.endswith((".xlsx", ".csv"))]) > 20
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_committed_sample_equals_a_fresh_generation(two_runs):
    hierarchy, (fresh, _) = two_runs
    committed = committed_files(hierarchy)
    missing = sorted(fresh.keys() - committed.keys())
    extra = sorted(committed.keys() - fresh.keys())
    changed = sorted(
        name for name in fresh.keys() & committed.keys() if fresh[name] != committed[name]
    )
    hint = f"inputs/ differs from scripts/make_sample.py ({hierarchy}): regenerate, never edit"
    assert (missing, extra, changed) == ([], [], []), hint


def test_units_only_writes_what_a_full_run_writes(two_runs, tmp_path):
    hierarchy, (fresh, _) = two_runs
    if hierarchy != "2025":
        pytest.skip("checked on the small post-2025 sample")
    for keys in ("tuy-phuoc-dong,tuy-phuoc-tay", "tuy-phuoc,tuy-phuoc-bac"):
        assert generate(hierarchy, tmp_path, "--units-only", keys).returncode == 0
    assert files_under(tmp_path) == fresh


def test_check_mode_finds_a_hand_edited_file(tmp_path):
    for name, data in committed_files("2025").items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert generate("2025", tmp_path, "--check").returncode == 0
    edited = tmp_path / "tuy-phuoc" / "khai_tu_2025-08.xlsx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    result = generate("2025", tmp_path, "--check")
    assert result.returncode == 1
    assert "differs: " in result.stdout and "khai_tu_2025-08.xlsx" in result.stdout


def test_unknown_unit_is_refused(tmp_path):
    result = generate("2024", tmp_path, "--units-only", "phuoc-quang,phuoc-xyz")
    assert result.returncode == 2
    assert "phuoc-xyz" in result.stderr
    assert not any(tmp_path.iterdir())


# -- the committed sample, read back -------------------------------------------------------


def manifest(hierarchy: str) -> dict:
    _, folder, _ = HIERARCHIES[hierarchy]
    return json.loads((folder / make_sample.MANIFEST).read_text(encoding="utf-8"))


def test_pilot_reproduces_the_2024_dispatch():
    pilot = manifest("2024")["pilot"]
    assert pilot["period"] == "2024-03-01..2024-05-31"
    assert pilot["units"] == ["phuoc-quang", "phuoc-nghia"]
    assert pilot["letters"] == {"khai_sinh": 54, "ket_hon": 62, "khai_tu": 21}
    # rows that must not get a letter come on top of the dispatch's figures
    assert all(pilot["rows"][event] > pilot["letters"][event] for event in pilot["letters"])
    assert manifest("2025")["pilot"] is None


@pytest.mark.parametrize("hierarchy", sorted(HIERARCHIES))
def test_outcomes_add_up_to_rows(hierarchy):
    data = manifest(hierarchy)
    outcomes = data["outcomes"]
    for unit in data["units"].values():
        for entry in unit["files"]:
            assert sum(entry["outcomes"].values()) == entry["rows"]
            assert entry["data_rows"][1] - entry["data_rows"][0] + 1 == entry["rows"]
        assert sum(unit["totals"][name] for name in outcomes) == unit["totals"]["rows"]
    assert sum(data["totals"][name] for name in outcomes) == data["totals"]["rows"]


def test_every_kind_of_excluded_row_is_in_the_sample():
    reasons = {
        (special["outcome"], special["reason"] or special["warning"])
        for unit in manifest("2024")["units"].values()
        for entry in unit["files"]
        for special in entry["specials"]
    }
    assert reasons >= {
        ("not_eligible", "birth_registered_after_12_months"),
        ("not_eligible", "death_registered_after_90_days"),
        ("not_eligible", "child_death_registered_same_month"),
        ("out_of_period", "reg_date_outside_file_period"),
        ("duplicate", "same_book_and_number"),
        ("rejected", "invalid_reg_date"),
        ("rejected", "invalid_child_dob"),
        ("rejected", "missing_reg_date"),
        ("letter", "id_lost_leading_zero"),
        ("letter", "death_of_child_born_same_month"),
    }


def read_sheets(path: Path) -> dict[str, list[list]]:
    """Sheet name ("" for a CSV) -> rows of cell values, row 1 first."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = unicodedata.normalize("NFC", data.decode("cp1258"))
        first = text.split("\r\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return {"": [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]}
    workbook = load_workbook(path)
    return {
        ws.title: [list(r) for r in ws.iter_rows(min_row=1, values_only=True)] for ws in workbook
    }


@pytest.fixture(scope="module")
def sample_sheets():
    """(hierarchy, unit, manifest entry, rows of the sheet) for every sheet of the sample."""
    found = []
    for hierarchy, (_, folder, _) in HIERARCHIES.items():
        for key, unit in manifest(hierarchy)["units"].items():
            cache = {}
            for entry in unit["files"]:
                if entry["file"] not in cache:
                    cache[entry["file"]] = read_sheets(folder / key / entry["file"])
                found.append((hierarchy, key, entry, cache[entry["file"]][entry["sheet"]]))
    return found


def header_texts(entry: dict, rows: list[list]) -> list[list[str]]:
    return [
        [unicodedata.normalize("NFC", str(v)) for v in rows[r - 1] if v not in (None, "")]
        for r in entry["header_rows"]
    ]


def test_files_hold_what_the_manifest_says(sample_sheets):
    for _, key, entry, rows in sample_sheets:
        first, last = entry["data_rows"]
        where = f"{key}/{entry['file']} {entry['sheet']}"
        assert all(row[0] not in (None, "") for row in rows[first - 1 : last]), where
        total = unicodedata.normalize("NFC", str(rows[last][0]))
        assert total == f"Tổng cộng: {entry['rows']:02d} trường hợp", where
        start, end = (date.fromisoformat(day) for day in entry["stated_period"])
        title = f"Từ ngày {short_date(start)} đến ngày {short_date(end)}"
        titles = [unicodedata.normalize("NFC", str(row[0])) for row in rows[: first - 1]]
        assert title in titles, where


def test_headers_are_among_the_documented_variants(sample_sheets):
    documented = set()
    for fields in make_sample.HEADER_VARIANTS.values():
        for headers in fields.values():
            for header in headers:
                documented.update(header if isinstance(header, tuple) else [header])
    seen = set()
    for _, key, entry, rows in sample_sheets:
        for line in header_texts(entry, rows):
            assert set(line) <= documented, f"{key}/{entry['file']}: {set(line) - documented}"
            seen.update(line)
    assert seen == documented  # every documented wording is really used
    for dropped in ("Dân tộc", "Quốc tịch", "Nơi chết", "Nguyên nhân chết", "Số giấy báo tử"):
        assert dropped in seen


def pid_headers() -> set[str]:
    return {
        header[-1] if isinstance(header, tuple) else header
        for fields in make_sample.HEADER_VARIANTS.values()
        for name, headers in fields.items()
        if name.endswith("_pid")
        for header in headers
    }


def test_id_columns_hold_synthetic_ids_only(sample_sheets):
    ids = pid_headers()
    found = 0
    for _, key, entry, rows in sample_sheets:
        columns = {
            c
            for r in entry["header_rows"]
            for c, value in enumerate(rows[r - 1])
            if value and unicodedata.normalize("NFC", str(value)) in ids
        }
        assert columns, f"{key}/{entry['file']}: no ID column"
        first, last = entry["data_rows"]
        for row in rows[first - 1 : last]:
            for c in columns:
                value = row[c]
                if value in (None, ""):
                    continue
                text = str(value)
                found += 1
                # a lost leading zero leaves 11 digits starting 99 (a warning, not an error)
                assert re.fullmatch(r"099\d{9}|99\d{9}", text), f"{key}/{entry['file']}: {text}"
    assert found > 2500


def test_no_twelve_digit_number_outside_the_099_prefix(sample_sheets):
    texts = [str(value) for *_, rows in sample_sheets for row in rows for value in row]
    texts += [path.read_text(encoding="utf-8") for path in INPUTS.rglob("*")
              if path.suffix in (".json", ".md", ".yaml")]  # fmt: skip
    numbers = [number for text in texts for number in TWELVE_DIGITS.findall(text)]
    assert len(numbers) > 2500
    assert [number for number in numbers if not number.startswith("099")] == []


def test_pilot_units_have_a_letter_row_for_every_dispatch_case(sample_sheets):
    letters = {"khai_sinh": 0, "ket_hon": 0, "khai_tu": 0}
    for hierarchy, key, entry, _ in sample_sheets:
        pilot = hierarchy == "2024" and key in ("phuoc-quang", "phuoc-nghia")
        if pilot and entry["month"] in ("2024-03", "2024-04", "2024-05"):
            letters[entry["event"]] += entry["outcomes"]["letter"]
    assert letters == make_sample.DISPATCH


# -- pieces of the generator ---------------------------------------------------------------


def test_windows_1258_files_round_trip():
    cp1258 = [path for path in INPUTS.rglob("*.csv") if not path.read_bytes().startswith(b"\xef")]
    legacy = []
    for path in cp1258:
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(path)
    assert legacy, "no Windows-1258 CSV in the sample"
    for path in legacy:
        text = unicodedata.normalize("NFC", path.read_bytes().decode("cp1258"))
        assert text.startswith("ỦY BAN NHÂN DÂN XÃ")
        assert to_cp1258(text) == path.read_bytes()


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Thị Hường", "Phước Hòa, Hoà", "ỦY BAN NHÂN DÂN", "Đặng Văn Ỷ", "khu phố Trung Tín"],
)
def test_to_cp1258_round_trips(text):
    assert unicodedata.normalize("NFC", to_cp1258(text).decode("cp1258")) == text


def test_every_word_of_the_lists_fits_windows_1258():
    words = [*sample_names.SURNAMES, *sample_names.MIDDLE_MALE, *sample_names.MIDDLE_FEMALE,
             *sample_names.GIVEN_MALE, *sample_names.GIVEN_FEMALE, *sample_names.GIVEN_MALE_YOUNG,
             *sample_names.GIVEN_FEMALE_YOUNG]  # fmt: skip
    for word in words:
        assert unicodedata.is_normalized("NFC", word)
        assert unicodedata.normalize("NFC", to_cp1258(word).decode("cp1258")) == word


class FakeUnitsConfig:
    scheme, province, aggregator = "vn-admin-pre-2025", "Bình Định", None

    def __init__(self):
        unit = type("Unit", (), {"key": "phuoc-quang", "type": "xã", "name": "Phước Quang"})
        self.units = {"phuoc-quang": unit}


def people(seed: int = 7) -> sample_names.People:
    config = FakeUnitsConfig()
    return sample_names.People(random.Random(seed), config, config.units["phuoc-quang"], 4)


@pytest.mark.parametrize(
    ("sex", "year", "start"),
    [("Nam", 1985, "099085"), ("Nữ", 1985, "099185"), ("Nam", 2024, "099224"),
     ("Nữ", 2024, "099324"), ("Nữ", 1900, "099100")],
)  # fmt: skip
def test_id_number_carries_century_sex_and_year(sex, year, start):
    number = people().pid(sex, year)
    assert number.startswith(start) and len(number) == 12 and number.isdigit()


def test_id_numbers_do_not_repeat():
    drawn = people()
    numbers = [drawn.pid("Nữ", 2024) for _ in range(5000)]
    assert len(set(numbers)) == len(numbers)


def test_names_follow_sex_and_cohort():
    drawn = people()
    women = [drawn.full_name("Nữ", 1960) for _ in range(2000)]
    men = [drawn.full_name("Nam", 1960) for _ in range(2000)]
    assert sum(" Thị " in name for name in women) > 0.7 * len(women)
    assert sum(" Văn " in name for name in men) > 0.5 * len(men)
    assert not any(" Thị " in name for name in men)
    assert not any(" Văn " in name for name in women)
    assert any(name.startswith("Tôn Nữ ") for name in women)
    assert any(name.startswith("Nguyễn Phước ") for name in men)
    assert all(unicodedata.is_normalized("NFC", name) and len(name.split()) >= 3 for name in women)
    girls = [drawn.full_name("Nữ", 2024) for _ in range(2000)]
    assert sum(" Thị " in name for name in girls) < 0.3 * len(girls)


def test_residences_follow_the_scheme():
    data = manifest("2024")
    assert data["scheme"] == "vn-admin-pre-2025"
    here = people().residence()
    assert re.fullmatch(r"thôn [^,]+, xã Phước Quang, tỉnh Bình Định", here)
    rows = read_sheets(INPUTS / "phuoc-quang" / "khai_sinh_2024-03.xlsx")["KS"]
    residences = [v for row in rows for v in row if isinstance(v, str) and "Phước Quang, " in v]
    assert residences
    assert all(v.endswith("xã Phước Quang, huyện Tuy Phước, tỉnh Bình Định") for v in residences)
    rows = read_sheets(INPUTS / "gia-lai-2025" / "tuy-phuoc-bac" / "khai_sinh_2025-08.xlsx")["KS"]
    residences = [v for row in rows for v in row if isinstance(v, str) and "Tuy Phước Bắc" in v]
    assert residences and all(v.endswith("xã Tuy Phước Bắc, tỉnh Gia Lai") for v in residences)
