"""Response headers, template filters and the per-request commit/rollback discipline."""
from flask import g

from . import timing
from .ranking import mask_name

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def init_app(app) -> None:
    app.after_request(_security_headers)
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


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _number(value) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
