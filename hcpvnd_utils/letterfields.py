"""The template fields of one letter (templates/README.md lists them) and the facts a variant
rule tests (``variants.RULE_FIELDS``), from a row's values and the unit.

Everything returned is NFC text on one line, a number (``so_tre``, ``tuoi_nguoi_mat``; the age
is "" when unknown) or a yes/no flag (``YesNo``: prints "Đúng"/"Sai"), never None/nan/NaT. Rules:
- a birth without a registered father is addressed to the mother alone, without a word on it;
  a death without a declarant is addressed to the deceased's family; the condolence fields carry
  no cause or place of death (an age only in ``tuoi_nguoi_mat`` and ``huong_tho``, which the
  default templates do not print);
- a birth letter for several children (twins: ``siblings``) names every child.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from .config import DEFAULT_SETTINGS, Unit
from .textnorm import fold
from .wording import (
    FEMALE,
    MALE,
    age_on,
    as_date,
    capitalised,
    clean_text,
    date_line,
    day_text,
    honorific,
    is_missing,
    named,
    normal_sex,
    sex_from_name,
    sex_from_relation,
    vn_date,
)

_YES = frozenset({"đúng", "true"})
_NO = frozenset({"sai", "false"})


def yes_no_word(text: str) -> bool | None:
    """True for "Đúng"/"True", False for "Sai"/"False" (any case, NFC or not), else None."""
    word = unicodedata.normalize("NFC", text).strip().casefold()
    return True if word in _YES else False if word in _NO else None


class YesNo:
    """A yes/no field (``co_cha``…): true or false in ``{% if %}``, printed "Đúng"/"Sai" (as
    templates/README.md says), equal to True/False and, in any case, to "Đúng"/"Sai" (and
    "True"/"False", which older templates compare with)."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = bool(value)

    def __bool__(self) -> bool:
        return self.value

    def __str__(self) -> str:
        return "Đúng" if self.value else "Sai"

    def __repr__(self) -> str:
        return f"YesNo({self.value})"

    def __html__(self) -> str:  # jinja prints it as its text
        return str(self)

    def __eq__(self, other) -> bool:
        if isinstance(other, (bool, YesNo)):
            return self.value == bool(other)
        if isinstance(other, str):
            return yes_no_word(other) is self.value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.value)


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
        "so_tre": count,
        "so_tre_bang_chu": number_words(count),
        "cac_chau": f"{number_words(count)} cháu {and_join(names)}",
        "co_nhieu_tre": YesNo(True),
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
        "so_tre": 1,
        "so_tre_bang_chu": number_words(1),
        "cac_chau": named("cháu", child),
        "co_nhieu_tre": YesNo(False),
        "ho_ten_cha": father,
        "danh_xung_cha": title_father if father else "",
        "co_cha": YesNo(father),
        "ho_ten_me": mother,
        "danh_xung_me": title_mother if mother else "",
        "co_me": YesNo(mother),
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
        "co_nguoi_nuoc_ngoai": YesNo(foreign_marriage(values)),
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
        "tuoi_nguoi_mat": "" if death_age(values) is None else death_age(values),
        "huong_tho": life_span(death_age(values), settings),
        "ho_ten_nguoi_khai": declarant,
        "danh_xung_nguoi_khai": declarant_title,
        "co_nguoi_khai": YesNo(declarant),
    }
