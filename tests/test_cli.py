"""The ``hcpvnd`` command as a clerk runs it: exit codes and the exact messages."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hcpvnd_utils.cli.main import build_parser, command_names

ROOT = Path(__file__).resolve().parents[1]


def hcpvnd(*args, cwd=ROOT):
    proc = subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_validate_clean_unit_exits_0(tmp_path):
    code, out, err = hcpvnd("validate", "--unit", "phuoc-hoa", "--outputs", tmp_path)
    assert code == 0, err
    assert "Không có lỗi dữ liệu." in out
    assert "Đơn vị Phước Hòa" in out
    assert (tmp_path / "kiem_tra_phuoc-hoa_tat-ca.xlsx").is_file()  # one file per unit checked
    assert "Traceback" not in out + err


def test_validate_with_rejected_rows_exits_1_and_names_the_cell(tmp_path):
    code, out, err = hcpvnd("validate", "--unit", "phuoc-thang", "--outputs", tmp_path)
    assert code == 1, err
    assert re.search(r"\[E-[A-Z]+-\d\d\] Tệp \S+\.xlsx, trang “[^”]+”, dòng \d+, cột “[^”]+”", out)


def test_validate_with_period_writes_its_own_report(tmp_path):
    code, out, _ = hcpvnd(
        "validate", "--unit", "phuoc-quang", "--period", "2024-03", "--outputs", tmp_path
    )
    assert code in (0, 1)
    assert (tmp_path / "kiem_tra_phuoc-quang_2024-03.xlsx").is_file()


def test_validate_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "khai_sinh_t9.xlsx"
    bad.write_text("đây không phải tệp Excel", encoding="utf-8")
    code, out, err = hcpvnd("validate", "--outputs", tmp_path, bad)
    assert code == 2
    assert "[E-FILE-01] Tệp khai_sinh_t9.xlsx" in out
    assert "Traceback" not in out + err


def test_bad_period_is_explained(tmp_path):
    code, out, err = hcpvnd("validate", "--period", "09/2024", "--outputs", tmp_path)
    assert code == 2
    assert err.strip() == (
        "[E-PERIOD-01] Kỳ “09/2024” không hợp lệ. Dùng một trong các dạng: 2024-09 (tháng), "
        "2024-Q3 (quý), 2024 (năm), 2024-03-01..2024-05-31 (từ ngày..đến ngày)."
    )


def test_unknown_unit_lists_known_units(tmp_path):
    code, _, err = hcpvnd("validate", "--unit", "phuoc-xyz", "--outputs", tmp_path)
    assert code == 2
    assert "không có đơn vị nào tên là “phuoc-xyz”" in err and "phuoc-quang" in err


def test_broken_units_file_exits_2_naming_file_and_key(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    text = (ROOT / "inputs" / "units.yaml").read_text(encoding="utf-8")
    (inputs / "units.yaml").write_text(
        text.replace("type: thị trấn", "type: làng", 1), encoding="utf-8"
    )
    code, _, err = hcpvnd("validate", "--inputs", inputs, "--outputs", tmp_path)
    assert code == 2
    assert "[E-CONF-02]" in err and "units.tuy-phuoc.type" in err and "“làng”" in err


def test_templates_check_shipped_templates_pass():
    code, out, _ = hcpvnd("templates", "check")
    assert code == 0 and "Các mẫu thư đều dùng được." in out


def test_templates_check_broken_template_exits_2(tmp_path):
    target = tmp_path / "khai_sinh.docx"
    shutil.copy(ROOT / "tests" / "data" / "templates" / "broken_tag.docx", target)
    code, out, _ = hcpvnd("templates", "check", target)
    assert code == 2
    assert out.startswith("[E-TPL-01] Mẫu thư khai_sinh.docx:")
    assert "1 lỗi trong mẫu thư. Sửa mẫu trong Word rồi kiểm tra lại." in out


def test_templates_check_on_a_folder_without_templates_is_not_all_usable(tmp_path):
    code, out, _ = hcpvnd("templates", "check", "--templates-dir", tmp_path)
    assert code == 2 and "Các mẫu thư đều dùng được." not in out
    assert out.count("[E-TPL-04] Không tìm thấy mẫu thư") == 3
    assert f"{tmp_path.as_posix()}/khai_sinh.docx" in out


def test_templates_check_looks_for_a_name_in_the_templates_dir(tmp_path):
    folder = tmp_path / "mau"
    shutil.copytree(ROOT / "templates", folder)
    shutil.copy(
        ROOT / "tests" / "data" / "templates" / "unclosed_brace.docx", folder / "khai_tu.docx"
    )
    code, out, _ = hcpvnd(
        "templates", "check", "--templates-dir", folder, "khai_tu.docx", cwd=tmp_path
    )
    assert code == 2 and out.startswith("[E-TPL-01] Mẫu thư khai_tu.docx:")
    code, out, _ = hcpvnd(
        "templates", "check", "--templates-dir", folder, "ket_hon.docx", cwd=tmp_path
    )
    assert code == 0 and "Các mẫu thư đều dùng được." in out


def test_a_broken_unit_template_stops_the_run_before_any_letter(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "phuoc-hoa").mkdir()
    shutil.copy(
        ROOT / "tests" / "data" / "templates" / "broken_tag.docx",
        templates / "phuoc-hoa" / "ket_hon.docx",
    )
    from hcpvnd_utils.errors import TemplateError
    from hcpvnd_utils.letters.run import run_unit

    with pytest.raises(TemplateError) as caught:
        run_unit("phuoc-hoa", "2024-07", outputs=tmp_path / "out", templates=templates)
    assert "ket_hon.docx" in caught.value.message
    assert not list((tmp_path / "out").rglob("*.docx"))


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in command_names():
        assert f"hcpvnd {name}" in readme, name


def test_help_is_vietnamese():
    text = build_parser().format_help()
    assert "Thư chúc mừng" in text and "làm thư cho một đơn vị" in text


def test_usage_errors_are_vietnamese():
    code, _, err = hcpvnd("letters", "--unit")
    assert code == 2
    assert "Lệnh chưa đúng: tùy chọn --unit cần một giá trị. Xem thêm: hcpvnd letters --help" in err
    code, _, err = hcpvnd("batch", "--period", "2024-09", "--jobs", "hai")
    assert code == 2 and "tùy chọn --jobs: “hai” phải là một số nguyên" in err


def test_templates_check_flags_a_cheerful_condolence_letter(tmp_path):
    target = tmp_path / "khai_tu.docx"
    shutil.copy(ROOT / "tests" / "data" / "templates" / "cheerful_condolence.docx", target)
    code, out, _ = hcpvnd("templates", "check", target)
    assert code == 1
    assert "[W-TPL-01]" in out and "điểm cần xem lại" in out


def test_finalize_stops_regenerate_from_remaking_letters(tmp_path):
    out = tmp_path / "out"
    assert hcpvnd("letters", "--unit", "phuoc-son", "--period", "2024-07", "--outputs", out)[0] == 0
    code, stdout, _ = hcpvnd(
        "finalize", "--unit", "phuoc-son", "--period", "2024-07", "--outputs", out
    )
    assert code == 0 and re.search(r"Đã chốt \d+ thư của xã Phước Sơn", stdout)
    code, stdout, _ = hcpvnd(
        "letters", "--unit", "phuoc-son", "--period", "2024-07", "--outputs", out, "--regenerate"
    )
    assert code == 0 and "Thư mới: 0." in stdout


def test_validate_prints_warnings_without_values(tmp_path):
    code, out, _ = hcpvnd("validate", "--unit", "phuoc-quang", "--outputs", tmp_path)
    assert "W-ID-01" in out and "Cảnh báo" in out
    assert not re.search(r"\b0?99\d{9,10}\b", out), "no ID number on the console"


def test_a_full_disk_is_said_in_vietnamese():
    import errno

    from hcpvnd_utils.storage import StorageError

    error = OSError(errno.ENOSPC, "No space left on device", "outputs/ledger.sqlite")
    text = StorageError.from_os(error).message
    assert text.startswith("[E-OS-01] Không ghi/đọc được outputs/ledger.sqlite: ổ đĩa đã đầy.")
    assert "No space" not in text
