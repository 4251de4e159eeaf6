"""A way back for a forgotten password: the organiser gives a one-time code (shown once, 24 h,
hashed at rest, audited; 404 outside its contests), the participant sets a new password with
it (401 wrong, used or expired), and every earlier session and token ends."""

import re

import pytest
from conftest import Api, csrf_from
from staff import cli_staff

from contest.extensions import db
from contest.models import AuditEntry, ResetCode


def _give(organiser, login="0912000001"):
    return organiser.post("/api/v1/password/reset-code", json={"login": login})


def api_reset(app, code, login="0912000001", password="matkhau2"):
    return Api(app.test_client()).post(
        "/api/v1/password/reset", json={"login": login, "code": code, "new_password": password}
    )


def reset_on_page(client, page, login: str, code: str, password="matkhau2"):
    """The forgotten-password page's form sent with `code` (`page`: a page of `client`'s)."""
    return client.post(
        "/quen-mat-khau",
        data={
            "csrf_token": csrf_from(page.text),
            "login": login,
            "code": code,
            "new_password": password,
        },
    )


def _who(client):
    user = client.get("/api/v1/session").json["user"]
    return user and user["id"]


def test_a_code_resets_the_password_and_ends_every_session(app, organiser, register, clock):
    api = register("0912000001")
    given = _give(organiser, "+84 912 000 001")
    assert given.status_code == 201
    code = given.json["code"]
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    assert given.json["expires_at"].startswith("2026-03-03T")  # 24 h from START
    with app.app_context():
        row = db.session.scalar(db.select(ResetCode))
        assert code.replace("-", "") not in row.code_hash and len(row.code_hash) == 64
        audit = db.session.scalar(db.select(AuditEntry).filter_by(action="give_reset_code"))
        assert audit.target == f"user:{api.user['id']}"
        assert code not in str(audit.details) and code.replace("-", "") not in str(audit.details)
    # typed as a person reads it back: lower case, spaces instead of the dash
    done = api_reset(app, code.lower().replace("-", " "), login="0912 000 001")
    assert done.status_code == 200 and done.json["user"]["id"] == api.user["id"]
    assert done.json["token"]
    assert _who(api.client) is None  # the old session ended
    assert (
        app.test_client()
        .put("/api/v1/profile", json={}, headers={"Authorization": f"Bearer {api.token}"})
        .status_code
        == 401
    )
    assert (
        app.test_client()
        .put("/api/v1/profile", json={}, headers={"Authorization": f"Bearer {done.json['token']}"})
        .status_code
        == 200
    )
    fresh = Api(app.test_client())
    assert fresh.login("0912000001").status_code == 401
    assert fresh.login("0912000001", "matkhau2").status_code == 200
    again = api_reset(app, code, password="matkhau3")  # used
    assert again.status_code == 401 and again.json["error"]["code"] == "bad_reset_code"


def test_wrong_expired_and_replaced_codes_are_401(app, organiser, register, clock):
    register("0912000001")
    first = _give(organiser).json["code"]
    second = _give(organiser).json["code"]
    assert api_reset(app, first).status_code == 401  # a new code replaces the old one
    assert api_reset(app, "AAAAA-AAAAA").status_code == 401
    assert api_reset(app, second, login="0912000002").status_code == 401  # someone else's code
    assert api_reset(app, second, password="123").status_code == 422
    clock.advance(hours=24, seconds=1)
    assert api_reset(app, second).status_code == 401
    third = _give(organiser).json["code"]
    clock.advance(hours=23)
    assert api_reset(app, third).status_code == 200


def test_a_code_only_for_a_participant_of_ones_own_contests(app, organiser, register, runner):
    register("0912000001")
    assert _give(organiser, "0999999999").status_code == 404
    assert _give(organiser, "btc@example.vn").status_code == 404  # an organiser: not this way
    other = cli_staff(app, runner, "khac@example.vn", None, "KHAC")
    outside = _give(other)
    assert outside.status_code == 404 and "code" not in outside.json
    with app.app_context():
        assert not db.session.scalar(db.select(db.func.count(ResetCode.id)))


def test_participants_and_strangers_cannot_give_codes(app, organiser, register):
    participant = register("0912000001")
    register("0912000002")
    assert _give(participant, "0912000002").status_code == 403
    assert Api(app.test_client()).post(
        "/api/v1/password/reset-code", json={"login": "0912000002"}
    ).status_code in (400, 401)  # no CSRF, no session


def test_guessing_codes_is_limited_per_account(app, organiser, register, tight_limits):
    register("0912000001")
    code = _give(organiser).json["code"]
    tight_limits(RATE_LIMIT_LOGIN_ACCOUNT="3 per minute")
    codes = [
        Api(app.test_client())
        .post(
            "/api/v1/password/reset",
            json={"login": login, "code": "AAAAA-AAAAA", "new_password": "matkhau2"},
            environ_base={"REMOTE_ADDR": f"10.1.0.{i}"},
        )
        .status_code
        for i, login in enumerate(["0912000001", "+84912000001", "84912000001"])
    ]
    assert codes == [401] * 3
    assert api_reset(app, code).status_code == 429  # even the right code, once limited


def test_the_pages(app, organiser, register):
    api = register("0912000001")
    login_page = app.test_client().get("/dang-nhap").text
    assert 'href="/quen-mat-khau"' in login_page and "Quên mật khẩu?" in login_page
    dashboard = organiser.client.get("/to-chuc/").text
    assert "/to-chuc/ma-dat-lai-mat-khau" in dashboard
    page = organiser.client.get("/to-chuc/ma-dat-lai-mat-khau")
    unknown = organiser.client.post(
        "/to-chuc/ma-dat-lai-mat-khau",
        data={"csrf_token": csrf_from(page.text), "login": "0999999999"},
    )
    assert unknown.status_code == 404 and "Không có người dự thi này" in unknown.text
    given = organiser.client.post(
        "/to-chuc/ma-dat-lai-mat-khau",
        data={"csrf_token": csrf_from(page.text), "login": "0912000001"},
    )
    assert given.status_code == 200 and "Nguyễn Văn An" in given.text
    code = re.search(r'<code id="reset-code">([A-Z0-9-]+)</code>', given.text).group(1)
    assert code not in organiser.client.get("/to-chuc/ma-dat-lai-mat-khau").text  # shown once
    audit = organiser.client.get("/to-chuc/nhat-ky")
    assert audit.status_code == 200 and code not in audit.text
    assert "cấp mã đặt lại mật khẩu cho người dự thi «Nguyễn Văn An»" in audit.text

    client = app.test_client()
    form = client.get("/quen-mat-khau")
    assert form.status_code == 200 and "Mã đặt lại mật khẩu" in form.text
    wrong = reset_on_page(client, form, "0912000001", "AAAAAAAAAA")
    assert wrong.status_code == 401 and "không đúng" in wrong.text
    done = reset_on_page(client, form, "0912000001", code)
    assert done.status_code == 302
    assert _who(client) == api.user["id"] and _who(api.client) is None


@pytest.mark.parametrize("page", ["/to-chuc/ma-dat-lai-mat-khau"])
def test_the_organiser_page_is_for_organisers(app, register, page):
    participant = register("0912000001")
    assert participant.client.get(page).status_code == 403
    assert app.test_client().get(page).status_code == 302
