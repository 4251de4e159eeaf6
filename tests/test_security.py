"""Nothing lost, nobody cheats, nobody gets in: backup/restore, rate limits, abuse signs, the
access matrix over every declared route, the key-leak walk, cookies and password hashes."""

import re
import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest
from conftest import Api, correct_choice_ids, csrf_from
from test_results import play

from contest.auth import CAPABILITIES
from contest.extensions import db, limiter
from contest.views.api.spec import OPERATIONS


def test_backup_is_a_consistent_copy_and_restores(
    app, make_round, register, clock, runner, tmp_path
):
    rnd = make_round()
    play(app, register(), rnd["id"], 3, clock, 10)
    out = tmp_path / "sao-luu.db"
    result = runner.invoke(args=["backup", str(out)])
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "sqlite":
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(out)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT status, score FROM attempts").fetchall() == [("submitted", 3.0)]
    from contest import create_app

    restored = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{out}", "TESTING": True})
    board = restored.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json
    with restored.app_context():
        db.engine.dispose()  # the copy's pooled connections closed, not left to the GC
    assert board["entries"][0]["score"] == 3.0
    assert runner.invoke(args=["backup", str(out)]).exit_code != 0  # never overwrites


@pytest.fixture
def tight_limits(app, monkeypatch):
    def set_limits(**limits):
        for key, value in limits.items():
            monkeypatch.setitem(app.config, key, value)
        limiter.reset()

    yield set_limits
    limiter.reset()


def test_login_is_limited_per_account_too(organiser, app, tight_limits):
    tight_limits(RATE_LIMIT_LOGIN_ACCOUNT="3 per minute")
    api = Api(app.test_client())
    codes = [
        api.post("/api/v1/login", json={"login": "btc@example.vn", "password": "sai"}).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    other = api.post("/api/v1/login", json={"login": "khac@example.vn", "password": "sai"})
    assert other.status_code == 401


def test_saves_are_limited_per_attempt(make_round, register, tight_limits):
    api = register()
    attempt = api.post(f"/api/v1/rounds/{make_round()['id']}/attempts").json
    tight_limits(RATE_LIMIT_SAVES="5 per minute")
    q = attempt["questions"][0]
    codes = [
        api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": [q["choices"][0]["id"]], "seq": i},
        ).status_code
        for i in range(1, 7)
    ]
    assert codes == [200] * 5 + [429]
    limited = api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json={"choices": [], "seq": 9}
    )
    assert limited.headers["Retry-After"] and "thử lại" in limited.json["error"]["message"]


def test_registration_is_limited_per_address(organiser, app, tight_limits):
    tight_limits(RATE_LIMIT_REGISTER="2 per minute")
    codes = [
        Api(app.test_client())
        .post(
            "/api/v1/register",
            json={
                "full_name": "Người Thử",
                "phone": f"090000000{i}",
                "password": "matkhau1",
                "unit_code": "PNV",
            },
        )
        .status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]


def test_abuse_report_shows_shared_origins_and_fast_attempts(app, organiser, make_round, clock):
    rnd = make_round()
    client = app.test_client()  # one browser: one device cookie, one address
    client.get("/")
    apis = []
    for i in range(5):
        api = Api(client)
        api.post(
            "/api/v1/register",
            json={
                "full_name": f"Nick {i}",
                "phone": f"09350000{i:02d}",
                "password": "matkhau1",
                "unit_code": "PNV",
            },
        )
        api.refresh_csrf()
        apis.append(api)
    play(app, apis[-1], rnd["id"], 5, clock, 3)  # 5 questions in 3 s, all right
    page = organiser.client.get("/to-chuc/cuoc-thi/thu/bat-thuong").text
    section = page.split('id="nhieu-tai-khoan"')[1].split("</section>")[0]
    assert section.count("5 tài khoản") == 2  # the same address and the same device
    fast = page.split('id="qua-nhanh"')[1]
    assert "Nick 4" in fast and "0:03.0" in fast


def _fill(rule: str, ids: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule)


@pytest.fixture
def world(app, organiser, make_round, register, clock):
    """One of everything, owned by the first organisation and a first participant."""
    rnd = make_round()
    owner = register()
    attempt = owner.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    q = attempt["questions"][0]
    entry_owner = register(phone="0912000777")
    play(app, entry_owner, rnd["id"], 2, clock, 10)
    with app.app_context():
        from contest.models import Entry

        entry_id = db.session.scalars(db.select(Entry.id)).first()
    batch = organiser.post("/api/v1/contests/thu/certificates/batch", json={})
    assert batch.status_code == 202, batch.json  # a certificate batch (empty: none issued yet)
    ids = {
        "slug": "thu",
        "round_id": rnd["id"],
        "bank_id": rnd["bank_id"],
        "attempt_id": attempt["id"],
        "question_id": q["id"],
        "entry_id": entry_id,
        "code": "0000-0000-0000-0000",
        "sha256": "0" * 64,
        "batch_id": batch.json["id"],
        "user_id": entry_owner.user["id"],
    }
    return ids, owner


def test_access_matrix_over_every_declared_route(app, runner, world, register):
    ids, _owner = world
    stranger = register(phone="0912000888")
    runner.invoke(
        args=[
            "create-organiser",
            "khac@example.vn",
            "--password",
            "matkhau1",
            "--name",
            "Tỉnh khác",
            "--organisation",
            "tinh-khac",
        ]
    )
    other_org = Api(app.test_client())
    other_org.post("/api/v1/login", json={"login": "khac@example.vn", "password": "matkhau1"})
    other_org.refresh_csrf()
    checked = 0
    for op in OPERATIONS:
        url = "/api/v1" + _fill(op.rule, ids)
        if op.auth in CAPABILITIES:
            assert app.test_client().open(url, method=op.method).status_code in (400, 401), url
            assert stranger.call(op.method, url, json={}).status_code == 403, (op.method, url)
            if "<" in op.rule and op.rule != "/banks/template.xlsx":
                code = other_org.call(op.method, url, json={}).status_code
                assert code in (404, 422), (op.method, url, code)
            checked += 1
        elif "attempt_id" in op.rule:
            assert (
                stranger.call(op.method, url, json={"choices": [], "seq": 1}).status_code == 404
            ), url
            assert app.test_client().open(url, method=op.method).status_code in (400, 401)
            checked += 1
    assert checked >= 25
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/to-chuc") and "GET" in rule.methods:
            url = _fill(rule.rule, ids | {"pending_id": 1})
            assert stranger.client.get(url).status_code == 403, url
            assert app.test_client().get(url).status_code == 302, url


def test_every_participant_route_hides_the_key_while_the_round_is_open(app, world, clock):
    ids, owner = world
    q = ids["question_id"]
    owner.put(
        f"/api/v1/attempts/{ids['attempt_id']}/answers/{q}",
        json={"choices": correct_choice_ids(app, q), "seq": 1},
    )
    walked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/to-chuc", "/static")):
            continue
        if rule.rule.endswith(("/openapi.json", "/template.xlsx")):
            continue  # the API's description and the blank template: no contest's key
        op = next(
            (o for o in OPERATIONS if "/api/v1" + o.rule == rule.rule and o.method == "GET"), None
        )
        if op is not None and op.auth in CAPABILITIES:
            continue
        response = owner.client.get(_fill(rule.rule, ids), follow_redirects=True)
        assert response.status_code < 500, rule.rule
        body = response.get_data(as_text=True)
        assert '"correct"' not in body and '"explanation"' not in body, rule.rule
        assert 'class="key' not in body, rule.rule
        walked += 1
    assert walked >= 15


def test_cookies_and_password_hashes(app, organiser, monkeypatch):
    client = app.test_client()
    token = csrf_from(client.get("/dang-nhap").text)
    response = client.post(
        "/dang-nhap", data={"csrf_token": token, "login": "btc@example.vn", "password": "matkhau1"}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    secure = app.test_client()
    token = csrf_from(secure.get("/dang-nhap").text)
    response = secure.post(
        "/dang-nhap", data={"csrf_token": token, "login": "btc@example.vn", "password": "matkhau1"}
    )
    assert any("Secure" in c for c in response.headers.getlist("Set-Cookie"))
    # only a "Ghi nhớ đăng nhập" session is permanent (30 days); this one ends with the
    # browser, and on the server after 24 h (tests/test_sessions.py)
    assert app.permanent_session_lifetime == timedelta(days=30)
    assert not any(
        "Expires=" in c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")
    )
    with app.app_context():
        from contest.models import User

        assert db.session.scalars(db.select(User.password_hash)).first().startswith("$argon2id$")


def test_grace_is_configurable(app, organiser, make_round, register, clock, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_GRACE_S", 45)
    body = {
        "name": "x",
        "opens_at": "2026-03-02T09:00:00+07:00",
        "closes_at": "2026-03-09T09:00:00+07:00",
        "bank_id": make_round()["bank_id"],
        "question_count": 5,
        "time_limit_s": 600,
    }
    assert organiser.post("/api/v1/contests/thu/rounds", json=body).json["grace_s"] == 45
