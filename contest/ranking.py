"""The one ranking order, in SQL and in Python, and the unit statistics.

Order, always: score (high first); prediction distance (small first, none last);
duration (short first); submission time (early first); attempt id. Voided entries are not ranked.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from .extensions import db
from .models import Entry, Unit, User

NO_DISTANCE = float("inf")


def rank_key(score: float, distance: int | None, duration_ms: int, submitted_at, attempt_id: int):
    """The Python twin of ENTRY_ORDER, for choosing a person's best attempt."""
    return (-score, NO_DISTANCE if distance is None else distance, duration_ms, submitted_at,
            attempt_id)


ENTRY_ORDER = (Entry.score.desc(), Entry.prediction_distance.asc().nulls_last(),
               Entry.duration_ms.asc(), Entry.submitted_at.asc(), Entry.attempt_id.asc())


def ranked_entries(round_id: int):
    """A select of the round's counted, non-voided entries in ranking order."""
    return (select(Entry).where(Entry.round_id == round_id, Entry.voided.is_(False))
            .order_by(*ENTRY_ORDER))


def leaderboard(round_id: int, limit: int, offset: int = 0) -> list[tuple[int, Entry]]:
    """(rank, entry) pairs; ranks are positions, as the order breaks every tie."""
    query = ranked_entries(round_id).limit(limit).offset(offset)
    query = query.options(db.joinedload(Entry.user).joinedload(User.unit))
    return [(offset + i + 1, entry) for i, entry in enumerate(db.session.scalars(query))]


def mask_name(full_name: str, masking: str) -> str:
    """'partial' keeps the family and given name and shortens the middle: Nguyễn V. An."""
    if masking == "none":
        return full_name
    parts = full_name.split()
    if len(parts) <= 2:
        return " ".join(parts[:1] + [p[0] + "." for p in parts[1:]])
    return " ".join([parts[0]] + [p[0] + "." for p in parts[1:-1]] + [parts[-1]])


@dataclass
class UnitStat:
    unit: Unit
    participants: int
    entries: int
    headcount: int
    average_score: float | None
    rank: int = 0

    @property
    def participation_rate(self) -> float | None:
        return None if not self.headcount else self.participants / self.headcount


def unit_stats(organisation_id: int, round_ids: list[int]) -> list[UnitStat]:
    """Every unit of the organisation with its participation, ranked: participation rate,
    then average score, then participants (each high first), then unit code."""
    rows = db.session.execute(
        select(Entry.unit_id, func.count(func.distinct(Entry.user_id)), func.count(Entry.id),
               func.avg(Entry.score))
        .where(Entry.round_id.in_(round_ids), Entry.voided.is_(False))
        .group_by(Entry.unit_id)).all()
    by_unit = {unit_id: (people, entries, avg) for unit_id, people, entries, avg in rows}
    units = db.session.scalars(select(Unit).where(Unit.organisation_id == organisation_id))
    stats = [UnitStat(u, *by_unit.get(u.id, (0, 0, None))[:2], u.headcount,
                      _float(by_unit.get(u.id, (0, 0, None))[2])) for u in units]
    stats.sort(key=lambda s: (-(s.participation_rate or 0), -(s.average_score or 0),
                              -s.participants, s.unit.code))
    for i, stat in enumerate(stats, 1):
        stat.rank = i
    return stats


def _float(value) -> float | None:
    return None if value is None else round(float(value), 2)


def rank_of(entry: Entry) -> int:
    """The entry's place in its round: 1 + how many entries the order puts before it."""
    far = 2**31 - 1  # above any distance: predictions are at most 10**9
    dist, mine = func.coalesce(Entry.prediction_distance, far), (
        entry.prediction_distance if entry.prediction_distance is not None else far)
    ahead = db.or_(
        Entry.score > entry.score,
        db.and_(Entry.score == entry.score, dist < mine),
        db.and_(Entry.score == entry.score, dist == mine, Entry.duration_ms < entry.duration_ms),
        db.and_(Entry.score == entry.score, dist == mine, Entry.duration_ms == entry.duration_ms,
                db.or_(Entry.submitted_at < entry.submitted_at,
                       db.and_(Entry.submitted_at == entry.submitted_at,
                               Entry.attempt_id < entry.attempt_id))))
    return 1 + db.session.scalar(select(func.count(Entry.id)).where(
        Entry.round_id == entry.round_id, Entry.voided.is_(False), ahead))
