"""A Core statement compiled once and run on the connection's DBAPI cursor.

For the answer save (contest/lean_save.py), where SQLAlchemy's work around each execution
(execution context, events, result objects) costs several times the statement itself. The SQL
is SQLAlchemy's own compilation for the dialect, and values pass through the column types' own
bind and result processors, so the database sees and returns exactly what Core would. On SQLite
a statement that writes or locks first takes the write lock, as contest/sqlite.py's
before_cursor_execute hook does for Core and the ORM.
"""

from collections import namedtuple

from sqlalchemy.sql import Delete, Insert, Update

from .sqlite import begin_writing


class RawStatement:
    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.order = compiled.positiontup if compiled.positional else None
        self.binds = {
            name: (bind.value, bind.type.dialect_impl(dialect).bind_processor(dialect))
            for name, bind in compiled.binds.items()
        }
        columns = list(statement.exported_columns)
        self.results = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
        ]
        self.Row = namedtuple("Row", [c.key for c in columns])
        self.writes = isinstance(statement, Insert | Update | Delete) or (
            getattr(statement, "_for_update_arg", None) is not None
        )

    def rows(self, conn, values: dict) -> list:
        """The rows of the statement run with `values` on a Core connection's DBAPI cursor."""
        fetched = self._execute(conn, values, fetch=True)
        processors = self.results
        return [
            self.Row(*(p(v) if p is not None else v for p, v in zip(processors, row, strict=True)))
            for row in fetched
        ]

    def run(self, conn, values: dict) -> int:
        """Run a statement that returns no rows (an INSERT without RETURNING); its rowcount."""
        return self._execute(conn, values, fetch=False)

    def _execute(self, conn, values: dict, fetch: bool):
        if self.writes:
            begin_writing(conn)
        params = {}
        for name, (default, process) in self.binds.items():
            value = values.get(name, default)
            params[name] = process(value) if process is not None and value is not None else value
        if self.order is not None:
            params = tuple(params[name] for name in self.order)
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            cursor.execute(self.sql, params)
            return cursor.fetchall() if fetch else cursor.rowcount
        finally:
            cursor.close()

    def first(self, conn, values: dict):
        rows = self.rows(conn, values)
        return rows[0] if rows else None


_COMPILED: dict = {}


def raw(statement, dialect) -> RawStatement:
    """The statement compiled for the dialect, once (its statements are built once)."""
    key = (id(statement), dialect.name)
    found = _COMPILED.get(key)
    if found is None or found[0] is not statement:
        if len(_COMPILED) >= 1024:  # statements built for each count (many-row INSERTs, IN)
            _COMPILED.clear()
        found = _COMPILED[key] = (statement, RawStatement(statement, dialect))
    return found[1]
