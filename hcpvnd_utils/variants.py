"""Letter variants chosen by rules: the vocabulary of ``letters:`` in units.yaml.

A variant is another template of the same event (``templates/khai_tu_tre_em.docx`` is the
variant ``tre_em`` of the condolence letter), chosen for a letter by the first rule of its event
whose conditions all hold; no rule holding, the event's own template. A condition is one line,
``<field> <comparison> <value>``::

    letters:
      khai_tu:
        - variant: tre_em
          when: tuoi_nguoi_mat < 16
        - variant: cao_tuoi
          when: tuoi_nguoi_mat >= 80

Every field, comparison and value is checked when the units file is loaded (``parse_rules``): an
unknown field, a comparison the field's kind has not (a date compared with a number, ``<`` on
text) or a value of the wrong kind is refused naming the key (``letters.khai_tu[0].when``). The
facts a rule tests are computed per letter by ``letterfields.letter_facts``; an unknown fact (an age
without a date of birth) makes no condition hold.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .records import EVENTS
from .textnorm import fold

EVENT_NAMES = {"khai_sinh": "khai sinh", "ket_hon": "kết hôn", "khai_tu": "chia buồn (khai tử)"}
NUMBER, DATE, TEXT, FLAG = "số", "ngày", "chữ", "Đúng/Sai"
VARIANT_NAME = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")

# field -> (kind, events it exists for, meaning): what a rule may test (templates/README.md)
RULE_FIELDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "loai_dang_ky": (TEXT, EVENTS, "loại đăng ký như ghi trong sổ (Đúng hạn, Lưu động…)"),
    "ngay_dang_ky": (DATE, EVENTS, "ngày đăng ký"),
    "so_tre": (NUMBER, ("khai_sinh",), "số trẻ trong thư (2 khi sinh đôi, 3 khi sinh ba)"),
    "gioi_tinh_tre": (TEXT, ("khai_sinh",), "giới tính của trẻ: Nam hoặc Nữ"),
    "ngay_sinh_tre": (DATE, ("khai_sinh",), "ngày sinh của trẻ"),
    "co_cha": (FLAG, ("khai_sinh",), "có tên cha hay không"),
    "tuoi_me": (NUMBER, ("khai_sinh",), "tuổi của mẹ khi đăng ký (theo năm sinh)"),
    "co_nguoi_nuoc_ngoai": (
        FLAG,
        ("ket_hon",),
        "chồng hoặc vợ có quốc tịch khác Việt Nam, hoặc loại đăng ký ghi “nước ngoài”",
    ),
    "quoc_tich_chong": (TEXT, ("ket_hon",), "quốc tịch của chồng như ghi trong sổ"),
    "quoc_tich_vo": (TEXT, ("ket_hon",), "quốc tịch của vợ như ghi trong sổ"),
    "tuoi_chong": (NUMBER, ("ket_hon",), "tuổi của chồng khi đăng ký"),
    "tuoi_vo": (NUMBER, ("ket_hon",), "tuổi của vợ khi đăng ký"),
    "tuoi_nguoi_mat": (NUMBER, ("khai_tu",), "tuổi người mất (tròn năm, tính đến ngày mất)"),
    "gioi_tinh_nguoi_mat": (TEXT, ("khai_tu",), "giới tính người mất: Nam hoặc Nữ"),
    "ngay_mat": (DATE, ("khai_tu",), "ngày mất"),
    "co_nguoi_khai": (FLAG, ("khai_tu",), "có người đi khai tử hay không"),
}

# the comparisons as clerks may type them -> the one we evaluate
OPERATORS = {
    ">=": ">=", "≥": ">=", "=>": ">=", "<=": "<=", "≤": "<=", "=<": "<=",
    "!=": "!=", "<>": "!=", "≠": "!=", "==": "=", "=": "=", "<": "<", ">": ">",
    "chứa": "chứa", "chua": "chứa",
}  # fmt: skip
ORDERED = ("<", "<=", ">", ">=")
KIND_OPERATORS = {
    NUMBER: ("=", "!=", *ORDERED),
    DATE: ("=", "!=", *ORDERED),
    TEXT: ("=", "!=", "chứa"),
    FLAG: ("=", "!="),
}
_CONDITION = re.compile(
    r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|≥|=>|<=|≤|=<|!=|<>|≠|==|=|<|>|chứa\b|chua\b)\s*(.*?)\s*$"
)
_TRUE, _FALSE = {"dung", "co", "true", "yes"}, {"sai", "khong", "false", "no"}
_QUOTES = "\"'“”‘’"


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object  # int/float, date, bool or folded text, as the field's kind

    def holds(self, facts: dict) -> bool:
        fact = facts.get(self.field)
        if fact is None or fact == "":
            return False
        if RULE_FIELDS[self.field][0] == TEXT:
            text = fold(fact)
            return {"=": text == self.value, "!=": text != self.value,
                    "chứa": self.value in text}[self.op]  # fmt: skip
        return _compare(fact, self.op, self.value)


def _compare(fact, op: str, value) -> bool:
    if op == "=":
        return fact == value
    if op == "!=":
        return fact != value
    return {"<": fact < value, "<=": fact <= value, ">": fact > value, ">=": fact >= value}[op]


@dataclass(frozen=True)
class Rule:
    variant: str
    conditions: tuple[Condition, ...]
    key: str  # where it is written: "letters.khai_tu[0]" (units.phuoc-an.letters…)

    def holds(self, facts: dict) -> bool:
        return all(condition.holds(facts) for condition in self.conditions)


def choose(rules, facts: dict) -> str:
    """The variant of the first rule that holds; "" (the event's own template) when none."""
    return next((rule.variant for rule in rules or () if rule.holds(facts)), "")


Fail = Callable[[str, str], None]  # (key, Vietnamese detail) -> raises ConfigError


def parse_rules(node, where: str, fail: Fail) -> dict[str, tuple[Rule, ...]]:
    """``letters:`` of a units file (or of one unit): {event: rules}, every rule checked."""
    if not isinstance(node, dict):
        fail(where, "phải là một nhóm theo loại thư (khai_sinh, ket_hon, khai_tu)")
    rules = {}
    for event, entries in node.items():
        if event not in EVENTS:
            fail(
                f"{where}.{event}", "không có loại thư này (các loại: khai_sinh, ket_hon, khai_tu)"
            )
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            fail(f"{where}.{event}", "phải là một danh sách quy tắc, mỗi quy tắc bắt đầu bằng “- ”")
        rules[event] = tuple(
            _rule(entry, event, f"{where}.{event}[{i}]", fail, last=i == len(entries) - 1)
            for i, entry in enumerate(entries)
        )
    return rules


def _rule(entry, event: str, key: str, fail: Fail, last: bool) -> Rule:
    if not isinstance(entry, dict):
        fail(key, "mỗi quy tắc có “variant:” (tên mẫu) và “when:” (điều kiện)")
    for name in entry:
        if name not in ("variant", "when"):
            fail(f"{key}.{name}", "quy tắc chỉ có hai mục: variant và when")
    variant = entry.get("variant")
    if not isinstance(variant, str) or not VARIANT_NAME.match(variant):
        fail(f"{key}.variant", "tên mẫu chỉ gồm chữ thường không dấu, số và dấu gạch dưới "
             f"(ví dụ tre_em: mẫu templates/{event}_tre_em.docx)")  # fmt: skip
    when = entry.get("when")
    lines = [] if when is None else when if isinstance(when, list) else [when]
    if not lines and not last:
        fail(key, "quy tắc không có điều kiện (when) dùng cho mọi thư nên phải đứng cuối danh sách")
    conditions = tuple(
        _condition(line, event, f"{key}.when" + (f"[{i}]" if isinstance(when, list) else ""), fail)
        for i, line in enumerate(lines)
    )
    return Rule(variant, conditions, key)


def _condition(line, event: str, key: str, fail: Fail) -> Condition:
    text = str(line) if isinstance(line, (str, int, float)) else ""
    found = _CONDITION.match(text)
    if not found or not found[3]:
        fail(key, f"“{text}” phải viết: tên trường, phép so sánh (=, !=, <, <=, >, >=, chứa) và "
                  "giá trị, ví dụ: tuoi_nguoi_mat < 16")  # fmt: skip
    name, op, raw = found[1], OPERATORS[found[2]], found[3].strip(_QUOTES).strip()
    _known_field(name, event, key, fail)
    kind = RULE_FIELDS[name][0]
    if op not in KIND_OPERATORS[kind]:
        allowed = ", ".join(KIND_OPERATORS[kind])
        fail(key, f"“{name}” là {kind}: chỉ so sánh bằng {allowed}, không dùng “{found[2]}”")
    return Condition(name, op, _value(raw, kind, name, key, fail))


def _known_field(name: str, event: str, key: str, fail: Fail) -> None:
    if name in RULE_FIELDS and event in RULE_FIELDS[name][1]:
        return
    if name in RULE_FIELDS:
        owners = " hoặc ".join(EVENT_NAMES[e] for e in RULE_FIELDS[name][1])
        fail(key, f"trường “{name}” chỉ có trong thư {owners}, không có trong thư "
                  f"{EVENT_NAMES[event]}")  # fmt: skip
    mine = [f for f, (_, events, _) in RULE_FIELDS.items() if event in events]
    close = difflib.get_close_matches(name, mine, n=1, cutoff=0.7)
    hint = f" (có phải “{close[0]}”?)" if close else ""
    fail(key, f"không có trường “{name}” để so sánh{hint}; các trường dùng được trong thư "
              f"{EVENT_NAMES[event]}: {', '.join(mine)}")  # fmt: skip


def _value(raw: str, kind: str, name: str, key: str, fail: Fail):
    if kind == NUMBER:
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            fail(key, f"“{name}” là số: so sánh với một số (ví dụ {name} >= 80), không với “{raw}”")
        return int(number) if number.is_integer() else number
    if kind == DATE:
        day = parse_day(raw)
        if day is None:
            fail(key, f"“{name}” là ngày: so sánh với một ngày viết dạng 2024-03-01 hoặc "
                      f"01/03/2024, không với “{raw}”")  # fmt: skip
        return day
    if kind == FLAG:
        word = fold(raw)
        if word not in _TRUE | _FALSE:
            fail(key, f"“{name}” là Đúng/Sai: viết {name} = đúng hoặc {name} = sai")
        return word in _TRUE
    return fold(raw)


def parse_day(text: str) -> date | None:
    """'2024-03-01' or '01/03/2024' (day first) -> a date; None otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if not found:
        return None
    try:
        return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None


def fields_of(event: str) -> dict[str, tuple[str, str]]:
    """The fields a rule of ``event`` may test: name -> (kind, meaning)."""
    return {n: (kind, text) for n, (kind, events, text) in RULE_FIELDS.items() if event in events}
