"""Letters that fit the family (issue #17): variants of each event's template chosen by rules in
units.yaml (``letters:``), checked when the units file is loaded and before any letter is made,
and the default variants' wording. Real units files, real Word templates, real runs."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from hcpvnd_utils import letterfields
from hcpvnd_utils.config import load_units
from hcpvnd_utils.errors import ConfigError, TemplateError
from hcpvnd_utils.letters import templates
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import (
    SAMPLE_DATE,
    SAMPLE_RECORDS,
    SAMPLE_UNIT,
    compile_for_run,
    extract_text,
)
from hcpvnd_utils.variants import choose

ROOT = Path(__file__).resolve().parents[1]
UNITS_2024 = ROOT / "inputs" / "units.yaml"
SHIPPED = ROOT / "templates"
GOLDEN = Path(__file__).parent / "golden"
RULES_KHAI_TU = """  khai_tu:
    - variant: tre_em               # trẻ em (dưới 16 tuổi)
      when: tuoi_nguoi_mat < 16
"""


def units_with(tmp_path: Path, old: str, new: str) -> Path:
    text = UNITS_2024.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "units.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path / "units.yaml"


# --- rules, checked when the units file is loaded ----------------------------------------------


@pytest.mark.parametrize(
    "new, key, words",
    [
        ("      when: ngay_mat < 16\n", "letters.khai_tu[0].when",
         "“ngay_mat” là ngày: so sánh với một ngày viết dạng 2024-03-01"),
        ("      when: tuoi_nguoi < 16\n", "letters.khai_tu[0].when",
         "không có trường “tuoi_nguoi” để so sánh (có phải “tuoi_nguoi_mat”?)"),
        ("      when: so_tre >= 2\n", "letters.khai_tu[0].when",
         "trường “so_tre” chỉ có trong thư khai sinh"),
        ("      when: tuoi_nguoi_mat < mười sáu\n", "letters.khai_tu[0].when",
         "“tuoi_nguoi_mat” là số: so sánh với một số"),
        ("      when: gioi_tinh_nguoi_mat < Nam\n", "letters.khai_tu[0].when",
         "“gioi_tinh_nguoi_mat” là chữ: chỉ so sánh bằng =, !=, chứa"),
        ("      when: co_nguoi_khai = có lẽ\n", "letters.khai_tu[0].when",
         "là Đúng/Sai: viết co_nguoi_khai = đúng"),
        ("      when: tuoi_nguoi_mat khoảng 16\n", "letters.khai_tu[0].when",
         "phải viết: tên trường, phép so sánh"),
        ("      when:\n", "letters.khai_tu[0]", "phải đứng cuối danh sách"),
        ("      when: tuoi_nguoi_mat < 16\n      mau: x\n", "letters.khai_tu[0].mau",
         "quy tắc chỉ có hai mục"),
    ],
)  # fmt: skip
def test_a_rule_that_cannot_work_is_refused_at_load_naming_the_key(tmp_path, new, key, words):
    path = units_with(tmp_path, "      when: tuoi_nguoi_mat < 16\n", new)
    with pytest.raises(ConfigError) as refused:
        load_units(path)
    assert refused.value.code == "E-CONF-02"
    assert f"mục {key}:" in refused.value.message and words in refused.value.message


def test_a_variant_name_that_cannot_name_a_file_is_refused(tmp_path):
    path = units_with(tmp_path, "variant: tre_em ", "variant: Tre-Em ")
    with pytest.raises(ConfigError, match=r"letters\.khai_tu\[0\]\.variant: tên mẫu"):
        load_units(path)


def test_a_units_own_rules_replace_the_files_for_that_event(tmp_path):
    path = units_with(
        tmp_path, "    name: Phước An\n",
        "    name: Phước An\n    letters:\n      khai_tu:\n        - variant: thiep\n",
    )  # fmt: skip
    config = load_units(path)
    assert [r.variant for r in config.rules_for("phuoc-an")["khai_tu"]] == ["thiep"]
    assert [r.variant for r in config.rules_for("phuoc-an")["khai_sinh"]] == ["sinh_doi"]
    assert [r.variant for r in config.rules_for("phuoc-son")["khai_tu"]] == ["tre_em", "cao_tuoi"]
    text = path.read_text(encoding="utf-8").replace(
        "        - variant: thiep\n", "        - variant: thiep\n          when: so_tre > 1\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"units\.phuoc-an\.letters\.khai_tu\[0\]\.when"):
        load_units(path)


@pytest.mark.parametrize(
    "born, variant",
    [(date(2017, 3, 1), "tre_em"), (date(2008, 9, 3), "tre_em"), (date(2008, 9, 2), ""),
     (1950, ""), (date(1944, 9, 2), "cao_tuoi"), (1929, "cao_tuoi"), (None, "")],
)  # fmt: skip
def test_the_first_rule_that_holds_chooses_the_variant(born, variant):
    rules = load_units(UNITS_2024).rules_for("phuoc-son")["khai_tu"]
    values = {**SAMPLE_RECORDS["khai_tu"], "deceased_dob": born, "death_date": date(2024, 9, 2)}
    assert choose(rules, letterfields.letter_facts("khai_tu", values, {})) == variant


def test_a_foreign_spouse_is_read_from_the_nationality_or_the_registration_kind():
    rules = load_units(UNITS_2024).rules_for("phuoc-son")["ket_hon"]
    plain = SAMPLE_RECORDS["ket_hon"]
    for changes, variant in [({}, ""), ({"wife_nationality": "Hàn Quốc"}, "nuoc_ngoai"),
                             ({"husband_nationality": "Viet Nam"}, ""),
                             ({"reg_kind": "Có yếu tố nước ngoài"}, "nuoc_ngoai")]:  # fmt: skip
        facts = letterfields.letter_facts("ket_hon", {**plain, **changes}, {})
        assert choose(rules, facts) == variant, changes


# --- templates: every variant a rule chooses is there and sound -------------------------------


@pytest.fixture
def base_templates(tmp_path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for event in ("khai_sinh", "ket_hon", "khai_tu"):
        shutil.copy(SHIPPED / f"{event}.docx", folder)
    return folder


def test_a_variant_without_its_template_stops_the_run_before_any_letter(tmp_path, base_templates):
    outputs = tmp_path / "outputs"
    with pytest.raises(TemplateError) as stopped:
        run_unit("phuoc-son", "2024-12", outputs=outputs, templates=base_templates)
    missing = [p.message for p in stopped.value.problems if p.code == "E-TPL-09"]
    for key in ("khai_sinh[0]", "ket_hon[0]", "khai_tu[0]", "khai_tu[1]"):
        assert sum(f"Quy tắc letters.{key} trong units.yaml" in m for m in missing) == 1, key
    assert len(missing) == 4
    assert "templates/phuoc-son/khai_tu_tre_em.docx hoặc templates/khai_tu_tre_em.docx" in (
        stopped.value.message
    )
    assert not list(outputs.rglob("*.docx"))


def test_templates_check_names_the_rule_whose_template_is_missing(base_templates):
    from test_cli import hcpvnd

    code, out, _ = hcpvnd("templates", "check", "--templates-dir", base_templates)
    assert code == 2
    assert out.count("[E-TPL-09]") == 4
    assert "Quy tắc letters.khai_tu[1] trong units.yaml chọn mẫu “cao_tuoi”" in out
    shutil.copy(SHIPPED / "khai_tu_cao_tuoi.docx", base_templates)
    code, out, _ = hcpvnd("templates", "check", "--templates-dir", base_templates)
    assert out.count("[E-TPL-09]") == 3 and "letters.khai_tu[1]" not in out


def test_templates_check_refuses_a_rule_naming_an_unknown_field(tmp_path):
    from test_cli import hcpvnd

    units_with(tmp_path, "when: tuoi_nguoi_mat < 16", "when: tuoi < 16")
    code, out, err = hcpvnd("templates", "check", "--inputs", tmp_path)
    assert code == 2 and "[E-CONF-02]" in err and "letters.khai_tu[0].when" in err


def test_templates_check_checks_every_variant_file(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(SHIPPED, folder)
    shutil.copy(ROOT / "tests" / "data" / "templates" / "broken_tag.docx",
                folder / "khai_tu_tre_em.docx")  # fmt: skip
    found = templates.check_all(folder)
    assert {(p.code, p.file) for p in found} == {("E-TPL-01", "khai_tu_tre_em.docx")}


def test_a_units_own_variant_wins_over_the_default(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(SHIPPED, folder)
    (folder / "phuoc-an").mkdir()
    shutil.copy(SHIPPED / "khai_tu_thiep.docx", folder / "phuoc-an" / "khai_tu_tre_em.docx")
    rules = load_units(UNITS_2024).rules_for("phuoc-an")
    own = compile_for_run(folder, "phuoc-an", rules=rules).template("khai_tu", "tre_em")
    other = compile_for_run(folder, "phuoc-son", rules=rules).template("khai_tu", "tre_em")
    assert own.path == folder / "phuoc-an" / "khai_tu_tre_em.docx"
    assert other.path == folder / "khai_tu_tre_em.docx"


# --- the default variants' wording -------------------------------------------------------------

CASES = {
    "khai_sinh_sinh_doi": ("khai_sinh", {}, [{"child_full_name": "Nguyễn Minh An",
                                              "child_sex": "Nữ", "reg_no": "102"}]),
    "ket_hon_nuoc_ngoai": ("ket_hon", {"wife_full_name": "Kim Ji Yeon",
                                       "wife_nationality": "Hàn Quốc"}, []),
    "khai_tu_tre_em": ("khai_tu", {"deceased_full_name": "Võ Minh Tâm", "deceased_sex": "Nam",
                                   "deceased_dob": date(2017, 5, 4),
                                   "declarant_full_name": "Võ Văn Hải",
                                   "declarant_relation": "Cha"}, []),
    "khai_tu_cao_tuoi": ("khai_tu", {}, []),
    "khai_sinh_thiep": ("khai_sinh", {}, []),
    "ket_hon_thiep": ("ket_hon", {}, []),
    "khai_tu_thiep": ("khai_tu", {}, []),
}  # fmt: skip


def variant_text(name: str) -> str:
    event, changes, siblings = CASES[name]
    values = {**SAMPLE_RECORDS[event], **changes}
    others = [{**values, **sibling} for sibling in siblings]
    context = letterfields.letter_context(event, values, SAMPLE_UNIT, {}, SAMPLE_DATE, others)
    compiled = templates.CompiledTemplate.from_path(SHIPPED / f"{name}.docx")
    return extract_text(compiled.render_bytes(context))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_default_variant_reads_as_its_golden_text(name):
    text = variant_text(name)
    golden = GOLDEN / f"{name}.txt"
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert text + "\n" == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("khai_tu")] + ["khai_tu"])
def test_condolence_variants_are_sober_and_print_no_age(name):
    text = variant_text(name) if name in CASES else extract_text(
        templates.CompiledTemplate.from_path(SHIPPED / "khai_tu.docx").render_bytes(
            templates.sample_context("khai_tu")))  # fmt: skip
    assert templates.SOBER.search(text) is None
    for word in ("tuổi", "hưởng thọ", "hưởng dương", "93"):
        assert word not in text


def test_the_childs_and_the_elders_words():
    assert "tin cháu Võ Minh Tâm đã ra đi ngày" in variant_text("khai_tu_tre_em")
    elder = variant_text("khai_tu_cao_tuoi")
    assert "tin cụ Võ Thị Lài đã tạ thế ngày 02/9/2024" in elder


# --- the sample: every planted row gets the letter the manifest says -------------------------


PLANTED = [("inputs", "phuoc-hoa", "2024-09"), ("inputs", "phuoc-loc", "2024-10"),
           ("inputs", "phuoc-son", "2024-12"), ("inputs", "tuy-phuoc", "2024-09"),
           ("inputs/gia-lai-2025", "tuy-phuoc", "2025-09")]  # fmt: skip


@pytest.mark.parametrize("inputs, unit, period", PLANTED)
def test_the_samples_planted_rows_get_the_letters_the_manifest_says(tmp_path, inputs, unit,
                                                                   period):  # fmt: skip
    folder = ROOT / inputs
    manifest = json.loads((folder / "sample_manifest.json").read_text(encoding="utf-8"))
    planted = [
        (entry["file"], special)
        for entry in manifest["units"][unit]["files"]
        if entry["month"] == period
        for special in entry["specials"]
        if special.get("variant")
    ]
    assert planted
    result = run_unit(unit, period, inputs=folder, outputs=tmp_path)
    made = {(e["source_file"], e["row"]): e for e in result.summary["letters"]}
    for file, special in planted:
        entry = made[file, special["row"]]
        assert entry["variant"] == special["variant"], special
        together = [made[file, row]["file"] for row in special.get("letter_rows", [])]
        assert len(set(together)) <= 1 and entry["covers"] == max(len(together), 1)
    words = {"sinh_doi": "cháu", "tre_em": "đã ra đi", "cao_tuoi": "đã tạ thế",
             "nuoc_ngoai": "hai nền văn hóa"}  # fmt: skip
    for file, special in planted:
        letter = result.out_dir / made[file, special["row"]]["file"]
        assert words[special["variant"]] in extract_text(letter)


def test_the_print_file_keeps_registration_order_whatever_the_variant(tmp_path):
    result = run_unit("tuy-phuoc", "2024-09", outputs=tmp_path)
    deaths = [e for e in result.summary["letters"] if e["event"] == "khai_tu"]
    assert {e["variant"] for e in deaths} >= {"", "cao_tuoi"}  # a mix of templates
    order = sorted(deaths, key=lambda e: (e["registration_date"], int(e["number"])))
    printed = extract_text(result.out_dir / "ban_in_khai_tu.docx")
    letters = [extract_text(result.out_dir / e["file"]) for e in order]
    assert printed == "\n".join(letters)


def test_a_letter_for_twins_made_with_a_template_for_one_child_is_said(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "phuoc-hoa", inputs / "phuoc-hoa")
    twins_rule = (
        "    - variant: sinh_doi             # sinh đôi, sinh ba: một thư nêu tên các cháu\n"
    )
    units_with(inputs, twins_rule + "      when: so_tre >= 2\n", "")  # births: no rule
    result = run_unit("phuoc-hoa", "2024-09", inputs=inputs, outputs=tmp_path / "out")
    (warning,) = [w.message for w in result.warnings if w.code == "W-TPL-04"]
    assert warning.startswith("[W-TPL-04] 1 thư chúc mừng chung") and "khai_sinh.docx" in warning
    twins = [e for e in result.summary["letters"] if e["covers"] == 2]
    assert len(twins) == 2 and twins[0]["variant"] == ""
