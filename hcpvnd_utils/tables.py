"""A small table that shows itself as HTML in a notebook and as aligned text in a terminal.

No pandas: the per-unit notebook starts a fresh kernel for every unit, and pandas alone would
cost more than the rest of the run.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field


@dataclass
class Table:
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    title: str = ""
    empty: str = "(không có)"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(h))}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in self.rows
        )
        if not self.rows:
            body = f'<tr><td colspan="{len(self.headers)}">{html.escape(self.empty)}</td></tr>'
        caption = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def to_text(self, max_width: int = 60) -> str:
        cells = [[_cell(v)[:max_width] for v in row] for row in self.rows]
        widths = [_width(h) for h in self.headers]
        for row in cells:
            widths = [max(w, _width(c)) for w, c in zip(widths, row)]
        lines = [self.title] if self.title else []
        lines.append("  ".join(_pad(h, w) for h, w in zip(self.headers, widths)))
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)) for row in cells]
        if not cells:
            lines.append(self.empty)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()


def _cell(value) -> str:
    return "" if value is None else str(value)


def _width(text: str) -> int:
    # NFC Vietnamese is one code point per letter; combining marks would take no column
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
