"""Response headers, template filters and the per-request commit/rollback discipline."""
import re
import secrets

from flask import current_app, g, request

from . import timing
from .ranking import mask_name

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


DEVICE_COOKIE = "did"


def init_app(app) -> None:
    app.after_request(_security_headers)
    app.after_request(_device_cookie)
    app.jinja_env.filters.update(local=timing.format_local, duration=timing.format_duration,
                                 iso=timing.iso, mask=mask_name, percent=_percent,
                                 number=_number)
    app.jinja_env.globals["round_status"] = lambda rnd: timing.round_status(rnd, g_now())
    app.jinja_env.globals["predictions_public"] = lambda rnd: timing.predictions_public(
        rnd, g_now())


def g_now():
    """One `now` per request, so every rule in a request sees the same instant."""
    if "now" not in g:
        g.now = timing.utcnow()
    return g.now


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _device_cookie(response):
    """A random id per browser, so that many accounts made from one device can be seen."""
    if DEVICE_COOKIE not in request.cookies and not request.path.startswith("/static/"):
        response.set_cookie(DEVICE_COOKIE, secrets.token_hex(16), max_age=365 * 86400,
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def origin() -> tuple[str | None, str | None]:
    """(client address, device id) of the current request."""
    device = request.cookies.get(DEVICE_COOKIE, "")
    return request.remote_addr, device if re.fullmatch(r"[0-9a-f]{32}", device) else None


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _number(value) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
