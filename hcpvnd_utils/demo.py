"""``make demo``: the main job on the shipped sample, start to finish, and where to look."""

from __future__ import annotations

import json
from datetime import date

from . import ingest, paths, validate
from .config import load_units
from .periods import Period, parse_period
from .records import EVENT_TITLES, EVENTS
from .run import sending_period, stated_periods
from .tables import Table
from .views import COUNT_ORDER, COUNT_TITLES
from .wording import admin_number

PILOT = "2024-03-01..2024-05-31"  # the dispatch's three pilot months
REST_OF_YEAR = "2024-06-01..2024-12-31"


def run_demo() -> int:
    inputs, outputs = paths.inputs_dir(), paths.outputs_dir()
    config = load_units(paths.units_file(inputs))
    print("1. Kiểm tra toàn bộ dữ liệu mẫu (inputs/)\n")
    print(sample_accounting(config, inputs).to_text(), end="\n\n")
    status = 0
    for number, period in ((2, PILOT), (3, REST_OF_YEAR)):
        print(f"{number}. Làm thư cho các đơn vị, kỳ {parse_period(period).vietnamese()}")
        status = max(status, _batch(parse_period(period), inputs, outputs))
        print(_letter_totals(outputs / parse_period(period).label), end="\n\n")
    print(f"\nKết quả: {outputs}")
    print("  <kỳ>/<đơn vị>/letters/   thư từng trường hợp (.docx)")
    print("  <kỳ>/<đơn vị>/ban_in_*.docx   tệp in gộp theo loại thư")
    print("  <kỳ>/<đơn vị>/rejected.xlsx   các dòng không gửi thư và lý do")
    print("  <kỳ>/batch.json   kết quả chạy từng đơn vị")
    print("  <kỳ>/report/   báo cáo gửi tỉnh (bản dự thảo .docx, .pdf, bảng .xlsx, biểu đồ)")
    print("  ledger.sqlite   sổ theo dõi: chạy lại không gửi thư lần hai")
    return status


def sample_accounting(config, inputs) -> Table:
    """One line per unit: rows read and what became of them (whole sample, no ledger)."""
    whole = Period(date(1900, 1, 1), date(2999, 12, 31), "tat-ca")
    rows = []
    for unit in config.units.values():
        read = ingest.read_unit(inputs, unit.key)
        outcomes = validate.classify(
            read.records, sending_period(unit, whole), config.settings, stated=stated_periods(read)
        )
        counts = validate.accounting(outcomes)
        total = {k: sum(c[k] for c in counts.values()) for k in COUNT_ORDER}
        rows.append([unit.name, len(read.file_problems), *(total[k] for k in COUNT_ORDER)])
    headers = ["Đơn vị", "Tệp lỗi", *(COUNT_TITLES[k] for k in COUNT_ORDER)]
    return Table(headers, rows, "Số dòng theo đơn vị (mọi kỳ, chưa tính thư đã gửi)")


def _letter_totals(folder) -> str:
    """'Thư đã làm: 54 khai sinh, 62 kết hôn, 21 khai tử' from the units' summary.json files."""
    totals = dict.fromkeys(EVENTS, 0)
    for summary in sorted(folder.glob("*/summary.json")):
        counts = json.loads(summary.read_text(encoding="utf-8"))["counts"]
        for event in EVENTS:
            totals[event] += counts[event]["letters"] + counts[event]["already_sent"]
    parts = ", ".join(f"{admin_number(totals[e])} {EVENT_TITLES[e].lower()}" for e in EVENTS)
    return f"Thư của kỳ (kể cả thư đã làm ở lần chạy trước): {parts}."


def _batch(period, inputs, outputs) -> int:
    from .commands import batch_and_reports

    return batch_and_reports(
        period, inputs=inputs, outputs=outputs, ledger=paths.default_ledger(outputs)
    )
