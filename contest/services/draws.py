"""What an attempt draws from its round's bank, with the texts it shows, and what a stored
attempt drew, read back in its order."""

import functools
from typing import NamedTuple

from sqlalchemy import bindparam, select

from question_bank.draw import draw

from ..extensions import db
from ..models import AttemptQuestion, Choice, Question, Round
from ..raw_sql import raw
from .contests import bank_pool


class Drawn(NamedTuple):
    """A drawn question as the attempt shows it: choices as (id, text, correct) in the order
    this attempt shuffled them."""

    id: int
    text: str
    multiple: bool
    explanation: str | None
    choices: list[tuple[int, str, bool]]


def draw_attempt(rnd: Round, rng) -> list["Drawn"]:
    """Draw question_count questions and shuffle each one's choices (those marked
    keep_choice_order keep the bank's order); with their texts, so that a new attempt is shown
    without reading it back."""
    conn = db.session.connection()  # statements built once, run on the DBAPI cursor
    if rnd.draw_quotas:
        drawn = draw(
            bank_pool(rnd.bank_id, rnd.excluded_question_ids or ()),
            rnd.question_count,
            rnd.draw_quotas,
            rng,
        )
    else:
        left_out = set(rnd.excluded_question_ids or ())
        pool = [
            row.id
            for row in raw(_pool(), conn.dialect).rows(conn, {"bank_id": rnd.bank_id})
            if row.id not in left_out
        ]
        drawn = rng.sample(pool, k=min(rnd.question_count, len(pool)))
    shown: dict[int, Drawn] = {}
    kept: set[int] = set()
    ids = {f"q{i}": question_id for i, question_id in enumerate(drawn)}
    for row in raw(_texts(len(drawn)), conn.dialect).rows(conn, ids) if drawn else ():
        if row.id not in shown:
            shown[row.id] = Drawn(row.id, row.text, row.multiple, row.explanation, [])
            if row.keep_choice_order:
                kept.add(row.id)
        shown[row.id].choices.append((row.choice_id, row.choice_text, row.correct))
    for question in shown.values():
        if question.id not in kept:
            rng.shuffle(question.choices)
    return [shown[question_id] for question_id in drawn if question_id in shown]


@functools.cache
def _pool():
    """The ids a round without quotas draws from (built once, run on the DBAPI cursor)."""
    questions = Question.__table__.c
    return select(questions.id).where(
        questions.bank_id == bindparam("bank_id"), questions.retired.is_(False)
    )


@functools.lru_cache(maxsize=64)  # one for each number of questions a round draws
def _texts(count: int):
    """The texts and choices of `count` drawn questions (built once for each count)."""
    questions, choices = Question.__table__.c, Choice.__table__.c
    return (
        select(
            questions.id,
            questions.text,
            questions.multiple,
            questions.explanation,
            questions.keep_choice_order,
            choices.id.label("choice_id"),
            choices.text.label("choice_text"),
            choices.correct,
        )
        .select_from(Question.__table__.join(Choice.__table__, choices.question_id == questions.id))
        .where(
            questions.id.in_([bindparam(f"q{i}", type_=questions.id.type) for i in range(count)])
        )
        .order_by(choices.position)
    )


def drawn_questions(attempt_id: int, conn=None) -> list[Drawn]:
    """What the attempt drew, in order, with every choice in the attempt's shuffled order: one
    statement whatever the number of questions, built once, on `conn` (a Core connection) or
    the request's session."""
    conn = conn if conn is not None else db.session.connection()
    rows = raw(_drawn_statement(), conn.dialect).rows(conn, {"attempt_id": attempt_id})
    questions: dict[int, tuple] = {}
    choices: dict[int, tuple] = {}
    for row in rows:
        questions.setdefault(row.position, row)
        if row.choice_id is not None:  # a question without choices is still shown
            choices[row.choice_id] = (row.choice_id, row.choice_text, row.correct)
    return [
        Drawn(
            q.id,
            q.text,
            q.multiple,
            q.explanation,
            [choices[c] for c in q.choice_order if c in choices],
        )
        for _position, q in sorted(questions.items())
    ]


@functools.cache
def _drawn_statement():
    drawn, questions, choices = AttemptQuestion.__table__, Question.__table__, Choice.__table__
    return (
        select(
            drawn.c.position,
            drawn.c.choice_order,
            questions.c.id,
            questions.c.text,
            questions.c.multiple,
            questions.c.explanation,
            choices.c.id.label("choice_id"),
            choices.c.text.label("choice_text"),
            choices.c.correct,
        )
        .select_from(
            drawn.join(questions, questions.c.id == drawn.c.question_id).outerjoin(
                choices, choices.c.question_id == questions.c.id
            )
        )
        .where(drawn.c.attempt_id == bindparam("attempt_id"))
    )
