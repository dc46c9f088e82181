"""``hcpvnd validate`` as a clerk reads it: which unit each line is about, one line for a column
missing from a sheet, and a workbook named after the unit when one is given."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from hcpvnd_utils.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "data" / "bad"
UNITS = ("phuoc-thanh", "dieu-tri")
NAMES = {"phuoc-thanh": "Phước Thành", "dieu-tri": "Diêu Trì"}


@pytest.fixture
def two_units(tmp_path: Path) -> Path:
    """Two units whose folders hold files of the same names (an ID that lost its zero, and a
    sheet without its registration-date column)."""
    inputs = tmp_path / "inputs"
    config = yaml.safe_load((ROOT / "inputs" / "units.yaml").read_text(encoding="utf-8"))
    config["units"] = {key: config["units"][key] for key in UNITS}
    inputs.mkdir()
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (inputs / "units.yaml").write_text(text, encoding="utf-8")
    for key in UNITS:
        (inputs / key).mkdir()
        shutil.copy(BAD / "id_11_digits.xlsx", inputs / key / "khai_sinh_t9.xlsx")
        shutil.copy(BAD / "required_column_missing.xlsx", inputs / key / "khai_sinh_t10.xlsx")
    return inputs


def validate(capsys, *args) -> tuple[int, str]:
    code = main(["validate", *map(str, args)])
    return code, capsys.readouterr().out


def sheet_rows(path: Path, name: str) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[name].iter_rows(values_only=True))
    book.close()
    return rows


def test_every_unit_is_named_in_the_workbook_and_the_warnings_table(two_units, tmp_path, capsys):
    code, out = validate(capsys, "--inputs", two_units, "--outputs", tmp_path / "out")
    assert code == 1
    report = tmp_path / "out" / "kiem_tra_tat-ca.xlsx"
    assert f"Danh sách các dòng không gửi thư: {report}" in out
    rejected = sheet_rows(report, "Không gửi thư")
    assert rejected[0][:3] == ("Đơn vị", "Sự kiện", "Tệp")
    assert [(r[0], r[2], r[4], r[7]) for r in rejected[1:]] == [
        (NAMES[key], "khai_sinh_t10.xlsx", row, "E-REQ-02") for key in UNITS for row in (4, 5)
    ]
    warnings = sheet_rows(report, "Cảnh báo")
    assert warnings[0][:2] == ("Đơn vị", "Tệp")
    assert [(w[0], w[1], w[5]) for w in warnings[1:]] == [
        (NAMES[key], "khai_sinh_t9.xlsx", "W-ID-01") for key in UNITS for _ in (4, 5)
    ]
    table = out[out.index("Cảnh báo (4)") :].splitlines()
    assert table[1].split()[:3] == ["Đơn", "vị", "Mã"]
    assert [line.split("W-ID-01")[0].strip() for line in table[3:7]] == [
        NAMES[key] for key in UNITS for _ in (4, 5)
    ]


def test_a_missing_column_is_one_line_per_sheet_with_its_row_count(two_units, tmp_path, capsys):
    code, out = validate(capsys, "--inputs", two_units, "--unit", "dieu-tri",
                         "--outputs", tmp_path)  # fmt: skip
    assert code == 1
    problems = [line for line in out.splitlines() if line.startswith("- ")]
    assert problems == [
        "- [E-REQ-02] Tệp khai_sinh_t10.xlsx, trang “KS”: không có cột “ngày đăng ký” (bắt buộc), "
        "nên không dòng nào của trang này làm được thư. Thêm cột còn thiếu vào danh sách (hoặc "
        "sửa tiêu đề cột cho rõ, ví dụ “Ngày đăng ký”) rồi chạy lại. (2 dòng)"
    ]
    births = next(line for line in out.splitlines() if line.startswith("Khai sinh"))
    rows, letters, rejected, *others = map(int, births.split()[2:])
    assert rejected == 2 and rows == letters + rejected + sum(others)  # every row counted


def test_the_workbook_of_one_unit_is_named_after_it(two_units, tmp_path, capsys):
    validate(capsys, "--inputs", two_units, "--unit", "dieu-tri", "--outputs", tmp_path)
    validate(capsys, "--inputs", two_units, "--unit", "phuoc-thanh", "--period", "2024-09",
             "--outputs", tmp_path)  # fmt: skip
    names = sorted(p.name for p in tmp_path.glob("kiem_tra_*.xlsx"))
    assert names == ["kiem_tra_dieu-tri_tat-ca.xlsx", "kiem_tra_phuoc-thanh_2024-09.xlsx"]
    rows = sheet_rows(tmp_path / "kiem_tra_dieu-tri_tat-ca.xlsx", "Không gửi thư")
    assert {row[0] for row in rows[1:]} == {"Diêu Trì"}


def test_several_units_share_one_accounting_table_with_their_total(two_units, tmp_path, capsys):
    _, out = validate(capsys, "--inputs", two_units, "--outputs", tmp_path / "out")

    table = out[out.index("2 đơn vị") :].split("\n\n")[0].splitlines()
    assert table[1].split()[:4] == ["Đơn", "vị", "Sự", "kiện"]
    lines = [line.split() for line in table[3:]]
    per_unit = [line for line in lines if line[0] != "Tổng"]
    assert {" ".join(line[:2]) for line in per_unit} == set(NAMES.values())
    total = next(line for line in lines if line[0] == "Tổng")
    assert int(total[2]) == sum(int(line[4]) for line in per_unit)  # rows
    assert out.count("Số dòng") == 1
