"""The contest's final prizes (giải chung cuộc), with the same flow as a round's: a draft drawn
from the contest standings (services.standings), people an organiser leaves out with a reason,
a confirmation that freezes the list, and reopening it to change it.

The draft gives the contest's tiers (final_prize_first ... consolation) to the standings in
order, passing over people left out and people of units excluded from prizes. Collective prizes
rank units over every closed round (prizes.unit_awards). Confirming needs every round's results
final; it stores each winner's standing (final_awards) and the collective ranking with each
winner's unit as they were (contests.final_prize_snapshot), so a unit list uploaded or an entry
voided later changes neither the printed list nor the decision. Certificates follow
(certificates.issue_certificates); reopening makes them answer invalid until confirmed again.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..errors import Conflict, NotFound
from ..extensions import db
from ..models import Contest, Entry, Participation, Unit, User
from ..models.audit import record
from ..models.final_prizes import FinalAward, FinalPrizeVoid
from ..timing import results_visible
from .prize_snapshot import frozen_units, thawed_units
from .prizes import PRIZE_LABELS, prize_slots, unit_awards
from .standings import closed_rounds, standings


@dataclass
class FinalWinner:
    prize: str
    rank: int  # place in the contest standings
    user: User
    rounds_taken: int
    total_score: float
    total_duration_ms: int
    unit: str

    @property
    def label(self) -> str:
        return str(PRIZE_LABELS[self.prize])


def _lock(contest: Contest) -> None:
    """Read-then-write: one organiser at a time changes the contest's final list (PostgreSQL
    row lock; SQLite serialises writers already)."""
    db.session.execute(select(Contest.id).where(Contest.id == contest.id).with_for_update())


def voids(contest: Contest) -> list[FinalPrizeVoid]:
    return list(
        db.session.scalars(
            select(FinalPrizeVoid)
            .where(FinalPrizeVoid.contest_id == contest.id)
            .order_by(FinalPrizeVoid.id)
        )
    )


def final_winners(contest: Contest, now) -> list[FinalWinner]:
    """The confirmed list when there is one, else the draft from the standings now."""
    if contest.final_prizes_confirmed_at is not None:
        return confirmed_final(contest)
    slots = prize_slots(contest.final_prize_counts)
    if not slots:
        return []
    left_out = {v.user_id for v in voids(contest)}
    excluded_units = set(
        db.session.scalars(
            select(Unit.id).where(
                Unit.unit_list_id == contest.unit_list_id, Unit.excluded_from_prizes.is_(True)
            )
        )
    )
    entered_with = dict(
        db.session.execute(
            select(Participation.user_id, Participation.unit_id).where(
                Participation.contest_id == contest.id
            )
        ).all()
    )
    limit = len(slots) + len(left_out) + 50
    while True:  # widen the look until the tiers are filled or nobody is left
        _rounds, rows = standings(contest, now, limit)
        winners = []
        for s in rows:
            if len(winners) == len(slots):
                break
            if s.user.id not in left_out and entered_with.get(s.user.id) not in excluded_units:
                winners.append(
                    FinalWinner(
                        slots[len(winners)],
                        s.rank,
                        s.user,
                        s.rounds_taken,
                        s.total_score,
                        s.total_duration_ms,
                        s.unit or "",
                    )
                )
        if len(winners) == len(slots) or len(rows) < limit:
            return winners
        limit *= 4


def confirmed_final(contest: Contest) -> list[FinalWinner]:
    people = (contest.final_prize_snapshot or {}).get("people", {})
    awards = db.session.scalars(
        select(FinalAward).where(FinalAward.contest_id == contest.id).order_by(FinalAward.rank)
    ).all()
    return [
        FinalWinner(
            a.prize,
            a.rank,
            a.user,
            a.rounds_taken,
            a.total_score,
            a.total_duration_ms,
            people.get(str(a.user_id), ""),
        )
        for a in awards
    ]


def final_unit_awards(contest: Contest, now) -> list[tuple]:
    """[(stat, prize or None)] over every closed round: frozen once confirmed."""
    frozen = contest.final_prize_snapshot
    if contest.final_prizes_confirmed_at is None or frozen is None:
        return unit_awards(contest, [r.id for r in closed_rounds(contest, now)])
    return thawed_units(frozen["units"])


def final_unit_prizes(contest: Contest, now) -> list[tuple]:
    return [(stat, prize) for stat, prize in final_unit_awards(contest, now) if prize]


def _unconfirmed(contest: Contest) -> None:
    if contest.final_prizes_confirmed_at is not None:
        raise Conflict(
            _l("Danh sách giải chung cuộc đã được xác nhận: hãy huỷ xác nhận trước khi sửa.")
        )


def contest_person(contest: Contest, user_id: int, now) -> User:
    """Someone with a counted entry in a closed round of the contest (else 404)."""
    ids = [r.id for r in closed_rounds(contest, now)]
    person = db.session.get(User, user_id)
    taken = ids and db.session.scalar(
        select(Entry.id).where(Entry.round_id.in_(ids), Entry.user_id == user_id).limit(1)
    )
    if person is None or not taken:
        raise NotFound()
    return person


def void_person(contest: Contest, person: User, reason: str, user, now) -> None:
    """Leave a person out of the final prizes, with the reason (their rounds' results stand)."""
    _lock(contest)
    _unconfirmed(contest)
    existing = db.session.scalar(
        select(FinalPrizeVoid).where(
            FinalPrizeVoid.contest_id == contest.id, FinalPrizeVoid.user_id == person.id
        )
    )
    if existing is None:
        db.session.add(
            FinalPrizeVoid(contest_id=contest.id, user_id=person.id, reason=reason, voided_at=now)
        )
    else:
        existing.reason = reason
    record(
        user,
        "void_final",
        f"contest:{contest.slug}",
        now,
        label=contest.title,
        person=person.full_name,
        reason=reason,
    )
    db.session.flush()


def restore_person(contest: Contest, person: User, user, now) -> None:
    _lock(contest)
    _unconfirmed(contest)
    db.session.execute(
        delete(FinalPrizeVoid).where(
            FinalPrizeVoid.contest_id == contest.id, FinalPrizeVoid.user_id == person.id
        )
    )
    record(
        user,
        "restore_final",
        f"contest:{contest.slug}",
        now,
        label=contest.title,
        person=person.full_name,
    )
    db.session.flush()


def confirm_final(contest: Contest, user, now) -> list[FinalWinner]:
    """Freeze the draft as the contest's final prizes, once every round's results are final;
    then issue the certificates the rule gives for them."""
    _lock(contest)
    if not contest.rounds or not all(results_visible(r, now) for r in contest.rounds):
        raise Conflict(_l("Cuộc thi còn đợt thi chưa kết thúc: chưa thể xác nhận giải chung cuộc."))
    _unconfirmed(contest)
    winners = final_winners(contest, now)
    units = unit_awards(contest, [r.id for r in closed_rounds(contest, now)])
    db.session.add_all(
        FinalAward(
            contest_id=contest.id,
            user_id=w.user.id,
            prize=w.prize,
            rank=w.rank,
            rounds_taken=w.rounds_taken,
            total_score=w.total_score,
            total_duration_ms=w.total_duration_ms,
            confirmed_at=now,
        )
        for w in winners
    )
    contest.final_prizes_confirmed_at = now
    contest.final_prize_snapshot = {
        "units": frozen_units(units),
        "people": {str(w.user.id): w.unit for w in winners},
    }
    record(
        user,
        "confirm_final",
        f"contest:{contest.slug}",
        now,
        label=contest.title,
        winners=len(winners),
    )
    db.session.flush()
    from .certificates import issue_certificates

    issue_certificates(contest, now)
    return winners


def reopen_final(contest: Contest, user, now) -> None:
    _lock(contest)
    db.session.execute(delete(FinalAward).where(FinalAward.contest_id == contest.id))
    contest.final_prizes_confirmed_at, contest.final_prize_snapshot = None, None
    record(user, "reopen_final", f"contest:{contest.slug}", now, label=contest.title)
    db.session.flush()
