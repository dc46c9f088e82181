"""Review before signing: a draft is marked DỰ THẢO until approved; approval records who, when
and the hashes and writes the unmarked final; a change after approval never silently replaces it."""

import json
import shutil
from datetime import date, datetime

import pytest
from docx import Document
from report_fixtures import INPUTS_2024, PILOT, PILOT_LETTERS, record_letters, write_summary

from hcpvnd_utils.cli.main import main
from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.layout import APPROVALS
from hcpvnd_utils.report.document import extract_text, has_draft_mark
from hcpvnd_utils.report.text import NARRATIVE_KEYS
from hcpvnd_utils.review import approve as approval_module
from hcpvnd_utils.review import drafting as reporting
from hcpvnd_utils.safeio import sha256_file

WRITTEN = {key: f"Nội dung {key} do chuyên viên viết." for key in NARRATIVE_KEYS}
APPROVER = "Lê Minh Khang"


@pytest.fixture
def place(tmp_path):
    """inputs/ with the 2024 units file (and a narrative), outputs/ with the pilot's ledger and
    the pilot units' own summaries: a complete set of figures."""
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    (inputs / "narratives").mkdir(parents=True)
    shutil.copy(INPUTS_2024 / "units.yaml", inputs / "units.yaml")
    narrative = inputs / "narratives" / f"{PILOT.label}.yaml"
    narrative.write_text(json.dumps(WRITTEN, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    record_letters(outputs / "ledger.sqlite", PILOT_LETTERS)
    for unit, letters in PILOT_LETTERS.items():
        counts = {e: {"rows": n, "letters": n} for e, n in letters.items()}
        write_summary(outputs, PILOT, unit, counts)
    return {"inputs": inputs, "outputs": outputs, "narrative": narrative}


def report(place, **kw):
    return reporting.run_report(PILOT, inputs=place["inputs"], outputs=place["outputs"], pdf=False,
                                today=date(2024, 6, 5), **kw)  # fmt: skip


def approve(place, by=APPROVER):
    return approval_module.approve(PILOT, None, by, place["outputs"], pdf=False)


def test_draft_is_marked_and_approval_writes_the_unmarked_final(place):
    draft = report(place)
    assert draft.status == "du_thao" and draft.final is None
    assert has_draft_mark(Document(str(draft.draft)))
    assert draft.draft.parent.name == "du_thao"
    approval = approve(place)
    final = Document(str(approval.final_path))
    assert not has_draft_mark(final) and "DỰ THẢO" not in extract_text(final)
    assert approval.final_path.parent.name == "da_duyet"
    assert approval.messages[0].startswith("[I-APPROVE-01] Đã duyệt báo cáo tổng hợp")
    # the final is the reviewed draft, minus its mark
    assert (
        extract_text(final).splitlines()[2:]
        == extract_text(Document(str(draft.draft))).splitlines()[2:]
    )


def test_approval_records_who_when_and_the_hashes(place):
    draft = report(place)
    snapshot = json.loads((draft.draft.parent / "so_lieu.json").read_text(encoding="utf-8"))
    approval = approve(place)
    book = json.loads((draft.folder / APPROVALS).read_text(encoding="utf-8"))
    record = book["current"]
    assert record["approved_by"] == APPROVER
    assert datetime.fromisoformat(record["approved_at"]).tzinfo is not None
    assert record["document_sha256"] == sha256_file(approval.final_path)
    assert record["draft_sha256"] == sha256_file(draft.draft)
    assert record["figures_sha256"] == snapshot["figures_sha256"] == draft.data.sha256()
    assert record["narrative_sha256"] == snapshot["narrative_sha256"]
    assert book["history"] == [record]
    assert snapshot["figures"]["units"][4]["letters"] == {
        "khai_sinh": 30,
        "ket_hon": 35,
        "khai_tu": 12,
    }


def test_unchanged_inputs_keep_the_approved_report(place):
    report(place)
    approval = approve(place)
    before = sha256_file(approval.final_path)
    again = report(place)
    assert again.status == "da_duyet" and again.final == approval.final_path
    assert again.draft is None
    assert any(m.startswith("[I-REPORT-01]") and "không thay đổi" in m for m in again.messages)
    assert sha256_file(approval.final_path) == before


def test_a_change_after_approval_is_said_and_never_overwrites_the_approved_report(place):
    report(place)
    approval = approve(place)
    before = sha256_file(approval.final_path)
    record_letters(
        place["outputs"] / "ledger.sqlite", {"phuoc-quang": {"khai_sinh": 1}}, first_number=900
    )
    changed = report(place)
    assert changed.status == "thay_doi_sau_duyet"
    warning = next(m for m in changed.messages if m.startswith("[W-REPORT-01]"))
    assert "nhưng số liệu đã thay đổi sau khi duyệt" in warning
    assert "Bản đã duyệt được giữ nguyên, không bị ghi đè" in warning
    assert "hcpvnd approve --period 2024-03-01..2024-05-31 --by" in warning
    assert sha256_file(approval.final_path) == before  # untouched
    new_text = extract_text(Document(str(changed.draft)))
    assert "DỰ THẢO" in new_text and "55 trường hợp đăng ký khai sinh" in new_text
    assert "54 trường hợp đăng ký khai sinh" in extract_text(Document(str(approval.final_path)))


def test_a_narrative_change_after_approval_is_said_too(place):
    report(place)
    approve(place)
    place["narrative"].write_text(
        json.dumps({**WRITTEN, "han_che": "Khác."}, ensure_ascii=False), encoding="utf-8"
    )
    changed = report(place)
    assert any("nhưng nội dung nhận định đã thay đổi sau khi duyệt" in m for m in changed.messages)


def test_approving_again_keeps_the_earlier_approved_version(place):
    report(place)
    first = approve(place)
    record_letters(
        place["outputs"] / "ledger.sqlite", {"phuoc-nghia": {"ket_hon": 1}}, first_number=900
    )
    report(place)
    second = approve(place, by="Trần Văn Bình")
    book = json.loads((second.folder / APPROVALS).read_text(encoding="utf-8"))
    assert [r["approved_by"] for r in book["history"]] == [APPROVER, "Trần Văn Bình"]
    kept = list((second.folder / "lich_su").glob(f"*/{first.final_path.name}"))
    assert len(kept) == 1 and sha256_file(kept[0]) == first.document_sha256


def test_approving_the_same_draft_twice_changes_nothing(place):
    report(place)
    first = approve(place)
    second = approve(place, by="Người khác")
    assert second.approved_by == APPROVER and second.approved_at == first.approved_at
    assert second.messages[-1].startswith("[I-APPROVE-02]")


def test_a_draft_with_placeholders_is_not_approved(place):
    place["narrative"].unlink()
    draft = report(place)
    note = next(m for m in draft.messages if m.startswith("[I-REPORT-02]"))
    assert (
        f"hcpvnd narrative new --period 2024-03-01..2024-05-31 --inputs {place['inputs']}" in note
    )
    assert str(place["inputs"] / "narratives" / "2024-03-01_2024-05-31.docx") in note
    with pytest.raises(HcpvndError) as caught:
        approve(place)
    assert caught.value.code == "E-APPROVE-02"
    assert "còn 07 chỗ" in str(caught.value) or "còn 7 chỗ" in str(caught.value)
    assert not (draft.folder / "da_duyet").exists()


@pytest.mark.parametrize("where", ["body", "page header"])
def test_a_draft_with_dự_thảo_typed_in_it_is_not_approved(place, where):
    """The program's own mark is taken off; "DỰ THẢO" typed by someone would stay in the final."""
    draft = report(place)
    doc = Document(str(draft.draft))
    if where == "body":
        doc.add_paragraph("Bản DỰ THẢO lần 2, đã sửa theo ý kiến của lãnh đạo.")
    else:
        doc.sections[0].header.add_paragraph("DỰ THẢO — không phát hành")
    doc.save(str(draft.draft))
    with pytest.raises(HcpvndError) as caught:
        approve(place)
    assert caught.value.code == "E-APPROVE-05"
    assert str(draft.draft) in str(caught.value) and "xóa chữ “DỰ THẢO”" in str(caught.value)
    assert not (draft.folder / "da_duyet").exists() and not (draft.folder / APPROVALS).exists()


@pytest.mark.parametrize("by, code", [
    ("", "E-APPROVE-03"), ("  ", "E-APPROVE-03"),
    ("Họ và tên", "E-APPROVE-08"),  # the hint's words typed as given: kept for ever otherwise
    ("<họ tên người duyệt>", "E-APPROVE-08"), ("Khang", "E-APPROVE-08"), ("Lê Minh 2", "E-APPROVE-08"),
])  # fmt: skip
def test_approval_needs_a_name(place, by, code):
    draft = report(place)
    with pytest.raises(HcpvndError) as caught:
        approve(place, by=by)
    assert caught.value.code == code
    assert not (draft.folder / "da_duyet").exists() and not (draft.folder / APPROVALS).exists()
    approve(place, by="Nguyễn Thị Ánh-Tuyết")  # then a real name approves it
    assert (draft.folder / APPROVALS).exists()


def test_nothing_to_approve_without_a_draft(place):
    with pytest.raises(HcpvndError) as caught:
        approve(place)
    assert caught.value.code == "E-APPROVE-01"
    assert "hcpvnd report --period 2024-03-01..2024-05-31" in str(caught.value)


def test_a_hand_edited_draft_is_kept_aside(place):
    draft = report(place)
    doc = Document(str(draft.draft))
    doc.add_paragraph("Sửa tay.")
    doc.save(str(draft.draft))
    again = report(place)
    warning = next(m for m in again.messages if m.startswith("[W-REPORT-02]"))
    kept = list(draft.draft.parent.glob("*_sua_tay_*.docx"))
    assert len(kept) == 1 and str(kept[0]) in warning
    assert "Sửa tay." in extract_text(Document(str(kept[0])))


def test_an_approved_report_edited_afterwards_is_flagged(place):
    report(place)
    approval = approve(place)
    doc = Document(str(approval.final_path))
    doc.add_paragraph("Thêm sau khi duyệt.")
    doc.save(str(approval.final_path))
    again = report(place)
    assert any(m.startswith("[W-REPORT-03]") for m in again.messages)


def test_a_commune_report_is_approved_on_its_own(place):
    draft = report(place, unit="phuoc-quang", narrative=place["narrative"])
    assert draft.folder.name == "phuoc-quang"
    approval = approval_module.approve(
        PILOT, "phuoc-quang", "Đặng Văn Thành", place["outputs"], pdf=False
    )
    assert approval.unit == "phuoc-quang" and approval.final_path.is_file()


def test_a_draft_built_while_figures_were_missing_is_approved_only_knowingly(place):
    (place["outputs"] / PILOT.label / "phuoc-nghia" / "summary.json").unlink()  # not run yet
    draft = report(place)
    assert any(m.startswith("[W-REPORT-05]") for m in draft.messages)

    with pytest.raises(HcpvndError) as refused:
        approve(place)

    assert refused.value.code == "E-APPROVE-04"
    assert "Phước Nghĩa" in refused.value.message and "--accept-warnings" in refused.value.message
    assert not (draft.folder / "da_duyet").exists()

    approval = approval_module.approve(PILOT, None, APPROVER, place["outputs"], pdf=False,
                                       accept_warnings=True)  # fmt: skip

    assert approval.final_path.is_file()
    record = json.loads((draft.folder / APPROVALS).read_text(encoding="utf-8"))["current"]
    (accepted,) = record["accepted_warnings"]
    assert accepted.startswith("[W-REPORT-05]") and "Phước Nghĩa" in accepted
    assert any(m.startswith("[I-APPROVE-03]") for m in approval.messages)


@pytest.mark.slow
def test_the_report_and_approve_commands(place, capsys):
    options = ["--inputs", str(place["inputs"]), "--outputs", str(place["outputs"])]
    code = main(["report", "--period", "2024-03-01..2024-05-31", *options])
    shown = capsys.readouterr().out
    assert code == 0, shown
    assert "Tổng cộng       54         62       21       137" in shown
    assert "[I-REPORT-03] Đã lập bản dự thảo báo cáo tổng hợp" in shown
    executed = place["outputs"] / PILOT.label / "report" / "notebooks" / "bao_cao_tong_hop.ipynb"
    assert executed.is_file()
    code = main(["approve", "--period", "2024-03-01..2024-05-31", "--by", APPROVER,
                 "--outputs", str(place["outputs"])])  # fmt: skip
    assert code == 0 and "[I-APPROVE-01]" in capsys.readouterr().out
