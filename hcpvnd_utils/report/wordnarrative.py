"""The analyst's narrative written in Word: one heading per section, any formatting under it.

``inputs/narratives/<period label>.docx`` (district) or ``<period label>_<unit>.docx`` (a
commune's report), made by ``hcpvnd narrative new`` (``skeleton``). Everything before the first
heading is the instruction and is not read. A section is the content under a heading in the
"Heading 1" style (or a paragraph whose text is exactly a section's title, in another style,
when no other heading names that section and it does not end with ":" or "."):
paragraphs, lists, tables, footnotes and pictures, smaller headings too, composed into the report
at the section's place by ``compose``. Headings are recognised by their words, not their
numbering or case: "III.2. Tồn tại, hạn chế", "2. TỒN TẠI, HẠN CHẾ" and "Hạn chế" are the same.

A section left with its placeholder keeps the report's placeholder; a heading missing says so
(W-NARR-01); a heading the report has no place for puts its content at the end of part III
(W-NARR-02); the table under "Thông tin văn bản" gives the number, date, recipients and archive
code (the settings of the YAML narrative).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from docx.oxml.ns import qn

from .. import messages
from ..textnorm import fold
from ..wording import admin_number
from .data import ReportError
from .narrative import PLACEHOLDER_START, Narrative
from .wordfile import WordFile, open_word, refuse_review_marks, xpath

INSTRUCTION_STYLE = "HcpvndHuongDan"  # the skeleton's own explanations: never composed
SETTINGS = "thong_tin"
SETTINGS_TITLE = "Thông tin văn bản"
# The skeleton's headings, in the order of the report (the number says where each one goes).
SECTION_TITLES = {
    "can_cu": "Căn cứ (đoạn mở đầu)",
    "chi_dao": "I. Công tác lãnh đạo, chỉ đạo, triển khai thực hiện",
    "phan_anh": "II.5. Phản ánh của người dân",
    "danh_gia_uu_diem": "III.1. Ưu điểm",
    "han_che": "III.2. Tồn tại, hạn chế",
    "nguyen_nhan": "III.3. Nguyên nhân",
    "nhiem_vu": "IV. Phương hướng, nhiệm vụ thời gian tới",
    "de_xuat": "V. Đề xuất, kiến nghị",
}
OPTIONAL = ("can_cu", "de_xuat")  # written empty: no opening paragraph / no part V
# Other wordings of each heading that still mean it (compared folded: no case, no diacritics).
ALIASES = {
    "can_cu": ("can cu", "mo dau", "doan mo dau", "can cu bao cao"),
    "chi_dao": ("cong tac lanh dao chi dao", "lanh dao chi dao", "cong tac chi dao", "chi dao",
                "cong tac lanh dao chi dao trien khai", "trien khai thuc hien"),
    "phan_anh": ("phan anh cua nguoi dan", "phan anh"),
    "danh_gia_uu_diem": ("uu diem", "danh gia uu diem"),
    "han_che": ("ton tai han che", "han che", "ton tai", "ton tai va han che", "han che ton tai"),
    "nguyen_nhan": ("nguyen nhan",),
    "nhiem_vu": ("phuong huong nhiem vu thoi gian toi", "phuong huong nhiem vu", "nhiem vu",
                 "phuong huong", "nhiem vu thoi gian toi"),
    "de_xuat": ("de xuat kien nghi", "de xuat", "kien nghi"),
    SETTINGS: ("thong tin van ban",),
}  # fmt: skip
SETTING_ROWS = {
    "so_van_ban": "Số văn bản",
    "ngay_bao_cao": "Ngày báo cáo",
    "noi_nhan": "Nơi nhận thêm",
    "luu": "Lưu (đơn vị soạn thảo)",
}
SETTING_ALIASES = {
    "so_van_ban": ("so van ban", "so"),
    "ngay_bao_cao": ("ngay bao cao", "ngay"),
    "noi_nhan": ("noi nhan them", "noi nhan"),
    "luu": ("luu don vi soan thao", "luu", "don vi soan thao"),
}
# The skeleton's own words (``skeleton``), in the instruction style: never composed.
GUIDE_TITLE, GUIDE_HEAD = "TỆP NHẬN ĐỊNH CHO BÁO CÁO", "Hướng dẫn:"
INSTRUCTIONS = (
    "Viết nội dung của mỗi phần ngay dưới đề mục của phần đó, thay cho dòng “[Phần này do chuyên "
    "viên viết: …]”. Chương trình đưa nội dung vào đúng chỗ trong báo cáo và giữ nguyên chữ đậm, "
    "nghiêng, danh sách gạch đầu dòng hoặc đánh số, bảng, chú thích cuối trang, hình ảnh; phông "
    "chữ được đổi thành Times New Roman như báo cáo.",
    "Giữ nguyên các đề mục (kiểu Heading 1, trong Word tiếng Việt là Đề mục 1). Trong một phần "
    "được dùng đề mục nhỏ hơn (Heading 2, Heading 3). Một đề mục Heading 1 không có trong mẫu "
    "được đặt ở cuối phần III. ĐÁNH GIÁ CHUNG.",
    "Phần nào chưa viết thì để nguyên dòng “[Phần này do chuyên viên viết: …]”: báo cáo để chỗ "
    "đó và chưa duyệt được. Phần “Căn cứ” và phần V không bắt buộc: không dùng thì xóa hết nội "
    "dung dưới đề mục (giữ đề mục). Đoạn căn cứ kết thúc bằng dấu phẩy thì được nối với câu mở "
    "đầu của báo cáo.",
    "Trước khi lập báo cáo: chấp nhận mọi thay đổi đang theo dõi (Track Changes) và xóa mọi ghi "
    "chú (Comment) — báo cáo trình ký không được mang các dấu đó. Lưu tệp dạng Word (.docx).",
    "Phụ lục: mỗi phụ lục là một tệp Word tên phu_luc_01_….docx, phu_luc_02_….docx đặt trong "
    "thư mục {annexes}; dòng đầu tiên của tệp (kiểu Title hoặc Heading 1) là tên phụ lục.",
    "Phần hướng dẫn này và các dòng chữ nghiêng màu xám không được đưa vào báo cáo.",
)
SETTINGS_NOTE = (
    "Không in thành một phần của báo cáo: dùng cho đầu và cuối văn bản. Để trống thì dùng mặc định."
)
_NUMBERING = re.compile(
    r"^\s*(?:[IVXLC]+|\d+|[a-zđ])(?:[.)\-–:]\s*(?:[IVXLC]+|\d+|[a-zđ]))*[.)\-–:]?\s+"
)
_HEADING_STYLE = re.compile(r"heading (\d)")


@dataclass
class Piece:
    """Content to compose: top-level elements (w:p, w:tbl) of one of the analyst's documents."""

    title: str
    elements: list
    source: WordFile


# ---------------------------------------------------------------- headings


def heading_key(text: str, exact: bool = False) -> str | None:
    """The section a heading names, None when it names none. ``exact``: the whole title (for a
    paragraph that is not styled as a heading), else a title followed by more words too."""
    words = fold(_NUMBERING.sub("", unicodedata.normalize("NFC", text), count=1))
    best, length = None, 0
    for key, aliases in ALIASES.items():
        for alias in aliases:
            whole = words == alias
            starts = not exact and words.startswith(alias + " ") and " " in alias
            if (whole or starts) and len(alias) > length:
                best, length = key, len(alias)
    return best


class Levels:
    """The outline level of a paragraph: 1 for "Heading 1" (or outline level 1), from its own
    properties or its style's, following the styles it is based on."""

    def __init__(self, document):
        self.styles = document.styles.element
        self.cache: dict[str, int | None] = {}

    def level(self, p) -> int | None:
        ppr = p.find(qn("w:pPr"))
        own = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if own is not None:
            return _outline(own)
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return self._style_level(style.get(qn("w:val"))) if style is not None else None

    def _style_level(self, style_id: str, depth: int = 0) -> int | None:
        if style_id in self.cache or depth > 8:
            return self.cache.get(style_id)
        style = self.styles.get_by_id(style_id)
        level = None
        if style is not None:
            name = style.find(qn("w:name"))
            found = (
                _HEADING_STYLE.fullmatch((name.get(qn("w:val")) or "").lower())
                if name is not None
                else None
            )
            outline = style.find(qn("w:pPr") + "/" + qn("w:outlineLvl"))
            based = style.find(qn("w:basedOn"))
            if found:
                level = int(found[1])
            elif outline is not None:
                level = _outline(outline)
            elif based is not None:
                level = self._style_level(based.get(qn("w:val")), depth + 1)
        self.cache[style_id] = level
        return level


def _outline(element) -> int | None:
    value = element.get(qn("w:val"), "")
    return int(value) + 1 if value.isdigit() else None


def text_of(element) -> str:
    return unicodedata.normalize("NFC", "".join(t.text or "" for t in element.iter(qn("w:t"))))


def _heading(element, levels: Levels) -> tuple[str, str | None, bool] | None:
    """(title, key, styled) when the element may start a section, else None: a "Heading 1"
    paragraph (``styled``), or a paragraph in another style whose whole text is a section's
    title (a heading typed as plain text), not a lead-in ending with ":" or "."."""
    if element.tag != qn("w:p"):
        return None
    text = " ".join(text_of(element).split())
    if not text:
        return None
    if levels.level(element) == 1:
        return text, heading_key(text), True
    if len(text) <= 80 and not text.endswith((":", ".")):
        if key := heading_key(text, exact=True):
            return text, key, False
    return None


# ---------------------------------------------------------------- reading


def read_word_narrative(path: Path) -> Narrative:
    """The narrative from the analyst's Word file (see the module's docstring)."""
    word = open_word(path)
    groups = _groups(word)
    titles = {id(e): title for title, _, elements in groups for e in elements}
    refuse_review_marks(word, lambda e: f"phần “{titles.get(id(e), 'hướng dẫn')}”")
    narrative = Narrative(source=str(path), notes=list(word.notes))
    narrative.documents.append({"file": Path(path).name, "sha256": word.sha256})
    stray = _stray(groups[0][2])  # before the first heading
    by_key: dict[str, list] = {}
    for title, key, elements in groups[1:]:
        if key == SETTINGS:
            stray += _read_settings(narrative, elements, word)
        elif key:
            by_key.setdefault(key, []).append((title, elements))
        elif _state(elements) == "content":
            _extra(narrative, title, elements, word)
    for key, found in by_key.items():
        _section(narrative, key, found, word)
    _notes(narrative, by_key, stray, word)
    return narrative


def _groups(word: WordFile) -> list[tuple[str, str | None, list]]:
    """[(title, key, elements)]: the instruction first (title ""), then one per heading. A
    paragraph not styled as a heading starts a section only when no other heading names that
    section: "Tồn tại, hạn chế" typed as a line under the heading "III.2. Tồn tại, hạn chế" (or a
    second such line) is the analyst's text, never taken for the heading it repeats."""
    levels = Levels(word.document)
    blocks = [
        (element, _heading(element, levels)) for element in _blocks(word.document.element.body)
    ]
    claimed = {found[1] for _, found in blocks if found and found[2] and found[1]}
    groups: list[tuple[str, str | None, list]] = [("", None, [])]
    for element, found in blocks:
        if found and not found[2]:
            if found[1] in claimed:
                found = None  # another heading names this section: this line is text
            else:
                claimed.add(found[1])
        if found:
            groups.append((found[0], found[1], []))
        else:
            groups[-1][2].append(element)
    return groups


def _blocks(body):
    """The body's paragraphs and tables, those inside a content control (w:sdt) included."""
    for element in body.iterchildren():
        if element.tag == qn("w:sdt"):
            content = element.find(qn("w:sdtContent"))
            yield from _blocks(content) if content is not None else ()
        elif element.tag != qn("w:sectPr"):
            yield element


def is_placeholder(text: str) -> bool:
    text = text.strip()
    return text.startswith(PLACEHOLDER_START) and text.endswith("]") and text.count("[") == 1


def _state(elements: list) -> str:
    """'blank' (nothing), 'placeholder' (only the placeholder line) or 'content'."""
    state = "blank"
    for element in elements:
        if element.tag != qn("w:p") or xpath(element, ".//w:drawing | .//w:pict | .//w:object"):
            return "content"
        text = text_of(element)
        if is_placeholder(text):
            state = "placeholder"
        elif is_instruction(text):
            continue
        elif text.strip():
            return "content"
    return state


def written(elements: list) -> list:
    """The elements without the placeholder lines (or explanations) left in."""
    return [
        e
        for e in elements
        if not (e.tag == qn("w:p") and (is_placeholder(text_of(e)) or is_instruction(text_of(e))))
    ]


def _section(narrative: Narrative, key: str, found: list, word: WordFile) -> None:
    elements = [e for _, part in found for e in part]
    if len(found) > 1:
        title = SECTION_TITLES[key]
        narrative.notes.append(
            messages.render(
                "W-NARR-03", file=word.path, title=title, count=admin_number(len(found))
            )
        )
    state = _state(elements)
    if state == "content":
        narrative.pieces[key] = Piece(SECTION_TITLES[key], written(elements), word)
    elif state == "blank" and key in OPTIONAL:
        narrative.sections[key] = []  # written empty: the part is left out


def _extra(narrative: Narrative, title: str, elements: list, word: WordFile) -> None:
    """A section the report has no place for: at the end of part III (4., 5., …)."""
    number = 4 + len(narrative.extra)
    shown = _NUMBERING.sub("", title, count=1).strip() or title
    key = f"them_{number}"
    narrative.pieces[key] = Piece(shown, written(elements), word)
    narrative.extra.append(key)
    narrative.notes.append(messages.render("W-NARR-02", file=word.path, title=title, number=number))


def is_instruction(text: str) -> bool:
    """Whether a paragraph is one of the skeleton's explanations, as written."""
    text = " ".join(text.split())
    if text.startswith(GUIDE_TITLE) or text in (GUIDE_HEAD, " ".join(SETTINGS_NOTE.split())):
        return True
    for number, template in enumerate(INSTRUCTIONS, start=1):
        head, _, tail = f"{number}. {template}".partition("{annexes}")
        if text.startswith(" ".join(head.split())) and text.endswith(" ".join(tail.split())):
            return True
    return False


def _stray(elements: list) -> list[str]:
    """The texts of what the analyst wrote where the report does not look (before the first
    heading, around the settings table): anything but the skeleton's explanations."""
    found = []
    for element in elements:
        if element.tag == qn("w:p") and is_instruction(text_of(element)):
            continue
        if element.tag == qn("w:tbl") or _state([element]) == "content":
            found.append(" ".join(text_of(element).split()) or "[bảng, hình]")
    return found


def _notes(narrative: Narrative, by_key: dict, stray: list[str], word: WordFile) -> None:
    missing = [SECTION_TITLES[k] for k in SECTION_TITLES if k not in by_key and k != "can_cu"]
    if missing:
        titles = ", ".join(f"“{t}”" for t in missing)
        narrative.notes.append(
            messages.render(
                "W-NARR-01", file=word.path, titles=titles, count=admin_number(len(missing))
            )
        )
    if stray:
        narrative.notes.append(
            messages.render(
                "W-NARR-04", file=word.path, count=admin_number(len(stray)), start=stray[0][:40]
            )
        )


# ---------------------------------------------------------------- the settings table


def _read_settings(narrative: Narrative, elements: list, word: WordFile) -> list[str]:
    """Number, date, recipients, archive code from the first table; returns the texts of the
    paragraphs around it (the analyst's words the report does not use)."""
    table = next((e for e in elements if e.tag == qn("w:tbl")), None)
    stray = _stray([e for e in elements if e is not table])
    if table is None:
        return stray
    for row in table.iterchildren(qn("w:tr")):
        cells = row.findall(qn("w:tc"))
        if len(cells) < 2:
            continue
        key = _setting_key(text_of(cells[0]))
        lines = [" ".join(text_of(p).split()) for p in cells[1].iter(qn("w:p"))]
        lines = [line for line in lines if line]
        if key:
            _setting(narrative, key, lines, word)
    return stray


def _setting_key(label: str) -> str | None:
    words = fold(label)
    return next((k for k, aliases in SETTING_ALIASES.items() if words in aliases), None)


def _setting(narrative: Narrative, key: str, lines: list[str], word: WordFile) -> None:
    text = " ".join(lines)
    if key == "so_van_ban":  # "15", or "15/BC-UBND" written in full: the number is 15
        narrative.number = text.split("/")[0].strip()
    elif key == "luu":
        narrative.archive = text
    elif key == "noi_nhan":
        narrative.recipients = lines
    elif text:
        narrative.day = _day(text, word)


def _day(text: str, word: WordFile) -> date:
    cleaned = text.strip().rstrip(".")
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    if m := re.fullmatch(
        r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", cleaned, re.I
    ):
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            pass
    title = SETTING_ROWS["ngay_bao_cao"]
    raise ReportError("E-NARR-09", file=word.path, row_title=title, text=text)
