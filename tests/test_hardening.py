"""What the review found, kept fixed: concurrency, cross-round key leaks, odd input, redirects,
bearer tokens, predictions shown too early."""

import threading
from datetime import timedelta

from conftest import START, Api, correct_choice_ids, csrf_from, iso
from test_results import play


def _parallel(count, work):
    results, threads = [None] * count, []
    for i in range(count):
        threads.append(threading.Thread(target=lambda i=i: results.__setitem__(i, work(i))))
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_simultaneous_saves_and_starts_never_fail(app, make_round, register, clock):
    rnd = make_round(max_attempts=0)
    people = [register(phone=f"09120003{i:02d}") for i in range(6)]
    starts = _parallel(
        12, lambda i: people[i % 6].post(f"/api/v1/rounds/{rnd['id']}/attempts").status_code
    )
    assert sorted(starts) == [200] * 6 + [201] * 6
    attempts = [p.post(f"/api/v1/rounds/{rnd['id']}/attempts").json for p in people]

    def save(i):
        api, attempt = people[i % 6], attempts[i % 6]
        q = attempt["questions"][i % 5]
        return api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": [q["choices"][0]["id"]], "seq": i + 1},
        ).status_code

    assert set(_parallel(60, save)) == {200}


def test_simultaneous_registrations_answer_409_not_500(app, organiser):
    def go(_i):
        return (
            Api(app.test_client())
            .post(
                "/api/v1/register",
                json={
                    "full_name": "Đỗ Văn Em",
                    "phone": "0933333333",
                    "password": "matkhau1",
                    "unit_code": "PNV",
                },
            )
            .status_code
        )

    codes = _parallel(4, go)
    assert sorted(codes) == [201, 409, 409, 409]


def test_key_stays_hidden_while_another_round_draws_from_the_same_bank(
    app, make_round, make_bank, register, clock
):
    bank = make_bank()
    week1 = make_round(bank_id=bank, closes_at=iso(START + timedelta(hours=1)))
    make_round(
        bank_id=bank,
        name="Tuần 2",
        opens_at=iso(START + timedelta(hours=2)),
        closes_at=iso(START + timedelta(days=7)),
    )
    api = register()
    attempt = play(app, api, week1["id"], 3, clock, 10)
    clock.advance(hours=3)  # week 1 is over, week 2 is open with the same questions
    shown = api.get(f"/api/v1/attempts/{attempt['id']}").json
    assert "correct" not in shown["questions"][0]
    assert 'class="key' not in api.get(f"/bai-thi/{attempt['id']}/ket-qua").text
    clock.advance(days=8)  # the cookie session has ended (24 h); the token lives 30 days
    assert (
        "correct"
        in api.get(
            f"/api/v1/attempts/{attempt['id']}", headers={"Authorization": f"Bearer {api.token}"}
        ).json["questions"][0]
    )


def test_resume_during_the_grace_after_the_round_closes(app, make_round, register, clock):
    rnd = make_round(closes_at=iso(START + timedelta(minutes=5)), grace_s=30)
    api = register()
    first = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    clock.advance(minutes=5, seconds=10)
    again = api.post(f"/api/v1/rounds/{rnd['id']}/attempts")
    assert again.status_code == 200 and again.json["id"] == first["id"]
    q = first["questions"][0]
    saved = api.put(
        f"/api/v1/attempts/{first['id']}/answers/{q['id']}",
        json={"choices": correct_choice_ids(app, q["id"]), "seq": 1},
    )
    assert saved.status_code == 200
    assert api.post(f"/api/v1/attempts/{first['id']}/submit", json={}).json["score"] == 1.0


def test_predictions_are_private_until_the_round_is_over(app, make_round, register, clock):
    rnd = make_round(prediction="perfect_count", closes_at=iso(START + timedelta(hours=1)))
    play(app, register(), rnd["id"], 5, clock, 10, prediction=7)
    board = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert "prediction" not in board[0]
    clock.advance(hours=2)
    board = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert board[0]["prediction"] == 7


def test_odd_input_answers_4xx_never_500(app, make_round, register, organiser):
    rnd = make_round()
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    q = attempt["questions"][0]
    assert api.get("/api/v1/attempts/99999999999999999999").status_code == 404
    assert api.get("/api/v1/rounds/99999999999999999999/leaderboard").status_code == 404
    url = f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}"
    assert api.put(url, data="{not json", content_type="application/json").status_code == 400
    assert api.put(url, json=[1, 2]).status_code == 400
    assert api.put(url, json={"choices": [], "seq": True}).status_code == 422
    assert api.put(url, json={"choices": [2**40], "seq": 1}).status_code == 422
    assert api.put(url, json={"choices": [], "seq": 10**30}).status_code == 422
    for when in ("0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-12:00"):
        response = organiser.post(
            "/api/v1/contests/thu/rounds",
            json={
                "name": "x",
                "opens_at": when,
                "closes_at": when,
                "bank_id": 2**40,
                "question_count": 1,
                "time_limit_s": 60,
            },
        )
        assert response.status_code == 422
        assert {"opens_at", "closes_at", "bank_id"} <= set(response.json["error"]["fields"])
    page = api.client.post(
        f"/bai-thi/{attempt['id']}/nop",
        data={
            "csrf_token": csrf_from(api.get(f"/bai-thi/{attempt['id']}").text),
            "prediction": "²",
        },
    )
    assert page.status_code == 302


def test_names_with_control_characters_are_refused(organiser, app):
    response = Api(app.test_client()).post(
        "/api/v1/register",
        json={
            "full_name": "Nguyễn\x07 An",
            "phone": "0944444444",
            "password": "matkhau1",
            "unit_code": "PNV",
        },
    )
    assert response.status_code == 422 and "full_name" in response.json["error"]["fields"]


def test_export_cells_drop_characters_xlsx_cannot_hold():
    import io

    from openpyxl import Workbook, load_workbook

    from question_bank.export_safety import text_cell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append([text_cell(ws, "A\x07B"), text_cell(ws, "@SUM(1)")])
    out = io.BytesIO()
    wb.save(out)
    row = next(load_workbook(out)["x"].iter_rows(values_only=True))
    assert row == ("AB", "@SUM(1)")


def test_login_redirects_only_within_the_site(organiser, app):
    for target in (
        "//evil.example",
        "/\\evil.example",
        "https://e.vn/",
        "/\n/x",
        "/\t/evil.example",
    ):
        client = app.test_client()
        token = csrf_from(client.get("/dang-nhap").text)
        response = client.post(
            "/dang-nhap",
            query_string={"next": target},
            data={"csrf_token": token, "login": "btc@example.vn", "password": "matkhau1"},
        )
        assert response.headers["Location"] == "/to-chuc/", target


def test_a_bearer_header_must_be_valid_and_logout_revokes_it(app, make_round, register):
    rnd = make_round()
    api = register()
    bogus = api.client.post(
        f"/api/v1/rounds/{rnd['id']}/attempts", headers={"Authorization": "Bearer bogus"}
    )
    assert bogus.status_code == 401
    headers = {"Authorization": f"Bearer {api.token}"}
    bare = app.test_client()
    assert bare.get("/api/v1/session", headers=headers).json["user"]["id"] == api.user["id"]
    assert bare.post("/api/v1/logout", headers=headers).status_code == 204
    assert app.test_client().get("/api/v1/banks", headers=headers).status_code == 401


def test_a_far_stray_cell_does_not_make_the_reader_walk_a_million_rows(organiser):
    import io
    import time

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Câu hỏi", "A", "B", "Đáp án đúng"])
    ws.append(["Một?", "a", "b", "A"])
    ws.cell(row=1_000_000, column=1, value="x")
    data = io.BytesIO()
    wb.save(data)
    began = time.perf_counter()
    response = organiser.post(
        "/api/v1/banks", data={"file": (io.BytesIO(data.getvalue()), "nh.xlsx")}
    )
    assert response.status_code == 201 and response.json["question_count"] == 1
    assert time.perf_counter() - began < 5


def test_nul_characters_are_refused_everywhere(app, organiser, make_round):
    make_round()
    bad_json = [
        ("POST", "/api/v1/contests", {"slug": "abcd", "title": "A\x00B"}),
        ("POST", "/api/v1/contests/thu/blocks", {"name": "0\x00", "category": "cbccvc"}),
        ("PUT", "/api/v1/contests/thu", {"title": "x\x00y"}),
        ("POST", "/api/v1/login", {"login": "a\x00", "password": "x"}),
    ]
    for method, url, body in bad_json:
        response = organiser.call(method, url, json=body)
        assert response.status_code == 422, (url, response.status_code)
    for url in ("/api/v1/contests/th%00u", "/api/v1/banks/1/questions?q=%00", "/cuoc-thi/th%00u"):
        assert organiser.get(url).status_code == 400, url
