"""The units file: both shipped hierarchies load, and every kind of mistake is refused at load
time with a message naming the file and the key path."""

from pathlib import Path

import pytest

from hcpvnd_utils.config import load_units
from hcpvnd_utils.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
UNITS_2024 = ROOT / "inputs" / "units.yaml"
UNITS_2025 = ROOT / "inputs" / "gia-lai-2025" / "units.yaml"


def test_2024_hierarchy_is_tuy_phuoc_with_13_units():
    config = load_units(UNITS_2024)
    assert len(config.units) == 13
    assert config.aggregator.name == "Tuy Phước"
    assert config.report_to == "Ủy ban nhân dân tỉnh Bình Định"
    codes = {u.key: u.code for u in config.units.values()}
    assert codes["tuy-phuoc"] == 21952 and codes["phuoc-thanh"] == 21988
    assert config.unit("dieu-tri").type == "thị trấn"
    pilots = sorted(u.key for u in config.units.values() if u.rollout.pilot)
    assert pilots == ["phuoc-nghia", "phuoc-quang"]
    assert all(u.rollout.letters_start.isoformat() <= "2024-09-01" for u in config.units.values())


def test_post_2025_hierarchy_has_4_communes_reporting_to_the_province():
    config = load_units(UNITS_2025)
    assert config.aggregator is None
    assert config.report_to == "Ủy ban nhân dân tỉnh Gia Lai"
    assert sorted(u.name for u in config.units.values()) == [
        "Tuy Phước", "Tuy Phước Bắc", "Tuy Phước Tây", "Tuy Phước Đông",
    ]  # fmt: skip


def test_a_code_means_nothing_without_its_scheme():
    before = load_units(UNITS_2024).unit("phuoc-son")
    after = load_units(UNITS_2025).unit("tuy-phuoc-dong")
    assert before.code == after.code == 21970
    assert before.scheme_code != after.scheme_code


def test_signer_title_may_span_two_lines():
    signer = load_units(UNITS_2024).unit("phuoc-son").signer
    assert signer.title_lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def _broken(tmp_path, old: str, new: str) -> Path:
    text = UNITS_2024.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "units.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("  dieu-tri:\n", "  tuy-phuoc:\n", "tuy-phuoc (dòng"),
        ("type: thị trấn", "type: làng", "units.tuy-phuoc.type"),
        (
            "signer: {authority: TM. ỦY BAN NHÂN DÂN, title: CHỦ TỊCH, name: Nguyễn Văn Toàn}",
            "note: none",
            "units.tuy-phuoc.signer",
        ),
        ("name: Nguyễn Văn Toàn", "name: ''", "units.tuy-phuoc.signer.name"),
        (
            "letters_start: 2024-08-01",
            "letters_start: 31/7/2024",
            "units.tuy-phuoc.rollout.letters_start",
        ),
        (
            "letters_start: 2024-08-01",
            "letters_start: 2024-02-30",
            "units.tuy-phuoc.rollout.letters_start",
        ),
        ("code: 21955", "code: 21952", "units.dieu-tri.code"),
        ("  tuy-phuoc:\n", "  ../../x:\n", "units.../../x"),
        ("code: 21952", "code: hai", "units.tuy-phuoc.code"),
        # a typo in a setting would address every family the wrong way, silently
        ("address_style: anh_chi", "address_style: ong-ba", "settings.address_style"),
        ("letter_date: registration", "letter_date: ngay_in", "settings.letter_date"),
        (
            "birth_max_age_months: 12",
            "birth_max_age_months: mot nam",
            "settings.birth_max_age_months",
        ),
        ("death_max_delay_days: 90", "death_max_delay_days: -1", "settings.death_max_delay_days"),
        (
            "address_style: anh_chi",
            "address_style: anh_chi\n  elder_age: 70 tuổi",
            "settings.elder_age",
        ),
        (
            "address_style: anh_chi",
            "address_style: anh_chi\n  adress_style: ong_ba",
            "settings.adress_style",
        ),
    ],
)
def test_mistakes_are_refused_naming_file_and_key(tmp_path, old, new, key):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_units(path)
    message = caught.value.message
    assert str(path) in message
    assert key in message


def test_unreadable_yaml_is_refused(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("units: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_units(path)
    assert caught.value.code == "E-CONF-01" and str(path) in caught.value.message


def test_unknown_unit_lists_the_known_ones():
    with pytest.raises(ConfigError) as caught:
        load_units(UNITS_2024).unit("phuoc-xyz")
    assert "phuoc-xyz" in caught.value.message and "phuoc-quang" in caught.value.message


@pytest.mark.parametrize("typed", ["phuoc-qaung", "Phước Quang", "PHUOC_QUANG"])
def test_a_mistyped_unit_key_or_the_communes_name_gets_the_key_to_type(typed):
    with pytest.raises(ConfigError) as caught:
        load_units(UNITS_2024).unit(typed)
    assert caught.value.code == "E-CONF-03"
    assert "Có phải “phuoc-quang”?" in str(caught.value)


def test_an_unknown_unit_key_with_nothing_close_lists_the_keys_only():
    with pytest.raises(ConfigError) as caught:
        load_units(UNITS_2024).unit("xyz")
    assert "Có phải" not in str(caught.value) and "phuoc-quang" in str(caught.value)
