"""The app behind the shipped nginx configuration (deploy/nginx.conf), served by a real nginx:
pages and the API pass through, static files come from nginx, the client's own address reaches
the app, and sign-in submissions are paced per address before they reach Python."""

import http.client
import json
import os
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from contest.extensions import db
from contest.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "load"))
from common import free_port, start_nginx, stop_nginx


@pytest.fixture
def behind_nginx(app, tmp_path, make_app):
    """The suite's database served by an app that trusts one proxy hop (CONTEST_PROXY_FIX_HOPS=1,
    as docs/deploy.md says), with nginx in front; yields (nginx port, requests seen by the app)."""
    config = {
        key: app.config[key]
        for key in (
            "TESTING",
            "SECRET_KEY",
            "SQLALCHEMY_DATABASE_URI",
            "RATE_LIMIT_LOGIN",
            "RATE_LIMIT_LOGIN_ACCOUNT",
            "RATE_LIMIT_REGISTER",
            "RATE_LIMIT_CHECK",
        )
    }
    proxied = make_app(config | {"PROXY_FIX_HOPS": 1})
    seen = []

    def counting(environ, start_response):
        seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        return proxied(environ, start_response)

    server = make_server("127.0.0.1", 0, counting, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = free_port()
    try:
        nginx = start_nginx(port, server.server_port, tmp_path / "nginx")
    except FileNotFoundError:
        server.shutdown()
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: scripts/test installs Debian's nginx")
        pytest.skip(
            "nginx is not installed (apt-get install nginx; scripts/test installs it "
            "when run as root)"
        )
    try:
        yield port, seen
    finally:
        stop_nginx(nginx)
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with proxied.app_context():
            db.session.remove()


def call(port, method, path, body=None, source="127.0.0.1", headers=None, timeout=60):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    data = json.dumps(body).encode() if body is not None else None
    try:  # closed on a timeout too
        connection.request(
            method,
            path,
            body=data,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_pages_api_and_static_pass_through_with_the_clients_own_address(
    behind_nginx, organiser, app
):
    port, seen = behind_nginx
    status, _headers, body = call(port, "GET", "/dang-nhap")
    assert status == 200 and "Đăng nhập" in body.decode()
    status, _headers, body = call(port, "GET", "/static/css/app.css")
    assert status == 200 and body == (ROOT / "static" / "css" / "app.css").read_bytes()
    assert ("GET", "/static/css/app.css") not in seen  # nginx served it, not Python
    status, _headers, body = call(
        port,
        "POST",
        "/api/v1/register",
        {
            "full_name": "Lê Thị Hoa",
            "phone": "0912555001",
            "password": "matkhau1",
            "unit_code": "PNV",
        },
        source="127.0.0.3",
    )
    assert status == 201, body
    with app.app_context():
        assert (
            db.session.execute(
                db.select(User.registered_ip).filter_by(phone="0912555001")
            ).scalar_one()
            == "127.0.0.3"
        )


def test_a_flood_of_sign_ins_from_one_address_is_paced_then_refused_by_nginx(behind_nginx):
    port, seen = behind_nginx
    statuses, bodies, lock = [], [], threading.Lock()

    def one_login():  # no password at all: the app refuses it at once (422), nothing is hashed
        try:
            status, headers, body = call(
                port, "POST", "/api/v1/login", {"login": "0912"}, timeout=4
            )
        except TimeoutError:
            status, headers, body = 0, {}, b""  # still waiting in nginx
        with lock:
            statuses.append(status)
            if status == 429:
                bodies.append((headers, body))

    threads = [threading.Thread(target=one_login) for _ in range(160)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 20 at once, then up to 100 waiting (paced at 5 a second), the rest refused at once
    assert statuses.count(429) >= 30 and statuses.count(0) >= 50, statuses
    reached = sum(1 for _method, path in seen if path == "/api/v1/login")
    assert reached <= 21 + 5 * 5, reached  # what the pace lets through in the test's seconds
    assert reached >= 21 and statuses.count(422) >= 21  # the burst went straight to the app
    headers, body = bodies[0]
    assert headers["Retry-After"] == "60"
    assert json.loads(body)["error"]["code"] == "too_many_requests"
    assert "thao tác quá nhanh" in json.loads(body)["error"]["message"]
    # another address is not held back, and the pages themselves stay open
    status, _headers, _body = call(
        port, "POST", "/api/v1/login", {"login": "0912"}, source="127.0.0.9"
    )
    assert status == 422
    status, _headers, body = call(port, "GET", "/dang-nhap")
    assert status == 200 and "Đăng nhập" in body.decode()
