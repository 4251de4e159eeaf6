"""A reset code by e-mail, through a real SMTP server (aiosmtpd) started by the test: the same
answer whether or not the account exists, the code arrives, works once, and ends the old
sessions; nothing is sent while MAIL_SERVER is unset; sending is limited per account."""

import re
import socket

import pytest
from aiosmtpd.controller import Controller
from conftest import Api, csrf_from
from test_recovery import api_reset, reset_on_page

from contest.extensions import limiter


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port() -> int:
    """A port the kernel has just given out (a fixed range collided when two suites ran at
    once: both took its first port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "thi@example.vn")
    limiter.reset()
    yield inbox
    controller.stop()
    limiter.reset()


def _code_in(message: str) -> str:
    import email

    body = email.message_from_string(message).get_payload(decode=True).decode()
    return re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", body).group(0)


def test_a_code_by_email_resets_the_password(app, register, smtp):
    api = register("0912000001", email="an@example.vn")
    anonymous = Api(app.test_client())
    known = anonymous.post("/api/v1/password/reset-send", json={"login": "AN@example.vn"})
    unknown = anonymous.post("/api/v1/password/reset-send", json={"login": "ai@example.vn"})
    assert known.status_code == unknown.status_code == 202 and known.json == unknown.json
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["an@example.vn"] and "Nguyễn Văn An" in _body(message)
    code = _code_in(message)
    assert api_reset(app, code).status_code == 200
    assert api.client.get("/api/v1/session").json["user"] is None
    assert api_reset(app, code, password="matkhau3").status_code == 401


def _body(message: str) -> str:
    import email

    return email.message_from_string(message).get_payload(decode=True).decode()


def test_no_email_for_an_account_without_one_or_an_organiser(app, organiser, register, smtp):
    register("0912000001")
    anonymous = Api(app.test_client())
    for login in ("0912000001", "btc@example.vn"):
        assert (
            anonymous.post("/api/v1/password/reset-send", json={"login": login}).status_code == 202
        )
    assert smtp.messages == []


def test_sending_is_limited_per_account(app, register, smtp, monkeypatch):
    register("0912000001", email="an@example.vn")
    monkeypatch.setitem(app.config, "RATE_LIMIT_RESET_SEND", "2 per hour")
    codes = [
        Api(app.test_client())
        .post(
            "/api/v1/password/reset-send",
            json={"login": login},
            environ_base={"REMOTE_ADDR": f"10.2.0.{i}"},
        )
        .status_code
        for i, login in enumerate(["an@example.vn", "0912000001", "+84912000001"])
    ]
    assert codes == [202, 202, 429] and len(smtp.messages) == 2
    # the second code replaced the first
    first, second = (_code_in(m) for _r, m in smtp.messages)
    assert api_reset(app, first, "an@example.vn").status_code == 401
    assert api_reset(app, second, "an@example.vn").status_code == 200


def test_the_page_sends_a_code(app, register, smtp):
    register("0912000001", email="an@example.vn")
    client = app.test_client()
    page = client.get("/quen-mat-khau")
    assert "Gửi mã qua e-mail" in page.text
    sent = client.post(
        "/quen-mat-khau/gui-ma",
        data={"csrf_token": csrf_from(page.text), "send_login": "an@example.vn"},
        follow_redirects=True,
    )
    assert sent.status_code == 200 and "đã được gửi" in sent.text
    code = _code_in(smtp.messages[0][1])
    done = reset_on_page(client, sent, "an@example.vn", code)
    assert done.status_code == 302


def test_nothing_is_offered_or_sent_without_smtp(app, register):
    register("0912000001", email="an@example.vn")
    client = app.test_client()
    page = client.get("/quen-mat-khau")
    assert "Gửi mã qua e-mail" not in page.text
    client.post(
        "/quen-mat-khau/gui-ma",
        data={"csrf_token": csrf_from(page.text), "send_login": "an@example.vn"},
    )
    response = Api(app.test_client()).post(
        "/api/v1/password/reset-send", json={"login": "an@example.vn"}
    )
    assert response.status_code == 202
    from contest.extensions import db
    from contest.models import ResetCode

    with app.app_context():
        assert not db.session.scalar(db.select(db.func.count(ResetCode.id)))
