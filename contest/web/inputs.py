"""Reading a request's input: what is refused before anything reads it, and query numbers."""

import re

from flask import abort, request

from ..errors import Invalid


def refuse_nul():
    """A NUL character in a path, query or form field is never a person's input (and
    PostgreSQL refuses it in text): 400 before anything reads it."""
    values = [
        request.path,
        *(v for _k, v in request.args.items(multi=True)),
        *(v for _k, v in request.form.items(multi=True)),
    ]
    if any("\x00" in value for value in values):
        abort(400)
    if any(not isinstance(key, str) for key in request.form):  # a multipart part with a
        abort(400)  # name werkzeug cannot read ("%0A"): Flask-WTF's CSRF check raised on it


def int_arg(name: str, default: int, lowest: int, highest: int) -> int:
    """A whole number from the query string, held within [lowest, highest]: ?page=10**30 or
    ?hours=-5 is the nearest sensible value, never an overflow in the database (a 500)."""
    raw = request.args.get(name, "")
    if not re.fullmatch(r"-?[0-9]{1,30}", raw.strip()):
        return default
    return min(max(int(raw), lowest), highest)


def limit_arg(default: int = 50, highest: int = 500) -> int:
    """A board's ?limit=: a whole number from 1 to `highest` (`default` when absent or not a
    number), else 422 naming the field."""
    limit = request.args.get("limit", default, type=int)
    if not 1 <= limit <= highest:
        raise Invalid(fields={"limit": f"1..{highest}"})
    return limit


def json_text(key: str) -> str:
    """A JSON body's `key` as text (at most 200 characters; "" when the body is not an object),
    read before the body is validated: the login rate limits key on it."""
    data = request.get_json(silent=True)
    return str(data.get(key, ""))[:200] if isinstance(data, dict) else ""
