"""Closing a round re-counts every entry in SQL: the same choice, person by person, as walking
the attempts in seq order and keeping the one `_replaces` prefers (ties made on every key)."""

import random
from datetime import timedelta

import pytest
from conftest import START, iso

from contest.extensions import db
from contest.models import EXPIRED, SUBMITTED, Attempt, Entry, Participation, Round, User
from contest.services.entries import finalize_round


def reference_choice(attempts: list[Attempt], counting: str, truth: int) -> int:
    """The former in-Python re-count, kept as the specification: attempt id chosen."""

    def perfect(a):
        return bool(a.max_score) and a.score >= a.max_score

    def key(a):
        dist = float("inf") if a.prediction is None else abs(a.prediction - truth)
        return (-a.score, dist, a.duration_ms, a.submitted_at, a.id)

    chosen = None
    for a in sorted(attempts, key=lambda a: a.seq):
        if chosen is None:
            chosen = a
        elif counting == "first":
            continue
        elif counting == "first_perfect" and (perfect(chosen) or perfect(a)):
            chosen = a if not perfect(chosen) else chosen
        elif key(a) < key(chosen):
            chosen = a
    return chosen.id


def _attempts(rng: random.Random, round_id: int, user_id: int) -> list[Attempt]:
    times = [START + timedelta(minutes=m) for m in (5, 5, 9)]  # equal times: ties
    made = []
    for seq in range(1, rng.randint(1, 7) + 1):
        duration = rng.choice([10_000, 20_000])
        submitted = rng.choice(times)
        made.append(
            Attempt(
                user_id=user_id,
                round_id=round_id,
                seq=seq,
                status=rng.choice([SUBMITTED, SUBMITTED, EXPIRED]),
                started_at=submitted - timedelta(minutes=1),
                deadline=submitted + timedelta(minutes=9),
                submitted_at=submitted,
                score=float(rng.choice([3, 4, 5, 5])),
                max_score=rng.choice([5.0, 5.0, 0.0]),
                duration_ms=duration,
                prediction=rng.choice([None, 0, 1, 2, 3, 4, 6]),
            )
        )
    return made


@pytest.mark.parametrize("counting", ["best", "first", "first_perfect"])
def test_recount_in_sql_chooses_as_the_python_order(app, make_round, register, counting):
    rnd_id = make_round(
        counting=counting,
        prediction="perfect_count",
        max_attempts=0,
        closes_at=iso(START + timedelta(hours=2)),
    )["id"]
    people = [
        register(phone=f"09120003{i:02d}", unit=("PNV", "PTC")[i % 2]).user["id"] for i in range(8)
    ]
    rng = random.Random(f"recount-{counting}")
    with app.app_context():
        made = {}
        for user_id in people:
            made[user_id] = _attempts(rng, rnd_id, user_id)
            db.session.add_all(made[user_id])
        contest_id = db.session.get(Round, rnd_id).contest_id
        for user in db.session.scalars(db.select(User).where(User.id.in_(people))):
            db.session.add(
                Participation(
                    contest_id=contest_id,
                    user_id=user.id,
                    unit_id=user.unit_id,
                    category=user.category,
                )
            )
        db.session.flush()
        for user_id, attempts in made.items():  # any attempt counted before the close
            a = attempts[-1]
            db.session.add(
                Entry(
                    round_id=rnd_id,
                    user_id=user_id,
                    unit_id=None,
                    attempt_id=a.id,
                    score=a.score,
                    max_score=a.max_score,
                    prediction=a.prediction,
                    duration_ms=a.duration_ms,
                    submitted_at=a.submitted_at,
                )
            )
        db.session.commit()
        stale = db.session.scalar(db.select(Entry).filter_by(user_id=people[0]))
        rnd = db.session.get(Round, rnd_id)
        assert finalize_round(rnd, START + timedelta(days=1))
        db.session.commit()
        truth = rnd.prediction_truth
        assert stale.attempt_id == reference_choice(made[people[0]], counting, truth)
        units = dict(
            db.session.execute(db.select(Participation.user_id, Participation.unit_id)).all()
        )
        for entry in db.session.scalars(db.select(Entry).filter_by(round_id=rnd_id)):
            expected = next(
                a
                for a in made[entry.user_id]
                if a.id == reference_choice(made[entry.user_id], counting, truth)
            )
            assert entry.attempt_id == expected.id
            assert (
                entry.score,
                entry.max_score,
                entry.prediction,
                entry.duration_ms,
                entry.submitted_at,
                entry.unit_id,
            ) == (
                expected.score,
                expected.max_score,
                expected.prediction,
                expected.duration_ms,
                expected.submitted_at,
                units[entry.user_id],
            )
            assert entry.prediction_distance == (
                None if expected.prediction is None else abs(expected.prediction - truth)
            )
