"""The approval record of a report (``phe_duyet.json``) and change detection.

Layout of one report's folder (``<outputs>/<period label>/report/<key>/``, ``layout.ReportFolder``):

    du_thao/      the draft a run writes: .docx (marked DỰ THẢO), .pdf, .xlsx, charts, so_lieu.json
    da_duyet/     the approved version, written only by ``approve``: the same files, unmarked
    lich_su/      earlier approved versions
    phe_duyet.json  who approved, when, and the sha256 of the documents and of the figures

A run compares the current figures and narrative with the approved ones (``state``): unchanged,
the approved report stands and nothing is written; changed, a new draft is written beside it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import messages
from ..layout import ReportFolder
from ..periods import Period, spoken_moment
from ..report.build import CHANGED, CURRENT
from ..report.data import ReportError
from ..safeio import sha256_file

NONE = "chua_duyet"


@dataclass
class Approval:
    approved_by: str
    approved_at: str
    period: dict
    unit: str  # issuer key
    document: str  # final .docx, relative to the report folder
    document_sha256: str
    draft_sha256: str
    figures_sha256: str
    narrative_sha256: str
    accepted_warnings: list[str] = field(default_factory=list)  # approved knowing these
    messages: list[str] = field(default_factory=list)
    folder: Path | None = None

    @property
    def final_path(self) -> Path:
        return Path(self.folder) / self.document

    def record(self) -> dict:
        keep = {k: v for k, v in self.__dict__.items() if k not in ("messages", "folder")}
        return dict(keep)


@dataclass
class ApprovalState:
    status: str  # NONE, CURRENT or CHANGED
    approval: Approval | None = None
    changed: list[str] = field(default_factory=list)  # "số liệu", "nội dung nhận định"
    final_edited: bool = False


def load_approvals(folder: Path) -> dict:
    """The approval record of a report folder ({"current": …, "history": […]}; empty when
    there is none). A record that cannot be read is refused (E-APPROVE-07), never taken for
    "not approved": rewriting it would erase the earlier approvals."""
    path = ReportFolder(Path(folder)).approvals
    if not path.exists():
        return {"history": []}
    try:
        book = json.loads(path.read_text(encoding="utf-8"))
        _check_shape(book)
    except (OSError, ValueError, TypeError) as exc:
        detail = "không đọc được tệp" if isinstance(exc, OSError) else "nội dung không đúng dạng"
        raise ReportError("E-APPROVE-07", path=path, detail=detail) from None
    return book


SHA256 = re.compile(r"[0-9a-f]{64}")
TEXTS = ("approved_by", "unit", "document")
DIGESTS = ("document_sha256", "draft_sha256", "figures_sha256", "narrative_sha256")


def _check_shape(book) -> None:
    """A record as ``approve`` writes it: ``current`` (the last approval, also the last entry of
    ``history``) is missing only while nothing was ever approved; each approval has every key,
    its texts non-empty, its moment an ISO date and time, its digests sha256 hex."""
    if not isinstance(book, dict) or not isinstance(book.get("history", []), list):
        raise ValueError("not an approval record")
    current, history = book.get("current"), book.get("history", [])
    if current is None and history:
        raise ValueError("approvals recorded, none current")
    for record in [current, *history]:
        if record is not None:
            _check_approval(record)


def _check_approval(record) -> None:
    if not isinstance(record, dict):
        raise ValueError("an approval is not an object")
    approval = Approval(**record)  # TypeError: a key missing or unknown
    for name in TEXTS:
        value = getattr(approval, name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} is not a text")
    moment = approval.approved_at
    if not isinstance(moment, str) or "T" not in moment:
        raise ValueError("approved_at is not a date and time")
    datetime.fromisoformat(moment)  # ValueError: not a moment
    for name in DIGESTS:
        value = getattr(approval, name)
        if not isinstance(value, str) or not SHA256.fullmatch(value):
            raise ValueError(f"{name} is not a sha256")
    if not isinstance(approval.period, dict):
        raise ValueError("period is not an object")
    warnings = approval.accepted_warnings
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        raise ValueError("accepted_warnings is not a list of texts")


def current_approval(folder: Path) -> Approval | None:
    record = load_approvals(folder).get("current")
    if not record:
        return None
    return Approval(**record, folder=Path(folder))


def state(folder: Path, figures_sha: str, narrative_sha: str) -> ApprovalState:
    """Whether the report in ``folder`` is approved, and for the same figures and narrative."""
    approval = current_approval(folder)
    if approval is None:
        return ApprovalState(NONE)
    changed = []
    if approval.figures_sha256 != figures_sha:
        changed.append("số liệu")
    if approval.narrative_sha256 != narrative_sha:
        changed.append("nội dung nhận định")
    final = approval.final_path
    edited = not final.is_file() or sha256_file(final) != approval.document_sha256
    return ApprovalState(CHANGED if changed else CURRENT, approval, changed, edited)


def describe(unit: str | None, name: str | None = None) -> str:
    """'tổng hợp' (the district report), 'của xã Phước Quang' (a unit's: its name, not its key;
    the key only when the name is not known)."""
    return f"của {name or unit}" if unit else "tổng hợp"


def command_hints(what: str, period: Period, unit: str | None) -> dict:
    return {
        "what": what,
        "period": period.vietnamese(),
        "period_arg": period.argument,
        "unit_arg": f" --unit {unit}" if unit else "",
    }


def state_messages(
    found: ApprovalState, what: str, period: Period, unit, draft: Path | None
) -> list[str]:
    """What a run says about an approved report (Vietnamese)."""
    approval = found.approval
    if approval is None:
        return []
    out = []
    common = {"what": what, "period": period.vietnamese(), "by": approval.approved_by,
              "at": spoken_moment(approval.approved_at), "file": approval.final_path}  # fmt: skip
    if found.status == CURRENT:
        out.append(messages.render("I-REPORT-01", **common))
    else:
        changed = " và ".join(found.changed)
        where = command_hints(what, period, unit)
        out.append(
            messages.render("W-REPORT-01", **{**where, **common}, changed=changed, draft=draft)
        )
    if found.final_edited:
        out.append(messages.render("W-REPORT-03", file=approval.final_path))
    return out
