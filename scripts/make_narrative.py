"""The analyst's narrative shipped with the sample, for the pilot period (01/3/2024–31/5/2024).

Written the way an analyst would: ``hcpvnd narrative new`` makes the Word skeleton, then each
section is filled in with Word's own means — bold and italic, a bulleted and numbered lists, a
table, a footnote — and one annex of her own is added. The wording is synthetic and says so: an
example of what the district office writes, not a real office's text. ``make demo``'s pilot report
composes it. Deterministic: the same bytes every time (``--check`` compares with inputs/).

The helpers (``Writer``, ``fill``, ``add_footnote``) are used by the tests to write narratives too.

    .venv/bin/python scripts/make_narrative.py [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hcpvnd_utils.report.skeleton import new_narrative  # noqa: E402
from hcpvnd_utils.report.wordnarrative import heading_key  # noqa: E402

PILOT = "2024-03-01..2024-05-31"
ANNEX = "phu_luc_01_van_ban_trien_khai.docx"
FIXED_TIME = (2024, 6, 3, 8, 0, 0)
FIXED_MOMENT = datetime(*FIXED_TIME)


class Writer:
    """Adds content after ``cursor`` (an element of the body), in order."""

    def __init__(self, doc, cursor):
        self.doc, self.cursor = doc, cursor

    def _place(self, element):
        self.cursor.addnext(element)
        self.cursor = element
        return element

    def paragraph(self, *parts, style=None):
        """``parts``: text, or (text, "b"/"i"/"bi") for bold/italic runs."""
        paragraph = self.doc.add_paragraph(style=style)
        for part in parts:
            text, how = (part, "") if isinstance(part, str) else part
            run = paragraph.add_run(text)
            run.bold, run.italic = ("b" in how) or None, ("i" in how) or None
        self._place(paragraph._p)
        return paragraph

    def bullets(self, items):
        return [self.paragraph(item, style="List Bullet") for item in items]

    def numbered(self, items):
        return [self.paragraph(item, style="List Number") for item in items]

    def table(self, rows, style="Table Grid"):
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = self.doc.styles[style]
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                run = table.cell(r, c).paragraphs[0].add_run(str(value))
                run.bold = r == 0 or None
        self._place(table._tbl)
        return table

    def picture(self, path, width_cm: float):
        from docx.shared import Cm

        paragraph = self.doc.add_paragraph()
        paragraph.add_run().add_picture(str(path), width=Cm(width_cm))
        self._place(paragraph._p)
        return paragraph


def section_heading(doc, key: str):
    """The heading paragraph of a section (found by its words, as the report finds it)."""
    for paragraph in doc.paragraphs:
        if paragraph.style.name == "Heading 1" and heading_key(paragraph.text) == key:
            return paragraph
    raise KeyError(key)


def fill(doc, key: str, build) -> None:
    """Replace what is under a section's heading (its placeholder) by what ``build(writer)``
    writes."""
    heading = section_heading(doc, key)._p
    following = heading.getnext()
    while following is not None and following.tag != qn("w:sectPr"):
        style = following.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        if style is not None and style.get(qn("w:val")) == "Heading1":
            break
        nxt = following.getnext()
        following.getparent().remove(following)
        following = nxt
    build(Writer(doc, heading))


def add_footnote(doc, paragraph, text: str) -> None:
    """A footnote at the end of ``paragraph`` (python-docx has no footnote API: the part and the
    reference are written as Word writes them)."""
    part = next(
        (r.target_part for r in doc.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.FOOTNOTES),
        None,
    )
    if part is None:
        xml = (
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            "</w:r></w:p></w:footnote></w:footnotes>"
        )
        part = Part(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            xml.encode(),
            doc.part.package,
        )
        doc.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    tree = parse_xml(part.blob)
    number = str(len(tree.findall(qn("w:footnote"))) - 1)
    superscript = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    note = (
        f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:r>{superscript}<w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
    )
    tree.append(parse_xml(note))
    part._blob = serialize_part_xml(tree)
    reference = parse_xml(
        f'<w:r {nsdecls("w")}>{superscript}<w:footnoteReference w:id="{number}"/></w:r>'
    )
    paragraph._p.append(reference)


def fixed_zip(path: Path) -> None:
    """The same bytes every time: entries in their order, one fixed date."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)


# ---------------------------------------------------------------- the pilot's narrative (example)


def _settings(doc) -> None:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mục")
    values = {
        "Ngày báo cáo": ["05/6/2024"],
        "Nơi nhận thêm": ["Văn phòng UBND tỉnh (b/c)", "CT, các PCT UBND huyện"],
        "Lưu (đơn vị soạn thảo)": ["VP"],
    }
    for row in table.rows[1:]:
        lines = values.get(row.cells[0].text)
        if lines:
            row.cells[1].text = lines[0]
            for line in lines[1:]:
                row.cells[1].add_paragraph(line)


def _chi_dao(w: Writer) -> None:
    w.paragraph(("(Nội dung minh họa cho dữ liệu mẫu: các văn bản, hoạt động và ý kiến dưới đây "
                 "là giả định.)", "i"))  # fmt: skip
    w.paragraph(("Văn bản chỉ đạo đã ban hành. ", "b"),
                "Ủy ban nhân dân huyện ban hành Kế hoạch thực hiện mô hình và hướng dẫn các xã:")  # fmt: skip
    w.bullets([
        "Kế hoạch số 01/KH-UBND về thực hiện mô hình trên địa bàn huyện (minh họa);",
        "Công văn số 02/UBND-VP hướng dẫn mẫu Thư chúc mừng, Thư chia buồn (minh họa);",
        "Quyết định số 03/QĐ-UBND chọn 02 xã thực hiện thí điểm (minh họa).",
    ])  # fmt: skip
    w.paragraph("Công tác tuyên truyền được thực hiện như sau:")
    w.table([
        ["Hình thức", "Số lượt", "Ghi chú"],
        ["Loa truyền thanh xã", "24", "2 lượt mỗi tuần"],
        ["Hội nghị ra mắt mô hình", "2", "Phước Quang, Phước Nghĩa"],
        ["Tờ gấp tại bộ phận một cửa", "500", "phát cho người đến đăng ký"],
    ])  # fmt: skip


def _phan_anh(w: Writer) -> None:
    said = w.paragraph("Các gia đình nhận thư đều bày tỏ sự cảm ơn chính quyền địa phương; "
                       "chưa ghi nhận ý kiến phàn nàn nào")  # fmt: skip
    add_footnote(w.doc, said, "Theo sổ góp ý tại bộ phận một cửa của 02 xã (số liệu minh họa).")
    said.add_run(".")


def _assessment(doc) -> None:
    fill(doc, "danh_gia_uu_diem", lambda w: w.numbered([
        "Thư được trao cùng giấy tờ hộ tịch, đúng thời điểm người dân đến nhận kết quả.",
        "Nội dung thư ngắn gọn, trang trọng, phù hợp từng sự kiện.",
        "Số liệu gửi thư được tổng hợp tự động từ sổ theo dõi, không phải gõ lại.",
    ]))  # fmt: skip
    fill(doc, "han_che", lambda w: (
        w.paragraph("Bên cạnh kết quả đạt được, còn một số ", ("hạn chế", "b"), ":"),
        w.numbered([
            "Một số trường hợp đăng ký khai tử muộn nên thư chia buồn đến chậm.",
            "Dữ liệu xuất từ phần mềm hộ tịch còn sai sót nhỏ, phải sửa trước khi in thư.",
        ]),
    ))  # fmt: skip
    fill(doc, "nguyen_nhan", lambda w: w.paragraph(
        "Nguyên nhân chủ yếu là người dân ", ("chưa quen", "i"),
        " với việc đăng ký khai tử đúng hạn và công chức mới làm quen với quy trình.",
    ))  # fmt: skip


def write_pilot_narrative(inputs: Path) -> list[Path]:
    """The pilot's narrative and its annex under ``inputs``/narratives (overwritten)."""
    target = inputs / "narratives" / f"{PILOT.replace('..', '_')}.docx"
    target.unlink(missing_ok=True)
    path = new_narrative(PILOT, None, inputs).path
    doc = Document(str(path))
    doc.core_properties.created = doc.core_properties.modified = FIXED_MOMENT
    _settings(doc)
    fill(doc, "can_cu", lambda w: w.paragraph(
        "Thực hiện Kế hoạch số 01/KH-UBND của Ủy ban nhân dân huyện về thực hiện mô hình "
        "“Hành chính phục vụ người dân” (văn bản minh họa),"))  # fmt: skip
    fill(doc, "chi_dao", _chi_dao)
    fill(doc, "phan_anh", _phan_anh)
    _assessment(doc)
    fill(doc, "nhiem_vu", lambda w: w.numbered([
        "Nhân rộng mô hình ra 13/13 xã, thị trấn từ ngày 01/10/2024.",
        "Tập huấn công chức tư pháp – hộ tịch về xuất dữ liệu và in thư.",
        "Kiểm tra việc gửi thư tại các xã mỗi quý.",
    ]))  # fmt: skip
    fill(doc, "de_xuat", lambda w: w.paragraph(
        "Đề nghị Ủy ban nhân dân tỉnh hỗ trợ kinh phí in thư cho các xã (minh họa)."))  # fmt: skip
    doc.save(str(path))
    fixed_zip(path)
    return [path, write_annex(path.parent / PILOT.replace("..", "_"))]


def write_annex(folder: Path) -> Path:
    """An annex of the analyst's own: a title (Title style) and a table."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = FIXED_MOMENT
    doc.add_paragraph("Danh mục văn bản triển khai mô hình (minh họa)", style="Title")
    cursor = Writer(doc, doc.paragraphs[-1]._p)
    cursor.table([
        ["STT", "Văn bản", "Cơ quan ban hành", "Nội dung"],
        ["1", "Kế hoạch số 01/KH-UBND", "UBND huyện", "Thực hiện mô hình trên địa bàn huyện"],
        ["2", "Công văn số 02/UBND-VP", "UBND huyện", "Hướng dẫn mẫu thư"],
        ["3", "Kế hoạch số 04/KH-UBND", "UBND xã Phước Quang", "Thí điểm tại xã"],
        ["4", "Kế hoạch số 05/KH-UBND", "UBND xã Phước Nghĩa", "Thí điểm tại xã"],
    ])  # fmt: skip
    path = folder / ANNEX
    doc.save(str(path))
    fixed_zip(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "inputs", help="the inputs folder")
    parser.add_argument("--check", action="store_true", help="compare with inputs/, write nothing")
    args = parser.parse_args(argv)
    if not args.check:
        for path in write_pilot_narrative(args.out):
            print(path)
        return 0
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        inputs = Path(work) / "inputs"
        inputs.mkdir()
        shutil.copy(ROOT / "inputs" / "units.yaml", inputs / "units.yaml")
        made = write_pilot_narrative(inputs)
        shipped = [ROOT / "inputs" / p.relative_to(inputs) for p in made]
        differ = [
            s for p, s in zip(made, shipped) if not s.is_file() or p.read_bytes() != s.read_bytes()
        ]
    for path in differ:
        print(f"differs from the generator: {path.name}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
