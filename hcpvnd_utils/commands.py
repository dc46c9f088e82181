"""The body of each ``hcpvnd`` command (cli.py holds the options)."""

from __future__ import annotations

import sys
from pathlib import Path

from . import paths
from . import validate_command as _validate_command  # noqa: F401  (registers it)
from .cli import command
from .config import load_units
from .periods import parse_period
from .views import accounting_table


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
    out_dir = outputs / period.label / args.unit
    _print_unit_summary(out_dir, f"Đơn vị {unit.name}, {period.vietnamese()}")
    if args.pdf:
        _preview_print_files(out_dir)
    return 0


def _preview_print_files(out_dir: Path) -> None:
    """The print files as PDFs next to them, in one LibreOffice call, to check before printing."""
    from .pdf import convert

    result = convert(sorted(out_dir.glob("ban_in_*.docx")))
    for line in result.messages:
        print(line)
    for pdf in result.pdfs.values():
        print(f"Bản xem trước PDF: {pdf}")


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
    """The per-unit notebooks in parallel, then the report notebook(s) for the period, their
    notices printed as ``hcpvnd report`` prints them and every draft's PDF in one soffice call.
    Exit code: 0 all done, 1 some unit or report failed (the others are complete) or a report
    has a warning to look at (W-REPORT-…, e.g. figures changed after approval)."""
    from .batch import run_batch
    from .report_runs import reports_due, run_report_notebooks

    result = run_batch(
        period, units=units, jobs=jobs, inputs=inputs, outputs=outputs, ledger=ledger,
        rerun_failed=rerun_failed,
    )  # fmt: skip
    print(result.report())
    status = result.exit_code
    if result.failed:  # a report missing a unit would undercount: wait for the fix
        print("Chưa làm báo cáo của kỳ: còn đơn vị bị lỗi.")
        return status
    config = load_units(paths.units_file(inputs))
    keys, waiting = reports_due(config, period, outputs, units)
    for notice in waiting:
        print(f"\n{notice}")
    runs, pdf_notices = run_report_notebooks(
        period, keys, inputs=inputs, outputs=outputs, ledger=ledger
    )
    for run in runs:
        if not run.ok:
            print(run.error, file=sys.stderr)
            status = max(status, 1)
            continue
        print("\n" + "\n".join(run.lines()))
        if run.warned:
            status = max(status, 1)
    if pdf_notices:
        print("\n" + "\n".join(pdf_notices))
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
    from .report_runs import report_cli

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
