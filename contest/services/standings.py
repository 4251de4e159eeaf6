"""Results over a whole contest, and the bulletin (bản tin) of a closed round.

Standings rank each person over the contest's closed rounds (results final: close + grace) by,
in this order: total score (high first), rounds taken (more first), total duration (short
first), the last submission (earliest first), then the account id. Each round counts the
person's counted, non-voided entry, so the standings never rank raw attempts.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import EXPIRED, SUBMITTED, Attempt, Entry, Participation, Round, Unit, User
from ..ranking import unit_stats
from ..timing import results_visible


@dataclass
class Standing:
    rank: int
    user: User
    rounds_taken: int
    total_score: float
    total_duration_ms: int
    last_submitted_at: datetime
    scores: dict[int, float] = field(default_factory=dict)  # round id: counted score
    unit: str | None = None  # the unit the person entered this contest with


def closed_rounds(contest, now: datetime) -> list[Round]:
    return [r for r in contest.rounds if results_visible(r, now)]


def standings(contest, now: datetime, limit: int) -> tuple[list[Round], list[Standing]]:
    """The closed rounds, and the top `limit` people over them with each round's score."""
    rounds = closed_rounds(contest, now)
    if not rounds:
        return rounds, []
    ids = [r.id for r in rounds]
    taken, total = func.count(Entry.id), func.sum(Entry.score)
    duration, last = func.sum(Entry.duration_ms), func.max(Entry.submitted_at)
    rows = db.session.execute(
        select(Entry.user_id, taken, total, duration, last)
        .where(Entry.round_id.in_(ids), Entry.voided.is_(False))
        .group_by(Entry.user_id)
        .order_by(total.desc(), taken.desc(), duration.asc(), last.asc(), Entry.user_id.asc())
        .limit(limit)
    ).all()
    users = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([r[0] for r in rows])))}
        if rows
        else {}
    )
    out = [
        Standing(i, users[uid], n, float(score), int(ms), at)
        for i, (uid, n, score, ms, at) in enumerate(rows, 1)
    ]
    _round_scores(out, ids)
    _contest_units(out, contest.id)
    return rounds, out


def _contest_units(rows: list[Standing], contest_id: int) -> None:
    by_user = {s.user.id: s for s in rows}
    for user_id, name in (
        db.session.execute(
            select(Participation.user_id, Unit.name)
            .join(Unit, Unit.id == Participation.unit_id)
            .where(Participation.contest_id == contest_id, Participation.user_id.in_(by_user))
        )
        if by_user
        else ()
    ):
        by_user[user_id].unit = name


def _round_scores(rows: list[Standing], round_ids: list[int]) -> None:
    by_user = {s.user.id: s for s in rows}
    if not by_user:
        return
    for user_id, round_id, score in db.session.execute(
        select(Entry.user_id, Entry.round_id, Entry.score).where(
            Entry.round_id.in_(round_ids), Entry.user_id.in_(by_user), Entry.voided.is_(False)
        )
    ):
        by_user[user_id].scores[round_id] = score


BANDS = 5  # score bands of a fifth of the maximum each


@dataclass
class Bulletin:
    entries: int  # finished attempts (lượt thi)
    people: int  # people with a counted, non-voided entry
    perfect_count: int
    max_score: float
    score_bands: list[dict]
    lowest_units: list
    units: list = field(default_factory=list)


def bulletin(rnd: Round, lowest: int = 5) -> Bulletin:
    """The figures of a closed round, as announced."""
    counted = select(Entry).where(Entry.round_id == rnd.id, Entry.voided.is_(False)).subquery()
    people, perfect, top = db.session.execute(
        select(
            func.count(),
            func.count().filter(counted.c.score >= counted.c.max_score, counted.c.max_score > 0),
            func.max(counted.c.max_score),
        )
    ).one()
    entries = db.session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.round_id == rnd.id, Attempt.status.in_((SUBMITTED, EXPIRED))
        )
    )
    units = [
        s
        for s in unit_stats(rnd.contest.unit_list_id, [rnd.id], level=rnd.contest.unit_level)
        if s.headcount > 0
    ]
    lowest_units = sorted(units, key=lambda s: (s.participation_rate or 0, s.unit.code))[:lowest]
    return Bulletin(
        entries, people, perfect, float(top or 0), score_bands(rnd, top or 0), lowest_units, units
    )


def score_bands(rnd: Round, top: float) -> list[dict]:
    """[{from, to, count}] in points of the round's maximum, a fifth each; a score on a band's
    edge falls in the higher band, and the full score in the last."""
    width = top / BANDS if top else 0
    counts = [0] * BANDS
    for score, most, n in db.session.execute(  # scores are few distinct values: group by them
        select(Entry.score, Entry.max_score, func.count())
        .where(Entry.round_id == rnd.id, Entry.voided.is_(False), Entry.max_score > 0)
        .group_by(Entry.score, Entry.max_score)
    ):
        counts[min(max(int(score * BANDS // most), 0), BANDS - 1)] += n
    return [
        {"from": round(i * width, 2), "to": round((i + 1) * width, 2), "count": counts[i]}
        for i in range(BANDS)
    ]
