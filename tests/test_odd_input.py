"""Odd input answers 4xx, never 500: odd bodies and ids, control characters and NUL in names, a far
stray cell, characters an .xlsx cannot hold."""

from conftest import Api, csrf_from


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
    response = Api(app.test_client()).register("Nguyễn\x07 An", "0944444444")
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


def test_a_host_outside_trusted_hosts_gets_a_400_page_not_a_500(app, client, monkeypatch):
    """With TRUSTED_HOSTS set, a page asked under another Host cannot be routed (no link can be
    built): a plain Vietnamese 400 page with no link, and the API's own 400; the site's own
    name is served as usual."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["thi.example.vn"])
    page = client.get("/", headers={"Host": "gia-mao.example"})
    assert page.status_code == 400
    assert "Địa chỉ trang không hợp lệ" in page.get_data(as_text=True)
    assert "href" not in page.get_data(as_text=True)
    api = client.get("/api/v1/contests", headers={"Host": "gia-mao.example"})
    assert api.status_code == 400 and api.json["error"]["code"]
    assert client.get("/", headers={"Host": "thi.example.vn"}).status_code == 200
