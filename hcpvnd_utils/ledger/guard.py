"""A ledger that is gone, empty, damaged or not this folder's is never used in its place.

The ledger is the only memory of which families have had their letter. If ``ledger.sqlite`` is
deleted, truncated to 0 bytes or pointed elsewhere with ``--ledger``, a new empty ledger would
send every earlier letter again. So before any letter is made: when the outputs folder already
holds letters, the ledger must exist and record letters (``require_ledger``, E-LEDGER-05), and
know the letters the folder proves were made for the unit run (``match``, E-LEDGER-08: another
unit's or district's ledger, an older backup copy). A damaged file is refused when opened
(``E-LEDGER-06``); no case makes a new ledger. The way back is the right ledger or the latest
backup copy, or ``hcpvnd ledger rebuild`` (``ledger.rebuild``).
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from .. import layout, messages
from ..config import Unit
from ..safeio import read_json
from .book import Ledger, LedgerError
from .match import LEFTOVERS, Unknown, unknown_letters

MISSING, EMPTY_FILE, NO_LETTERS = "không còn", "trống (0 byte)", "chưa ghi thư nào"


def letters_on_disk(outputs: Path, limit: int | None = None) -> int:
    """How many letters were made under the outputs folder: the letter files (counting stops
    at ``limit``) or, when a purge left none, those the runs' summaries record."""
    files = sum(1 for _ in islice(layout.letter_files(outputs), limit))
    if files:
        return files
    made = 0
    for summary in layout.summary_files(outputs):
        counts = (read_json(summary) or {}).get("counts") or {}
        for event in counts.values():
            if isinstance(event, dict):
                made += _number(event.get("letters")) + _number(event.get("already_sent"))
        if limit and made >= limit:
            break
    return made


def _number(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def ledger_state(ledger: Path) -> str:
    """'' for a ledger that records letters, else why it does not (MISSING, EMPTY_FILE,
    NO_LETTERS). Never creates the file."""
    ledger = Path(ledger)
    if not ledger.is_file():
        return MISSING
    if ledger.stat().st_size == 0:
        return EMPTY_FILE
    with Ledger(ledger) as book:
        return "" if book.letter_count() else NO_LETTERS


def require_ledger(
    ledger: Path, outputs: Path, args: str = "", unit: Unit | None = None, inputs=None
) -> None:
    """Stop (E-LEDGER-05) when letters exist under ``outputs`` but the ledger that recorded
    them is gone, empty, or records no letter; with ``unit``, stop too (E-LEDGER-08) when the
    ledger does not know letters this folder proves were made for the unit (another unit's or
    district's ledger, an older backup: ``match``). Nothing is made or removed before this.
    ``args``: the command's folder options, for the rebuild command the message gives;
    ``inputs``: the command's inputs folder, for the same."""
    if not letters_on_disk(outputs, 1):
        return
    state = ledger_state(ledger)
    if state == NO_LETTERS and unit is not None and _first_run_killed(ledger, outputs, unit):
        return
    if state:
        raise LedgerError(
            "E-LEDGER-05", path=ledger, state=state, outputs=outputs,
            count=letters_on_disk(outputs), args=args, nearby=_nearby(ledger, outputs),
        )  # fmt: skip
    if unit is None:
        return
    with Ledger(ledger) as book:
        book.refuse_live_run(unit)  # a run writing now: its files are not yet recorded
        unknown = unknown_letters(book, outputs, unit)
    if unknown:
        default = layout.default_ledger(Path(outputs))
        raise LedgerError(
            "E-LEDGER-08", path=ledger, count=unknown.count, unit=f"{unit.full_name} ({unit.key})",
            outputs=outputs, detail=_detail(unknown), default=default,
            args=rebuild_args(outputs, default, inputs),
        )  # fmt: skip


def _first_run_killed(ledger: Path, outputs: Path, unit: Unit) -> bool:
    """A ledger whose only run was killed before it recorded a letter: the letter files on
    disk are that run's leftovers (this unit's, a killed run's few), which the rerun removes."""
    files = sum(
        1 for f in layout.unit_folders(outputs, unit.key) for _ in f.letters().glob("*/*.docx")
    )
    if not files or letters_on_disk(outputs, LEFTOVERS + 1) > files:
        return False
    with Ledger(ledger) as book:
        return not unknown_letters(book, outputs, unit)


def _detail(unknown: Unknown) -> str:
    parts = []
    if unknown.listed:
        parts.append(f"{len(unknown.listed)} thư ghi trong summary.json của các lần chạy đã xong")
    if unknown.files:
        parts.append(f"{len(unknown.files)} tệp thư trong các thư mục letters/")
    return "; ".join(parts)


def _nearby(ledger: Path, outputs: Path) -> str:
    """A sentence naming ledgers that record letters where this one was looked for (a typo in
    --ledger), so that the advice is not to rebuild a second ledger beside the real one."""
    ledger = Path(ledger)
    places = [layout.default_ledger(Path(outputs))]
    if ledger.parent.is_dir():
        places += sorted(ledger.parent.glob("*.sqlite"))
    found = []
    for place in places:
        if place.resolve() != ledger.resolve() and place not in found and not ledger_state(place):
            found.append(place)
    if not found:
        return ""
    return messages.CATALOG["I-LEDGER-03"].format(found=", ".join(str(p) for p in found[:3]))


def rebuild_args(outputs: Path, ledger: Path, inputs: Path | None = None) -> str:
    """The folder options of ``hcpvnd ledger rebuild`` for these places ('' for the defaults)."""
    parts = []
    if inputs is not None and Path(inputs).resolve() != layout.inputs_dir().resolve():
        parts.append(f" --inputs {inputs}")
    if Path(outputs).resolve() != layout.outputs_dir().resolve():
        parts.append(f" --outputs {outputs}")
    if Path(ledger).resolve() != layout.default_ledger(Path(outputs)).resolve():
        parts.append(f" --ledger {ledger}")
    return "".join(parts)


__all__ = ["require_ledger", "ledger_state", "letters_on_disk", "rebuild_args"]
