"""The parity suite's catalogue: one template per docxtpl tag and Word field kind, built by
``word_templates.py``, each with what a letter must show.

- ``DOCXTPL``: the text docxtpl (autoescape on) gives, compared part by part (body, headers,
  footers, footnotes, document properties);
- a list of lines: what Word's mail merge shows (docxtpl cannot evaluate Word fields), or
  where docxtpl's own output is wrong (``note`` says how);
- ``Refused(code, …)``: ``hcpvnd templates check`` and every run refuse the template with that
  coded Vietnamese message, naming what is quoted.

Print the table (kind → result, docxtpl, after a LibreOffice round trip, on the PDF page):

    .venv/bin/python tests/template_parity.py
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from docxtpl import DocxTemplate, Listing, RichText
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from word_templates import (  # noqa: E402
    Xml,
    add,
    blank,
    bound_title,
    field,
    footnote,
    if_field,
    lines,
    merge,
    paragraph,
    run,
    table,
)

from hcpvnd_utils import pdf  # noqa: E402
from hcpvnd_utils.letters.templates import (  # noqa: E402
    check_template,
    compile_for_run,
    sample_context,
)

EVENT = "khai_sinh"
DOCXTPL = "docxtpl"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = "Thôn 1 & 2 <Khu A>\nxóm\tB, " + unicodedata.normalize("NFD", "Hường")


@dataclass
class Refused:
    code: str
    mentions: tuple[str, ...] = ()


@dataclass
class Kind:
    name: str
    build: Callable
    expect: object  # DOCXTPL, list of body lines, or Refused
    context: dict = dataclass_field(default_factory=dict)
    warning: str = ""  # a warning code the check gives (the template still works)
    note: str = ""  # how docxtpl's text differs, when it does
    after_lo: list | None = None  # the body Word shows once LibreOffice saved the template


# ---------------------------------------------------------------- the templates


def _doc(*texts: str):
    return lines(blank(), *texts)


def _paragraphs(*xml: str):
    doc = blank()
    for one in xml:
        add(doc, one)
    return doc


def _table_doc(*rows: list[str], before: str = ""):
    doc = blank()
    if before:
        doc.add_paragraph(before)
    table(doc, list(rows))
    doc.add_paragraph("Hết bảng.")
    return doc


def _header_footer():
    doc = _doc("Cháu {{ ho_ten_tre }}.")
    doc.sections[0].header.paragraphs[0].text = "Thư gửi {{ kinh_gui }}"
    doc.sections[0].footer.paragraphs[0].text = "{{ ten_ubnd }}, {{ ngay_thu }}"
    return doc


def _footnotes():
    doc = blank()
    footnote(
        doc,
        "Cháu {{ ho_ten_tre }}",
        "Sinh ngày {{ ngay_sinh_tre }} & đăng ký ngày {{ ngay_dang_ky }}.",
    )
    return doc


def _properties():
    doc = _doc("Kính gửi: {{ kinh_gui }}")
    doc.core_properties.title = "Thư gửi {{ ho_ten_tre }}"
    doc.core_properties.subject = "Thư chúc mừng {{ ten_don_vi }}"
    bound_title(doc, "Thư gửi {{ ho_ten_tre }}")
    return doc


def _docproperty_field():
    doc = _paragraphs(paragraph(field(" DOCPROPERTY Title \\* MERGEFORMAT ", shown="Thư mẫu")))
    doc.core_properties.title = "Thư gửi {{ ho_ten_tre }}"
    return doc


def _page_footer():
    doc = _doc("Cháu {{ ho_ten_tre }}.")
    footer = doc.sections[0].footer.paragraphs[0]
    pieces = (run("Trang "), field(" PAGE ", shown="1"), run(" / "), field(" NUMPAGES ", shown="1"))
    for piece in pieces:
        for element in etree.fromstring(_wrap(piece.xml)):
            footer._p.append(element)
    return doc


def _wrap(xml: str) -> str:
    return f'<w:p xmlns:w="{W[1:-1]}">{xml}</w:p>'


def _split_runs():
    return _paragraphs(
        paragraph(run("Cháu {{ ho_"), run("ten_", bold=True), run("tre }} chào đời.")),
        paragraph(run("{%p if co_"), run("cha %}")),
        paragraph("Cha: {{ ho_ten_cha }}"),
        paragraph("{%p endif %}"),
    )


def _spanning_if():
    start = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>'
    rest = (
        merge("gioi_tinh_tre").xml
        + '<w:r><w:instrText xml:space="preserve"> = "Nam" "cháu trai" "cháu gái" </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:t>trai</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    return _paragraphs(paragraph("Chúc ", Xml(start)), paragraph(Xml(rest)), paragraph(Xml(end)))


def _refused(name: str):
    return lambda: _paragraphs(
        paragraph("Kính gửi: ", merge("kinh_gui")), paragraph("Ghi chú ", field(name, shown="x"))
    )


M = merge  # short names for the catalogue below
_NOTE_ONLY = ["Kính gửi: Anh Nguyễn Văn Cường và chị Trần Thị Bích Ngọc", "Ghi chú"]
KINDS = [
    # ---------------------------------------------------------------- docxtpl's tags
    Kind("{{ }} and filters, hostile value", lambda: _doc(
        "Cháu {{ ho_ten_tre }}", "Địa chỉ: {{ dia_chi }}", "Lọc e: {{ dia_chi|e }}",
        "Lọc upper: {{ ten_xa|upper }}", "Mặc định: {{ quyen_so|default('chưa có', true) }}"),
        DOCXTPL, {"dia_chi": HOSTILE, "quyen_so": ""}),
    Kind("{% if %} in a sentence", lambda: _doc(
        "Kính gửi: {% if co_cha %}{{ danh_xung_cha|capitalize }} {{ ho_ten_cha }} và {% endif %}"
        "{{ danh_xung_me }} {{ ho_ten_me }}{% if not co_cha %} (mẹ){% else %}.{% endif %}"), DOCXTPL),
    Kind("{%p if %} / {%p else %}", lambda: _doc(
        "{%p if co_cha %}", "Cha: {{ ho_ten_cha }}", "{%p else %}", "Không có cha", "{%p endif %}",
        "Mẹ: {{ ho_ten_me }}"), DOCXTPL, {"co_cha": False}),
    Kind("{%tr for %} and {%tr if %}", lambda: _table_doc(
        ["{%tr for x in ['Cha', 'Mẹ'] %}", ""], ["{{ x }}", "{{ ho_ten_tre }}"],
        ["{%tr endfor %}", ""], ["{%tr if co_cha %}", ""], ["Cha", "{{ ho_ten_cha }}"],
        ["{%tr endif %}", ""]), DOCXTPL),
    Kind("{%tc for %} column loop (grid)", lambda: _table_doc(
        ["Người", "{%tc for c in ['Cha', 'Mẹ', 'Trẻ', 'Ông'] %}", "{{ c }} {{ ten_xa }}", "{%tc endfor %}"],
        ["Tên", "{%tc for c in ['A', 'B', 'C', 'D'] %}", "{{ c }}", "{%tc endfor %}"]), DOCXTPL),
    Kind("{%r %}", lambda: _doc("Cha: {%r if co_cha %}có, {{ ho_ten_cha }}{%r endif %}; mẹ: có"), DOCXTPL),
    Kind("{{r x }} with text", lambda: _doc("Cháu {{r ho_ten_tre }} chào đời."),
         ["Cháu Nguyễn Minh Khôi chào đời."], note="docxtpl puts the text outside any run: no reader shows it"),
    Kind("{{p x }} with text", lambda: _doc("Kính gửi:", "{{p kinh_gui }}"),
         ["Kính gửi:", "Anh Nguyễn Văn Cường và chị Trần Thị Bích Ngọc"],
         note="docxtpl puts the text outside any paragraph: no reader shows it"),
    Kind("{%- -%} joining paragraphs", lambda: _doc(
        "Kính gửi:", "{%- if co_cha %} {{ danh_xung_cha }} {{ ho_ten_cha }}{% endif %}", "Trân trọng."),
        DOCXTPL),
    Kind("{# #} and {#p #} comments", lambda: _doc(
        "Cháu {{ ho_ten_tre }}{# ghi chú cho cán bộ #}.", "{#p đoạn này chỉ cán bộ đọc #}", "Hết."), DOCXTPL),
    Kind("{% colspan %}", lambda: _table_doc(
        ["{% colspan 2 %}{{ ten_don_vi }}"], ["Trẻ", "{{ ho_ten_tre }}"]), DOCXTPL),
    Kind("{% hm %} in a column loop", lambda: _table_doc(
        ["{%tc for c in ['A', 'B', 'C'] %}", "{% hm %}Gộp: {{ ten_xa }}", "{%tc endfor %}"],
        ["{%tc for c in ['A', 'B', 'C'] %}", "{{ c }}", "{%tc endfor %}"]), DOCXTPL),
    Kind("{% vm %} in a row loop", lambda: _table_doc(
        ["{%tr for c in ['Cha', 'Mẹ'] %}", ""], ["{% vm %}{{ ho_ten_tre }}", "{{ c }}"],
        ["{%tr endfor %}", ""]), DOCXTPL),
    Kind("{% cellbg %}", lambda: _table_doc(["{% cellbg 'FFCC00' %}{{ ten_xa }}", "Trẻ"]), DOCXTPL),
    Kind("& in a tag's string literal", lambda: _doc(
        'Gửi: {{ quyen_so|default("Ông & Bà", true) }}',
        '{% if dia_chi == "R&D" %}đúng R&D{% else %}sai{% endif %}'),
        ["Gửi: Ông & Bà", "đúng R&D"], {"quyen_so": "", "dia_chi": "R&D"},
        note="docxtpl hands jinja &amp;: prints “Ông &amp; Bà”, compares with “R&amp;D”"),
    Kind("{_{ }_} escaped braces", lambda: _doc("Gõ {_{ ten_truong }_} để in {{ ten_xa }}."), DOCXTPL),
    Kind("header and footer tags", _header_footer, DOCXTPL),
    Kind("footnote tags", _footnotes, DOCXTPL),
    Kind("document properties + bound content control", _properties, DOCXTPL),
    Kind("a tag split over runs", _split_runs, DOCXTPL),
    Kind("RichText and Listing values", lambda: _doc(
        "Cháu {{r ho_ten_tre }} chào đời.", "Địa chỉ: {{ dia_chi }}"), DOCXTPL,
        {"ho_ten_tre": RichText("Nguyễn Minh Khôi", bold=True),
         "dia_chi": Listing("thôn Phú Mỹ 1 & 2\nxã Phước Thành")}),
    # ---------------------------------------------------------------- Word's merge fields
    Kind("MERGEFIELD (w:fldSimple)", lambda: _paragraphs(
        paragraph("Cháu ", M("ho_ten_tre", simple=True), " chào đời.")),
        ["Cháu Nguyễn Minh Khôi chào đời."]),
    Kind("MERGEFIELD, Vietnamese name, split runs", lambda: _paragraphs(paragraph(
        "Cháu ", field(" MERGEFIELD ", '"Họ tên trẻ"', " \\* MERGEFORMAT ", shown="«Họ tên trẻ»"))),
        ["Cháu Nguyễn Minh Khôi"]),
    Kind("MERGEFIELD \\b \\f", lambda: _paragraphs(paragraph(
        M("ho_ten_cha", '\\b "Cha: " \\f "."'), M("quyen_so", '\\b " Quyển "'))),
        ["Cha: Nguyễn Văn Cường."], {"quyen_so": ""}, after_lo=["Nguyễn Văn Cường"]),
    Kind("MERGEFIELD \\* Upper Lower Caps FirstCap", lambda: _paragraphs(
        paragraph(M("ten_xa", "\\* Upper")), paragraph(M("ten_xa", "\\* Lower")),
        paragraph(M("dia_chi", "\\* Caps")), paragraph(M("kinh_gui", "\\* FirstCap"))),
        ["PHƯỚC THÀNH", "phước thành", "Thôn Phú Mỹ 1, Xã Phước Thành", "Anh Lê Văn Tám"],
        {"dia_chi": "thôn Phú Mỹ 1, xã phước Thành", "kinh_gui": "anh Lê Văn Tám"},
        after_lo=["Phước Thành", "Phước Thành", "thôn Phú Mỹ 1, xã phước Thành", "anh Lê Văn Tám"]),
    Kind("MERGEFIELD \\@ date pictures", lambda: _paragraphs(
        paragraph(M("ngay_sinh_tre", '\\@ "dd/MM/yyyy"')),
        paragraph("ngày ", M("ngay_dang_ky", "\\@ \"dd 'tháng' MM 'năm' yyyy\"")),
        paragraph(M("ngay_dang_ky", '\\@ "dddd, d MMMM yyyy"'))),
        ["15/10/2024", "ngày 04 tháng 11 năm 2024", "Thứ Hai, 4 tháng Mười Một 2024"],
        after_lo=["15/10/2024", "ngày 04/11/2024", "04/11/2024"]),
    Kind("MERGEFIELD \\# numeric pictures", lambda: _paragraphs(
        paragraph(M("so_dang_ky", '\\# "#,##0"')), paragraph(M("so_dang_ky", '\\# "#.##0"')),
        paragraph(M("so_dang_ky", '\\# "000000"')), paragraph(M("quyen_so", '\\# "000"'))),
        ["1,234", "1.234", "001234", "01/2024"], {"so_dang_ky": "1234"},
        after_lo=["1234", "1234", "1234", "01/2024"]),
    Kind("IF = with text (Rules › If…Then…Else)", lambda: _paragraphs(
        paragraph("Chúc mừng gia đình có thêm ",
                  if_field(M("gioi_tinh_tre"), "=", '"Nam"', '"cháu trai"', '"cháu gái"', "\\* MERGEFORMAT"), "."),
        paragraph(if_field(M("gioi_tinh_tre"), "=", '"Nữ"', '"Con gái"', '"Con trai"'))),
        ["Chúc mừng gia đình có thêm cháu trai.", "Con trai"]),
    Kind("IF <> < > on numbers", lambda: _paragraphs(
        paragraph(if_field(M("so_dang_ky"), ">", "99", '"lớn"', '"nhỏ"')),
        paragraph(if_field(M("so_dang_ky"), "<", "99", '"lớn hơn"', '"không nhỏ hơn"')),
        paragraph(if_field(M("so_dang_ky"), "<>", '"101"', '"khác"', '"bằng"'))),
        ["lớn", "không nhỏ hơn", "bằng"]),
    Kind("IF with MERGEFIELDs in its results", lambda: _paragraphs(paragraph(
        "Kính gửi: ", if_field(M("danh_xung_cha"), "=", '"anh"', ['"Anh ', M("ho_ten_cha"), '"'],
                               ['"Ông ', M("ho_ten_cha"), '"']))),
        ["Kính gửi: Anh Nguyễn Văn Cường"]),
    Kind("nested IF", lambda: _paragraphs(paragraph(if_field(
        M("gioi_tinh_tre"), "=", '"Nam"',
        ['"', if_field(M("danh_xung_cha"), "=", '"anh"', '"bé trai, con anh"', '"bé trai, con ông"'), '"'],
        '"bé gái"'))), ["bé trai, con anh"]),
    Kind("IF on a quoted field, wildcard", lambda: _paragraphs(paragraph(if_field(
        ['"', M("ho_ten_me"), '"'], "=", '"Trần*"', '"họ Trần"', '"họ khác"'))), ["họ Trần"]),
    Kind("QUOTE with a field", lambda: _paragraphs(paragraph(field(
        ' QUOTE "Kính gửi ', M("kinh_gui"), '" \\* Upper ', shown="x"))),
        ["KÍNH GỬI ANH NGUYỄN VĂN CƯỜNG VÀ CHỊ TRẦN THỊ BÍCH NGỌC"]),
    Kind("PAGE and NUMPAGES in the footer", _page_footer, DOCXTPL),
    Kind("DOCPROPERTY Title", _docproperty_field, ["Thư gửi Nguyễn Minh Khôi"]),
    Kind("MERGEFIELDs named after export headers", lambda: _paragraphs(
        paragraph("Cháu ", M("Họ_và_tên"), ", đăng ký ngày ", M("Ngày_ĐK"), ".")),
        ["Cháu Nguyễn Minh Khôi, đăng ký ngày 04/11/2024."], warning="W-TPL-02"),
    # ---------------------------------------------------------------- refused before any letter
    Kind("MERGEFIELD named None, True, self, not", lambda: _paragraphs(paragraph(
        M("None"), " ", M("True"), " ", M("self"), " ", M("not"))),
        Refused("E-TPL-02", ("“None”", "“True”", "“self”", "“not”"))),
    *[Kind(f"{name} field", _refused(code), Refused("E-TPL-07", (name, "Ghi chú")),
           after_lo=_NOTE_ONLY if name in ("NEXT", "NEXTIF") else None)
      for name, code in [("NEXT", " NEXT "), ("NEXTIF", ' NEXTIF { MERGEFIELD so } > 1 '),
                         ("SKIPIF", ' SKIPIF "a" = "b" '), ("ASK", ' ASK ten "Nhập tên:" '),
                         ("FILLIN", ' FILLIN "Nhập tên:" '), ("DATABASE", " DATABASE \\d \"C:\\\\ds.xlsx\" "),
                         ("DATE", ' DATE \\@ "dd/MM/yyyy" ')]],
    Kind("\\* CardText switch", lambda: _paragraphs(paragraph("Số ", M("so_dang_ky", "\\* CardText"))),
         Refused("E-TPL-07", ("CardText",)), after_lo=["Số 101"]),
    Kind("IF spanning paragraphs", _spanning_if, Refused("E-TPL-07", ("nhiều đoạn",))),
    Kind("{{ kinh_gui } one-brace typo", lambda: _doc(
        "Kính gửi: {{ kinh_gui }", "{%p if dia_chi %}", "Địa chỉ: {{ dia_chi }}", "{%p endif %}",
        "Trân trọng."), Refused("E-TPL-01", ("Kính gửi: {{ kinh_gui }",))),
    Kind("{ kinh_gui }} typo", lambda: _doc("Kính gửi: { kinh_gui }}", "Trân trọng."),
         Refused("E-TPL-01", ("{ kinh_gui }}",))),
    Kind("{%p if %} sharing its paragraph", lambda: _doc(
        "Địa chỉ: {{ dia_chi }} {%p if co_cha %}", "Cha: {{ ho_ten_cha }}", "{%p endif %}"),
        Refused("E-TPL-01", ("Địa chỉ:",))),
    Kind("text swallowed by {%-", lambda: _doc(
        "Kính gửi:", "Xin chào {%- if co_cha %} {{ ho_ten_cha }}{% endif %}", "Trân trọng."),
        Refused("E-TPL-08", ("Xin chào",))),
]  # fmt: skip


# ---------------------------------------------------------------- reading the outputs


def context_of(kind: Kind) -> dict:
    return sample_context(EVENT) | kind.context


def _line(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _paragraph_lines(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    found = []
    for p in root.iter(f"{W}p"):
        pieces = []
        for node in p.iter(f"{W}t", f"{W}br", f"{W}tab", f"{W}p"):
            if node is p or _owner(node) is not p:
                continue
            pieces.append(node.text or "" if node.tag == f"{W}t" else " ")
        if line := _line("".join(pieces)):
            found.append(line)
    return found


def _owner(node):
    parent = node.getparent()
    while parent is not None and parent.tag != f"{W}p":
        parent = parent.getparent()
    return parent


def part_texts(data: bytes) -> dict[str, list[str]]:
    """The text of every part a reader shows: body, headers, footers, footnotes, properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(zf.namelist())
        texts = {"body": _paragraph_lines(zf.read("word/document.xml"))}
        for kind in ("header", "footer", "footnotes", "endnotes"):
            texts[kind] = [
                line
                for name in names
                if re.fullmatch(rf"word/{kind}\d*\.xml", name)
                for line in _paragraph_lines(zf.read(name))
            ]
        core = (
            etree.fromstring(zf.read("docProps/core.xml")) if "docProps/core.xml" in names else None
        )
    texts["properties"] = sorted(
        f"{etree.QName(node).localname}: {_line(node.text)}"
        for node in (core if core is not None else [])
        if etree.QName(node).localname in ("title", "subject") and node.text
    )
    return texts


def check(path: Path):
    """The check's problems for a template (what `hcpvnd templates check` prints)."""
    return check_template(path, EVENT)


def ours(path: Path, context: dict) -> bytes:
    """The letter a run makes with this template (the run's own compile and check)."""
    with tempfile.TemporaryDirectory(prefix="hcpvnd-kind-") as folder:
        shutil.copy(path, Path(folder) / f"{EVENT}.docx")
        compiled = compile_for_run(Path(folder), "phuoc-thanh", [EVENT])[EVENT]
    return compiled.render_bytes(context)


def theirs(path: Path, context: dict) -> bytes:
    template = DocxTemplate(str(path))
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def build_all(folder: Path) -> dict[str, Path]:
    """Every kind's template as ``folder/NN.docx`` (ASCII names, for LibreOffice)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for number, kind in enumerate(KINDS):
        path = folder / f"{number:02d}.docx"
        kind.build().save(str(path))
        paths[kind.name] = path
    return paths


def libreoffice_round_trip(paths: list[Path], out: Path) -> dict[Path, Path]:
    """Each template opened and saved as .docx by LibreOffice, in one soffice call."""
    soffice = pdf.find_soffice()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hcpvnd-lo-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
             *map(str, paths)],
            capture_output=True, timeout=300, check=False,
        )  # fmt: skip
    return {p: out / p.name for p in paths if (out / p.name).is_file()}


# ---------------------------------------------------------------- one kind's outcome


@dataclass
class Outcome:
    problems: list  # errors and warnings of the check
    texts: dict | None  # ours, when the template works
    docxtpl: dict | str | None  # docxtpl's texts, or its error

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == "error"]


def outcome(kind: Kind, path: Path, with_docxtpl: bool = True) -> Outcome:
    problems = check(path)
    context = context_of(kind)
    texts = None
    if not [p for p in problems if p.severity == "error"]:
        texts = part_texts(ours(path, context))
    docxtpl = None
    if with_docxtpl:
        try:
            docxtpl = part_texts(theirs(path, context))
        except Exception as exc:  # docxtpl's own failure, reported in the table
            docxtpl = f"{type(exc).__name__}"
    return Outcome(problems, texts, docxtpl)


def expected_texts(kind: Kind, result: Outcome) -> dict | list | None:
    if kind.expect == DOCXTPL:
        return result.docxtpl
    return kind.expect if isinstance(kind.expect, list) else None


def verdict(result: Outcome) -> tuple:
    """What a clerk gets: ("refused", codes) or ("letter", texts)."""
    if result.texts is None:
        return ("refused", tuple(sorted({p.code for p in result.errors})))
    return ("letter", result.texts)


def describe(kind: Kind, result: Outcome) -> str:
    outcome_is, detail = verdict(result)
    if outcome_is == "refused":
        return "refused: " + ", ".join(detail)
    if isinstance(kind.expect, Refused):
        return "NOT REFUSED"
    warned = f" (+ {kind.warning})" if kind.warning else ""
    if kind.expect == DOCXTPL:
        return ("identical to docxtpl" + warned) if detail == result.docxtpl else "DIFFERS"
    return ("as Word shows it" + warned) if detail["body"] == kind.expect else "DIFFERS"


def after_libreoffice(kind: Kind, original: Outcome, after: Outcome) -> str:
    """The same template once LibreOffice opened and saved it."""
    before, now = verdict(original), verdict(after)
    if now[0] == "refused":
        return "refused: " + ", ".join(now[1]) + (" (as before)" if now == before else "")
    if now == before:
        return "same as before"
    warned = {p.code for p in after.problems} & {"W-TPL-03"}
    if kind.after_lo is not None and now[1]["body"] == kind.after_lo:
        return "LibreOffice dropped it; as Word shows the saved file" + (
            " (+ W-TPL-03)" if warned else ""
        )
    return "DIFFERS"


def docxtpl_column(kind: Kind, result: Outcome) -> str:
    if isinstance(result.docxtpl, str):
        return f"error ({result.docxtpl})"
    if kind.expect == DOCXTPL:
        return "same text"
    if isinstance(kind.expect, list) and result.docxtpl["body"] == kind.expect:
        return "same text"
    if kind.note:
        return kind.note
    if isinstance(kind.expect, Refused):
        return "renders without any error"
    return "leaves the field's cached result"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hcpvnd-parity-") as work:
        work = Path(work)
        paths = build_all(work / "templates")
        round_trip = libreoffice_round_trip(list(paths.values()), work / "libreoffice")
        rows, outputs = [], []
        for kind in KINDS:
            result = outcome(kind, paths[kind.name])
            after = round_trip.get(paths[kind.name])
            lo = (
                after_libreoffice(kind, result, outcome(kind, after, False)) if after else "no file"
            )
            if result.texts is not None:
                out = work / "out" / paths[kind.name].name
                out.parent.mkdir(exist_ok=True)
                out.write_bytes(ours(paths[kind.name], context_of(kind)))
                outputs.append((kind, out, result))
            rows.append([kind.name, describe(kind, result), docxtpl_column(kind, result), lo])
        converted = pdf.convert([o for _, o, _ in outputs])
        on_page = {}
        for kind, out, result in outputs:
            made = converted.pdfs.get(out)
            text = _line(pdf.pdf_text(made) or "") if made else ""
            body = result.texts["body"]
            on_page[kind.name] = "all text" if all(line in text for line in body) else "MISSING"
        print("| kind | hcpvnd | docxtpl (autoescape) | after LibreOffice round trip | PDF |")
        print("|---|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join([*row, on_page.get(row[0], "—")]) + " |")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
