"""The delivery sheet's words: its columns, the three drop-down lists (how a letter was handed
over, by whom, the family's response) with the codes the ledger stores, and matching what a
clerk typed over a drop-down to the list.

A value matches an item of its list when it is the item's text or code, whatever its capitals,
diacritics, spaces and punctuation ("trao tan tay", "TRAO TẬN TAY.", "tan_tay"), or one of the
item's few other names listed here ("Hội Phụ nữ" for "Hội LHPN"). Anything else is not guessed:
the row is refused with the list to choose from. No pandas, no openpyxl: the report reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ledger.schema import CHANNELS, RESPONSES, ROLES
from ..textnorm import fold


@dataclass(frozen=True)
class Choices:
    """One drop-down list: its column's key, what a message calls it, and its items."""

    key: str  # channel / role / response
    what: str  # "cách trao thư"
    items: dict[str, str]  # code -> text shown
    aliases: dict[str, str]  # other names (folded) -> code

    def match(self, value) -> str | None:
        """The code ``value`` stands for; None when it is none of the list."""
        key = fold(value)
        for code, text in self.items.items():
            if key in (fold(text), fold(code)):
                return code
        return self.aliases.get(key)

    def texts(self) -> list[str]:
        return list(self.items.values())

    def shown(self) -> str:
        return "; ".join(f"“{text}”" for text in self.items.values())


CHANNEL = Choices(
    "channel",
    "cách trao thư",
    dict(zip(CHANNELS, ("Trao tận tay", "Qua thôn, tổ dân phố", "Bưu điện", "Khác"))),
    {"tan tay": "tan_tay", "trao truc tiep": "tan_tay", "truc tiep": "tan_tay",
     "qua thon": "qua_thon", "qua to dan pho": "qua_thon", "qua thon to dan pho": "qua_thon",
     "qua buu dien": "buu_dien"},
)  # fmt: skip
ROLE = Choices(
    "role",
    "người trao thư",
    dict(zip(ROLES, ("Cán bộ tư pháp – hộ tịch", "Lãnh đạo UBND xã", "Hội LHPN",
                     "Trưởng thôn, tổ trưởng TDP", "Nhân viên bưu điện", "Khác"))),  # fmt: skip
    {"can bo tu phap": "tu_phap", "cong chuc tu phap ho tich": "tu_phap", "tu phap": "tu_phap",
     "cong chuc tu phap": "tu_phap", "lanh dao ubnd": "lanh_dao", "lanh dao": "lanh_dao",
     "hoi phu nu": "hoi_phu_nu", "hoi lien hiep phu nu": "hoi_phu_nu",
     "truong thon": "truong_thon", "to truong tdp": "truong_thon",
     "to truong to dan pho": "truong_thon", "buu dien": "buu_dien"},
)  # fmt: skip
RESPONSE = Choices(
    "response",
    "phản ánh của gia đình",
    dict(zip(RESPONSES, ("Tích cực", "Bình thường", "Tiêu cực", "Không ý kiến"))),
    {"khong co y kien": "khong_y_kien"},
)
LISTS = (CHANNEL, ROLE, RESPONSE)


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the header, as the sheet prints it
    width: float
    fill: bool = False  # a column the commune fills in (unlocked, yellow)


COLUMNS = (  # widths: the 14 columns fit an A4 landscape page at about 80 %
    Column("number", "STT", 4),
    Column("reference", "Mã thư", 21),
    Column("event", "Loại thư", 12),
    Column("reg_no", "Số ĐK", 6),
    Column("reg_date", "Ngày đăng ký", 10),
    Column("recipient", "Kính gửi (người nhận thư)", 24),
    Column("address", "Địa chỉ", 22),
    Column("made_on", "Ngày làm thư", 10),
    Column("handed_on", "Ngày trao thư", 10, fill=True),
    Column("channel", "Cách trao", 13, fill=True),
    Column("role", "Người trao", 14, fill=True),
    Column("response", "Phản ánh của gia đình", 10, fill=True),
    Column("note", "Ghi chú", 16, fill=True),
    Column("signature", "Người nhận ký", 12),
)
FILLED = tuple(c.key for c in COLUMNS if c.fill)  # what an import reads besides the reference
TITLES = {c.key: c.title for c in COLUMNS}
MAX_NOTE = 500  # characters: a longer note is a paste gone wrong


def column_of(header) -> str | None:
    """The column a header names (as written, after a round trip through Excel)."""
    key = fold(header)
    return next((c.key for c in COLUMNS if fold(c.title) == key), None)


def text_of(kind: Choices, code: str | None) -> str:
    return kind.items.get(code or "", "")
