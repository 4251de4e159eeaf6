"""The public pages that are the same for every anonymous visitor (home, a contest's page),
rendered once and served from the cache (in-process, or Redis with REDIS_URL: shared by every
worker and host) when thousands open a shared link in one minute.

An entry is keyed by the page, the site address it was asked under (`page_address`: the page
holds absolute links), the language and the content generation; it is kept at most PAGE_CACHE_S
seconds and never past the next moment a round opens or closes by the clock (`valid_until`,
checked against the request's `now`). The generation is a fresh random token set by
`content_changed()` after every commit that wrote an organisation, a contest, a round or block, a
unit, or prizes and certificates: the ORM events below find those writes (unit-of-work flushes
and ORM bulk statements), so every service that changes that content bumps it inside its
operation without calling anything. A token, not a counter: a generation key lost by the cache
(eviction, restart) never comes back as one that older entries were stored under.

What refreshes by the PAGE_CACHE_S bound only: the contest page's live counts and boards
(entries and attempts are written by every participant's submit, so they do not bump the
generation; they are cached LEADERBOARD_CACHE_S / COUNTS_CACHE_S anyway), writes made outside
the ORM (raw SQL, another program), and a render that read the database from a snapshot taken
before a commit whose bump it then saw.

Nothing personal is ever stored: signed-in people and requests with a flash message waiting are
rendered fresh and never cached; the CSRF token of the visitor whose request rendered the entry
is replaced by a marker, and each request gets its own token put in; links back to the page
(the language switcher) leave out the query string of that visitor's request."""

import secrets
from datetime import datetime

from flask import current_app, g, get_flashed_messages, request, session
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
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=0)  # 0: kept until changed
    except Exception:  # a cache down serves fresh pages: the time bound still holds
        current_app.logger.exception("page cache generation bump failed")


def generation() -> str:
    """The current content generation; a fresh one when the cache has none (first use, or the
    key was evicted), set with add() so that concurrent workers agree on it."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=0)
        current = cache.get(GENERATION_KEY) or "none"
    return current


def cacheable() -> bool:
    """The same for everyone: nobody signed in and no flash message waiting, asked under an
    address the entries may be stored for."""
    if current_app.config.get("PAGE_CACHE_S", 0) <= 0 or current_user.is_authenticated:
        return False
    return "_flashes" not in session and page_address() is not None


def page_address() -> str | None:
    """The site address a page is stored under: Werkzeug's host_url, which the page's links
    are built from (lower case, no default port; a Host of characters no name has is refused
    as empty), so that an entry never holds another address's links. None: rendered fresh and
    not stored. That is a Host Werkzeug refused, and, where the site's names are set
    (PAGE_CACHE_HOSTS), any other name or spelling: another host, port, a trailing dot. A
    client inventing Host names then adds no entry, in process or in Redis (shared by every
    worker, where nothing else bounds them); without the names set, each name adds its own
    entry for at most PAGE_CACHE_S seconds (docs/deploy.md)."""
    if not request.host:
        return None
    names = current_app.config.get("PAGE_CACHE_HOSTS")
    if names and request.host.lower() not in {name.lower() for name in names}:
        return None
    return request.host_url


def cached_page(name: str, locale: str, now: datetime, render):
    """The page `name` in `locale`: from the cache, or `render()` → (html, valid_until or None)
    stored until then. Only call when cacheable()."""
    key = f"page:{name}:{page_address()}:{locale}:{generation()}"
    entry = cache.get(key)
    if entry is None or (entry[1] is not None and now >= entry[1]):
        g.shared_render = True  # links back to the page leave this visitor's query out
        try:
            html, valid_until = render()
        finally:
            g.shared_render = False
        token = generate_csrf()
        entry = (html.replace(token, _CSRF_MARK), valid_until)
        ttl = current_app.config["PAGE_CACHE_S"]
        if valid_until is not None:
            ttl = max(1, min(ttl, int((valid_until - now).total_seconds()) + 1))
        cache.set(key, entry, timeout=ttl)
    get_flashed_messages()  # nothing waits (cacheable); keeps the session untouched otherwise
    return entry[0].replace(_CSRF_MARK, generate_csrf())


def _tracked_class(cls) -> bool:
    return cls.__name__ in _TRACKED


def _tracked(obj) -> bool:
    return _tracked_class(type(obj))


@event.listens_for(Session, "after_flush")
def _note_changes(session, _flush_context):
    if any(_tracked(o) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info["pages_changed"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state):
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and state.bind_mapper is not None and _tracked_class(state.bind_mapper.class_):
        state.session.info["pages_changed"] = True


@event.listens_for(Session, "after_commit")
def _bump(session):
    if session.info.pop("pages_changed", False):
        content_changed()


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop("pages_changed", None)
