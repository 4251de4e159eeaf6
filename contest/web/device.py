"""Where a request comes from: the client's address and a random id per browser."""

import re
import secrets

from flask import current_app, request
from werkzeug.http import dump_cookie

DEVICE_COOKIE = "did"


def device_cookie(response):
    """A random id per browser, so that many accounts made from one device can be seen."""
    if DEVICE_COOKIE not in request.cookies and not request.path.startswith("/static/"):
        new_device_cookie(response, current_app.config["SESSION_COOKIE_SECURE"])
    return response


def new_device_cookie(response, secure: bool) -> None:
    """Give the browser its random id for a year."""
    response.headers.add("Set-Cookie", device_cookie_header(secure))


def device_cookie_header(secure: bool) -> str:
    """The Set-Cookie value of a new device id (also sent by contest/lean_save.py, before Flask),
    as werkzeug's set_cookie writes it."""
    return dump_cookie(
        DEVICE_COOKIE,
        secrets.token_hex(16),
        max_age=365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def origin() -> tuple[str | None, str | None]:
    """(client address, device id) of the current request."""
    device = request.cookies.get(DEVICE_COOKIE, "")
    return request.remote_addr, device if re.fullmatch(r"[0-9a-f]{32}", device) else None
