"""Word fields in a template, as Word's mail merge evaluates them.

MERGEFIELD, IF (Word's "Rules › If…Then…Else", nested or holding MERGEFIELDs) and QUOTE become
one run holding a jinja expression, with their switches (``wordformat.py``). Fields Word and
LibreOffice compute on the page by themselves (PAGE, NUMPAGES, SYMBOL, REF, HYPERLINK…) stay.
Document-property fields (DOCPROPERTY Title, TITLE, SUBJECT…) become the property's own text,
so each letter shows its own. Every other field — NEXT, NEXTIF, SKIPIF, ASK, FILLIN, DATABASE,
DATE… — is refused, with the field code and its paragraph, before any letter: no field is ever
left in a letter to show the template's cached result.

Fields are read, and their instructions tokenised, by ``fieldcodes.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .fieldcodes import (
    Field,
    Token,
    literal,
    paragraph_of,
    paragraph_text,
    text_run,
    tokens,
    top_fields,
)
from .wordformat import CASES, OPERATORS, picture_core

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TYPED_TAG = re.compile(r"\{\{|\{%|\{#")
# fields the page computes (kept as they are, unless a merge field is nested in them)
ON_THE_PAGE = {"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "SYMBOL", "HYPERLINK", "REF",
               "PAGEREF", "NOTEREF", "STYLEREF", "EQ", "TOC", "TC", "XE", "INDEX", "SEQ",
               "FORMTEXT", "FORMCHECKBOX", "FORMDROPDOWN", "DOCVARIABLE", "FILENAME",
               "NUMWORDS", "NUMCHARS", "LISTNUM", "ADVANCE", "BARCODE", "DISPLAYBARCODE"}  # fmt: skip
PROPERTY_FIELDS = {"TITLE": "title", "SUBJECT": "subject", "AUTHOR": "author",
                   "KEYWORDS": "keywords", "COMMENTS": "comments"}  # fmt: skip
_MERGE_CONTROL = "trường điều khiển việc trộn thư của Word; ở đây mỗi thư là một trường hợp đăng ký và chương trình tự làm từng thư"
REFUSED = {
    **dict.fromkeys(("NEXT", "NEXTIF", "SKIPIF", "MERGEREC", "MERGESEQ", "DATABASE"),
                    _MERGE_CONTROL),
    **dict.fromkeys(("ASK", "FILLIN"), "trường hỏi người dùng gõ chữ khi trộn thư"),
    "SET": "trường đặt giá trị khi trộn thư",
    **dict.fromkeys(("DATE", "TIME", "CREATEDATE", "SAVEDATE", "PRINTDATE", "EDITTIME"),
                    "ngày giờ lấy từ máy lúc mở hoặc in tệp, không phải ngày của thư; dùng "
                    "{{ ngay_thu }} hoặc {{ ngay_thang }}"),
    **dict.fromkeys(("INCLUDETEXT", "INCLUDEPICTURE", "LINK", "DDE", "DDEAUTO", "EMBED", "IMPORT"),
                    "trường lấy nội dung từ tệp khác"),
    **dict.fromkeys(("GREETINGLINE", "ADDRESSBLOCK"),
                    "dòng chào hoặc khối địa chỉ tự động của Word; dùng {{ kinh_gui }} và {{ dia_chi }}"),
    "=": "phép tính của Word",
}  # fmt: skip


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Refusal:
    """A field the engine will not put in a letter: its code, its paragraph, and why."""

    code: str
    paragraph: str
    reason: str


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def convert_fields(
    root, name_of: Callable[[str], str], properties: dict[str, str]
) -> tuple[dict[str, str], list[Refusal]]:
    """Replace every MERGEFIELD/IF/QUOTE/property field of ``root`` by a run holding its jinja
    expression. Returns (jinja name → MERGEFIELD name as written, the refused fields)."""
    converter = _Converter(name_of, properties)
    refused = []
    for top in top_fields(root):
        try:
            converter.replace(top)
        except Refused as exc:
            refused.append(Refusal(top.code(), paragraph_text(top.runs[0]), exc.reason))
    return converter.names, refused


# ---------------------------------------------------------------- fields → jinja


class _Converter:
    def __init__(self, name_of: Callable[[str], str], properties: dict[str, str]):
        self.name_of, self.properties = name_of, properties
        self.names: dict[str, str] = {}  # jinja name -> MERGEFIELD name as written

    def replace(self, top: Field) -> None:
        kind = top.kind()
        if top.unended:
            raise Refused(
                "trường không có phần kết thúc (tệp mẫu bị hỏng); xóa rồi chèn lại trường"
            )
        if kind in ON_THE_PAGE or kind in PROPERTY_FIELDS or kind == "DOCPROPERTY":
            if nested := _nested(top):
                raise Refused(f"có trường {nested[0].kind()} lồng bên trong trường {kind}")
        if kind in ON_THE_PAGE:
            return
        if kind in PROPERTY_FIELDS or kind == "DOCPROPERTY":
            text = self._property(top, kind)
            if text is None:
                return  # a property the page computes (Pages, Words…)
            self._put(top, text)
            return
        if kind not in ("MERGEFIELD", "IF", "QUOTE"):
            raise Refused(REFUSED.get(kind, "chương trình không làm loại trường này"))
        paragraphs = [paragraph_of(run) for run in top.runs]  # kept alive: lxml proxies
        if any(p is not paragraphs[0] for p in paragraphs):
            raise Refused("trường kéo dài qua nhiều đoạn; viết cả trường trong một đoạn")
        self._put(top, "{{ " + self.expression(top) + " }}")

    def _property(self, top: Field, kind: str) -> str | None:
        words = tokens(top.parts)
        name = PROPERTY_FIELDS.get(kind) or (words[1].text() or "" if len(words) > 1 else "")
        return self.properties.get(name.lower())

    def _put(self, top: Field, text: str) -> None:
        """The field's runs replaced by one run holding ``text``, formatted like its result."""
        shown = next((r for r in top.result if r.find(_w("t")) is not None), top.runs[0])
        top.runs[0].addprevious(text_run(text, shown.find(_w("rPr"))))
        for old in top.runs:
            if old.getparent() is not None:
                old.getparent().remove(old)

    def expression(self, item: Field) -> str:
        kind = item.kind()
        words = tokens(item.parts)[1:]
        if kind == "MERGEFIELD":
            return self._merge(words)
        if kind == "IF":
            return self._if(words)
        if kind == "QUOTE":
            texts, switches = _split_switches(words)
            value = " ~ ".join(self.text(t) for t in texts) or '""'
            return _apply(f"({value})", switches)
        if kind in PROPERTY_FIELDS or kind == "DOCPROPERTY":
            raise Refused("trường thuộc tính văn bản lồng trong trường khác")
        raise Refused(f"có trường {kind or '?'} lồng bên trong; "
                      + REFUSED.get(kind, "chương trình không làm loại trường này"))  # fmt: skip

    def _merge(self, words: list[Token]) -> str:
        if not words or words[0].text() is None or words[0].text().startswith("\\"):
            raise Refused("trường MERGEFIELD không có tên trường")
        written = words[0].text().strip()
        name = self.name_of(written)
        self.names.setdefault(name, written)
        around = {}
        switches = []
        for switch, argument in _switch_pairs(words[1:]):
            if switch in ("\\b", "\\f"):
                around[switch] = argument
            else:
                switches.append((switch, argument))
        value = _apply(f"({name}|_field_text)", switches)
        if around:
            before, after = literal(around.get("\\b", "")), literal(around.get("\\f", ""))
            value = f'(({before} ~ {value} ~ {after}) if {value} else "")'
        return value

    def _if(self, words: list[Token]) -> str:
        texts, switches = _split_switches(words)
        operators = [i for i, t in enumerate(texts) if not t.quoted and t.text() in OPERATORS]
        if not operators or operators[0] != 1 or len(texts) < 4 or len(texts) > 5:
            raise Refused(
                'trường IF chưa đúng dạng IF «trường» = "giá trị" "chữ khi đúng" "chữ khi '
                'sai" (nếu mẫu đã được mở và lưu bằng LibreOffice, điều kiện có thể đã bị mất: '
                "dùng lại mẫu gốc làm bằng Word)"
            )
        left, operator, right = texts[0], texts[1].text(), texts[2]
        true = self.text(texts[3])
        false = self.text(texts[4]) if len(texts) > 4 else '""'
        test = f"({self.text(left)})|_word_compare({literal(operator)}, ({self.text(right)}))"
        return _apply(f"(({true}) if ({test}) else ({false}))", switches)

    def text(self, token: Token) -> str:
        """A token as a jinja string expression: its text, its nested fields' values."""
        if any(isinstance(p, str) and TYPED_TAG.search(p) for p in token.pieces):
            raise Refused(
                "có thẻ {{ … }} gõ bên trong trường Word; trong quy tắc If…Then…Else hãy chèn "
                "trường trộn thư (Insert Merge Field)"
            )
        pieces = [
            literal(p) if isinstance(p, str) else f"({self.expression(p)})" for p in token.pieces
        ]
        return " ~ ".join(pieces) if pieces else '""'


def _nested(item: Field) -> list[Field]:
    found = []
    for part in item.parts:
        if isinstance(part, Field):
            found += [part, *_nested(part)]
    return [f for f in found if f.kind() not in ON_THE_PAGE]


def _switch_pairs(words: list[Token]) -> list[tuple[str, str]]:
    """(switch, argument) pairs; \\m and \\v take no argument."""
    pairs, index = [], 0
    while index < len(words):
        word = words[index].text()
        if word is None or not word.startswith("\\") or word.lower() not in _KNOWN_SWITCHES:
            shown = "trường lồng" if word is None else word
            raise Refused(f"chương trình không hiểu phần “{shown}” của trường")
        if word.lower() in ("\\m", "\\v"):
            index += 1
            continue
        if index + 1 >= len(words) or words[index + 1].text() is None:
            raise Refused(f"tùy chọn {word} thiếu giá trị")
        pairs.append((word.lower(), words[index + 1].text()))
        index += 2
    return pairs


_KNOWN_SWITCHES = ("\\*", "\\@", "\\#", "\\b", "\\f", "\\m", "\\v")


def _split_switches(words: list[Token]) -> tuple[list[Token], list[tuple[str, str]]]:
    first = next(
        (i for i, t in enumerate(words) if not t.quoted and (t.text() or "").startswith("\\")),
        len(words),
    )
    switches = _switch_pairs(words[first:])
    if any(s in ("\\b", "\\f") for s, _ in switches):
        raise Refused("tùy chọn \\b, \\f chỉ dùng cho trường MERGEFIELD")
    return words[:first], switches


def _apply(value: str, switches: list[tuple[str, str]]) -> str:
    for switch, argument in switches:
        if switch == "\\*":
            case = argument.lower()
            if case in ("mergeformat", "charformat", "arabic"):
                continue
            if case not in CASES:
                raise Refused(
                    f"định dạng \\* {argument} (chỉ dùng được \\* Upper, \\* Lower, \\* Caps, "
                    "\\* FirstCap; số viết bằng chữ, số La Mã… không làm được)"
                )
            value = f"({value}|_word_case({literal(case)}))"
        elif switch == "\\@":
            value = f"({value}|_word_date({literal(argument)}))"
        elif switch == "\\#":
            if picture_core(argument) is None or "x" in argument.replace("'", ""):
                raise Refused(f"định dạng số \\# {argument} (dùng các chữ số 0, # và dấu , .)")
            value = f"({value}|_word_number({literal(argument)}))"
    return value


__all__ = ["Refusal", "convert_fields"]
