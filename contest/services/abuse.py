"""Signs of abuse for organisers to look at (never acted on by themselves): many accounts made
from one address or one device in a short time, and attempts finished implausibly fast."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import SUBMITTED, Attempt, Entry, User


@dataclass
class SharedOrigin:
    kind: str  # "ip" or "device"
    value: str
    users: list[User]


def shared_origins(
    organisation_id: int, now: datetime, hours: int = 24, at_least: int = 5
) -> list[SharedOrigin]:
    """Addresses and devices from which `at_least` accounts were made within `hours`."""
    since = now - timedelta(hours=hours)
    found = []
    for kind, column in (("ip", User.registered_ip), ("device", User.device)):
        values = db.session.scalars(
            select(column)
            .where(
                User.organisation_id == organisation_id,
                User.created_at >= since,
                column.is_not(None),
            )
            .group_by(column)
            .having(func.count(User.id) >= at_least)
        ).all()
        for value in values:
            users = db.session.scalars(
                select(User)
                .where(column == value, User.created_at >= since)
                .order_by(User.created_at)
            ).all()
            found.append(SharedOrigin(kind, value, users))
    return found


def fast_attempts(round_ids: list[int], seconds_per_question: float = 2.0, min_share: float = 0.5):
    """Submitted attempts under `seconds_per_question` a question with at least `min_share` of
    the marks: (attempt, entry or None), fastest first. Reading 20 questions takes longer."""
    from ..models import AttemptQuestion

    drawn = (
        select(func.count(AttemptQuestion.id))
        .where(AttemptQuestion.attempt_id == Attempt.id)
        .correlate(Attempt)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Attempt, Entry)
        .outerjoin(Entry, Entry.attempt_id == Attempt.id)
        .where(
            Attempt.round_id.in_(round_ids),
            Attempt.status == SUBMITTED,
            Attempt.duration_ms < drawn * int(seconds_per_question * 1000),
            Attempt.score >= Attempt.max_score * min_share,
        )
        .order_by(Attempt.duration_ms)
    ).all()
    return [(attempt, entry) for attempt, entry in rows]
