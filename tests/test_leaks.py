"""No response to a participant during an open round says which choice is correct, or carries
an explanation; after the round closes (and its grace) the key is shown."""

import re
from datetime import timedelta

from conftest import START, correct_choice_ids, iso

EXPLANATION = "GIẢI-THÍCH-BÍ-MẬT"


def _bank(make_bank):
    rows = [
        [
            i,
            f"Câu {i}?",
            f"a{i}",
            f"b{i}",
            f"c{i}",
            f"d{i}",
            "B",
            f"{EXPLANATION} {i}",
            "Chủ đề",
            "Dễ",
            1,
        ]
        for i in range(1, 8)
    ]
    return make_bank(rows)


# Routes the url_map walk leaves out, and why:
EXCLUDED = {
    "static",  # files from static/: no database, no key
    "api.openapi",  # the API's schema names the field "correct"; it holds no answer, no data
}
# Binary downloads (xlsx, pdf, png, docx, svg) are checked for being refused or key-free as bytes.


def _every_get_url(app, ids: dict) -> list[str]:
    """Every GET route of the app with its variables filled in: a new route is covered at once.
    Variables with no known value (a certificate code, an image hash, a batch id) get one that
    matches nothing: the route must still answer without a server error and without the key."""
    filler = {"code": "khong-co", "sha256": "0" * 64, "batch_id": 999999} | ids
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in EXCLUDED:
            continue
        missing = rule.arguments - filler.keys()
        assert not missing, f"{rule.rule}: give the walk a value for {sorted(missing)}"
        _host, url = rule.build({name: filler[name] for name in rule.arguments})
        urls.append(url)
    return urls


def _walk(client, urls):
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        yield url, response


def test_nothing_participant_facing_leaks_the_key(app, make_round, make_bank, register, clock):
    rnd = make_round(bank_id=_bank(make_bank), closes_at=iso(START + timedelta(hours=1)))
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    q = attempt["questions"][0]
    api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
        json={"choices": correct_choice_ids(app, q["id"]), "seq": 1},
    )
    urls = [
        "/",
        "/cuoc-thi/thu",
        f"/dot-thi/{rnd['id']}/xep-hang",
        f"/bai-thi/{attempt['id']}",
        f"/api/v1/attempts/{attempt['id']}",
        "/api/v1/contests",
        "/api/v1/contests/thu",
        f"/api/v1/rounds/{rnd['id']}/leaderboard",
        "/api/v1/contests/thu/units/ranking",
    ]
    for _url, response in _walk(api.client, urls):
        assert EXPLANATION not in response.text
        assert '"correct"' not in response.text and "explanation" not in response.text
        assert 'class="key"' not in response.text
    bank_id = api.get(f"/api/v1/rounds/{rnd['id']}").json.get("bank_id") or 1
    ids = {
        "slug": "thu",
        "round_id": rnd["id"],
        "attempt_id": attempt["id"],
        "bank_id": bank_id,
        "question_id": q["id"],
    }
    for url in _every_get_url(app, ids):  # whatever a participant may open, or is refused
        response = api.client.get(url, follow_redirects=True)
        assert response.status_code < 500, url
        assert EXPLANATION.encode() not in response.data, url
        assert b'"correct"' not in response.data and b'class="key"' not in response.data, url
    done = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).json
    assert "correct" not in str(done["questions"]) and EXPLANATION not in str(done)
    for _url, response in _walk(
        api.client,
        urls[:3] + [f"/bai-thi/{attempt['id']}/ket-qua", f"/api/v1/attempts/{attempt['id']}"],
    ):
        assert EXPLANATION not in response.text and '"correct"' not in response.text
    clock.advance(hours=1, seconds=29)  # closed, but attempts may still write during grace
    assert EXPLANATION not in api.get(f"/api/v1/attempts/{attempt['id']}").text
    clock.advance(seconds=2)
    after = api.get(f"/api/v1/attempts/{attempt['id']}").json
    assert after["questions"][0]["correct"] == correct_choice_ids(app, q["id"])
    assert EXPLANATION in after["questions"][0]["explanation"]
    page = api.get(f"/bai-thi/{attempt['id']}/ket-qua").text
    assert EXPLANATION in page and re.search(r'class="key', page)


def test_security_headers_and_cookie(app, register):
    api = register()
    response = api.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = app.test_client().post("/api/v1/login", json={"login": "x", "password": "y"})
    assert cookie.status_code == 401
    page = api.get("/cuoc-thi/khong-co")
    assert page.status_code == 404 and "Không tìm thấy" in page.text
    assert "<script>" not in api.get("/").text
