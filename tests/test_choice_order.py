"""Questions whose choices refer to other choices keep the bank's order (giữ thứ tự)."""

import io

import docx
import pytest
from conftest import BANK_HEADERS, csrf_from, xlsx_bytes

from question_bank.choice_order import needs_fixed_order, refers_to_other_choices
from question_bank.docx_import import parse_docx
from question_bank.xlsx_import import parse_xlsx

REFERS = [
    "Tất cả các phương án trên",
    "Tất cả các phương án trên đều đúng",
    "TẤT CẢ CÁC ĐÁP ÁN TRÊN",
    "tat ca cac phuong an tren",
    "Tất  cả   đều đúng",
    "Tất cả",
    "Tất cả các ý trên.",
    "Các phương án trên đều sai",
    "Cả A và B",
    "Cả A và B đều đúng",
    "cả a và b",
    "Cả A, B và C đều đúng",
    "A và C",
    "A và C đều đúng",
    "B, C",
    "A hoặc B",
    "A, B và D",
    "Không có phương án nào đúng",
    "Không có đáp án nào",
    "Không phương án nào đúng",
    "Không có phương án đúng",
    "Cả hai phương án",
    "Cả hai ý trên đều đúng",
    "Cả 3 đáp án",
    "Phương án A và B đúng",
    "Đáp án a và c",
    "Chỉ có phương án C đúng",
    "Ý b đúng",
    "Hai phương án đầu đúng",
    "Những ý kể trên",
    "Các đáp án nêu trên",
    "Tất cả các phương án trên (đều đúng)",
    "All of the above",
    "None of the above",
    # composed and decomposed Unicode alike
    "Tất cả các phương án trên".encode().decode(),
    "Ta\u0302\u0301t ca\u0309 ca\u0301c y\u0301 tre\u0302n",
]
PLAIN = [
    "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ",
    "Quyết định số 225/QĐ-TTg",
    "Tất cả cán bộ, công chức, viên chức",
    "Chỉ thị số 26/CT-TTg ngày 05/9/2016",
    "Ủy ban nhân dân cấp tỉnh",
    "Nhóm A và nhóm B",
    "Không có cơ quan nào",
    "Năm 2030",
    "Cải cách thủ tục hành chính",
    "Cả nước",
    "Hỏi đáp trực tuyến",
    "Bộ Nội vụ",
    "Công dân, tổ chức",
    "Văn bản QĐ/ĐU",
    "Trên 90%",
    "Dịch vụ công mức độ 4",
]


@pytest.mark.parametrize("text", REFERS)
def test_choices_that_refer_to_others_are_detected(text):
    assert refers_to_other_choices(text), text


@pytest.mark.parametrize("text", PLAIN)
def test_ordinary_choices_are_not(text):
    assert not refers_to_other_choices(text), text


def test_a_question_needs_fixed_order_when_any_choice_refers():
    assert needs_fixed_order(["Bộ Nội vụ", "Bộ Tư pháp", "Tất cả các phương án trên"])
    assert not needs_fixed_order(["Bộ Nội vụ", "Bộ Tư pháp", "Văn phòng Chính phủ"])


# --- import, draw, edit -------------------------------------------------------------------


ALL_ABOVE = "Tất cả các phương án trên"


def keep_bank_rows() -> list[list]:
    """Question 1 ends with "Tất cả các phương án trên"; 2..6 are ordinary."""
    rows = [
        [
            1,
            "Ai có trách nhiệm thực hiện cải cách hành chính?",
            "Bộ, ngành",
            "Địa phương",
            "Cán bộ, công chức",
            ALL_ABOVE,
            "D",
            "",
            "Chung",
            "Dễ",
            1,
        ]
    ]
    rows += [
        [i, f"Câu thường số {i}?", f"A{i}", f"B{i}", f"C{i}", f"D{i}", "A", "", "Chung", "Dễ", 1]
        for i in range(2, 7)
    ]
    return rows


def upload(api, data: bytes, filename: str) -> int:
    response = api.post(
        "/api/v1/banks", data={"file": (io.BytesIO(data), filename), "name": "Giữ thứ tự"}
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def draws(register, make_round, bank_id: int, times: int = 12) -> list[dict]:
    """`times` attempts drawing every question of the bank; {question text: choice texts}."""
    rnd = make_round(bank_id=bank_id, question_count=6, max_attempts=0)
    api, seen = register(), []
    for _ in range(times):
        attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
        seen.append({q["text"]: [c["text"] for c in q["choices"]] for q in attempt["questions"]})
        assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).status_code == 200
    return seen


def check_kept_and_shuffled(seen: list[dict], kept_text: str, kept_choices: list[str]):
    for shown in seen:
        assert shown[kept_text] == kept_choices  # every draw, in the bank's order
    others = [text for text in seen[0] if text != kept_text]
    for text in others:  # each ordinary question came in another order at least once
        assert any(shown[text] != [f"{x}{text[-2]}" for x in "ABCD"] for shown in seen), text


def test_xlsx_bank_with_all_of_the_above_keeps_that_order_while_the_rest_shuffle(
    organiser, register, make_round
):
    bank_id = upload(organiser, xlsx_bytes([BANK_HEADERS] + keep_bank_rows()), "nh.xlsx")
    questions = organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]
    assert [q["keep_choice_order"] for q in questions] == [True] + [False] * 5
    seen = draws(register, make_round, bank_id)
    check_kept_and_shuffled(
        seen,
        "Ai có trách nhiệm thực hiện cải cách hành chính?",
        ["Bộ, ngành", "Địa phương", "Cán bộ, công chức", ALL_ABOVE],
    )


def word_bank(marker_question: bool) -> bytes:
    document = docx.Document()
    lines = [
        "Câu 1: Ai có trách nhiệm thực hiện cải cách hành chính?",
        "A. Bộ, ngành",
        "B. Địa phương",
        "C. Cán bộ, công chức",
        f"D. {ALL_ABOVE}",
        "Đáp án: D",
    ]
    for i in range(2, 7):
        lines += [
            f"Câu {i}: Câu thường số {i}?",
            f"A. A{i}",
            f"B. B{i}",
            f"C. C{i}",
            f"D. D{i}",
            "Đáp án: A",
        ]
    if marker_question:  # question 2 is ordinary but marked by hand
        lines.insert(lines.index("Câu 2: Câu thường số 2?") + 1, "[Giữ thứ tự]")
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_bank_with_all_of_the_above_keeps_that_order_while_the_rest_shuffle(
    organiser, register, make_round
):
    bank_id = upload(organiser, word_bank(marker_question=False), "nh.docx")
    seen = draws(register, make_round, bank_id)
    check_kept_and_shuffled(
        seen,
        "Ai có trách nhiệm thực hiện cải cách hành chính?",
        ["Bộ, ngành", "Địa phương", "Cán bộ, công chức", ALL_ABOVE],
    )


def test_docx_marker_keeps_order_and_is_not_part_of_the_text():
    result = parse_docx(word_bank(marker_question=True))
    assert result.ok, result.errors
    assert [q.keep_choice_order for q in result.questions] == [True, True] + [False] * 4
    assert result.questions[1].text == "Câu thường số 2?"
    inline = docx.Document()
    for line in ["Câu 1: Năm nào? (giữ nguyên thứ tự)", "A. 2020", "B. 2021", "*C. 2022"]:
        inline.add_paragraph(line)
    out = io.BytesIO()
    inline.save(out)
    question = parse_docx(out.getvalue()).questions[0]
    assert question.keep_choice_order and question.text == "Năm nào?"


def test_template_column_overrides_the_detection_and_bad_values_are_refused():
    headers = BANK_HEADERS + ["Giữ thứ tự"]
    rows = keep_bank_rows()
    rows[0].append("Không")  # refers to others, but the organiser says shuffle
    rows[1].append("x")  # ordinary, kept by hand
    rows[2].append("")  # empty: detected (ordinary: shuffled)
    rows[3].append("có lẽ")  # not a yes or a no
    result = parse_xlsx(xlsx_bytes([headers] + rows))
    assert [(e.row, e.column) for e in result.errors] == [(5, "L")]
    assert "Giữ thứ tự" in result.errors[0].message
    assert [q.keep_choice_order for q in result.questions[:3]] == [False, True, False]


def test_template_and_export_carry_the_column_and_reimport_changes_nothing(organiser):
    from openpyxl import load_workbook

    template = load_workbook(io.BytesIO(organiser.get("/api/v1/banks/template.xlsx").data))
    assert "Giữ thứ tự" in [c.value for c in template["Câu hỏi"][1]]
    assert any("Giữ thứ tự" in str(row[0].value) for row in template["Hướng dẫn"].iter_rows())
    coded = [row + [f"M{row[0]}"] for row in keep_bank_rows()]
    bank_id = upload(organiser, xlsx_bytes([BANK_HEADERS + ["Mã câu hỏi"]] + coded), "nh.xlsx")
    exported = organiser.get(f"/api/v1/banks/{bank_id}/export.xlsx").data
    again = organiser.post(
        f"/api/v1/banks/{bank_id}/import", data={"file": (io.BytesIO(exported), "lai.xlsx")}
    )
    assert again.status_code == 200 and again.json["unchanged"] == 6, again.json


def test_the_edit_page_toggle_and_the_api_set_the_flag(organiser):
    bank_id = upload(organiser, xlsx_bytes([BANK_HEADERS] + keep_bank_rows()), "nh.xlsx")
    questions = organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]
    first, second = questions[0]["id"], questions[1]["id"]
    url = f"/to-chuc/ngan-hang/{bank_id}/cau-hoi/{first}"
    page = organiser.client.get(url).text
    assert 'name="keep_order" value="Có" checked' in page
    form = {
        "csrf_token": csrf_from(page),
        "text": "Ai?",
        "A": "Bộ, ngành",
        "B": "Địa phương",
        "C": "Cán bộ",
        "D": ALL_ABOVE,
        "correct": "D",
        "difficulty": "Dễ",
    }
    saved = organiser.client.post(url, data=form, follow_redirects=True)  # box unticked
    assert "đang để đảo thứ tự phương án" in saved.text  # a warning, the choice stays
    listed = organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]
    assert listed[0]["keep_choice_order"] is False
    form["keep_order"] = "Có"
    assert organiser.client.post(url, data=form).status_code == 302
    assert (
        organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"][0][
            "keep_choice_order"
        ]
        is True
    )
    body = {"text": "Thường?", "A": "x", "B": "y", "correct": "A"}
    api_url = f"/api/v1/banks/{bank_id}/questions/{second}"
    assert (
        organiser.put(api_url, json=body | {"keep_choice_order": True}).json["keep_choice_order"]
        is True
    )
    assert (
        organiser.put(api_url, json=body | {"C": "Cả A và B"}).json["keep_choice_order"] is True
    )  # not given: detected
    assert (
        organiser.put(api_url, json=body | {"keep_choice_order": False}).json["keep_choice_order"]
        is False
    )
