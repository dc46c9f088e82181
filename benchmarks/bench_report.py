"""The report with the analyst's Word narrative and three annexes of hers: time to compose it,
pages before/after, and PNG previews of pages with composed content. Prints figures only.

    .venv/bin/python benchmarks/bench_report.py [--repeat 5] [--dir DIR]

The pilot period's figures (54 births, 62 marriages, 21 deaths in two communes, recorded in a
real SQLite ledger), the shipped example narrative (inputs/narratives/), its annex and two more
(a table; a table with a picture). "Compose" is what a draft costs without its PDF: reading the
narrative and the annexes (python-docx), building the report, composing (docxcompose), saving.
"Before" is the pilot report as it was made before Word narratives: placeholders, no annex.
Goal (issue 16): compose <= 2 s without the PDF.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from docx import Document  # noqa: E402
from make_narrative import Writer  # noqa: E402
from report_fixtures import PILOT, pilot_place  # noqa: E402

from hcpvnd_utils.config import load_units  # noqa: E402
from hcpvnd_utils.pdf import convert  # noqa: E402
from hcpvnd_utils.report.build import load_story, report_document  # noqa: E402
from hcpvnd_utils.report.charts import report_charts, save_charts  # noqa: E402
from hcpvnd_utils.report.data import collect  # noqa: E402
from hcpvnd_utils.report.document import build_report, save  # noqa: E402
from hcpvnd_utils.report.narrative import Narrative  # noqa: E402

DAY = date(2024, 6, 5)


def place(work: Path) -> dict:
    """The pilot's figures, the shipped narrative and its annex, and two annexes more."""
    where = pilot_place(work)
    shutil.copytree(
        ROOT / "inputs" / "narratives", where["inputs"] / "narratives", dirs_exist_ok=True
    )
    folder = where["inputs"] / "narratives" / PILOT.label
    rows = [["Xã", "Khai sinh", "Kết hôn", "Khai tử"]] + [
        [f"Xã thứ {i}", str(10 + i), str(5 + i), str(3 + i)] for i in range(1, 14)
    ]
    _annex(folder / "phu_luc_02_so_lieu.docx", "Số liệu theo xã (minh họa)", rows)
    _annex(folder / "phu_luc_03_hinh_anh.docx", "Hình ảnh hội nghị (minh họa)", rows[:3], work)
    return where


def _annex(path: Path, title: str, rows, picture_dir: Path | None = None) -> None:
    doc = Document()
    doc.add_paragraph(title, style="Title")
    writer = Writer(doc, doc.paragraphs[-1]._p)
    writer.table(rows)
    if picture_dir is not None:
        from PIL import Image

        image = picture_dir / "hoi_nghi.png"
        Image.new("RGB", (1600, 900), (90, 120, 160)).save(image)
        writer.picture(image, 15)
    doc.save(str(path))


def compose_once(where: dict, charts: dict, target: Path) -> dict[str, float]:
    """One draft's document, timed by step (seconds)."""
    times, started = {}, time.perf_counter()
    config = load_units(where["inputs"] / "units.yaml")
    data = collect(config, PILOT, None, ledger=where["outputs"] / "ledger.sqlite",
                   outputs=where["outputs"])  # fmt: skip
    times["figures"] = time.perf_counter() - started
    step = time.perf_counter()
    story, _ = load_story(None, where["inputs"], PILOT, None)
    times["read narrative + annexes"] = time.perf_counter() - step
    step = time.perf_counter()
    document = report_document(data, story, charts, report_day=DAY)
    times["build + compose"] = time.perf_counter() - step
    step = time.perf_counter()
    save(document, target)
    times["save"] = time.perf_counter() - step
    times["total"] = time.perf_counter() - started
    return times


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))


def previews(pdf: Path, out: Path, wanted: list[int]) -> list[Path]:
    made = []
    for number in wanted:
        prefix = out / f"trang_{number}"
        subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", "80", "-png",
                        "-singlefile", str(pdf), str(prefix)], check=True)  # fmt: skip
        made.append(prefix.with_suffix(".png"))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="where the drafts and previews go (kept)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="hcpvnd-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    where = place(work / "place")
    config = load_units(where["inputs"] / "units.yaml")
    data = collect(config, PILOT, None, ledger=where["outputs"] / "ledger.sqlite",
                   outputs=where["outputs"])  # fmt: skip
    charts = save_charts(report_charts(data), work)
    runs = [compose_once(where, charts, work / "sau.docx") for _ in range(args.repeat)]
    print(
        f"Compose the pilot report with its Word narrative and 3 annexes ({args.repeat} runs, median):"
    )
    for step in runs[0]:
        print(f"  {step:<26} {statistics.median(r[step] for r in runs):6.3f} s")
    print(
        f"  goal: total <= 2 s without the PDF; size {(work / 'sau.docx').stat().st_size / 1024:.0f} KB"
    )

    before = save(build_report(data, Narrative(), charts, report_day=DAY), work / "truoc.docx")
    shipped, _ = load_story(None, ROOT / "inputs", PILOT, None)  # what make demo composes
    demo = save(report_document(data, shipped, charts, report_day=DAY), work / "demo.docx")
    done = convert([before, demo, work / "sau.docx"])
    if not done.pdfs:
        print("No LibreOffice: no page counts or previews.")
        return 0
    print("Pages of the pilot report:")
    print(f"  before (placeholders, no annex)                     {pages(done.pdfs[before]):3d}")
    print(f"  make demo's (shipped narrative, Phụ lục I–II)       {pages(done.pdfs[demo]):3d}")
    pdf_after = done.pdfs[work / "sau.docx"]
    print(f"  with 3 annexes of the analyst's (Phụ lục I–IV)      {pages(pdf_after):3d}")
    for png in previews(pdf_after, work, [2, 4]):
        print(f"Preview (check by eye): {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
