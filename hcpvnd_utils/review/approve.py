"""Approving a report: the leader's approval recorded, and the final version written.

``approve`` takes the current draft of ``du_thao/``, refuses it while it still has a placeholder
or was built from incomplete figures (unless the leader accepts that knowingly), and writes the
final version — the reviewed draft without its DỰ THẢO mark — under ``da_duyet/``, with who
approved, when and the sha256 of what was approved in ``phe_duyet.json`` (see ``record``).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from docx import Document

from .. import layout, messages
from ..config import UNIT_KEY
from ..layout import ReportFolder
from ..periods import Period, parse_period, spoken_moment
from ..report.data import ReportError
from ..report.document import has_draft_mark, placeholders_left, remove_draft_mark, save
from ..safeio import atomic_write_json, private_dir, read_json, replacing, sha256_file
from ..textnorm import fold
from .record import Approval, command_hints, current_approval, describe, load_approvals


def find_report_folder(outputs: Path, period: Period, unit: str | None) -> ReportFolder:
    """The folder of a unit's report, or of the district report (unit None): the one whose
    snapshot says scope 'district'."""
    if unit:
        return layout.report_folder(outputs, period.label, unit)
    for folder in layout.report_folders(outputs, period.label):
        if (read_json(folder.snapshot) or {}).get("figures", {}).get("scope") == "district":
            return folder
    return ReportFolder(layout.report_base(outputs, period.label))


# What the guides write where the approver's name goes: never a person's name
PLACEHOLDER_NAMES = {"ho va ten", "ho ten", "ho va ten nguoi duyet", "ho ten nguoi duyet",
                     "ten nguoi duyet", "nguoi duyet", "ten", "ten lanh dao", "ho va ten lanh dao",
                     "ho ten lanh dao", "lanh dao"}  # fmt: skip


def is_a_name(by: str) -> bool:
    """Whether ``by`` can be a person's full name: two words or more, letters only (a dot or
    a hyphen allowed), and not what a guide writes in its place ("Họ và tên", "<tên>")."""
    words = by.split()
    letters = all(re.fullmatch(r"[^\W\d_]+([.'-][^\W\d_]*)*\.?", w) for w in words)
    return len(words) >= 2 and letters and fold(by) not in PLACEHOLDER_NAMES


def approve(
    period: Period | str,
    unit: str | None,
    by: str,
    outputs: Path | str | None = None,
    *,
    pdf: bool = True,
    now: datetime | None = None,
    accept_warnings: bool = False,
) -> Approval:
    """Approve the current draft: record who, when and the hashes, and write the final version
    (the reviewed draft without its DỰ THẢO mark) under ``da_duyet/``. A draft built while
    figures were missing is refused unless ``accept_warnings``, which the record keeps.
    ``outputs``: the outputs folder (default: the project's)."""
    period = period if isinstance(period, Period) else parse_period(period)
    outputs = layout.resolve(outputs, layout.outputs_dir())
    if unit is not None and not UNIT_KEY.match(str(unit)):  # it names a folder under outputs/
        raise ReportError("E-NB-09", unit=unit)
    by = " ".join(str(by or "").split())
    if not by:
        raise ReportError("E-APPROVE-03")
    if not is_a_name(by):
        raise ReportError("E-APPROVE-08", by=by)
    where = find_report_folder(outputs, period, unit)
    folder = where.path
    snapshot = read_json(where.snapshot)
    draft = where.draft_dir / (snapshot or {}).get("draft", "")
    issuer = ((snapshot or {}).get("figures") or {}).get("issuer") or {}
    what = describe(unit, issuer.get("area"))
    if snapshot is None or not draft.is_file():
        raise ReportError("E-APPROVE-01", **command_hints(what, period, unit), folder=folder)
    draft_sha = sha256_file(draft)
    previous = current_approval(folder)
    if previous and previous.draft_sha256 == draft_sha and previous.final_path.is_file():
        if sha256_file(previous.final_path) != previous.document_sha256:
            # edited after approval: never confirmed as approved (as a report run says)
            raise ReportError("E-APPROVE-06", file=previous.final_path, record=where.approvals)
        previous.messages.append(
            messages.render(
                "I-APPROVE-02",
                by=previous.approved_by,
                at=spoken_moment(previous.approved_at),
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
        _archive(where, previous)
    approval = _write_final(where, snapshot, document, draft, draft_sha, by, now, period)
    if approval.accepted_warnings:
        approval.messages.append(
            messages.render(
                "I-APPROVE-03", count=len(approval.accepted_warnings), record=where.approvals
            )
        )
    if pdf:
        from ..pdf import convert

        approval.messages += convert([approval.final_path]).messages
    approval.messages.insert(
        0,
        messages.render(
            "I-APPROVE-01",
            what=what,
            period=period.vietnamese(),
            by=by,
            at=spoken_moment(approval.approved_at),
            file=approval.final_path,
        ),
    )
    return approval


def _refuse_placeholders(document, draft: Path) -> None:
    """Every paragraph counts, those in tables and composed from the analyst's Word too."""
    count = placeholders_left(document)
    if count:
        raise ReportError("E-APPROVE-02", file=draft, count=count)


def _archive(where: ReportFolder, previous: Approval) -> None:
    """The earlier approved version goes to lich_su/<when it was approved>/, never deleted."""
    final_dir = where.final_dir
    if not final_dir.is_dir():
        return
    stamp = previous.approved_at.replace(":", "").replace("-", "")[:15]
    target = private_dir(where.history_dir) / stamp
    os.replace(final_dir, target if not target.exists() else target.with_name(stamp + "_1"))


def _write_final(where, snapshot, document, draft, draft_sha, by, now, period) -> Approval:
    remove_draft_mark(document)
    if has_draft_mark(document):  # "DỰ THẢO" typed into the text: a final must never carry it
        raise ReportError("E-APPROVE-05", file=draft)
    final_dir = private_dir(where.final_dir, root=where.outputs)
    final = final_dir / snapshot["final"]
    save(document, final)
    for name in snapshot.get("copies", []):  # tables and charts, as reviewed
        source = where.draft_dir / name
        if source.is_file():
            with replacing(final_dir / name) as tmp:
                shutil.copyfile(source, tmp)
    atomic_write_json(final_dir / layout.SNAPSHOT, snapshot, sort_keys=True)
    moment = (now or datetime.now()).astimezone().isoformat(timespec="seconds")
    approval = Approval(
        approved_by=by,
        approved_at=moment,
        period={**period.as_dict(), "label": period.label},
        unit=snapshot["figures"]["issuer"]["key"],
        document=final.relative_to(where.path).as_posix(),
        document_sha256=sha256_file(final),
        draft_sha256=draft_sha,
        figures_sha256=snapshot["figures_sha256"],
        narrative_sha256=snapshot["narrative_sha256"],
        accepted_warnings=list(snapshot.get("warnings") or []),
        folder=where.path,
    )
    book = load_approvals(where.path)  # an unreadable record was refused before this
    book["current"] = approval.record()
    book["history"] = [*book.get("history", []), approval.record()]
    atomic_write_json(where.approvals, book, sort_keys=True)
    return approval
