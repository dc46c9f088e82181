"""The body of each ``hcpvnd`` command (cli.py holds the options)."""

from __future__ import annotations

import sys
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


@command("letters")
def letters_command(args) -> int:
    from .nbrun import run_unit_notebook

    inputs = paths.resolve(args.inputs, paths.inputs_dir())
    outputs = paths.resolve(args.outputs, paths.outputs_dir())
    ledger = paths.resolve(args.ledger, paths.default_ledger(outputs))
    unit = load_units(paths.units_file(inputs)).unit(args.unit)  # fails before any kernel
    period = parse_period(args.period)
    run = run_unit_notebook(
        args.unit, period, inputs=inputs, outputs=outputs, ledger=ledger, regenerate=args.regenerate
    )
    if run.status != "ok":
        print(run.message, file=sys.stderr)
        return 2
    _print_unit_summary(
        outputs / period.label / args.unit, f"Đơn vị {unit.name}, {period.vietnamese()}"
    )
    return 0


def _print_unit_summary(out_dir: Path, title: str) -> None:
    import json

    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    print(accounting_table(summary["counts"], title).to_text())
    print(f"\nThư mới: {len(summary['letters'])}. Kết quả tại: {out_dir}")


@command("batch")
def batch_command(args) -> int:
    inputs = paths.resolve(args.inputs, paths.inputs_dir())
    outputs = paths.resolve(args.outputs, paths.outputs_dir())
    units = None if args.units in ("all", "", None) else [u.strip() for u in args.units.split(",")]
    return batch_and_reports(
        parse_period(args.period),
        inputs=inputs,
        outputs=outputs,
        ledger=paths.resolve(args.ledger, paths.default_ledger(outputs)),
        units=units,
        jobs=args.jobs,
        rerun_failed=args.rerun_failed,
    )


def batch_and_reports(
    period, *, inputs, outputs, ledger, units=None, jobs=None, rerun_failed=False
):
    """The per-unit notebooks in parallel, then the report notebook(s) for the period.
    Exit code: 0 all done, 1 some unit or report failed (the others are complete)."""
    from .batch import run_batch
    from .reporting import report_keys, run_report_notebook

    result = run_batch(
        period, units=units, jobs=jobs, inputs=inputs, outputs=outputs, ledger=ledger,
        rerun_failed=rerun_failed,
    )  # fmt: skip
    print(result.report())
    status = result.exit_code
    if result.failed:  # a report missing a unit would undercount: wait for the fix
        print("Chưa làm báo cáo của kỳ: còn đơn vị bị lỗi.")
        return status
    for key in report_keys(load_units(paths.units_file(inputs)), period):
        execution, executed = run_report_notebook(
            period, unit=key, inputs=inputs, outputs=outputs, ledger=ledger
        )
        if execution.status != "ok":
            print(execution.message, file=sys.stderr)
            status = max(status, 1)
        else:
            print(f"Báo cáo {key or 'tổng hợp'} (dự thảo): {outputs / period.label / 'report'}")
    return status


@command("templates check")
def templates_check_command(args) -> int:
    from .templates import check_paths

    folder = paths.resolve(args.templates_dir, paths.templates_dir())
    found = check_paths(args.templates or None, folder)
    for problem in found:
        print(problem.message)
    errors = [p for p in found if p.severity != "warning"]
    if errors:
        print(f"\n{len(errors)} lỗi trong mẫu thư. Sửa mẫu trong Word rồi kiểm tra lại.")
        return 2
    if found:
        print(f"\nMẫu thư dùng được, nhưng có {len(found)} điểm cần xem lại (ở trên).")
        return 1
    print("Các mẫu thư đều dùng được.")
    return 0


@command("demo")
def demo_command(args) -> int:
    from .demo import run_demo

    return run_demo()


@command("report")
def report_command(args) -> int:
    from .reporting import report_cli

    return report_cli(args)


@command("approve")
def approve_command(args) -> int:
    from .reporting import approve_cli

    return approve_cli(args)


@command("purge")
def purge_command(args) -> int:
    from .purge import purge_command as purge

    return purge(args)


@command("finalize")
def finalize_command(args) -> int:
    from .ledger import Ledger

    inputs = paths.resolve(args.inputs, paths.inputs_dir())
    outputs = paths.resolve(args.outputs, paths.outputs_dir())
    unit = load_units(paths.units_file(inputs)).unit(args.unit)
    period = parse_period(args.period)
    with Ledger(paths.resolve(args.ledger, paths.default_ledger(outputs))) as book:
        count = book.mark_final(unit, period)
    print(f"Đã chốt {count} thư của {unit.full_name}, {period.vietnamese()}.")
    return 0
