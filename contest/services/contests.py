"""Contests and rounds: creation rules and organisation-scoped look-ups."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from question_bank.draw import quota_problems

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Bank, Block, Contest, Participation, Question, Round
from ..models.audit import changed_value, record
from ..timing import default_score_display, from_aware
from .exposure import exposed_questions, refuse_exposed
from .units import new_contest_list_id, own_list


def create_contest(user, data: dict, now) -> Contest:
    """A new contest of the organiser's organisation (recorded in the audit trail). Without a
    unit list it takes the organisation's default one (units.new_contest_list_id), so that a
    contest made through the API's {slug, title} after POST /units/import can be entered at
    once; the organiser may choose another until someone enters."""
    if db.session.scalar(select(Contest.id).filter_by(slug=data["slug"])):
        raise Conflict(
            _l('Đường dẫn (slug) "%(s)s" đã được dùng.', s=data["slug"]),
            fields={"slug": str(_l("Đã được dùng."))},
        )
    if data.get("unit_list_id") is not None:
        own_list(user.organisation_id, data["unit_list_id"])
    else:
        data = {**data, "unit_list_id": new_contest_list_id(user.organisation_id)}
    contest = Contest(organisation_id=user.organisation_id, **data)
    try:
        with db.session.begin_nested():  # the same slug sent twice at the same moment
            db.session.add(contest)
    except IntegrityError:
        raise Conflict(
            _l('Đường dẫn (slug) "%(s)s" đã được dùng.', s=data["slug"]),
            fields={"slug": str(_l("Đã được dùng."))},
        ) from None
    record(user, "create_contest", f"contest:{contest.slug}", now, label=contest.title)
    return contest


def update_contest(contest: Contest, data: dict, user, now) -> Contest:
    """Apply the settings given (None leaves one as it is); recorded in the audit trail.
    The unit list is one of the organisation's (another's answers 404), and stays once
    someone has entered the contest (409): their units are in it."""
    if data.get("unit_list_id") not in (None, contest.unit_list_id):
        check_list_change(contest, data["unit_list_id"])
    changes = {}
    for key, value in data.items():
        before = getattr(contest, key)
        if value is not None and value != before:
            changes[key] = [changed_value(before), changed_value(value)]
            setattr(contest, key, value)
    record(
        user,
        "contest_settings",
        f"contest:{contest.slug}",
        now,
        label=contest.title,
        changes=changes,
    )
    db.session.flush()
    return contest


def check_list_change(contest: Contest, unit_list_id: int) -> None:
    own_list(contest.organisation_id, unit_list_id)
    if db.session.scalar(select(Participation.id).filter_by(contest_id=contest.id).limit(1)):
        raise Conflict(
            _l(
                "Đã có người tham gia cuộc thi với đơn vị của danh sách hiện tại: "
                "không đổi được danh sách đơn vị."
            ),
            fields={"unit_list_id": str(_l("Đã có người tham gia."))},
        )


def add_block(contest: Contest, name: str, category: str, user, now) -> Block:
    block = Block(contest_id=contest.id, name=name, category=category)
    db.session.add(block)
    db.session.flush()
    record(user, "add_block", f"contest:{contest.slug}", now, label=contest.title, block=name)
    return block


def round_errors(organisation_id: int, data: dict) -> dict[str, str]:
    """Rules a round must keep: closes after it opens; a bank of this organisation with
    enough active questions for the draw."""
    errors = {}
    if data.get("closes_at") and data.get("opens_at") and data["closes_at"] <= data["opens_at"]:
        errors["closes_at"] = _l("Thời điểm kết thúc phải sau thời điểm bắt đầu.")
    if not data.get("bank_id") or not data.get("question_count"):
        return {key: str(value) for key, value in errors.items()}
    bank = db.session.get(Bank, data["bank_id"])
    if bank is None or bank.organisation_id != organisation_id:
        errors["bank_id"] = _l("Không có ngân hàng câu hỏi này.")
    else:
        excluded = data.get("excluded_question_ids") or ()
        pool = bank_pool(bank.id, excluded)
        if len(pool) < data["question_count"] and excluded:
            errors["question_count"] = _l(
                "Ngân hàng chỉ còn %(n)d câu hỏi chưa công bố đáp án, không đủ để rút %(k)d câu.",
                n=len(pool),
                k=data["question_count"],
            )
        elif len(pool) < data["question_count"]:
            errors["question_count"] = _l(
                "Ngân hàng chỉ có %(n)d câu hỏi, không đủ để rút %(k)d câu.",
                n=len(pool),
                k=data["question_count"],
            )
        elif data.get("draw_quotas"):
            problems = quota_problems(pool, data["question_count"], data["draw_quotas"])
            if problems:
                errors["draw_quotas"] = " ".join(problems)
    return {key: str(value) for key, value in errors.items()}


def bank_pool(bank_id: int, excluded=()) -> list[tuple[int, str, str]]:
    """The bank's drawable questions as (id, topic, difficulty), less the `excluded` ids."""
    left_out = set(excluded)
    return [
        tuple(row)
        for row in db.session.execute(
            select(Question.id, Question.topic, Question.difficulty).where(
                Question.bank_id == bank_id, Question.retired.is_(False)
            )
        )
        if row[0] not in left_out
    ]


def prepare_round(contest: Contest, data: dict, default_grace: int) -> tuple[dict, dict]:
    """(the round's values, every rule they break): shared by creation and the form's check."""
    data = dict(data)
    data["opens_at"], data["closes_at"] = (
        from_aware(data["opens_at"]),
        from_aware(data["closes_at"]),
    )
    if data.get("grace_s") is None:
        data["grace_s"] = default_grace
    if data.get("score_display") is None:
        data["score_display"] = default_score_display(data.get("max_attempts", 1))
    errors = round_errors(contest.organisation_id, data)
    if data.get("block_id") and data["block_id"] not in {b.id for b in contest.blocks}:
        errors["block_id"] = str(_l("Bảng này không thuộc cuộc thi."))
    return data, errors


def create_round(contest: Contest, data: dict, default_grace: int, user, now) -> Round:
    """A round on a bank whose key has been published is refused (409 bank_exposed, naming the
    questions) unless `confirm_exposed`; with `draw_unexposed` too, it never draws them."""
    data = dict(data)
    confirmed, fresh_only = data.pop("confirm_exposed", False), data.pop("draw_unexposed", False)
    data, errors = prepare_round(contest, data, default_grace)
    if errors:
        raise Invalid(fields=errors)
    exposed = exposed_questions(data["bank_id"], now)
    if exposed and not confirmed:
        raise refuse_exposed(exposed)
    if exposed and fresh_only:
        data["excluded_question_ids"] = [q.id for q in exposed]
        errors = round_errors(contest.organisation_id, data)
        if errors:
            raise Invalid(fields=errors)
    rnd = Round(contest_id=contest.id, **data)
    db.session.add(rnd)
    db.session.flush()
    record(user, "create_round", f"round:{rnd.id}", now, label=rnd.name, contest=contest.title)
    if exposed:
        record(
            user,
            "create_round_on_exposed_bank",
            f"round:{rnd.id}",
            now,
            label=rnd.name,
            bank=f"bank:{rnd.bank_id}",
            exposed=len(exposed),
            draw_unexposed=bool(fresh_only),
        )
    return rnd


def contest_by_slug(slug: str) -> Contest:
    contest = db.session.scalar(select(Contest).filter_by(slug=slug))
    if contest is None:
        raise NotFound()
    return contest


def own_contest(user, slug: str) -> Contest:
    """An organiser sees only their organisation's contests; others' answer 404."""
    contest = contest_by_slug(slug)
    if contest.organisation_id != user.organisation_id:
        raise NotFound()
    return contest


def round_by_id(round_id: int, with_contest: bool = False) -> Round:
    rnd = db.session.get(
        Round, round_id, options=[joinedload(Round.contest)] if with_contest else None
    )
    if rnd is None:
        raise NotFound()
    return rnd


def own_round(user, round_id: int) -> Round:
    rnd = round_by_id(round_id)
    if rnd.contest.organisation_id != user.organisation_id:
        raise NotFound()
    return rnd


def own_bank(user, bank_id: int) -> Bank:
    bank = db.session.get(Bank, bank_id)
    if bank is None or bank.organisation_id != user.organisation_id:
        raise NotFound()
    return bank
