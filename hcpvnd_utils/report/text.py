"""The report's words: sentences built from the figures, and the analyst's own text.

A sentence made here says only what the figures show (counts, dates, shares, names of units).
Judgements and plans — strengths, shortcomings, causes, next tasks, proposals, what families
said — come from the narrative file the analyst writes for the period
(``inputs/narratives/<period label>.docx`` or ``.yaml``, see ``NARRATIVE_KEYS``), after the
figures of their part; a section it does not give gets a visible placeholder "[Phần này do
chuyên viên viết: …]", never an invented claim. A section written in Word is a "composed" block:
its content is put there as written (``compose``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..periods import Period, short_date
from ..records import EVENTS, LETTER_TITLES
from ..wording import admin_decimal, admin_number, admin_percent
from .data import DISTRICT, ReportData, UnitFigures, kinds_phrase
from .handover import delivery_sentences, progress_sentences, shows_delivery
from .narrative import (  # noqa: F401 (re-exported: the narrative is part of the report's text)
    NARRATIVE_KEYS,
    PLACEHOLDER_START,
    Narrative,
    load_narrative,
    placeholder,
)

MODEL = "mô hình “Hành chính phục vụ người dân”"
EVENT_CASES = {
    "khai_sinh": "đăng ký khai sinh",
    "ket_hon": "đăng ký kết hôn",
    "khai_tu": "đăng ký khai tử",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


# ---------------------------------------------------------------- words for figures


def and_join(names: list[str]) -> str:
    """'Phước Hòa, Phước Lộc và Phước Sơn'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def count_of(n: int, noun: str) -> str:
    return f"{admin_number(n)} {noun}"


def share_text(part: int, whole: int) -> str:
    return admin_percent(100.0 * part / whole) if whole else admin_percent(0)


def table_number(n: int) -> str:
    """Numbers in a table cell: '7', '54', '1.405' (no leading zero)."""
    return admin_decimal(n, 0)


def period_phrase(period: Period) -> str:
    """'năm 2024', 'quý III năm 2024', 'tháng 11 năm 2024', '6 tháng đầu năm 2024', else
    'từ ngày 01/3/2024 đến ngày 31/5/2024'."""
    label, start, end = period.label, period.start, period.end
    if re.fullmatch(r"\d{4}", label):
        return f"năm {start.year}"
    if m := re.fullmatch(r"\d{4}-Q(\d)", label):
        return f"quý {ROMAN[int(m[1]) - 1]} năm {start.year}"
    if re.fullmatch(r"\d{4}-\d{2}", label):
        month = f"{start.month:02d}" if start.month < 3 else str(start.month)
        return f"tháng {month} năm {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 6, 30) and start.year == end.year:
        return f"6 tháng đầu năm {start.year}"
    return period.vietnamese()


def subject_line(data: ReportData) -> str:
    return f"Kết quả thực hiện {MODEL} trên địa bàn {data.issuer.area} {period_phrase(data.period)}"


def intro(data: ReportData, narrative: Narrative) -> list[str]:
    own = (
        f"{data.issuer.committee} báo cáo kết quả thực hiện {MODEL} {period_phrase(data.period)} "
        "như sau:"
    )
    lead = list(narrative.paragraphs("can_cu") or [])
    if lead and lead[-1].endswith(","):  # "Thực hiện Kế hoạch số …, Ủy ban nhân dân … báo cáo"
        return [*lead[:-1], f"{lead[-1]} {own}"]
    return [*lead, own]


def closing(data: ReportData) -> str:
    return (
        f"Trên đây là báo cáo kết quả thực hiện {MODEL} trên địa bàn {data.issuer.area} "
        f"{period_phrase(data.period)}, {data.issuer.committee} kính báo cáo "
        f"{data.issuer.recipient}./."
    )


def recipients(data: ReportData, narrative: Narrative) -> list[str]:
    """The 'Nơi nhận:' list."""
    archive = narrative.archive or ("VP" if data.scope == DISTRICT else "TP-HT")
    extra = [line if line.endswith((";", ".")) else line + ";" for line in narrative.recipients]
    return ["- Như trên;", *(f"- {line.lstrip('- ')}" for line in extra), f"- Lưu: VT, {archive}."]


def _names(units: list[UnitFigures]) -> str:
    return and_join([u.name for u in units])


def _group(units: list[UnitFigures]) -> str:
    """'02 xã (Phước Quang, Phước Nghĩa)'."""
    return f"{count_of(len(units), kinds_phrase(u.type for u in units))} ({_names(units)})"


# ---------------------------------------------------------------- the body, as blocks


@dataclass
class Block:
    kind: str  # "h1" (I.), "h2" (1.), "p", "placeholder", "table", "chart", "composed"
    text: str = ""
    key: str = ""  # table or chart name; the narrative's section for "composed"


def body_blocks(data: ReportData, narrative: Narrative, charts: list[str]) -> list[Block]:
    """The sections I-V in order; ``charts`` are the chart keys made for this report."""
    blocks: list[Block] = []
    sections = [
        (
            "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
            rollout_blocks(data, narrative, charts),
        ),
        ("KẾT QUẢ THỰC HIỆN", result_blocks(data, narrative, charts)),
        ("ĐÁNH GIÁ CHUNG", assessment_blocks(narrative)),
        ("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", _analyst("nhiem_vu", narrative)),
    ]
    if narrative.paragraphs("de_xuat") != []:  # written empty: no proposals, no section
        sections.append(("ĐỀ XUẤT, KIẾN NGHỊ", _analyst("de_xuat", narrative)))
    for number, (title, content) in zip(ROMAN, sections):
        blocks.append(Block("h1", f"{number}. {title}"))
        blocks += content
    charts_in_order = [b for b in blocks if b.kind == "chart"]
    for number, block in enumerate(charts_in_order, start=1):
        block.text = f"Biểu đồ {number}. {block.text}"
    return blocks


def _analyst(key: str, narrative: Narrative) -> list[Block]:
    if narrative.composed(key):
        return [Block("composed", key=key)]
    given = narrative.paragraphs(key)
    if given is None:
        return [Block("placeholder", placeholder(key))]
    return [Block("p", text) for text in given]


def rollout_blocks(data: ReportData, narrative: Narrative, charts: list[str]) -> list[Block]:
    facts = rollout_sentences(data) if data.scope == DISTRICT else unit_rollout_sentences(data)
    blocks = [Block("p", text) for text in facts]
    if "rollout" in charts:
        blocks.append(Block("chart", chart_caption("rollout", data), "rollout"))
    return blocks + _analyst("chi_dao", narrative)  # the analyst's words after the figures


def rollout_sentences(data: ReportData) -> list[str]:
    """Pilots, plans issued, units implementing, progress against the target (district)."""
    end, total, kinds = data.period.end, len(data.units), data.kinds
    out = []
    pilots = data.pilots()
    if pilots:
        out.append(
            f"Mô hình được thực hiện thí điểm tại {_group(pilots)}{_pilot_dates(pilots, end)}."
        )
    planned, doing = data.with_plan(), data.implementing()  # in the units file's order
    plan_text = f"{admin_number(len(planned))}/{admin_number(total)} {kinds} đã ban hành kế hoạch thực hiện mô hình"
    if planned:
        plan_text += f" ({_names(planned)})"
    doing_text = f"{admin_number(len(doing))}/{admin_number(total)} {kinds} đã triển khai gửi thư"
    if doing:
        doing_text += f" ({_names(doing)})"
    out.append(
        f"Đến ngày {short_date(end)}, {plan_text}; {doing_text}, đạt {share_text(len(doing), total)}."
    )
    target = target_sentence(data)
    if target:
        out.append(target)
    return out


def _pilot_dates(pilots: list[UnitFigures], end: date) -> str:
    starts = {u.letters_start for u in pilots}
    if len(starts) == 1 and None not in starts:
        start = starts.pop()
        return (
            f", từ ngày {short_date(start)}"
            if start <= end
            else f" (dự kiến từ ngày {short_date(start)})"
        )
    return ""


def target_sentence(data: ReportData) -> str:
    if data.target_date is None:
        return ""
    target, share, end, total = (
        data.target_date,
        data.target_share,
        data.period.end,
        len(data.units),
    )
    goal = f"mục tiêu đến ngày {short_date(target)} đạt {share}% {data.kinds} triển khai thực hiện mô hình"
    if end < target:
        waiting = [u for u in data.units if not u.implementing_on(end)]
        if not waiting:
            return f"Đã đạt {goal}."
        rest = kinds_phrase(u.type for u in waiting)
        return (
            f"Theo {goal}, còn {count_of(len(waiting), rest)} chưa triển khai gửi thư "
            f"({_names(waiting)})."
        )
    done = [u for u in data.units if u.implementing_on(target)]
    reached = 100 * len(done) >= share * total
    text = (
        f"Đến ngày {short_date(target)} (thời hạn mục tiêu {share}%), "
        f"{admin_number(len(done))}/{admin_number(total)} {data.kinds} đã triển khai gửi thư, "
        f"đạt {share_text(len(done), total)}"
    )
    if reached:
        return text + ", đạt mục tiêu."
    waiting = [u for u in data.units if not u.implementing_on(target)]
    return text + f", chưa đạt mục tiêu (chưa triển khai: {_names(waiting)})."


def unit_rollout_sentences(data: ReportData) -> list[str]:
    unit, end = data.units[0], data.period.end
    steps = [
        (unit.plan_issued, "ban hành kế hoạch thực hiện mô hình ngày {}"),
        (unit.launch, "tổ chức ra mắt mô hình ngày {}"),
        (unit.letters_start, "bắt đầu gửi thư từ ngày {}"),
    ]
    done = [text.format(short_date(day)) for day, text in steps if day and day <= end]
    out = []
    if done:
        out.append(f"{data.issuer.committee} đã {and_join(done)}.")
    if unit.pilot:
        out.append(f"{unit.title} là đơn vị thực hiện thí điểm mô hình.")
    if not unit.implementing_on(end):
        out.append(f"Đến ngày {short_date(end)}, {unit.full_name} chưa bắt đầu gửi thư.")
    return out


def result_blocks(data: ReportData, narrative: Narrative, charts: list[str]) -> list[Block]:
    blocks = [Block("p", text) for text in results_sentences(data)]
    for number, event in enumerate(EVENTS, start=1):
        blocks.append(Block("h2", f"{number}. {LETTER_TITLES[event]}"))
        blocks += [Block("p", text) for text in event_sentences(data, event)]
    title = "Số thư của từng đơn vị" if data.scope == DISTRICT else "Bảng tổng hợp số thư"
    blocks.append(Block("h2", f"{len(EVENTS) + 1}. {title}"))
    caption = f"Bảng 1. Số thư đã {data.verb()} theo đơn vị và loại thư"
    blocks.append(Block("table", caption, "results"))
    for key in ("by_unit", "by_month"):
        if key in charts:
            blocks.append(Block("chart", chart_caption(key, data), key))
    blocks.append(Block("h2", f"{len(EVENTS) + 2}. Phản ánh của người dân"))
    blocks += delivery_blocks(data, charts)  # what the delivery sheets say, then the analyst
    return blocks + _analyst("phan_anh", narrative)


def results_sentences(data: ReportData) -> list[str]:
    """The headline: who sent how many letters for what (the 2024 dispatch's sentence)."""
    totals, phrase = data.totals(), data.period.vietnamese()
    phrase = phrase[:1].upper() + phrase[1:]
    if sum(totals.values()) == 0:
        return [f"{phrase}, chưa có thư nào được làm (theo sổ theo dõi thư)."]
    who = data.issuer.committee if data.scope != DISTRICT else _group(data.sending())
    verb, parts = data.verb(), []
    cheers = [
        count_of(totals[e], f"trường hợp {EVENT_CASES[e]}")
        for e in ("khai_sinh", "ket_hon")
        if totals[e]
    ]
    if cheers:
        listed = ", ".join(cheers) if totals["khai_tu"] else and_join(cheers)
        parts.append(f"{verb} Thư chúc mừng cho {listed}")
    if totals["khai_tu"]:
        n = totals["khai_tu"]
        parts.append(
            f"{verb} {admin_number(n)} Thư chia buồn đối với {count_of(n, 'trường hợp đăng ký khai tử')}"
        )
    out = [
        f"{phrase}, {who} đã {' và '.join(parts)}; tổng cộng {count_of(data.documents(), 'thư')}."
    ]
    out += progress_sentences(data)
    idle = [u for u in data.implementing() if u.total == 0]
    if idle and data.scope == DISTRICT:
        out.append(
            f"{count_of(len(idle), kinds_phrase(u.type for u in idle))} đã triển khai nhưng chưa có thư trong kỳ ({_names(idle)})."
        )
    return out


def event_sentences(data: ReportData, event: str) -> list[str]:
    total, verb = data.totals()[event], data.verb(event)
    shared, together = data.shared(event)
    text = f"Đã {verb} {count_of(total, 'thư')}"
    if shared:  # the dispatch counts cases: twins are two cases and one letter
        text = f"Đã {verb} {count_of(data.documents(event), 'thư')} cho {count_of(total, 'trường hợp')}"
    senders = [u for u in data.units if u.letters.get(event)]
    if data.scope == DISTRICT and len(senders) > 1:
        text += (
            " ("
            + "; ".join(f"{u.full_name}: {admin_number(u.letters[event])}" for u in senders)
            + ")"
        )
    out = [text + "."]
    if shared:
        out.append(
            f"Trong đó có {count_of(shared, 'thư')} chung cho {count_of(together, 'trường hợp')}"
            " sinh đôi, sinh ba (mỗi gia đình một thư)."
        )
    known = [u for u in data.table_units() if u.registrations is not None]
    if not known:
        return out
    cases = sum(u.registrations[event] for u in known)
    sent = sum(u.letters.get(event, 0) for u in known)
    errors = sum(u.rejected[event] for u in known)
    outside = sum(u.not_eligible[event] for u in known)
    line = (
        f"Theo danh sách đăng ký của {'các đơn vị' if len(known) > 1 else known[0].full_name}, "
        f"trong kỳ có {count_of(cases, 'trường hợp ' + EVENT_CASES[event])}"
    )
    if cases:
        line += f"; số thư đã {verb} đạt {share_text(sent, cases)}"
    reasons = []
    if errors:
        reasons.append(f"{count_of(errors, 'trường hợp')} dữ liệu có lỗi cần sửa")
    if outside:
        reasons.append(f"{count_of(outside, 'trường hợp')} không thuộc diện gửi thư")
    if reasons:
        line += f"; chưa {verb} thư: {', '.join(reasons)}"
    return out + [line + "."]


def delivery_blocks(data: ReportData, charts: list[str]) -> list[Block]:
    """Section 5's figures (``handover``): sentences, the table per unit and its chart."""
    blocks = [Block("p", text) for text in delivery_sentences(data)]
    if shows_delivery(data):
        caption = "Bảng 2. Tình hình trao thư và phản ánh của gia đình theo đơn vị"
        blocks.append(Block("table", caption, "delivery"))
        if "delivery" in charts:
            blocks.append(Block("chart", chart_caption("delivery", data), "delivery"))
    return blocks


def assessment_blocks(narrative: Narrative) -> list[Block]:
    blocks = []
    for number, (title, key) in enumerate(
        [
            ("Ưu điểm", "danh_gia_uu_diem"),
            ("Tồn tại, hạn chế", "han_che"),
            ("Nguyên nhân", "nguyen_nhan"),
        ],
        start=1,
    ):
        blocks.append(Block("h2", f"{number}. {title}"))
        blocks += _analyst(key, narrative)
    for number, key in enumerate(narrative.extra, start=4):  # sections with no place of their own
        blocks.append(Block("h2", f"{number}. {narrative.pieces[key].title}"))
        blocks.append(Block("composed", key=key))
    return blocks


def chart_caption(key: str, data: ReportData) -> str:
    captions = {
        "by_unit": "Số thư theo đơn vị và loại thư",
        "by_month": f"Số thư theo tháng năm {data.period.end.year}",
        "rollout": f"Tỷ lệ {data.kinds} triển khai mô hình",
        "delivery": "Thư đã trao và phản ánh của gia đình theo đơn vị",
    }
    return captions[key]
