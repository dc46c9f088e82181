"""Figures for the report tests, built the way a run builds them: letters recorded in a real
SQLite ledger through the Ledger API, summaries written as ``run`` writes them."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from hcpvnd_utils.config import load_units
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.records import Record
from hcpvnd_utils.report.data import collect

ROOT = Path(__file__).resolve().parents[1]
INPUTS_2024 = ROOT / "inputs"
INPUTS_2025 = ROOT / "inputs" / "gia-lai-2025"
GOLDEN = Path(__file__).resolve().parent / "golden"
PILOT = parse_period("2024-03-01..2024-05-31")
# the 2024 dispatch: 54 births, 62 marriages, 21 deaths, in Phước Quang and Phước Nghĩa
PILOT_LETTERS = {
    "phuoc-quang": {"khai_sinh": 30, "ket_hon": 35, "khai_tu": 12},
    "phuoc-nghia": {"khai_sinh": 24, "ket_hon": 27, "khai_tu": 9},
}
PILOT_DAYS = [date(2024, 3, 4), date(2024, 4, 9), date(2024, 5, 20)]


def record_letters(ledger: Path, letters: dict, *, inputs: Path = INPUTS_2024, days=PILOT_DAYS,
                   first_number: int = 100) -> None:  # fmt: skip
    """``letters`` {unit: {event: n}}: n registrations with a letter each, dated in turn on
    ``days``."""
    config = load_units(inputs / "units.yaml")
    with Ledger(ledger) as book:
        for key, events in letters.items():
            unit = config.unit(key)
            for event, count in events.items():
                for i in range(count):
                    values = {"reg_no": str(first_number + i), "reg_date": days[i % len(days)]}
                    reg_id = book.record_registration(
                        unit, Record(event, "x.xlsx", "S", i + 7, values)
                    )
                    book.record_letter(
                        reg_id,
                        f"p/{key}/letters/{event}/{first_number + i:03d}.docx",
                        "0" * 64,
                        None,
                    )


def hand_over(ledger: Path, *, inputs: Path = INPUTS_2024, day: date | None = None,
              responses=("tich_cuc",), skip: int = 0) -> int:  # fmt: skip
    """Record the delivery of the ledger's letters (all but every ``skip``-th, when given), as
    an import of each unit's sheet records it (``Ledger.record_handovers``: real SQLite): handed
    over on ``day`` (default today), the responses taken in turn. Returns how many."""
    from hcpvnd_utils.ledger.deliveries import Handover, SheetImport

    config = load_units(inputs / "units.yaml")
    recorded = 0
    with Ledger(ledger) as book:
        letters = sorted(book.letters_by_reference().values(), key=lambda r: r["letter_id"])
        for key in sorted({r["unit_key"] for r in letters}):
            unit = config.unit(key)
            mine = [r for r in letters if r["unit_key"] == key]
            rows = [
                Handover(r["letter_id"], (day or date.today()).isoformat(), "tan_tay", "tu_phap",
                         responses[i % len(responses)], None, "Sổ giao thư", i + 6)
                for i, r in enumerate(mine) if not skip or (i + 1) % skip
            ]  # fmt: skip
            source = SheetImport(unit, PILOT.label, "so_giao_thu.xlsx", f"{key}-sheet", None)
            book.record_handovers(source, rows, {})
            recorded += len(rows)
    return recorded


def write_summary(outputs: Path, period, unit: str, counts: dict) -> Path:
    """A summary.json as ``run`` writes it; ``counts`` {event: {rows, letters, …}}."""
    names = [
        "rows",
        "letters",
        "rejected",
        "out_of_period",
        "duplicates",
        "not_eligible",
        "already_sent",
    ]
    full = {
        e: {n: counts.get(e, {}).get(n, 0) for n in names}
        for e in ("khai_sinh", "ket_hon", "khai_tu")
    }
    path = outputs / period.label / unit / "summary.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "unit": unit,
        "period": period.as_dict(),
        "counts": full,
        "letters": [],
        "rejected": [],
    }
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    return path


def pilot_data(tmp_path: Path, unit: str | None = None, letters=PILOT_LETTERS, period=PILOT,
               delivered: bool = False):  # fmt: skip
    """The pilot's figures; ``delivered``: every letter handed over (the dispatch's words)."""
    ledger = tmp_path / "ledger.sqlite"
    if not ledger.exists():
        record_letters(ledger, letters)
        if delivered:
            hand_over(ledger, responses=("tich_cuc", "tich_cuc", "binh_thuong"))
    config = load_units(INPUTS_2024 / "units.yaml")
    return collect(config, period, unit, ledger=ledger, outputs=tmp_path)


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/<name>; HCPVND_UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = GOLDEN / name
    if os.environ.get("HCPVND_UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"text differs from {path}; rerun with HCPVND_UPDATE_GOLDEN=1 and review"
    )


def pilot_place(tmp_path: Path) -> dict:
    """inputs/ with the 2024 units file, outputs/ with the pilot's ledger and the pilot units'
    summaries (a complete set of figures), as a run leaves them; no narrative yet."""
    import shutil

    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    (inputs / "narratives").mkdir(parents=True)
    shutil.copy(INPUTS_2024 / "units.yaml", inputs / "units.yaml")
    record_letters(outputs / "ledger.sqlite", PILOT_LETTERS)
    for unit, letters in PILOT_LETTERS.items():
        counts = {e: {"rows": n, "letters": n} for e, n in letters.items()}
        write_summary(outputs, PILOT, unit, counts)
    return {"inputs": inputs, "outputs": outputs}
