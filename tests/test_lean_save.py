"""The lean answer save (contest/lean_save.py): ordinary saves are served before Flask with the
same answers and headers as the Flask route; everything else is handed to the route, which
answers as before, and a handed-over save is counted against the limit once."""

import pytest
from flask import request
from flask_login.utils import _create_identifier

from contest import lean_save
from contest.models import Attempt

VOLATILE = {"Date", "Set-Cookie", "X-RateLimit-Reset", "Retry-After", "X-RateLimit-Remaining"}


def _attempt(make_round, register, phone):
    rnd = make_round()
    api = register(phone=phone)
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    question = attempt["questions"][0]
    url = f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}"
    return api, attempt, url, question["choices"][0]["id"]


def _headers(response) -> dict:
    return {k: v for k, v in response.headers.items() if k not in VOLATILE}


def test_cookie_and_bearer_saves_are_served_lean_with_the_routes_answer(
    app, make_round, register, served, monkeypatch, tight_limits
):
    tight_limits(RATE_LIMIT_SAVES="120 per minute")
    api, attempt, url, choice = _attempt(make_round, register, "0912000401")
    lean = api.put(url, json={"choices": [choice], "seq": 1})
    bearer = api.client.put(
        url,
        json={"choices": [choice], "seq": 2},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert served == [200, 200]
    monkeypatch.setitem(app.config, "LEAN_SAVE", False)
    slow = api.put(url, json={"choices": [choice], "seq": 3})
    assert served == [200, 200]  # the middleware stood aside
    for response, seq in ((lean, 1), (bearer, 2), (slow, 3)):
        assert response.status_code == 200
        assert response.json["saved_seq"] == seq and response.json["server_now"]
    assert _headers(lean) == _headers(slow) == _headers(bearer)
    assert sorted(lean.json) == sorted(slow.json)
    assert int(lean.headers["X-RateLimit-Remaining"]) == 119
    assert int(slow.headers["X-RateLimit-Remaining"]) == 117  # one count each, both ways
    assert lean.headers["Retry-After"].isdigit()
    stored = api.get(f"/api/v1/attempts/{attempt['id']}").json["answers"]
    qid = int(url.rsplit("/", 1)[1])
    assert stored[str(qid)] == [choice]


def test_a_lower_seq_is_not_stored_and_the_stored_seq_is_answered(make_round, register, served):
    api, _attempt_json, url, choice = _attempt(make_round, register, "0912000402")
    assert api.put(url, json={"choices": [choice], "seq": 5}).json["saved_seq"] == 5
    assert api.put(url, json={"choices": [], "seq": 4}).json["saved_seq"] == 5
    assert served == [200, 200]


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("no_csrf", 400),
        ("bad_body", 422),
        ("foreign_choice", 422),
        ("other_person", 404),
        ("unknown_token", 401),
        ("not_json", 422),
    ],
)
def test_what_the_lean_path_refuses_the_route_answers(
    app, make_round, register, served, case, status
):
    api, _attempt_json, url, choice = _attempt(make_round, register, "0912000403")
    body = {"choices": [choice], "seq": 1}
    if case == "no_csrf":
        response = api.client.put(url, json=body)
    elif case == "bad_body":
        response = api.put(url, json={"choices": ["1"], "seq": -1})
    elif case == "foreign_choice":
        response = api.put(url, json={"choices": [choice + 1], "seq": 1})
    elif case == "other_person":
        other = register(phone="0912000404", name="Trần Thị Bình")
        response = other.put(url, json=body)
    elif case == "unknown_token":
        response = api.client.put(url, json=body, headers={"Authorization": "Bearer nope"})
    else:
        response = api.put(url, data="choices=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.json["error"]["message"]  # the route's Vietnamese message
    assert 200 not in served


def test_an_overdue_attempt_is_expired_by_the_route_it_is_handed_to(
    app, make_round, register, clock, served
):
    api, attempt, url, choice = _attempt(make_round, register, "0912000405")
    clock.advance(hours=5)
    response = api.put(url, json={"choices": [choice], "seq": 1})
    assert response.status_code == 409 and served == [None]
    with app.app_context():
        from contest.extensions import db

        assert db.session.get(Attempt, attempt["id"]).status != "in_progress"


def test_a_refused_save_is_counted_once(make_round, register, served, tight_limits):
    tight_limits(RATE_LIMIT_SAVES="5 per minute")
    api, _attempt_json, url, choice = _attempt(make_round, register, "0912000406")
    other = register(phone="0912000407", name="Kẻ Phá")
    codes = [other.put(url, json={"choices": [choice], "seq": i}).status_code for i in range(7)]
    assert codes == [404] * 5 + [429] * 2
    saves = [api.put(url, json={"choices": [choice], "seq": i}).status_code for i in range(7)]
    assert saves == [200] * 5 + [429] * 2  # mine are my own count
    limited = api.put(url, json={"choices": [choice], "seq": 9})
    assert limited.headers["Retry-After"] and limited.headers["X-RateLimit-Limit"] == "5"


def test_the_session_identifier_is_flask_logins(app):
    environ = {
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Điện thoại)",
        "HTTP_X_FORWARDED_FOR": "1.2.3.4, 10.0.0.1",
    }
    headers = {"User-Agent": environ["HTTP_USER_AGENT"], "X-Forwarded-For": "1.2.3.4, 10.0.0.1"}
    with app.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.7"}):
        assert request.remote_addr == "10.0.0.7"
        assert lean_save._identifier(environ) == _create_identifier()
    environ.pop("HTTP_X_FORWARDED_FOR")
    environ.pop("HTTP_USER_AGENT")
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.7"}):
        assert lean_save._identifier(environ) == _create_identifier()


def test_saves_to_others_attempt_ids_never_take_the_write_lock(
    app, make_round, register, served, monkeypatch
):
    """A flood of saves to another person's attempt id, or to ids that do not exist, through
    either path, is answered 404 from reads: SQLite's write lock (which every participant's
    save waits for) is never taken for them. One's own save still takes it."""
    from contest import sqlite

    api, _attempt_json, url, choice = _attempt(make_round, register, "0912000406")
    other = register(phone="0912000407", name="Trần Thị Bình")
    taken = []
    original = sqlite._begin_writing
    monkeypatch.setattr(sqlite, "_begin_writing", lambda *a: taken.append(1) or original(*a))
    body = {"choices": [choice], "seq": 1}
    qid = url.rsplit("/", 1)[1]
    for target in (url, f"/api/v1/attempts/987654/answers/{qid}"):
        assert other.put(target, json=body).status_code == 404  # cookie + CSRF
        bearer = {"Authorization": f"Bearer {other.token}"}
        assert other.client.put(target, json=body, headers=bearer).status_code == 404
    assert 200 not in served
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert taken == []
        assert api.put(url, json=body).status_code == 200
        assert taken == [1]


def test_a_database_failure_is_the_apis_500_both_ways_and_nothing_is_kept(
    app, make_round, register, served, monkeypatch
):
    """The database fails after the answer was written (the driver's own error, as raw_sql
    meets it on the cursor): both paths roll back and answer the API's JSON 500, and the next
    save is served lean on a sound connection."""
    from contest.extensions import db
    from contest.services import saves

    api, attempt, url, choice = _attempt(make_round, register, "0912000408")
    with app.app_context():
        dbapi = db.engine.dialect.loaded_dbapi
    original = saves.upsert_answer

    def failing(*args, **kwargs):
        original(*args, **kwargs)
        raise dbapi.OperationalError("injected failure")

    monkeypatch.setattr(saves, "upsert_answer", failing)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    replies = {}
    for lean in (True, False):
        monkeypatch.setitem(app.config, "LEAN_SAVE", lean)
        replies[lean] = api.put(url, json={"choices": [choice], "seq": 1})
    assert served == [None]  # failed on the lean path, answered by Flask
    for reply in replies.values():
        assert reply.status_code == 500, reply.get_data(as_text=True)
        assert reply.json == replies[False].json
        assert reply.json["error"]["code"] == "internal_server_error"
        assert reply.json["error"]["message"].startswith("Máy chủ gặp lỗi")
        assert _headers(reply) == _headers(replies[False])
    monkeypatch.setattr(saves, "upsert_answer", original)
    monkeypatch.setitem(app.config, "LEAN_SAVE", True)
    assert api.get(f"/api/v1/attempts/{attempt['id']}").json["answers"] == {}
    saved = api.put(url, json={"choices": [choice], "seq": 1})
    assert saved.status_code == 200 and saved.json["saved_seq"] == 1 and served[-1] == 200


def test_a_nul_in_the_query_string_is_the_routes_400_both_ways(
    app, make_round, register, served, monkeypatch
):
    api, attempt, url, choice = _attempt(make_round, register, "0912000409")
    codes = {}
    for lean in (True, False):
        monkeypatch.setitem(app.config, "LEAN_SAVE", lean)
        for query in ("?x=%00", "?x=a%00b", "?x=1&y=%00"):
            codes[lean, query] = api.put(url + query, json={"choices": [choice], "seq": 1})
    for (lean, query), reply in codes.items():
        assert reply.status_code == 400, (lean, query)
        assert reply.json["error"]["code"] == codes[False, query].json["error"]["code"]
    assert 200 not in served
    assert api.get(f"/api/v1/attempts/{attempt['id']}").json["answers"] == {}


def test_a_connection_lost_mid_save_leaves_the_pool_sound(
    app, make_round, register, served, monkeypatch
):
    """PostgreSQL: the server ends the save's connection under it. The save answers 500 and
    the connection leaves the pool: every later save is served lean, on a new one."""
    from sqlalchemy import create_engine, text

    from contest.services import saves

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL ends a connection from another one")
    api, _attempt_json, url, choice = _attempt(make_round, register, "0912000410")
    original = saves.upsert_answer

    def cut(attempt_id, question_id, choices, seq, now, conn=None):
        killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with killer.begin() as other:
            pid = conn.connection.dbapi_connection.info.backend_pid
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        killer.dispose()
        return original(attempt_id, question_id, choices, seq, now, conn)

    monkeypatch.setattr(saves, "upsert_answer", cut)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    lost = api.put(url, json={"choices": [choice], "seq": 1})
    assert lost.status_code == 500 and lost.json["error"]["code"] == "internal_server_error"
    monkeypatch.setattr(saves, "upsert_answer", original)
    for seq in range(2, 14):  # more saves than the pool has connections
        assert api.put(url, json={"choices": [choice], "seq": seq}).status_code == 200
    assert served == [None] + [200] * 12


def test_a_host_not_trusted_is_the_routes_400_both_ways(
    app, make_round, register, served, monkeypatch
):
    api, attempt, url, choice = _attempt(make_round, register, "0912000411")
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost", "thi.example.test"])
    bearer = {"Authorization": f"Bearer {api.token}"}  # cookies stay with localhost
    replies = {}
    for lean in (True, False):
        monkeypatch.setitem(app.config, "LEAN_SAVE", lean)
        body = {"choices": [choice], "seq": 1}
        replies[lean] = api.client.put(url, json=body, headers=bearer | {"Host": "evil.example"})
    for reply in replies.values():
        assert reply.status_code == 400 and reply.json == replies[False].json
    assert served == [None]
    assert api.get(f"/api/v1/attempts/{attempt['id']}").json["answers"] == {}
    monkeypatch.setitem(app.config, "LEAN_SAVE", True)
    body = {"choices": [choice], "seq": 2}
    trusted = api.client.put(url, json=body, headers=bearer | {"Host": "thi.example.test"})
    assert trusted.status_code == 200 and served[-1] == 200
