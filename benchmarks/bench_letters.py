"""Letters: our compile-once engine against docxtpl, and print-file time. Prints figures only.

    .venv/bin/python benchmarks/bench_letters.py [--records 1000] [--template templates/khai_sinh.docx]

Then the same letters from a Word mail-merge version of the template (the default birth letter
plus an office's rules: IF fields with nested MERGEFIELDs, date, number and case switches),
rendered by our engine: its letters/s against the default template's.

Same template and the same synthetic records for both engines. Ours: compile once, then render and
write each letter to a temporary folder (under outputs/ unless --dir). docxtpl: what a clerk's script does per letter
(DocxTemplate(path), render, save). Goals (issue 3): >= 15x docxtpl per letter; a print file of
1,000 letters in <= 0.5 s, and 2,000 in <= 2.2x the 1,000 time.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate

from hcpvnd_utils import letterfields
from hcpvnd_utils.letters.engine import CompiledTemplate
from hcpvnd_utils.letters.printfile import print_file_bytes
from hcpvnd_utils.letters.templates import SAMPLE_UNIT

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE_MEN, MIDDLE_WOMEN = ["Văn", "Minh", "Quốc", "Đức", "Hữu"], ["Thị", "Thị Bích", "Ngọc", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Khôi", "Lan", "Mai", "Ngọc", "Phúc", "Tâm"]
HAMLETS = ["thôn Phú Mỹ 1", "thôn Lục Lễ", "thôn Mỹ Trung", "thôn Hưng Nghĩa & Kỳ Sơn"]


def synthetic_births(n: int, seed: int = 7) -> list[dict]:
    """Birth records as ingest gives them (synthetic names, ID numbers starting 099)."""
    rng = random.Random(seed)

    def name(middles):
        return f"{rng.choice(SURNAMES)} {rng.choice(middles)} {rng.choice(GIVEN)}"

    records = []
    for i in range(n):
        registered = date(2024, 11, 1) + timedelta(days=rng.randrange(30))
        record = {
            "reg_no": str(100 + i),
            "reg_date": registered,
            "child_full_name": name(MIDDLE_MEN + MIDDLE_WOMEN),
            "child_dob": registered - timedelta(days=rng.randrange(5, 60)),
            "child_pid": f"099{rng.randrange(10**9):09d}",
            "mother_full_name": name(MIDDLE_WOMEN),
            "mother_birth_year": rng.randrange(1980, 2004),
            "mother_residence": f"{rng.choice(HAMLETS)}, xã Phước Thành",
        }
        record["child_sex"] = "Nam" if i % 2 else "Nữ"  # (no draw: the names stay the same)
        if rng.random() > 0.1:  # one birth in ten without a father registered
            record["father_full_name"] = name(MIDDLE_MEN)
            record["father_birth_year"] = rng.randrange(1975, 2002)
        records.append(record)
    return records


def contexts_for(records: list[dict]) -> list[dict]:
    return [
        letterfields.letter_context("khai_sinh", r, SAMPLE_UNIT, {}, r["reg_date"]) for r in records
    ]


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def bench_ours(template_path: Path, contexts: list[dict], folder: Path, durable: bool) -> float:
    template = CompiledTemplate.from_path(template_path)

    def run():
        for i, context in enumerate(contexts):
            template.write(context, folder / f"{i:04d}.docx", durable=durable)

    return len(contexts) / timed(run)


def bench_docxtpl(template_path: Path, contexts: list[dict], folder: Path) -> float:
    def run():
        for i, context in enumerate(contexts):
            document = DocxTemplate(template_path)
            document.render(context, autoescape=True)
            document.save(folder / f"tpl_{i:04d}.docx")

    return len(contexts) / timed(run)


def bench_print_file(template_path: Path, contexts: list[dict], repeat: int = 5) -> float:
    template = CompiledTemplate.from_path(template_path)
    return min(timed(lambda: print_file_bytes(template, contexts)) for _ in range(repeat))


# An office's merge fields, as Word writes them (begin / instruction / separate / result / end)
_RUN = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
_CHAR = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
_INSTR = '<w:r><w:instrText xml:space="preserve">{}</w:instrText></w:r>'


def _field(*parts: str) -> str:
    """A field; a part starting with "<" is a nested field, anything else instruction text."""
    inner = "".join(p if p.startswith("<") else _INSTR.format(p) for p in parts)
    return (
        _CHAR.format("begin")
        + inner
        + _CHAR.format("separate")
        + _RUN.format("x")
        + _CHAR.format("end")
    )


def _merge(name: str, switches: str = "") -> str:
    return _field(f" MERGEFIELD {name} {switches} \\* MERGEFORMAT ")


MERGE_PARAGRAPHS = [
    _RUN.format("Gia đình vừa đón ")
    + _field(" IF ", _merge("gioi_tinh_tre"), ' = "Nam" "cháu trai" "cháu gái" ')
    + _RUN.format(" chào đời ngày ")
    + _merge("ngay_sinh_tre", "\\@ &quot;dd 'tháng' MM 'năm' yyyy&quot;"),
    _RUN.format("Kính gửi: ")
    + _field(" IF ", _merge("danh_xung_cha"), ' = "anh" "', _field(
        " IF ", _merge("co_cha"), ' = "True" "Anh ', _merge("ho_ten_cha"), '" "Chị"'), '" "Ông/Bà" ')
    + _RUN.format(", ")
    + _merge("ten_xa", "\\* Upper"),
    _RUN.format("Số đăng ký ") + _merge("so_dang_ky", '\\# "000000"')
    + _merge("quyen_so", '\\b " quyển "') + _RUN.format(" ngày ")
    + _merge("ngay_dang_ky", '\\@ "dddd, d MMMM yyyy"'),
]  # fmt: skip


def merge_version(template: Path, folder: Path) -> Path:
    """``template`` with an office's merge-field paragraphs added before its last section."""
    target = folder / f"tron_thu_{template.name}"
    shutil.copy(template, target)
    with zipfile.ZipFile(template) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    document = parts["word/document.xml"].decode("utf-8")
    added = "".join(f"<w:p>{p}</w:p>" for p in MERGE_PARAGRAPHS)
    at = document.rindex("<w:sectPr")
    parts["word/document.xml"] = (document[:at] + added + document[at:]).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return target


def bench_merge_fields(template: Path, contexts: list[dict], folder: Path, repeat: int = 3):
    """Letters/s rendering (no disk) the default template and its merge-field version,
    interleaved, best of ``repeat`` each (the machine is shared)."""
    merged = merge_version(template, folder)
    compiled = [CompiledTemplate.from_path(t) for t in (template, merged)]
    best = [0.0, 0.0]
    for _ in range(repeat):
        for index, one in enumerate(compiled):
            rate = len(contexts) / timed(lambda one=one: [one.render_bytes(c) for c in contexts])
            best[index] = max(best[index], rate)
    return best[0], best[1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--template", type=Path, default=ROOT / "templates" / "khai_sinh.docx")
    parser.add_argument(
        "--dir", type=Path, default=ROOT / "outputs", help="where the temporary folder goes"
    )
    args = parser.parse_args(argv)
    n = args.records
    contexts = contexts_for(synthetic_births(2 * args.records))
    first = contexts[: args.records]
    compile_time = timed(lambda: CompiledTemplate.from_path(args.template))
    rendering = CompiledTemplate.from_path(args.template)
    render_only = n / timed(lambda: [rendering.render_bytes(c) for c in first])
    args.dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        ours = bench_ours(args.template, first, Path(tmp), durable=False)
        ours_fsync = bench_ours(args.template, first, Path(tmp), durable=True)
        theirs = bench_docxtpl(args.template, first, Path(tmp))
        plain, merged = bench_merge_fields(args.template, first, Path(tmp))
    one = bench_print_file(args.template, first)
    two = bench_print_file(args.template, contexts)
    print(f"template: {args.template.name}, {n} synthetic records")
    print(f"compile once:            {compile_time * 1000:8.1f} ms")
    print(f"ours, render only:       {render_only:8.0f} letters/s   (no disk)")
    print(f"ours (render+write):     {ours:8.0f} letters/s")
    print(f"ours, fsync each file:   {ours_fsync:8.0f} letters/s   (write(..., durable=True))")
    print(f"docxtpl (load+render+save): {theirs:5.0f} letters/s")
    print(
        f"ratio:                   {ours / theirs:8.1f} x    (goal >= 15x)  {'ok' if ours >= 15 * theirs else 'MISSED'}"
    )
    print(
        f"print file {n} letters:  {one:8.3f} s    (goal <= 0.5 s)  {'ok' if one <= 0.5 else 'MISSED'}"
    )
    print(f"print file {2 * n} letters:  {two:8.3f} s")
    print(
        f"ratio {2 * n}/{n}:         {two / one:8.2f}      (goal <= 2.2)  {'ok' if two <= 2.2 * one else 'MISSED'}"
    )
    print(f"default template:        {plain:8.0f} letters/s   (render only, best of 3)")
    print(
        f"+ IF fields and switches:{merged:8.0f} letters/s   ({merged / plain:.2f} x the default)"
    )


if __name__ == "__main__":
    main()
