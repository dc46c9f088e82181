"""A register cell holding "None", "nan", "NaT", "x", "-" or "Không có" is an empty cell: it never
reaches a letter as a name or an address, and a birth without a father is addressed to the
mother alone. The letters are made by the real run, from a real .xlsx, and read back."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl

from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính", "Họ tên mẹ",
          "Năm sinh mẹ", "Nơi cư trú", "Họ tên cha"]  # fmt: skip
FATHERS = ["None", "x", "không", "(không có)", "Chưa xác định", "-", "0", "...", "/", "NULL"]
CHILDREN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hải", "Khánh", "Linh", "Minh", "Nga"]
ADDRESS = "Thôn Phổ Trạch, xã Phước Thành"
PLACEHOLDER_WORDS = ("None", "nan", "NaN", "Nan", "NaT", "Nat", "NULL", "Null", "Anh X",
                     "Anh Không", "Anh (", "Chưa Xác Định", "Anh -", "Anh 0", "Anh .", "Anh /")  # fmt: skip


def write_births(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KS"
    sheet.append(["DANH SÁCH ĐĂNG KÝ KHAI SINH"])
    sheet.append(HEADER)
    for i, father in enumerate(FATHERS):
        mother = "NaT" if i == 1 else "Phạm Thị Hoa"
        place = {2: "nan", 3: "NULL"}.get(i, ADDRESS)
        sheet.append([i + 1, str(101 + i), date(2024, 9, 2 + i), f"Lê Văn {CHILDREN[i]}",
                      date(2024, 8, 1 + i), "Nam", mother, 1990, place, father])  # fmt: skip
    sheet.append([11, "111", date(2024, 9, 13), "Lê Thị Oanh", date(2024, 8, 20), "Nữ",
                  "Phạm Thị Hoa", 1990, ADDRESS, "Trần Văn Bình"])  # fmt: skip
    book.save(path)


def test_placeholders_never_reach_a_letter_and_no_father_means_the_mother_alone(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "phuoc-thanh").mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs)
    write_births(inputs / "phuoc-thanh" / "khai_sinh_t9.xlsx")

    result = run_unit("phuoc-thanh", "2024-09", inputs=inputs, outputs=tmp_path / "out",
                      today=date(2025, 1, 15))  # fmt: skip

    assert result.summary["rejected"] == []  # "-", "0", "..." and "/" are no bad names
    texts = [extract_text(result.out_dir / x["file"]) for x in result.summary["letters"]]
    assert len(texts) == len(FATHERS) + 1
    for text in texts:
        for word in PLACEHOLDER_WORDS:
            assert word not in text, word
    addressed = [
        next(line for line in t.splitlines() if line.startswith("Kính gửi:")) for t in texts
    ]
    assert addressed == (
        ["Kính gửi: Chị Phạm Thị Hoa"]
        + ["Kính gửi: Gia đình cháu Lê Văn Bình"]  # no father, and the mother's cell said "NaT"
        + ["Kính gửi: Chị Phạm Thị Hoa"] * (len(FATHERS) - 2)
        + ["Kính gửi: Anh Trần Văn Bình và chị Phạm Thị Hoa"]
    )
    assert [f"Địa chỉ: {ADDRESS}" in t for t in texts[:5]] == [True, True, False, False, True]
