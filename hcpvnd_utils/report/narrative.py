"""The analyst's narrative for one report: what the figures cannot say.

Written in Word (``inputs/narratives/<period label>.docx``, see ``wordnarrative``; the sections
keep their formatting and are composed into the report) or, as before, a YAML file (UTF-8)
``inputs/narratives/<period label>.yaml`` for the district report and ``<period label>_<unit>``
for a commune's own report, or the same keys as a mapping (notebook parameters). In YAML, each
section is a text (one paragraph per line) or a list of lines. A section left out gets a visible
placeholder "[Phần này do chuyên viên viết: …]" in the report; a section written empty is
omitted when it is optional (``de_xuat``). Unknown keys are refused: a typo must not silently
lose a section.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..config import read_reason
from .data import ReportError

PLACEHOLDER = "[Phần này do chuyên viên viết: {what}.]"
PLACEHOLDER_START = "[Phần này do chuyên viên viết"

# Narrative keys: what each holds (also the placeholder's text when the key is missing).
NARRATIVE_KEYS = {
    "can_cu": "căn cứ, văn bản cấp trên (đoạn mở đầu, không bắt buộc)",
    "chi_dao": "các văn bản chỉ đạo, kế hoạch đã ban hành (số, ngày), công tác tuyên truyền, "
    "hội nghị ra mắt mô hình",
    "phan_anh": "phản ánh của người dân khi nhận thư (nếu có)",
    "danh_gia_uu_diem": "ưu điểm trong thực hiện mô hình",
    "han_che": "tồn tại, hạn chế",
    "nguyen_nhan": "nguyên nhân của tồn tại, hạn chế",
    "nhiem_vu": "phương hướng, nhiệm vụ thời gian tới",
    "de_xuat": "đề xuất, kiến nghị (nếu không có thì để trống phần này trong tệp nhận định)",
}
SETTING_KEYS = {
    "so_van_ban": 'số văn bản, ví dụ "15" (để trống: văn thư ghi khi ban hành)',
    "ngay_bao_cao": "ngày ghi trên báo cáo, dạng 2024-06-05 (mặc định: ngày lập)",
    "noi_nhan": 'các nơi nhận thêm, mỗi dòng một nơi, ví dụ "CT, các PCT UBND huyện;"',
    "luu": 'đơn vị soạn thảo ghi sau “Lưu: VT,”, ví dụ "VP"',
}


def placeholder(key: str) -> str:
    return PLACEHOLDER.format(what=NARRATIVE_KEYS[key])


@dataclass
class Narrative:
    sections: dict[str, list[str]] = field(default_factory=dict)  # key -> paragraphs ([] = omit)
    number: str = ""
    day: date | None = None
    recipients: list[str] = field(default_factory=list)
    archive: str = ""
    source: str = ""
    # written in Word: content composed as written (``wordnarrative.Piece``), by section key;
    # ``extra``: the keys of sections the report has no place for (end of part III)
    pieces: dict = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    annexes: list = field(default_factory=list)  # annex pages after the report's own (``annex``)
    documents: list[dict] = field(default_factory=list)  # {file, sha256} of every file used
    notes: list[str] = field(default_factory=list)  # what the analyst should know (W-NARR-…)

    def paragraphs(self, key: str) -> list[str] | None:
        """The analyst's paragraphs; None when the key is missing (placeholder) or written in
        Word (see ``composed``)."""
        return self.sections.get(key)

    def composed(self, key: str) -> bool:
        """Whether the section is the analyst's Word content, composed as written."""
        return key in self.pieces

    def as_dict(self) -> dict:
        """What the report is built from, hashed for the approval: the Word files by their
        sha256 (a YAML narrative's dict is as before, so its approvals stay valid)."""
        told = {
            "sections": self.sections,
            "so_van_ban": self.number,
            "ngay_bao_cao": self.day.isoformat() if self.day else None,
            "noi_nhan": self.recipients,
            "luu": self.archive,
        }
        if self.documents:
            told["documents"] = self.documents
        return told


def load_narrative(source: Path | dict | None) -> Narrative:
    """The analyst's narrative from a YAML file or a mapping (notebook parameters); an empty
    narrative when ``source`` is None. Unknown keys are refused (a typo would lose a section)."""
    if source is None:
        return Narrative()
    if isinstance(source, dict):
        return _narrative_from(source, "tham số notebook")
    path = Path(source)
    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ReportError("E-REPORT-02", path=path, detail=read_reason(exc)) from None
    return _narrative_from(tree or {}, str(path))


def _narrative_from(tree, where: str) -> Narrative:
    def fail(detail):
        raise ReportError("E-REPORT-02", path=where, detail=detail)

    if not isinstance(tree, dict):
        fail("phải là các mục dạng khóa: nội dung")
    unknown = sorted(set(tree) - set(NARRATIVE_KEYS) - set(SETTING_KEYS))
    if unknown:
        fail(
            f"không có mục “{unknown[0]}” (các mục dùng được: {', '.join([*NARRATIVE_KEYS, *SETTING_KEYS])})"
        )
    sections = {k: _paragraphs(tree[k], k, fail) for k in NARRATIVE_KEYS if k in tree}
    day = tree.get("ngay_bao_cao")
    if day is not None and not isinstance(day, date):
        try:
            day = date.fromisoformat(str(day).strip())
        except ValueError:
            fail(f"ngay_bao_cao “{day}” không phải ngày (viết dạng 2024-06-05)")
    return Narrative(
        sections=sections,
        number=_nfc(tree.get("so_van_ban") or ""),
        day=day,
        recipients=_paragraphs(tree.get("noi_nhan") or [], "noi_nhan", fail),
        archive=_nfc(tree.get("luu") or ""),
        source=where,
    )


def _paragraphs(value, key, fail) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        lines = str(value).splitlines()
    elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        lines = [str(v) for v in value]
    else:
        fail(f"mục {key} phải là chữ hoặc danh sách các dòng chữ")
    return [_nfc(line) for line in lines if line.strip()]


def _nfc(text) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text))).strip()
