"""`GET /api/v1/attempts/<id>` ("load my exam": what an API client asks when it opens an exam and
whenever it reconnects), served before Flask when it is an ordinary one.

The ordinary one is the caller's own attempt in progress, before its deadline + grace, in a
round whose results are not final yet (so no key is shown), with no picture among its drawn
questions, asked with a current bearer token or session cookie that Flask would neither refuse
nor rewrite (contest/lean_save.py's checks, CSRF aside: a GET changes nothing). It is read in
four statements on one connection, without the ORM, and answered with the route's own JSON
(presenters.common.attempt_json) and headers. Anything else goes to the Flask route, which
answers exactly as before: someone else's attempt (404), an attempt to expire (a write), a
finished one, a revealed key, pictures (their URLs are the router's), a scoped sign-in.
"""

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, exists, select

from . import timing
from .models import Answer, Attempt, AttemptQuestion, Entry, QuestionImage, Round
from .models.attempts import IN_PROGRESS
from .presenters.common import attempt_json
from .raw_sql import raw
from .services.draws import drawn_questions

_STATEMENTS: dict = {}


def read_attempt(conn, user_id: int, attempt_id: int, now: datetime) -> dict | None:
    """The route's reply for the caller's ordinary attempt (see above), or None to hand over."""
    row = raw(_attempt_statement(), conn.dialect).first(conn, {"attempt_id": attempt_id})
    if (
        row is None
        or row.user_id != user_id
        or row.status != IN_PROGRESS
        or not timing.accepts_writes(row.deadline, row.grace_s, now)
        or timing.results_visible(row, now)  # the key may be shown: key_visible decides
        or row.pictures
    ):
        return None
    drawn = drawn_questions(attempt_id, conn)
    if not drawn:
        return None
    answers = {
        answer.question_id: answer.choices
        for answer in raw(_answers_statement(), conn.dialect).rows(conn, {"attempt_id": attempt_id})
    }
    attempt = SimpleNamespace(
        id=attempt_id,
        round_id=row.round_id,
        status=row.status,
        seq=row.seq,
        started_at=row.started_at,
        deadline=row.deadline,
        round=SimpleNamespace(grace_s=row.grace_s, prediction=row.prediction),
    )
    data = attempt_json(attempt, answers, now, False, drawn, ({}, {}))
    data.update(voided=row.voided is not None, void_reason=row.void_reason)
    return data


def _attempt_statement():
    """The attempt with what the rules read of its round, whether any drawn question has a
    picture, and the person's voided entry of the round (services.prizes.voided_entry)."""
    if "attempt" not in _STATEMENTS:
        attempts, rounds, drawn = Attempt.__table__, Round.__table__, AttemptQuestion.__table__
        images, entries = QuestionImage.__table__, Entry.__table__
        voided = (
            select(entries.c.id, entries.c.void_reason)
            .where(
                entries.c.round_id == attempts.c.round_id,
                entries.c.user_id == attempts.c.user_id,
                entries.c.voided.is_(True),
            )
            .limit(1)
        )
        pictures = exists().where(
            drawn.c.attempt_id == attempts.c.id, images.c.question_id == drawn.c.question_id
        )
        _STATEMENTS["attempt"] = (
            select(
                attempts.c.user_id,
                attempts.c.round_id,
                attempts.c.status,
                attempts.c.seq,
                attempts.c.started_at,
                attempts.c.deadline,
                rounds.c.grace_s,
                rounds.c.closes_at,
                rounds.c.prediction,
                pictures.label("pictures"),
                voided.with_only_columns(entries.c.id).scalar_subquery().label("voided"),
                voided.with_only_columns(entries.c.void_reason)
                .scalar_subquery()
                .label("void_reason"),
            )
            .join_from(attempts, rounds, rounds.c.id == attempts.c.round_id)
            .where(attempts.c.id == bindparam("attempt_id"))
        )
    return _STATEMENTS["attempt"]


def _answers_statement():
    if "answers" not in _STATEMENTS:
        answers = Answer.__table__
        _STATEMENTS["answers"] = select(answers.c.question_id, answers.c.choices).where(
            answers.c.attempt_id == bindparam("attempt_id")
        )
    return _STATEMENTS["answers"]
