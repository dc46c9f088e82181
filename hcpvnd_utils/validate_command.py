"""``hcpvnd validate``: check registers without making letters; the accounting per unit, the
problems to fix, and kiem_tra_<unit>_<period>.xlsx (kiem_tra_<period>.xlsx for every unit) with
every row that would get no letter.

The console is not protected like outputs/: it says where (unit, file, sheet, row, column), the
code and what to do, never what a cell holds (``messages.console_text``). The workbook keeps the
full messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import ingest, paths, validate
from .cli import command
from .config import load_units
from .ingest import MISSING_COLUMN
from .messages import console_text, sheet_text
from .periods import Period, parse_period
from .records import REJECTED, IngestResult, Outcome
from .rejected import write_check
from .run import relevant_records, sending_period, stated_periods
from .tables import Table
from .views import accounting_table, units_accounting_table

WHOLE_RANGE = Period(date(1900, 1, 1), date(2999, 12, 31), "tat-ca")


@dataclass
class _Checked:
    label: str  # what the accounting table is about: "Đơn vị …", or the files given
    unit: str  # the unit's name, "" for files checked without --unit
    read: IngestResult
    outcomes: list[Outcome]


@command("validate")
def validate_command(args) -> int:
    inputs = paths.resolve(args.inputs, paths.inputs_dir())
    outputs = paths.resolve(args.outputs, paths.outputs_dir())
    config = load_units(paths.units_file(inputs))
    period = parse_period(args.period) if args.period else WHOLE_RANGE
    checked = []
    for label, unit, read in _validation_groups(args, config, inputs):
        records = relevant_records(read, period) if args.period else read.records
        scope = sending_period(unit, period) if unit else period
        outcomes = validate.classify(
            records, scope, config.settings, today=date.today(), stated=stated_periods(read)
        )
        checked.append(_Checked(label, unit.name if unit else "", read, outcomes))
    _print_problems(checked)
    _print_warnings(checked)
    _print_accounting(checked)
    name = f"kiem_tra_{args.unit}_{period.label}" if args.unit else f"kiem_tra_{period.label}"
    report = outputs / f"{name}.xlsx"
    parts = [(c.unit, c.outcomes, c.read.file_problems, c.read.warnings) for c in checked]
    write_check(report, parts)
    print(f"Danh sách các dòng không gửi thư: {report}")
    if any(c.read.file_problems for c in checked):
        return 2
    return 1 if any(o.status == REJECTED for c in checked for o in c.outcomes) else 0


def _print_accounting(checked: list[_Checked]) -> None:
    if len(checked) == 1:
        only = checked[0]
        table = accounting_table(validate.accounting(only.outcomes), only.label)
    else:
        per_unit = [(c.unit or c.label, validate.accounting(c.outcomes)) for c in checked]
        empty = sum(1 for _, counts in per_unit if not any(e["rows"] for e in counts.values()))
        title = f"{len(checked)} đơn vị" + (f" ({empty} đơn vị không có dòng nào)" if empty else "")
        table = units_accounting_table(per_unit, title)
    print(table.to_text(), end="\n\n")


def _validation_groups(args, config, inputs: Path) -> list[tuple[str, object, IngestResult]]:
    if args.files:
        read = IngestResult()
        for path in args.files:
            read.extend(ingest.read_file(Path(path)))
        unit = config.unit(args.unit) if args.unit else None
        return [(", ".join(p.name for p in args.files), unit, read)]
    units = [config.unit(args.unit)] if args.unit else list(config.units.values())
    return [(f"Đơn vị {u.name}", u, ingest.read_unit(inputs, u.key)) for u in units]


def _print_warnings(checked: list[_Checked]) -> None:
    """Warnings (an ID whose lost zero was restored, a legacy encoding converted): where, and
    the code, never the value."""
    rows = [
        [c.unit, w.code, w.file, w.sheet, w.row, w.column]
        for c in checked
        for w in [*c.read.warnings, *(w for o in c.outcomes for w in o.record.warnings)]
    ]
    if not rows:
        return
    title = f"Cảnh báo ({len(rows)}), đã tự xử lý nhưng nên kiểm tra (chi tiết trong tệp Excel):"
    headers = ["Đơn vị", "Mã", "Tệp", "Trang", "Dòng", "Cột"]
    print(Table(headers, rows, title).to_text(), end="\n\n")


def _print_problems(checked: list[_Checked]) -> None:
    """Each line says where (file, sheet, row, column), what, and what to do, without the cell's
    content. A column missing from a sheet is said once for the sheet, with its row count."""
    lines: dict[tuple, list] = {}  # key → [text, rows]; insertion order is the output order
    for c in checked:
        problems = [*c.read.file_problems]
        problems += [o.problem for o in c.outcomes if o.status == REJECTED and o.problem]
        for p in problems:
            if p.code == MISSING_COLUMN:
                key = (c.label, p.code, p.file, p.sheet)
                lines.setdefault(key, [sheet_text(p), 0])[1] += 1
            else:
                lines[(c.label, len(lines))] = [console_text(p), 0]
    if not lines:
        print("Không có lỗi dữ liệu.\n")
        return
    several = len(checked) > 1
    print(f"Lỗi dữ liệu cần sửa ({len(lines)}):")
    for (label, *_), (text, rows) in lines.items():
        text = f"{text} ({rows} dòng)" if rows else text
        print(f"- {label}: {text}" if several else f"- {text}")
    print()
