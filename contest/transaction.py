"""One owner for each request's transaction, pages and API alike (after indico's RH.process).

The view runs; when it returns, its changes are committed once; when it raises, they are rolled
back before any error handler runs. A DomainError whose refusal is itself a change of state
(`keep_changes`: an attempt found overdue is expired even though the call answers 409) commits
what was done before it, then goes on to its handler. Views and services never commit.

Nothing waits on a lock while slow work runs:
- a template is rendered after the request's writes are committed (the owner commits when the
  first template starts rendering, keeping what was loaded, so the page costs no extra reads);
- on SQLite the write lock is taken only at the first write (contest/sqlite.py), so hashing a
  password, parsing an upload or reading a PDF before writing never holds it.

A view that catches a DomainError to show it on its own page, instead of raising, calls
`discard_changes()`: what the failed operation had done is rolled back, and the page shows the
error.
"""

from flask import Flask, g, has_request_context
from flask.signals import before_render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .errors import DomainError
from .extensions import db

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT")


class App(Flask):
    """Flask, with `dispatch_request` owning the transaction of the view it calls."""

    def dispatch_request(self):
        try:
            response = super().dispatch_request()
            commit()
        except DomainError as exc:
            if exc.keep_changes and not g.get("_discarded"):
                commit()
            else:
                db.session.rollback()
            raise
        except BaseException:
            db.session.rollback()
            raise
        return response


def commit() -> None:
    """Commit the request's changes, keeping what was loaded (the response may still read it)."""
    session = db.session()
    if not session.in_transaction():
        return
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
    g.pop("_wrote", None)


def discard_changes() -> None:
    """For a view that shows a refused operation on its own page: undo what it had done."""
    db.session.rollback()
    g._discarded = True


def locks_or_writes(statement: str, context) -> bool:
    """A statement that writes, or reads with a lock (SELECT ... FOR UPDATE; SQLite leaves the
    clause out of the SQL, so it is read off the compiled statement)."""
    if statement.lstrip()[:9].upper().startswith(_WRITES):
        return True
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def note_write() -> None:
    """For a write that goes around SQLAlchemy's cursor (COPY on the driver's connection): the
    request has written, so it commits before its template renders."""
    if has_request_context():
        g._wrote = True


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(_connection, _cursor, statement, _params, context, _many):
    if has_request_context() and "_wrote" not in g and locks_or_writes(statement, context):
        g._wrote = True


def _commit_before_rendering(_app, **_extra) -> None:
    session = db.session()
    if g.get("_wrote") or session.new or session.dirty or session.deleted:
        commit()


def init_app(app: Flask) -> None:
    before_render_template.connect(_commit_before_rendering, app)
