"""Register exports → Records: every sheet of every file of a unit's input folder.

``read_file`` never raises for a bad file: a file that cannot be used becomes a problem in
``file_problems`` (E-FILE-01 unreadable, 02 empty, 03 password, 04 no header, 06 unknown
event); a bad cell becomes a problem on its row, and a sheet without a required column
(E-REQ-02) refuses each of its rows for that reason, so every row is still counted. Only the
fields of ``records.FIELDS`` are kept. See ``records.py`` for the value types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from ..errors import Problem
from ..layout import aliases_file, unit_inputs
from ..records import FIELD_TITLES, REQUIRED, IngestResult, Record, SourceFile
from ..storage import os_reason
from ..textnorm import clean_text, visible
from . import legacy
from .dates import stated_period
from .headers import (
    Aliases,
    ColumnPlan,
    HeaderLayout,
    cached_aliases,
    detect_event,
    event_from_text,
    find_header,
    load_aliases,
    plan_columns,
)
from .readers import FileProblem, RawSheet, open_sheets
from .rows import RowReader

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".ods"}
HEAD_ROWS = 200  # rows kept in memory to find the header and judge the encoding

MISSING_COLUMN = "E-REQ-02"  # a sheet-level problem carried by each row: say it once per sheet


@dataclass
class _SheetOutcome:
    status: str  # "read", "blank", "no_header", "no_event"
    records: list[Record] = field(default_factory=list)
    source: SourceFile | None = None
    warnings: list[Problem] = field(default_factory=list)
    resume: Callable[[str], _SheetOutcome] | None = None  # "no_event": read it as this event


def read_file(path: Path, aliases: Aliases | None = None) -> IngestResult:
    """Every sheet of one export. Never raises for bad input."""
    path = Path(path)
    result = IngestResult()
    try:
        outcomes = [
            (raw.name, _read_sheet(raw, path, aliases or cached_aliases()))
            for raw in _shown_names(open_sheets(path))
        ]
    except FileProblem as problem:
        result.file_problems.append(_file_problem(problem.code, path, detail=problem.detail))
        return result
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except MemoryError:
        detail = "không đủ bộ nhớ để đọc tệp này (tệp quá lớn hoặc bị hỏng)"
        result.file_problems.append(_file_problem("E-FILE-09", path, detail=detail))
        return result
    except BaseException as exc:  # noqa: BLE001 — any failure on a file (even a panic in the
        # Rust reader, which is not an Exception) is reported, never raised
        if isinstance(exc, OSError):
            detail = os_reason(exc)
        else:  # the type only: an exception's text may quote a cell
            detail = f"nội dung tệp bị hỏng; chi tiết kỹ thuật: {type(exc).__name__}"
        result.file_problems.append(_file_problem("E-FILE-01", path, detail=detail))
        return result
    _collect(result, outcomes, path)
    return result


def _shown_names(sheets):
    """Each sheet under a name that can be shown anywhere (``textnorm.visible``): a sheet
    named with a terminal escape or a bell is a hostile file's, never printed raw."""
    for raw in sheets:
        raw.name = visible(raw.name)
        yield raw


def file_label(path: Path) -> str:
    """The file's name as every message and workbook shows it (``textnorm.visible``)."""
    return visible(Path(path).name)


def _resolve_unknown_events(outcomes: list[tuple[str, _SheetOutcome]]) -> None:
    """A sheet that does not say its event (a second month without a title) is read as the
    event of the file's other sheets, when they all agree on one."""
    events = {o.source.event for _, o in outcomes if o.source}
    if len(events) != 1:
        return
    (event,) = events
    for index, (name, outcome) in enumerate(outcomes):
        if outcome.status == "no_event" and outcome.resume:
            outcomes[index] = (name, outcome.resume(event))


def _collect(result: IngestResult, outcomes: list[tuple[str, _SheetOutcome]], path: Path):
    _resolve_unknown_events(outcomes)
    for _, outcome in outcomes:
        if outcome.source:
            result.records += outcome.records
            result.sources.append(outcome.source)
            result.warnings += outcome.warnings
    for name, outcome in outcomes:  # data we cannot place is never dropped silently
        if outcome.status == "no_event":
            sheet = _sheet_label(name, path)
            result.file_problems.append(_file_problem("E-FILE-06", path, sheet=sheet))
    if result.sources or result.file_problems:
        return
    no_header = [name for name, o in outcomes if o.status == "no_header"]
    if not no_header:
        result.file_problems.append(_file_problem("E-FILE-02", path))
    for name in no_header:
        sheet = _sheet_label(name, path)
        result.file_problems.append(_file_problem("E-FILE-04", path, sheet=sheet))


def _sheet_label(sheet: str, path: Path) -> str:
    """The sheet as Excel names it: a CSV opens as one sheet named after the file."""
    return sheet or visible(path.stem)


def _file_problem(code: str, path: Path, sheet: str = "", detail: str = "") -> Problem:
    return Problem.make(code, file=file_label(path), sheet=sheet, detail=detail)


def read_unit(inputs_dir: Path, unit_key: str) -> IngestResult:
    """Every export directly in ``<inputs_dir>/<unit_key>/``, in name order. Hidden files,
    Excel lock files (``~$…``) and other files (.txt, .md…) are left alone."""
    folder = unit_inputs(inputs_dir, unit_key)
    result = IngestResult()
    files = sorted(
        (p for p in folder.iterdir() if _is_export(p)), key=lambda p: p.name
    ) if folder.is_dir() else []  # fmt: skip
    if not files:
        result.file_problems.append(Problem.make("E-FILE-05", path=str(folder)))
        return result
    aliases = load_aliases(aliases_file(inputs_dir))
    for path in files:
        result.extend(read_file(path, aliases))
    return result


def _is_export(path: Path) -> bool:
    name = path.name
    hidden = name.startswith((".", "~$"))
    return path.is_file() and not hidden and path.suffix.lower() in SPREADSHEET_SUFFIXES


# --- one sheet ---------------------------------------------------------------------------------


def _legacy_rows(rows, encoding: str):
    for row in rows:
        yield [
            legacy.convert(value, encoding) if isinstance(value, str) and not value.isascii()
            else value
            for value in row
        ]  # fmt: skip


def _sample_text(head: list[list]) -> str:
    return " ".join(value for row in head for value in row if isinstance(value, str))


def _title_facts(head: list[list], layout: HeaderLayout) -> tuple[str, tuple | None]:
    """(event named in the title rows, (start, end) of the stated period) above the header."""
    event, period = "", None
    for row in head[: layout.top]:
        for value in row:
            text = clean_text(value) if isinstance(value, str) else ""
            if not text:
                continue
            event = event or event_from_text(text)
            period = period or stated_period(text)
    return event, period


def _head_and_encoding(raw: RawSheet):
    """(first rows, all rows, encoding): text judged TCVN3/VNI by its characters is converted
    as it streams (cells in a legacy font were converted by the reader already)."""
    rows = iter(raw.rows)
    head = list(islice(rows, HEAD_ROWS))
    encoding = "" if raw.converted else legacy.detect(_sample_text(head))
    if encoding:
        head = list(_legacy_rows(head, encoding))
        rows = _legacy_rows(rows, encoding)
    return head, rows, encoding


def _encoding_warning(path: Path, sheet: str, encoding: str) -> list[Problem]:
    if not encoding:
        return []
    sheet = _sheet_label(sheet, path)
    return [Problem.make("W-ENC-01", file=file_label(path), sheet=sheet, encoding=encoding,
                         severity="warning")]  # fmt: skip


def _read_sheet(raw: RawSheet, path: Path, aliases: Aliases) -> _SheetOutcome:
    head, rows, encoding = _head_and_encoding(raw)
    layout = find_header(head, raw.merges, aliases)
    if layout is None:
        filled = any(v not in ("", None) for row in chain(head, rows) for v in row)
        return _SheetOutcome("no_header" if filled else "blank")
    title_event, period = _title_facts(head, layout)
    names = (path.stem, raw.name)
    event = detect_event(layout, title_event, *(event_from_text(n, True) for n in names))

    def read_as(event: str) -> _SheetOutcome:
        all_rows = chain(head, rows)
        return _read_rows(raw, path, layout, event, all_rows, encoding, period, aliases.empty)

    if not event:
        return _SheetOutcome("no_event", resume=read_as)
    return read_as(event)


def _read_rows(raw, path, layout, event, rows, encoding, period, empty) -> _SheetOutcome:
    plan: ColumnPlan = plan_columns(layout, event)
    if not plan.columns and not plan.sex_field:
        return _SheetOutcome("no_header")
    reader = RowReader(plan, layout, file_label(path), raw.name, raw.merges, raw.first_row, empty)
    records = reader.read(rows)
    _refuse_without_required_columns(records, plan)
    encoding = encoding or ", ".join(sorted(raw.converted | reader.converted))
    source = SourceFile(file_label(path), raw.name, event, len(records), *(period or (None, None)))
    source.encoding = encoding
    warnings = _encoding_warning(path, raw.name, encoding) + _clash_warnings(path, raw.name, plan)
    return _SheetOutcome("read", records, source, warnings)


def _clash_warnings(path: Path, sheet: str, plan: ColumnPlan) -> list[Problem]:
    """Two columns read as one field ("Ngày ĐK" and "Ngày cấp"): the first is used; say so."""
    sheet = _sheet_label(sheet, path)
    return [
        Problem.make("W-HEAD-01", file=file_label(path), sheet=sheet, what=FIELD_TITLES[name],
                     kept=kept, dropped=dropped, severity="warning")
        for name, kept, dropped in plan.clashes
    ]  # fmt: skip


def _refuse_without_required_columns(records: list[Record], plan: ColumnPlan) -> None:
    """No column for a required field: no row of the sheet can get a letter. Each row carries
    the reason first (rows = letters + reasons still holds); the console says it once."""
    found = {*plan.columns.values(), plan.sex_field}
    missing = [name for name in REQUIRED.get(plan.event, []) if name not in found]
    if not missing or not records:
        return
    columns = ", ".join(f"“{FIELD_TITLES[name]}”" for name in missing)
    example = FIELD_TITLES[missing[0]]
    example = example[:1].upper() + example[1:]
    for record in records:
        record.problems.insert(0, record.problem(MISSING_COLUMN, columns=columns, example=example))
