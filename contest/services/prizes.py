"""Individual prizes: the draft list in the one ranking order, voids with a reason, and the
organiser's confirmation that freezes it. Collective prizes for units.

The draft passes over voided entries, units excluded from prizes (the organising office) and,
when the contest allows one individual prize per person, anyone already holding a confirmed
prize in another round of the contest. Ranks shown are leaderboard places.
"""

from contextlib import closing
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..errors import Conflict, NotFound
from ..extensions import db
from ..models import Award, Entry, Round, Unit, User
from ..models.audit import record
from ..ranking import ENTRY_ORDER, ranked_entries, unit_stats
from ..timing import results_visible
from ..vocab import Prize

PRIZES = tuple(Prize.choices())
PRIZE_LABELS = dict(PRIZES)


@dataclass
class Winner:
    prize: str  # first | second | third | consolation
    rank: int
    entry: Entry
    unit_name: str | None = None  # as confirmed (services.prize_snapshot); None in a draft

    @property
    def label(self) -> str:
        return str(PRIZE_LABELS[self.prize])

    @property
    def unit(self) -> str:
        """The winner's unit: as confirmed once the list is, else the entry's unit."""
        if self.unit_name is not None:
            return self.unit_name
        return self.entry.unit.name if self.entry.unit else ""


def prize_slots(counts: dict[str, int]) -> list[str]:
    """['first', 'second', 'second', ...] in order, one per prize."""
    return [key for key, _label in PRIZES for _ in range(max(0, counts.get(key, 0)))]


def draft_winners(rnd: Round) -> list[Winner]:
    """The confirmed list when there is one (with its units as confirmed), else the draft from
    the current ranking."""
    if rnd.prizes_confirmed_at is not None:
        from .prize_snapshot import winner_units

        units = winner_units(rnd)
        return [
            Winner(w.prize, w.rank, w.entry, units.get(w.entry.id)) for w in confirmed_winners(rnd)
        ]
    slots, winners = prize_slots(rnd.prize_counts), []
    excluded_users = holders_elsewhere(rnd)
    excluded_units = set(
        db.session.scalars(select(Unit.id).where(Unit.excluded_from_prizes.is_(True)))
    )
    ranked = db.session.scalars(ranked_entries(rnd.id).execution_options(yield_per=500))
    with closing(ranked):  # left early: PostgreSQL's server-side cursor is closed, not dropped
        for rank, entry in enumerate(ranked, 1):
            if len(winners) == len(slots):
                break
            if entry.user_id not in excluded_users and entry.unit_id not in excluded_units:
                winners.append(Winner(slots[len(winners)], rank, entry))
    return winners


def confirmed_winners(rnd: Round) -> list[Winner]:
    awards = db.session.scalars(
        select(Award).where(Award.round_id == rnd.id).order_by(Award.rank)
    ).all()
    return [Winner(a.prize, a.rank, a.entry) for a in awards]


def holders_elsewhere(rnd: Round) -> set[int]:
    """People with a confirmed prize in another round of the contest, when that rules them out."""
    if not rnd.contest.one_prize_per_person:
        return set()
    others = select(Round.id).where(Round.contest_id == rnd.contest_id, Round.id != rnd.id)
    return set(db.session.scalars(select(Award.user_id).where(Award.round_id.in_(others))))


def voided_entry(round_id: int, user_id: int) -> Entry | None:
    """The person's entry of the round when an organiser voided it (what they are told)."""
    return db.session.scalar(
        select(Entry).where(
            Entry.round_id == round_id, Entry.user_id == user_id, Entry.voided.is_(True)
        )
    )


def counted_entries(rnd: Round, search: str = "", limit: int = 30) -> list[tuple[int, Entry]]:
    """(rank, entry) of the round's counted entries, those whose person's name or phone holds
    `search` when given: the ones an organiser may void."""
    ranked = (
        select(Entry.id, func.row_number().over(order_by=ENTRY_ORDER).label("place"))
        .where(Entry.round_id == rnd.id, Entry.voided.is_(False))
        .subquery()
    )
    rows = (
        select(Entry, ranked.c.place)
        .join(ranked, ranked.c.id == Entry.id)
        .join(User, User.id == Entry.user_id)
    )
    if search.strip():
        like = f"%{search.strip().lower()}%"
        rows = rows.where(db.or_(func.lower(User.full_name).like(like), User.phone.like(like)))
    rows = rows.order_by(ranked.c.place).limit(limit).options(db.joinedload(Entry.user))
    return [(rank, entry) for entry, rank in db.session.execute(rows).unique()]


def round_entry(rnd: Round, entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None or entry.round_id != rnd.id:
        raise NotFound()
    return entry


def _unconfirmed(rnd: Round) -> None:
    if rnd.prizes_confirmed_at is not None:
        raise Conflict(_l("Danh sách giải đã được xác nhận: hãy huỷ xác nhận trước khi sửa."))


def void_entry(rnd: Round, entry: Entry, reason: str, user, now) -> Entry:
    """Take an entry out of the ranking and the prizes, with the reason kept in the audit."""
    _unconfirmed(rnd)
    entry.voided, entry.void_reason = True, reason
    record(
        user,
        "void_entry",
        f"entry:{entry.id}",
        now,
        round_id=rnd.id,
        reason=reason,
        round=rnd.name,
        person=entry.user.full_name,
        score=entry.score,
    )
    db.session.flush()
    return entry


def restore_entry(rnd: Round, entry: Entry, user, now) -> Entry:
    _unconfirmed(rnd)
    entry.voided, entry.void_reason = False, None
    record(
        user,
        "restore_entry",
        f"entry:{entry.id}",
        now,
        round_id=rnd.id,
        round=rnd.name,
        person=entry.user.full_name,
    )
    db.session.flush()
    return entry


def confirm_prizes(rnd: Round, user, now) -> list[Winner]:
    """Freeze the draft as the round's prizes; only once the round's results are final."""
    if not results_visible(rnd, now):
        raise Conflict(_l("Đợt thi chưa kết thúc: chưa thể xác nhận danh sách giải."))
    _unconfirmed(rnd)
    winners = draft_winners(rnd)
    db.session.add_all(
        Award(
            round_id=rnd.id,
            entry_id=w.entry.id,
            user_id=w.entry.user_id,
            prize=w.prize,
            rank=w.rank,
            confirmed_at=now,
        )
        for w in winners
    )
    rnd.prizes_confirmed_at = now
    from .prize_snapshot import take_snapshot

    rnd.prize_snapshot = take_snapshot(rnd, winners)
    record(user, "confirm_prizes", f"round:{rnd.id}", now, label=rnd.name, winners=len(winners))
    db.session.flush()
    from .certificates import issue_certificates

    issue_certificates(rnd.contest, now)
    return winners


def reopen_prizes(rnd: Round, user, now) -> None:
    db.session.execute(delete(Award).where(Award.round_id == rnd.id))
    rnd.prizes_confirmed_at, rnd.prize_snapshot = None, None
    record(user, "reopen_prizes", f"round:{rnd.id}", now, label=rnd.name)
    db.session.flush()


def unit_awards(contest, round_ids: list[int], cache_s: int = 0):
    """Units ranked by the contest's basis; the first unit_prize_count of those over the
    participation threshold and not excluded get a collective prize: [(stat, prize or None)].
    `cache_s` as in ranking.unit_stats (public pages)."""
    stats = unit_stats(
        contest.unit_list_id,
        round_ids,
        level=contest.unit_level,
        basis=contest.unit_prize_basis,
        cache_s=cache_s,
    )
    given, out = 0, []
    for stat in stats:
        eligible = (
            not stat.unit.excluded_from_prizes
            and stat.participants > 0
            and (stat.participation_rate or 0) >= contest.unit_prize_threshold
        )
        prize = None
        if eligible and given < contest.unit_prize_count:
            given += 1
            prize = str(_l("Giải tập thể %(n)d", n=given))
        out.append((stat, prize))
    return out
