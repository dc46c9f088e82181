"""How each unit's clerk exports: column layouts with their header wording, and per-unit
profiles (header style, date style, files per month or quarter, CSV months and encodings).

HEADER_VARIANTS lists every header wording the sample writes, for testing the reader.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from hcpvnd_utils.records import EVENTS

# Column layouts: "field  header" per line; "Group | Sub" is a two-row merged header. Fields are
# the canonical names of hcpvnd_utils/records.py, plus columns the tool must not keep
# (DROPPED_FIELDS) and record_seq (the STT column).


def _layout(text: str) -> list[tuple[str, str | tuple[str, str]]]:
    columns = []
    for line in text.strip().splitlines():
        name, header = line.split(maxsplit=1)
        group, _, sub = header.partition(" | ")
        columns.append((name, (group, sub) if sub else header))
    return columns


BIRTH_REGISTER = _layout("""
record_seq          STT
reg_book            Quyển số
reg_no              Số
reg_date            Ngày đăng ký
reg_kind            Loại đăng ký
child_full_name     Họ, chữ đệm, tên
child_dob           Ngày, tháng, năm sinh
child_sex           Giới tính
child_ethnicity     Dân tộc
child_nationality   Quốc tịch
birth_place         Nơi sinh
child_pid           Số định danh cá nhân
mother_full_name    Thông tin người mẹ | Họ tên
mother_birth_year   Thông tin người mẹ | Năm sinh
mother_residence    Thông tin người mẹ | Nơi cư trú
father_full_name    Thông tin người cha | Họ tên
father_birth_year   Thông tin người cha | Năm sinh
father_residence    Thông tin người cha | Nơi cư trú
declarant_full_name Người đi đăng ký khai sinh | Họ tên
declarant_relation  Người đi đăng ký khai sinh | Quan hệ với người được khai sinh
note                Ghi chú
""")
BIRTH_FLAT = _layout("""
record_seq          TT
reg_book            Quyển số
reg_no              Số đăng ký
reg_date            Ngày đăng ký
child_full_name     Họ và tên
child_dob           Ngày sinh
child_sex           Giới tính
child_pid           Mã định danh
child_ethnicity     Dân tộc
child_nationality   Quốc tịch
mother_full_name    Họ tên mẹ
mother_birth_year   Năm sinh (mẹ)
mother_residence    Nơi cư trú (mẹ)
father_full_name    Họ tên cha
father_birth_year   Năm sinh (cha)
father_residence    Nơi cư trú (cha)
declarant_full_name Người yêu cầu
declarant_relation  Quan hệ với người được khai sinh
note                Ghi chú
""")
BIRTH_ABBR = _layout("""
record_seq          STT
reg_no              Số ĐK
reg_book            Quyển
reg_date            Ngày ĐK
dossier_code        Mã hồ sơ
reg_kind            Hình thức đăng ký
child_full_name     Họ tên trẻ
child_dob           NTNS
child_sex           GT
child_pid           Số ĐDCN
child_ethnicity     Dân tộc
birth_place         Nơi sinh
mother_full_name    Họ tên mẹ
mother_birth_year   Năm sinh (mẹ)
mother_residence    Nơi cư trú (mẹ)
father_full_name    Họ tên bố
father_birth_year   Năm sinh (bố)
father_residence    Nơi cư trú (bố)
note                Ghi chú
""")
BIRTH_BOOK = _layout("""
record_seq          Số TT
reg_no              Số
reg_book            Quyển số
reg_date            Ngày, tháng, năm đăng ký
reg_kind            Loại việc
child_full_name     Họ tên người được khai sinh
child_dob           Ngày, tháng, năm sinh
child_sex           Giới tính
child_ethnicity     Dân tộc
child_nationality   Quốc tịch
birth_place         Nơi sinh
hometown            Quê quán
child_pid           Số định danh cá nhân
mother_full_name    Họ, chữ đệm, tên người mẹ
mother_birth_year   Năm sinh (mẹ)
mother_residence    Nơi cư trú (mẹ)
father_full_name    Họ, chữ đệm, tên người cha
father_birth_year   Năm sinh (cha)
father_residence    Nơi cư trú (cha)
declarant_full_name Người đi đăng ký khai sinh
declarant_relation  Quan hệ với người được khai sinh
note                Ghi chú
""")
BIRTH_PLAIN = _layout("""
record_seq          STT
reg_book            Quyển số
reg_no              Số ĐK
reg_date            Ngày ĐK
child_full_name     Họ tên trẻ
child_dob           Ngày sinh
child_sex           Giới tính
child_pid           Số định danh cá nhân
child_ethnicity     Dân tộc
child_nationality   Quốc tịch
mother_full_name    Họ tên mẹ
mother_birth_year   Năm sinh (mẹ)
mother_residence    Nơi cư trú (mẹ)
father_full_name    Họ tên cha
father_birth_year   Năm sinh (cha)
father_residence    Nơi cư trú (cha)
reg_kind            Loại đăng ký
note                Ghi chú
""")
MARRIAGE_REGISTER = _layout("""
record_seq          STT
reg_book            Quyển số
reg_no              Số
reg_date            Ngày đăng ký
husband_full_name   Bên nam | Họ, chữ đệm, tên
husband_dob         Bên nam | Ngày, tháng, năm sinh
husband_ethnicity   Bên nam | Dân tộc
husband_nationality Bên nam | Quốc tịch
husband_residence   Bên nam | Nơi cư trú
husband_pid         Bên nam | Số định danh cá nhân
wife_full_name      Bên nữ | Họ, chữ đệm, tên
wife_dob            Bên nữ | Ngày, tháng, năm sinh
wife_ethnicity      Bên nữ | Dân tộc
wife_nationality    Bên nữ | Quốc tịch
wife_residence      Bên nữ | Nơi cư trú
wife_pid            Bên nữ | Số định danh cá nhân
note                Ghi chú
""")
MARRIAGE_FLAT = _layout("""
record_seq          TT
reg_book            Quyển số
reg_no              Số đăng ký
reg_date            Ngày đăng ký
husband_full_name   Họ tên chồng
husband_dob         Ngày sinh (chồng)
husband_residence   Nơi cư trú (chồng)
husband_pid         Số CCCD (chồng)
wife_full_name      Họ tên vợ
wife_dob            Ngày sinh (vợ)
wife_residence      Nơi cư trú (vợ)
wife_pid            Số CCCD (vợ)
note                Ghi chú
""")
MARRIAGE_ABBR = _layout("""
record_seq          STT
reg_no              Số ĐK
reg_book            Quyển
reg_date            Ngày ĐK
husband_full_name   Họ tên (bên nam)
husband_dob         NTNS (bên nam)
husband_nationality Quốc tịch (bên nam)
husband_residence   Nơi cư trú (bên nam)
husband_pid         Giấy tờ tùy thân (bên nam)
wife_full_name      Họ tên (bên nữ)
wife_dob            NTNS (bên nữ)
wife_nationality    Quốc tịch (bên nữ)
wife_residence      Nơi cư trú (bên nữ)
wife_pid            Giấy tờ tùy thân (bên nữ)
note                Ghi chú
""")
MARRIAGE_BOOK = _layout("""
record_seq          Số TT
reg_no              Số
reg_book            Quyển số
reg_date            Ngày, tháng, năm đăng ký
husband_full_name   Chồng | Họ, chữ đệm, tên
husband_dob         Chồng | Ngày sinh
husband_ethnicity   Chồng | Dân tộc
husband_residence   Chồng | Nơi cư trú
husband_pid         Chồng | Số định danh cá nhân
wife_full_name      Vợ | Họ, chữ đệm, tên
wife_dob            Vợ | Ngày sinh
wife_ethnicity      Vợ | Dân tộc
wife_residence      Vợ | Nơi cư trú
wife_pid            Vợ | Số định danh cá nhân
note                Ghi chú
""")
MARRIAGE_PLAIN = _layout("""
record_seq          STT
reg_book            Quyển số
reg_no              Số ĐK
reg_date            Ngày ĐK
husband_full_name   Họ tên chồng
husband_dob         Ngày sinh chồng
husband_residence   Nơi cư trú chồng
husband_pid         Số định danh cá nhân chồng
wife_full_name      Họ tên vợ
wife_dob            Ngày sinh vợ
wife_residence      Nơi cư trú vợ
wife_pid            Số định danh cá nhân vợ
note                Ghi chú
""")
DEATH_REGISTER = _layout("""
record_seq          STT
reg_book            Quyển số
reg_no              Số
reg_date            Ngày đăng ký
deceased_full_name  Người chết | Họ và tên
deceased_dob        Người chết | Ngày, tháng, năm sinh
deceased_sex        Người chết | Giới tính
deceased_ethnicity  Người chết | Dân tộc
deceased_pid        Người chết | Số định danh cá nhân
last_residence      Người chết | Nơi cư trú cuối cùng
death_date          Ngày chết
death_place         Nơi chết
death_cause         Nguyên nhân chết
death_notice_no     Số giấy báo tử
declarant_full_name Người đi khai tử | Họ tên
declarant_sex       Người đi khai tử | Giới tính
declarant_relation  Người đi khai tử | Quan hệ với người chết
declarant_residence Người đi khai tử | Nơi cư trú
note                Ghi chú
""")
DEATH_FLAT = _layout("""
record_seq          TT
reg_book            Quyển số
reg_no              Số đăng ký
reg_date            Ngày đăng ký
deceased_full_name  Họ tên người đã chết
deceased_birth_year Năm sinh
deceased_sex        Giới tính
deceased_pid        Số định danh cá nhân
last_residence      Nơi thường trú
death_date          Ngày mất
death_place         Nơi mất
death_cause         Nguyên nhân chết
declarant_full_name Người yêu cầu
declarant_relation  Quan hệ với người đã chết
note                Ghi chú
""")
DEATH_ABBR = _layout("""
record_seq          STT
reg_no              Số ĐK
reg_book            Quyển
reg_date            Ngày ĐK
dossier_code        Mã hồ sơ
deceased_full_name  Họ, chữ đệm, tên người chết
deceased_dob        NTNS
deceased_sex        GT
deceased_pid        Giấy tờ tùy thân
last_residence      Địa chỉ
death_date          Thời điểm chết
death_place         Nơi chết
death_notice_no     Số giấy báo tử
declarant_full_name Người đi khai tử
declarant_relation  Quan hệ với người chết
note                Ghi chú
""")
DEATH_BOOK = _layout("""
record_seq          Số TT
reg_no              Số
reg_book            Quyển số
reg_date            Ngày, tháng, năm đăng ký
reg_kind            Loại việc
deceased_full_name  Họ, chữ đệm, tên người chết
deceased_dob        Ngày, tháng, năm sinh
deceased_sex        Giới tính
deceased_ethnicity  Dân tộc
deceased_nationality Quốc tịch
deceased_pid        Số định danh cá nhân
last_residence      Nơi cư trú cuối cùng
death_date          Đã chết vào lúc
death_place         Nơi chết
death_cause         Nguyên nhân chết
death_notice_no     Số giấy báo tử
declarant_full_name Người đi khai tử
declarant_relation  Quan hệ với người chết
note                Ghi chú
""")
DEATH_PLAIN = _layout("""
record_seq          STT
reg_book            Quyển số
reg_no              Số ĐK
reg_date            Ngày ĐK
deceased_full_name  Họ tên người đã chết
deceased_dob        Ngày sinh
deceased_sex        Giới tính
deceased_pid        Số định danh cá nhân
last_residence      Nơi thường trú
death_date          Ngày chết
death_place         Nơi chết
death_cause         Nguyên nhân chết
declarant_full_name Người yêu cầu
declarant_relation  Quan hệ với người chết
note                Ghi chú
""")
DEATH_SHORT = _layout("""
record_seq          TT
reg_no              Số
reg_book            Quyển số
reg_date            Ngày ĐK
deceased_full_name  Người mất
deceased_dob        Ngày sinh
deceased_sex        Giới tính
deceased_pid        Số định danh cá nhân
last_residence      Địa chỉ
death_date          Ngày mất
death_place         Nơi mất
death_notice_no     Số giấy báo tử
declarant_full_name Người yêu cầu
declarant_relation  Quan hệ với người đã chết
note                Ghi chú
""")

# Columns in the exports that the tool must not keep (minimisation) or does not need. (The
# spouses' nationality is kept: a marriage with a foreign spouse gets its own letter.)
DROPPED_FIELDS = (
    "record_seq", "dossier_code", "child_ethnicity", "child_nationality", "birth_place",
    "hometown", "husband_ethnicity", "wife_ethnicity", "deceased_ethnicity",
    "deceased_nationality", "death_place", "death_cause", "death_notice_no",
)  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """How one unit's clerk exports: layouts, header style, dates, files."""

    layouts: tuple  # (birth, marriage, death) layouts
    headers: str = ""  # "" as written, "caps" capitals, "ascii" without diacritics
    dates: str = "excel"  # excel (real dates), slash (05/9/2024), dash (05-09-2024)
    death_date: str = ""  # words (ngày 05 tháng 9 năm 2024), clock (14 giờ 30 phút, ngày …)
    book: str = "{no:02d}/{year}"  # Quyển số: 01/2024, or "{no:02d}": 01
    grouping: str = "month"  # month: a file per month; quarter: a file per quarter, sheet/month
    sheet: str = "{short}"  # sheet name; {short} KS/KH/KT, {m} month number
    csv_months: tuple = ()  # months exported as CSV ("2024-05")
    csv_encoding: str = "utf-8-sig"  # utf-8-sig (BOM), utf-8, cp1258 (Windows-1258)
    csv_delimiter: str = ","
    titles: str = "simple"  # simple: UBND line; official: with the national motto
    names: str = ""  # "" as typed, upper: capitals, some_lower: a few rows in lower case
    nfd: bool = False  # text typed decomposed (Unikey "Unicode tổ hợp")

    def layout(self, event: str) -> list:
        return self.layouts[EVENTS.index(event)]


REGISTER = (BIRTH_REGISTER, MARRIAGE_REGISTER, DEATH_REGISTER)
FLAT = (BIRTH_FLAT, MARRIAGE_FLAT, DEATH_FLAT)
ABBR = (BIRTH_ABBR, MARRIAGE_ABBR, DEATH_ABBR)
BOOK = (BIRTH_BOOK, MARRIAGE_BOOK, DEATH_BOOK)
PLAIN = (BIRTH_PLAIN, MARRIAGE_PLAIN, DEATH_PLAIN)

PROFILES = {
    "vn-admin-pre-2025": {
        "phuoc-quang": Profile(REGISTER),
        "phuoc-nghia": Profile(FLAT, dates="slash", book="{no:02d}", sheet="Sheet1",
                               csv_months=("2024-05", "2024-08", "2024-11")),
        "tuy-phuoc": Profile(BOOK, death_date="clock", titles="official"),
        "dieu-tri": Profile(REGISTER, grouping="quarter", sheet="Tháng {m}", death_date="words",
                            titles="official"),
        "phuoc-thang": Profile(ABBR, nfd=True),
        "phuoc-hung": Profile((BIRTH_FLAT, MARRIAGE_FLAT, DEATH_SHORT), book="{no:02d}"),
        "phuoc-hoa": Profile(REGISTER, headers="caps", names="upper", grouping="quarter",
                             sheet="T{m}"),
        "phuoc-son": Profile(PLAIN, headers="ascii", dates="dash", book="{no:02d}"),
        "phuoc-hiep": Profile(PLAIN, headers="ascii", dates="slash", names="some_lower"),
        "phuoc-loc": Profile(ABBR, csv_months=("2024-09", "2024-10"), csv_encoding="utf-8",
                             csv_delimiter=";"),
        "phuoc-thuan": Profile(FLAT, csv_months=("2024-10", "2024-11", "2024-12"),
                               csv_encoding="cp1258"),
        "phuoc-an": Profile((BIRTH_REGISTER, MARRIAGE_BOOK, DEATH_REGISTER), book="{no:02d}",
                            grouping="quarter", sheet="T{m}"),
        "phuoc-thanh": Profile((BIRTH_FLAT, MARRIAGE_ABBR, DEATH_SHORT), headers="caps",
                               titles="official"),
    },
    "vn-admin-2025": {
        "tuy-phuoc": Profile(REGISTER),
        "tuy-phuoc-bac": Profile(FLAT, dates="slash", book="{no:02d}"),
        "tuy-phuoc-dong": Profile(REGISTER, headers="caps", grouping="quarter", sheet="T{m}"),
        "tuy-phuoc-tay": Profile(ABBR, csv_months=("2025-09",)),
    },
}  # fmt: skip


def profile_for(scheme: str, unit_key: str, index: int) -> Profile:
    """The unit's profile; a unit these tables do not know borrows one by its position."""
    known = PROFILES.get(scheme, {})
    if unit_key in known:
        return known[unit_key]
    fallback = list(PROFILES["vn-admin-pre-2025"].values())
    return fallback[index % len(fallback)]


def fold_ascii(text: str) -> str:
    """'Họ tên chồng' -> 'Ho ten chong', as typed without a Vietnamese keyboard."""
    text = text.replace("đ", "d").replace("Đ", "D")
    kept = (c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", "".join(kept))


def styled_header(text: str, style: str) -> str:
    if style == "caps":
        return text.upper()
    if style == "ascii":
        return fold_ascii(text)
    return text


def _header_variants() -> dict[str, dict[str, list]]:
    """Every header wording the sample writes, per event and field (NFC)."""
    found: dict[str, dict[str, set]] = {event: defaultdict(set) for event in EVENTS}
    for profiles in PROFILES.values():
        for profile in profiles.values():
            for event in EVENTS:
                for name, header in profile.layout(event):
                    if isinstance(header, tuple):
                        written = tuple(styled_header(h, profile.headers) for h in header)
                    else:
                        written = styled_header(header, profile.headers)
                    found[event][name].add(written)
    return {
        event: {name: sorted(found[event][name], key=str) for name in sorted(found[event])}
        for event in EVENTS
    }


# Every header the sample uses: {event: {field: [header, ...]}}. A header written over two
# merged rows is a (group, sub-header) pair, e.g. ("Thông tin người mẹ", "Họ tên"). Fields in
# DROPPED_FIELDS are columns the reader must recognise as not kept (or may ignore);
# "deceased_birth_year" is the deceased's year of birth alone (stored as an int deceased_dob).
HEADER_VARIANTS = _header_variants()
