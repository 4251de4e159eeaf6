"""Sign-in modes per contest: phone + password (the default), phone + CCCD or phone + birth date
with no password, an optional contest password, and the scope such a sign-in is held to."""

import pytest
from conftest import Api, csrf_from, post_form

from contest.extensions import db
from contest.models import AuditEntry, Contest, User

CCCD = "001203004005"


def _settings(organiser, slug, **body):
    response = organiser.put(f"/api/v1/contests/{slug}", json=body)
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def cccd_contest(organiser, make_round, register):
    """Contest "cccd" (phone + CCCD, contest password "mkct2026") with an open round, and a
    participant registered for it with CCCD; contest "thu" (phone + password) with a round."""
    password_round = make_round("thu")
    cccd_round = make_round("cccd")
    _settings(organiser, "cccd", signin_mode="phone_cccd", contest_password="mkct2026")
    person = register(phone="0912000001", cccd=CCCD, contest="cccd")
    return {"cccd": cccd_round, "thu": password_round, "person": person}


def _signin(app, slug="cccd", address="127.0.0.1", **body):
    api = Api(app.test_client())
    api.client.environ_base["REMOTE_ADDR"] = address
    return api, api.post(f"/api/v1/contests/{slug}/signin", json=body)


def test_the_mode_and_the_contest_password_are_settings_kept_in_the_audit_trail(
    app, cccd_contest, organiser
):
    contest = organiser.get("/api/v1/contests/cccd").json
    assert contest["signin_mode"] == "phone_cccd" and contest["contest_password"] is True
    assert contest["registration_fields"]["cccd"] == "required"
    with app.app_context():
        stored = db.session.scalar(db.select(Contest).filter_by(slug="cccd"))
        assert stored.signin_password_hash and "mkct2026" not in stored.signin_password_hash
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="contest_signin"))
        assert entry.details["changes"] == {
            "signin_mode": ["password", "phone_cccd"],
            "contest_password": ["none", "set"],
        }
    log = organiser.get("/to-chuc/nhat-ky").text
    assert "đổi cách đăng nhập của cuộc thi" in log and "số điện thoại và số CCCD" in log
    assert "mkct2026" not in log
    assert (
        organiser.put("/api/v1/contests/cccd", json={"contest_password": "ab"}).status_code == 422
    )
    assert organiser.put("/api/v1/contests/cccd", json={"signin_mode": "sms"}).status_code == 422
    assert _settings(organiser, "cccd", contest_password="")["contest_password"] is False


def test_registration_for_a_cccd_contest_requires_the_cccd(app, cccd_contest):
    response = Api(app.test_client()).register("Trần Thị Bình", "0912000002", contest="cccd")
    assert response.status_code == 422 and "cccd" in response.json["error"]["fields"]
    page = app.test_client().get("/dang-ky?contest=cccd").text
    assert 'name="cccd"' in page and "required" in page.split('name="cccd"')[1][:80]


def test_registering_for_a_cccd_contest_asks_no_password(app, cccd_contest):
    page = app.test_client().get("/dang-ky?contest=cccd").text
    assert 'name="password"' not in page and "không cần mật khẩu" in page
    assert 'name="password"' in app.test_client().get("/dang-ky?contest=thu").text
    made = Api(app.test_client()).register(
        "Trần Thị Bình", "0912000002", password="", cccd="001203004777", contest="cccd"
    )
    assert made.status_code == 201, made.json
    with app.app_context():  # a password nobody knows: the account signs in by phone + CCCD
        assert db.session.scalar(
            db.select(User.password_hash).filter_by(phone="0912000002")
        ).startswith("$argon2id$")
    _api, ok = _signin(app, phone="0912000002", cccd="001203004777", contest_password="mkct2026")
    assert ok.status_code == 200, ok.json
    # a password contest still needs one, through the API and the page
    refused = Api(app.test_client()).register(
        "Lê Văn Cường", "0912000003", password="", contest="thu"
    )
    assert refused.status_code == 422 and "password" in refused.json["error"]["fields"]
    client = app.test_client()
    done = post_form(
        client,
        "/dang-ky?contest=cccd",
        {
            "full_name": "Phạm Thị Dung",
            "phone": "0912000004",
            "cccd": "001203004888",
            "unit_code": "PNV",
        },
    )
    assert done.status_code == 302, done.text


def test_phone_and_cccd_sign_in_with_the_contest_password(app, cccd_contest):
    _api, wrong_cccd = _signin(
        app, phone="0912000001", cccd="001203004006", contest_password="mkct2026"
    )
    assert wrong_cccd.status_code == 401 and wrong_cccd.json["error"]["code"] == "bad_credentials"
    _api, wrong_password = _signin(app, phone="0912000001", cccd=CCCD, contest_password="sai1")
    assert wrong_password.status_code == 401
    _api, unknown = _signin(app, phone="0912999999", cccd=CCCD, contest_password="mkct2026")
    assert unknown.status_code == 401
    api, ok = _signin(
        app, phone="+84 912 000 001", cccd="００１ 203 004 005", contest_password="mkct2026"
    )
    assert ok.status_code == 200, ok.json
    assert ok.json["user"]["full_name"] == "Nguyễn Văn An" and "token" not in ok.json
    api.refresh_csrf()
    started = api.post(f"/api/v1/rounds/{cccd_contest['cccd']['id']}/attempts")
    assert started.status_code == 201, started.json


def test_a_cccd_sign_in_reaches_no_password_contest_and_no_organiser_area(app, cccd_contest):
    api, ok = _signin(app, phone="0912000001", cccd=CCCD, contest_password="mkct2026")
    assert ok.status_code == 200
    api.refresh_csrf()
    refused = api.post(f"/api/v1/rounds/{cccd_contest['thu']['id']}/attempts")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "signin_scope"
    page = api.client.post(
        f"/dot-thi/{cccd_contest['thu']['id']}/bat-dau", data={"csrf_token": api.csrf}
    )
    assert page.status_code == 302 and "/cuoc-thi/thu" in page.headers["Location"]
    # the same person's password login is a full session again
    full = Api(app.test_client())
    assert full.login("0912000001").status_code == 200
    full.refresh_csrf()
    assert full.post(f"/api/v1/rounds/{cccd_contest['thu']['id']}/attempts").status_code == 201


def test_an_organiser_cannot_sign_in_with_phone_and_cccd(app, cccd_contest):
    with app.app_context():
        boss = db.session.scalar(db.select(User).filter_by(email="btc@example.vn"))
        boss.phone, boss.cccd = "0987654321", "009876543210"
        db.session.commit()
    api, response = _signin(
        app, phone="0987654321", cccd="009876543210", contest_password="mkct2026"
    )
    assert response.status_code == 401
    assert api.client.get("/to-chuc/").status_code in (302, 401)


def test_a_scoped_session_is_refused_the_organiser_pages(app, cccd_contest):
    """Even were an organiser's session scoped (the sign-in refuses them), the guard refuses."""
    api, _ok = _signin(app, phone="0912000001", cccd=CCCD, contest_password="mkct2026")
    with app.app_context():
        person = db.session.scalar(db.select(User).filter_by(phone="0912000001"))
        person.role = "organiser"
        db.session.commit()
    assert api.client.get("/to-chuc/").status_code == 403
    api.refresh_csrf()
    assert (
        api.post("/api/v1/contests", json={"slug": "moi-mot", "title": "Mới một"}).status_code
        == 403
    )


def test_a_password_contest_offers_no_cccd_sign_in(app, cccd_contest):
    _api, response = _signin(app, slug="thu", phone="0912000001", cccd=CCCD)
    assert response.status_code == 422 and response.json["error"]["code"] == "password_signin"
    assert app.test_client().get("/cuoc-thi/thu/dang-nhap").status_code == 302


def test_the_cccd_sign_in_is_limited_per_phone_however_spelled(app, cccd_contest, tight_limits):
    tight_limits(RATE_LIMIT_LOGIN_ACCOUNT="3 per minute")
    spellings = ["0912000001", "+84912000001", "84912000001", "0084 912 000 001"]
    codes = [
        _signin(
            app,
            address=f"127.0.0.{i + 2}",
            phone=phone,
            cccd="001203004099",
            contest_password="mkct2026",
        )[1].status_code
        for i, phone in enumerate(spellings)
    ]
    assert codes == [401, 401, 401, 429]


def test_the_birth_date_mode_through_the_pages(app, organiser, make_round, register):
    make_round("sinh")
    page = organiser.get("/to-chuc/cuoc-thi/sinh").text
    response = organiser.client.post(
        "/to-chuc/cuoc-thi/sinh/thiet-lap",
        data={
            "csrf_token": csrf_from(page),
            "signin_mode": "phone_birthdate",
            "field_cccd": "optional",
            "field_birth_date": "optional",
        },
    )
    assert response.status_code == 302
    assert organiser.get("/api/v1/contests/sinh").json["signin_mode"] == "phone_birthdate"
    register(phone="0912000003", birth_date="1990-05-17", contest="sinh")
    contest_page = app.test_client().get("/cuoc-thi/sinh").text
    assert "Đăng nhập bằng số điện thoại và ngày sinh" in contest_page
    client = app.test_client()
    form = client.get("/cuoc-thi/sinh/dang-nhap").text
    assert 'name="birth_date"' in form and 'name="contest_password"' not in form
    wrong = client.post(
        "/cuoc-thi/sinh/dang-nhap",
        data={"csrf_token": csrf_from(form), "phone": "0912000003", "birth_date": "1990-05-18"},
    )
    assert wrong.status_code == 401 and "Sai số điện thoại" in wrong.text
    right = client.post(
        "/cuoc-thi/sinh/dang-nhap",
        data={"csrf_token": csrf_from(form), "phone": "0912 000 003", "birth_date": "1990-05-17"},
    )
    assert right.status_code == 302 and right.headers["Location"].endswith("/cuoc-thi/sinh")
    assert client.get("/api/v1/session").json["user"]["full_name"] == "Nguyễn Văn An"


def test_the_settings_page_sets_and_removes_the_contest_password(app, organiser, make_round):
    make_round("mkc")
    page = organiser.get("/to-chuc/cuoc-thi/mkc").text
    assert 'name="signin_mode"' in page and 'name="contest_password"' in page

    def settings(page, **fields):
        data = {"csrf_token": csrf_from(page), "signin_mode": "phone_cccd"} | fields
        organiser.client.post("/to-chuc/cuoc-thi/mkc/thiet-lap", data=data)

    settings(page, contest_password="bimat123")
    assert organiser.get("/api/v1/contests/mkc").json["contest_password"] is True
    page = organiser.get("/to-chuc/cuoc-thi/mkc").text
    assert 'name="remove_contest_password"' in page
    settings(page, remove_contest_password="1")
    assert organiser.get("/api/v1/contests/mkc").json["contest_password"] is False


def test_a_cccd_sign_in_cannot_take_an_invitation(app, runner, cccd_contest):
    from staff import cli_staff, invite

    admin = cli_staff(app, runner, "qtv@example.vn", "admin")
    path = invite(admin, "organiser")
    api, ok = _signin(app, phone="0912000001", cccd=CCCD, contest_password="mkct2026")
    assert ok.status_code == 200
    page = api.client.get(path)
    refused = api.client.post(path, data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422 and "đăng nhập bằng mật khẩu" in refused.text
    with app.app_context():
        assert (
            db.session.scalar(db.select(User.role).filter_by(phone="0912000001")) == "participant"
        )
