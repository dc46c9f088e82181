"""What the report says of the letters after they were made: printed, handed over, how the
families responded, which are still waiting — only what the delivery sheets imported into the
ledger show (``ReportData``'s delivery figures, from ``delivery.figures``), in the dispatch's
words ("đã trao 128/137 thư (93,4%)", "chưa ghi nhận phản ánh tiêu cực nào"). Judgements stay
the analyst's (the narrative's section "phan_anh", after these sentences).
"""

from __future__ import annotations

from ..periods import short_date
from ..records import EVENTS, LETTER_TITLES
from ..wording import admin_number, admin_percent
from .data import DISTRICT, SENT, ReportData

EVENT_NAMES = {event: title[:1].lower() + title[1:] for event, title in LETTER_TITLES.items()}
# the responses, in the order a sentence names them (tiêu cực is always said, even when none)
RESPONSE_WORDS = {
    "tich_cuc": "gia đình phản ánh tích cực",
    "binh_thuong": "gia đình phản ánh bình thường",
    "khong_y_kien": "gia đình không có ý kiến",
    "chua_ghi": "chưa ghi phản ánh",
}


def shows_delivery(data: ReportData) -> bool:
    """Whether there is anything to tabulate: a delivery sheet imported, a letter handed over."""
    return data.delivery_as_of is not None or sum(data.totals("handed").values()) > 0


def progress_sentences(data: ReportData) -> list[str]:
    """After the headline, when not every letter was handed over: how many were printed and
    handed over (the headline said "làm" or "in", not "gửi")."""
    made = sum(data.made().values())
    if not made or data.verb() == SENT:
        return []
    printed, handed = sum(data.totals("printed").values()), sum(data.totals("handed").values())
    parts = []
    if printed and printed < made:
        parts.append(f"{admin_number(printed)} thư đã in")
    if handed:
        parts.append(f"{admin_number(handed)} thư đã trao cho gia đình")
    if not parts:  # nothing printed or handed over: section 5 says so
        return []
    return [f"Trong đó, {' và '.join(parts)} (theo sổ theo dõi thư và sổ giao thư)."]


def delivery_sentences(data: ReportData) -> list[str]:
    """Section 5's figures: handed over out of made (per event), the responses, the letters
    waiting and late."""
    made, handed = data.made(), data.totals("handed")
    if not shows_delivery(data):
        whose = "của đơn vị nào" if data.scope == DISTRICT else f"của {data.issuer.area}"
        return [f"Chưa có thông tin về việc trao thư cho người dân: chưa nhập sổ giao thư {whose}."]
    return [_handed_sentence(data, made, handed), *_response_sentence(data),
            *_waiting_sentence(data)]  # fmt: skip


def _handed_sentence(data: ReportData, made: dict, handed: dict) -> str:
    lead = "Theo sổ giao thư"
    if data.delivery_as_of:
        lead += f" (cập nhật đến ngày {short_date(data.delivery_as_of)})"
    total, done = sum(made.values()), sum(handed.values())
    if not done:
        return f"{lead}, chưa có thư nào được trao trong số {admin_number(total)} thư đã làm."
    share = admin_percent(100.0 * done / total)
    text = f"{lead}, đã trao {admin_number(done)}/{admin_number(total)} thư ({share})"
    events = [e for e in EVENTS if made[e]]
    if len(events) > 1:
        text += ": " + "; ".join(f"{EVENT_NAMES[e]} {_of(handed[e], made[e])}" for e in events)
    return text + "."


def _of(part: int, whole: int) -> str:
    """'128/137 (93,4%)'."""
    share = admin_percent(100.0 * part / whole) if whole else admin_percent(0)
    return f"{admin_number(part)}/{admin_number(whole)} ({share})"


def _response_sentence(data: ReportData) -> list[str]:
    said = {code: sum(u.responses.get(code, 0) for u in data.units)
            for code in (*RESPONSE_WORDS, "tieu_cuc")}  # fmt: skip
    handed = sum(data.totals("handed").values())
    if not handed:
        return []
    parts = [f"{admin_number(n)} trường hợp {RESPONSE_WORDS[code]}"
             for code, n in said.items() if code in RESPONSE_WORDS and n]  # fmt: skip
    negative = said["tieu_cuc"]
    bad = (f"{admin_number(negative)} trường hợp phản ánh tiêu cực" if negative
           else "chưa ghi nhận phản ánh tiêu cực nào")  # fmt: skip
    listed = ", ".join(parts)
    return [f"Trong {admin_number(handed)} thư đã trao, {listed + '; ' if listed else ''}{bad}."]


def _waiting_sentence(data: ReportData) -> list[str]:
    waiting, late = sum(data.totals("waiting").values()), sum(data.totals("late").values())
    if not waiting:
        return []
    text = f"Còn {admin_number(waiting)} thư chưa trao"
    days = admin_number(data.delivery_days)
    if late:
        text += (f", trong đó {admin_number(late)} thư đã quá {days} ngày kể từ ngày làm thư"
                 " (danh sách mã thư ở bảng số liệu kèm theo, trang “Thư chưa trao”)")  # fmt: skip
    elif data.delivery_as_of:
        text += f"; chưa có thư nào quá {days} ngày kể từ ngày làm thư"
    return [text + "."]


__all__ = ["delivery_sentences", "progress_sentences", "shows_delivery"]
