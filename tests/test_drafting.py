"""Drafting questions from a plan: reading plans, the drafts' shape, determinism, the reviewer's
judgments (which must match what the drafter produces now) and the figures in the docs."""

import collections
import dataclasses
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import pytest
from factories import report_script

from question_bank.cells import fold
from question_bank.drafting import (
    Draft,
    PlanUnreadable,
    catalogue,
    draft_questions,
    drafts_workbook,
    read_plan,
)
from question_bank.drafting.measure import count, total
from question_bank.drafting.plan import Plan, fold_ws
from question_bank.template import HEADERS
from question_bank.xlsx_import import parse_xlsx

ROOT = Path(__file__).resolve().parents[1]
PLANS = Path(__file__).resolve().parents[2] / "shared" / "plans"
PLAN_FILES = sorted(PLANS.glob("*.txt")) if PLANS.is_dir() else []
DOCS = ROOT / "docs" / "drafting.md"
JUDGMENTS = ROOT / "tests" / "data" / "drafting" / "judgments.json"
KINDS = {
    "document_subject",
    "document_issuer",
    "document_date",
    "theme",
    "area",
    "index_meaning",
    "index_name",
    "target",
    "schedule",
    "lead_office",
    "propaganda_form",
}
needs_plans = pytest.mark.skipif(not PLAN_FILES, reason="../shared/plans is not here")


def nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def drafts_of(path: Path) -> tuple[str, list[Draft]]:
    text = read_plan(path.name, path.read_bytes())
    return text, draft_questions(text, path.name)


# --- the drafts on the real plans ------------------------------------------------------------


@needs_plans
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_drafts_of_each_plan_are_well_formed(path):
    text, drafts = drafts_of(path)
    folded = fold_ws(unicodedata.normalize("NFC", text))
    assert len(drafts) >= 20
    for d in drafts:
        assert d.kind in KINDS
        assert len(d.choices) == 4
        assert len({fold(c) for c in d.choices}) == 4, d.choices
        assert all(c.strip() for c in d.choices)
        assert 0 <= d.correct <= 3
        assert d.sentence and d.sentence in folded, d.sentence
        assert d.sentence == fold_ws(d.sentence)
        assert d.topic and d.explanation and d.text.endswith("?")
        assert all(nfc(s) for s in [d.text, d.sentence, d.explanation, d.topic, *d.choices])
    assert len({(d.kind, d.key) for d in drafts}) == len(drafts), "two drafts ask one fact"
    assert len({d.text for d in drafts}) == len(drafts)
    assert len({d.code for d in drafts}) == len(drafts)


@needs_plans
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_correct_position_varies(path):
    _, drafts = drafts_of(path)
    positions = collections.Counter(d.correct for d in drafts)
    assert len(positions) >= 3
    assert max(positions.values()) <= 0.5 * len(drafts)


@needs_plans
def test_drafting_is_deterministic_across_processes():
    path = PLAN_FILES[0]
    _, first = drafts_of(path)
    _, again = drafts_of(path)
    assert first == again
    script = (
        "import sys, json; from pathlib import Path\n"
        "from question_bank.drafting import read_plan, draft_questions\n"
        "p = Path(sys.argv[1])\n"
        "ds = draft_questions(read_plan(p.name, p.read_bytes()), p.name)\n"
        "print(json.dumps([[d.code, d.text, d.choices, d.correct, d.sentence] for d in ds],"
        " ensure_ascii=False))\n"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    here = [[d.code, d.text, d.choices, d.correct, d.sentence] for d in first]
    assert json.loads(outputs.pop()) == here


# --- the reviewer's judgments and the figures ---------------------------------------------------


def load_judgments() -> list[dict]:
    return json.loads(JUDGMENTS.read_text(encoding="utf-8"))


def test_judgments_are_well_formed():
    judgments = load_judgments()
    assert judgments
    for j in judgments:
        assert {"plan", "code", "text", "correct_choice", "verdict", "note"} <= j.keys()
        assert j["verdict"] in ("ok", "wrong", "ambiguous")
        assert j["note"].strip()
    keys = [(j["plan"], j["code"]) for j in judgments]
    assert len(keys) == len(set(keys))


@needs_plans
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_judgments_cover_exactly_the_current_drafts(path):
    """A change to the engine that alters a draft forces a new review (measure --pending)."""
    _, drafts = drafts_of(path)
    judged = {
        (j["code"], j["text"], j["correct_choice"])
        for j in load_judgments()
        if j["plan"] == path.name
    }
    now = {(d.code, d.text, d.choices[d.correct]) for d in drafts}
    assert now == judged, (
        "drafts changed since the review: run "
        "`python -m question_bank.drafting.measure --pending FILE` and review"
    )


@needs_plans
def test_quality_is_at_least_ninety_percent_per_plan_and_overall():
    figures = count(PLANS, load_judgments())
    assert figures and len(figures) == len(PLAN_FILES)
    for f in [*figures, total(figures)]:
        assert not f.unjudged, f.plan
        assert f.drafts >= 20 or f.plan == "all plans"
        assert f.share >= 0.9, f.row()


@needs_plans
def test_docs_show_the_current_figures():
    text = DOCS.read_text(encoding="utf-8")
    plan_part, _, general_part = text.partition("General-knowledge drafts")
    assert general_part
    for basis, part in (("plan", plan_part), ("catalogue", general_part)):
        figures = count(PLANS, load_judgments(), basis=basis)
        for f in [*figures, total(figures)]:
            assert f.row() in part, (basis, f.row())


@needs_plans
def test_docs_show_the_figures_per_plan_from_the_report_script():
    text = DOCS.read_text(encoding="utf-8")
    for row in report_script().rows(PLANS):
        assert row in text, row


# --- what the drafts look like in a bank ---------------------------------------------------------


@needs_plans
def test_workbook_passes_the_normal_import_checks():
    path = PLAN_FILES[0]
    _, drafts = drafts_of(path)
    result = parse_xlsx(drafts_workbook(drafts, path.name))
    assert result.ok, [e.message for e in result.errors]
    assert len(result.questions) == len(drafts)
    for q, d in zip(result.questions, drafts, strict=True):
        assert q.text == d.text and q.code == d.code
        assert [c.text for c in q.choices] == d.choices
        assert [c.correct for c in q.choices] == [i == d.correct for i in range(4)]
        assert q.source == d.source(path.name)
        quotes = " … ".join(f"«{c}»" for c in [*d.context, d.sentence])
        if d.basis == "plan":
            assert q.source == f"{path.name}: {quotes}"
        else:
            assert q.source == (
                "Kiến thức chung (danh mục có sẵn của hệ thống, không có trong "
                f"kế hoạch); kế hoạch nhắc đến tại {path.name}: {quotes}"
            )
        assert q.difficulty == "medium" and q.points == 1
    assert {d.basis for d in drafts} == {"plan", "catalogue"}  # plan 000 has both


def test_draft_interface_and_template_row():
    names = [f.name for f in dataclasses.fields(Draft)]
    assert names[:8] == [
        "code",
        "text",
        "choices",
        "correct",
        "topic",
        "sentence",
        "kind",
        "explanation",
    ]
    d = Draft(
        "VB-1",
        "Câu hỏi?",
        ["A1", "B1", "C1", "D1"],
        2,
        "Văn bản chỉ đạo",
        "Câu gốc.",
        "document_subject",
        "Giải thích.",
        source_name="kh.txt",
    )
    row = d.as_template_row(7)
    assert len(row) == len(HEADERS)
    assert row[:7] == [7, "VB-1", "Câu hỏi?", "A1", "B1", "C1", "D1"]
    assert row[HEADERS.index("Đáp án đúng")] == "C"
    assert row[HEADERS.index("Mức độ")] == "Trung bình"
    assert row[HEADERS.index("Điểm")] == 1
    assert row[HEADERS.index("Nguồn")] == "kh.txt: «Câu gốc.»"
    d.context = ["1. Phòng Nội vụ"]
    assert d.as_template_row(1)[HEADERS.index("Nguồn")] == "kh.txt: «1. Phòng Nội vụ» … «Câu gốc.»"
    d.basis, d.context = "catalogue", []
    assert d.general and d.as_template_row(1)[HEADERS.index("Nguồn")] == (
        "Kiến thức chung (danh mục có sẵn của hệ thống, không có trong kế hoạch); kế hoạch nhắc "
        "đến tại kh.txt: «Câu gốc.»"
    )


# --- a distractor is never also true -------------------------------------------------------------

SYNTHETIC = """KẾ HOẠCH
Tuyên truyền cải cách hành chính thị xã Hòa Bình năm 2025

Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2025 của UBND tỉnh Quảng Ninh về cải cách hành chính năm 2025.

I. NỘI DUNG
1. Chủ đề tuyên truyền năm 2025: “Chính quyền phục vụ, người dân hài lòng”.
2. Cải cách thể chế; cải cách thủ tục hành chính; cải cách tổ chức bộ máy hành chính nhà nước; cải cách chế độ công vụ; cải cách tài chính công; xây dựng và phát triển chính quyền điện tử, chính quyền số.
3. Tổ chức hội thi
- Cơ quan chủ trì: Phòng Nội vụ, Phòng Tư pháp.
- Cơ quan phối hợp: Phòng Kinh tế.
II. TỔ CHỨC THỰC HIỆN
1. Phòng Nội vụ
- Tổ chức hội nghị tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho công chức cấp xã.
- Tham mưu Ủy ban nhân dân thị xã khen thưởng tập thể, cá nhân có thành tích xuất sắc.
2. Phòng Tư pháp
- Tổ chức hội nghị tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho công chức cấp xã.
- Lồng ghép tuyên truyền cải cách hành chính với phổ biến, giáo dục pháp luật tại cơ sở.
"""


def test_shared_tasks_and_joint_leads_never_make_a_true_distractor():
    drafts = draft_questions(SYNTHETIC, "synthetic.txt")
    texts = " ".join(d.text for d in drafts)
    assert "tập huấn nghiệp vụ kiểm soát" not in texts  # both offices have it: not asked
    joint = next(d for d in drafts if "Tổ chức hội thi" in d.text)
    assert joint.choices[joint.correct] == "Phòng Nội vụ; Phòng Tư pháp"
    for i, choice in enumerate(joint.choices):
        if i != joint.correct:
            assert not {"Phòng Nội vụ", "Phòng Tư pháp", "Phòng Kinh tế"} & set(choice.split("; "))
    law = next(d for d in drafts if "giáo dục pháp luật" in d.text)
    assert law.choices[law.correct] == "Phòng Tư pháp"
    theme = next(d for d in drafts if d.kind == "theme")
    assert theme.choices[theme.correct] == "Chính quyền phục vụ, người dân hài lòng"
    issuer = next(d for d in drafts if d.kind == "document_issuer")
    assert issuer.choices[issuer.correct] == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert "Ủy ban nhân dân thị xã Hòa Bình" in issuer.choices
    areas = [d for d in drafts if d.kind == "area"]
    assert len(areas) == 6
    six = {a["name"].lower() for a in catalogue()["areas"]} | {
        "xây dựng và phát triển chính quyền điện tử, chính quyền số"
    }
    for d in areas:
        assert all(c.lower() not in six for i, c in enumerate(d.choices) if i != d.correct)


def test_catalogue_is_nfc_and_consistent():
    data = catalogue()
    numbers = [d["number"] for d in data["documents"]]
    assert len(numbers) == len(set(numbers))
    assert {i["code"] for i in data["indices"]} == {
        "PAR INDEX",
        "SIPAS",
        "PAPI",
        "PCI",
        "DTI",
        "ICT Index",
    }
    assert len(data["areas"]) == 6
    text = json.dumps(data, ensure_ascii=False)
    assert nfc(text)


# --- reading plans -------------------------------------------------------------------------------

VIETNAMESE = "Nghị quyết số 76/NQ-CP của Chính phủ về cải cách hành chính"


def test_txt_is_decoded_and_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", VIETNAMESE)
    assert decomposed != VIETNAMESE
    assert read_plan("kh.txt", decomposed.encode("utf-8")) == VIETNAMESE
    assert read_plan("KH.TXT", b"\xef\xbb\xbf" + VIETNAMESE.encode("utf-8")) == VIETNAMESE
    assert (
        read_plan("kh.txt", "\ufeff".encode("utf-16-le") + VIETNAMESE.encode("utf-16-le"))
        == VIETNAMESE
    )


def test_docx_paragraphs_and_table_cells_are_read():
    document = docx.Document()
    document.add_paragraph(unicodedata.normalize("NFD", "KẾ HOẠCH tuyên truyền năm 2024"))
    document.add_paragraph(VIETNAMESE)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Phòng Nội vụ"
    table.cell(0, 1).text = "Chủ trì tổ chức cuộc thi"
    out = io.BytesIO()
    document.save(out)
    text = read_plan("ke-hoach.docx", out.getvalue())
    assert "KẾ HOẠCH tuyên truyền năm 2024" in text
    assert VIETNAMESE in text
    assert "Phòng Nội vụ" in text and "Chủ trì tổ chức cuộc thi" in text
    assert nfc(text)


@needs_plans
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_the_same_plan_as_word_paragraphs_gives_the_same_drafts(path):
    """A plan typed in Word (one paragraph per paragraph, no Markdown, no page wrapping)."""
    text, drafts = drafts_of(path)
    document = docx.Document()
    for para in Plan(text).paras:
        document.add_paragraph(para.text)
    out = io.BytesIO()
    document.save(out)
    again = draft_questions(read_plan(path.stem + ".docx", out.getvalue()), path.name)
    assert {(d.kind, d.key, d.choices[d.correct]) for d in again} == {
        (d.kind, d.key, d.choices[d.correct]) for d in drafts
    }


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` in Helvetica, one byte per distinct character, with a
    ToUnicode map so a reader gets the (here decomposed) Vietnamese back."""
    chars = list(dict.fromkeys(text))
    code = {c: i + 1 for i, c in enumerate(chars)}
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def "
        "1 begincodespacerange <00> <FF> endcodespacerange "
        f"{len(chars)} beginbfchar "
        + " ".join(f"<{code[c]:02X}> <{c.encode('utf-16-be').hex().upper()}>" for c in chars)
        + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    content = "BT /F1 12 Tf 72 720 Td <" + "".join(f"{code[c]:02X}" for c in text) + "> Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def test_pdf_text_is_read_and_nfc_normalised():
    pdf = tiny_pdf(unicodedata.normalize("NFD", VIETNAMESE))
    assert read_plan("ke-hoach.pdf", pdf).strip() == VIETNAMESE


@pytest.mark.parametrize(
    "name, data",
    [
        ("ke-hoach.doc", b"\xd0\xcf\x11\xe0 old word"),
        ("ke-hoach.xlsx", b"PK\x03\x04"),
        ("ke-hoach", b"text"),
        ("ke-hoach.pdf", b"not a pdf"),
        ("ke-hoach.pdf", b"%PDF-1.4\nbroken"),
        ("ke-hoach.docx", b"PK\x03\x04 broken zip"),
        ("ke-hoach.txt", b"c\xe1i c\xe1ch h\xe0nh ch\xednh"),  # Windows-1258, not UTF-8
        ("ke-hoach.txt", b""),
        ("ke-hoach.txt", b"   \n  "),
    ],
)
def test_unreadable_or_unknown_files_are_refused_in_vietnamese(name, data):
    with pytest.raises(PlanUnreadable) as refused:
        read_plan(name, data)
    assert isinstance(refused.value, ValueError)
    message = str(refused.value)
    assert message and any(ch in message for ch in "ệọạảờđ"), message
