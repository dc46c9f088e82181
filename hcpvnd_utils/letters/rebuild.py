"""Rebuilding a lost ledger from what is on disk (``hcpvnd ledger rebuild``).

The ledger is the memory of which families have had their letter; when it is deleted, emptied or
damaged (and no backup copy is left), the letters under ``outputs/`` and the registers under
``inputs/`` say it again:

1. every letter file ``<period>/<unit>/letters/<event>/<name>.docx`` is matched with the row of
   the unit's exports whose letter carries that name (the names of today and those before
   ledger schema 2): the registration's exact key, date and people, and the file's sha256;
2. a letter no row matches, but its folder's ``summary.json`` lists: its number, date and book
   (``book``; book 1 of the year for summaries written before it); a letter for several
   registrations (twins) is listed once per registration: each is recorded, under the letter's
   ``letter_ref`` and ``variant``;
3. a letter a ``summary.json`` lists whose file is gone (purged, or deleted by hand), and a row
   the summary says was sent already (R-SENT-01, whose letter file may be anywhere or gone):
   recorded as purged (sent, no file), so that it is never made again.

Every rebuilt letter is "made" (not "final": run ``hcpvnd finalize`` for the periods printed
and handed over). Letter files matched by nothing are left alone and counted per folder. A
ledger that records letters is never written over (E-LEDGER-07).
"""

from __future__ import annotations

import html
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import layout
from ..config import UnitsConfig, load_units
from ..errors import Problem
from ..ingest.files import read_unit
from ..ledger.book import Ledger, LedgerError, row_hash
from ..ledger.schema import MADE, PURGED
from ..records import EVENTS, Record
from ..safeio import read_json, sha256_file
from ..textnorm import fold
from .files import letter_name, names_for

SOURCE = "(dựng lại từ thư trên đĩa)"


@dataclass
class RebuildResult:
    ledger: Path
    letters: Counter = field(default_factory=Counter)  # unit -> letters recorded
    purged: Counter = field(default_factory=Counter)  # unit -> letters recorded as purged
    unmatched: dict[Path, int] = field(default_factory=dict)  # folder -> letter files left
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unmatched


def rebuild(inputs: Path, outputs: Path, ledger: Path) -> RebuildResult:
    """Record in a new (or empty) ledger every letter found under ``outputs``."""
    inputs, outputs, ledger = Path(inputs), Path(outputs), Path(ledger)
    config = load_units(layout.units_file(inputs))
    _refuse_a_ledger_with_letters(ledger)
    result = RebuildResult(ledger)
    with Ledger(ledger) as book:
        for label, unit_key in _unit_folders(outputs):
            _rebuild_folder(book, config, inputs, layout.unit_folder(outputs, label, unit_key),
                            result)  # fmt: skip
    return result


def _refuse_a_ledger_with_letters(ledger: Path) -> None:
    if not ledger.is_file() or ledger.stat().st_size == 0:
        return
    with Ledger(ledger) as book:
        count = book.letter_count()
    if count:
        raise LedgerError("E-LEDGER-07", path=ledger, count=count)


def _unit_folders(outputs: Path) -> list[tuple[str, str]]:
    """(period label, unit) of every unit folder holding letters or a summary."""
    files = [*layout.letter_files(outputs), *layout.summary_files(outputs)]
    found = {layout.UnitFolder.of_file(outputs, p.relative_to(outputs)) for p in files}
    return sorted((folder.period_label, folder.unit) for folder in found)


def _rebuild_folder(book, config: UnitsConfig, inputs, folder, result: RebuildResult) -> None:
    unit = config.units.get(folder.unit)
    files = sorted(p for p in folder.letters().glob("*/*.docx") if p.is_file())
    if unit is None:
        if files:
            result.unmatched[folder.path] = len(files)
        return
    records = _usable_rows(inputs, unit.key)
    names = _rows_by_letter_name(records)
    listed = _summary_letters(folder)
    left = 0
    for path in files:
        relative = path.relative_to(folder.outputs).as_posix()
        record = _best(names.get((path.parent.name, path.stem), []), path)
        items = listed.pop(relative, [])
        entries = [_from_row(record, path, relative)] if record else []
        shared = [item for item in items if _covers(item) > 1]  # a letter for twins
        for item in shared or ([] if entries else items[:1]):
            entry = _from_summary(item, path, relative)
            if entry and all(entry["key"] != other["key"] for other in entries):
                entries.append(entry)
        if not entries:
            left += 1
            continue
        for entry in entries:
            entry.update(_letter_of(items))
            book.restore(unit, entry)
        result.letters[unit.key] += 1
    gone = [
        _from_summary(item, None, relative) for relative, items in listed.items() for item in items
    ]
    gone += [_sent_row(record, folder) for record in _sent_rows(folder, records)]
    for entry in filter(None, gone):  # sent, the file gone or elsewhere: never made again
        if book.sent(unit, entry["key"]) is None:
            book.restore(unit, entry)
            result.purged[unit.key] += 1
    if left:
        result.unmatched[folder.path] = left


def _usable_rows(inputs: Path, unit_key: str) -> list[Record]:
    return [
        record
        for record in read_unit(inputs, unit_key).records
        if not record.problems and record.reg_date is not None and all(record.registration_key())
    ]


def _rows_by_letter_name(records: list[Record]) -> dict[tuple[str, str], list[Record]]:
    """(event, letter file stem) -> the export rows whose letter has that name."""
    index: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        for stem in names_for(record):
            index.setdefault((record.event, stem), []).append(record)
    return index


def _best(candidates: list[Record], path: Path) -> Record | None:
    """The row a letter was made from: the only one of its name, or (two registrations under
    one old name) the one whose people the letter names most."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    text = fold(_docx_text(path))
    names = [[fold(v) for k, v in c.values.items() if k.endswith("_full_name")] for c in candidates]
    scores = [sum(1 for name in found if name and name in text) for found in names]
    return candidates[scores.index(max(scores))]


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""
    return html.unescape(re.sub(r"<[^>]+>", " ", xml))


def _sent_rows(folder: layout.UnitFolder, records: list[Record]) -> list[Record]:
    """The rows the folder's last run found sent already (R-SENT-01 in its summary)."""
    summary = read_json(folder.summary) or {}
    wanted = {
        (str(item.get("file")), item.get("row"))
        for item in summary.get("rejected") or []
        if isinstance(item, dict) and item.get("code") == "R-SENT-01"
    }
    return [r for r in records if (r.file, r.row) in wanted]


def _sent_row(record: Record, folder: layout.UnitFolder) -> dict:
    event, _, number = record.registration_key()
    tag = letter_name(record).rsplit("_", 1)[-1]
    return {
        "key": record.registration_key(), "reg_date": record.reg_date.isoformat(),
        "file": f"{folder.prefix}{folder.letter_relative(event, f'{number}_{tag}')}",
        "sha256": "", "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "status": PURGED, "source": record.file, "row_hash": row_hash(record),
        "subject_hash": record.subject_hash(), "family": record.family_key(),
    }  # fmt: skip


def _from_row(record: Record, path: Path, relative: str) -> dict:
    return {
        "key": record.registration_key(), "reg_date": record.reg_date.isoformat(),
        "file": relative, "sha256": sha256_file(path), "created_at": _mtime(path),
        "status": MADE, "source": record.file, "row_hash": row_hash(record),
        "subject_hash": record.subject_hash(), "family": record.family_key(),
    }  # fmt: skip


def _summary_letters(folder: layout.UnitFolder) -> dict[str, list[dict]]:
    """The letters the folder's summary.json lists, by file relative to outputs (a letter for
    twins: one item per registration)."""
    summary = read_json(folder.summary) or {}
    found: dict[str, list[dict]] = {}
    for item in summary.get("letters") or []:
        if isinstance(item, dict) and item.get("event") in EVENTS and item.get("file"):
            found.setdefault(f"{folder.prefix}{item['file']}", []).append(item)
    return found


def _covers(item: dict) -> int:
    try:
        return int(item.get("covers") or 1)
    except (TypeError, ValueError):
        return 1


def _letter_of(items: list[dict]) -> dict:
    """The letter_ref and variant the summary gives the letter (every item of a letter has the
    same): what ``restore`` records for each of its registrations."""
    for item in items:
        if item.get("letter_ref"):
            return {
                "letter_ref": str(item["letter_ref"]),
                "variant": str(item.get("variant") or ""),
            }
    return {}


def _from_summary(item: dict | None, path: Path | None, relative: str) -> dict | None:
    if not item:
        return None
    try:
        day = date.fromisoformat(str(item.get("registration_date", "")))
    except ValueError:
        return None
    values = {"reg_no": item.get("registration_no"), "reg_date": day,
              "reg_book": item.get("book") or ""}  # fmt: skip
    record = Record(item["event"], SOURCE, "", 0, values)
    if not all(record.registration_key()):
        return None
    return {
        "key": record.registration_key(), "reg_date": day.isoformat(), "file": relative,
        "sha256": sha256_file(path) if path else "",
        "created_at": _mtime(path) if path else datetime.now().astimezone().isoformat(),
        "status": MADE if path else PURGED, "source": SOURCE,
    }  # fmt: skip


def _mtime(path: Path) -> str:
    moment = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    return moment.isoformat(timespec="seconds")


__all__ = ["RebuildResult", "rebuild"]
