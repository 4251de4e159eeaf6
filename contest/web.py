"""Response headers, template filters and the per-request commit/rollback discipline."""
import re
import secrets

from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent
from flask import abort, current_app, g, request
from flask_babel import get_locale

from question_bank.sheets import error_place

from . import timing
from .ranking import mask_name

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


DEVICE_COOKIE = "did"


def init_app(app) -> None:
    # first of all, before even the CSRF check, which reads the form
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_nul)
    app.after_request(_security_headers)
    app.after_request(_device_cookie)
    app.jinja_env.filters.update(local=_local, duration=timing.format_duration,
                                 iso=timing.iso, mask=mask_name, percent=_percent,
                                 number=_number)
    app.jinja_env.globals["error_place"] = error_place
    from .auth import can
    app.jinja_env.globals["can"] = can  # a page shows only what its reader may do
    app.jinja_env.globals["round_status"] = lambda rnd: timing.round_status(rnd, g_now())
    app.jinja_env.globals["predictions_public"] = lambda rnd: timing.predictions_public(
        rnd, g_now())
    app.jinja_env.globals["score_visible"] = lambda rnd: timing.score_visible(rnd, g_now())
    app.jinja_env.globals["scores_hidden"] = lambda rounds: timing.scores_hidden(rounds, g_now())


def g_now():
    """One `now` per request, so every rule in a request sees the same instant."""
    if "now" not in g:
        g.now = timing.utcnow()
    return g.now


def _refuse_nul():
    """A NUL character in a path, query or form field is never a person's input (and
    PostgreSQL refuses it in text): 400 before anything reads it."""
    values = [request.path, *(v for _k, v in request.args.items(multi=True)),
              *(v for _k, v in request.form.items(multi=True))]
    if any("\x00" in value for value in values):
        abort(400)
    if any(not isinstance(key, str) for key in request.form):  # a multipart part with a
        abort(400)  # name werkzeug cannot read ("%0A"): Flask-WTF's CSRF check raised on it


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


# Dates as people of each language write them; Vietnamese keeps the platform's own short form.
DATETIME_PATTERNS = {"vi": "HH:mm dd/MM/yyyy"}


def _locale():
    return get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]


def _local(dt, fmt: str | None = None) -> str:
    """A stored naive-UTC time in Vietnam time: `fmt` (strftime) when given, else the locale's
    medium date with a short time ("13:52 22/11/2026", "Nov 22, 2026, 1:52 PM")."""
    if fmt is not None:
        return timing.format_local(dt, fmt)
    local = timing.to_local(dt)
    if local is None:
        return ""
    locale = _locale()
    return format_datetime(local, _datetime_pattern(locale), tzinfo=timing.LOCAL_TZ,
                           locale=locale)


def _datetime_pattern(locale) -> str:
    if locale.language in DATETIME_PATTERNS:
        return DATETIME_PATTERNS[locale.language]
    return locale.datetime_formats["medium"].format(locale.time_formats["short"].pattern,
                                                    locale.date_formats["medium"].pattern)


def _percent(value) -> str:
    """0.123 -> 12,3% (vi), 12.3% (en)."""
    return "" if value is None else format_percent(value, "#,##0.0%", locale=_locale())


def _number(value) -> str:
    """12345 -> 12.345 (vi), 12,345 (en); a fraction keeps two decimals: 7,50 / 7.50."""
    if value is None:
        return ""
    pattern = "#,##0" if float(value).is_integer() else "#,##0.00"
    return format_decimal(value, pattern, locale=_locale())


def int_arg(name: str, default: int, lowest: int, highest: int) -> int:
    """A whole number from the query string, held within [lowest, highest]: ?page=10**30 or
    ?hours=-5 is the nearest sensible value, never an overflow in the database (a 500)."""
    raw = request.args.get(name, "")
    if not re.fullmatch(r"-?[0-9]{1,30}", raw.strip()):
        return default
    return min(max(int(raw), lowest), highest)
