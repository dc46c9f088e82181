"""What a clerk checks after an interrupted run and its rerun, shared by the tests of killed,
concurrent and disk-fault runs: one letter per registration, nothing half-written."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import docx

from hcpvnd_utils import layout
from hcpvnd_utils.config import load_units
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.letters.templates import extract_text
from hcpvnd_utils.periods import parse_period

UNIT, PERIOD = "phuoc-quang", "2024"


def letter_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.glob("letters/*/*.docx"))


def reference_run(outputs: Path) -> dict:
    """The uninterrupted run of the sample unit: its letters and the text of its print files."""
    result = run_unit(UNIT, PERIOD, outputs=outputs)
    folder = result.out_dir
    return {
        "letters": letter_files(folder),
        "counts": result.summary["counts"],
        "print_files": {p.name: extract_text(p) for p in folder.glob("ban_in_*.docx")},
    }


def assert_one_letter_per_registration(outputs: Path, reference: dict) -> None:
    folder = outputs / PERIOD / UNIT
    assert letter_files(folder) == reference["letters"]
    assert not list(outputs.rglob("*.part"))
    with Ledger(outputs / "ledger.sqlite") as book:
        rows = book.letters_for(load_units(layout.units_file()).unit(UNIT), parse_period(PERIOD))
    assert sorted(row["file"] for row in rows) == [
        f"{PERIOD}/{UNIT}/{f}" for f in reference["letters"]
    ]
    keys = [(row["event"], row["book"], row["reg_no"]) for row in rows]
    assert len(keys) == len(set(keys))


def assert_nothing_half_written(folder: Path) -> None:
    """Every file under its final name is whole; only temporary .part files may be left."""
    import nbformat

    for path in folder.rglob("*"):
        if path.suffix == ".docx":
            docx.Document(str(path))
        elif path.name == "summary.json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.name == "rows.jsonl.gz":
            gzip.decompress(path.read_bytes())
        elif path.suffix == ".ipynb":
            nbformat.read(path, as_version=4)
