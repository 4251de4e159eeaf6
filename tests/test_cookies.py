"""Session cookies' flags and the stored password hashes."""

from datetime import timedelta

from conftest import csrf_from

from contest.extensions import db


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
