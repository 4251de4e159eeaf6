"""The public pages that are the same for every anonymous visitor (home, a contest's page),
rendered once and served from the cache (in-process, or Redis with REDIS_URL: shared by every
worker and host) when thousands open a shared link in one minute.

An entry is keyed by the page, the language and the content generation; it is kept at most
PAGE_CACHE_S seconds and never past the next moment a round opens or closes by the clock
(`valid_until`, checked against the request's `now`). The generation is bumped by
`content_changed()` after every commit that wrote an organisation, a contest, a round or block,
a unit, or prizes: the ORM events below find those writes, so every service that changes that
content bumps it inside its operation without calling anything. Signed-in people and requests
with flash messages are rendered fresh; the CSRF token is put in per request."""

from datetime import datetime

from flask import current_app, get_flashed_messages, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import cache

GENERATION_KEY = "pages:generation"
_CSRF_MARK = "\x00csrf\x00"
_TRACKED = {
    "Organisation",
    "Contest",
    "Block",
    "Round",
    "UnitList",
    "Unit",
    "Award",
    "FinalAward",
    "FinalPrizeVoid",
    "Certificate",
    "CertificateBatch",
}


def content_changed() -> None:
    """Every cached public page is stale from now on (the one named bump)."""
    try:
        cache.cache.inc(GENERATION_KEY)  # atomic in Redis (INCRBY); from 0 when missing
    except Exception:  # a cache down serves fresh pages: the time bound still holds
        current_app.logger.exception("page cache generation bump failed")


def generation() -> int:
    return int(cache.get(GENERATION_KEY) or 0)


def cacheable() -> bool:
    """The same for everyone: nobody signed in and no flash message waiting."""
    if current_app.config.get("PAGE_CACHE_S", 0) <= 0 or current_user.is_authenticated:
        return False
    return "_flashes" not in session


def cached_page(name: str, locale: str, now: datetime, render):
    """The page `name` in `locale`: from the cache, or `render()` → (html, valid_until or None)
    stored until then. Only call when cacheable()."""
    key = f"page:{name}:{locale}:{generation()}"
    entry = cache.get(key)
    if entry is None or (entry[1] is not None and now >= entry[1]):
        html, valid_until = render()
        token = generate_csrf()
        entry = (html.replace(token, _CSRF_MARK), valid_until)
        ttl = current_app.config["PAGE_CACHE_S"]
        if valid_until is not None:
            ttl = max(1, min(ttl, int((valid_until - now).total_seconds()) + 1))
        cache.set(key, entry, timeout=ttl)
    get_flashed_messages()  # nothing waits (cacheable); keeps the session untouched otherwise
    return entry[0].replace(_CSRF_MARK, generate_csrf())


def _tracked(obj) -> bool:
    return type(obj).__name__ in _TRACKED


@event.listens_for(Session, "after_flush")
def _note_changes(session, _flush_context):
    if any(_tracked(o) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info["pages_changed"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state):
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_.__name__ in _TRACKED:
            state.session.info["pages_changed"] = True


@event.listens_for(Session, "after_commit")
def _bump(session):
    if session.info.pop("pages_changed", False):
        content_changed()


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop("pages_changed", None)
