"""The answer upsert, and inserts that skip a row a unique index already holds, in SQL that
both SQLite (3.24+; RETURNING 3.35+) and PostgreSQL run."""

import functools
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import Answer
from ..raw_sql import raw


def upsert_answer(
    attempt_id: int, question_id: int, choices: list[int], seq: int, saved_at: datetime, conn=None
) -> int:
    """INSERT .. ON CONFLICT DO UPDATE only where the incoming seq is higher; the stored seq.
    On `conn` (a Core connection, its DBAPI cursor: contest/raw_sql.py) instead of the request's
    session when given."""
    values = {"attempt_id": attempt_id, "question_id": question_id}
    written = {**values, "choices": choices, "seq": seq, "saved_at": saved_at}
    if conn is None:
        run = db.session
        upsert, stored_seq = _statements(run.get_bind().dialect.name)
        stored = run.scalar(upsert, written)
        return stored if stored is not None else run.scalar(stored_seq, values)
    upsert, stored_seq = _statements(conn.dialect.name)
    row = raw(upsert, conn.dialect).first(conn, written)
    if row is not None:  # written; else a save with a higher seq is already stored
        return row.seq
    return raw(stored_seq, conn.dialect).first(conn, values).seq


@functools.cache
def _statements(dialect: str):
    """Built once per dialect: building them costs more than running them."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    answers = Answer.__table__  # Core, not the ORM's bulk-insert path
    stmt = insert(answers).values(
        attempt_id=bindparam("attempt_id"),
        question_id=bindparam("question_id"),
        choices=bindparam("choices", type_=answers.c.choices.type),
        seq=bindparam("seq", type_=answers.c.seq.type),
        saved_at=bindparam("saved_at", type_=answers.c.saved_at.type),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={
            "choices": stmt.excluded.choices,
            "seq": stmt.excluded.seq,
            "saved_at": stmt.excluded.saved_at,
        },
        where=answers.c.seq < stmt.excluded.seq,
    ).returning(answers.c.seq)
    stored_seq = select(answers.c.seq).where(
        answers.c.attempt_id == bindparam("attempt_id"),
        answers.c.question_id == bindparam("question_id"),
    )
    return stmt, stored_seq


def insert_or_skip(table, dialect: str):
    """INSERT .. ON CONFLICT DO NOTHING, whichever unique index the row collides with: a row
    another request wrote a moment earlier is skipped (no row RETURNING, rowcount 0), with no
    SAVEPOINT around it and no error that would end a PostgreSQL transaction."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing()
