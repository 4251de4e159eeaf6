"""Banks as organisers keep them: CSV, several sheets, preview (dry run), duplicate warnings,
re-upload by code with versioning, search, edit, retire, quotas and item analysis."""

import io

from conftest import BANK_HEADERS, bank_rows, correct_choice_ids, xlsx_bytes
from openpyxl import Workbook, load_workbook

CSV_HEADER = "STT,Câu hỏi,A,B,C,D,Đáp án đúng,Chủ đề,Mức độ"


def upload(api, data, filename, url="/api/v1/banks", **query):
    return api.post(
        url, query_string=query, data={"file": (io.BytesIO(data), filename), "name": "NH"}
    )


def test_csv_utf8_with_or_without_bom_comma_or_semicolon(organiser):
    body = '1,Thủ tục hành chính là gì?,a,b,c,d,B,Thủ tục,Dễ\n2,"Có dấu, phẩy?",x,y,,,A,,\n'
    for data in (
        (CSV_HEADER + "\n" + body).encode(),
        ("\ufeff" + CSV_HEADER + "\n" + body).encode(),
        (
            CSV_HEADER.replace(",", ";")
            + "\n"
            + body.replace(",", ";").replace('"Có dấu; phẩy?"', '"Có dấu, phẩy?"')
        ).encode(),
    ):
        response = upload(organiser, data, "nh.csv")
        assert response.status_code == 201, response.json
        assert response.json["question_count"] == 2


def test_csv_in_another_encoding_is_refused_with_how_to_fix(organiser):
    data = (CSV_HEADER + "\n1,Cải cách hành chính?,a,b,c,d,A,,\n").encode("utf-16")
    response = upload(organiser, data, "nh.csv")
    assert response.status_code == 422
    assert "CSV UTF-8" in response.json["error"]["errors"][0]["message"]
    latin = b"C\xe2u h\xd2i,A,B,\xd0\xe1p \xe1n \xf0\xfang\nC\xe2u?,a,b,A\n"  # Windows-1258
    assert "UTF-8" in upload(organiser, latin, "nh.csv").json["error"]["errors"][0]["message"]


def test_several_sheets_name_the_topics(organiser):
    wb = Workbook()
    for title in ("Thể chế", "Chính quyền số"):
        ws = wb.create_sheet(title)
        ws.append(["Câu hỏi", "A", "B", "Đáp án đúng"])
        ws.append([f"Câu về {title}?", "a", "b", "A"])
    wb.create_sheet("Hướng dẫn").append(["Điền câu hỏi vào các trang trên."])
    del wb["Sheet"]
    out = io.BytesIO()
    wb.save(out)
    bank = upload(organiser, out.getvalue(), "nh.xlsx").json
    topics = organiser.get(f"/api/v1/banks/{bank['id']}").json["topics"]
    assert topics == [{"name": "Chính quyền số", "count": 1}, {"name": "Thể chế", "count": 1}]


def test_dry_run_previews_and_saves_nothing(organiser):
    rows = bank_rows(3) + [[4, "Câu hỏi số 1?", "x", "y", "", "", "A", "", "", "", ""]]
    preview = upload(organiser, xlsx_bytes([BANK_HEADERS] + rows), "nh.xlsx", dry_run=1)
    assert preview.status_code == 200 and preview.json["dry_run"] is True
    assert preview.json["question_count"] == 4
    assert preview.json["questions"][0]["choices"][1] == {
        "label": "B",
        "text": "B1",
        "correct": True,
    }
    assert preview.json["warnings"] == [
        {
            "row": 5,
            "column": None,
            "sheet": "Câu hỏi",
            "message": "Câu hỏi trùng với câu ở Trang tính «Câu hỏi», dòng 2 trong tệp.",
        }
    ]
    bad = upload(
        organiser,
        xlsx_bytes([BANK_HEADERS] + [[1, "", "a", "b", "", "", "A"]]),
        "nh.xlsx",
        dry_run=1,
    )
    assert bad.status_code == 422 and bad.json["errors"][0]["row"] == 2
    assert organiser.get("/api/v1/banks").json == []


def _coded(rows):
    header = ["Mã câu hỏi", "Câu hỏi", "A", "B", "C", "Đáp án đúng"]
    return xlsx_bytes([header] + rows)


def test_reupload_updates_by_code_and_past_attempts_keep_what_they_saw(
    app, organiser, register, make_round
):
    first = [
        ["Q1", "Năm 2030 là mốc nào?", "a", "b", "c", "A"],
        ["Q2", "Câu hai?", "a", "b", "c", "B"],
        ["Q3", "Câu ba?", "a", "b", "c", "C"],
    ]
    bank = upload(organiser, _coded(first), "nh.xlsx").json
    rnd = make_round(bank_id=bank["id"], question_count=3)
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    seen = {q["text"] for q in attempt["questions"]}
    second = [
        ["Q1", "Năm 2030 là mốc nào (sửa)?", "a", "b", "c", "B"],
        ["Q2", "Câu hai?", "a", "b", "c", "B"],
        ["Q4", "Câu bốn?", "a", "b", "c", "A"],
        ["Q5", "câu  HAI", "a", "b", "c", "A"],
    ]
    preview = upload(
        organiser, _coded(second), "nh.xlsx", url=f"/api/v1/banks/{bank['id']}/import", dry_run=1
    )
    assert [w["row"] for w in preview.json["warnings"]] == [5]  # Q5 repeats Q2
    merged = upload(organiser, _coded(second), "nh.xlsx", url=f"/api/v1/banks/{bank['id']}/import")
    assert merged.json == {"created": 2, "updated": 1, "unchanged": 1, "question_count": 5}
    texts = {
        q["text"] for q in organiser.get(f"/api/v1/banks/{bank['id']}/questions").json["questions"]
    }
    assert "Năm 2030 là mốc nào (sửa)?" in texts and "Năm 2030 là mốc nào?" not in texts
    assert {
        q["text"] for q in api.get(f"/api/v1/attempts/{attempt['id']}").json["questions"]
    } == seen


def test_search_filter_edit_and_retire(app, organiser, make_bank, register, make_round):
    rows = bank_rows(12)
    rows[0][8], rows[0][9] = "Chính quyền số", "Khó"
    bank_id = make_bank(rows)
    found = organiser.get(f"/api/v1/banks/{bank_id}/questions?q=số 1").json
    assert found["total"] == 4  # 1, 10, 11, 12
    by_topic = organiser.get(
        f"/api/v1/banks/{bank_id}/questions?topic=Chính quyền số&difficulty=hard"
    ).json
    assert [q["text"] for q in by_topic["questions"]] == ["Câu hỏi số 1?"]
    assert by_topic["questions"][0]["difficulty"] == "hard"  # the file's "Khó", as its code
    by_word = organiser.get(f"/api/v1/banks/{bank_id}/questions?difficulty=Khó").json
    assert [q["text"] for q in by_word["questions"]] == ["Câu hỏi số 1?"]  # as before codes
    qid = by_topic["questions"][0]["id"]
    bad = organiser.put(
        f"/api/v1/banks/{bank_id}/questions/{qid}",
        json={"text": "Sửa?", "A": "x", "B": "y", "correct": "D"},
    )
    assert bad.status_code == 422 and "correct" in bad.json["error"]["fields"]
    good = organiser.put(
        f"/api/v1/banks/{bank_id}/questions/{qid}",
        json={"text": "Sửa?", "A": "x", "B": "y", "C": "z", "correct": "A,C", "topic": "Mới"},
    )
    assert good.status_code == 200 and good.json["id"] == qid and good.json["multiple"]
    assert organiser.post(f"/api/v1/banks/{bank_id}/questions/{qid}/retire").status_code == 204
    rnd = make_round(bank_id=bank_id, question_count=11, max_attempts=0)
    api = register()
    for _ in range(3):
        attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
        assert qid not in {q["id"] for q in attempt["questions"]}
        api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})


def test_quotas_are_met_and_impossible_ones_refused(organiser, make_bank, make_round, register):
    rows = bank_rows(30)
    for i, row in enumerate(rows):
        row[8] = "Thủ tục" if i < 8 else "Chính quyền số"
        row[9] = "Khó" if i % 5 == 0 else "Dễ"
    bank_id = make_bank(rows)
    rnd = make_round(
        bank_id=bank_id,
        question_count=10,
        max_attempts=0,
        draw_quotas=[{"topic": "Thủ tục", "count": 5}, {"difficulty": "hard", "count": 3}],
    )
    assert rnd["draw_quotas"][1]["difficulty"] == "hard"
    refused = organiser.post(
        "/api/v1/contests/thu/rounds",
        json={
            "name": "x",
            "opens_at": "2026-03-02T09:00:00+07:00",
            "closes_at": "2026-03-09T09:00:00+07:00",
            "bank_id": bank_id,
            "question_count": 10,
            "time_limit_s": 600,
            "draw_quotas": [{"topic": "Thủ tục", "count": 9}],
        },
    )
    assert refused.status_code == 422
    assert "chỉ có 8" in refused.json["error"]["fields"]["draw_quotas"]
    api = register()
    by_id = {}
    for q in organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]:
        by_id[q["id"]] = (q["topic"], q["difficulty"])
    for _ in range(5):
        attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
        drawn = [by_id[q["id"]] for q in attempt["questions"]]
        assert len(drawn) == 10
        assert sum(t == "Thủ tục" for t, _d in drawn) >= 5
        assert sum(d == "hard" for _t, d in drawn) >= 3
        api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})


def test_item_analysis_flags_a_wrong_key(app, organiser, make_bank, make_round, register):
    """Question 1's key says B, but the strong participants all choose A."""
    bank_id = make_bank(bank_rows(5))
    rnd = make_round(bank_id=bank_id, question_count=5)
    questions = organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]
    q1 = next(q for q in questions if q["text"] == "Câu hỏi số 1?")
    wrong = next(c["id"] for c in q1["choices"] if c["label"] == "A")
    for i in range(12):
        api = register(phone=f"09120005{i:02d}")
        attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
        strong = i < 6
        for q in attempt["questions"]:
            key = correct_choice_ids(app, q["id"])
            if q["id"] == q1["id"]:
                choice = [wrong] if strong else key
            else:
                choice = (
                    key if strong else [c["id"] for c in q["choices"] if c["id"] not in key][:1]
                )
            api.put(
                f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
                json={"choices": choice, "seq": 1},
            )
        api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    listed = organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]
    stat = next(q for q in listed if q["id"] == q1["id"])["analysis"]
    assert stat["drawn"] == 12 and stat["facility"] == 0.5 and stat["discrimination"] == -1.0
    assert any("phân biệt âm" in f for f in stat["flags"])
    others = [q["analysis"] for q in listed if q["id"] != q1["id"]]
    assert all(s["discrimination"] == 1.0 and not s["flags"] for s in others)
    sheet = load_workbook(
        io.BytesIO(organiser.get(f"/api/v1/rounds/{rnd['id']}/export.xlsx").data)
    )["Câu hỏi"]
    flagged = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[7]]
    assert len(flagged) == 1 and flagged[0][1] == "Câu hỏi số 1?"
    # the flag reads as Vietnamese words, not a developer code
    assert flagged[0][7] == "Độ phân biệt âm: thường là do sai đáp án."
    page = organiser.get(f"/to-chuc/ngan-hang/{bank_id}").text
    assert page.count('class="flagged"') == 1
