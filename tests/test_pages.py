"""The organiser's and the participant's paths through the server-rendered pages."""

import io
import re

from conftest import (
    BANK_HEADERS,
    ORGANISER_CLI,
    bank_rows,
    correct_choice_ids,
    csrf_from,
    units_xlsx,
    xlsx_bytes,
)
from openpyxl import load_workbook


def login(client, who, password):
    token = csrf_from(client.get("/dang-nhap").text)
    response = client.post(
        "/dang-nhap", data={"csrf_token": token, "login": who, "password": password}
    )
    assert response.status_code == 302
    return csrf_from(client.get("/").text)


def test_organiser_runs_a_contest_through_the_pages(app, runner, clock):
    runner.invoke(args=ORGANISER_CLI)
    client = app.test_client()
    token = login(client, "btc@example.vn", "matkhau1")
    assert "Quản lý cuộc thi" in client.get("/to-chuc/").text

    bad_units = units_xlsx([["UB", "UBND", "", "nhiều"], ["PNV", "Phòng Nội vụ", "XX", 5]])
    page = client.post(
        "/to-chuc/don-vi", data={"csrf_token": token, "file": (io.BytesIO(bad_units), "dv.xlsx")}
    )
    assert page.status_code == 422
    assert re.search(r"<td>2</td><td>D</td><td>Số CBCCVC", page.text)
    assert "Hiện có 0 đơn vị" in page.text
    ok = client.post(
        "/to-chuc/don-vi",
        data={"csrf_token": token, "file": (io.BytesIO(units_xlsx()), "dv.xlsx")},
        follow_redirects=True,
    )
    assert "3 đơn vị mới" in ok.text

    def upload_bank(rows):
        bank = (io.BytesIO(xlsx_bytes([BANK_HEADERS] + rows)), "nh.xlsx")
        return client.post(
            "/to-chuc/ngan-hang", data={"csrf_token": token, "name": "NH 2026", "file": bank}
        )

    rows = bank_rows(6)
    rows[2][6] = ""  # no key on row 4
    page = upload_bank(rows)
    assert page.status_code == 422 and re.search(r"<td>4</td><td>G</td><td>Thiếu đáp án", page.text)
    assert "Xác nhận lưu" not in page.text
    rows[2][6] = "A"
    preview = upload_bank(rows)
    assert preview.status_code == 200 and "Xác nhận lưu 6 câu hỏi" in preview.text
    assert client.get("/api/v1/banks").json == []  # nothing saved before confirming
    confirm = re.search(r'action="(/to-chuc/tai-len/\d+)"', preview.text).group(1)
    bank = client.post(confirm, data={"csrf_token": token, "action": "save"}, follow_redirects=True)
    assert "NH 2026" in bank.text and "6 câu hỏi đang dùng" in bank.text
    bank_id = int(re.search(r"/ngan-hang/(\d+)", bank.request.path).group(1))
    assert client.post(confirm, data={"csrf_token": token, "action": "save"}).status_code == 404

    contest = client.post(
        "/to-chuc/cuoc-thi/moi",
        data={
            "csrf_token": token,
            "title": "Tìm hiểu CCHC 2026",
            "slug": "cchc-2026",
            "rules": "Thể lệ",
            "masking": "partial",
        },
    )
    assert contest.status_code == 302
    base = {
        "csrf_token": token,
        "name": "Tuần 1",
        "opens_at": "2026-03-02T09:00",
        "closes_at": "2026-03-09T09:00",
        "bank_id": bank_id,
        "question_count": "10",
        "time_limit_min": "15",
        "max_attempts": "2",
        "counting": "best",
        "prediction": "perfect_count",
        "grace_s": "30",
        "prize_first": "1",
        "prize_second": "1",
        "prize_third": "1",
        "prize_consolation": "2",
    }
    refused = client.post("/to-chuc/cuoc-thi/cchc-2026", data=base)
    assert refused.status_code == 422 and "chỉ có 6 câu hỏi" in refused.text
    created = client.post("/to-chuc/cuoc-thi/cchc-2026", data=base | {"question_count": "5"})
    assert created.status_code == 302
    round_id = int(created.headers["Location"].rsplit("/", 1)[-1])
    monitor = client.get(f"/to-chuc/dot-thi/{round_id}")
    assert monitor.status_code == 200 and "Tải kết quả" in monitor.text
    contest_api = client.get("/api/v1/contests/cchc-2026").json
    assert contest_api["rounds"][0]["opens_at"] == "2026-03-02T09:00:00.000+07:00"
    assert contest_api["rounds"][0]["status"] == "open"
    export = client.get(f"/api/v1/rounds/{round_id}/export.xlsx")
    assert load_workbook(io.BytesIO(export.data)).sheetnames[0] == "Kết quả"


def test_participant_takes_an_attempt_through_the_pages(app, make_round, register, clock):
    rnd = make_round()
    api = register()
    client = api.client
    contest = client.get("/cuoc-thi/thu")
    assert "Bắt đầu thi" in contest.text
    started = client.post(
        f"/dot-thi/{rnd['id']}/bat-dau", data={"csrf_token": csrf_from(contest.text)}
    )
    assert started.status_code == 302
    attempt_url = started.headers["Location"]
    page = client.get(attempt_url)
    assert page.text.count('class="question"') == 5
    assert 'id="countdown"' in page.text and "Đã lưu" in page.text
    attempt_id = int(attempt_url.rsplit("/", 1)[-1])
    attempt = api.get(f"/api/v1/attempts/{attempt_id}").json
    q = attempt["questions"][0]
    api.put(
        f"/api/v1/attempts/{attempt_id}/answers/{q['id']}",
        json={"choices": [q["choices"][0]["id"]], "seq": 1},
    )
    assert f'value="{q["choices"][0]["id"]}" checked' in client.get(attempt_url).text
    clock.advance(seconds=75)
    done = client.post(
        f"/bai-thi/{attempt_id}/nop",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=True,
    )
    assert "Kết quả bài thi" in done.text and 'id="score"' in done.text
    assert "1:15.0" in done.text and 'id="rank">1<' in done.text
    assert client.get(attempt_url).status_code == 302  # finished: goes to the result
    board = client.get(f"/dot-thi/{rnd['id']}/xep-hang").text
    assert "Nguyễn Văn An" in board and "Phòng Nội vụ" in board


def test_participants_cannot_open_organiser_pages(app, make_round, register):
    rnd = make_round()
    client = register().client
    for url in ("/to-chuc/", f"/to-chuc/dot-thi/{rnd['id']}", "/to-chuc/cuoc-thi/thu"):
        assert client.get(url).status_code == 403
    assert app.test_client().get("/to-chuc/").status_code == 302  # to the login page


def test_another_persons_attempt_page_is_404(app, make_round, register):
    rnd = make_round()
    owner, other = register(), register(phone="0912000002")
    attempt = owner.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    assert other.client.get(f"/bai-thi/{attempt['id']}").status_code == 404
    assert other.client.get(f"/bai-thi/{attempt['id']}/ket-qua").status_code == 404


def test_home_and_contest_pages_with_the_demo(app, runner):
    runner.invoke(args=["demo"])
    client = app.test_client()
    home = client.get("/")
    assert "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính" in home.text
    assert "Đang mở" in home.text and 'lang="vi"' in home.text
    page = client.get("/cuoc-thi/tim-hieu-cai-cach-hanh-chinh")
    assert "Thể lệ" in page.text and "Đăng nhập để thi" in page.text


def test_bank_pages_search_edit_retire_and_quota_form(app, organiser, make_bank, clock):
    rows = bank_rows(6)
    rows[0][8] = "Chính quyền số"
    bank_id = make_bank(rows)
    client = organiser.client
    token = csrf_from(client.get("/to-chuc/").text)
    page = client.get(f"/to-chuc/ngan-hang/{bank_id}?q=số 2")
    assert "1 câu phù hợp" in page.text and "Câu hỏi số 2?" in page.text
    qid = int(re.search(r'id="question-(\d+)"', page.text).group(1))
    edit_url = f"/to-chuc/ngan-hang/{bank_id}/cau-hoi/{qid}"
    form = client.get(edit_url).text
    assert 'value="B2"' in form and 'value="C"' in form  # the key of question 2
    bad = client.post(
        edit_url, data={"csrf_token": token, "text": "Sửa?", "A": "x", "correct": "B"}
    )
    assert bad.status_code == 422 and "Cần ít nhất hai phương án" in bad.text
    good = client.post(
        edit_url,
        data={
            "csrf_token": token,
            "text": "Câu đã sửa?",
            "A": "x",
            "B": "y",
            "correct": "B",
            "difficulty": "hard",
        },
    )
    assert good.status_code == 302
    listed = client.get(f"/to-chuc/ngan-hang/{bank_id}?difficulty=hard").text
    assert "Câu đã sửa?" in listed and "<td>Khó</td>" in listed  # the code, shown by its label
    assert '<option value="hard" selected>Khó</option>' in listed
    assert 'value="hard" selected' in client.get(edit_url).text
    client.get("/ngon-ngu/en")
    assert "<td>Hard</td>" in client.get(f"/to-chuc/ngan-hang/{bank_id}").text
    client.get("/ngon-ngu/vi")
    client.post(f"{edit_url}/thoi-dung", data={"csrf_token": token})
    assert "Câu đã sửa?" not in client.get(f"/to-chuc/ngan-hang/{bank_id}").text
    client.post(
        "/to-chuc/cuoc-thi/moi",
        data={"csrf_token": token, "title": "Thi quý", "slug": "thi-quy", "masking": "none"},
    )
    refused = client.post(
        "/to-chuc/cuoc-thi/thi-quy",
        data={
            "csrf_token": token,
            "name": "Tuần 1",
            "opens_at": "2026-03-02T09:00",
            "closes_at": "2026-03-09T09:00",
            "bank_id": bank_id,
            "question_count": "4",
            "time_limit_min": "10",
            "quota_count_1": "2",
            "quota_topic_1": "Chính quyền số",
        },
    )
    assert refused.status_code == 422 and "chỉ có 1" in refused.text


def test_submit_form_carries_the_chosen_answers_without_javascript(
    app, make_round, register, clock
):
    rnd = make_round()
    api = register()
    contest = api.client.get("/cuoc-thi/thu").text
    started = api.client.post(
        f"/dot-thi/{rnd['id']}/bat-dau", data={"csrf_token": csrf_from(contest)}
    )
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[-1])
    attempt = api.get(f"/api/v1/attempts/{attempt_id}").json
    form = {"csrf_token": csrf_from(contest)}
    for q in attempt["questions"]:
        form[f"q-{q['id']}"] = str(correct_choice_ids(app, q["id"])[0])
    done = api.client.post(f"/bai-thi/{attempt_id}/nop", data=form, follow_redirects=True)
    assert 'id="score">5/5<' in done.text.replace(" ", "")
