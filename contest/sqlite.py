"""SQLite as an embedded server: WAL, foreign keys, a busy timeout, and real transactions.

pysqlite's own transaction handling breaks SAVEPOINT; the SQLAlchemy recipe takes it over:
no implicit BEGIN from the driver, an explicit BEGIN from SQLAlchemy. It is BEGIN IMMEDIATE:
a deferred transaction that reads and then writes fails at once with "database is locked" when
another connection wrote in between (the busy timeout does not apply to that upgrade), whereas
an immediate one waits its turn for up to the busy timeout. Requests are short, so taking the
write lock at the start costs little; readers outside a transaction are never blocked (WAL).
"""
from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, _record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000",
                   "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _on_begin(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
