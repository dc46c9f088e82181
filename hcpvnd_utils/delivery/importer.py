"""``hcpvnd delivery import``: filled delivery sheets → the ledger, one transaction per file.

Every row of a sheet that has a reference or anything filled in ends in exactly one outcome —
``recorded`` (new, or changed: the old values are kept in the ledger's history), ``unchanged``
(the ledger holds the same, or nothing is filled in yet: not handed over) or ``rejected`` (a
coded Vietnamese message naming the file, sheet, row and column) — and ``rows = recorded +
unchanged + rejected`` holds for each file. A file that cannot be used at all (not ours, of
another unit or period than asked, unreadable, emptied) is refused whole; nothing of it is
recorded.

A row is refused for: no reference; a reference the ledger does not know, or a letter of
another unit; a purged letter; a formula where a date or a list value belongs; no date, a date
that is not one, before the letter was made or in the future; a value not in its list; a note
too long; two rows of one letter that disagree; values the ledger got from a copy of the sheet
saved later than this one. The console gets counts, references and codes; the refused rows'
full messages (with what was typed) go to ``so_giao_thu_loi.xlsx`` beside the sheet, under
outputs/.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import layout
from ..config import Unit, UnitsConfig, load_units
from ..errors import Problem
from ..ingest.dates import DateError, parse_date
from ..layout import Places
from ..ledger.book import Ledger
from ..ledger.deliveries import OLDER, RECORDED, Handover, SheetImport
from ..ledger.rows import reference_key
from ..ledger.schema import PURGED
from ..periods import parse_period, short_date, spoken_moment
from ..textnorm import visible
from .problems import write_problems
from .reading import FilledSheet, SheetProblem, SheetRow, read_sheet
from .vocabulary import FILLED, LISTS, MAX_NOTE, TITLES
from .waiting import Waiting, waiting_letters


@dataclass
class FileImport:
    """What became of one file."""

    path: Path
    file: str
    unit: Unit | None = None
    period: str = ""
    rows: int = 0
    recorded: int = 0
    unchanged: int = 0
    rejected: int = 0
    waiting: int = 0  # rows nobody filled in yet (counted in ``unchanged``)
    problems: list[Problem] = field(default_factory=list)  # the refused rows' reasons
    refusal: Problem | None = None  # the whole file refused
    problems_file: Path | None = None

    def holds(self) -> bool:
        """``rows = recorded + unchanged + rejected``."""
        return self.rows == self.recorded + self.unchanged + self.rejected


@dataclass
class ImportResult:
    files: list[FileImport]
    waiting: dict[str, list[Waiting]]  # unit key -> its letters late to be handed over
    delivery_days: int
    units: dict[str, Unit] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0: every row recorded or unchanged; 1: some rows refused; 2: a file refused."""
        if any(f.refusal for f in self.files):
            return 2
        return 1 if any(f.rejected for f in self.files) else 0


def import_sheets(
    paths: Iterable[Path | str], *, inputs=None, outputs=None, ledger=None,
    unit: str | None = None, period: str | None = None, today: date | None = None,
) -> ImportResult:  # fmt: skip
    """Import filled delivery sheets into the ledger (see the module docstring). ``unit`` and
    ``period`` restrict which sheets are accepted; ``today`` is for tests."""
    where = Places.resolve(inputs, outputs, ledger)
    config = load_units(where.units_file)
    wanted_unit = config.unit(unit).key if unit else None
    wanted_period = parse_period(period).label if period else None
    if not where.ledger.is_file():  # never a new, empty ledger: it knows no letter
        from ..ledger.errors import LedgerError

        raise LedgerError("E-DELIV-23", path=where.ledger)
    today = today or date.today()
    done, touched = [], {}
    with Ledger(where.ledger) as book:
        index = book.letters_by_reference()
        for path in paths:
            result = _import_file(Path(path), book, index, config, where.outputs,
                                  wanted_unit, wanted_period, today)  # fmt: skip
            done.append(result)
            if result.unit is not None:
                touched[result.unit.key] = result.unit
        days = int(config.settings.get("delivery_days", 15))
        late = {key: waiting_letters(book, u, today, days) for key, u in touched.items()}
    return ImportResult(done, late, days, touched)


def _import_file(path, book, index, config, outputs, wanted_unit, wanted_period, today):
    result = FileImport(path, visible(path.name))
    try:
        sheet = read_sheet(path)
        result.file = sheet.file
        unit = _sheet_unit(sheet, config, wanted_unit, wanted_period)
        _same_ledger(path, sheet, book.path)
    except SheetProblem as exc:
        result.refusal = Problem.make(exc.code, **exc.fields)
        return result
    result.unit, result.period = unit, sheet.info.period_label
    checked = _check_rows(sheet, unit, index, config, today)
    handovers = [h for h, _ in checked.accepted]
    source = SheetImport(unit, sheet.info.period_label, sheet.file, sheet.sha256, sheet.saved_at)
    current = book.deliveries_of(unit) if handovers else {}
    others = {"unchanged": checked.unchanged, "rejected": len(checked.problems_by_row)}
    outcomes = book.record_handovers(source, handovers, others)
    for (handover, row), outcome in zip(checked.accepted, outcomes):
        if outcome == RECORDED:
            result.recorded += 1
        elif outcome == OLDER:
            checked.refuse(row, _older(sheet, row, handover, current.get(handover.letter_id)))
        else:
            result.unchanged += 1
    result.unchanged += checked.unchanged
    result.waiting = checked.waiting
    result.rejected = len(checked.problems_by_row)
    result.rows = len(sheet.rows)  # every row read ends in one outcome, as for the registers
    if result.rows != result.recorded + result.unchanged + result.rejected:
        raise ValueError(
            f"delivery accounting: {result.rows} rows, {result.recorded} recorded +"
            f" {result.unchanged} unchanged + {result.rejected} rejected"
        )
    result.problems = [p for problems in checked.problems_by_row.values() for p in problems]
    folder = layout.unit_folder(outputs, sheet.info.period_label, unit.key)
    result.problems_file = write_problems(folder, result.problems)
    return result


def _same_ledger(path: Path, sheet: FilledSheet, ledger: Path) -> None:
    """A sheet still in the folder a letters run wrote it to (``<outputs>/<period>/<unit>/``)
    belongs to that outputs folder's ledger: imported into another one, its references (made
    from registration keys, the same in every copy of the sample or of an export) would find
    that ledger's letters and overwrite their deliveries."""
    try:
        home = path.resolve().parents[2]
    except IndexError:
        return
    own = layout.default_ledger(home)
    if own.is_file() and own.resolve() != Path(ledger).resolve():
        raise SheetProblem("E-DELIV-24", file=sheet.file, folder=home, ledger=Path(ledger))


def _sheet_unit(sheet: FilledSheet, config: UnitsConfig, wanted_unit, wanted_period) -> Unit:
    info = sheet.info
    unit = config.units.get(info.unit_key)
    if unit is None or (unit.scheme, unit.code) != (info.scheme, info.unit_code):
        raise SheetProblem("E-DELIV-07", file=sheet.file, unit=info.unit_name, scheme=info.scheme,
                           unit_code=info.unit_code, path=config.path)  # fmt: skip
    if wanted_unit and unit.key != wanted_unit:
        wanted = config.unit(wanted_unit).full_name
        raise SheetProblem("E-DELIV-03", file=sheet.file, unit=unit.full_name, wanted=wanted)
    if wanted_period and info.period_label != wanted_period:
        raise SheetProblem("E-DELIV-04", file=sheet.file, period=info.period.vietnamese(),
                           wanted=parse_period(wanted_period).vietnamese())  # fmt: skip
    return unit


# ---------------------------------------------------------------- the rows


@dataclass
class _Checked:
    sheet: FilledSheet
    accepted: list[tuple[Handover, SheetRow]] = field(default_factory=list)
    unchanged: int = 0  # rows with nothing to record (blank, or a copy of another row)
    waiting: int = 0
    problems_by_row: dict[int, list[Problem]] = field(default_factory=dict)

    def refuse(self, row: SheetRow, problems: list[Problem]) -> None:
        self.problems_by_row.setdefault(row.row, []).extend(problems)


def _check_rows(sheet: FilledSheet, unit: Unit, index: dict, config, today: date) -> _Checked:
    checked = _Checked(sheet)
    candidates: dict[int, list[tuple[Handover, SheetRow]]] = {}
    for row in sheet.rows:
        letter, problems = _letter_of(sheet, row, unit, index, config)
        if not problems and row.blank():
            checked.unchanged += 1
            checked.waiting += 1
            continue
        if not problems:
            handover, problems = _handover(sheet, row, letter, today)
        if problems:
            checked.refuse(row, problems)
        else:
            candidates.setdefault(letter["letter_id"], []).append((handover, row))
    for rows in candidates.values():
        values = {h.values() for h, _ in rows}
        if len(values) > 1:  # two rows of one letter that disagree: neither is recorded
            numbers = ", ".join(str(r.row) for _, r in rows)
            for _, row in rows:
                checked.refuse(row, [_problem(sheet, row, "E-DELIV-20", "reference",
                                              reference=_ref(row), count=len(rows), rows=numbers)])  # fmt: skip
        else:
            checked.accepted.append(rows[0])
            checked.unchanged += len(rows) - 1  # the same again: nothing more to record
    return checked


def _letter_of(sheet, row: SheetRow, unit: Unit, index: dict, config) -> tuple[dict | None, list]:
    typed = row.values.get("reference")
    if typed is None:
        return None, [_problem(sheet, row, "E-DELIV-10", "reference")]
    letter = index.get(reference_key(typed))
    if letter is None:
        return None, [_problem(sheet, row, "E-DELIV-11", "reference", value=str(typed))]
    if (letter["scheme"], letter["unit_code"]) != (unit.scheme, unit.code):
        other = config.units.get(letter["unit_key"])
        name = other.full_name if other else f"đơn vị {letter['unit_key']}"
        return None, [_problem(sheet, row, "E-DELIV-12", "reference", reference=_ref(row),
                               other=name, unit=unit.full_name)]  # fmt: skip
    if letter["status"] == PURGED and not row.blank():
        return None, [_problem(sheet, row, "E-DELIV-13", "reference", reference=_ref(row))]
    return letter, []


def _handover(sheet, row: SheetRow, letter: dict, today: date) -> tuple[Handover | None, list]:
    problems = [_problem(sheet, row, "E-DELIV-19", key) for key in FILLED
                if key in row.formulas and key != "note"]  # fmt: skip
    handed = _day(sheet, row, letter, today, problems)
    codes = {}
    for kind in LISTS:
        value = row.values.get(kind.key)
        codes[kind.key] = None if value is None else kind.match(value)
        if value is not None and codes[kind.key] is None and kind.key not in row.formulas:
            problems.append(_problem(sheet, row, "E-DELIV-18", kind.key, value=str(value),
                                     what=kind.what, choices=kind.shown()))  # fmt: skip
    note = row.values.get("note")
    note = None if note is None else str(note)  # a formula or a number is kept as its text
    if note is not None and len(note) > MAX_NOTE:
        problems.append(_problem(sheet, row, "E-DELIV-22", "note", length=len(note),
                                 limit=MAX_NOTE))  # fmt: skip
    if problems:
        return None, problems
    handover = Handover(letter["letter_id"], handed.isoformat(), codes["channel"], codes["role"],
                        codes["response"], note, sheet.sheet, row.row)  # fmt: skip
    return handover, []


def _day(sheet, row: SheetRow, letter: dict, today: date, problems: list) -> date | None:
    value = row.values.get("handed_on")
    if "handed_on" in row.formulas:
        return None
    if value is None:
        problems.append(_problem(sheet, row, "E-DELIV-14", "handed_on"))
        return None
    try:
        handed = parse_date(value)
    except DateError:
        handed = None
    if not isinstance(handed, date):
        problems.append(_problem(sheet, row, "E-DELIV-15", "handed_on", value=_shown(value)))
        return None
    made = _made(letter)
    if made and handed < made:
        problems.append(_problem(sheet, row, "E-DELIV-16", "handed_on",
                                 handed=short_date(handed), made=short_date(made)))  # fmt: skip
    elif handed > today:
        problems.append(_problem(sheet, row, "E-DELIV-17", "handed_on",
                                 handed=short_date(handed), today=short_date(today)))  # fmt: skip
    return handed


def _older(sheet, row: SheetRow, handover: Handover, current: dict | None) -> list[Problem]:
    current = current or {}
    return [_problem(sheet, row, "E-DELIV-21", "handed_on", reference=_ref(row),
                     saved=_spoken(sheet.saved_at), other_file=current.get("source_file") or "?",
                     other_saved=_spoken(current.get("saved_at")))]  # fmt: skip


def _made(letter: dict) -> date | None:
    try:
        return datetime.fromisoformat(str(letter["created_at"])).date()
    except (TypeError, ValueError):
        return None


def _spoken(moment: str | None) -> str:
    """A workbook's saved time (UTC, as Excel records it) in this machine's time."""
    if not moment:
        return "?"
    from datetime import UTC

    return spoken_moment(datetime.fromisoformat(moment).replace(tzinfo=UTC))


def _ref(row: SheetRow) -> str:
    return reference_key(row.values.get("reference"))


def _shown(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def _problem(sheet: FilledSheet, row: SheetRow, code: str, key: str, **fields) -> Problem:
    return Problem.make(code, file=sheet.file, sheet=sheet.sheet, row=row.row,
                        column=TITLES[key], **fields)  # fmt: skip


__all__ = ["FileImport", "ImportResult", "import_sheets"]
