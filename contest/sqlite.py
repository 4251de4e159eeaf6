"""SQLite as an embedded server: WAL, foreign keys, a busy timeout, and real transactions.

pysqlite's own transaction handling breaks SAVEPOINT; the SQLAlchemy recipe takes it over:
no implicit BEGIN from the driver, an explicit BEGIN from SQLAlchemy. It is BEGIN IMMEDIATE:
a deferred transaction that reads and then writes fails at once with "database is locked" when
another connection wrote in between (the busy timeout does not apply to that upgrade), whereas
an immediate one waits its turn. Readers outside a transaction are never blocked (WAL).

Waiting its turn: SQLite's busy handler polls, sleeping up to 100 ms between tries, so under
load the write lock sits free while every waiter sleeps (a load test measured 94 % of request
time there). So the app's own connections queue on an flock(2) of a file beside the database
first: the kernel hands it to the next waiter the moment it is released, and releases it if the
process dies. The busy timeout still covers other programs that open the database.

Read first, then write: the participant's hot endpoints (`@reads_first`) begin with a deferred,
read-only transaction (the token, the round, the checks), and call `begin_writing()` just
before their first write, which ends that read transaction so the next one begins IMMEDIATE.
The write lock is then held for the writes and the reads that must be current under it (the
locked re-read of an attempt), not for the whole request. What is read before is checked again
under the lock, or guarded by a unique index. On PostgreSQL `begin_writing()` does nothing.
A write inside such a read transaction is refused in tests, so a missing call cannot hide.
"""
import fcntl
import threading

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from .extensions import db

_LOCK_FILE = "app.lockfile"  # key in a DBAPI connection's info: its open lock file
_held = threading.local()  # connections of this thread holding the lock (never wait on self)


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__ == "sqlite3"


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, record):
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000",
                   "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    path = cursor.execute("PRAGMA database_list").fetchone()[2]
    cursor.close()
    if path:  # a file, not :memory:
        record.info[_LOCK_FILE] = open(f"{path}-applock", "a+b")  # noqa: SIM115 (kept open)


def reads_first(view):
    """Mark a view: its first transaction on SQLite is deferred (see the module's doc)."""
    view.sqlite_reads_first = True
    return view


def begin_writing() -> None:
    """Call before the first write of a `@reads_first` view: on SQLite, end the read
    transaction (keeping what was loaded) so that the next statement takes the write lock."""
    if not has_request_context() or g.get("sqlite_writing"):
        return
    g.sqlite_writing = True
    if not g.get("sqlite_deferred"):
        return  # PostgreSQL, or no read transaction open
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def commit_then_read() -> None:
    """Commit; in a `@reads_first` view, what follows (building the response) reads in a
    deferred transaction again, without the write lock."""
    db.session.commit()
    if has_request_context():
        g.sqlite_writing = False


def _reads_first() -> bool:
    if not has_request_context() or g.get("sqlite_writing"):
        return False
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "sqlite_reads_first", False)


@event.listens_for(Engine, "before_cursor_execute")
def _no_write_while_reading(connection, _cursor, statement, _params, _context, _many):
    if (connection.info.get("app.deferred") and current_app.testing
            and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")):
        raise RuntimeError("A write in a read-first transaction: call begin_writing() first.")


@event.listens_for(Engine, "begin")
def _on_begin(connection):
    if connection.dialect.name != "sqlite":
        return
    if _reads_first():
        connection.exec_driver_sql("BEGIN")
        connection.connection.info["app.deferred"] = True
        g.sqlite_deferred = True
        return
    _acquire(connection.connection.info)
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release(connection.connection.info)
        raise


@event.listens_for(Engine, "commit")
def _on_commit(connection):
    _end(connection, "commit")


@event.listens_for(Engine, "rollback")
def _on_rollback(connection):
    _end(connection, "rollback")


def _end(connection, how: str) -> None:
    """Commit or roll back here, then let the next writer in (SQLAlchemy's own commit or
    rollback then finds no transaction open and does nothing)."""
    if connection.dialect.name == "sqlite":
        try:
            getattr(connection.connection.dbapi_connection, how)()
        finally:
            _release(connection.connection.info)


@event.listens_for(Pool, "reset")
def _on_reset(dbapi_connection, record, _state=None):
    """A connection handed back mid-transaction (an error, say): roll back, then release."""
    if _is_sqlite(dbapi_connection) and _LOCK_FILE in record.info:
        try:
            dbapi_connection.rollback()
        finally:
            _release(record.info)


@event.listens_for(Pool, "close")
def _on_close(dbapi_connection, record):
    if _LOCK_FILE in record.info:
        _release(record.info)
        record.info.pop(_LOCK_FILE).close()


def _acquire(info: dict) -> None:
    lock_file = info.get(_LOCK_FILE)
    if lock_file is None or info.get("app.locked"):
        return
    if getattr(_held, "count", 0):  # this thread holds it through another connection
        return
    fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)  # waits in the kernel, GIL released
    info["app.locked"] = True
    _held.count = getattr(_held, "count", 0) + 1


def _release(info: dict) -> None:
    if info.pop("app.deferred", False) and has_request_context():
        g.sqlite_deferred = False
    if info.pop("app.locked", False):
        _release_file(info[_LOCK_FILE])
        _held.count -= 1


def _release_file(lock_file) -> None:
    try:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    except (OSError, ValueError):
        pass

