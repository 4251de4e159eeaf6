"""The interface language: Vietnamese (the source language) unless the `lang` cookie says English.

The cookie is set by GET /ngon-ngu/<code>?next=/path, which the switcher in the header links to.
Accept-Language is deliberately ignored: the audience is Vietnamese, whatever their browser says.

Updating the English catalogue after strings change (from the project root):
    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-wrap \\
        -o translations/messages.pot .
    .venv/bin/pybabel update -i translations/messages.pot -d translations --no-wrap
    (translate every new or fuzzy entry in translations/en/LC_MESSAGES/messages.po)
    .venv/bin/pybabel compile -d translations
tests/test_i18n.py fails while a string has no English translation or the .mo is stale.
"""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 86400

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Flask-Babel's locale selector: the `lang` cookie when it names a language we have."""
    if has_request_context():
        code = request.cookies.get(COOKIE)
        if code in LANGUAGES:
            return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the home page (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def switch(code):
    """GET /ngon-ngu/vi or /ngon-ngu/en: a rule per language, so any other code is a 404."""
    if code not in LANGUAGES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")), code=303)
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


for _code in LANGUAGES:
    bp.add_url_rule(f"/ngon-ngu/{_code}", view_func=switch, defaults={"code": _code})


@bp.app_template_global()
def current_language() -> str:
    return select_locale()


@bp.app_template_global()
def language_links() -> list[tuple[str, str, str]]:
    """(code, name, switch URL back to this page) for every language, for the header."""
    if not has_request_context():
        return []
    shared = g.get("shared_render")  # a page stored for everyone (contest/page_cache.py)
    here = request.full_path if request.query_string and not shared else request.path
    return [
        (code, name, url_for("i18n.switch", code=code, next=here))
        for code, name in LANGUAGES.items()
    ]


@bp.after_app_request
def _language_headers(response):
    """Pages differ by the cookie: say so to caches, and name the language of the content."""
    if request.endpoint == "static":
        return response
    response.vary.add("Cookie")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Language", select_locale())
    return response
