"""Sessions end on the server: a copied cookie stops working at logout; "everywhere", a
promotion or a new password end every session and token; "Ghi nhớ đăng nhập" keeps 30 days.
The per-account login limit counts the account, however its phone or e-mail is spelled."""

import pytest
from conftest import ORGANISER_CLI, Api, csrf_from

from contest.extensions import db
from contest.models import ApiToken, User, UserSession


def _copy_cookies(source, target):
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain)


def _who(client):
    user = client.get("/api/v1/session").json["user"]
    return user and user["id"]


def _with_token(app, token: str) -> int:
    """The status of a call made with the bearer `token` alone (200 while it holds, else 401)."""
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().put("/api/v1/profile", json={}, headers=headers).status_code


def _page_login(app, remember: bool = False, login="0912000001", password="matkhau1"):
    """A new browser signed in through the login page: (its client, the page's answer)."""
    client = app.test_client()
    token = csrf_from(client.get("/dang-nhap").text)
    data = {"csrf_token": token, "login": login, "password": password}
    if remember:
        data["remember"] = "1"
    response = client.post("/dang-nhap", data=data)
    assert response.status_code == 302
    return client, response


def test_logout_ends_the_session_for_a_copied_cookie_too(app, register):
    api = register("0912000001")
    thief = app.test_client()
    _copy_cookies(api.client, thief)
    assert _who(thief) == api.user["id"]
    assert api.post("/api/v1/logout").status_code == 204
    assert _who(thief) is None and _who(api.client) is None
    assert thief.get("/ho-so").status_code == 302  # to the login page
    # the registration's token is another credential: it lives until "everywhere"
    assert _with_token(app, api.token) == 200


def test_page_logout_ends_the_session_on_the_server(app, organiser):
    client, _response = _page_login(app, login="btc@example.vn")
    copy = app.test_client()
    _copy_cookies(client, copy)
    assert copy.get("/to-chuc/").status_code == 200
    page = client.get("/to-chuc/")
    client.post("/dang-xuat", data={"csrf_token": csrf_from(page.text)})
    assert copy.get("/to-chuc/").status_code == 302


def test_logout_everywhere_ends_every_session_and_token(app, register):
    api = register("0912000001")
    phone = Api(app.test_client())
    login = phone.login("0912000001")
    assert _with_token(app, login.json["token"]) == 200
    other = register("0912000002")
    api.refresh_csrf()
    assert api.post("/api/v1/logout", json={"everywhere": True}).status_code == 204
    assert _who(api.client) is None and _who(phone.client) is None
    assert _with_token(app, login.json["token"]) == 401
    assert _with_token(app, api.token) == 401
    assert _who(other.client) == other.user["id"]  # another account is untouched
    with app.app_context():
        assert not db.session.scalar(
            db.select(db.func.count(ApiToken.id)).where(ApiToken.user_id == api.user["id"])
        )
        assert not db.session.scalar(
            db.select(db.func.count(UserSession.id)).where(UserSession.user_id == api.user["id"])
        )


def test_the_profile_page_logs_out_of_every_device(app, register):
    api = register("0912000001")
    second, _response = _page_login(app)
    assert _who(second) == api.user["id"]
    page = api.client.get("/ho-so")
    assert "Đăng xuất khỏi mọi thiết bị" in page.text
    response = api.client.post(
        "/dang-xuat",
        data={"csrf_token": csrf_from(page.text), "everywhere": "1"},
        follow_redirects=True,
    )
    assert "Đã đăng xuất khỏi mọi thiết bị" in response.text
    assert _who(second) is None and _who(api.client) is None
    assert _with_token(app, api.token) == 401


def test_logout_without_csrf_changes_nothing(app, register):
    api = register("0912000001")
    assert api.client.post("/dang-xuat", data={"everywhere": "1"}).status_code == 400
    assert _who(api.client) == api.user["id"]
    bad = api.client.post("/api/v1/logout", json={"everywhere": True})
    assert bad.status_code == 400 and _who(api.client) == api.user["id"]


def test_remember_me_keeps_a_session_30_days(app, register, clock):
    register("0912000001")
    assert "Ghi nhớ đăng nhập" in app.test_client().get("/dang-nhap").text
    plain, plain_response = _page_login(app, remember=False)
    kept, kept_response = _page_login(app, remember=True)
    session_cookie = next(
        c for c in kept_response.headers.getlist("Set-Cookie") if c.startswith("session=")
    )
    assert "Expires=" in session_cookie
    assert not any(
        "Expires=" in c
        for c in plain_response.headers.getlist("Set-Cookie")
        if c.startswith("session=")
    )
    clock.advance(hours=25)
    assert _who(plain) is None and _who(kept) is not None
    clock.advance(days=28)
    assert _who(kept) is not None
    clock.advance(days=2)
    assert _who(kept) is None


def test_api_login_remember(app, register, clock):
    register("0912000001")
    api = Api(app.test_client())
    assert api.login("0912000001", remember=True).status_code == 200
    clock.advance(days=29)
    assert _who(api.client) is not None


def test_create_organiser_refuses_a_participants_email(app, runner, register):
    api = register("0912000001", email="an@example.vn")
    result = runner.invoke(
        args=["create-organiser", "AN@example.vn", "--password", "matkhau9", "--name", "Kẻ gian"]
    )
    assert result.exit_code != 0 and "--promote" in result.output
    with app.app_context():
        user = db.session.get(User, api.user["id"])
        assert user.role == "participant" and user.full_name == "Nguyễn Văn An"
        assert user.check_password("matkhau1")
    assert _who(api.client) == api.user["id"]
    assert api.get("/api/v1/banks").status_code == 403


def test_a_promotion_ends_every_session_and_token(app, runner, register):
    api = register("0912000001", email="an@example.vn")
    result = runner.invoke(
        args=[
            "create-organiser",
            "an@example.vn",
            "--password",
            "matkhau9",
            "--name",
            "Nguyễn Văn An",
            "--promote",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _who(api.client) is None
    assert (
        app.test_client()
        .get("/api/v1/banks", headers={"Authorization": f"Bearer {api.token}"})
        .status_code
        == 401
    )
    fresh = Api(app.test_client())
    assert fresh.login("an@example.vn", "matkhau9").json["user"]["role"] == "organiser"


def test_a_new_organiser_password_ends_every_session(app, runner, organiser):
    assert _who(organiser.client) is not None
    same = runner.invoke(args=ORGANISER_CLI)
    assert same.exit_code == 0 and _who(organiser.client) is not None  # nothing changed
    new = runner.invoke(
        args=[
            "create-organiser",
            "btc@example.vn",
            "--password",
            "matkhau2",
            "--name",
            "Ban Tổ chức",
        ]
    )
    assert new.exit_code == 0 and _who(organiser.client) is None


@pytest.fixture
def account_limit(tight_limits):
    tight_limits(RATE_LIMIT_LOGIN_ACCOUNT="5 per minute")


def test_the_login_limit_counts_the_account_not_the_spelling(app, register, account_limit):
    register("0912000001", email="an@example.vn")
    spellings = [
        "0912000001",
        "+84912000001",
        "84912000001",
        "0084912000001",
        "０９１２０００００１",
        "AN@example.vn",
        "an@EXAMPLE.VN",
        "0912.000.001",
    ]
    codes = []
    for i, login in enumerate(spellings):
        client = app.test_client()
        codes.append(
            client.post(
                "/api/v1/login",
                json={"login": login, "password": "sai"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
            ).status_code
        )
    assert codes == [401] * 5 + [429] * 3
    right = app.test_client().post(
        "/api/v1/login",
        json={"login": "0912 000 001", "password": "matkhau1"},
        environ_base={"REMOTE_ADDR": "10.0.1.1"},
    )
    assert right.status_code == 429


def test_the_page_login_shares_the_account_limit(app, register, account_limit):
    register("0912000001")
    codes = []
    for i, login in enumerate(["0912000001", "+84 912 000 001", "８４９１２０００００１"] * 3):
        client = app.test_client()
        token = csrf_from(client.get("/dang-nhap").text)
        codes.append(
            client.post(
                "/dang-nhap",
                data={"csrf_token": token, "login": login, "password": "sai"},
                environ_base={"REMOTE_ADDR": f"10.0.2.{i}"},
            ).status_code
        )
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}


def test_an_unknown_login_checks_a_password_hash_too(app, register, monkeypatch):
    register("0912000001")
    from contest.services import accounts

    calls = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    response = Api(app.test_client()).login("0999999999")
    assert response.status_code == 401 and len(calls) == 1
    with app.app_context():
        stored = db.session.scalar(db.select(User.password_hash).where(User.phone == "0912000001"))
    # the same method and cost as a real account's hash
    assert calls[0].split("$")[0] == stored.split("$")[0]
    same = Api(app.test_client()).login("0912000001", "sai")
    assert same.status_code == 401 and same.json == response.json


def test_a_password_change_ends_every_other_session_and_token(app, register):
    api = register("0912000001")
    other, _response = _page_login(app)
    profile = api.client.get("/ho-so").text
    assert 'href="/doi-mat-khau"' in profile
    page = api.client.get("/doi-mat-khau")

    def change_password(current: str):
        return api.client.post(
            "/doi-mat-khau",
            data={
                "csrf_token": csrf_from(page.text),
                "current_password": current,
                "new_password": "matkhau2",
            },
        )

    wrong = change_password("sai")
    assert wrong.status_code == 422 and "không đúng" in wrong.text
    assert _who(other) == api.user["id"]
    done = change_password("matkhau1")
    assert done.status_code == 302
    assert _who(api.client) == api.user["id"]  # this browser stays signed in
    assert _who(other) is None
    assert _with_token(app, api.token) == 401
    assert Api(app.test_client()).login("0912000001", "matkhau2").status_code == 200
