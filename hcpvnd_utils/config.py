"""The units file: the reporting hierarchy, signers, rollout dates and settings.

Loaded once and checked at load time: a mistake is refused with a message naming the file and
the key path (``units.phuoc-son.signer.name``), never discovered halfway through a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from .errors import ConfigError
from .variants import Rule, parse_rules

UNIT_TYPES = {"xã", "phường", "thị trấn", "đặc khu"}
UNIT_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

DEFAULT_SETTINGS = {
    "birth_max_age_months": 12,  # older at registration: re-registration or late, no letter
    "death_max_delay_days": 90,  # death registered later than this: no condolence letter
    "letter_date": "registration",  # "registration" or "run" (the day the letters are made)
    "address_style": "anh_chi",  # "anh_chi" (warm) or "ong_ba" (formal) for young couples/parents
    "formal_age": 50,  # a party this old or older is "ông/bà" rather than "anh/chị"
    "elder_age": 70,  # a deceased this old or older is "cụ"
    "adult_age": 40,  # a deceased this old or older (and younger than elder_age) is "ông/bà"
    "child_age": 16,  # a deceased younger than this is "cháu"
    "long_life_age": 60,  # huong_tho says "hưởng thọ" from this age, "hưởng dương" below it
    "excluded_kinds": ["đăng ký lại", "ghi chú", "ghi vào sổ"],
    "delivery_days": 15,  # a letter not handed over this many days after it was made is late
}
SETTING_CHOICES = {"letter_date": ("registration", "run"), "address_style": ("anh_chi", "ong_ba")}


@dataclass(frozen=True)
class Signer:
    authority: str  # "TM. ỦY BAN NHÂN DÂN"
    title: str  # "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    name: str

    @property
    def title_lines(self) -> list[str]:
        return [line.strip() for line in self.title.splitlines() if line.strip()]


@dataclass(frozen=True)
class Rollout:
    plan_issued: date | None
    launch: date | None
    letters_start: date | None
    pilot: bool = False


@dataclass(frozen=True)
class Unit:
    key: str
    code: int
    scheme: str
    type: str  # xã / thị trấn / phường
    name: str  # "Phước Thành"
    short_name: str  # for the date line: "Phước Thành"
    signer: Signer
    rollout: Rollout
    parent: str = ""  # key of the aggregating body, "" when the unit reports itself

    @property
    def full_name(self) -> str:
        """'xã Phước Thành' as written in running text (Phụ lục II: lower-case type)."""
        return f"{self.type} {self.name}"

    @property
    def committee(self) -> str:
        """'Ủy ban nhân dân xã Phước Thành'."""
        return f"Ủy ban nhân dân {self.full_name}"

    @property
    def scheme_code(self) -> tuple[str, int]:
        return (self.scheme, self.code)

    def sending_in(self, start: date, end: date) -> bool:
        """True when the unit sends letters at some point of [start, end]."""
        begin = self.rollout.letters_start
        return begin is not None and begin <= end


@dataclass(frozen=True)
class Aggregator:
    """The body that collects the units' results and reports upward (district, or none)."""

    key: str
    code: int
    type: str  # "huyện"
    name: str
    place: str
    signer: Signer
    office: str = ""  # "Văn phòng HĐND và UBND huyện"
    target_date: date | None = None
    target_share: int = 100


@dataclass(frozen=True)
class UnitsConfig:
    path: Path
    scheme: str
    province: str  # "Bình Định"
    province_code: int
    report_to: str  # "Ủy ban nhân dân tỉnh Bình Định"
    units: dict[str, Unit]
    aggregator: Aggregator | None
    settings: dict = field(default_factory=dict)
    valid_from: date | None = None
    valid_to: date | None = None
    # letter variants (variants.py): {event: rules} for every unit, and a unit's own per event
    letters: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    unit_letters: dict[str, dict[str, tuple[Rule, ...]]] = field(default_factory=dict)

    def rules_for(self, unit_key: str) -> dict[str, tuple[Rule, ...]]:
        """The variant rules of a unit: its own ``letters:`` per event, else the file's."""
        return {**self.letters, **self.unit_letters.get(unit_key, {})}

    def unit(self, key: str) -> Unit:
        if key not in self.units:
            raise ConfigError("E-CONF-03", path=self.path, unit=key, known=", ".join(self.units),
                              hint=self.close_key(str(key)))  # fmt: skip
        return self.units[key]

    def close_key(self, typed: str) -> str:
        """' Có phải “phuoc-quang”?' for a typo or the unit's name typed in words, else ''."""
        close = self.closest_key(typed)
        return f" Có phải “{close}”?" if close else ""

    def closest_key(self, typed: str) -> str | None:
        """The unit key a typo or the unit's name typed in words means, if any."""
        from difflib import get_close_matches

        from .textnorm import fold

        def slug(text: str) -> str:  # "Phước Quang", "phuoc quang", "PHUOC_QUANG": phuoc-quang
            return "-".join(re.findall(r"[a-z0-9]+", fold(text)))

        by_name = {slug(u.name): k for k, u in self.units.items()}
        slug = slug(typed)
        return by_name.get(slug) or next(
            iter(get_close_matches(slug, list(self.units), n=1, cutoff=0.75)), None
        )

    def sending_units(self, start: date, end: date) -> list[Unit]:
        return [u for u in self.units.values() if u.sending_in(start, end)]


class _Reader:
    """Reads values out of the YAML tree, naming the key path in every error."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, detail: str):
        raise ConfigError("E-CONF-02", path=self.path, key=key, detail=detail)

    def mapping(self, node, key: str) -> dict:
        if not isinstance(node, dict):
            self.fail(key, "phải là một nhóm các mục (khóa: giá trị)")
        return node

    def text(self, node: dict, name: str, key: str, required: bool = True) -> str:
        value = node.get(name)
        if value is None or str(value).strip() == "":
            if required:
                self.fail(f"{key}.{name}", "thiếu giá trị")
            return ""
        if not isinstance(value, (str, int)):
            self.fail(f"{key}.{name}", f"“{value}” phải là chữ")
        return str(value).strip()

    def integer(self, node: dict, name: str, key: str) -> int:
        value = node.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{key}.{name}", f"“{value}” phải là một số nguyên")
        return value

    def day(self, node: dict, name: str, key: str) -> date | None:
        value = node.get(name)
        if value is None:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{key}.{name}", f"“{value}” không phải ngày (viết dạng 2024-03-01)")

    def settings(self, node) -> dict:
        """The settings block: every key known, every value of its kind (a typo in a choice
        would otherwise address every family the wrong way without a word)."""
        given = self.mapping(node, "settings")
        for name in given:
            if name not in DEFAULT_SETTINGS:
                known = ", ".join(DEFAULT_SETTINGS)
                self.fail(f"settings.{name}", f"không có thiết lập này (các thiết lập: {known})")
        settings = dict(DEFAULT_SETTINGS)
        for name, default in DEFAULT_SETTINGS.items():
            if name not in given:
                continue
            if name in SETTING_CHOICES:
                value = self.text(given, name, "settings")
                if value not in SETTING_CHOICES[name]:
                    allowed = " hoặc ".join(SETTING_CHOICES[name])
                    self.fail(f"settings.{name}", f"“{value}” phải là {allowed}")
            elif isinstance(default, int):
                value = self.integer(given, name, "settings")
                if value < 0:
                    self.fail(f"settings.{name}", f"“{value}” phải là số không âm")
            else:
                value = given[name] or []
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    self.fail(f"settings.{name}", "phải là một danh sách chữ, mỗi dòng một mục")
            settings[name] = value
        return settings

    def signer(self, node: dict, key: str) -> Signer:
        if "signer" not in node:
            self.fail(f"{key}.signer", "thiếu người ký (authority, title, name)")
        block = self.mapping(node["signer"], f"{key}.signer")
        where = f"{key}.signer"
        return Signer(
            self.text(block, "authority", where),
            self.text(block, "title", where),
            self.text(block, "name", where),
        )


def load_units(path: str | Path) -> UnitsConfig:
    path = Path(path)
    if not path.is_file() and not path.is_symlink():  # a wrong --inputs, not a YAML mistake
        raise ConfigError("E-CONF-05", folder=path.parent, path=path)
    try:
        tree = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except _DuplicateKey as dup:
        raise ConfigError(
            "E-CONF-02", path=path, key=f"{dup.key} (dòng {dup.line})", detail="khóa này bị lặp lại"
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError("E-CONF-01", path=path, detail=read_reason(exc)) from None
    read = _Reader(path)
    tree = read.mapping(tree, "(gốc)")
    scheme = read.text(tree, "scheme", "(gốc)")
    province = read.mapping(tree.get("province"), "province")
    units_node = read.mapping(tree.get("units"), "units")
    if not units_node:
        read.fail("units", "không có đơn vị nào")
    units = {key: _unit(read, scheme, key, node) for key, node in units_node.items()}
    _check_unique_codes(read, units)
    aggregator = _aggregator(read, tree["district"]) if tree.get("district") else None
    settings = read.settings(tree.get("settings") or {})
    letters = parse_rules(tree["letters"], "letters", read.fail) if tree.get("letters") else {}
    unit_letters = {
        key: parse_rules(node["letters"], f"units.{key}.letters", read.fail)
        for key, node in units_node.items()
        if isinstance(node, dict) and node.get("letters")
    }
    return UnitsConfig(
        path=path,
        scheme=scheme,
        province=read.text(province, "name", "province"),
        province_code=read.integer(province, "code", "province"),
        report_to=read.text(tree, "report_to", "(gốc)"),
        units=units,
        aggregator=aggregator,
        settings=settings,
        valid_from=read.day(tree, "valid_from", "(gốc)"),
        valid_to=read.day(tree, "valid_to", "(gốc)"),
        letters=letters,
        unit_letters=unit_letters,
    )


def read_reason(exc: Exception) -> str:
    """Why a YAML file (units, aliases, narrative) could not be read, in words a clerk can
    act on."""
    if isinstance(exc, FileNotFoundError):
        return "không có tệp này"
    if isinstance(exc, PermissionError):
        return "không có quyền đọc tệp"
    if isinstance(exc, UnicodeDecodeError):
        return "tệp không lưu bằng mã UTF-8 (lưu lại với mã UTF-8)"
    mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, yaml.YAMLError) and mark is not None:
        return f"sai cú pháp ở dòng {mark.line + 1}, cột {mark.column + 1}"
    return "tệp bị hỏng" if isinstance(exc, yaml.YAMLError) else "lỗi đọc tệp"


def _unit(read: _Reader, scheme: str, key, node) -> Unit:
    where = f"units.{key}"
    if not isinstance(key, str) or not UNIT_KEY.match(key):
        # the key names a folder under inputs/ and outputs/: nothing that could leave them
        read.fail(where, "tên khóa chỉ gồm chữ thường không dấu, số và dấu gạch ngang")
    node = read.mapping(node, where)
    kind = read.text(node, "type", where)
    if kind not in UNIT_TYPES:
        read.fail(
            f"{where}.type", f"“{kind}” không phải loại đơn vị ({', '.join(sorted(UNIT_TYPES))})"
        )
    name = read.text(node, "name", where)
    rollout_node = read.mapping(node.get("rollout") or {}, f"{where}.rollout")
    rollout = Rollout(
        plan_issued=read.day(rollout_node, "plan_issued", f"{where}.rollout"),
        launch=read.day(rollout_node, "launch", f"{where}.rollout"),
        letters_start=read.day(rollout_node, "letters_start", f"{where}.rollout"),
        pilot=bool(rollout_node.get("pilot", False)),
    )
    return Unit(
        key=key,
        code=read.integer(node, "code", where),
        scheme=scheme,
        type=kind,
        name=name,
        short_name=read.text(node, "short_name", where, required=False) or name,
        signer=read.signer(node, where),
        rollout=rollout,
        parent=read.text(node, "parent", where, required=False),
    )


def _check_unique_codes(read: _Reader, units: dict[str, Unit]) -> None:
    seen: dict[int, str] = {}
    for unit in units.values():
        if unit.code in seen:
            read.fail(
                f"units.{unit.key}.code", f"mã {unit.code} trùng với đơn vị {seen[unit.code]}"
            )
        seen[unit.code] = unit.key


def _aggregator(read: _Reader, node) -> Aggregator:
    node = read.mapping(node, "district")
    target = read.mapping(node.get("target") or {}, "district.target")
    key = read.text(node, "key", "district")
    if not UNIT_KEY.match(key):  # it names the report's folder under outputs/
        read.fail("district.key", "tên khóa chỉ gồm chữ thường không dấu, số và dấu gạch ngang")
    return Aggregator(
        key=key,
        code=read.integer(node, "code", "district"),
        type=read.text(node, "type", "district", required=False) or "huyện",
        name=read.text(node, "name", "district"),
        place=read.text(node, "place", "district", required=False)
        or read.text(node, "name", "district"),
        signer=read.signer(node, "district"),
        office=read.text(node, "office", "district", required=False),
        target_date=read.day(target, "date", "district.target"),
        target_share=int(target.get("share", 100)),
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML silently keeps the last of two equal keys; a units file must not."""


class _DuplicateKey(Exception):
    def __init__(self, key, line: int):
        self.key, self.line = key, line


def _construct_mapping(loader, node, deep=False):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        keys.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text until _Reader.day checks them, so "2024-02-30" is a message, not a crash.
_UniqueKeyLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
