"""Word lists for the synthetic sample (Vietnamese names and place names, all NFC), and People,
which draws invented people from them: names by sex and birth cohort, ID numbers, residences.

Invented for hcpvnd's sample data (Faker's vi_VN gives Western-order names with titles). Any
resemblance of a generated full name to a real person is chance. Hamlet (thôn, khu phố) names
are invented but built the way Bình Định names its villages; administrative unit names
(xã, huyện, tỉnh) are the real ones, because the tool must recognise them.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hcpvnd_utils.config import UnitsConfig

MALE, FEMALE = "Nam", "Nữ"
SEXES = (MALE, FEMALE)

# Surnames with rough weights for south-central Vietnam (Huỳnh and Võ are more common there
# than Hoàng and Vũ).
SURNAMES = {
    "Nguyễn": 30, "Trần": 10, "Lê": 9, "Phạm": 6, "Huỳnh": 6, "Võ": 5, "Phan": 4, "Đặng": 2,
    "Bùi": 2, "Đỗ": 1.5, "Hồ": 2, "Ngô": 1.5, "Dương": 1, "Đoàn": 1.2, "Trương": 1.5,
    "Đinh": 1, "Lâm": 0.8, "Mai": 0.8, "Cao": 0.8, "Tô": 0.5, "Châu": 0.6, "Lương": 0.6,
    "Tạ": 0.4, "Thái": 0.5, "Hà": 0.5, "Lý": 0.5, "Hoàng": 1, "Vũ": 0.5, "Quách": 0.3,
    "Lưu": 0.3, "Kiều": 0.2, "Nhữ": 0.1, "Văn": 0.3, "La": 0.2, "Từ": 0.2, "Diệp": 0.2,
}  # fmt: skip

# Compound surnames: (form for men, form for women). "Tôn Thất" men and "Tôn Nữ" women belong
# to the same family line.
COMPOUND_SURNAMES = [
    ("Nguyễn Phước", "Nguyễn Phước"),
    ("Tôn Thất", "Tôn Nữ"),
    ("Âu Dương", "Âu Dương"),
]
COMPOUND_SHARE = 0.015

# Middle names (tên đệm). "Thị" and "Văn" are drawn separately, by birth cohort.
MIDDLE_FEMALE = [
    "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bảo", "Minh", "Khánh", "Phương", "Hoài", "Diễm",
    "Quỳnh", "Tuyết", "Thùy", "Hồng", "Bích", "Cẩm", "Như", "Gia", "Ánh", "Tường", "Xuân",
    "Hải", "Kiều", "Lệ", "Bảo Ngọc", "Ngọc Bảo", "Khánh Ngọc", "Minh Thư", "Hoàng", "Yến",
]  # fmt: skip
MIDDLE_AFTER_THI = ["Kim", "Mỹ", "Thu", "Ngọc", "Thanh", "Bích", "Hồng", "Tuyết", "Kiều", "Lệ"]
MIDDLE_MALE = [
    "Minh", "Đức", "Quốc", "Công", "Hữu", "Thanh", "Ngọc", "Gia", "Hoàng", "Anh", "Tấn", "Đình",
    "Xuân", "Trọng", "Bảo", "Nhật", "Thành", "Phú", "Duy", "Quang", "Tuấn", "Đăng", "Trung",
    "Hoài", "Kim", "Như", "Thế", "Viết", "Hoàng Gia", "Minh Đức", "Văn Minh", "Phước",
]  # fmt: skip

GIVEN_FEMALE = [
    "Lan", "Hoa", "Hương", "Hồng", "Mai", "Linh", "Trang", "Thảo", "Hạnh", "Nhung", "Thủy",
    "Hằng", "Yến", "Ngọc", "Nga", "Phượng", "Oanh", "Loan", "Liên", "Xuân", "Diễm", "Uyên",
    "Quyên", "Hiền", "Dung", "Lài", "Lệ", "Tiên", "Vân", "Thắm", "Duyên", "Nhàn", "Sương",
    "Tuyết", "Thơ", "Bích", "Cúc", "Huệ", "Lý", "Nguyệt", "Phương", "Thanh", "Thu", "Trinh",
    "Hà", "Hậu", "Ánh", "Kiều", "Mận", "Đào", "Lựu", "Sen", "Tâm", "Hiếu", "Ngân",
]  # fmt: skip
GIVEN_FEMALE_YOUNG = [
    "Vy", "Nhi", "An", "Anh", "Hân", "Như", "Trâm", "Thư", "My", "Ngân", "Khuê", "Châu",
    "Linh", "Ngọc", "Quyên", "Uyên", "Giang", "Hà", "Tú", "Thy", "Diệp", "Yên", "Nghi", "Ly",
    "Trúc", "Phương", "Thảo", "Tiên", "Tâm", "Hằng", "Nhiên", "Khánh",
]  # fmt: skip
GIVEN_MALE = [
    "Hùng", "Dũng", "Minh", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Phúc", "Thắng", "Quân",
    "Tài", "Lộc", "Vinh", "Trung", "Nghĩa", "Tín", "Tâm", "Thành", "Hiếu", "Toàn", "Cường",
    "Hưng", "Nhân", "Quang", "Sang", "Tiến", "Tùng", "Việt", "Hoàng", "Danh", "Định", "Hòa",
    "Thuận", "Bình", "Ân", "Đức", "Chiến", "Lợi", "Phước", "Thọ", "Tư", "Sáu", "Bảy", "Mười",
    "Hạnh", "Khải", "Lâm", "Mạnh", "Phong", "Quý", "Tấn", "Thiện", "Trí", "Vương", "Xuân",
]  # fmt: skip
GIVEN_MALE_YOUNG = [
    "Khang", "Bảo", "Huy", "Khoa", "Đạt", "Phát", "Kiệt", "Minh", "Nam", "An", "Khôi",
    "Phúc", "Quân", "Thịnh", "Tín", "Vũ", "Hưng", "Nhật", "Duy", "Lâm", "Long", "Sơn", "Toàn",
    "Trí", "Tuấn", "Hải", "Hiếu", "Nguyên", "Phong", "Thiện", "Tường", "Vinh",
]  # fmt: skip

# Share of "Thị" (women) / "Văn" (men) as the first middle name, by birth cohort.
THI_SHARE = {1900: 0.85, 1970: 0.7, 1985: 0.5, 2000: 0.3, 2015: 0.15}
VAN_SHARE = {1900: 0.75, 1970: 0.6, 1985: 0.4, 2000: 0.2, 2015: 0.1}


def cohort_share(table: dict[int, float], birth_year: int) -> float:
    """The share for the latest cohort starting at or before ``birth_year``."""
    share = table[min(table)]
    for start, value in sorted(table.items()):
        if birth_year >= start:
            share = value
    return share


# Hamlets per unit of Tuy Phước before July 2025 (invented names, one list per unit key).
# Thị trấn have khu phố, xã have thôn.
HAMLETS = {
    "tuy-phuoc": ["khu phố Phú Thạnh", "khu phố Mỹ Điền", "khu phố Tân Thuận", "khu phố Trung An",
                  "khu phố Hòa Lạc", "khu phố Đông Lâm"],
    "dieu-tri": ["khu phố Vân Hội", "khu phố Luật Lễ", "khu phố Phú Mỹ", "khu phố Bình Khánh",
                 "khu phố Ga", "khu phố Hòa Thuận"],
    "phuoc-thang": ["thôn Lạc Điền", "thôn Hưng Thạnh", "thôn Cát Châu", "thôn Vĩnh Hòa",
                    "thôn Long Thủy", "thôn Đông Hải", "thôn Mỹ Lợi"],
    "phuoc-hung": ["thôn Kỳ Sơn", "thôn An Thành", "thôn Tân Hưng", "thôn Phú Lương",
                   "thôn Hưng Mỹ", "thôn Diêm Thượng"],
    "phuoc-quang": ["thôn Quảng Tín", "thôn Đông Điền", "thôn Vinh Thạnh", "thôn Lộc Thượng",
                    "thôn Mỹ Cang", "thôn An Cửu", "thôn Phú Hậu", "thôn Tân Điền"],
    "phuoc-hoa": ["thôn Bình Thạnh", "thôn Lạc Hòa", "thôn Tân Giang", "thôn Kim Đông",
                  "thôn Xuân Phong", "thôn Hòa Đông"],
    "phuoc-son": ["thôn Lộc Hà", "thôn Vân Trường", "thôn Xuân Mỹ", "thôn Hiệp Sơn",
                  "thôn Mỹ Trung", "thôn Dương Thiện", "thôn Bình Lương"],
    "phuoc-hiep": ["thôn Hiệp Vinh", "thôn Trường Định", "thôn Lục Lễ", "thôn Phú Thiện",
                   "thôn Ngãi Chánh", "thôn Đại Tín"],
    "phuoc-loc": ["thôn Lộc Trung", "thôn Quang Hy", "thôn Đại Lễ", "thôn Tân Phú",
                  "thôn Xuân Hòa", "thôn Phổ Lâm"],
    "phuoc-nghia": ["thôn Nghĩa Hòa", "thôn Thanh Long", "thôn Mỹ Thuận", "thôn Đông Bình",
                    "thôn Gia Nghĩa", "thôn Hòa Tân", "thôn An Trạch"],
    "phuoc-thuan": ["thôn Phổ Đông", "thôn Thuận Nghĩa", "thôn Hòa Quang", "thôn Lương Bình",
                    "thôn Vân Điền", "thôn Mỹ Khánh"],
    "phuoc-an": ["thôn An Sơn", "thôn Trung Định", "thôn Ngọc Thạnh", "thôn Quang Vinh",
                 "thôn Mỹ Hòa", "thôn Đại Hiệp", "thôn Phú Yên", "thôn Thanh Huề"],
    "phuoc-thanh": ["thôn Cảnh An", "thôn Thành Tín", "thôn Đông Thạnh", "thôn Vĩnh Phú",
                    "thôn Kim Phụng", "thôn Lương Sơn"],
}  # fmt: skip

# From 1 July 2025 the 13 units form 4 communes of Gia Lai; their thôn keep their names.
MERGED_2025 = {
    "tuy-phuoc": ["tuy-phuoc", "dieu-tri", "phuoc-loc", "phuoc-nghia", "phuoc-thuan"],
    "tuy-phuoc-dong": ["phuoc-thang", "phuoc-hoa", "phuoc-son"],
    "tuy-phuoc-bac": ["phuoc-hung", "phuoc-quang", "phuoc-hiep"],
    "tuy-phuoc-tay": ["phuoc-an", "phuoc-thanh"],
}
HAMLETS_2025 = {
    new: [h.replace("khu phố", "thôn") for old in olds for h in HAMLETS[old]]
    for new, olds in MERGED_2025.items()
}


def hamlets_for(scheme: str, unit_key: str) -> list[str]:
    """The hamlets of a unit; numbered thôn for a unit these lists do not know."""
    table = HAMLETS_2025 if scheme == "vn-admin-2025" else HAMLETS
    return table.get(unit_key) or [f"thôn {n}" for n in range(1, 9)]


# Residences outside the district (a spouse from elsewhere, a father working away).
OTHER_PLACES = {
    "vn-admin-pre-2025": [
        "khu vực 3, phường Nhơn Bình, thành phố Quy Nhơn, tỉnh Bình Định",
        "tổ 12, khu vực 4, phường Quang Trung, thành phố Quy Nhơn, tỉnh Bình Định",
        "thôn Đại Bình, xã Nhơn Mỹ, thị xã An Nhơn, tỉnh Bình Định",
        "thôn Mỹ Hóa, xã Cát Hanh, huyện Phù Cát, tỉnh Bình Định",
        "thôn Vạn Thuận, xã Cát Nhơn, huyện Phù Cát, tỉnh Bình Định",
        "tổ 5, phường Trần Phú, thành phố Quảng Ngãi, tỉnh Quảng Ngãi",
        "khu phố 4, phường Tân Tạo, quận Bình Tân, Thành phố Hồ Chí Minh",
        "tổ 9, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng",
        "thôn Phú Mỹ, xã Hòa Hiệp Trung, huyện Đông Hòa, tỉnh Phú Yên",
    ],
    "vn-admin-2025": [
        "tổ 7, phường Quy Nhơn Nam, tỉnh Gia Lai",
        "khu vực 2, phường Quy Nhơn Bắc, tỉnh Gia Lai",
        "tổ 3, phường An Nhơn, tỉnh Gia Lai",
        "tổ 10, phường Pleiku, tỉnh Gia Lai",
        "khu phố 4, phường Bình Tân, Thành phố Hồ Chí Minh",
        "tổ 9, phường Liên Chiểu, thành phố Đà Nẵng",
    ],
}

BIRTH_PLACES = {
    "vn-admin-pre-2025": [
        "Trung tâm Y tế huyện Tuy Phước, tỉnh Bình Định",
        "Bệnh viện Đa khoa tỉnh Bình Định",
        "Bệnh viện Phụ sản - Nhi Bình Định",
        "Bệnh viện Đa khoa khu vực Phú Phong, tỉnh Bình Định",
    ],
    "vn-admin-2025": [
        "Trung tâm Y tế khu vực Tuy Phước, tỉnh Gia Lai",
        "Bệnh viện Đa khoa tỉnh Gia Lai",
        "Bệnh viện Phụ sản - Nhi Bình Định, tỉnh Gia Lai",
    ],
}
DEATH_PLACES = {
    "vn-admin-pre-2025": ["Trung tâm Y tế huyện Tuy Phước", "Bệnh viện Đa khoa tỉnh Bình Định",
                          "Bệnh viện Chợ Rẫy, Thành phố Hồ Chí Minh"],
    "vn-admin-2025": ["Trung tâm Y tế khu vực Tuy Phước", "Bệnh viện Đa khoa tỉnh Gia Lai",
                      "Bệnh viện Chợ Rẫy, Thành phố Hồ Chí Minh"],
}  # fmt: skip
DEATH_CAUSES = ["Bệnh già", "Bệnh", "Đột quỵ", "Suy tim", "Ung thư", "Tai nạn giao thông", ""]
ETHNICITIES = {"Kinh": 98.5, "Hoa": 1.5}

# ---------------------------------------------------------------------------------------------
# People: names, ID numbers and residences drawn from the lists above.
SURNAME_LIST = list(SURNAMES)
SURNAME_WEIGHTS = list(SURNAMES.values())
ETHNIC_LIST = list(ETHNICITIES)
ETHNIC_WEIGHTS = list(ETHNICITIES.values())


def place_name(cfg: UnitsConfig, unit) -> str:
    """'xã Phước Quang, huyện Tuy Phước, tỉnh Bình Định' (before 2025), or without the district."""
    parts = [f"{unit.type} {unit.name}"]
    if cfg.aggregator:
        parts.append(f"{cfg.aggregator.type} {cfg.aggregator.name}")
    parts.append(f"tỉnh {cfg.province}")
    return ", ".join(parts)


class People:
    """Invented people of one unit. ID numbers come from the unit's own slice of the six random
    digits, so no two units can draw the same number and each unit stays reproducible alone."""

    def __init__(self, rng: random.Random, cfg: UnitsConfig, unit, index: int):
        self.rng = rng
        self.scheme = cfg.scheme
        self.place = place_name(cfg, unit)
        self.hamlets = hamlets_for(cfg.scheme, unit.key)
        self.neighbours = [
            (hamlets_for(cfg.scheme, other.key), place_name(cfg, other))
            for other in cfg.units.values()
            if other.key != unit.key
        ]
        self.id_span = 10**6 // max(16, len(cfg.units))
        self.id_base = index * self.id_span
        self.used_ids: set[tuple] = set()

    def line(self) -> tuple[str, str]:
        """A family's surname as (men's form, women's form): ('Tôn Thất', 'Tôn Nữ')."""
        if self.rng.random() < COMPOUND_SHARE:
            return self.rng.choice(COMPOUND_SURNAMES)
        surname = self.rng.choices(SURNAME_LIST, SURNAME_WEIGHTS)[0]
        return (surname, surname)

    def full_name(self, sex: str, year: int, line: tuple[str, str] | None = None) -> str:
        surname = (line or self.line())[0 if sex == MALE else 1]
        middle = self.middle(sex, year)
        given = self.given(sex, year)
        while given == middle.split()[-1]:
            given = self.given(sex, year)
        return f"{surname} {middle} {given}"

    def middle(self, sex: str, year: int) -> str:
        rng = self.rng
        if sex == FEMALE:
            if rng.random() < cohort_share(THI_SHARE, year):
                extra = rng.choice(MIDDLE_AFTER_THI) if rng.random() < 0.25 else ""
                return f"Thị {extra}".strip()
            return rng.choice(MIDDLE_FEMALE)
        if rng.random() < cohort_share(VAN_SHARE, year):
            return "Văn"
        return rng.choice(MIDDLE_MALE)

    def given(self, sex: str, year: int) -> str:
        young = year >= 2005 and self.rng.random() < 0.8
        if sex == FEMALE:
            return self.rng.choice(GIVEN_FEMALE_YOUNG if young else GIVEN_FEMALE)
        return self.rng.choice(GIVEN_MALE_YOUNG if young else GIVEN_MALE)

    def pid(self, sex: str, year: int) -> str:
        """099 (no province), century-and-sex digit, two digits of the year, six random."""
        digit = 2 * (year // 100 - 19) + (1 if sex == FEMALE else 0)
        while True:
            serial = self.id_base + self.rng.randrange(self.id_span)
            if (digit, year % 100, serial) not in self.used_ids:
                break
        self.used_ids.add((digit, year % 100, serial))
        return f"099{digit}{year % 100:02d}{serial:06d}"

    def residence(self, local: bool = True) -> str:
        if local:
            return f"{self.rng.choice(self.hamlets)}, {self.place}"
        if self.neighbours and self.rng.random() < 0.7:
            hamlets, place = self.rng.choice(self.neighbours)
            return f"{self.rng.choice(hamlets)}, {place}"
        return self.rng.choice(OTHER_PLACES.get(self.scheme) or [self.residence()])

    def birthday(self, year: int) -> date:
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365 + calendar.isleap(year)))

    def ethnicity(self) -> str:
        return self.rng.choices(ETHNIC_LIST, ETHNIC_WEIGHTS)[0]
