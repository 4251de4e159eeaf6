"""Drafting on plans it was not built on (tests/data/unseen_plans), and the two bases of a
draft: asked "theo kế hoạch", its answer is the plan's own words and is in what is quoted with
it; about an item the plan only names (SIPAS, a document cited bare), it is general knowledge
from the catalogue, never attributed to the plan, and marked so."""

import re
from pathlib import Path

import pytest
from factories import report_script

from question_bank.drafting import catalogue, draft_questions, read_plan
from question_bank.drafting.grounding import grounded, normalise

ROOT = Path(__file__).resolve().parents[1]
UNSEEN = ROOT / "tests" / "data" / "unseen_plans"
UNSEEN_FILES = sorted(UNSEEN.glob("*.txt"))
SHARED = ROOT.parent / "shared" / "plans"
SHARED_FILES = sorted(SHARED.glob("*.txt")) if SHARED.is_dir() else []
DOCS = ROOT / "docs" / "drafting-unseen.md"
INDEX_WORDS = re.compile(r"SIPAS|PAR[ -]?INDEX|PAPI|\bPCI\b|\bDTI\b|ICT[ -]?Index", re.IGNORECASE)


# written independently of the engine: no diacritics or case, UBND/HĐND written out, dates as
# day-month-year numbers, letters and digits only
plain = report_script().plain


def drafts_of(path: Path):
    text = read_plan(path.name, path.read_bytes())
    return text, draft_questions(text, path.name)


def from_plan(drafts):
    return [d for d in drafts if d.basis == "plan"]


def general(drafts):
    return [d for d in drafts if d.basis == "catalogue"]


def catalogue_facts() -> set[str]:
    data = catalogue()
    return {plain(v) for i in data["indices"] for v in (i["name"], i["measures"])} | {
        plain(v) for d in data["documents"] for v in (f"{d['kind']} số {d['number']}", d["date"])
    }


def test_there_are_at_least_three_unseen_plans_with_their_sources():
    assert len(UNSEEN_FILES) >= 3
    readme = (UNSEEN / "README.md").read_text(encoding="utf-8")
    for path in UNSEEN_FILES:
        line = next(l for l in readme.splitlines() if f"`{path.name}`" in l)
        assert "https://" in line and ("held out" in line or "tuned on" in line)
    assert sum("held out" in l for l in readme.splitlines()) >= 2
    shared = {p.read_text(encoding="utf-8")[:200] for p in SHARED_FILES}
    assert not any(p.read_text(encoding="utf-8")[:200] in shared for p in UNSEEN_FILES)


@pytest.mark.parametrize("path", UNSEEN_FILES + SHARED_FILES, ids=lambda p: p.name)
def test_every_answer_is_the_plans_own_words(path):
    text, drafts = drafts_of(path)
    assert from_plan(drafts)
    whole = plain(text)
    for d in from_plan(drafts):
        answer = d.choices[d.correct]
        assert d.sentence and d.sentence in " ".join(text.split())
        assert d.grounds, d.code
        assert all(plain(g) in whole for g in d.grounds), (d.code, d.grounds)
        assert "".join(plain(g) for g in d.grounds) == plain(answer), (d.code, answer)


@pytest.mark.parametrize("path", UNSEEN_FILES + SHARED_FILES, ids=lambda p: p.name)
def test_every_theo_ke_hoach_stem_is_answered_by_its_quoted_source(path):
    """What the reviewer sees and the Nguồn column quotes (the sentence, and the heading that
    names the office when the sentence is a task under it) holds every piece of the answer."""
    text, drafts = drafts_of(path)
    said = [d for d in drafts if "theo kế hoạch" in d.text.lower()]
    assert said
    for d in said:
        assert d.basis == "plan", d.code
        quote = plain(" ".join([*d.context, d.sentence]))
        assert all(plain(g) in quote for g in d.grounds), (d.code, d.grounds, d.sentence)
        folded = " ".join(text.split())
        assert all(c in folded for c in d.context)
        row = d.as_template_row(1)[16]
        assert all(f"«{q}»" in row for q in [*d.context, d.sentence])


@pytest.mark.parametrize("path", UNSEEN_FILES + SHARED_FILES, ids=lambda p: p.name)
def test_general_knowledge_is_never_put_to_the_plan(path):
    text, drafts = drafts_of(path)
    known = catalogue_facts()
    for d in general(drafts):
        assert "kế hoạch" not in d.text.lower(), d.text
        assert plain(d.choices[d.correct]) in known, d.code
        assert d.sentence in " ".join(text.split())
        assert d.as_template_row(1)[16].startswith("Kiến thức chung"), d.code
        for code in INDEX_WORDS.findall(d.text):
            assert code in d.sentence  # the plan's sentence that names the index


@pytest.mark.parametrize("path", UNSEEN_FILES + SHARED_FILES, ids=lambda p: p.name)
def test_no_question_about_an_index_the_plan_does_not_define(path):
    text, drafts = drafts_of(path)
    measures = {plain(i["measures"]) for i in catalogue()["indices"]}
    for d in from_plan(drafts):
        assert "đo lường" not in d.text
        assert not {plain(c) for c in d.choices} & measures, d.code
        for code in INDEX_WORDS.findall(d.text):
            # asked only where the plan puts the acronym beside a name: "(SIPAS)"
            assert re.search(r"\(\s*" + re.escape(code) + r"\s*\)", text), (d.code, code)


MENTIONS_ONLY = """KẾ HOẠCH
Cải cách hành chính xã Hòa Bình năm 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Cải thiện toàn diện các chỉ số đánh giá cải cách hành chính, nhất là Chỉ số PAR INDEX, SIPAS, PAPI, PCI, DTI và ICT Index của xã.
2. Nâng cao chỉ số hài lòng của người dân; lấy sự hài lòng của người dân làm thước đo.
3. Thực hiện Quyết định số 45/2016/QĐ-TTg và Nghị quyết số 76/NQ-CP.
"""


def test_a_plan_that_names_sipas_without_defining_it_gets_general_knowledge_only():
    drafts = draft_questions(MENTIONS_ONLY, "hoa-binh.txt")
    # nothing "theo kế hoạch": the plan states no index's name or meaning, and no subject, date
    # or issuer of the documents it cites
    assert from_plan(drafts) == []
    assert drafts and all(
        d.basis == "catalogue" and "kế hoạch" not in d.text.lower() for d in drafts
    )
    [sipas] = [d for d in drafts if d.kind == "index_meaning" and "SIPAS" in d.text]
    assert sipas.text == "Chỉ số SIPAS đo lường nội dung nào?"
    entries = {i["code"]: i for i in catalogue()["indices"]}
    assert sipas.choices[sipas.correct] == entries["SIPAS"]["measures"]
    assert "SIPAS" in sipas.sentence and sipas.sentence in " ".join(MENTIONS_ONLY.split())
    assert entries["PAR INDEX"]["measures"] not in sipas.choices  # its neighbours, which a
    assert entries["PAPI"]["measures"] not in sipas.choices  # reader could defend
    assert sipas.as_template_row(1)[16].startswith(
        "Kiến thức chung (danh mục có sẵn của hệ thống, không có trong kế hoạch)"
    )
    assert "Kiến thức chung" in sipas.explanation
    names = {d.text for d in drafts if d.kind == "index_name"}
    assert "SIPAS là tên viết tắt của chỉ số nào?" in names
    subjects = {d.choices[d.correct] for d in drafts if d.kind == "document_subject"}
    assert subjects == {"Quyết định số 45/2016/QĐ-TTg", "Nghị quyết số 76/NQ-CP"}


def _mentions_with(old: str, new: str):
    """The drafts from MENTIONS_ONLY with `old` in it written as `new`."""
    assert old in MENTIONS_ONLY
    return draft_questions(MENTIONS_ONLY.replace(old, new), "hoa-binh.txt")


def test_an_index_the_plan_defines_is_asked_with_the_plans_name_for_it():
    drafts = _mentions_with(
        "2. Nâng cao chỉ số hài lòng của người dân;",
        "2. Nâng cao Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành "
        "chính nhà nước (SIPAS);",
    )
    [sipas] = [d for d in from_plan(drafts) if d.kind.startswith("index")]
    assert sipas.text == "Theo kế hoạch, SIPAS là tên viết tắt của chỉ số nào?"
    assert sipas.choices[sipas.correct] == (
        "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước"
    )
    assert "(SIPAS)" in sipas.sentence
    others = [c for i, c in enumerate(sipas.choices) if i != sipas.correct]
    names = {i["code"]: i["name"] for i in catalogue()["indices"]}
    # PAR INDEX (SIPAS is part of it) and PAPI (close to it) are never its distractors
    assert names["PAR INDEX"] not in others and names["PAPI"] not in others
    # the name is the plan's now, so it is not asked again as general knowledge
    assert "SIPAS là tên viết tắt của chỉ số nào?" not in {d.text for d in drafts}
    assert "Chỉ số SIPAS đo lường nội dung nào?" in {d.text for d in general(drafts)}


def test_an_abbreviation_of_the_words_before_it_is_not_taken_for_an_index():
    drafts = _mentions_with(
        "2. Nâng cao chỉ số hài lòng",
        "2. Nâng cao Chỉ số cải cách hành chính (CCHC) và chỉ số hài lòng",
    )
    assert from_plan(drafts) == [] and "CCHC" not in " ".join(d.text for d in drafts)


def test_a_document_subject_the_plan_states_is_asked_and_one_it_does_not_is_not():
    drafts = _mentions_with(
        "Quyết định số 45/2016/QĐ-TTg và",
        "Quyết định số 45/2016/QĐ-TTg ngày 19/10/2016 của Thủ tướng Chính phủ về việc tiếp nhận "
        "hồ sơ, trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính công ích;",
    )
    own = from_plan(drafts)
    assert {d.kind for d in own} == {"document_subject", "document_issuer", "document_date"}
    assert all("45/2016" in d.text + d.choices[d.correct] for d in own)  # not 76/NQ-CP
    cited_bare = [d for d in general(drafts) if d.kind.startswith("document")]
    assert {d.kind for d in cited_bare} == {"document_subject", "document_date"}
    assert all("76/NQ-CP" in d.text + d.choices[d.correct] for d in cited_bare)


def test_the_normaliser_reads_dates_and_abbreviations_alike():
    assert normalise("27 tháng 3 năm 2021") == normalise("27/03/2021") == normalise("27/3/2021")
    assert normalise("1/12/2021") != normalise("11/2/2021")
    assert normalise("UBND tỉnh") == normalise("Ủy ban nhân dân tỉnh")
    assert grounded(
        "Ủy ban nhân dân tỉnh Hải Dương",
        ["Ủy ban nhân dân tỉnh", "Hải Dương"],
        "Kế hoạch của UBND tỉnh ... tỉnh Hải Dương",
    )
    assert not grounded("Hải Dương", ["Hải Dương"], "tỉnh Nghệ An")
    assert not grounded("Ủy ban nhân dân tỉnh Hải Dương", ["Hải Dương"], "tỉnh Hải Dương")


def test_docs_show_the_current_figures_on_the_unseen_plans():
    text = DOCS.read_text(encoding="utf-8")
    for row in report_script().rows(UNSEEN):
        assert row in text, row
