"""SQLite as an embedded server: WAL, foreign keys, a busy timeout, and real transactions.

pysqlite's own transaction handling breaks SAVEPOINT; the SQLAlchemy recipe takes it over:
no implicit BEGIN from the driver, an explicit BEGIN from SQLAlchemy. Writing happens in a
BEGIN IMMEDIATE transaction: a deferred one that reads and then writes fails at once with
"database is locked" when another connection wrote in between (the busy timeout does not apply
to that upgrade), whereas an immediate one waits its turn. Readers are never blocked (WAL).

Waiting its turn: SQLite's busy handler polls, sleeping up to 100 ms between tries, so under
load the write lock sits free while every waiter sleeps (a load test measured 94 % of request
time there). So the app's own connections queue on an flock(2) of a file beside the database
first: the kernel hands it to the next waiter the moment it is released, and releases it if the
process dies. The busy timeout still covers other programs that open the database.

Read first, then write, everywhere: every transaction begins deferred (BEGIN), so a request
reads without the write lock and never waits for it. Its first write, locking read (SELECT ...
FOR UPDATE, whose clause SQLite leaves out) or SAVEPOINT takes the lock: the read transaction
is committed (it changed nothing; what was loaded stays loaded), the flock is queued for, and
BEGIN IMMEDIATE begins the writing one. What follows sees every committed write, as under
PostgreSQL's READ COMMITTED, so the rules are written once for both: what must be current is
re-read under a lock (FOR UPDATE) or guarded by a conditional UPDATE or a unique index. The
lock is held from the first write to the commit, which the request's owner
(contest/transaction.py) makes before any template renders. Nothing declares this per view.
"""

import contextlib
import fcntl
import threading
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from .transaction import locks_or_writes

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
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "busy_timeout=30000",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    path = cursor.execute("PRAGMA database_list").fetchone()[2]
    cursor.close()
    if path:  # a file, not :memory:
        _close_lock_file(record.info)  # a record reconnecting after an invalidation
        lock_file = open(f"{path}-applock", "a+b")  # noqa: SIM115 (closed with the connection)
        record.info[_LOCK_FILE] = lock_file
        # A pool dropped without dispose() (an engine garbage-collected, a test's app) closes
        # its connections without a "close" event: the file goes with its connection record.
        weakref.finalize(record, lock_file.close)


@event.listens_for(Engine, "begin")
def _on_begin(connection):
    if connection.dialect.name == "sqlite":
        # on the DBAPI connection: SQLAlchemy's execution around it costs ten times the BEGIN
        connection.connection.dbapi_connection.execute("BEGIN")
        connection.connection.info["app.reading"] = True


@event.listens_for(Engine, "before_cursor_execute")
def _write_lock_at_first_write(connection, _cursor, statement, _params, context, _many):
    info = connection.connection.info
    if info.get("app.reading") and locks_or_writes(statement, context):
        _begin_writing(connection.connection.dbapi_connection, info)


def _begin_writing(dbapi_connection, info: dict) -> None:
    """End the read transaction, wait for the write lock, begin the writing transaction."""
    dbapi_connection.execute("COMMIT")
    info["app.reading"] = False
    _acquire(info)
    try:
        dbapi_connection.execute("BEGIN IMMEDIATE")
    except BaseException:
        _release(info)
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
    _close_lock_file(record.info)


def _close_lock_file(info: dict) -> None:
    """Release the write lock if held, then close the connection's lock file."""
    if _LOCK_FILE in info:
        _release(info)
        info.pop(_LOCK_FILE).close()


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
    info.pop("app.reading", None)
    if info.pop("app.locked", False):
        _release_file(info[_LOCK_FILE])
        _held.count -= 1


def _release_file(lock_file) -> None:
    with contextlib.suppress(OSError, ValueError):
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


def begin_writing(connection) -> None:
    """What the before_cursor_execute hook does before a statement that writes or locks, for
    SQL run on the DBAPI cursor (contest/raw_sql.py): take the write lock now. Nothing on
    PostgreSQL, or where this transaction already writes."""
    info = connection.connection.info
    if info.get("app.reading"):
        _begin_writing(connection.connection.dbapi_connection, info)
