"""The answer upsert in SQL that both SQLite (3.24+) and PostgreSQL run."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import Answer


def upsert_answer(attempt_id: int, question_id: int, choices: list[int], seq: int,
                  saved_at: datetime) -> int:
    """INSERT .. ON CONFLICT DO UPDATE only where the incoming seq is higher; the stored seq."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Answer).values(attempt_id=attempt_id, question_id=question_id,
                                 choices=choices, seq=seq, saved_at=saved_at)
    stmt = stmt.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={"choices": stmt.excluded.choices, "seq": stmt.excluded.seq,
              "saved_at": stmt.excluded.saved_at},
        where=Answer.seq < stmt.excluded.seq)
    db.session.execute(stmt)
    return db.session.scalar(select(Answer.seq).filter_by(attempt_id=attempt_id,
                                                          question_id=question_id))
