"""The counted entry per person and round, and the round's final ranking at close."""

from datetime import datetime

from sqlalchemy import and_, case, func, select, update

from ..extensions import db
from ..models import EXPIRED, IN_PROGRESS, SUBMITTED, Attempt, Entry, Participation, Round
from ..ranking import rank_key
from ..timing import closes_for_good, results_visible
from .participations import entry_unit_id

FINISHED = (SUBMITTED, EXPIRED)


def count_entry(attempt: Attempt) -> Entry:
    """Make `attempt` the person's entry if the round's counting says it should be:
    `first` keeps the earliest finished attempt, `best` the best by the ranking order, and
    `first_perfect` the earliest fully correct one (until there is one, the best)."""
    entry = db.session.scalar(
        select(Entry).filter_by(round_id=attempt.round_id, user_id=attempt.user_id)
    )
    if entry is not None and not _better(attempt, entry):
        return entry
    if entry is None:
        entry = Entry(round_id=attempt.round_id, user_id=attempt.user_id)
        _copy(attempt, entry, distance(attempt.prediction, attempt.round.prediction_truth))
        _void_if_other_block(attempt, entry)
        db.session.add(entry)
    else:
        _copy(attempt, entry, distance(attempt.prediction, attempt.round.prediction_truth))
    db.session.flush()
    return entry


def _void_if_other_block(attempt: Attempt, entry: Entry) -> None:
    """An attempt started before the person's category was corrected to another block's
    counts as the correction's other entries do (services.participants.change_category)."""
    block = attempt.round.block
    if block is not None and block.category != attempt.user.category:
        from .participants import CATEGORY_VOID_REASON

        entry.voided, entry.void_reason = True, CATEGORY_VOID_REASON


def _better(attempt: Attempt, entry: Entry) -> bool:
    return _replaces(attempt, entry.attempt, attempt.round)


def _perfect(item) -> bool:
    return bool(item.max_score) and item.score >= item.max_score


def _key(attempt: Attempt, dist: int | None):
    return rank_key(attempt.score, dist, attempt.duration_ms, attempt.submitted_at, attempt.id)


def _copy(attempt: Attempt, entry: Entry, dist: int | None) -> None:
    entry.attempt_id = attempt.id
    entry.unit_id = entry_unit_id(attempt.user_id, attempt.round.contest_id)
    entry.score, entry.max_score = attempt.score, attempt.max_score
    entry.prediction, entry.prediction_distance = attempt.prediction, dist
    entry.duration_ms, entry.submitted_at = attempt.duration_ms, attempt.submitted_at


def distance(prediction: int | None, truth: int | None) -> int | None:
    return None if prediction is None or truth is None else abs(prediction - truth)


def prediction_truth(rnd: Round) -> int | None:
    """perfect_count: entries with every question right; participant_count: entries."""
    if rnd.prediction == "none":
        return None
    query = select(func.count(Entry.id)).where(Entry.round_id == rnd.id, Entry.voided.is_(False))
    if rnd.prediction == "perfect_count":
        query = query.where(Entry.score >= Entry.max_score, Entry.max_score > 0)
    return db.session.scalar(query)


def finalize_round(rnd: Round, now: datetime) -> bool:
    """Once no attempt can still write: expire the open ones, fix the prediction's true figure
    and re-count every entry with its distance. Runs once; True if it ran now."""
    if rnd.finalized_at is not None or not results_visible(rnd, now):
        return False
    claimed = (
        db.session.execute(  # one request finalizes; others wait, then find it done
            update(Round)
            .where(Round.id == rnd.id, Round.finalized_at.is_(None))
            .values(finalized_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    db.session.refresh(rnd)
    if not claimed:
        return False
    from .attempts import expire_if_overdue

    # in the sweep's order (deadline, id): two of them locking attempts never deadlock
    for attempt in db.session.scalars(
        select(Attempt)
        .filter_by(round_id=rnd.id, status=IN_PROGRESS)
        .order_by(Attempt.deadline, Attempt.id)
    ).all():
        expire_if_overdue(attempt, now)
    rnd.prediction_truth = prediction_truth(rnd)
    if rnd.prediction != "none":
        _recount(rnd)
    db.session.flush()
    from .certificates import issue_certificates  # participation rules met at this close

    issue_certificates(rnd.contest, now)
    return True


def _recount(rnd: Round) -> None:
    """With the truth known, each person's counted attempt is chosen again by the full order:
    one UPDATE from a ROW_NUMBER() over the round's finished attempts (the SQL twin of
    `_replaces`), so a round of a million attempts never becomes a million objects."""
    dist = func.abs(Attempt.prediction - rnd.prediction_truth)
    picked = (
        select(
            Attempt.id,
            Attempt.user_id,
            Attempt.score,
            Attempt.max_score,
            Attempt.prediction,
            dist.label("distance"),
            Attempt.duration_ms,
            Attempt.submitted_at,
            func.row_number()
            .over(partition_by=Attempt.user_id, order_by=recount_order(rnd.counting, dist))
            .label("pick"),
        )
        .where(Attempt.round_id == rnd.id, Attempt.status.in_(FINISHED))
        .subquery()
    )
    db.session.execute(
        update(Entry)
        .where(Entry.round_id == rnd.id, Entry.user_id == picked.c.user_id, picked.c.pick == 1)
        .values(
            attempt_id=picked.c.id,
            unit_id=_participation_unit(rnd.contest_id),
            score=picked.c.score,
            max_score=picked.c.max_score,
            prediction=picked.c.prediction,
            prediction_distance=picked.c.distance,
            duration_ms=picked.c.duration_ms,
            submitted_at=picked.c.submitted_at,
        )
        .execution_options(synchronize_session=False)
    )
    for item in list(db.session.identity_map.values()):  # loaded entries now read the new row
        if isinstance(item, Entry):
            db.session.expire(item)


def _participation_unit(contest_id: int):
    """The unit each entry's person entered the contest with, for the recount's UPDATE."""
    return (
        select(Participation.unit_id)
        .where(Participation.contest_id == contest_id, Participation.user_id == Entry.user_id)
        .scalar_subquery()
    )


def recount_order(counting: str, dist) -> tuple:
    """The order in which a person's first attempt is the counted one, as `_replaces` chooses
    walking the attempts by seq: `first` the earliest; `best` the ranking order;
    `first_perfect` the earliest fully correct one, or else the best."""
    best = (
        Attempt.score.desc(),
        dist.asc().nulls_last(),
        Attempt.duration_ms.asc(),
        Attempt.submitted_at.asc(),
        Attempt.id.asc(),
    )
    if counting == "first":
        return (Attempt.seq.asc(),)
    if counting == "first_perfect":
        perfect = and_(Attempt.max_score != 0, Attempt.score >= Attempt.max_score)
        return (case((perfect, 0), else_=1), case((perfect, Attempt.seq), else_=0), *best)
    return best


def _replaces(attempt: Attempt, current: Attempt, rnd: Round) -> bool:
    """Whether a later attempt takes the place of the counted one (seq order)."""
    if rnd.counting == "first":
        return False
    if rnd.counting == "first_perfect" and (_perfect(current) or _perfect(attempt)):
        return not _perfect(current)
    return _key(attempt, _dist(attempt, rnd)) < _key(current, _dist(current, rnd))


def _dist(attempt: Attempt, rnd: Round) -> int | None:
    return distance(attempt.prediction, rnd.prediction_truth)


def key_visible(rnd: Round, now: datetime) -> bool:
    """The key of a round's questions may be shown once that round is over and no other round
    drawing from the same bank can still be answered (weekly rounds often share one bank)."""
    if not results_visible(rnd, now):
        return False
    others = db.session.execute(
        select(Round.closes_at, Round.grace_s).where(
            Round.bank_id == rnd.bank_id, Round.id != rnd.id
        )
    ).all()
    return all(closes_for_good(closes_at, grace_s) < now for closes_at, grace_s in others)
