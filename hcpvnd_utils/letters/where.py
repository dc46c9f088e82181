"""Where in a template a piece of text is, named as a clerk finds it in Word (Vietnamese).

A template's text lives in several parts of the .docx: the body, each header and footer,
footnotes and endnotes (each may hold text boxes and shapes), and the document properties
(File › Info). A message about a broken tag says which, so the clerk knows where to look.
"""

from __future__ import annotations

import re

DOCUMENT = "word/document.xml"
_PARTS = (
    (re.compile(r"word/header\d*\.xml"), "đầu trang"),
    (re.compile(r"word/footer\d*\.xml"), "chân trang"),
    (re.compile(r"word/footnotes\.xml"), "chú thích cuối trang"),
    (re.compile(r"word/endnotes\.xml"), "chú thích cuối văn bản"),
    (re.compile(r"docProps/(core|app|custom)\.xml"), "thuộc tính tài liệu"),
    (re.compile(r"customXml/item\d+\.xml"), "dữ liệu gắn với ô nội dung (content control)"),
)
# Word's own names for the properties (File › Info › Properties, Vietnamese Word)
PROPERTY_NAMES = {
    "title": "Tiêu đề",
    "subject": "Chủ đề",
    "creator": "Tác giả",
    "keywords": "Từ khóa",
    "description": "Chú thích",
    "category": "Thể loại",
    "contentStatus": "Trạng thái",
    "lastModifiedBy": "Người sửa lần cuối",
    "Company": "Công ty",
    "Manager": "Người quản lý",
    "TitlesOfParts": "Tiêu đề",
}


def part_name(part: str) -> str:
    """The part a clerk opens in Word ("đầu trang", "chân trang"…); "" for the body."""
    return next((name for pattern, name in _PARTS if pattern.fullmatch(part)), "")


def paragraph_where(part: str, box: bool = False) -> str:
    """A paragraph: "đoạn", "đoạn trong phần đầu trang", "đoạn trong hộp văn bản ở phần chân
    trang"…"""
    where, name = ("đoạn trong hộp văn bản", " ở phần") if box else ("đoạn", " trong phần")
    return f"{where}{name} {part_name(part)}" if part_name(part) else where


def property_where(part: str, prop: str) -> str:
    """A property: "thuộc tính tài liệu “Tiêu đề” (Tệp › Thông tin)"."""
    if part.startswith("customXml/"):
        return part_name(part)
    return f"thuộc tính tài liệu “{PROPERTY_NAMES.get(prop, prop)}” (Tệp › Thông tin)"


def in_part(part: str) -> str:
    """After a field's name: " ở phần đầu trang"; "" in the body."""
    return f" ở phần {name}" if (name := part_name(part)) else ""


def text_where(part: str) -> str:
    """A paragraph of a Word part, or a part of properties as a whole."""
    name = part_name(part)
    return name if name and not part.startswith("word/") else paragraph_where(part)
