"""``hcpvnd demo`` (what ``make demo`` runs): the main job on the shipped sample, start to
finish, and where to look."""

from __future__ import annotations

from datetime import date

from .. import layout
from ..config import load_units
from ..ingest.files import read_unit
from ..periods import Period, parse_period
from ..records import COUNT_ORDER, COUNT_TITLES, EVENT_TITLES, EVENTS
from ..safeio import read_json
from ..tables import Table
from ..validate.accounting import accounting
from ..validate.rules import classify
from ..validate.scope import sending_period, stated_periods
from ..wording import admin_number
from .batch import print_period
from .progress import Progress

PILOT = "2024-03-01..2024-05-31"  # the dispatch's three pilot months
REST_OF_YEAR = "2024-06-01..2024-12-31"


def add_parsers(sub) -> None:
    p = sub.add_parser("demo", help="chạy toàn bộ trên dữ liệu mẫu")
    p.set_defaults(run=lambda args: run_demo())


def run_demo() -> int:
    from ..runs.period import run_period

    inputs, outputs = layout.inputs_dir(), layout.outputs_dir()
    config = load_units(layout.units_file(inputs))
    print("1. Kiểm tra toàn bộ dữ liệu mẫu (inputs/)\n")
    print(sample_accounting(config, inputs).to_text(), end="\n\n")
    status = 0
    for number, text in ((2, PILOT), (3, REST_OF_YEAR)):
        period = parse_period(text)
        print(f"{number}. Làm thư cho các đơn vị, kỳ {period.vietnamese()}")
        result = run_period(
            period, inputs=inputs, outputs=outputs, ledger=layout.default_ledger(outputs),
            progress=Progress(), before_reports=lambda _, p=period: _deliver(p, inputs, outputs),
        )  # fmt: skip
        print_period(result)
        status = max(status, result.exit_code)
        print(_letter_totals(config, outputs, period))
        status = max(status, _analysis(period, inputs, outputs))
    print(f"\nKết quả: {outputs}")
    print("  <kỳ>/<đơn vị>/letters/   thư từng trường hợp (.docx)")
    print("  <kỳ>/<đơn vị>/ban_in_*.docx   tệp in gộp theo loại thư")
    print("  <kỳ>/<đơn vị>/rejected.xlsx   các dòng không gửi thư và lý do")
    print(
        "  <kỳ>/<đơn vị>/so_giao_thu.xlsx   sổ giao thư: điền khi trao thư, rồi hcpvnd delivery import"
    )
    print("  <kỳ>/batch.json   kết quả chạy từng đơn vị")
    print("  <kỳ>/report/   báo cáo gửi tỉnh (bản dự thảo .docx, .pdf, bảng .xlsx, biểu đồ)")
    print("  <kỳ>/phan_tich/phan_tich.ipynb   phân tích số liệu của kỳ (bảng và biểu đồ)")
    print("  ledger.sqlite   sổ theo dõi: chạy lại không gửi thư lần hai")
    return status


def _deliver(period: Period, inputs, outputs) -> None:
    """The sample's delivery sheets filled in as the communes would (scripts/make_delivery.py,
    synthetic and deterministic), then imported into the ledger, before the reports."""
    import subprocess
    import sys

    from ..delivery.importer import import_sheets

    script = layout.project_root() / "scripts" / "make_delivery.py"
    if not script.is_file():
        return
    subprocess.run([sys.executable, str(script), "--outputs", str(outputs), "--period",
                    period.argument], check=True, capture_output=True)  # fmt: skip
    folders = config_folders(inputs, outputs, period)
    sheets = [f.delivery_sheet for f in folders if f.delivery_sheet.is_file()]
    result = import_sheets(sheets, inputs=inputs, outputs=outputs)
    counts = {k: sum(getattr(f, k) for f in result.files)
              for k in ("rows", "recorded", "unchanged", "waiting", "rejected")}  # fmt: skip
    print(
        f"Sổ giao thư mẫu ({len(result.files)} xã, thị trấn) nhập vào sổ theo dõi: "
        f"{counts['rows']} dòng thư, {counts['recorded']} dòng ghi mới, {counts['unchanged']} "
        f"không đổi ({counts['waiting']} dòng chưa điền ngày trao), {counts['rejected']} bị loại."
    )


def config_folders(inputs, outputs, period: Period) -> list:
    config = load_units(layout.units_file(inputs))
    return [layout.unit_folder(outputs, period.label, key) for key in config.units]


def _analysis(period: Period, inputs, outputs) -> int:
    """The analysis notebook of the period, after its letters and report."""
    from ..runs.analysis import run_analysis_notebook

    execution, executed = run_analysis_notebook(
        period, inputs=inputs, outputs=outputs, ledger=layout.default_ledger(outputs)
    )
    if execution.status != "ok":
        print(execution.message, end="\n\n")
        return 1
    print(f"Phân tích số liệu của kỳ (sổ tay đã chạy): {executed}", end="\n\n")
    return 0


def sample_accounting(config, inputs) -> Table:
    """One line per unit: rows read and what became of them (whole sample, no ledger)."""
    whole = Period(date(1900, 1, 1), date(2999, 12, 31), "tat-ca")
    rows = []
    for unit in config.units.values():
        read = read_unit(inputs, unit.key)
        outcomes = classify(
            read.records, sending_period(unit, whole), config.settings, stated=stated_periods(read)
        )
        counts = accounting(outcomes)
        total = {k: sum(c[k] for c in counts.values()) for k in COUNT_ORDER}
        rows.append([unit.name, len(read.file_problems), *(total[k] for k in COUNT_ORDER)])
    headers = ["Đơn vị", "Tệp lỗi", *(COUNT_TITLES[k] for k in COUNT_ORDER)]
    return Table(headers, rows, "Số dòng theo đơn vị (mọi kỳ, chưa tính thư đã gửi)")


def _letter_totals(config, outputs, period: Period) -> str:
    """The registrations given a letter (the dispatch's cases: twins are two), per event, from the
    units' summary.json files: '54 khai sinh, 62 kết hôn, 21 khai tử'."""
    totals = dict.fromkeys(EVENTS, 0)
    for unit in config.units:
        summary = read_json(layout.unit_folder(outputs, period.label, unit).summary)
        if not summary:
            continue
        for event in EVENTS:
            counts = summary["counts"][event]
            totals[event] += counts["letters"] + counts["already_sent"]
    parts = ", ".join(f"{admin_number(totals[e])} {EVENT_TITLES[e].lower()}" for e in EVENTS)
    return f"Trường hợp có thư của kỳ (kể cả thư đã làm ở lần chạy trước): {parts}."
