"""An attacker's pass on the fast paths that bypass Flask: the lean answer save
(contest/lean_save.py) and the anonymous page cache (contest/page_cache.py). Each test attacks
through the test client and checks the defence: nothing written, the same answer as the Flask
route, the limit counted once against the right person, nothing personal in the cache."""

import io
import time

import pytest
from conftest import Api
from itsdangerous import TimestampSigner
from werkzeug.middleware.proxy_fix import ProxyFix

from contest.extensions import cache, db
from contest.models import Answer, ApiToken, UserSession

CCCD = "001203004005"


def _start(api, rnd):
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    question = attempt["questions"][0]
    url = f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}"
    return attempt, url, question["choices"][0]["id"]


def _attempt(make_round, register, phone="0912000501"):
    api = register(phone=phone)
    return (api, *_start(api, make_round()))


def _stored(app, attempt_id) -> dict:
    """The answers stored for the attempt: {question_id: (choices, seq)}."""
    with app.app_context():
        rows = db.session.scalars(db.select(Answer).filter_by(attempt_id=attempt_id)).all()
        stored = {a.question_id: (a.choices, a.seq) for a in rows}
        db.session.remove()
        return stored


# --- another participant, stolen or stale credentials ------------------------------------


def test_my_attempt_with_their_token_or_cookie_writes_nothing(app, make_round, register, served):
    me, attempt, url, choice = _attempt(make_round, register)
    other = register(phone="0912000502", name="Kẻ Phá")
    body = {"choices": [], "seq": 2**53}  # would clear my answer and block my later saves
    bearer = other.client.put(url, json=body, headers={"Authorization": f"Bearer {other.token}"})
    cookie = other.put(url, json=body)
    assert bearer.status_code == cookie.status_code == 404
    assert served == [None, None] and _stored(app, attempt["id"]) == {}
    assert me.put(url, json={"choices": [choice], "seq": 1}).json["saved_seq"] == 1


def test_my_cookie_without_my_csrf_token_writes_nothing(app, make_round, register, served):
    me, attempt, url, choice = _attempt(make_round, register)
    other = register(phone="0912000503", name="Kẻ Phá")
    body = {"choices": [choice], "seq": 1}
    replays = [
        me.client.put(url, json=body),  # a cross-site replay: the cookie alone
        me.client.put(url, json=body, headers={"X-CSRFToken": other.csrf}),  # another session's
        me.client.put(url, json=body, headers={"X-CSRFToken": me.csrf + "x"}),  # a forged one
        me.client.put(url, json=body, headers={"X-CSRFToken": ""}),
    ]
    assert [r.status_code for r in replays] == [400] * 4
    assert served == [None] * 4 and _stored(app, attempt["id"]) == {}


def test_a_signed_out_session_or_token_stops_saving(app, make_round, register, served):
    me, attempt, url, choice = _attempt(make_round, register)
    cookie = me.client.get_cookie("session").value
    token, csrf = me.token, me.csrf
    assert me.post("/api/v1/logout", json={"everywhere": True}).status_code == 204
    thief = app.test_client()
    thief.set_cookie("session", cookie)  # a copy taken before the sign-out
    replay = thief.put(url, json={"choices": [choice], "seq": 1}, headers={"X-CSRFToken": csrf})
    bearer = thief.put(
        url, json={"choices": [choice], "seq": 2}, headers={"Authorization": f"Bearer {token}"}
    )
    assert replay.status_code == bearer.status_code == 401
    assert served == [None, None] and _stored(app, attempt["id"]) == {}


def test_an_expired_session_row_or_token_row_stops_saving(app, make_round, register, served):
    me, attempt, url, choice = _attempt(make_round, register)
    with app.app_context():
        for model in (UserSession, ApiToken):
            db.session.execute(db.update(model).values(expires_at=model.created_at))
        db.session.commit()
    cookie = me.put(url, json={"choices": [choice], "seq": 1})
    bearer = me.client.put(
        url, json={"choices": [choice], "seq": 2}, headers={"Authorization": f"Bearer {me.token}"}
    )
    assert cookie.status_code == bearer.status_code == 401
    assert served == [None, None] and _stored(app, attempt["id"]) == {}


def test_a_session_cookie_older_than_its_lifetime_is_refused(app, make_round, register, served):
    me, attempt, url, choice = _attempt(make_round, register)
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(me.client.get_cookie("session").value)
    lifetime = int(app.permanent_session_lifetime.total_seconds())

    class Old(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - lifetime - 60

    serializer.signer = Old
    me.client.set_cookie("session", serializer.dumps(data))  # the same session, signed long ago
    response = me.put(url, json={"choices": [choice], "seq": 1})
    assert response.status_code == 400 and served == [None]  # the route: no session, no CSRF
    assert _stored(app, attempt["id"]) == {}


def test_a_cookie_from_another_address_is_refused_under_strong_protection(
    app, make_round, register, served, monkeypatch
):
    """Flask-Login's SESSION_PROTECTION "strong" ends a session seen from another address and
    browser, even one already marked not fresh: the lean path must not serve it."""
    me, attempt, url, choice = _attempt(make_round, register)
    monkeypatch.setitem(app.config, "SESSION_PROTECTION", "strong")
    with me.client.session_transaction() as session:
        session["_fresh"] = False
    thief = app.test_client()
    thief.set_cookie("session", me.client.get_cookie("session").value)
    cookie = thief.get_cookie("session").value
    codes = []
    for lean in (False, True):
        monkeypatch.setitem(app.config, "LEAN_SAVE", lean)
        thief.set_cookie("session", cookie)  # Flask-Login's refusal rewrites it: put it back
        response = thief.put(
            url,
            json={"choices": [choice], "seq": 1},
            headers={"X-CSRFToken": me.csrf, "User-Agent": "another browser"},
        )
        codes.append(response.status_code)
    assert codes == [401, 401] and served == [None]
    assert _stored(app, attempt["id"]) == {}


def test_a_bearer_header_beside_my_cookie_is_who_asks(app, make_round, register, served):
    """The token, not the cookie, says who asks (both paths): an unknown one is a 401 even
    with a good cookie and CSRF token, another person's one reaches only their attempts."""
    me, attempt, url, choice = _attempt(make_round, register)
    other = register(phone="0912000508", name="Kẻ Phá")
    body = {"choices": [choice], "seq": 1}
    unknown = me.put(url, json=body, headers={"Authorization": "Bearer nope"})
    theirs = me.put(url, json=body, headers={"Authorization": f"Bearer {other.token}"})
    assert (unknown.status_code, theirs.status_code) == (401, 404)
    assert served == [None, None] and _stored(app, attempt["id"]) == {}


def test_over_https_a_cookie_save_needs_a_same_site_referrer(app, make_round, register, served):
    me, attempt, url, choice = _attempt(make_round, register)
    https = {"base_url": "https://localhost"}
    codes = [
        me.put(url, json={"choices": [choice], "seq": 1}, **https).status_code,
        me.put(
            url,
            json={"choices": [choice], "seq": 2},
            headers={"X-CSRFToken": me.csrf, "Referer": "https://evil.example/"},
            **https,
        ).status_code,
    ]
    assert codes == [400, 400] and served == [None, None]
    assert _stored(app, attempt["id"]) == {}
    good = me.put(
        url,
        json={"choices": [choice], "seq": 3},
        headers={"X-CSRFToken": me.csrf, "Referer": "https://localhost/bai-thi/1"},
        **https,
    )
    assert good.status_code == 200 and served[-1] == 200


@pytest.fixture
def scoped(app, organiser, make_round, register):
    """A person with an attempt in contest "thu" (phone + password), and a session of theirs
    signed in to contest "cccd" with phone + CCCD (a scoped session: weaker proof)."""
    thu, cccd = make_round("thu"), make_round("cccd")
    assert (
        organiser.put(
            "/api/v1/contests/cccd", json={"signin_mode": "phone_cccd", "contest_password": "mk12"}
        ).status_code
        == 200
    )
    person = register(phone="0912000504", cccd=CCCD, contest="cccd")
    attempt, url, choice = _start(person, thu)
    weak = Api(app.test_client())
    signed = weak.post(
        "/api/v1/contests/cccd/signin",
        json={"phone": "0912000504", "cccd": CCCD, "contest_password": "mk12"},
    )
    assert signed.status_code == 200, signed.json
    weak.refresh_csrf()
    assert weak.get(f"/api/v1/attempts/{attempt['id']}").status_code == 403
    return person, weak, attempt, url, choice, cccd


def test_a_contest_scoped_sign_in_cannot_save_into_another_contests_attempt(app, scoped, served):
    """Who knows a phone number and its CCCD (or birth date) must not reach the password
    contest's attempt: clearing an answer with a huge seq would also block the owner's saves."""
    person, weak, attempt, url, choice, _cccd = scoped
    refused = weak.put(url, json={"choices": [], "seq": 2**53})
    assert refused.status_code == 403, refused.json
    assert refused.json["error"]["code"] == "signin_scope"
    assert served == [None]  # handed over: the route checks the scope
    assert _stored(app, attempt["id"]) == {}
    assert person.put(url, json={"choices": [choice], "seq": 1}).json["saved_seq"] == 1


def test_a_contest_scoped_sign_in_still_saves_in_its_own_contest(app, scoped, served):
    _person, weak, _attempt_json, _url, _choice, cccd = scoped
    attempt, url, choice = _start(weak, cccd)
    saved = weak.put(url, json={"choices": [choice], "seq": 1})
    assert saved.status_code == 200 and saved.json["saved_seq"] == 1
    assert served == [None]
    assert list(_stored(app, attempt["id"]).values()) == [([choice], 1)]


# --- the save limit -----------------------------------------------------------------------


@pytest.fixture
def five_a_minute(tight_limits):
    tight_limits(RATE_LIMIT_SAVES="5 per minute")


@pytest.mark.parametrize("lean", [True, False])
def test_each_save_counts_once_whether_served_lean_or_handed_over(
    app, make_round, register, served, five_a_minute, monkeypatch, lean
):
    monkeypatch.setitem(app.config, "LEAN_SAVE", lean)
    me, _attempt_json, url, choice = _attempt(make_round, register)
    codes = [
        me.put(url, json={"choices": [choice], "seq": 1}).status_code,  # lean
        me.put(url, json={"choices": [choice + 1], "seq": 2}).status_code,  # refused by a rule
        me.client.put(  # by bearer: the same person, the same count
            url,
            json={"choices": [choice], "seq": 3},
            headers={"Authorization": f"Bearer {me.token}"},
        ).status_code,
        me.put(url.rsplit("/", 1)[0] + "/999999", json={"choices": [], "seq": 4}).status_code,
        me.put(url, json={"choices": [choice], "seq": 5}).status_code,
        me.put(url, json={"choices": [choice], "seq": 6}).status_code,
    ]
    assert codes == [200, 422, 200, 404, 200, 429]
    assert served == ([200, None, 200, None, 200, None] if lean else [])


def test_the_limit_is_per_person_per_attempt(app, make_round, register, served, five_a_minute):
    rnd = make_round()
    me, other = register(phone="0912000505"), register(phone="0912000506", name="Trần Bình")
    _mine, url, choice = _start(me, rnd)
    _theirs, their_url, their_choice = _start(other, rnd)
    for seq in range(5):  # their flood at my attempt is theirs to bear
        other.put(url, json={"choices": [], "seq": seq})
    assert other.put(url, json={"choices": [], "seq": 9}).status_code == 429
    assert [me.put(url, json={"choices": [choice], "seq": s}).status_code for s in range(6)] == [
        200
    ] * 5 + [429]
    assert other.put(their_url, json={"choices": [their_choice], "seq": 1}).status_code == 200


def test_a_flood_of_bad_bodies_writes_nothing_and_leaves_the_limit_whole(
    app, make_round, register, served, five_a_minute
):
    """Bodies the schema refuses never reach a save (nothing to limit: no write, no lock);
    they are not counted, so they cannot use up the person's own saves either."""
    me, attempt, url, choice = _attempt(make_round, register)
    for _ in range(20):
        assert me.put(url, json={"choices": ["x"], "seq": -1}).status_code == 422
    assert _stored(app, attempt["id"]) == {}
    good = me.put(url, json={"choices": [choice], "seq": 1})
    assert good.status_code == 200 and good.headers["X-RateLimit-Remaining"] == "4"


# --- odd input: the lean path answers as the route does, or hands over ---------------------


def _odd_requests(url, choice):
    """(name, keyword arguments of client.open, the status the route gives)."""
    attempt_url, qid = url.rsplit("/", 1)
    aid = attempt_url.split("/")[-3]
    j = "application/json"

    def body(text, **kw):
        return {"data": text.encode() if isinstance(text, str) else text, "content_type": j} | kw

    ok = f'{{"choices":[{choice}],"seq":%d}}'
    return [
        (
            "huge attempt id",
            {"path": f"/api/v1/attempts/{2**31}/answers/{qid}"} | body(ok % 1),
            404,
        ),
        ("20-digit id", {"path": f"{attempt_url}/{10**20}"} | body(ok % 1), 404),
        ("leading zero", {"path": f"{attempt_url}/0{qid}"} | body(ok % 1), 200),
        ("negative id", {"path": f"{attempt_url}/-{qid}"} | body(ok % 1), 404),
        ("arabic digits", {"path": f"/api/v1/attempts/{aid}/answers/" + "١"} | body(ok % 1), 404),
        ("trailing slash", {"path": url + "/"} | body(ok % 1), 404),
        ("charset latin-1", body(ok % 1, content_type=j + "; charset=latin-1"), 200),
        ('charset "utf-8"', body(ok % 1, content_type=j + '; charset="utf-8"'), 200),
        ("charset UTF-8", body(ok % 1, content_type=j + "; charset=UTF-8"), 200),
        ("text/plain", body(ok % 1, content_type="text/plain"), 400),
        ("duplicate keys", body(f'{{"choices":[{choice}],"seq":1,"seq":7}}'), 200),
        ("deep json", body('{"choices":' + "[" * 2000 + "]" * 2000 + ',"seq":1}'), 400),
        ("float seq", body(f'{{"choices":[{choice}],"seq":1.0}}'), 422),
        ("bool seq", body(f'{{"choices":[{choice}],"seq":true}}'), 422),
        ("bool choice", body('{"choices":[true],"seq":1}'), 422),
        ("string choice", body(f'{{"choices":["{choice}"],"seq":1}}'), 422),
        ("huge seq", body(f'{{"choices":[{choice}],"seq":{2**53 + 1}}}'), 422),
        ("nine choices", body(f'{{"choices":[{",".join([str(choice)] * 9)}],"seq":1}}'), 422),
        ("NUL in an extra field", body(ok[:-1] % 1 + ',"x":"\\u0000"}'), 422),
        ("raw NUL", body(b'{"choices":[],"seq":1}\x00'), 400),
        ("not utf-8", body(b'{"choices":[],"seq":1,"x":"\xff"}'), 400),
        ("array body", body("[1, 2]"), 400),
        ("empty body", body(""), 422),
        ("large body", body(ok[:-1] % 1 + ',"pad":"' + "x" * 5000 + '"}'), 200),
        (
            "chunked, no length",
            {
                "input_stream": io.BytesIO((ok % 1).encode()),
                "content_type": j,
                "headers": {"Transfer-Encoding": "chunked"},
                "environ_overrides": {"wsgi.input_terminated": True},
            },
            200,
        ),
        ("length too long", body(ok % 1, environ_overrides={"CONTENT_LENGTH": "400"}), 400),
        ("length too short", body(ok % 1, environ_overrides={"CONTENT_LENGTH": "5"}), 400),
        ("length negative", body(ok % 1, environ_overrides={"CONTENT_LENGTH": "-1"}), 422),
        ("length not a number", body(ok % 1, environ_overrides={"CONTENT_LENGTH": "١٢"}), 422),
    ]


def test_odd_input_gets_the_routes_answer_and_writes_only_an_ordinary_save(
    app, make_round, register, served, monkeypatch
):
    me, attempt, url, choice = _attempt(make_round, register)
    qid = int(url.rsplit("/", 1)[1])
    cases = _odd_requests(url, choice)
    answers = {}
    for lean in (False, True):
        monkeypatch.setitem(app.config, "LEAN_SAVE", lean)
        for name, kwargs, _expected in _odd_requests(url, choice):
            with app.app_context():
                db.session.execute(db.delete(Answer))
                db.session.commit()
            kwargs = {"path": url} | kwargs
            response = me.call("PUT", kwargs.pop("path"), **kwargs)
            answers[lean, name] = (response.status_code, _stored(app, attempt["id"]))
    for name, _kwargs, expected in cases:
        slow, fast = answers[False, name], answers[True, name]
        assert slow[0] == expected, name
        assert fast == slow, name  # the same status and the same row stored, or none
        if expected != 200:
            assert fast[1] == {}, name
    assert answers[True, "duplicate keys"][1] == {qid: ([choice], 7)}  # the last key, both ways
    assert 200 in served and None in served


def test_a_client_that_disconnects_mid_body_leaves_nothing_written(
    app, make_round, register, served
):
    me, attempt, url, choice = _attempt(make_round, register)

    class Dropped(io.BytesIO):
        def read(self, size=-1):
            return super().read(min(size, 10) if size and size > 0 else 10)

    body = f'{{"choices":[{choice}],"seq":1}}'.encode()
    response = me.call(
        "PUT",
        url,
        input_stream=Dropped(body),
        content_type="application/json",
        environ_overrides={"CONTENT_LENGTH": str(len(body))},
    )
    assert response.status_code == 400 and served == [None]
    assert _stored(app, attempt["id"]) == {}


# --- headers ------------------------------------------------------------------------------


def _cookie_attributes(response) -> list[str]:
    """Each Set-Cookie without its value and its Expires date (the clock's second): its name
    and attributes."""
    out = []
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        kept = [a for a in attributes if not a.startswith("Expires=")]
        out.append("; ".join([name_value.split("=")[0], *kept]))
    return sorted(out)


@pytest.mark.parametrize("secure", [False, True])
def test_the_lean_reply_sends_the_routes_headers_and_cookies(
    app, make_round, register, served, monkeypatch, secure
):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", secure)
    me, _attempt_json, url, choice = _attempt(make_round, register)
    replies = {}
    for lean in (True, False):
        monkeypatch.setitem(app.config, "LEAN_SAVE", lean)
        seq = 10 if lean else 20
        fresh = app.test_client()  # no device cookie yet: both must give one
        by_token = fresh.put(
            url,
            json={"choices": [choice], "seq": seq},
            headers={"Authorization": f"Bearer {me.token}"},
        )
        by_cookie = me.put(url, json={"choices": [choice], "seq": seq + 1})
        replies[lean] = (by_token, by_cookie)
    assert served == [200, 200]
    skip = {"Date", "Content-Length", "X-RateLimit-Reset", "X-RateLimit-Remaining", "Retry-After"}
    for fast, slow in zip(replies[True], replies[False], strict=True):
        assert fast.status_code == slow.status_code == 200
        assert _cookie_attributes(fast) == _cookie_attributes(slow)
        names = {k for k, _v in fast.headers} - skip
        assert names == {k for k, _v in slow.headers} - skip
        for name in names - {"Set-Cookie"}:
            assert fast.headers.getlist(name) == slow.headers.getlist(name), name
    token_cookie = _cookie_attributes(replies[True][0])
    assert len(token_cookie) == 1 and token_cookie[0].startswith("did;")
    assert ("Secure" in token_cookie[0]) is secure
    assert _cookie_attributes(replies[True][1]) == []  # the cookie client has its device id


# --- the page cache -----------------------------------------------------------------------


def _page_keys(app) -> set:
    with app.app_context():
        return {k for k in cache.cache._cache if k.startswith("page:")}


def test_forwarded_host_behind_the_proxy_is_not_served_to_others(
    cached, make_round, clock, monkeypatch
):
    make_round()
    monkeypatch.setattr(cached, "wsgi_app", ProxyFix(cached.wsgi_app, x_for=1, x_proto=1, x_host=1))
    forged = cached.test_client().get(
        "/cuoc-thi/thu", headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    )
    assert "https://evil.example" in forged.text
    plain = cached.test_client().get("/cuoc-thi/thu").text
    assert "evil.example" not in plain
    assert "evil.example" not in cached.test_client().get("/").text


def test_languages_and_query_strings_do_not_multiply_or_poison_entries(cached, make_round, clock):
    make_round()
    for i, lang in enumerate(["fr", "en-US", "vi;q=1", "xx" * 50, "", "EN"]):
        client = cached.test_client()
        client.set_cookie("lang", lang)
        client.get(
            f"/cuoc-thi/thu?next=//evil.example&x={i}<b>",
            headers={"Accept-Language": f"fr-{i}, de;q=0.{i}"},
        )
    keys = _page_keys(cached)
    assert len(keys) == 1, keys  # every variant is the one Vietnamese entry
    page = cached.test_client().get("/cuoc-thi/thu").text
    assert "evil.example" not in page and "&lt;b&gt;" not in page and "<b>" not in page


def test_a_visitor_whose_session_was_revoked_gets_no_ones_data(cached, make_round, register, clock):
    make_round()
    person = register(name="Trần Thị Bình")
    assert "Trần Thị Bình" in person.client.get("/cuoc-thi/thu").text
    assert _page_keys(cached) == set()  # a signed-in render is never stored
    assert person.post("/api/v1/logout", json={}).status_code == 204
    after = person.client.get("/cuoc-thi/thu").text  # now anonymous: cached, and cacheable
    assert "Trần Thị Bình" not in after and "Đăng nhập để thi" in after
    assert len(_page_keys(cached)) == 1
    again = person.client.get("/cuoc-thi/thu").text
    assert "Trần Thị Bình" not in again
    signed_in = register(phone="0912000507", name="Lê Văn Cường").client.get("/cuoc-thi/thu")
    assert "Lê Văn Cường" in signed_in.text and "Đăng nhập để thi" not in signed_in.text
