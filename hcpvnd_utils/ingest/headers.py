"""Find the header row of a register export and say which column holds which field.

Headers are matched by their folded key (``textnorm.fold``) against the aliases in
``data/aliases.yaml`` (plus ``inputs/aliases.yaml`` when a user adds one). A header names a
field by itself ("Họ tên mẹ"), or names a part ("Họ và tên") whose owner comes from a group
word — the merged cell above it ("Người chết" over "Họ và tên") or words in the same cell
("Năm sinh của cha") — or, with none, from the column order (child/deceased/husband first).
The same files list the cell values that mean "empty" (``empty_values``: "None", "x", "-").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..config import read_reason
from ..errors import ConfigError
from ..layout import DATA_DIR
from ..records import EVENTS, FIELDS
from ..textnorm import EmptyValues, clean_text, fold

ALIASES_FILE = DATA_DIR / "aliases.yaml"
PARTS = ("full_name", "dob", "birth_year", "residence", "sex", "pid", "relation", "nationality")
# What a part means for each person; "relation" is always the declarant's.
COMPOSE = {
    "child": {"full_name": "child_full_name", "dob": "child_dob", "sex": "child_sex",
              "pid": "child_pid"},
    "mother": {"full_name": "mother_full_name", "birth_year": "mother_birth_year",
               "dob": "mother_birth_year", "residence": "mother_residence", "pid": "mother_pid"},
    "father": {"full_name": "father_full_name", "birth_year": "father_birth_year",
               "dob": "father_birth_year", "residence": "father_residence"},
    "husband": {"full_name": "husband_full_name", "dob": "husband_dob", "birth_year": "husband_dob",
                "residence": "husband_residence", "pid": "husband_pid",
                "nationality": "husband_nationality"},
    "wife": {"full_name": "wife_full_name", "dob": "wife_dob", "birth_year": "wife_dob",
             "residence": "wife_residence", "pid": "wife_pid", "nationality": "wife_nationality"},
    "deceased": {"full_name": "deceased_full_name", "dob": "deceased_dob",
                 "birth_year": "deceased_dob", "sex": "deceased_sex", "pid": "deceased_pid",
                 "residence": "last_residence"},
    "declarant": {"full_name": "declarant_full_name", "relation": "declarant_relation",
                  "residence": "declarant_residence", "sex": "declarant_sex"},
}  # fmt: skip
ROLE_EVENT = {"child": "khai_sinh", "mother": "khai_sinh", "father": "khai_sinh",
              "husband": "ket_hon", "wife": "ket_hon", "deceased": "khai_tu"}  # fmt: skip
# Whose a part is when nothing says so: the people of each event, in register order.
ROLE_ORDER = {
    "khai_sinh": ("child", "mother", "father", "declarant"),
    "ket_hon": ("husband", "wife"),
    "khai_tu": ("deceased", "declarant"),
}
SEX_ROLE = {"khai_sinh": "child", "khai_tu": "deceased"}
SEX_MARKS = {"nam": "Nam", "nu": "Nữ"}
EVENT_WORDS = {"khai sinh": "khai_sinh", "ket hon": "ket_hon", "khai tu": "khai_tu"}
_CONNECTORS = {"cua", "voi", "ve", "la"}
HEADER_SCAN_ROWS = 40


def _field_event() -> dict[str, str]:
    owners: dict[str, set[str]] = {}
    for event in EVENTS:
        for name in FIELDS[event]:
            owners.setdefault(name, set()).add(event)
    return {name: events.pop() for name, events in owners.items() if len(events) == 1}


FIELD_EVENT = _field_event()
ALL_FIELDS = set(FIELDS["common"]).union(*(FIELDS[e] for e in EVENTS))


@dataclass(frozen=True)
class Aliases:
    fields: dict[str, str]
    parts: dict[str, str]
    groups: dict[str, str]
    ignore: frozenset[str]
    group_keys: tuple[str, ...]  # longest first, for prefix/suffix search
    empty: EmptyValues = EmptyValues()  # cell values that mean "nothing here"


@dataclass(frozen=True)
class HeaderMatch:
    kind: str = ""  # "field", "part", "group", "ignore", "sexmark" or "" (unknown)
    name: str = ""  # the field, part, role or sex ("Nam"/"Nữ")
    role: str = ""  # whose part it is, when the header says so

    @property
    def known(self) -> bool:
        return bool(self.kind)


NO_MATCH = HeaderMatch()


def _read_alias_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError("E-CONF-01", path=str(path), detail=read_reason(exc)) from None
    if not isinstance(data, dict):
        raise ConfigError("E-CONF-02", path=str(path), key="(gốc)", detail="phải là một bảng")
    return data


def _section(data: dict, path: Path, section: str, known: set[str]) -> dict[str, str]:
    entries = data.get(section) or {}
    if not isinstance(entries, dict):
        raise ConfigError("E-CONF-02", path=str(path), key=section, detail="phải là một bảng")
    keys: dict[str, str] = {}
    for name, aliases in entries.items():
        if name not in known:
            raise ConfigError(
                "E-CONF-02", path=str(path), key=f"{section}.{name}", detail="không có trường này"
            )
        if not isinstance(aliases, list):
            raise ConfigError(
                "E-CONF-02", path=str(path), key=f"{section}.{name}", detail="phải là danh sách"
            )
        keys.update({fold(alias): name for alias in aliases if fold(alias)})
    return keys


def load_aliases(extra: Path | None = None) -> Aliases:
    """The shipped aliases, plus those of ``extra`` (same layout) when that file exists."""
    fields: dict[str, str] = {}
    parts: dict[str, str] = {}
    groups: dict[str, str] = {}
    ignore: set[str] = set()
    empty = EmptyValues()
    for path in (ALIASES_FILE, extra):
        if path is None or not Path(path).is_file():
            continue
        data = _read_alias_file(Path(path))
        fields.update(_section(data, path, "fields", ALL_FIELDS))
        parts.update(_section(data, path, "parts", set(PARTS)))
        groups.update(_section(data, path, "groups", set(COMPOSE)))
        ignore.update(fold(alias) for alias in _list(data, path, "ignore") if fold(alias))
        empty |= EmptyValues.of(_list(data, path, "empty_values"))
    group_keys = tuple(sorted(groups, key=len, reverse=True))
    return Aliases(fields, parts, groups, frozenset(ignore), group_keys, empty)


def _list(data: dict, path: Path, section: str) -> list:
    entries = data.get(section) or []
    if not isinstance(entries, list):
        raise ConfigError("E-CONF-02", path=str(path), key=section, detail="phải là danh sách")
    return entries


@lru_cache(maxsize=8)
def cached_aliases(extra: Path | None = None) -> Aliases:
    return load_aliases(extra)


def _strip_connectors(words: list[str]) -> str:
    while words and words[0] in _CONNECTORS:
        words = words[1:]
    while words and words[-1] in _CONNECTORS:
        words = words[:-1]
    return " ".join(words)


_REGISTRATION_FIELDS = frozenset(("reg_book", "reg_no", "reg_date", "reg_kind"))
# words by which a header under a person's group still says it is about the registration:
# "Người được khai sinh / Số đăng ký khai sinh"
_REGISTRATION_WORDS = frozenset(
    ("dang", "dk", "dkks", "dkkh", "dkkt", "khai", "ket", "vao", "ghi", "trich", "gcn", "gcnkh",
     "quyen")
)  # fmt: skip


def _decompose(key: str, aliases: Aliases) -> HeaderMatch:
    """A header with a group word in it: "ho ten cua me" → the mother's full_name."""
    for group in aliases.group_keys:
        if key.endswith(" " + group):
            rest = key[: -len(group) - 1].split()
        elif key.startswith(group + " "):
            rest = key[len(group) + 1 :].split()
        else:
            continue
        remainder = _strip_connectors(rest)
        role = aliases.groups[group]
        if remainder in aliases.fields:
            name = aliases.fields[remainder]
            if name in _REGISTRATION_FIELDS and not _REGISTRATION_WORDS & set(rest):
                # "Bên chồng / Ngày cấp", "Bên vợ / Số": the person's ID card, never the
                # registration's date or number (those are never inside a person's group)
                return HeaderMatch("ignore")
            return HeaderMatch("field", name)
        if remainder in aliases.parts:
            return HeaderMatch("part", aliases.parts[remainder], role)
        if remainder in aliases.ignore:
            return HeaderMatch("ignore")
    return NO_MATCH


def match_key(key: str, aliases: Aliases) -> HeaderMatch:
    """What one folded header means on its own."""
    if not key:
        return NO_MATCH
    if key in SEX_MARKS:
        return HeaderMatch("sexmark", SEX_MARKS[key])
    if key in aliases.fields:
        return HeaderMatch("field", aliases.fields[key])
    if key in aliases.parts:
        return HeaderMatch("part", aliases.parts[key])
    if key in aliases.groups:
        return HeaderMatch("group", aliases.groups[key])
    if key in aliases.ignore:
        return HeaderMatch("ignore")
    return _decompose(key, aliases)


def match_header(text: object, aliases: Aliases | None = None) -> HeaderMatch:
    return match_key(fold(text), aliases or cached_aliases())


def match_pair(top: str, bottom: str, aliases: Aliases) -> HeaderMatch:
    """A column under a two-row header: the pair first ("Bên nam" + "Ngày sinh"), then alone."""
    top_key, bottom_key = fold(top), fold(bottom)
    if not bottom_key or top_key == bottom_key:
        return match_key(top_key, aliases)
    if not top_key:
        return match_key(bottom_key, aliases)
    if bottom_key in SEX_MARKS and match_key(top_key, aliases).name == "sex":
        return HeaderMatch("sexmark", SEX_MARKS[bottom_key])
    both = match_key(f"{top_key} {bottom_key}", aliases)
    if both.kind in ("field", "ignore") or (both.kind == "part" and both.role):
        return both
    return match_key(bottom_key, aliases)


# --- locating the header rows ---------------------------------------------------------------


@dataclass
class HeaderLayout:
    """Where the header is (indexes into the rows given) and what each column is."""

    top: int  # first header row
    bottom: int  # last header row (== top for a one-row header)
    texts: list[str]  # header per column as written: "Người chết / Họ và tên"
    matches: list[HeaderMatch]
    keys: frozenset[str] = field(default_factory=frozenset)  # folded header cells


def _cell_texts(row: list) -> list[str]:
    return [clean_text(value) if isinstance(value, str) else "" for value in row]


def _is_header_row(texts: list[str], row: list, aliases: Aliases) -> bool:
    filled = [value for value in row if value not in ("", None)]
    matches = [match_key(fold(text), aliases) for text in texts if text]
    known = sum(match.known for match in matches)
    useful = any(match.kind in ("field", "part", "group") for match in matches)
    return useful and known >= 2 and 2 * known >= len(filled)


def _spans(merges, top: int, width: int) -> dict[int, int]:
    """column → the column holding the value of a horizontal merge starting in row ``top``."""
    owner: dict[int, int] = {}
    for r0, c0, _r1, c1 in merges:
        if r0 == top and c1 > c0:
            for col in range(c0, min(c1, width - 1) + 1):
                owner[col] = c0
    return owner


def _top_texts(top_row: list[str], bottom_row: list[str], merges, top: int, aliases) -> list[str]:
    """The upper row with merged (or, without merge data, group) cells spread over their span."""
    width = len(top_row)
    owner = _spans(merges, top, width)
    spread = [top_row[owner.get(col, col)] for col in range(width)]
    if owner:
        return spread
    carry = ""
    for col in range(width):
        if spread[col]:
            carry = spread[col] if match_key(fold(spread[col]), aliases).kind == "group" else ""
        elif carry and bottom_row[col]:
            spread[col] = carry
    return spread


def _pad(texts: list[str], width: int) -> list[str]:
    return texts + [""] * (width - len(texts))


def _two_row_header(rows, top: int, merges, aliases) -> tuple[list[str], list[str]] | None:
    """(upper, lower) texts when rows ``top`` and ``top + 1`` form one header, else None."""
    if top + 1 >= len(rows) or any(
        value not in ("", None) and not isinstance(value, str) for value in rows[top + 1]
    ):
        return None
    width = max(len(rows[top]), len(rows[top + 1]))
    upper = _pad(_cell_texts(rows[top]), width)
    lower = _pad(_cell_texts(rows[top + 1]), width)
    if not any(lower):
        return None
    spread = _top_texts(upper, lower, merges, top, aliases)
    owner = _spans(merges, top, width)
    grouped = any(
        lower[col]
        and (owner.get(col, col) != col or owner.get(col + 1) == col or spread[col] != upper[col]
             or match_key(fold(spread[col]), aliases).kind == "group")
        for col in range(width)
    )  # fmt: skip
    matched = [match_pair(spread[c], lower[c], aliases) for c in range(width) if lower[c]]
    if not grouped or 2 * sum(m.known for m in matched) < len(matched):
        return None
    return spread, lower


def _layout(top: int, bottom: int, upper: list[str], lower: list[str], aliases) -> HeaderLayout:
    texts, matches = [], []
    for high, low in zip(upper, lower):
        if high and low and fold(high) != fold(low):
            texts.append(f"{high} / {low}")
        else:
            texts.append(high or low)
        matches.append(match_pair(high, low, aliases))
    keys = frozenset(fold(text) for text in upper + lower if text)
    return HeaderLayout(top, bottom, texts, matches, keys)


def _has_group(row: list, aliases: Aliases) -> bool:
    return any(match_key(fold(text), aliases).kind == "group" for text in _cell_texts(row))


def find_header(rows: list[list], merges=(), aliases: Aliases | None = None) -> HeaderLayout | None:
    """The header among the first rows of a sheet (below any title rows), or None.

    ``merges`` are (first row, first column, last row, last column), 0-based, in the same
    row numbering as ``rows``; only the cell at the top left of a merge holds its value.
    """
    aliases = aliases or cached_aliases()
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = _cell_texts(row)
        if sum(bool(text) for text in texts) < 2 or not _is_header_row(texts, row, aliases):
            continue
        pair = _two_row_header(rows, index, merges, aliases)
        if pair:
            return _layout(index, index + 1, *pair, aliases)
        if index > 0 and _has_group(rows[index - 1], aliases):
            pair = _two_row_header(rows, index - 1, merges, aliases)
        if pair:
            return _layout(index - 1, index, *pair, aliases)
        return _layout(index, index, texts, [""] * len(texts), aliases)
    return None


# --- which column is which field -------------------------------------------------------------

_NAME_TOKENS = {"ks": "khai_sinh", "khaisinh": "khai_sinh", "kh": "ket_hon", "kethon": "ket_hon",
                "kt": "khai_tu", "khaitu": "khai_tu"}  # fmt: skip


def event_from_text(text: object, short_names: bool = False) -> str:
    """The event a title, file or sheet name speaks of ("DANH SÁCH ĐĂNG KÝ KHAI SINH",
    "ks_2024_09.xlsx" with ``short_names``), or "" when it names none or several."""
    key = f" {fold(text)} "
    found = {event for words, event in EVENT_WORDS.items() if f" {words} " in key}
    if short_names:
        found |= {_NAME_TOKENS[word] for word in key.split() if word in _NAME_TOKENS}
    return found.pop() if len(found) == 1 else ""


def _vote(match: HeaderMatch, text: str) -> str:
    if match.kind == "field":
        return FIELD_EVENT.get(match.name, "") or event_from_text(text)
    if match.kind == "part":
        return ROLE_EVENT.get(match.role, "") or event_from_text(text)
    return ""


def detect_event(layout: HeaderLayout, *fallbacks: str) -> str:
    """The event the headers point to; else the first fallback (title, file name…) that
    names one; else ""."""
    votes: dict[str, int] = {}
    for match, text in zip(layout.matches, layout.texts):
        if event := _vote(match, text):
            votes[event] = votes.get(event, 0) + 1
    if votes:
        best = max(votes.values())
        leaders = [event for event, count in votes.items() if count == best]
        if len(leaders) == 1:
            return leaders[0]
        fallback = next((e for e in fallbacks if e in leaders), "")
        return fallback
    return next((event for event in fallbacks if event), "")


@dataclass
class ColumnPlan:
    """Which column feeds which kept field of one sheet."""

    event: str
    columns: dict[int, str]  # column index → canonical field
    sex_marks: dict[int, str] = field(default_factory=dict)  # column → "Nam"/"Nữ" (ticked)
    sex_field: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # field → header as written
    # a field two columns claim: (field, column kept, column left out), columns as written
    clashes: list[tuple[str, str, str]] = field(default_factory=list)


def _role_field(part: str, role: str) -> str:
    if part == "relation":
        return "declarant_relation"
    return COMPOSE.get(role, {}).get(part, "")


def _first_free(part: str, roles, taken: set[str], allowed: set[str]) -> str:
    for role in roles:
        name = _role_field(part, role)
        if name and name in allowed and name not in taken:
            return name
    return ""


def _role_of(match: HeaderMatch) -> str:
    """Whose column this is, when the header says so ("Họ tên mẹ" → mother)."""
    if match.kind == "part":
        return match.role
    if match.kind != "field":
        return ""
    owner = match.name.split("_", 1)[0]
    if owner in COMPOSE:
        return owner
    return "deceased" if match.name in ("last_residence", "death_date") else ""


def plan_columns(layout: HeaderLayout, event: str) -> ColumnPlan:
    """Assign each column a field of ``event`` (or none): explicit headers first, then parts
    with a group word, then bare parts — to the person of the nearest column on their left
    that names one, else in register order (child, mother, father…). Fields not kept are
    dropped here."""
    allowed = set(FIELDS["common"]) | set(FIELDS[event])
    columns: dict[int, str] = {}
    taken: set[str] = set()
    clashes: list[tuple[int, str, int]] = []  # (kept column, field, column left out)

    def assign(col: int, name: str) -> None:
        if name and name in allowed and name not in taken:
            columns[col] = name
            taken.add(name)
        elif name and name in allowed:
            kept = next(c for c, n in columns.items() if n == name)
            clashes.append((kept, name, col))

    indexed = list(enumerate(layout.matches))
    for col, match in indexed:
        if match.kind == "field":
            assign(col, match.name)
    for col, match in indexed:
        if match.kind == "part" and match.role:
            assign(col, _role_field(match.name, match.role))
    context = ""  # a bare part belongs first to the person of the columns on its left
    for col, match in indexed:
        if match.kind == "part" and not match.role:
            roles = ((context,) if context else ()) + ROLE_ORDER[event]
            assign(col, _first_free(match.name, roles, taken, allowed))
        context = _role_of(match) or context
    plan = _with_sex_marks(ColumnPlan(event, dict(sorted(columns.items()))), layout, taken)
    # the first column wins; never silently: the run warns, naming both (W-HEAD-01)
    plan.clashes = [(name, layout.texts[kept], layout.texts[col]) for kept, name, col in clashes]
    return plan


def _with_sex_marks(plan: ColumnPlan, layout: HeaderLayout, taken: set[str]) -> ColumnPlan:
    """Two columns "Nam" | "Nữ" ticked with x give the child's (deceased's) sex."""
    sex_field = _role_field("sex", SEX_ROLE.get(plan.event, ""))
    if sex_field and sex_field not in taken:
        plan.sex_marks = {c: m.name for c, m in enumerate(layout.matches) if m.kind == "sexmark"}
        plan.sex_field = sex_field if plan.sex_marks else ""
    plan.headers = {name: layout.texts[col] for col, name in plan.columns.items()}
    if plan.sex_field:
        plan.headers[plan.sex_field] = " | ".join(layout.texts[c] for c in plan.sex_marks)
    return plan
