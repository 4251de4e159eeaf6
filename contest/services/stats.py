"""Live counts and the organiser's dashboard figures."""

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import EXPIRED, SUBMITTED, Attempt, Entry, Round
from ..timing import to_local


def live_counts(contest) -> dict:
    """lượt thi (finished attempts), người thi (people), đơn vị (units with somebody)."""
    round_ids = select(Round.id).where(Round.contest_id == contest.id)
    attempts = db.session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.round_id.in_(round_ids), Attempt.status.in_((SUBMITTED, EXPIRED))
        )
    )
    people, units = db.session.execute(
        select(
            func.count(func.distinct(Entry.user_id)), func.count(func.distinct(Entry.unit_id))
        ).where(Entry.round_id.in_(round_ids), Entry.voided.is_(False))
    ).one()
    return {"attempts": attempts, "participants": people, "units": units}


def entries_over_time(contest, hours: int) -> list[tuple[str, float]]:
    """Finished attempts per bucket of `hours` hours (Vietnam time), oldest first."""
    times = db.session.scalars(
        select(Attempt.submitted_at)
        .join(Round)
        .where(Round.contest_id == contest.id, Attempt.status.in_((SUBMITTED, EXPIRED)))
    ).all()
    buckets = Counter(_bucket(to_local(t), hours) for t in times)
    return [(label.strftime("%d/%m %H:%M"), count) for label, count in sorted(buckets.items())]


def _bucket(moment, hours: int):
    start = moment.replace(minute=0, second=0, microsecond=0)
    return start - timedelta(hours=start.hour % hours)


def score_shares(contest) -> list[float]:
    """Each counted entry's score as a share of its maximum (0..1), for the distribution."""
    rows = db.session.execute(
        select(Entry.score, Entry.max_score)
        .join(Round)
        .where(Round.contest_id == contest.id, Entry.voided.is_(False))
    ).all()
    return [score / maximum for score, maximum in rows if maximum]
