"""``hcpvnd validate``: check registers without making letters; the accounting per unit, the
problems to fix, and kiem_tra_<period>.xlsx with every row that would get no letter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from . import ingest, paths, validate
from .cli import command
from .config import load_units
from .periods import Period, parse_period
from .records import REJECTED, IngestResult
from .rejected import write_rejected
from .run import relevant_records, sending_period, stated_periods
from .tables import Table
from .views import accounting_table

WHOLE_RANGE = Period(date(1900, 1, 1), date(2999, 12, 31), "tat-ca")


@command("validate")
def validate_command(args) -> int:
    inputs = paths.resolve(args.inputs, paths.inputs_dir())
    outputs = paths.resolve(args.outputs, paths.outputs_dir())
    config = load_units(paths.units_file(inputs))
    period = parse_period(args.period) if args.period else WHOLE_RANGE
    groups = _validation_groups(args, config, inputs)
    all_outcomes, file_problems, warnings, tables, labelled = [], [], [], [], []
    for label, unit, read in groups:
        records = relevant_records(read, period) if args.period else read.records
        scope = sending_period(unit, period) if unit else period
        outcomes = validate.classify(
            records, scope, config.settings, today=date.today(), stated=stated_periods(read)
        )
        all_outcomes += outcomes
        labelled += [(label, p) for p in read.file_problems]
        labelled += [(label, o.problem) for o in outcomes if o.status == REJECTED]
        file_problems += read.file_problems
        warnings += read.warnings
        tables.append(accounting_table(validate.accounting(outcomes), label))
    _print_problems(labelled, several=len(groups) > 1)
    _print_warnings(all_outcomes, warnings)
    for table in tables:
        print(table.to_text(), end="\n\n")
    report = outputs / f"kiem_tra_{period.label}.xlsx"
    write_rejected(report, all_outcomes, file_problems, warnings)
    print(f"Danh sách các dòng không gửi thư: {report}")
    if file_problems:
        return 2
    return 1 if any(o.status == REJECTED for o in all_outcomes) else 0


def _validation_groups(args, config, inputs: Path) -> list[tuple[str, object, IngestResult]]:
    if args.files:
        read = IngestResult()
        for path in args.files:
            read.extend(ingest.read_file(Path(path)))
        unit = config.unit(args.unit) if args.unit else None
        return [(", ".join(p.name for p in args.files), unit, read)]
    units = [config.unit(args.unit)] if args.unit else list(config.units.values())
    return [(f"Đơn vị {u.name}", u, ingest.read_unit(inputs, u.key)) for u in units]


def _print_warnings(outcomes, warnings) -> None:
    """Warnings (an ID whose lost zero was restored, a legacy encoding converted): where, and
    the code, never the value."""
    found = [*warnings, *(w for o in outcomes for w in o.record.warnings)]
    if not found:
        return
    rows = [[w.code, w.file, w.sheet, w.row, w.column] for w in found]
    title = f"Cảnh báo ({len(rows)}), đã tự xử lý nhưng nên kiểm tra (chi tiết trong tệp Excel):"
    print(Table(["Mã", "Tệp", "Trang", "Dòng", "Cột"], rows, title).to_text(), end="\n\n")


def _print_problems(labelled, several: bool) -> None:
    """Each message already says where (file, sheet, row, column), what, and what to do."""
    if not labelled:
        print("Không có lỗi dữ liệu.\n")
        return
    print(f"Lỗi dữ liệu cần sửa ({len(labelled)}):")
    for label, problem in labelled:
        print(f"- {label}: {problem.message}" if several else f"- {problem.message}")
    print()
