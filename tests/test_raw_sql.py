"""contest/raw_sql.py runs the answer save's statements on the DBAPI cursor: the rows it returns
and the values it writes are what Core gives and writes (datetimes, JSON, booleans), on SQLite
and PostgreSQL alike, and on SQLite a locking statement takes the write lock first."""

from datetime import datetime

from sqlalchemy import bindparam, select

from contest.extensions import db
from contest.models import Answer, Attempt
from contest.raw_sql import raw
from contest.services.saves import _save_check
from contest.services.upsert import _statements


def _attempt(make_round, register):
    rnd = make_round()
    api = register(phone="0912000777")
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    return attempt, attempt["questions"][0]


def test_a_raw_select_returns_what_core_returns(app, make_round, register):
    attempt, question = _attempt(make_round, register)
    values = {"attempt_id": attempt["id"], "question_id": question["id"]}
    with app.app_context(), db.engine.begin() as conn:
        core = conn.execute(_save_check(), values).one()
        rows = raw(_save_check(), conn.dialect).rows(conn, values)
    assert len(rows) == 1
    assert tuple(rows[0]) == tuple(core)
    assert isinstance(rows[0].deadline, datetime) and isinstance(rows[0].multiple, bool)
    assert sorted(rows[0].choice_order) == sorted(c["id"] for c in question["choices"])


def test_a_raw_upsert_writes_what_the_orm_reads(app, make_round, register):
    attempt, question = _attempt(make_round, register)
    choice = question["choices"][1]["id"]
    saved_at = datetime(2026, 12, 7, 9, 30, 15, 123456)
    with app.app_context():
        upsert, _stored = _statements(db.engine.dialect.name)
        with db.engine.begin() as conn:
            row = raw(upsert, conn.dialect).first(
                conn,
                {
                    "attempt_id": attempt["id"],
                    "question_id": question["id"],
                    "choices": [choice],
                    "seq": 41,
                    "saved_at": saved_at,
                },
            )
        assert row.seq == 41
        stored = db.session.execute(
            select(Answer).where(Answer.attempt_id == attempt["id"])
        ).scalar_one()
        assert (stored.choices, stored.seq, stored.saved_at) == ([choice], 41, saved_at)
        db.session.rollback()


def test_a_raw_select_with_no_row_and_bound_defaults(app, make_round, register):
    attempt, _question = _attempt(make_round, register)
    attempts = Attempt.__table__.c
    statement = select(attempts.id).where(
        attempts.id == bindparam("attempt_id"), attempts.status == "in_progress"
    )
    with app.app_context(), db.engine.begin() as conn:
        assert raw(statement, conn.dialect).first(conn, {"attempt_id": attempt["id"]}) == (
            attempt["id"],
        )
        assert raw(statement, conn.dialect).first(conn, {"attempt_id": 10**9}) is None


def test_on_sqlite_a_locking_statement_takes_the_write_lock_first(app, make_round, register):
    attempt, question = _attempt(make_round, register)
    with app.app_context(), db.engine.begin() as conn:
        if conn.dialect.name != "sqlite":
            assert raw(_save_check(), conn.dialect).writes  # FOR UPDATE OF attempts
            return
        info = conn.connection.info
        assert info.get("app.reading") is True  # BEGIN (deferred): a reader so far
        raw(_save_check(), conn.dialect).first(
            conn, {"attempt_id": attempt["id"], "question_id": question["id"]}
        )
        assert info.get("app.reading") is False and info.get("app.locked")
        assert conn.connection.dbapi_connection.in_transaction
