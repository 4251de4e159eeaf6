"""The one ranking order, in SQL and in Python, and the unit statistics.

Order, always: score (high first); prediction distance (small first, none last);
duration (short first); submission time (early first); attempt id. Voided entries are not ranked.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from .extensions import cached_value, db
from .models import Entry, Unit

NO_DISTANCE = float("inf")


def rank_key(score: float, distance: int | None, duration_ms: int, submitted_at, attempt_id: int):
    """The Python twin of ENTRY_ORDER, for choosing a person's best attempt."""
    return (
        -score,
        NO_DISTANCE if distance is None else distance,
        duration_ms,
        submitted_at,
        attempt_id,
    )


# As the index ix_entry_rank has it: "none last" is the IS NULL key (SQLite's NULLs sort first).
ENTRY_ORDER = (
    Entry.score.desc(),
    Entry.prediction_distance.is_(None).asc(),
    Entry.prediction_distance.asc(),
    Entry.duration_ms.asc(),
    Entry.submitted_at.asc(),
    Entry.attempt_id.asc(),
)


def ranked_entries(round_id: int):
    """A select of the round's counted, non-voided entries in ranking order."""
    return (
        select(Entry)
        .where(Entry.round_id == round_id, Entry.voided.is_(False))
        .order_by(*ENTRY_ORDER)
    )


def leaderboard(round_id: int, limit: int, offset: int = 0) -> list[tuple[int, Entry]]:
    """(rank, entry) pairs; ranks are positions, as the order breaks every tie."""
    query = ranked_entries(round_id).limit(limit).offset(offset)
    query = query.options(db.joinedload(Entry.user), db.joinedload(Entry.unit))
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


def unit_stats(
    unit_list_id: int | None,
    round_ids: list[int],
    level: str = "unit",
    basis: str = "participation_rate",
    cache_s: int = 0,
) -> list[UnitStat]:
    """Every unit of the contest's unit list with the participation its entries carry (each
    entry the unit its person entered the contest with), ranked by `basis` (participation
    rate, average score or entries; each high first), then the other two, then unit code.
    level "top" folds second-level units into their parent (headcounts added up). With
    `cache_s`, the figures per unit come from the cache for that long (public pages)."""
    units = db.session.scalars(select(Unit).where(Unit.unit_list_id == unit_list_id)).all()
    by_home = _cached_figures(unit_list_id, units, round_ids, level, cache_s)
    headcount = defaultdict(int)
    for u in units:
        headcount[(u.parent_id or u.id) if level == "top" else u.id] += u.headcount
    stats = []
    for u in units:
        if level == "top" and u.parent_id:
            continue
        people, entries, total = by_home.get(u.id, (0, 0, None))
        stats.append(
            UnitStat(
                u,
                people,
                entries,
                headcount[u.id],
                None if not entries else round(float(total) / entries, 2),
            )
        )
    stats.sort(key=lambda s: _order(s, basis))
    for i, stat in enumerate(stats, 1):
        stat.rank = i
    return stats


def _cached_figures(list_id, units, round_ids: list[int], level: str, cache_s: int) -> dict:
    key = f"units:{list_id}:{level}:{','.join(map(str, sorted(round_ids)))}"
    return cached_value(key, cache_s, lambda: unit_figures(units, round_ids, level))


def unit_figures_select(round_ids: list[int]):
    """People, entries and the score total per unit of the rounds' non-voided entries."""
    return (
        select(
            Entry.unit_id,
            func.count(func.distinct(Entry.user_id)),
            func.count(),
            func.sum(Entry.score),
        )
        .where(Entry.round_id.in_(round_ids), Entry.voided.is_(False))
        .group_by(Entry.unit_id)
    )


def unit_figures(units, round_ids: list[int], level: str) -> dict[int, tuple]:
    """{unit id (its parent's for level "top"): (people, entries, score total)}, read per unit
    from the covering index ix_entry_unit_stats, then folded into the parents in Python."""
    rows = db.session.execute(unit_figures_select(round_ids)).all()
    home = {u.id: (u.parent_id or u.id) if level == "top" else u.id for u in units}
    figures: dict[int, list] = {}
    for unit_id, people, entries, total in rows:
        if unit_id in home:
            sums = figures.setdefault(home[unit_id], [0, 0, 0.0])
            sums[0], sums[1], sums[2] = sums[0] + people, sums[1] + entries, sums[2] + total
    if level == "top" and len(round_ids) > 1:  # one person may count under two of its units
        people = db.session.execute(
            select(func.coalesce(Unit.parent_id, Unit.id), func.count(func.distinct(Entry.user_id)))
            .join(Unit, Unit.id == Entry.unit_id)
            .where(Entry.round_id.in_(round_ids), Entry.voided.is_(False))
            .group_by(func.coalesce(Unit.parent_id, Unit.id))
        ).all()
        for unit_id, count in people:
            if unit_id in figures:
                figures[unit_id][0] = count
    return {unit_id: tuple(sums) for unit_id, sums in figures.items()}


def _order(stat: UnitStat, basis: str):
    rate, avg, entries = (stat.participation_rate or 0), (stat.average_score or 0), stat.entries
    first = {"participation_rate": rate, "average_score": avg, "entries": entries}[basis]
    return (-first, -rate, -avg, -stat.participants, stat.unit.code)


def rank_of(entry: Entry) -> int:
    """The entry's place in its round: 1 + how many entries the order puts before it. Two
    counts read from ix_entry_rank alone: higher scores, then the ties on score ahead of it."""
    far = 2**31 - 1  # above any distance: predictions are at most 10**9
    dist, mine = (
        func.coalesce(Entry.prediction_distance, far),
        (entry.prediction_distance if entry.prediction_distance is not None else far),
    )
    tie_ahead = db.or_(
        dist < mine,
        db.and_(dist == mine, Entry.duration_ms < entry.duration_ms),
        db.and_(
            dist == mine,
            Entry.duration_ms == entry.duration_ms,
            db.or_(
                Entry.submitted_at < entry.submitted_at,
                db.and_(
                    Entry.submitted_at == entry.submitted_at, Entry.attempt_id < entry.attempt_id
                ),
            ),
        ),
    )
    counted = (
        select(func.count())
        .select_from(Entry)
        .where(Entry.round_id == entry.round_id, Entry.voided.is_(False))
    )
    return (
        1
        + db.session.scalar(counted.where(Entry.score > entry.score))
        + db.session.scalar(counted.where(Entry.score == entry.score, tie_ahead))
    )
