"""A confirmed prize list is a snapshot: when an organiser confirms a round's prizes, the
collective ranking (every unit's rank, participants, headcount, rate, average and prize) and
each winner's unit name are stored on the round (rounds.prize_snapshot). The confirmed list, its
print page, its .xlsx and the draft decision read them back, so a unit list uploaded later
changes neither the rates nor the order. A round confirmed before snapshots existed gets its
snapshot the first time its confirmed list is read (see the migration b62570df192c)."""

from dataclasses import dataclass

from ..extensions import db


@dataclass(frozen=True)
class SnapshotUnit:
    code: str
    name: str


@dataclass(frozen=True)
class SnapshotStat:
    """The figures of ranking.UnitStat as they were at confirmation."""

    unit: SnapshotUnit
    rank: int
    participants: int
    headcount: int
    average_score: float | None
    participation_rate: float | None


def frozen_units(awards) -> list[dict]:
    """[(stat, prize or None)] as stored in a snapshot (a round's or the contest's final)."""
    return [
        {
            "code": s.unit.code,
            "name": s.unit.name,
            "rank": s.rank,
            "participants": s.participants,
            "headcount": s.headcount,
            "average_score": s.average_score,
            "participation_rate": s.participation_rate,
            "prize": prize,
        }
        for s, prize in awards
    ]


def thawed_units(units: list[dict]) -> list[tuple]:
    """A snapshot's units read back as [(SnapshotStat, prize or None)]."""
    return [
        (
            SnapshotStat(
                SnapshotUnit(u["code"], u["name"]),
                u["rank"],
                u["participants"],
                u["headcount"],
                u["average_score"],
                u["participation_rate"],
            ),
            u["prize"],
        )
        for u in units
    ]


def take_snapshot(rnd, winners) -> dict:
    """{units: [...every unit of the collective ranking, with its prize or null],
    people: {entry id: unit name}} for the round's current prize list."""
    from .prizes import unit_awards

    units = frozen_units(unit_awards(rnd.contest, [rnd.id]))
    people = {str(w.entry.id): w.entry.unit.name if w.entry.unit else "" for w in winners}
    return {"units": units, "people": people}


def snapshot(rnd) -> dict | None:
    """The confirmed round's snapshot (taken now for a round confirmed before snapshots
    existed); None while the list is a draft."""
    if rnd.prizes_confirmed_at is None:
        return None
    if rnd.prize_snapshot is None:
        from .prizes import confirmed_winners

        rnd.prize_snapshot = take_snapshot(rnd, confirmed_winners(rnd))
        db.session.flush()
    return rnd.prize_snapshot


def round_unit_awards(rnd) -> list[tuple]:
    """[(stat, prize or None)] for the round: frozen once confirmed, live while a draft."""
    frozen = snapshot(rnd)
    if frozen is None:
        from .prizes import unit_awards

        return unit_awards(rnd.contest, [rnd.id])
    return thawed_units(frozen["units"])


def round_unit_prizes(rnd) -> list[tuple]:
    """Only the units given a collective prize, in order."""
    return [(stat, prize) for stat, prize in round_unit_awards(rnd) if prize]


def winner_units(rnd) -> dict[int, str]:
    """{entry id: unit name} as confirmed; empty for a draft."""
    frozen = snapshot(rnd)
    return {} if frozen is None else {int(k): v for k, v in frozen["people"].items()}
