"""An answer save: the hot path of a contest (the Flask route and contest/lean_save.py)."""

import functools
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from ..errors import AttemptClosed, Invalid, NotFound
from ..extensions import db
from ..models import Attempt, AttemptQuestion, Question, Round
from ..models.attempts import IN_PROGRESS
from ..raw_sql import raw
from ..timing import accepts_writes
from .upsert import upsert_answer


def save_answer(
    user_id: int,
    attempt_id: int,
    question_id: int,
    choice_ids: list[int],
    seq: int,
    now: datetime,
    conn=None,
) -> int:
    """Upsert the answer; only a higher seq wins. Returns the stored seq.
    The hot path of a contest, so one statement reads what the checks need while holding the
    attempt's row lock (a save can never land after the attempt was scored), and one writes.
    Another person's attempt is a 404, as if it did not exist.
    `conn` is a Core connection of contest/lean_save.py in place of the request's session (the
    same statements, run on its DBAPI cursor by contest/raw_sql.py); an overdue attempt is then
    only refused (the Flask route it hands over to expires it)."""
    values = {"attempt_id": attempt_id, "question_id": question_id}
    if conn is None:
        row = db.session.execute(_save_check(), values).one_or_none()
    else:
        row = raw(_save_check(), conn.dialect).first(conn, values)
    if row is None or row.user_id != user_id:
        raise NotFound()
    if row.status != IN_PROGRESS:
        raise AttemptClosed()
    if not accepts_writes(row.deadline, row.grace_s, now):
        if conn is None:
            from .attempts import expire_if_overdue

            expire_if_overdue(db.session.get(Attempt, attempt_id), now)
        raise AttemptClosed()
    if row.choice_order is None:
        raise NotFound()
    _check_choices(row.choice_order, row.multiple, choice_ids)
    return upsert_answer(attempt_id, question_id, sorted(set(choice_ids)), seq, now, conn)


@functools.cache
def _save_check():
    """Built once, on the tables (Core): building a statement costs more than running it."""
    attempts, rounds = Attempt.__table__.c, Round.__table__.c
    drawn, questions = AttemptQuestion.__table__.c, Question.__table__.c
    return (
        select(
            attempts.user_id,
            attempts.status,
            attempts.deadline,
            rounds.grace_s,
            drawn.choice_order,
            questions.multiple,
        )
        .select_from(
            Attempt.__table__.join(Round.__table__, rounds.id == attempts.round_id)
            .outerjoin(
                AttemptQuestion.__table__,
                (drawn.attempt_id == attempts.id) & (drawn.question_id == bindparam("question_id")),
            )
            .outerjoin(Question.__table__, questions.id == drawn.question_id)
        )
        .where(attempts.id == bindparam("attempt_id"))
        .with_for_update(of=Attempt.__table__)
    )


def _check_choices(choice_order: list[int], multiple: bool, choice_ids: list[int]) -> None:
    if not set(choice_ids) <= set(choice_order):
        raise Invalid(fields={"choices": str(_l("Lựa chọn không thuộc câu hỏi này."))})
    if len(set(choice_ids)) > 1 and not multiple:
        raise Invalid(fields={"choices": str(_l("Câu hỏi này chỉ có một đáp án."))})
