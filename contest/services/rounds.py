"""An organiser in control of a round: edit it before it opens, extend or close it early while
it is open, delete one nobody has started. Every change is audited with before -> after.

A round's attempts never outlive its close: whenever closes_at moves, each attempt in
progress gets the deadline it would have had (start + time limit, never past the close).
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import IN_PROGRESS, Attempt, Round
from ..models.audit import record
from ..timing import CLOSED, OPEN, attempt_deadline, from_aware, round_status
from .contests import round_errors

EDITABLE = (
    "name",
    "opens_at",
    "closes_at",
    "bank_id",
    "question_count",
    "time_limit_s",
    "max_attempts",
    "counting",
    "prediction",
    "grace_s",
    "draw_quotas",
    "block_id",
    "prize_first",
    "prize_second",
    "prize_third",
    "prize_consolation",
)
NULLABLE = ("block_id",)


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def current_values(rnd: Round) -> dict:
    return {field: getattr(rnd, field) for field in EDITABLE}


def _apply(rnd: Round, values: dict) -> dict:
    """Set what differs; the changes as {field: [before, after]} for the audit."""
    changes = {}
    for field, value in values.items():
        before = getattr(rnd, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(rnd, field, value)
    return changes


def _values(rnd: Round, data: dict, now: datetime, default_grace: int) -> tuple[dict, dict]:
    """The round as it would be with `data`, and every creation rule that breaks."""
    given = dict(data)
    for key in ("opens_at", "closes_at"):
        if given.get(key) is not None:
            given[key] = from_aware(given[key])
    if "grace_s" in given and given["grace_s"] is None:
        given["grace_s"] = default_grace
    values = current_values(rnd) | {k: v for k, v in given.items() if k in EDITABLE}
    blank = {
        k: str(_l("Trường này là bắt buộc."))
        for k, v in values.items()
        if v is None and k not in NULLABLE
    }
    if blank:
        raise Invalid(fields=blank)
    errors = round_errors(rnd.contest.organisation_id, values)
    if values.get("block_id") and values["block_id"] not in {b.id for b in rnd.contest.blocks}:
        errors["block_id"] = str(_l("Bảng này không thuộc cuộc thi."))
    if "closes_at" in given and values["closes_at"] < now:
        errors.setdefault("closes_at", str(_l("Không được sớm hơn bây giờ.")))
    return values, errors


def update_round(rnd: Round, data: dict, user, now: datetime, default_grace: int) -> Round:
    """`data`: the fields given, as for creation (times aware or Vietnam time). Before the round
    opens any of them, by the creation rules; once open only closes_at, not earlier than now;
    once closed nothing (409)."""
    status = round_status(rnd, now)
    values, errors = _values(rnd, data, now, default_grace)
    if status == CLOSED:
        raise Conflict(_l("Đợt thi đã kết thúc: không thể sửa."))
    if status == OPEN:
        values = _open_change(rnd, values, now)
    elif errors:
        raise Invalid(fields=errors)
    old_close = rnd.closes_at
    changes = _apply(rnd, values)
    if rnd.closes_at != old_close:
        end_attempts_at_close(rnd)
    if changes:
        record(user, "update_round", f"round:{rnd.id}", now, name=rnd.name, changes=changes)
    db.session.flush()
    return rnd


def _open_change(rnd: Round, values: dict, now: datetime) -> dict:
    """An open round: only its close may move, and not into the past."""
    changed = sorted(k for k, v in values.items() if k != "closes_at" and getattr(rnd, k) != v)
    if changed:
        raise Conflict(
            _l("Đợt thi đang diễn ra: chỉ có thể đổi thời điểm kết thúc."),
            fields={k: str(_l("Không thể sửa khi đợt thi đang diễn ra.")) for k in changed},
        )
    if values["closes_at"] < now:
        raise Conflict(
            _l("Thời điểm kết thúc mới không được sớm hơn bây giờ."),
            fields={"closes_at": str(_l("Không được sớm hơn bây giờ."))},
        )
    return {"closes_at": values["closes_at"]}


def close_round(rnd: Round, reason: str, user, now: datetime) -> Round:
    """Close an open round now; its attempts in progress end now (then the grace, as always)."""
    if round_status(rnd, now) != OPEN:
        raise Conflict(_l("Chỉ đóng sớm được đợt thi đang diễn ra."))
    changes = _apply(rnd, {"closes_at": now})
    ended = end_attempts_at_close(rnd)
    record(
        user,
        "close_round",
        f"round:{rnd.id}",
        now,
        name=rnd.name,
        reason=reason,
        attempts_in_progress=ended,
        changes=changes,
    )
    db.session.flush()
    return rnd


def end_attempts_at_close(rnd: Round) -> int:
    """Each attempt in progress gets start + time limit, capped at the round's (new) close.
    Returns how many are in progress."""
    rows = db.session.execute(
        select(Attempt.id, Attempt.started_at, Attempt.deadline).where(
            Attempt.round_id == rnd.id, Attempt.status == IN_PROGRESS
        )
    ).all()
    moved = [
        {"attempt_id": row.id, "new_deadline": deadline}
        for row in rows
        if (deadline := attempt_deadline(row.started_at, rnd.time_limit_s, rnd.closes_at))
        != row.deadline
    ]
    for item in moved:
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == item["attempt_id"], Attempt.status == IN_PROGRESS)
            .values(deadline=item["new_deadline"])
            .execution_options(synchronize_session=False)
        )
    for item in list(db.session.identity_map.values()):  # loaded attempts read the new row
        if isinstance(item, Attempt) and item.round_id == rnd.id:
            db.session.expire(item)
    return len(rows)


def delete_round(rnd: Round, user, now: datetime) -> None:
    """Only a round nobody has started (no attempt at all) can go."""
    started = db.session.scalar(select(func.count(Attempt.id)).where(Attempt.round_id == rnd.id))
    if started:
        raise Conflict(_l("Đã có %(n)d lượt thi: không thể xoá đợt thi này.", n=started))
    details = {
        "name": rnd.name,
        "contest": rnd.contest.slug,
        "opens_at": _plain(rnd.opens_at),
        "closes_at": _plain(rnd.closes_at),
    }
    try:
        with db.session.begin_nested():  # someone started it after the count: their attempt
            db.session.execute(delete(Round).where(Round.id == rnd.id))  # keeps the round
    except IntegrityError:
        raise Conflict(_l("Đã có người bắt đầu thi: không thể xoá đợt thi này.")) from None
    record(user, "delete_round", f"round:{rnd.id}", now, **details)
    db.session.expunge(rnd)
    db.session.flush()
