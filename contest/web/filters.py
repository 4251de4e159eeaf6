"""Jinja filters and globals: times, numbers and percentages as each language writes them,
and the time rules a page asks about, all at the request's one `now`."""

from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent
from flask import current_app
from flask_babel import get_locale

from question_bank.upload import error_place

from .. import timing
from ..ranking import mask_name
from ..vocab import VOCABULARIES
from .clock import g_now


def init_app(app) -> None:
    app.jinja_env.filters.update(
        local=_local,
        duration=timing.format_duration,
        iso=timing.iso,
        mask=mask_name,
        percent=_percent,
        number=_number,
    )
    app.jinja_env.globals["error_place"] = error_place
    # each vocabulary by its class name: {% for code, label in Counting.choices() %}
    app.jinja_env.globals.update({v.__name__: v for v in VOCABULARIES})
    from ..auth import can

    app.jinja_env.globals["can"] = can  # a page shows only what its reader may do
    app.jinja_env.globals["round_status"] = lambda rnd: timing.round_status(rnd, g_now())
    app.jinja_env.globals["predictions_public"] = lambda rnd: timing.predictions_public(
        rnd, g_now()
    )
    app.jinja_env.globals["score_visible"] = lambda rnd: timing.score_visible(rnd, g_now())
    app.jinja_env.globals["scores_hidden"] = lambda rounds: timing.scores_hidden(rounds, g_now())


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
    return format_datetime(local, _datetime_pattern(locale), tzinfo=timing.LOCAL_TZ, locale=locale)


def _datetime_pattern(locale) -> str:
    if locale.language in DATETIME_PATTERNS:
        return DATETIME_PATTERNS[locale.language]
    return locale.datetime_formats["medium"].format(
        locale.time_formats["short"].pattern, locale.date_formats["medium"].pattern
    )


def _percent(value) -> str:
    """0.123 -> 12,3% (vi), 12.3% (en)."""
    return "" if value is None else format_percent(value, "#,##0.0%", locale=_locale())


def _number(value) -> str:
    """12345 -> 12.345 (vi), 12,345 (en); a fraction keeps two decimals: 7,50 / 7.50."""
    if value is None:
        return ""
    pattern = "#,##0" if float(value).is_integer() else "#,##0.00"
    return format_decimal(value, pattern, locale=_locale())
