"""Is this the ledger of these letters? What an outputs folder proves was made for a unit,
compared with what a ledger knows, before a run makes or removes any letter.

A ledger that records letters can still be the wrong one: ``--ledger`` pointing at another
unit's or district's ledger, or an older backup copy put back. A run with it would count this
folder's letters as never sent, delete their files as a killed run's leftovers and make them
all again. What the folder proves, per period folder of the unit (cheaply: file names, times,
the summaries):

- the letters its last completed run listed in ``summary.json`` (made, or found sent already:
  R-SENT-01) were in the ledger when it finished: the ledger must know each of them (by its
  file, or by its registration's key);
- a completed run removes every letter file its ledger does not record before it writes its
  summary, so a letter file older than the folder's ``summary.json`` was recorded;
- a killed run writes no summary and leaves at most a letter or so written but not recorded
  (or, during ``--regenerate``, the old file of a letter just renamed): those, newer than the
  summary or of a number the ledger has a letter for in the folder, are tolerated up to
  ``LEFTOVERS`` per folder — the run's cleanup removes them;
- the files ``hcpvnd ledger rebuild`` saw and matched with nothing (W-LEDGER-02) are not
  counted either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from .. import layout
from ..config import Unit
from ..safeio import read_json

LEFTOVERS = 2  # letter files a killed run may leave written but not recorded, per folder


@dataclass
class Unknown:
    """The letters of a unit a ledger does not know (files relative to outputs, or keys)."""

    listed: set = field(default_factory=set)  # listed by completed runs' summaries
    files: set = field(default_factory=set)  # on disk, beyond a killed run's leftovers

    @property
    def count(self) -> int:
        return len(self.listed | self.files)

    def __bool__(self) -> bool:
        return bool(self.listed or self.files)


def unknown_letters(book, outputs: Path, unit: Unit) -> Unknown:
    """The letters under ``outputs`` made for ``unit`` that the ledger ``book`` does not know
    beyond what a killed run can leave (see the module docstring)."""
    files, keys = book.known_letters(unit)
    rebuilt = _timestamp(book.rebuilt_at(unit))
    found = Unknown()
    for folder in layout.unit_folders(outputs, unit.key):
        summary = read_json(folder.summary) if folder.summary.is_file() else None
        summary = summary if isinstance(summary, dict) else {}
        found.listed |= _listed(summary, folder.prefix, files, keys)
        written = folder.summary.stat().st_mtime if summary else None
        found.files |= _on_disk(folder, outputs, files, written, rebuilt)
    return found


def _listed(summary: dict, prefix: str, files: set, keys: set) -> set:
    """The summary's letters and R-SENT-01 registrations the ledger knows neither by file nor
    by key (a summary written before books were listed: by event and number)."""
    numbers = {(event, number) for event, _, number in keys}

    def known(entry: dict) -> bool:
        event, number = entry.get("event"), str(entry.get("number") or "")
        if "book" in entry:
            return (event, str(entry["book"]), number) in keys
        return not number or (event, number) in numbers

    unknown = set()
    for entry in _entries(summary, "letters"):
        file = f"{prefix}{entry['file']}" if entry.get("file") else None
        if file not in files and not known(entry):
            unknown.add(file or _key(entry))
    for entry in _entries(summary, "rejected"):
        if entry.get("code") == "R-SENT-01" and not known(entry):
            unknown.add(_key(entry))
    return unknown


def _entries(summary: dict, name: str) -> list[dict]:
    items = summary.get(name)
    return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []


def _key(entry: dict) -> tuple:
    return (entry.get("event"), str(entry.get("book")), str(entry.get("number") or ""))


def _on_disk(folder, outputs: Path, files: set, written: float | None, rebuilt) -> set:
    """The folder's letter files the ledger does not record, unless they may be a killed
    run's leftovers (at most ``LEFTOVERS``) or a rebuild saw them."""
    completed, leftovers = set(), set()
    numbers = {_number(f) for f in files if f.startswith(folder.prefix)}
    for path in sorted(folder.letters().glob("*/*.docx")):
        relative = path.relative_to(outputs).as_posix()
        if relative in files:
            continue
        moment = path.stat().st_mtime
        if rebuilt is not None and moment <= rebuilt + 1:  # the ledger's times are in seconds
            continue
        if written is None or moment >= written or (_number(relative) in numbers):
            leftovers.add(relative)
        else:
            completed.add(relative)
    return completed | (leftovers if len(leftovers) > LEFTOVERS else set())


def _number(file: str) -> tuple[str, str]:
    """(folder, number) of a letter file: ``…/khai_sinh/005_le_van_an_843a8c.docx`` is
    (``…/khai_sinh``, ``5``), as is the name before ledger schema 2, ``5_0_le_van_an.docx``."""
    path = PurePosixPath(file)
    return (str(path.parent), path.stem.split("_", 1)[0].lstrip("0"))


def _timestamp(moment: str | None) -> float | None:
    try:
        return datetime.fromisoformat(moment).timestamp() if moment else None
    except ValueError:
        return None


__all__ = ["LEFTOVERS", "Unknown", "unknown_letters"]
