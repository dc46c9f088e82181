"""Pure wording functions: dates, numbers, honorifics, and the template fields of one letter.

Everything returned is NFC text on one line (or a bool flag), never None/nan/NaT. Rules:
- dates per Decree 30 (Nghị định 30/2020): "Phước Thành, ngày 03 tháng 01 năm 2025";
- counts per administrative convention: "02", "54", "1.405", "97,5%";
- honorifics by sex and age with the thresholds of the units file's ``settings``;
- a birth without a registered father is addressed to the mother alone, without a word on it;
  a death without a declarant is addressed to the deceased's family; the condolence fields carry
  no age, cause or place of death.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

from .config import DEFAULT_SETTINGS, Unit
from .periods import short_date
from .textnorm import fold

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
MALE, FEMALE = "Nam", "Nữ"


# ---------------------------------------------------------------- text and dates


def is_missing(value) -> bool:
    """None, empty text, float nan, pandas NaT/NA (without importing pandas)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # noqa: PLR0124 (nan and NaT differ from themselves)
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True


def clean_text(value) -> str:
    """One line of NFC text: control characters and newlines become spaces, spaces collapse."""
    if is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def as_date(value) -> date | None:
    """A date from a date/datetime/Timestamp; None for anything else (and for NaT)."""
    if is_missing(value) or not isinstance(value, date):
        return None
    return value.date() if isinstance(value, datetime) else value


def vn_date(day: date) -> str:
    """'ngày 03 tháng 01 năm 2025': zero-padded days below 10 and months 1 and 2 only."""
    day = as_date(day)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: date) -> str:
    """'Phước Thành, ngày 03 tháng 01 năm 2025' (place without 'xã'/'huyện')."""
    return f"{clean_text(place)}, {vn_date(day)}"


def day_text(value) -> str:
    """'04/11/2024' for running text (periods.short_date); a bare year stays '1950'."""
    day = as_date(value)
    if day is not None:
        return short_date(day)
    return clean_text(value)


def age_on(born, day) -> int | None:
    """Completed years on ``day``; ``born`` is a date or a year (int); None when unknown."""
    day = as_date(day)
    if day is None or is_missing(born):
        return None
    birth = as_date(born)
    if birth is not None:
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    try:
        return day.year - int(born)
    except (TypeError, ValueError):
        return None


def letter_day(values: dict, settings: dict, today: date) -> date:
    """The date printed on a letter: the registration date, or ``today`` when configured."""
    if settings.get("letter_date", "registration") == "run":
        return today
    return as_date(values.get("reg_date")) or today


# ---------------------------------------------------------------- numbers


def _group(digits: str) -> str:
    """'1405' -> '1.405'."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def admin_number(n: int) -> str:
    """Counts in reports: '02', '09', '54', '1.405' (leading zero from 1 to 9, dot thousands)."""
    n = int(n)
    sign, n = ("-", -n) if n < 0 else ("", n)
    text = f"{n:02d}" if 0 < n < 10 else _group(str(n))
    return sign + text


def admin_decimal(x: float, digits: int = 1) -> str:
    """'1.405,5', '97,5', '100' (decimal comma, dot thousands, trailing zeros dropped)."""
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return ""
    text = f"{abs(x):.{digits}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    sign = "-" if x < 0 and (int(whole) or frac) else ""
    return sign + _group(whole) + (f",{frac}" if frac else "")


def admin_percent(x: float, digits: int = 1) -> str:
    """97.5 -> '97,5%' (x is already a percentage)."""
    text = admin_decimal(x, digits)
    return f"{text}%" if text else ""


# ---------------------------------------------------------------- honorifics


def normal_sex(value) -> str:
    """'Nam' / 'Nữ' / '' from the many ways a register writes it."""
    key = fold(clean_text(value))
    if key in {"nam", "male", "m", "trai"}:
        return MALE
    if key in {"nu", "female", "f", "gai"}:
        return FEMALE
    return ""


def sex_from_name(full_name: str) -> str:
    """'Nữ' when a middle syllable is 'Thị', 'Nam' for 'Văn'; '' otherwise (a guess)."""
    middle = {fold(word) for word in clean_text(full_name).split()[1:-1]}
    if "thi" in middle and "van" not in middle:
        return FEMALE
    if "van" in middle and "thi" not in middle:
        return MALE
    return ""


# folded relation -> sex; "ba"/"bà" is left out: "ba" means father in the South, "bà" grandmother
_RELATION_SEX = {
    "vo": FEMALE, "me": FEMALE, "ma": FEMALE, "con gai": FEMALE, "con dau": FEMALE,
    "chau gai": FEMALE, "chi": FEMALE, "em gai": FEMALE,
    "chong": MALE, "cha": MALE, "bo": MALE, "con trai": MALE, "con re": MALE,
    "chau trai": MALE, "anh": MALE, "em trai": MALE, "ong": MALE,
}  # fmt: skip


def sex_from_relation(relation: str) -> str:
    """'vợ' -> 'Nữ', 'con trai' -> 'Nam'; '' when the relation says nothing about sex."""
    return _RELATION_SEX.get(fold(clean_text(relation)), "")


def honorific(sex, age: int | None, role: str, settings: dict) -> str:
    """How the letter names a person, lower-case: cụ / ông / bà / anh / chị / cháu, or ''.

    role "deceased": cháu below ``child_age``, anh/chị below ``adult_age``, ông/bà below
    ``elder_age``, cụ from it; unknown age: ông/bà. Roles "parent", "spouse": anh/chị, or ông/bà
    from ``formal_age`` or when ``address_style`` is "ong_ba". Role "declarant" (age not in the
    registers): ông/bà, or anh/chị when the age is known to be below ``formal_age``.
    An unknown sex gives '' where the word depends on it.
    """
    cfg = {**DEFAULT_SETTINGS, **(settings or {})}
    sex = normal_sex(sex)
    if role == "deceased":
        if age is not None and age < int(cfg["child_age"]):
            return "cháu"
        if age is not None and age >= int(cfg["elder_age"]):
            return "cụ"
        young = age is not None and age < int(cfg["adult_age"])
    elif role == "declarant":
        young = age is not None and age < int(cfg["formal_age"])
    else:
        formal = cfg.get("address_style") == "ong_ba"
        young = not formal and (age is None or age < int(cfg["formal_age"]))
    pair = ("anh", "chị") if young else ("ông", "bà")
    return {MALE: pair[0], FEMALE: pair[1]}.get(sex, "")


def named(title: str, name: str) -> str:
    """'anh Nguyễn Văn An'; just the name when the honorific is empty (no double space)."""
    return " ".join(part for part in (title, name) if part)


def capitalised(text: str) -> str:
    """'anh Nguyễn Văn An' -> 'Anh Nguyễn Văn An'; 'ông/bà X' -> 'Ông/Bà X'."""
    head, space, rest = text.partition(" ")
    head = "/".join(part[:1].upper() + part[1:] for part in head.split("/"))
    return head + space + rest


# ---------------------------------------------------------------- letter fields


def letter_context(
    event: str, values: dict, unit: Unit, settings: dict, letter_date: date, siblings=()
) -> dict:
    """The template fields of one letter (names listed in templates/README.md). ``siblings``:
    the other registrations a birth letter is for (twins, triplets: the same mother and day of
    birth), in registration order after ``values``."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    context = _common_fields(values, unit, letter_date)
    builders = {"khai_sinh": _birth_fields, "ket_hon": _marriage_fields, "khai_tu": _death_fields}
    if event not in builders:
        raise ValueError(f"unknown event {event!r}")
    if siblings and event == "khai_sinh":
        children = [values, *siblings]  # the parents as the first registration naming both
        parents = next((c for c in children if clean_text(c.get("father_full_name"))), values)
        context.update(_birth_fields({**parents, "child_full_name": values.get("child_full_name")},
                                     settings))  # fmt: skip
        context.update(_children_fields(children))
        return context
    context.update(builders[event](values, settings))
    return context


def letter_facts(event: str, values: dict, settings: dict, siblings=()) -> dict:
    """What a variant rule may test about one letter (``variants.RULE_FIELDS``), typed: numbers,
    dates, True/False, text; None when unknown (no condition on it holds)."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    registered = as_date(values.get("reg_date"))
    facts = {"loai_dang_ky": clean_text(values.get("reg_kind")) or None,
             "ngay_dang_ky": registered}  # fmt: skip
    if event == "khai_sinh":
        children = [values, *siblings]
        sexes = {normal_sex(child.get("child_sex")) for child in children}
        facts.update(
            so_tre=len(children), gioi_tinh_tre=sexes.pop() if len(sexes) == 1 else None,
            ngay_sinh_tre=as_date(values.get("child_dob")),
            co_cha=any(clean_text(child.get("father_full_name")) for child in children),
            tuoi_me=age_on(values.get("mother_birth_year"), registered),
        )  # fmt: skip
    elif event == "ket_hon":
        facts.update(
            co_nguoi_nuoc_ngoai=foreign_marriage(values),
            quoc_tich_chong=clean_text(values.get("husband_nationality")) or None,
            quoc_tich_vo=clean_text(values.get("wife_nationality")) or None,
            tuoi_chong=age_on(values.get("husband_dob"), registered),
            tuoi_vo=age_on(values.get("wife_dob"), registered),
        )  # fmt: skip
    elif event == "khai_tu":
        facts.update(
            tuoi_nguoi_mat=death_age(values), ngay_mat=as_date(values.get("death_date")),
            gioi_tinh_nguoi_mat=_deceased_sex(values) or None,
            co_nguoi_khai=bool(clean_text(values.get("declarant_full_name"))),
        )  # fmt: skip
    return facts


_VIETNAMESE = {"viet nam", "vietnam", "vn", "viet", "nuoc cong hoa xa hoi chu nghia viet nam"}


def foreign_marriage(values: dict) -> bool:
    """A spouse of another nationality (as written in the register), or a registration kind
    saying "nước ngoài" ("có yếu tố nước ngoài")."""
    nationalities = [fold(clean_text(values.get(f"{p}_nationality"))) for p in ("husband", "wife")]
    if any(n and n not in _VIETNAMESE for n in nationalities):
        return True
    return "nuoc ngoai" in fold(clean_text(values.get("reg_kind")))


def death_age(values: dict) -> int | None:
    """Completed years at death (from the date or year of birth), None when unknown."""
    born = _first(values, "deceased_dob", "deceased_birth_year")
    return age_on(born, values.get("death_date"))


_NUMBER_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def number_words(n: int) -> str:
    """2 -> 'hai', 3 -> 'ba' (up to mười; larger numbers stay in figures)."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def and_join(items: list[str]) -> str:
    """'A', 'A và B', 'A, B và C'."""
    items = [item for item in items if item]
    if len(items) < 2:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + " và " + items[-1]


def _unique(texts) -> list[str]:
    return list(dict.fromkeys(text for text in texts if text))


def _children_fields(children: list[dict]) -> dict:
    """A birth letter for several children: every child named, the registrations joined."""
    names = [clean_text(child.get("child_full_name")) for child in children]
    sexes = _unique(normal_sex(child.get("child_sex")) for child in children)
    count = len(children)
    return {
        "ho_ten_tre": and_join(names),
        "gioi_tinh_tre": sexes[0] if len(sexes) == 1 else "",
        "so_tre": str(count),
        "so_tre_bang_chu": number_words(count),
        "cac_chau": f"{number_words(count)} cháu {and_join(names)}",
        "co_nhieu_tre": True,
        "so_dang_ky": ", ".join(_unique(clean_text(c.get("reg_no")) for c in children)),
        "quyen_so": ", ".join(_unique(clean_text(c.get("reg_book")) for c in children)),
        "ngay_dang_ky": and_join(_unique(day_text(c.get("reg_date")) for c in children)),
    }


def _first(values: dict, *names: str):
    """The first of ``names`` with a value (None, nan, NaT and blanks skipped)."""
    return next((values[n] for n in names if not is_missing(values.get(n))), None)


def _common_fields(values: dict, unit: Unit, letter_date: date) -> dict:
    titles = unit.signer.title_lines
    return {
        "ten_xa": clean_text(unit.name),
        "loai_don_vi": clean_text(unit.type),
        "ten_don_vi": clean_text(unit.full_name),
        "ten_ubnd": clean_text(unit.committee),
        "co_quan": "ỦY BAN NHÂN DÂN",
        "don_vi_in_hoa": clean_text(unit.full_name).upper(),
        "dia_danh": clean_text(unit.short_name),
        "ngay_thang": date_line(unit.short_name, letter_date),
        "ngay_thu": vn_date(letter_date),
        "so_dang_ky": clean_text(values.get("reg_no")),
        "quyen_so": clean_text(values.get("reg_book")),
        "ngay_dang_ky": day_text(values.get("reg_date")),
        "loai_dang_ky": clean_text(values.get("reg_kind")),
        "tham_quyen_ky": clean_text(unit.signer.authority),
        "chuc_vu_ky": clean_text(titles[0]) if titles else "",
        "chuc_vu_ky_2": " ".join(clean_text(line) for line in titles[1:]),
        "nguoi_ky": clean_text(unit.signer.name),
    }


def _pair(first: tuple[str, str], second: tuple[str, str]) -> tuple[str, str]:
    """Addressee line and the body's pronoun for one or two people (title, name) — never a
    dangling 'và': a missing person is simply left out."""
    people = [p for p in (first, second) if p[1]]
    if not people:
        return "", ""
    line = " và ".join(named(title, name) for title, name in people)
    pronoun = " ".join(title for title, _ in people if title)
    return capitalised(line), pronoun


def _couple_titles(ages: list[int | None], settings: dict) -> tuple[str, str]:
    """(man, woman) titles; one formal party makes both formal: 'ông … và bà …'."""
    titles = [honorific(sex, age, "parent", settings) for sex, age in zip((MALE, FEMALE), ages)]
    if "ông" in titles or "bà" in titles:
        return "ông", "bà"
    return titles[0], titles[1]


def _birth_fields(values: dict, settings: dict) -> dict:
    reg = values.get("reg_date")
    father, mother = (
        clean_text(values.get("father_full_name")),
        clean_text(values.get("mother_full_name")),
    )
    ages = [  # only a parent named in the letter makes it formal
        age_on(values.get("father_birth_year"), reg) if father else None,
        age_on(values.get("mother_birth_year"), reg) if mother else None,
    ]
    title_father, title_mother = _couple_titles(ages, settings)
    kinh_gui, pronoun = _pair((title_father, father), (title_mother, mother))
    child = clean_text(values.get("child_full_name"))
    return {
        "kinh_gui": kinh_gui or f"Gia đình cháu {child}",
        "nguoi_nhan": pronoun or "gia đình",
        "dia_chi": clean_text(_first(values, "mother_residence", "father_residence")),
        "ho_ten_tre": child,
        "ngay_sinh_tre": day_text(values.get("child_dob")),
        "gioi_tinh_tre": normal_sex(values.get("child_sex")),
        "so_tre": "1",
        "so_tre_bang_chu": number_words(1),
        "cac_chau": named("cháu", child),
        "co_nhieu_tre": False,
        "ho_ten_cha": father,
        "danh_xung_cha": title_father if father else "",
        "co_cha": bool(father),
        "ho_ten_me": mother,
        "danh_xung_me": title_mother if mother else "",
        "co_me": bool(mother),
    }


def _marriage_fields(values: dict, settings: dict) -> dict:
    reg = values.get("reg_date")
    husband, wife = (
        clean_text(values.get("husband_full_name")),
        clean_text(values.get("wife_full_name")),
    )
    ages = [age_on(values.get("husband_dob"), reg), age_on(values.get("wife_dob"), reg)]
    title_husband, title_wife = _couple_titles(ages, settings)
    kinh_gui, pronoun = _pair((title_husband, husband), (title_wife, wife))
    return {
        "kinh_gui": kinh_gui,
        "nguoi_nhan": pronoun or "hai bạn",
        "dia_chi": clean_text(_first(values, "husband_residence", "wife_residence")),
        "ho_ten_chong": husband,
        "danh_xung_chong": title_husband,
        "ho_ten_vo": wife,
        "danh_xung_vo": title_wife,
        "quoc_tich_chong": clean_text(values.get("husband_nationality")),
        "quoc_tich_vo": clean_text(values.get("wife_nationality")),
        "co_nguoi_nuoc_ngoai": foreign_marriage(values),
    }


def _deceased_sex(values: dict) -> str:
    return normal_sex(values.get("deceased_sex")) or sex_from_name(
        clean_text(values.get("deceased_full_name"))
    )


def _deceased_title(values: dict, settings: dict) -> str:
    return honorific(_deceased_sex(values), death_age(values), "deceased", settings)


def life_span(age: int | None, settings: dict) -> str:
    """'hưởng thọ 85 tuổi' from ``long_life_age`` on, 'hưởng dương 45 tuổi' below it; '' when
    the age is unknown or under one year (the default templates print no age)."""
    if age is None or age < 1:
        return ""
    word = "hưởng thọ" if age >= int(settings["long_life_age"]) else "hưởng dương"
    return f"{word} {age} tuổi"


def _declarant_title(values: dict, settings: dict) -> str:
    name = clean_text(values.get("declarant_full_name"))
    sex = (
        normal_sex(values.get("declarant_sex"))
        or sex_from_relation(values.get("declarant_relation"))
        or sex_from_name(name)
    )
    return honorific(sex, None, "declarant", settings) or "ông/bà"


def _death_fields(values: dict, settings: dict) -> dict:
    deceased = clean_text(values.get("deceased_full_name"))
    title = _deceased_title(values, settings)
    declarant = clean_text(values.get("declarant_full_name"))
    declarant_title = _declarant_title(values, settings) if declarant else ""
    if declarant:
        kinh_gui = f"{capitalised(named(declarant_title, declarant))} và gia đình"
        pronoun = f"{declarant_title} và gia đình"
    else:
        kinh_gui, pronoun = f"Gia đình {named(title, deceased)}", "gia đình"
    return {
        "kinh_gui": kinh_gui,
        "nguoi_nhan": pronoun,
        "dia_chi": clean_text(_first(values, "declarant_residence", "last_residence")),
        "ho_ten_nguoi_mat": deceased,
        "danh_xung_nguoi_mat": title,
        "nguoi_mat": named(title, deceased),
        "ngay_mat": day_text(values.get("death_date")),
        "gioi_tinh_nguoi_mat": _deceased_sex(values),
        "tuoi_nguoi_mat": "" if death_age(values) is None else str(death_age(values)),
        "huong_tho": life_span(death_age(values), settings),
        "ho_ten_nguoi_khai": declarant,
        "danh_xung_nguoi_khai": declarant_title,
        "co_nguoi_khai": bool(declarant),
    }
