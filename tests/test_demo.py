"""`make demo` runs `hcpvnd demo`: the whole sample, start to finish, into the outputs folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from hcpvnd_utils.report.document import extract_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_demo_makes_the_sample_letters_and_reports(tmp_path):
    env = {**os.environ, "HCPVND_OUTPUTS": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", "demo"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "54 khai sinh, 62 kết hôn, 21 khai tử" in out  # the 2024 dispatch's pilot figures
    assert f"Kết quả: {tmp_path}" in out
    pilot = tmp_path / "2024-03-01_2024-05-31"
    assert len(list(pilot.glob("*/letters/*/*.docx"))) == 54 + 62 + 21
    rest = tmp_path / "2024-06-01_2024-12-31"
    assert len(list(rest.glob("*/summary.json"))) == 13
    assert list(pilot.glob("report/*/du_thao/*.docx")) and list(
        rest.glob("report/*/du_thao/*.docx")
    )
    assert (tmp_path / "ledger.sqlite").is_file()
    for period in (pilot, rest):  # the analysis of each period, run after its batch
        assert (period / "phan_tich" / "phan_tich.ipynb").is_file()
        assert f"Phân tích số liệu của kỳ (sổ tay đã chạy): {period / 'phan_tich'}" in out
    assert "Traceback" not in out + proc.stderr
    # the pilot report composes the shipped narrative: nothing left to write, a list and a table
    (draft,) = pilot.glob("report/*/du_thao/*.docx")
    text = extract_text(Document(str(draft)))
    assert "[Phần này do chuyên viên viết" not in text
    assert "Loa truyền thanh xã | 24 | 2 lượt mỗi tuần" in text
    assert "Nhân rộng mô hình ra 13/13 xã, thị trấn từ ngày 01/10/2024." in text
    assert "[W-NARR-" not in out
    # the dispatch's sentence, backed by the sample's delivery sheets (all 137 handed over)
    assert (
        "02 xã (Phước Quang và Phước Nghĩa) đã gửi Thư chúc mừng cho 54 trường hợp đăng ký khai "
        "sinh, 62 trường hợp đăng ký kết hôn và gửi 21 Thư chia buồn đối với 21 trường hợp đăng "
        "ký khai tử; tổng cộng 137 thư."
    ) in text
    assert "đã trao 137/137 thư (100%)" in text and "chưa ghi nhận phản ánh tiêu cực nào" in text
    assert "Sổ giao thư mẫu (2 xã, thị trấn) nhập vào sổ theo dõi: 137 dòng thư, 137 dòng" in out
    (later,) = rest.glob("report/*/du_thao/*.docx")  # later months: partly handed over
    later_text = extract_text(Document(str(later)))
    assert "đã làm Thư chúc mừng cho" in later_text and "thư chưa trao" in later_text
    assert len(list(rest.glob("*/so_giao_thu.xlsx"))) == 13
