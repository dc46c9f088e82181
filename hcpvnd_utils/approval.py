"""Review before signing: a report is a draft ("DỰ THẢO") until someone approves it.

Layout of one report's folder (``<outputs>/<period label>/report/<key>/``):

    du_thao/      the draft a run writes: .docx (marked DỰ THẢO), .pdf, .xlsx, charts, so_lieu.json
    da_duyet/     the approved version, written only by ``approve``: the same files, unmarked
    phe_duyet.json  who approved, when, and the sha256 of the documents and of the figures

``so_lieu.json`` is the snapshot the draft was built from (figures, narrative, date) with their
sha256. A run compares the current figures and narrative with the approved ones: unchanged, it
keeps the approved report and writes nothing; changed, it writes a new draft, leaves ``da_duyet/``
untouched and says so. Approving again moves the earlier approved version to ``lich_su/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docx import Document

from . import messages
from .periods import Period, parse_period
from .report_data import ReportError
from .report_docx import has_draft_mark, remove_draft_mark, save
from .report_text import PLACEHOLDER_START
from .safeio import atomic_write_text, private_dir, replacing

messages.register(
    {
        "E-APPROVE-01": "Chưa có bản dự thảo báo cáo {what} kỳ {period} trong {folder}. Chạy "
        "“hcpvnd report --period {period_arg}{unit_arg}” trước, xem lại bản dự thảo rồi mới duyệt.",
        "E-APPROVE-02": "Bản dự thảo {file} còn {count} chỗ “[Phần này do chuyên viên viết: …]” "
        "chưa viết nên chưa duyệt được. Viết các phần này vào tệp nhận định rồi chạy lại báo cáo "
        "(hoặc sửa thẳng trong bản dự thảo bằng Word), sau đó duyệt lại.",
        "E-APPROVE-03": 'Chưa ghi tên người duyệt. Ghi họ tên đầy đủ, ví dụ --by "Lê Minh Khang".',
        "E-APPROVE-04": "Bản dự thảo {file} được lập khi số liệu chưa đủ:\n{warnings}\nLàm đủ "
        "số liệu rồi lập lại báo cáo (“hcpvnd report --period {period_arg}{unit_arg}”) trước khi "
        "duyệt. Nếu lãnh đạo vẫn duyệt với số liệu này, thêm --accept-warnings: điều này được "
        "ghi vào bản ghi duyệt.",
        "I-APPROVE-01": "Đã duyệt báo cáo {what} kỳ {period}: {by}, lúc {at}. Bản chính thức "
        "(không còn dấu DỰ THẢO): {file}.",
        "I-APPROVE-03": "Bản ghi duyệt ghi rõ báo cáo được duyệt khi số liệu chưa đủ ({count} "
        "cảnh báo, xem {record}).",
        "I-APPROVE-02": "Bản dự thảo này đã được {by} duyệt lúc {at}; bản chính thức: {file}.",
        "I-REPORT-01": "Báo cáo {what} kỳ {period} đã được {by} duyệt lúc {at}. Số liệu và nội "
        "dung nhận định không thay đổi nên giữ nguyên bản đã duyệt: {file}.",
        "W-REPORT-01": "Báo cáo {what} kỳ {period} đã được {by} duyệt lúc {at}, nhưng {changed} "
        "đã thay đổi sau khi duyệt. Bản đã duyệt được giữ nguyên, không bị ghi đè ({file}); bản "
        "dự thảo mới theo số liệu hiện tại: {draft}. Xem lại bản dự thảo mới rồi duyệt lại: "
        'hcpvnd approve --period {period_arg}{unit_arg} --by "Họ và tên".',
        "W-REPORT-03": "Tệp báo cáo đã duyệt {file} đã bị sửa sau khi duyệt (mã kiểm tra sha256 "
        "không khớp với bản ghi duyệt). Kiểm tra lại trước khi ban hành.",
    }
)

DRAFT_DIR, FINAL_DIR, HISTORY_DIR = "du_thao", "da_duyet", "lich_su"
SNAPSHOT, APPROVALS = "so_lieu.json", "phe_duyet.json"
NONE, CURRENT, CHANGED = "chua_duyet", "da_duyet", "thay_doi_sau_duyet"


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


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def moment_text(iso: str) -> str:
    """'09:05 ngày 05/6/2024' from an ISO timestamp."""
    from .periods import short_date

    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{moment:%H:%M} ngày {short_date(moment.date())}"


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: dict) -> Path:
    return atomic_write_text(path, json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True))


def current_approval(folder: Path) -> Approval | None:
    record = (read_json(Path(folder) / APPROVALS) or {}).get("current")
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


# ---------------------------------------------------------------- approving


def find_report_folder(outputs: Path, period: Period, unit: str | None) -> Path:
    """The folder of a unit's report, or of the district report (unit None): the one whose
    snapshot says scope 'district'."""
    base = Path(outputs) / period.label / "report"
    if unit:
        return base / unit
    for snapshot in sorted(base.glob(f"*/{DRAFT_DIR}/{SNAPSHOT}")):
        if (read_json(snapshot) or {}).get("figures", {}).get("scope") == "district":
            return snapshot.parent.parent
    return base


def approve(
    period: Period | str,
    unit: str | None,
    by: str,
    outputs: Path,
    *,
    pdf: bool = True,
    now: datetime | None = None,
    accept_warnings: bool = False,
) -> Approval:
    """Approve the current draft: record who, when and the hashes, and write the final version
    (the reviewed draft without its DỰ THẢO mark) under ``da_duyet/``. A draft built while
    figures were missing is refused unless ``accept_warnings``, which the record keeps."""
    period = period if isinstance(period, Period) else parse_period(period)
    by = " ".join(str(by or "").split())
    if not by:
        raise ReportError("E-APPROVE-03")
    folder = find_report_folder(outputs, period, unit)
    snapshot = read_json(folder / DRAFT_DIR / SNAPSHOT)
    draft = folder / DRAFT_DIR / (snapshot or {}).get("draft", "")
    issuer = ((snapshot or {}).get("figures") or {}).get("issuer") or {}
    what = describe(unit, issuer.get("area"))
    if snapshot is None or not draft.is_file():
        raise ReportError("E-APPROVE-01", **command_hints(what, period, unit), folder=folder)
    draft_sha = sha256_file(draft)
    previous = current_approval(folder)
    if previous and previous.draft_sha256 == draft_sha and previous.final_path.is_file():
        previous.messages.append(
            messages.render(
                "I-APPROVE-02",
                by=previous.approved_by,
                at=moment_text(previous.approved_at),
                file=previous.final_path,
            )
        )
        return previous
    warnings = list(snapshot.get("warnings") or [])
    if warnings and not accept_warnings:
        hints = command_hints(what, period, unit)
        listed = "\n".join(f"- {w}" for w in warnings)
        raise ReportError("E-APPROVE-04", file=draft, warnings=listed, **hints)
    document = Document(str(draft))
    _refuse_placeholders(document, draft)
    if previous:
        _archive(folder, previous)
    approval = _write_final(folder, snapshot, document, draft, draft_sha, by, now, period)
    if approval.accepted_warnings:
        approval.messages.append(
            messages.render(
                "I-APPROVE-03", count=len(approval.accepted_warnings), record=folder / APPROVALS
            )
        )
    if pdf:
        from .pdf import convert

        approval.messages += convert([approval.final_path]).messages
    approval.messages.insert(
        0,
        messages.render(
            "I-APPROVE-01",
            what=what,
            period=period.vietnamese(),
            by=by,
            at=moment_text(approval.approved_at),
            file=approval.final_path,
        ),
    )
    return approval


def describe(unit: str | None, name: str | None = None) -> str:
    """'tổng hợp' (the district report), 'của xã Phước Quang' (a unit's: its name, not its key;
    the key only when the name is not known)."""
    return f"của {name or unit}" if unit else "tổng hợp"


def command_hints(what: str, period: Period, unit: str | None) -> dict:
    return {
        "what": what,
        "period": period.vietnamese(),
        "period_arg": period.label.replace("_", ".."),
        "unit_arg": f" --unit {unit}" if unit else "",
    }


def _refuse_placeholders(document, draft: Path) -> None:
    count = sum(PLACEHOLDER_START in p.text for p in document.paragraphs)
    if count:
        raise ReportError("E-APPROVE-02", file=draft, count=count)


def _archive(folder: Path, previous: Approval) -> None:
    """The earlier approved version goes to lich_su/<when it was approved>/, never deleted."""
    final_dir = folder / FINAL_DIR
    if not final_dir.is_dir():
        return
    stamp = previous.approved_at.replace(":", "").replace("-", "")[:15]
    target = private_dir(folder / HISTORY_DIR) / stamp
    os.replace(final_dir, target if not target.exists() else target.with_name(stamp + "_1"))


def _write_final(folder, snapshot, document, draft, draft_sha, by, now, period) -> Approval:
    final_dir = private_dir(folder / FINAL_DIR)
    remove_draft_mark(document)
    assert not has_draft_mark(document), "the final version must not carry the draft mark"
    final = final_dir / snapshot["final"]
    save(document, final)
    for name in snapshot.get("copies", []):  # tables and charts, as reviewed
        source = folder / DRAFT_DIR / name
        if source.is_file():
            with replacing(final_dir / name) as tmp:
                shutil.copyfile(source, tmp)
    write_json(final_dir / SNAPSHOT, snapshot)
    moment = (now or datetime.now()).astimezone().isoformat(timespec="seconds")
    approval = Approval(
        approved_by=by,
        approved_at=moment,
        period={**period.as_dict(), "label": period.label},
        unit=snapshot["figures"]["issuer"]["key"],
        document=f"{FINAL_DIR}/{final.name}",
        document_sha256=sha256_file(final),
        draft_sha256=draft_sha,
        figures_sha256=snapshot["figures_sha256"],
        narrative_sha256=snapshot["narrative_sha256"],
        accepted_warnings=list(snapshot.get("warnings") or []),
        folder=folder,
    )
    book = read_json(folder / APPROVALS) or {"history": []}
    book["current"] = approval.record()
    book["history"] = [*book.get("history", []), approval.record()]
    write_json(folder / APPROVALS, book)
    return approval


def state_messages(
    found: ApprovalState, what: str, period: Period, unit, draft: Path | None
) -> list[str]:
    """What a run says about an approved report (Vietnamese)."""
    approval = found.approval
    if approval is None:
        return []
    out = []
    common = {"what": what, "period": period.vietnamese(), "by": approval.approved_by,
              "at": moment_text(approval.approved_at), "file": approval.final_path}  # fmt: skip
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
