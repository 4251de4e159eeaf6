"""The request clock: one `now` per request."""

from flask import g

from .. import timing


def g_now():
    """One `now` per request, so every rule in a request sees the same instant."""
    if "now" not in g:
        g.now = timing.utcnow()
    return g.now
