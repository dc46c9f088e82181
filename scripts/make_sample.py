#!/usr/bin/env python
"""Generate the synthetic register exports under inputs/<unit>/ (committed; never edit by hand).

    python scripts/make_sample.py                    # inputs/units.yaml -> inputs/<unit>/
    python scripts/make_sample.py --units inputs/gia-lai-2025/units.yaml --end 2025-09-30
    python scripts/make_sample.py --check            # exit 1 when inputs/ differs from a fresh run
    python scripts/make_sample.py --list-headers     # every header wording the sample uses

Same seed -> byte-identical files (fixed document and zip dates, CSV lines end in CRLF). Each unit
has its own random stream, so ``--units-only`` writes the same files as a full run.

Beside the exports it writes <out>/sample_manifest.json: for every file and sheet the header
and data rows, how many rows are meant to get each outcome (letter, rejected, out_of_period,
duplicate, not_eligible) and, for every row that is not a plain letter, its row number (as
Excel numbers it; the line number in a CSV), outcome, reason, warning, registration date (null
when that cell is blank or not a date) and the template variant its letter is meant to use
(units.yaml, letters:; "" for the event's own); twins and triplets also list the rows their one
letter is for (letter_rows). The pilot block holds the 2024 dispatch's
figures: 54 births, 62 marriages, 21 deaths with a letter in Phước Quang and Phước Nghĩa from
01/3/2024 to 31/5/2024.

Expected outcomes are those of a run over the file's month (the pilot figures also hold for
the range 2024-03-01..2024-05-31). An out_of_period row is dated outside the period stated in
its file's title rows ("Từ ngày … đến ngày …"): in a unit's first file, before the unit's
letters_start; later, on the last working day of the previous month. A run over a longer period
that contains that date sees it as in period unless it also checks the stated period. Of two
equal registrations (same book and number) the first row keeps its outcome and the later one
is the duplicate. HEADER_VARIANTS (from sample_layouts) lists every header wording used.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sample_layouts import DROPPED_FIELDS, HEADER_VARIANTS, profile_for
from sample_names import FEMALE, MALE
from sample_plan import DISPATCH, PILOT_LETTERS, PILOT_MONTHS, SAMPLE_OUTCOMES
from sample_rows import UnitRows, month_end, month_key, month_starts
from sample_writers import EXPORT_NAME, UnitWriter

from hcpvnd_utils.config import UnitsConfig, load_units
from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.records import EVENTS, LETTER

MANIFEST = "sample_manifest.json"
__all__ = ["DISPATCH", "DROPPED_FIELDS", "HEADER_VARIANTS", "MANIFEST", "generate", "main"]


def generate_unit(cfg: UnitsConfig, unit, index: int, seed: int, end: date, out: Path) -> dict:
    profile = profile_for(cfg.scheme, unit.key, index)
    sample = UnitRows(cfg, unit, index, seed, end, profile)
    clerk_sex = sample.rng.choice([MALE, FEMALE])
    clerk = sample.people.full_name(clerk_sex, sample.rng.randint(1975, 1996))
    rows = sample.all_rows()
    files = UnitWriter(sample, clerk).write(out / unit.key, rows)
    events: dict[str, dict] = {event: {} for event in EVENTS}
    for entry in files:
        counts = events[entry["event"]].setdefault(
            entry["month"], {"rows": 0, **{name: 0 for name in SAMPLE_OUTCOMES}}
        )
        counts["rows"] += entry["rows"]
        for name, count in entry["outcomes"].items():
            counts[name] += count
    return {
        "code": unit.code,
        "name": f"{unit.type} {unit.name}",
        "letters_start": unit.rollout.letters_start.isoformat(),
        "totals": sum_counts(month for months in events.values() for month in months.values()),
        "events": {e: dict(sorted(months.items())) for e, months in events.items()},
        "files": files,
    }


def sum_counts(counts) -> dict:
    total = {"rows": 0, **{name: 0 for name in SAMPLE_OUTCOMES}}
    for count in counts:
        for name in total:
            total[name] += count[name]
    return total


def pilot_block(cfg: UnitsConfig, units: dict) -> dict | None:
    """Letters of the pilot units over their first three months (the dispatch's figures)."""
    pilots = [key for key, unit in cfg.units.items() if unit.rollout.pilot]
    if not pilots or not all(key in units for key in pilots):
        return None
    start = min(cfg.units[key].rollout.letters_start for key in pilots)
    months = month_starts(start, start + timedelta(days=31 * PILOT_MONTHS))[:PILOT_MONTHS]
    keys = [month_key(month) for month in months]

    def total(what: str) -> dict:
        return {
            event: sum(units[key]["events"][event].get(m, {}).get(what, 0)
                       for key in pilots for m in keys)
            for event in EVENTS
        }  # fmt: skip

    block = {
        "period": f"{start.isoformat()}..{month_end(months[-1]).isoformat()}",
        "units": pilots,
        "rows": total("rows"),
        "letters": total(LETTER),
    }
    if cfg.scheme in PILOT_LETTERS:
        block["dispatch"] = DISPATCH
        if block["letters"] != DISPATCH:
            raise RuntimeError(f"pilot letters {block['letters']} differ from {DISPATCH}")
    return block


def build_manifest(cfg: UnitsConfig, units_file: Path, seed: int, end: date, units: dict) -> dict:
    units = {key: units[key] for key in cfg.units if key in units}
    return {
        "about": "Dữ liệu mẫu tổng hợp: mọi họ tên, số định danh (đầu 099) đều là giả định. "
        "Sinh bằng scripts/make_sample.py; không sửa tay.",
        "generator": "scripts/make_sample.py",
        "seed": seed,
        "units_file": display_path(units_file),
        "scheme": cfg.scheme,
        "end": end.isoformat(),
        "outcomes": list(SAMPLE_OUTCOMES),
        "pilot": pilot_block(cfg, units),
        "totals": sum_counts(unit["totals"] for unit in units.values()),
        "units": units,
    }


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.name


def generate(cfg: UnitsConfig, units_file: Path, out: Path, seed: int, end: date, only) -> dict:
    """Write the units' folders and the manifest under ``out``; returns the manifest."""
    units = {}
    for index, (key, unit) in enumerate(cfg.units.items()):
        start = unit.rollout.letters_start
        if (only and key not in only) or start is None or start > end:
            continue
        units[key] = generate_unit(cfg, unit, index, seed, end, out)
    if not units:
        raise SystemExit(f"Không đơn vị nào bắt đầu gửi thư trước ngày {end.isoformat()}.")
    manifest_path = out / MANIFEST
    if only and manifest_path.exists():
        previous = json.loads(manifest_path.read_text(encoding="utf-8"))
        same = (previous.get("seed"), previous.get("scheme"), previous.get("end"))
        if same != (seed, cfg.scheme, end.isoformat()):
            raise SystemExit(f"{manifest_path} comes from another run: regenerate every unit.")
        units = previous["units"] | units
    manifest = build_manifest(cfg, units_file, seed, end, units)
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    manifest_path.write_bytes(text.encode("utf-8"))
    return manifest


def generated_files(folder: Path, keys) -> dict[str, bytes]:
    found = {}
    for key in keys:
        if (folder / key).is_dir():
            for path in sorted((folder / key).iterdir()):
                if EXPORT_NAME.match(path.name):
                    found[f"{key}/{path.name}"] = path.read_bytes()
    if (folder / MANIFEST).exists():
        found[MANIFEST] = (folder / MANIFEST).read_bytes()
    return found


def check(cfg: UnitsConfig, units_file: Path, out: Path, seed: int, end: date) -> int:
    """0 when ``out`` holds exactly what a fresh run writes, else 1 with the differences."""
    with tempfile.TemporaryDirectory() as tmp:
        generate(cfg, units_file, Path(tmp), seed, end, None)
        fresh = generated_files(Path(tmp), cfg.units)
    committed = generated_files(out, cfg.units)
    differ = sorted(
        name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name)
    )
    for name in differ:
        state = "missing" if name not in committed else "extra" if name not in fresh else "differs"
        print(f"{state}: {out / name}")
    print("sample is up to date" if not differ else f"{len(differ)} file(s) differ")
    return 1 if differ else 0


def print_summary(manifest: dict, out: Path) -> None:
    print(f"{'unit':<16}{'rows':>6}{'letters':>9}  others")
    for key, unit in manifest["units"].items():
        totals = unit["totals"]
        others = ", ".join(f"{n} {totals[n]}" for n in SAMPLE_OUTCOMES[1:] if totals[n])
        print(f"{key:<16}{totals['rows']:>6}{totals[LETTER]:>9}  {others}")
    if manifest["pilot"]:
        print(f"pilot {manifest['pilot']['period']}: letters {manifest['pilot']['letters']}")
    print(f"written under {out}")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", default=str(REPO_ROOT / "inputs" / "units.yaml"))
    parser.add_argument(
        "--out", help="folder for <unit>/ and the manifest (default: next to --units)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2024, 12, 31))
    parser.add_argument("--units-only", help="comma-separated unit keys (others left as they are)")
    parser.add_argument("--check", action="store_true", help="compare --out with a fresh run")
    parser.add_argument("--list-headers", action="store_true", help="print HEADER_VARIANTS")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.list_headers:
        print(json.dumps(HEADER_VARIANTS, ensure_ascii=False, indent=1))
        return 0
    units_file = Path(args.units)
    try:
        cfg = load_units(units_file)
    except HcpvndError as error:
        print(error.message, file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else units_file.parent
    only = {key.strip() for key in args.units_only.split(",")} if args.units_only else None
    unknown = sorted((only or set()) - set(cfg.units))
    if unknown:
        print(f"Không có đơn vị {', '.join(unknown)} trong {units_file}.", file=sys.stderr)
        return 2
    if args.check:
        return check(cfg, units_file, out, args.seed, args.end)
    manifest = generate(cfg, units_file, out, args.seed, args.end, only)
    print_summary(manifest, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
