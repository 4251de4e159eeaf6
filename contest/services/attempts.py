"""Start, answer, submit and expire attempts; keep the counted entry current.

Guarded transitions: in_progress -> submitted (submit before deadline + grace) and
in_progress -> expired (time ran out; scored from saved answers, stamped at the deadline).
Both are single conditional UPDATEs, so two workers racing cannot finish an attempt twice.
"""

import functools
import random
from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import joinedload, make_transient_to_detached

from ..errors import (
    AttemptClosed,
    Invalid,
    NoAttemptsLeft,
    NotFound,
    ProfileIncomplete,
    RoundNotOpen,
    WrongBlock,
)
from ..extensions import db
from ..models import (
    EXPIRED,
    IN_PROGRESS,
    SUBMITTED,
    Answer,
    Attempt,
    AttemptQuestion,
    Choice,
    Question,
    Round,
)
from ..raw_sql import raw
from ..scoring import ScoredItem, score
from ..timing import OPEN, accepts_writes, attempt_deadline, duration_ms, round_status
from .accounts import missing_profile
from .draws import Drawn, draw_attempt
from .entries import count_entry
from .participations import enter, enter_first, entering_unit, participation_category
from .question_images import attempt_pictures
from .saves import save_answer  # noqa: F401  (callers import it from here too)
from .signin import check_scope
from .upsert import insert_or_skip

_system_random = random.SystemRandom()


class Started(NamedTuple):
    attempt: Attempt
    created: bool
    drawn: list["Drawn"] | None  # what a new attempt drew, as shown; None when resumed
    pictures: tuple | None = None  # the drawn questions' pictures (attempt_pictures), read first


def start_attempt(user, rnd: Round, now: datetime, rng: random.Random | None = None) -> Started:
    """Resumes the attempt in progress; else draws a new one. Everything is read (the person's
    participation, the draw, its pictures) before anything is written: on SQLite the first
    write takes the one write lock, held to the commit, which every other start and save waits
    for (with the participation written first, a start storm queued behind whole draws)."""
    conn = db.session.connection()
    mine = raw(_mine(), conn.dialect).rows(conn, {"user_id": user.id, "round_id": rnd.id})
    current = next((db.session.get(Attempt, a.id) for a in mine if a.status == IN_PROGRESS), None)
    if current and not expire_if_overdue(current, now):
        return Started(current, False, None)  # resume, even in the grace after the close
    if round_status(rnd, now) != OPEN:
        raise RoundNotOpen()
    entered_as = participation_category(user.id, rnd.contest_id)
    unit_id = entering_unit(user, rnd.contest) if entered_as is None else None
    category = entered_as or user.category or "cbccvc"
    check_eligible(user, rnd, category)
    if rnd.max_attempts and len(mine) >= rnd.max_attempts:
        raise NoAttemptsLeft()
    drawn = draw_attempt(rnd, rng or _system_random)
    pictures = attempt_pictures([question.id for question in drawn])
    # the writes, last and fewest: two or three statements under SQLite's write lock
    if entered_as is None and not enter_first(user, rnd.contest, unit_id, category, now):
        enter(user, rnd.contest, unit_id, category, now)  # made a moment ago by another request
    attempt = _new_attempt(user, rnd, len(mine) + 1, now, drawn)
    if attempt is None:  # another request started the same attempt at the same moment
        current = _in_progress(user.id, rnd.id)
        if current is None:
            raise NoAttemptsLeft()
        return Started(current, False, None)
    return Started(attempt, True, drawn, pictures)


@functools.cache
def _mine():
    """The person's attempts of the round: how many, and which one is in progress."""
    attempts = Attempt.__table__.c
    return select(attempts.id, attempts.status).where(
        attempts.user_id == bindparam("user_id"), attempts.round_id == bindparam("round_id")
    )


def check_eligible(user, rnd: Round, category: str) -> None:
    """The round's block must be the one the participant entered the contest in (`category`);
    the contest's required profile filled."""
    if rnd.block is not None and rnd.block.category != category:
        raise WrongBlock(_l('Đợt thi này dành cho bảng "%(b)s".', b=rnd.block.name))
    missing = missing_profile(user, rnd.contest)
    if missing:
        raise ProfileIncomplete(fields=missing)


def _in_progress(user_id: int, round_id: int) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).filter_by(user_id=user_id, round_id=round_id, status=IN_PROGRESS)
    )


def _new_attempt(user, rnd: Round, seq: int, now: datetime, drawn: list["Drawn"]) -> Attempt | None:
    """Store the attempt and what it drew (what the person will see) in two statements; None
    when a unique index already holds an attempt of this seq, or one in progress (another
    request started it at the same moment). The Attempt is made from what was written, not
    read back."""
    values = {
        "user_id": user.id,
        "round_id": rnd.id,
        "seq": seq,
        "status": IN_PROGRESS,
        "started_at": now,
        "deadline": attempt_deadline(now, rnd.time_limit_s, rnd.closes_at),
    }
    insert_attempt, insert_questions = _insert_statements(
        db.session.get_bind().dialect.name, len(drawn)
    )
    attempt_id = db.session.scalar(insert_attempt, values)
    if attempt_id is None:
        return None
    if drawn:  # one statement of many rows, not one INSERT (or one step) a question
        rows = {}
        for position, question in enumerate(drawn):
            rows[f"q{position}"] = question.id
            rows[f"o{position}"] = [choice[0] for choice in question.choices]
        conn = db.session.connection()  # compiled once, run on the DBAPI cursor
        raw(insert_questions, conn.dialect).run(conn, {"attempt_id": attempt_id, **rows})
    attempt = Attempt(
        id=attempt_id,
        submitted_at=None,
        score=None,
        max_score=None,
        duration_ms=None,
        prediction=None,
        **values,
    )
    make_transient_to_detached(attempt)  # as if loaded: persistent once added, no SQL
    db.session.add(attempt)
    return attempt


@functools.lru_cache(maxsize=64)  # one for each number of questions a round draws
def _insert_statements(dialect: str, count: int):
    """The attempt's INSERT (skipping a row a unique index holds, RETURNING its id) and the
    INSERT of its `count` drawn questions in one statement, built once: building and compiling
    a statement of many rows costs several times running it."""
    attempts, drawn = Attempt.__table__, AttemptQuestion.__table__
    names = ("user_id", "round_id", "seq", "status", "started_at", "deadline")
    insert_attempt = (
        insert_or_skip(attempts, dialect)
        .values({name: bindparam(name, type_=attempts.c[name].type) for name in names})
        .returning(attempts.c.id)
    )
    attempt_id = bindparam("attempt_id", type_=drawn.c.attempt_id.type)
    insert_questions = insert(drawn).values(
        [
            {
                "attempt_id": attempt_id,
                "question_id": bindparam(f"q{i}", type_=drawn.c.question_id.type),
                "position": i,
                "choice_order": bindparam(f"o{i}", type_=drawn.c.choice_order.type),
            }
            for i in range(count)
        ]
    )
    return insert_attempt, insert_questions if count else None


class FinalAnswer(NamedTuple):
    question_id: int
    choices: list[int]
    seq: int


def submit(
    attempt: Attempt, prediction: int | None, now: datetime, answers: list[FinalAnswer] = ()
) -> Attempt:
    """Idempotent: a submitted attempt is returned as it is. Too late (expired now or before):
    409, every time. `answers` are what the participant's screen shows as chosen, sent with
    the submit (the page's form, or an API client flushing its queue): each is saved first by
    the usual rule (a higher seq wins), so an answer whose background save was lost still
    counts; one naming a question or choice not of this attempt is left out."""
    for answer in answers:
        if attempt.status != IN_PROGRESS:
            break
        try:
            save_answer(
                attempt.user_id, attempt.id, answer.question_id, answer.choices, answer.seq, now
            )
        except (Invalid, NotFound):
            continue
    _lock(attempt)
    if attempt.status == SUBMITTED:
        return attempt
    if attempt.status == EXPIRED or expire_if_overdue(attempt, now):
        raise AttemptClosed()
    _finish(attempt, SUBMITTED, min(now, attempt.deadline), prediction)
    return attempt


def expire_if_overdue(attempt: Attempt, now: datetime) -> bool:
    """Close an attempt left open past deadline + grace; True if it is (now) expired."""
    if attempt.status == IN_PROGRESS and not accepts_writes(
        attempt.deadline, attempt.round.grace_s, now
    ):
        _finish(attempt, EXPIRED, attempt.deadline, None)
    return attempt.status == EXPIRED


def close_expired(now: datetime, batch: int = 200) -> int:
    """The sweep behind `flask close-expired`: expire up to `batch` overdue attempts (the caller
    commits between batches, so no lock is held long). Returns how many."""
    candidates = db.session.scalars(
        select(Attempt)
        .where(Attempt.status == IN_PROGRESS, Attempt.deadline < now)
        .order_by(Attempt.deadline, Attempt.id)
        .limit(batch * 4)
    ).all()
    closed = 0
    for attempt in candidates:
        closed += expire_if_overdue(attempt, now)
        if closed >= batch:
            break
    return closed


def _finish(attempt: Attempt, status: str, finished_at: datetime, prediction: int | None):
    """Claim the transition first (one conditional UPDATE), then score what was saved."""
    claimed = (
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.status == IN_PROGRESS)
            .values(
                status=status,
                submitted_at=finished_at,
                prediction=prediction,
                duration_ms=duration_ms(attempt.started_at, finished_at),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if claimed:
        points, maximum = score(scored_items(attempt.id))
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id)
            .values(score=points, max_score=maximum)
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(attempt)
    if claimed:
        count_entry(attempt)


def _lock(attempt: Attempt) -> None:
    """Re-read the attempt holding its row lock (on SQLite, the locking read takes the
    database's write lock)."""
    db.session.execute(
        select(Attempt)
        .where(Attempt.id == attempt.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def scored_items(attempt_id: int) -> list[ScoredItem]:
    """Each drawn question with its points, its key and what was saved for it."""
    rows = db.session.execute(
        select(AttemptQuestion.question_id, Question.points, Answer.choices)
        .join(Question, Question.id == AttemptQuestion.question_id)
        .outerjoin(
            Answer,
            (Answer.attempt_id == attempt_id) & (Answer.question_id == AttemptQuestion.question_id),
        )
        .where(AttemptQuestion.attempt_id == attempt_id)
    ).all()
    keys = defaultdict(set)
    for choice_id, question_id in db.session.execute(
        select(Choice.id, Choice.question_id).where(
            Choice.question_id.in_([r[0] for r in rows]), Choice.correct.is_(True)
        )
    ):
        keys[question_id].add(choice_id)
    return [
        ScoredItem(qid, pts, frozenset(keys[qid]), frozenset(chosen or ()))
        for qid, pts, chosen in rows
    ]


def saved_answers(attempt_id: int) -> dict[int, list[int]]:
    rows = db.session.execute(
        select(Answer.question_id, Answer.choices).where(Answer.attempt_id == attempt_id)
    )
    return {question_id: choices for question_id, choices in rows}


# the pages and replies of an attempt read its round and contest: one statement, not three
_WITH_ROUND_AND_CONTEST = [joinedload(Attempt.round).joinedload(Round.contest)]


def own_attempt(user, attempt_id: int, scope: str | None) -> Attempt:
    """The person's own attempt; anyone else's answers 404, as if it did not exist. `scope`
    (auth.signin_scope): a scoped sign-in reaches only its contests (services.signin)."""
    attempt = db.session.get(Attempt, attempt_id, options=_WITH_ROUND_AND_CONTEST)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound()
    check_scope(scope, attempt.round.contest)
    return attempt
