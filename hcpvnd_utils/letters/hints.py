"""Why a template's tag fails, in Vietnamese: jinja's English messages read as hints a clerk
can act on (the English text only when no hint fits)."""

from __future__ import annotations

import re

import jinja2
from jinja2.sandbox import SecurityError


def syntax_detail(message: str) -> str:
    """jinja's English message -> a Vietnamese hint; the English text only when no hint fits."""
    text = message.lower()
    if "unexpected end of template" in text or "expected 'end" in text:
        hint = "thiếu thẻ đóng {% endif %} hoặc {% endfor %}"
    elif "unknown tag" in text or "encountered unknown" in text:
        hint = "thẻ {% … %} không hợp lệ hoặc thừa"
    elif "unexpected '}'" in text or "unexpected char" in text:
        hint = "dấu ngoặc { } không khớp"
    elif found := re.search(r"no (?:filter|test) named '([^']*)'", message, re.IGNORECASE):
        hint = f"không có bộ lọc “{found[1]}”: chỉ ghi tên trường, ví dụ {{{{ ho_ten_tre }}}}"
    else:
        return f"thẻ viết sai cú pháp (chi tiết kỹ thuật: {message})"
    return hint


def render_detail(exc: Exception) -> str:
    """Why a tag that compiles fails on data, in Vietnamese when we can say it."""
    message = str(exc)
    if found := re.search(r"has no attribute '([^']*)'", message):
        return f"trường không có phần “.{found[1]}”: chỉ ghi tên trường, ví dụ {{{{ ho_ten_tre }}}}"
    if isinstance(exc, jinja2.UndefinedError):
        return "thẻ dùng một giá trị không có trong dữ liệu thư"
    if isinstance(exc, SecurityError):
        return (
            "thẻ dùng phần không được phép (như .__class__ hay hàm của Python): chỉ ghi tên trường"
        )
    if "is not a value a letter can print" in message:
        return "thẻ in ra một thứ không phải chữ (như {{ self }}, {{ range }}): chỉ ghi tên trường"
    return f"thẻ không dùng được với dữ liệu thư (chi tiết kỹ thuật: {message[:160]})"
