"""The lean "load my exam" (contest/lean_read.py): the caller's ordinary attempt in progress is
answered before Flask with the route's own body and headers; everything else (someone else's
attempt, one to expire, a finished one, a revealed key, pictures, a scoped sign-in, a query
string) is handed to the route, which answers as before."""

import pytest

from contest import lean_save
from contest.extensions import db
from contest.models import Attempt, Entry

VOLATILE = {"Date", "Set-Cookie"}


@pytest.fixture
def lean_reads(monkeypatch):
    """The attempt loads the lean path answered itself: True, or False for a hand-over."""
    seen = []
    original = lean_save.LeanSave.serve_attempt

    def spy(self, environ, attempt_id):
        reply = original(self, environ, attempt_id)
        seen.append(reply is not None)
        return reply

    monkeypatch.setattr(lean_save.LeanSave, "serve_attempt", spy)
    return seen


def _started(make_round, register, phone, **round_settings):
    rnd = make_round(**round_settings)
    api = register(phone=phone)
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    return api, attempt


def _both_ways(app, monkeypatch, get):
    """(lean reply, Flask's reply) of the same request."""
    lean = get()
    monkeypatch.setitem(app.config, "LEAN_READ", False)
    slow = get()
    monkeypatch.setitem(app.config, "LEAN_READ", True)
    return lean, slow


def _same(lean, slow):
    assert lean.status_code == slow.status_code == 200
    strip = ("server_now",)
    assert {k: v for k, v in lean.json.items() if k not in strip} == {
        k: v for k, v in slow.json.items() if k not in strip
    }
    assert list(lean.json) == list(slow.json)  # the same keys, sorted the same way
    headers = {k: v for k, v in lean.headers.items() if k not in VOLATILE | {"Content-Length"}}
    assert headers == {
        k: v for k, v in slow.headers.items() if k not in VOLATILE | {"Content-Length"}
    }


def test_an_ordinary_load_is_lean_with_the_routes_reply(
    app, make_round, register, lean_reads, monkeypatch
):
    api, attempt = _started(make_round, register, "0912000701")
    question = attempt["questions"][1]
    choice = question["choices"][2]["id"]
    api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
        json={"choices": [choice], "seq": 1},
    )
    url = f"/api/v1/attempts/{attempt['id']}"
    lean, slow = _both_ways(app, monkeypatch, lambda: api.get(url))
    assert lean_reads == [True]  # the second went the long way
    _same(lean, slow)
    assert lean.json["answers"] == {str(question["id"]): [choice]}
    assert [q["id"] for q in lean.json["questions"]] == [q["id"] for q in attempt["questions"]]
    assert lean.json["questions"] == attempt["questions"]  # the draw's order, shuffled choices
    assert "correct" not in lean.json["questions"][0]  # no key while the round runs
    bearer = {"Authorization": f"Bearer {api.token}"}
    lean, slow = _both_ways(app, monkeypatch, lambda: api.client.get(url, headers=bearer))
    assert lean_reads == [True, True]
    _same(lean, slow)


def test_a_voided_entry_of_the_round_is_told_the_lean_way_too(
    app, make_round, register, lean_reads, monkeypatch
):
    api, first = _started(make_round, register, "0912000702", max_attempts=2)
    assert api.post(f"/api/v1/attempts/{first['id']}/submit", json={}).status_code == 200
    with app.app_context():
        entry = db.session.query(Entry).filter_by(attempt_id=first["id"]).one()
        entry.voided, entry.void_reason = True, "Thi hộ"
        db.session.commit()
    second = api.post(f"/api/v1/rounds/{first['round_id']}/attempts").json
    lean, slow = _both_ways(app, monkeypatch, lambda: api.get(f"/api/v1/attempts/{second['id']}"))
    assert lean_reads == [True]
    _same(lean, slow)
    assert lean.json["voided"] is True and lean.json["void_reason"] == "Thi hộ"


def test_everything_else_goes_to_the_route(app, make_round, register, lean_reads, clock):
    api, attempt = _started(make_round, register, "0912000703")
    other = register(phone="0912000704")
    url = f"/api/v1/attempts/{attempt['id']}"
    assert other.get(url).status_code == 404  # someone else's
    assert app.test_client().get(url).status_code == 401  # nobody's
    assert api.get(url + "?x=1").status_code == 200  # a query string: Flask's to read
    assert api.get(f"/api/v1/attempts/{2**31}").status_code == 404
    assert lean_reads == [False, False, False]  # a query string never reaches it
    assert api.post(url + "/submit", json={}).status_code == 200
    finished = api.get(url)
    assert finished.status_code == 200 and finished.json["status"] == "submitted"
    assert lean_reads == [False, False, False, False]


def test_an_overdue_attempt_is_expired_by_the_route(app, make_round, register, lean_reads, clock):
    api, attempt = _started(make_round, register, "0912000705", time_limit_s=60, grace_s=5)
    clock.advance(seconds=70)
    response = api.get(f"/api/v1/attempts/{attempt['id']}")
    assert lean_reads == [False]
    assert response.status_code == 200 and response.json["status"] == "expired"
    with app.app_context():
        assert db.session.get(Attempt, attempt["id"]).status == "expired"


def test_an_attempt_with_pictures_is_answered_by_the_route(
    app, organiser, make_round, register, lean_reads
):
    import io

    import picture_files

    data = {"file": (io.BytesIO(picture_files.docx_bank()), "co-hinh.docx"), "name": "Có hình"}
    bank = organiser.post("/api/v1/banks", data=data)
    assert bank.status_code == 201, bank.json
    rnd = make_round(bank_id=bank.json["id"], question_count=2)
    api = register(phone="0912000706")
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    loaded = api.get(f"/api/v1/attempts/{attempt['id']}")
    assert lean_reads == [False]
    assert loaded.status_code == 200 and loaded.json["questions"] == attempt["questions"]


def test_a_database_failure_is_the_apis_500_both_ways(
    app, make_round, register, lean_reads, monkeypatch
):
    """As for a save (tests/test_lean_save.py): the failure is rolled back and answered by
    Flask's 500, once, without the route read again."""
    from contest import lean_read
    from contest.views.api import attempts as attempt_views

    api, attempt = _started(make_round, register, "0912000631")
    url = f"/api/v1/attempts/{attempt['id']}"
    with app.app_context():
        dbapi = db.engine.dialect.loaded_dbapi

    def failing(*args, **kwargs):
        raise dbapi.OperationalError("injected failure")

    monkeypatch.setattr(lean_read, "read_attempt", failing)
    monkeypatch.setattr(attempt_views, "own_attempt", failing)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    lean, slow = _both_ways(app, monkeypatch, lambda: api.get(url))
    assert lean_reads == [False]
    assert lean.status_code == slow.status_code == 500
    assert lean.json == slow.json and lean.json["error"]["code"] == "internal_server_error"


def test_a_host_not_trusted_is_the_routes_400(app, make_round, register, lean_reads, monkeypatch):
    api, attempt = _started(make_round, register, "0912000632")
    url = f"/api/v1/attempts/{attempt['id']}"
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost"])
    bearer = {"Authorization": f"Bearer {api.token}"}  # cookies stay with localhost
    refused = api.client.get(url, headers=bearer | {"Host": "evil.example"})
    assert refused.status_code == 400 and lean_reads == [False]  # handed over
    assert api.client.get(url, headers=bearer).status_code == 200 and lean_reads == [False, True]
