"""Load what item analysis needs: each finished attempt's score and, per drawn question,
whether it was answered correctly."""

from collections import defaultdict

from sqlalchemy import select

from question_bank.analysis import ItemStat, item_stats

from ..extensions import db
from ..models import EXPIRED, SUBMITTED, Answer, Attempt, AttemptQuestion, Choice, Round


def attempt_results(round_ids: list[int]) -> list[tuple[float, dict[int, bool]]]:
    rows = db.session.execute(
        select(Attempt.id, Attempt.score, AttemptQuestion.question_id, Answer.choices)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .outerjoin(
            Answer,
            (Answer.attempt_id == Attempt.id) & (Answer.question_id == AttemptQuestion.question_id),
        )
        .where(Attempt.round_id.in_(round_ids), Attempt.status.in_((SUBMITTED, EXPIRED)))
    ).all()
    keys = correct_keys({qid for _a, _s, qid, _c in rows})
    scores, items = {}, defaultdict(dict)
    for attempt_id, score, qid, chosen in rows:
        scores[attempt_id] = score or 0
        items[attempt_id][qid] = bool(chosen) and set(chosen) == keys[qid]
    return [(scores[a], items[a]) for a in scores]


def correct_keys(question_ids: set[int]) -> dict[int, set[int]]:
    keys: dict[int, set[int]] = defaultdict(set)
    for cid, qid in db.session.execute(
        select(Choice.id, Choice.question_id).where(
            Choice.question_id.in_(question_ids), Choice.correct.is_(True)
        )
    ):
        keys[qid].add(cid)
    return keys


def round_item_stats(round_id: int) -> dict[int, ItemStat]:
    return item_stats(attempt_results([round_id]))


def bank_item_stats(bank_id: int) -> dict[int, ItemStat]:
    """Over every round that draws from the bank."""
    round_ids = list(db.session.scalars(select(Round.id).where(Round.bank_id == bank_id)))
    return item_stats(attempt_results(round_ids)) if round_ids else {}
