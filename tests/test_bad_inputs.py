"""The hostile-input corpus (tests/data/bad/) through the real pipeline, one input at a time.

Each input is the only file of a unit's folder (or, for a units file, the configuration) and
``run_unit`` makes the letters of its period. Each must end in a coded Vietnamese message or a
correct result, never a traceback, never a partial output, and rows = sum of outcomes. The
table below says, per input, exactly which end: the codes of the rows (or files) without a
letter, the number of letters, the warnings, and the text the letters must print as written.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.letters.run import MAX_LISTED, run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.records import COUNT_NAMES
from hcpvnd_utils.textnorm import visible

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "data" / "bad"
UNIT, PERIOD, TODAY = "phuoc-thanh", "2024-09", date(2025, 1, 15)


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_bad = _load_generator()
BIG_DAYS = (date(2024, 9, 5), date(2024, 9, 6))
BIG_LETTERS = make_bad.big_export_letters(BIG_DAYS)
GENERATED = {  # too large for the repository (or names it should not hold): written at test time
    "ten_megabytes_in_one_cell.xlsx": make_bad.write_big_cell,
    "export_100000_rows.xlsx": make_bad.write_big_export,
    **make_bad.GENERATED,
}


@dataclass(frozen=True)
class Expect:
    letters: int = 0
    codes: dict[str, int] = field(default_factory=dict)  # rows without a letter, by code
    files: tuple[str, ...] = ()  # files (or sheets) not read at all: the run stops, E-FILE-07
    warnings: dict[str, int] = field(default_factory=dict)
    raises: str = ""  # the code of the HcpvndError that stops the run
    literal: tuple[str, ...] = ()  # printed exactly so in the letters and the print file
    absent: tuple[str, ...] = ()  # in no letter
    event: str = "khai_sinh"
    period: str = PERIOD


E = Expect
NAMES = ("Lê Văn An", "Trần Thị Bích", "Phạm Minh Châu")
LEGACY_NAMES = ("Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Đình Phúc", "Thôn Phổ Trạch")
INVISIBLE = ("\u200b", "\u200d", "\u2060", "\u00ad", "\ufeff", "\x00", "\x07", "\x1b", "\x1f")
HOSTILE = make_bad.HOSTILE


def hostile(places: list[str]) -> Expect:
    """Addresses that print as written (spaces around them trimmed); the same text in the name
    column of one more row is not a name."""
    literal = tuple(place.strip() for place in places)
    return E(letters=len(places), codes={"E-NAME-01": 1}, literal=literal, absent=("49",))


EXPECTED: dict[str, Expect] = {
    # --- whole files that cannot be used: the run stops naming the file and its problem --------
    "zero_bytes.xlsx": E(files=("E-FILE-02",)),
    "zero_bytes.csv": E(files=("E-FILE-02",)),
    "whitespace_only.csv": E(files=("E-FILE-02",)),
    "empty_workbook.xlsx": E(files=("E-FILE-02",)),
    "chart_sheet_only.xlsx": E(files=("E-FILE-02",)),
    "text_renamed.xlsx": E(files=("E-FILE-01",)),
    "image_png_renamed.xlsx": E(files=("E-FILE-01",)),
    "pdf_renamed.xlsx": E(files=("E-FILE-01",)),
    "word_document_renamed.xlsx": E(files=("E-FILE-01",)),
    "truncated_zip.xlsx": E(files=("E-FILE-01",)),
    "excel_2003_xml_as_xls.xls": E(files=("E-FILE-01",)),
    "binary_garbage.csv": E(files=("E-FILE-01",)),
    "encrypted_workbook.xlsx": E(files=("E-FILE-03",)),
    "no_header_row.xlsx": E(files=("E-FILE-04",)),
    "no_event_named_anywhere.xlsx": E(files=("E-FILE-06",)),
    "header_only_no_rows.xlsx": E(),  # a month without births: nothing to do, nothing wrong
    # --- layouts ----------------------------------------------------------------------------------
    "merged_cells_across_header.xlsx": E(letters=3, literal=NAMES),
    "header_repeated_mid_sheet.xlsx": E(letters=4),
    "header_below_thirty_title_rows.xlsx": E(letters=2),
    "formulas_without_cached_values.xlsx": E(letters=1, codes={"E-CELL-02": 2}),
    "excel_error_values.xlsx": E(letters=1, codes={"E-CELL-03": 2}),
    "required_column_missing.xlsx": E(codes={"E-REQ-02": 2}),  # each row refused, for its sheet
    "same_registration_twice.xlsx": E(letters=2, codes={"R-DUP-01": 1}),
    "utf16_with_bom.csv": E(letters=3, literal=NAMES),
    # --- dates ------------------------------------------------------------------------------------
    "dates_as_text_five_formats.xlsx": E(letters=5, literal=("02/9/2024", "06/9/2024")),
    "impossible_dates.xlsx": E(codes={"E-DATE-01": 7}),
    "two_digit_years.xlsx": E(letters=1, codes={"E-DATE-01": 2}),
    "dates_in_the_future.xlsx": E(letters=1, codes={"E-DATE-02": 2}),
    "birth_after_registration.xlsx": E(letters=1, codes={"E-DATE-03": 1}),
    "dates_as_excel_serial_numbers.xlsx": E(letters=2, literal=("02/9/2024", "03/9/2024")),
    "death_time_of_day_in_date_cells.xlsx": E(
        letters=3, event="khai_tu", literal=("01/9/2024", "02/9/2024", "03/9/2024")
    ),
    # --- names and ID numbers ---------------------------------------------------------------------
    "numbers_where_names_belong.xlsx": E(letters=1, codes={"E-NAME-01": 3}),
    "name_200_characters.xlsx": E(letters=1, codes={"E-NAME-02": 1}),
    "id_11_digits.xlsx": E(letters=2, warnings={"W-ID-01": 2}),
    "id_13_digits.xlsx": E(letters=1, codes={"E-ID-01": 2}),
    "nfd_decomposed_text.xlsx": E(letters=3, literal=NAMES),
    "mixed_tone_placement.xlsx": E(  # displayed as written: the old placement is not rewritten
        letters=3, literal=("Lê Thị Thuý", "Võ Thị Hoà", "Trần Văn Hòa", "Lê Thị Thuỳ", "Phước Hoà")
    ),
    # --- encodings and invisible characters -------------------------------------------------------
    "tcvn3_vntime_font.xlsx": E(letters=3, warnings={"W-ENC-01": 1}, literal=LEGACY_NAMES),
    "vni_times_font.xlsx": E(letters=3, warnings={"W-ENC-01": 1}, literal=LEGACY_NAMES),
    "tcvn3_bytes.csv": E(letters=3, warnings={"W-ENC-01": 1}, literal=LEGACY_NAMES),
    "vni_bytes.csv": E(letters=3, warnings={"W-ENC-01": 1}, literal=LEGACY_NAMES),
    "windows1258.csv": E(letters=3, literal=NAMES),
    "semicolon_separated.csv": E(letters=3, literal=NAMES),
    "windows1258_semicolon_separated.csv": E(letters=3, literal=NAMES),
    "control_characters.csv": E(
        letters=3, literal=(*NAMES, "Bùi Thị Mai", "Địa chỉ: Thôn Phổ Trạch\n"), absent=INVISIBLE
    ),
    "zero_width_spaces.xlsx": E(letters=4, literal=(*NAMES, "Võ Văn Dũng"), absent=INVISIBLE),
    # --- values that must print as written (in a name column they are not names) ----------------
    **{name: hostile(places) for name, places in HOSTILE.items()},
    # --- units files --------------------------------------------------------------------------
    "units_key_dot_dot.yaml": E(raises="E-CONF-02"),
    "units_key_absolute_path.yaml": E(raises="E-CONF-02"),
    "units_key_windows_path.yaml": E(raises="E-CONF-02"),
    "units_signer_with_template_tags.yaml": E(
        letters=3, literal=(make_bad.SIGNER_TAGS,), absent=("49",)
    ),
    # --- too large for the repository -----------------------------------------------------------
    "ten_megabytes_in_one_cell.xlsx": E(letters=2, codes={"E-CELL-01": 1}),
    "export_100000_rows.xlsx": E(  # summary.json lists the first MAX_LISTED (#12, point 10)
        letters=BIG_LETTERS,
        codes={"R-PERIOD-01": MAX_LISTED},
        period=make_bad.BIG_PERIOD,
    ),
    # === issue #12: what an independent hostile run found ========================================
    # --- 6. CSV quoting: every physical line counted, or the file refused naming the line ----------
    "csv_unterminated_quote_row_95_of_100.csv": E(files=("E-FILE-08",)),
    "csv_unterminated_quote_in_the_header.csv": E(files=("E-FILE-08",)),
    "csv_quote_closed_three_lines_later.csv": E(files=("E-FILE-08",)),
    "csv_quoted_line_break_in_an_address.csv": E(
        letters=3, literal=("Thôn Phổ Trạch, xã Phước Thành",)
    ),
    "csv_quotes_inside_an_unquoted_name.csv": E(letters=2, codes={"E-NAME-01": 1}),
    "csv_cr_only_line_endings.csv": E(letters=3, literal=NAMES),
    "csv_trailing_separators_and_500_blank_lines.csv": E(letters=3, literal=NAMES),
    "csv_rows_missing_their_last_cells.csv": E(letters=3, literal=NAMES),
    "csv_twenty_thousand_characters_in_one_cell.csv": E(letters=2, codes={"E-CELL-01": 1}),
    "csv_header_only.csv": E(),
    "csv_numbers_spelt_as_a_re_export.csv": E(letters=3, codes={"R-DUP-01": 1}),
    "csv_blank_line_between_every_row.csv": E(letters=3, literal=NAMES),
    # --- 7. workbooks that would cost gigabytes to read: refused before any reader --------------
    "xlsx_cell_at_XFD1048576.xlsx": E(files=("E-FILE-09",)),
    "xlsx_cell_at_XFD8000.xlsx": E(files=("E-FILE-09",)),
    "xlsx_stray_cell_at_XFD3.xlsx": E(letters=3, literal=NAMES),
    "xlsx_dimension_claims_XFD1048576.xlsx": E(letters=3, literal=NAMES),
    "xlsx_shared_strings_declare_4000000000.xlsx": E(files=("E-FILE-09",)),
    "xlsx_shared_strings_declare_500000_in_60_bytes.xlsx": E(files=("E-FILE-09",)),
    "xlsx_sheet_part_declares_3_9_gigabytes.xlsx": E(files=("E-FILE-09",)),
    "xlsx_styles_part_declares_3_9_gigabytes.xlsx": E(files=("E-FILE-09",)),
    "xlsx_sheet_inflates_beyond_its_declared_size.xlsx": E(files=("E-FILE-01",)),
    "xlsx_shared_strings_inflate_beyond_their_declared_size.xlsx": E(files=("E-FILE-01",)),
    "xlsx_zip_bomb_300_megabytes.xlsx": E(files=("E-FILE-09",)),
    # --- 7, second pass: what a small file declares, in every format read (bomb_bad.py) ---------
    "ods_register_as_libreoffice_saves_it.ods": E(letters=3, literal=NAMES),
    "ods_cell_repeated_over_2000_rows_and_16384_columns.ods": E(files=("E-FILE-09",)),
    "ods_data_row_repeated_to_the_sheet_end.ods": E(files=("E-FILE-09",)),
    "ods_register_below_a_million_empty_rows_and_a_wide_row.ods": E(files=("E-FILE-09",)),
    "ods_repeat_count_not_a_number.ods": E(files=("E-FILE-01",)),
    "ods_two_billion_spaces_in_one_cell.ods": E(files=("E-FILE-09",)),
    "ods_32767_spaces_in_each_of_40000_cells.ods": E(files=("E-FILE-09",)),
    "ods_content_part_declares_3_9_gigabytes.ods": E(files=("E-FILE-09",)),
    "ods_content_inflates_beyond_its_declared_size.ods": E(files=("E-FILE-01",)),
    "ods_zip_bomb_300_megabytes.ods": E(files=("E-FILE-09",)),
    "xlsx_9_merges_down_to_row_1048576.xlsx": E(letters=3, literal=NAMES),
    "xlsx_60_merges_down_to_row_1048576.xlsx": E(letters=3, literal=NAMES),
    "xlsx_data_column_merged_down_to_row_1048576.xlsx": E(
        letters=3, literal=(*NAMES, make_bad.PLACE)
    ),
    "xlsx_60_merges_stacked_over_a_million_rows.xlsx": E(files=("E-FILE-09",)),
    "xlsx_vntime_font_merge_down_to_row_1048576.xlsx": E(files=("E-FILE-09",)),
    "xlsx_rows_and_cells_without_references.xlsx": E(letters=3, literal=NAMES),
    "xlsx_a_million_rows_without_references.xlsx": E(files=("E-FILE-09",)),
    "xlsx_100001_merges.xlsx": E(files=("E-FILE-09",)),
    "xls_merges_stacked_over_65536_rows.xls": E(files=("E-FILE-09",)),
    "html_colspan_and_rowspan_200_on_every_cell.xls": E(files=("E-FILE-09",)),
    "html_1100000_rows.xls": E(files=("E-FILE-09",)),
    # --- 7 and 11. .xls: a formula without its saved result is refused as in an .xlsx ----------------
    "xls_formula_without_its_saved_result.xls": E(letters=1, codes={"E-CELL-02": 2}),
    "xls_formula_with_an_empty_text_result.xls": E(letters=2, codes={"E-CELL-02": 1}),
    "xls_formula_text_result_record_missing.xls": E(files=("E-FILE-01",)),
    "xls_formula_with_its_saved_text_result.xls": E(
        letters=3, literal=("Thôn Mỹ Lợi, xã Phước Thành",)
    ),
    "xls_cell_at_IV65536.xls": E(letters=3, literal=NAMES),
    # --- 8 and 9. names escaped on screen and in workbooks; never formulas --------------------------
    "xls_sheet_named_with_a_terminal_escape.xls": E(letters=2, codes={"E-DATE-01": 1}),
    "xlsx_sheet_named_with_control_characters.xlsx": E(letters=2, codes={"E-DATE-01": 1}),
    "xlsx_sheet_named_like_a_formula.xlsx": E(letters=2, codes={"E-DATE-01": 1}),
    "header_starting_with_equals.xlsx": E(letters=2, codes={"E-DATE-01": 1}),
    "headers_starting_with_plus_minus_at.xlsx": E(letters=2, codes={"E-NAME-01": 1}),
    **{name: E(letters=2, codes={"E-DATE-01": 1}) for name in make_bad.FORMULA_NAMES},
    **{name: E(letters=2, codes={"E-DATE-01": 1}) for name in make_bad.CONTROL_NAMES},
    # --- 1 and 2. one registration, one key; two registrations, two letters ----------------------
    "same_registration_book_spelt_two_ways.xlsx": E(letters=1, codes={"R-DUP-01": 1}),
    "same_number_in_two_books_two_children.xlsx": E(letters=2),
    "same_number_in_two_books_same_child_same_day.xlsx": E(letters=1, codes={"R-DUP-01": 1}),
    "registration_numbers_with_letters_in_two_cases.xlsx": E(letters=2, codes={"R-DUP-01": 1}),
    "registration_number_500_characters.xlsx": E(letters=2),
    "registration_number_only_punctuation.xlsx": E(letters=2, codes={"E-REQ-01": 1}),
    # --- values and layouts a clerk's file can hold -------------------------------------------------
    "names_made_of_emoji.xlsx": E(letters=2, codes={"E-NAME-01": 1}),
    "boolean_true_in_date_cells.xlsx": E(letters=2, codes={"E-DATE-01": 1}),
    "ten_thousand_formatted_empty_rows.xlsx": E(letters=3, literal=NAMES),
    # the October sheet belongs to October's run: not a row of September's
    "hidden_sheet_of_another_month.xlsx": E(letters=3, literal=NAMES),
    "registration_kind_dang_ky_lai.xlsx": E(letters=2, codes={"R-KIND-01": 1}),
}


def committed_corpus() -> set[str]:
    return {p.name for p in BAD.iterdir() if p.is_file() and p.suffix != ".py"}


def test_the_corpus_holds_at_least_a_hundred_inputs_each_with_its_expected_end():
    assert committed_corpus() | set(GENERATED) == set(EXPECTED)
    assert len(EXPECTED) >= 100


def test_the_committed_corpus_is_what_the_generator_writes(tmp_path):
    written = {p.name: p for p in make_bad.write_all(tmp_path)}
    assert set(written) == committed_corpus()
    for name, path in written.items():
        if not zipfile_like(path):  # zips differ with the openpyxl version; text must not
            assert path.read_bytes() == (BAD / name).read_bytes(), name


def zipfile_like(path: Path) -> bool:
    return path.read_bytes()[:4] == b"PK\x03\x04"


# --- one input, one run --------------------------------------------------------------------------


def _inputs_with(name: str, tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    folder = inputs / UNIT
    folder.mkdir(parents=True)
    if name.endswith(".yaml"):
        shutil.copy(BAD / name, inputs / "units.yaml")
        make_bad.write_ordinary(folder / "khai_sinh_t9.xlsx")
        return inputs
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs / "units.yaml")
    if name in GENERATED:
        GENERATED[name](folder / name)
    else:
        shutil.copy(BAD / name, folder / name)
    return inputs


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_input_ends_in_a_coded_message_or_a_correct_result(name, tmp_path):
    expect = EXPECTED[name]
    inputs, outputs = _inputs_with(name, tmp_path), tmp_path / "outputs"
    try:
        result = run_unit(UNIT, expect.period, inputs=inputs, outputs=outputs, today=TODAY)
    except HcpvndError as exc:  # any other exception is a traceback, and fails here
        _assert_stopped(exc, expect, name, outputs)
        return
    assert not (expect.raises or expect.files), f"expected {expect.raises or expect.files}"
    summary = result.summary
    _assert_accounting(summary)
    _assert_outcomes(summary, expect, name)
    assert _warning_codes(result) == Counter(expect.warnings)
    _assert_complete_outputs(result, summary, outputs)
    _assert_letters_print_literally(result, summary, expect)


def _assert_stopped(exc: HcpvndError, expect: Expect, name: str, outputs: Path) -> None:
    """A run that stops says why, with a code; a file that cannot be read stops the unit's run
    (E-FILE-07, naming each file and its own code) before any letter, and is listed in
    rejected.xlsx."""
    _assert_clerk_message(str(exc), exc.code)
    if expect.files:
        assert exc.code == "E-FILE-07"
        for code in expect.files:
            assert f"[{code}] Tệp {visible(name)}" in str(exc)
        rejected = next(outputs.rglob("rejected.xlsx"))
        _assert_plain_workbook(rejected)
        sheet = openpyxl.load_workbook(rejected, read_only=True)["Không gửi thư"]
        assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == list(
            expect.files
        )
    else:
        assert exc.code == expect.raises
    assert not list(outputs.rglob("*.docx")) and not list(outputs.rglob("*.part"))


def _assert_clerk_message(message: str, code: str) -> None:
    assert message.startswith(f"[{code}] ")
    assert any(ord(char) > 127 for char in message), message  # Vietnamese, with diacritics
    assert not re.search(r"Traceback|\b\w+(Error|Exception)\b", message), message


def _assert_accounting(summary: dict) -> None:
    for event, counts in summary["counts"].items():
        assert counts["rows"] == sum(counts[name] for name in COUNT_NAMES.values()), event
    rows = sum(c["rows"] for c in summary["counts"].values())
    letters = sum(c["letters"] for c in summary["counts"].values())
    # every row without a letter says why: the summary lists them (the first MAX_LISTED)
    assert len(summary["rejected"]) == min(rows - letters, MAX_LISTED)


def _assert_outcomes(summary: dict, expect: Expect, name: str) -> None:
    counts = summary["counts"]
    assert counts[expect.event]["letters"] == expect.letters
    assert sum(c["letters"] for c in counts.values()) == expect.letters
    assert len(summary["letters"]) == expect.letters
    row_codes = Counter(e["code"] for e in summary["rejected"])
    assert row_codes == Counter(expect.codes)
    for entry in summary["rejected"]:
        _assert_clerk_message(entry["message"], entry["code"])
        assert entry["file"] == visible(name) and entry["event"] == expect.event
        assert f"dòng {entry['row']}" in entry["message"]
        for shown in (entry["file"], entry["sheet"], entry["column"], entry["message"]):
            assert not re.search(RAW_CONTROLS, shown), shown  # escaped: \x1b, never ESC


def _warning_codes(result) -> Counter:
    found = Counter(w.code for w in result.warnings)
    return found + Counter(w.code for o in result.outcomes for w in o.record.warnings)


RAW_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def _assert_complete_outputs(result, summary: dict, outputs: Path) -> None:
    """Nothing half-written: no temporary file; every .docx, the workbook and the summary open."""
    assert not list(outputs.rglob("*.part"))
    assert json.loads((result.out_dir / "summary.json").read_text(encoding="utf-8")) == summary
    _assert_plain_workbook(result.out_dir / "rejected.xlsx")
    book = openpyxl.load_workbook(result.out_dir / "rejected.xlsx", read_only=True)
    assert book.sheetnames == ["Cần sửa", "Không gửi thư", "Cảnh báo"]
    book.close()
    letters = sorted(result.out_dir.glob("letters/*/*.docx"))
    assert len(letters) == len(summary["letters"])
    for path in [*letters, *result.out_dir.glob("ban_in_*.docx")]:
        docx.Document(str(path))
    with Ledger(outputs / "ledger.sqlite") as book:
        assert len(book.letters_for(result.unit, result.period)) == len(letters)


def _assert_plain_workbook(path: Path) -> None:
    """Every string the workbook holds is a string (never a formula; one that starts like a
    formula is marked as text), with no raw control character (#12, points 8 and 9)."""
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["Cần sửa", "Không gửi thư"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not re.search(RAW_CONTROLS, cell.value), cell.value
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, cell.value


def _assert_letters_print_literally(result, summary: dict, expect: Expect) -> None:
    texts = [extract_text(result.out_dir / letter["file"]) for letter in summary["letters"]]
    printed = "\n".join(texts)
    for text in texts:
        assert unicodedata.is_normalized("NFC", text)
        for literal in expect.literal:  # the data's own braces are no leftover of the template
            text = text.replace(literal, "")
        for leftover in ("{{", "{%", "None", "nan", "NaT"):
            assert leftover not in text
    for literal in expect.literal:
        assert literal in printed, literal
    for absent in expect.absent:
        assert absent not in printed, repr(absent)
    if expect.literal and texts:
        print_file = extract_text(result.print_files[expect.event])
        assert all(literal in print_file for literal in expect.literal)


# --- no path leaves the inputs and outputs folders -----------------------------------------------


@pytest.mark.parametrize("key", ["../../x", "/tmp/x", "phuoc-thanh/../../x", "..\\..\\x", ""])
def test_a_unit_argument_that_would_leave_the_folders_is_refused(key, tmp_path):
    inputs = _inputs_with("dates_as_text_five_formats.xlsx", tmp_path / "work")
    with pytest.raises(HcpvndError) as raised:
        run_unit(key, PERIOD, inputs=inputs, outputs=tmp_path / "work" / "outputs", today=TODAY)
    assert raised.value.code == "E-CONF-03"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert not (tmp_path / "work" / "outputs").exists()
