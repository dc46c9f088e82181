"""Personal data stays where it belongs.

- The repository holds no real ID number (12 digits not starting with the synthetic 099), not even
  inside an .xlsx, .docx or .xls.
- Everything a run writes is readable by its owner only: folders 0700, files 0600, the ledger and
  its -wal/-shm files included, even with a permissive umask.
- What we write outside the protected outputs — the console, batch.json, the log files — carries
  no name, no date of birth and no ID number of the registers: a message quoting a cell keeps
  the cell only in the workbooks under outputs/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from hcpvnd_utils import messages
from hcpvnd_utils.config import load_units
from hcpvnd_utils.errors import Problem
from hcpvnd_utils.ingest import files as ingest
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.letters.run import run_unit

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs"
BAD = Path(__file__).parent / "data" / "bad"
SYNTHETIC = b"099"

# --- real-looking ID numbers in the repository -------------------------------------------------

# 12 digits standing alone (not inside a hash, a longer number or the decimals of a number)
_TWELVE = re.compile(rb"(?<![0-9A-Za-z.])\d{12}(?![0-9A-Za-z]|[.,]\d)")
# a number cell of a workbook holding 11 digits: an ID whose leading zero Excel dropped
_NUMBER_CELL = re.compile(rb"<v>(\d{11})</v>")


def _masked(number: bytes) -> str:
    """Enough to find the number in the file, not enough to be the number (CI logs are public)."""
    return number[:3].decode() + "*" * (len(number) - 3)


def _scan_text(data: bytes, where: str) -> list[str]:
    found = [m.group() for m in _TWELVE.finditer(data) if not m.group().startswith(SYNTHETIC)]
    found += [m[1] for m in _NUMBER_CELL.finditer(data) if not m[1].startswith(SYNTHETIC[1:])]
    return [f"{where}: {_masked(number)}" for number in found]


def _scan_zip(path: Path, name: str) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return [
                hit
                for member in archive.namelist()
                if member.endswith((".xml", ".rels", ".txt", ".json", ".csv"))
                for hit in _scan_text(archive.read(member), f"{name} [{member}]")
            ]
    except (zipfile.BadZipFile, zlib.error, EOFError):  # a deliberately broken fixture (a part
        return _scan_text(path.read_bytes(), name)  # that lies about its size): its bytes


def _scan_xls(path: Path, name: str) -> list[str]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), logfile=open(os.devnull, "w"))  # noqa: SIM115
    except Exception:  # noqa: BLE001 — not a real .xls (HTML, XML saved as .xls): its bytes
        return _scan_text(path.read_bytes(), name)
    texts = []
    for sheet in book.sheets():
        for row in range(sheet.nrows):
            for value in sheet.row_values(row):
                number = isinstance(value, float) and value.is_integer()
                texts.append(f"<v>{int(value)}</v>" if number else str(value))
    return _scan_text("\n".join(texts).encode("utf-8"), name)


def id_numbers_in(path: Path, name: str) -> list[str]:
    """Where ``path`` holds something that looks like a real ID number (masked)."""
    head = path.read_bytes()[:8]
    if head.startswith(b"PK\x03\x04"):
        return _scan_zip(path, name)
    if path.suffix.lower() == ".xls" and head.startswith(b"\xd0\xcf\x11\xe0"):
        return _scan_xls(path, name)
    return _scan_text(path.read_bytes(), name)


def repository_files() -> list[str]:
    """Files tracked by git, and new files not ignored (so a leak fails before its commit)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to scan")
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available")
    return sorted({name for name in listed.decode("utf-8").split("\0") if name})


def test_the_repository_holds_no_real_id_number():
    hits = []
    for name in repository_files():
        path = ROOT / name
        if path.is_file() and not path.is_symlink():
            hits += id_numbers_in(path, name)
    assert hits == [], "numbers that look like real ID numbers:\n" + "\n".join(hits)


def test_the_scan_finds_real_looking_numbers_in_every_kind_of_file(tmp_path):
    """The scan itself, on planted numbers (a scan that never fails proves nothing)."""
    workbook = openpyxl.Workbook()
    real, synthetic = "0523" + "01012345", "0993" + "01012347"  # never 12 digits in this file
    workbook.active.append(["Nguyễn Văn A", real, int(real) + 1, synthetic])
    workbook.save(tmp_path / "ids.xlsx")
    document = Document()
    document.add_paragraph(f"CCCD số {'0012' + '34567890'}, cấp ngày 01/01/2021")
    document.save(str(tmp_path / "ids.docx"))
    (tmp_path / "ids.csv").write_text(f"STT,CCCD\n1,{'0793' + '01000123'}\n2,{synthetic}\n")
    (tmp_path / "fine.txt").write_text("sha 3f1234567890123e, 3.141592653589, 0993010001234567\n")
    assert len(id_numbers_in(tmp_path / "ids.xlsx", "ids.xlsx")) == 2
    (hit,) = id_numbers_in(tmp_path / "ids.docx", "ids.docx")
    assert hit == "ids.docx [word/document.xml]: 001*********"
    assert len(id_numbers_in(tmp_path / "ids.csv", "ids.csv")) == 1
    assert id_numbers_in(tmp_path / "fine.txt", "fine.txt") == []


# --- outputs readable by their owner only -------------------------------------------------------


def _modes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): oct(stat.S_IMODE(path.stat().st_mode))
        for path in [folder, *folder.rglob("*")]
    }


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions (Windows: a protected drive)")
def test_every_output_of_a_run_is_private_even_with_a_permissive_umask(tmp_path):
    outputs = tmp_path / "outputs"
    old = os.umask(0)  # anything we create without an explicit mode would be world-writable
    try:
        with Ledger(outputs / "ledger.sqlite"):  # a reader holds the -wal/-shm files open
            result = run_unit("phuoc-thanh", "2024-09", outputs=outputs)
            modes = _modes(outputs)
    finally:
        os.umask(old)
    assert {"ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm"} <= set(modes)
    folder = f"2024-09/{result.unit.key}"
    for name in ("rejected.xlsx", "summary.json", "ban_in_khai_sinh.docx"):
        assert f"{folder}/{name}" in modes
    assert any(name.startswith(f"{folder}/letters/khai_sinh/") for name in modes)
    wrong = {
        name: mode
        for name, mode in modes.items()
        if mode != ("0o700" if (outputs / name).is_dir() else "0o600")
    }
    assert wrong == {}


# --- no personal data on the console, in batch.json or in the logs ------------------------------


def personal_data(inputs: Path, units: list[str]) -> set[str]:
    """Every full name and ID number the registers of these units hold, as ingest reads them."""
    found = set()
    for unit in units:
        for record in ingest.read_unit(inputs, unit).records:
            for name, value in record.values.items():
                if name.endswith(("_full_name", "_pid")) and isinstance(value, str):
                    found.add(value)
    return {value for value in found if " " in value or value.isdigit()}


def hcpvnd(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HCPVND_HOME": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "hcpvnd_utils", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
        check=False,
    )  # fmt: skip


def leaks(text: str, people: set[str]) -> list[str]:
    """Names and ID numbers found in ``text`` (names by their length only, for the test log),
    and any run of nine digits or more (an ID number, whole or mistyped)."""
    found = [f"a name of {len(v)} characters" for v in people if not v.isdigit() and v in text]
    found += [f"ID {_masked(v.encode())}" for v in people if v.isdigit() and v in text]
    found += [f"{len(m)} digits" for m in re.findall(r"(?<![\w/.-])\d{9,}(?![\w/.-])", text)]
    return found


def test_validate_and_letters_print_no_name_and_no_id_number(tmp_path):
    units = list(load_units(SAMPLE / "units.yaml").units)
    people = personal_data(SAMPLE, units)
    assert len(people) > 1000  # the check has something to find
    validate = hcpvnd("validate", "--outputs", str(tmp_path / "v"), cwd=tmp_path)
    assert validate.returncode in (0, 1), validate.stderr
    assert "Khai sinh" in validate.stdout
    letters = hcpvnd("letters", "--unit", "phuoc-thanh", "--period", "2024-09",
                     "--outputs", str(tmp_path / "l"), cwd=tmp_path)  # fmt: skip
    assert letters.returncode == 0, letters.stderr
    for run in (validate, letters):
        assert leaks(run.stdout + run.stderr, people) == []
    for log in (tmp_path / "l").rglob("*.log"):
        assert leaks(log.read_text(encoding="utf-8"), people) == [], log.name


def test_the_console_never_echoes_an_id_number_or_a_name_of_a_bad_row(tmp_path):
    """A row refused for its ID number or its name must be found by file, sheet, row and column;
    the value itself stays in the protected rejected.xlsx."""
    inputs = tmp_path / "inputs"
    (inputs / "phuoc-thanh").mkdir(parents=True)
    shutil.copy(SAMPLE / "units.yaml", inputs)
    for name in ("id_13_digits.xlsx", "mixed_tone_placement.xlsx"):
        shutil.copy(BAD / name, inputs / "phuoc-thanh" / name)
    damaged = (
        (BAD / "semicolon_separated.csv").read_bytes().replace("Văn An".encode(), b"V\xe3n An")
    )
    (inputs / "phuoc-thanh" / "khai_sinh_hong.csv").write_bytes(damaged)
    validate = hcpvnd("validate", "--inputs", str(inputs), "--unit", "phuoc-thanh",
                      "--outputs", str(tmp_path / "v"), cwd=tmp_path)  # fmt: skip
    assert validate.returncode == 1, validate.stderr
    assert "[E-ID-01]" in validate.stdout and "[E-NAME-01]" in validate.stdout
    mistyped = {"0993240011115", "9932400111160", "V\ufffdn An"}
    assert leaks(validate.stdout, mistyped | personal_data(inputs, ["phuoc-thanh"])) == []


BIRTH_HEADER = ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Họ tên mẹ"]
SECRETS = {  # what the cells hold: never on the console, always in the workbook
    "a name in the date-of-birth column": "Trần Thị Diệu Hiền",
    "a date of birth that is no date": "31/02/2019",
    "a date of birth with a two-digit year": "02/8/24",
    "a registration date with a two-digit year": "02/9/24",
}


def _births_with_secrets(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KS"
    sheet.append(["DANH SÁCH ĐĂNG KÝ KHAI SINH"])
    sheet.append(BIRTH_HEADER)
    sheet.append([1, "101", "03/9/2024", "Lê Văn An", SECRETS["a name in the date-of-birth column"],
                  "Phạm Thị Hoa"])  # fmt: skip
    sheet.append([2, "102", "04/9/2024", "Lê Văn Bình", SECRETS["a date of birth that is no date"],
                  "Phạm Thị Hoa"])  # fmt: skip
    sheet.append([3, "103", "05/9/2024", "Lê Văn Châu",
                  SECRETS["a date of birth with a two-digit year"], "Phạm Thị Hoa"])  # fmt: skip
    sheet.append([4, "104", SECRETS["a registration date with a two-digit year"], "Lê Văn Dũng",
                  "01/8/2024", "Phạm Thị Hoa"])  # fmt: skip
    book.save(path)


def test_the_console_never_shows_a_date_of_birth_or_a_name_found_in_a_date_column(tmp_path):
    """E-DATE-01 quotes the cell: the clerk finds it by file, sheet, row and column on the
    console; the value itself is only in the protected kiem_tra workbook."""
    inputs = tmp_path / "inputs"
    (inputs / "phuoc-thanh").mkdir(parents=True)
    shutil.copy(SAMPLE / "units.yaml", inputs)
    _births_with_secrets(inputs / "phuoc-thanh" / "khai_sinh_t9.xlsx")
    outputs = tmp_path / "v"
    validate = hcpvnd("validate", "--inputs", str(inputs), "--unit", "phuoc-thanh",
                      "--outputs", str(outputs), cwd=tmp_path)  # fmt: skip
    assert validate.returncode == 1, validate.stderr
    console = validate.stdout + validate.stderr
    for what, secret in SECRETS.items():
        assert secret not in console, what
    for row, column in ((3, "Ngày sinh"), (4, "Ngày sinh"), (5, "Ngày sinh"), (6, "Ngày ĐK")):
        assert (
            f"[E-DATE-01] Tệp khai_sinh_t9.xlsx, trang “KS”, dòng {row}, cột “{column}”: nội dung "
            "ô không phải ngày hợp lệ. Sửa theo dạng ngày/tháng/năm (ví dụ 05/09/2024) rồi chạy "
            "lại." in console
        )
    book = openpyxl.load_workbook(outputs / "kiem_tra_phuoc-thanh_tat-ca.xlsx", read_only=True)
    kept = " ".join(str(row[-1]) for row in book["Không gửi thư"].iter_rows(values_only=True))
    book.close()
    assert all(secret in kept for secret in SECRETS.values())


def test_the_console_of_the_corpus_shows_no_date_of_birth(tmp_path):
    validate = hcpvnd("validate", "--unit", "phuoc-quang", str(BAD / "two_digit_years.xlsx"),
                      "--outputs", str(tmp_path), cwd=tmp_path)  # fmt: skip
    assert validate.returncode == 1, validate.stderr
    assert validate.stdout.count("[E-DATE-01]") == 2
    assert "/24”" not in validate.stdout and "02/8/24" not in validate.stdout


def _every_message_code() -> list[str]:
    return sorted(messages.CATALOG)  # one catalogue: every code, whatever was imported


def test_no_message_that_quotes_a_cell_can_reach_the_console_with_it():
    """Derived from the catalog, so a new code quoting a cell is covered without a line here."""
    secret = "Nguyễn Thị Bí Mật 099301012345"
    quoting = [code for code in _every_message_code() if messages.quotes_a_cell(code)]
    assert {"E-DATE-01", "E-CELL-03", "R-KIND-01", "R-PERIOD-01", "W-SEX-01"} <= set(quoting)
    for code in quoting:
        names = set(messages.field_names(messages.CATALOG[code]))
        others = {name: f"<{name}>" for name in names - {"value", "file", "sheet", "row", "column"}}
        problem = Problem.make(code, file="ks.xlsx", sheet="KS", row=7, column="Ngày sinh",
                               value=secret, **others)  # fmt: skip
        assert secret in problem.message  # the workbook keeps it
        shown = messages.console_text(problem)
        assert secret not in shown, code
        assert shown.startswith(f"[{code}] Tệp ks.xlsx, trang “KS”, dòng 7, cột “Ngày sinh”: ")
        assert all(value in shown for value in others.values()), code  # what to do stays
        assert "{" not in shown, code


def test_a_message_that_cannot_be_taken_apart_shows_only_where_to_look():
    problem = Problem("E-DATE-01", "[E-DATE-01] “31/02/2019” sai", "ks.xlsx", "KS", 7, "Ngày sinh")
    shown = messages.console_text(problem)
    assert "31/02/2019" not in shown
    assert shown.startswith("[E-DATE-01] Tệp ks.xlsx, trang “KS”, dòng 7, cột “Ngày sinh”: ")


@pytest.mark.slow
def test_batch_json_and_logs_hold_no_name_and_no_id_number(tmp_path):
    outputs = tmp_path / "outputs"
    units = ["phuoc-thanh", "dieu-tri"]
    batch = hcpvnd("batch", "--period", "2024-09", "--units", ",".join(units), "--jobs", "2",
                   "--outputs", str(outputs), cwd=tmp_path)  # fmt: skip
    assert batch.returncode == 0, batch.stderr
    people = personal_data(SAMPLE, units)
    record = outputs / "2024-09" / "batch.json"
    assert [u["status"] for u in json.loads(record.read_text(encoding="utf-8"))["units"]] == [
        "ok", "ok"]  # fmt: skip
    assert leaks(batch.stdout + batch.stderr, people) == []
    assert leaks(record.read_text(encoding="utf-8"), people) == []
    logs = list(outputs.rglob("*.log"))  # each unit's run.log, and the report's when it ran
    assert {log.relative_to(outputs).parts[1] for log in logs} >= set(units)
    for log in logs:
        assert leaks(log.read_text(encoding="utf-8"), people) == [], log.name
