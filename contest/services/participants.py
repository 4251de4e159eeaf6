"""The organiser's participants page: the people of its organisation and those who entered or
took a round of its contests, found by name or phone; a wrong unit put right in one of its
contests (the participation, with the person's entries in that contest's rounds whose prizes
are not yet confirmed, so rankings follow), a wrong block (category) put right, in the audit
trail. Another organisation's contests keep the unit the person has there."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import Attempt, Block, Contest, Entry, Participation, Round, Unit, User
from ..models.audit import record
from .accounts import CATEGORIES, normalise_cccd, normalise_phone

PAGE_SIZE = 50


@dataclass
class Participant:
    user: User
    rounds_taken: int
    own: bool  # registered in this organisation
    entered: list = field(default_factory=list)  # participations in its contests

    @property
    def units(self) -> list:
        """The units the person has in this organisation's contests (else their last one)."""
        units = [p.unit for p in self.entered if p.unit is not None]
        return units or ([self.user.unit] if self.own and self.user.unit else [])


def _rounds_of(organisation_id: int):
    return (
        select(Round.id)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Contest.organisation_id == organisation_id)
    )


def _contests_of(organisation_id: int):
    return select(Contest.id).where(Contest.organisation_id == organisation_id)


def _people(organisation_id: int):
    took_part = select(Attempt.user_id).where(Attempt.round_id.in_(_rounds_of(organisation_id)))
    entered = select(Participation.user_id).where(
        Participation.contest_id.in_(_contests_of(organisation_id))
    )
    return select(User).where(
        User.role == "participant",
        or_(User.organisation_id == organisation_id, User.id.in_(took_part), User.id.in_(entered)),
    )


def find_participants(
    organisation_id: int, search: str = "", page: int = 1
) -> tuple[list[Participant], int]:
    """(one page of participants, how many match), by name, then id. The search matches a
    part of the name, the phone or CCCD however it is typed, or a unit's code or name."""
    query = _people(organisation_id)
    needle = (search or "").strip()[:100]
    if needle:
        phone, cccd = normalise_phone(needle), normalise_cccd(needle)
        units = select(Unit.id).where(
            Unit.organisation_id == organisation_id,
            or_(Unit.code == needle.upper(), Unit.name.ilike(f"%{needle}%")),
        )
        in_units = select(Participation.user_id).where(
            Participation.unit_id.in_(units),
            Participation.contest_id.in_(_contests_of(organisation_id)),
        )
        query = query.where(
            or_(
                User.full_name.ilike(f"%{needle}%"),
                User.phone == phone if phone else False,
                User.cccd == cccd if len(cccd) == 12 else False,
                User.unit_id.in_(units),
                User.id.in_(in_units),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    users = db.session.scalars(
        query.order_by(User.full_name, User.id)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    taken = (
        dict(
            db.session.execute(
                select(Entry.user_id, func.count(Entry.id))
                .where(
                    Entry.user_id.in_([u.id for u in users]),
                    Entry.round_id.in_(_rounds_of(organisation_id)),
                )
                .group_by(Entry.user_id)
            ).all()
        )
        if users
        else {}
    )
    entered = defaultdict(list)
    for part in (
        db.session.scalars(
            select(Participation)
            .where(
                Participation.user_id.in_([u.id for u in users]),
                Participation.contest_id.in_(_contests_of(organisation_id)),
            )
            .order_by(Participation.id)
        )
        if users
        else ()
    ):
        entered[part.user_id].append(part)
    return [
        Participant(u, taken.get(u.id, 0), u.organisation_id == organisation_id, entered[u.id])
        for u in users
    ], total


def export_rows(organisation_id: int, search: str = "") -> list[list]:
    """Every matching participant (no page limit), for the .xlsx: name, phone, e-mail, unit
    code, unit, rounds taken."""
    rows, page = [], 1
    while True:
        people, total = find_participants(organisation_id, search, page)
        rows += [
            [
                p.user.full_name,
                p.user.phone or "",
                p.user.email or "",
                "; ".join(u.code for u in p.units),
                "; ".join(u.name for u in p.units),
                p.rounds_taken,
            ]
            for p in people
        ]
        if page * PAGE_SIZE >= total:
            return rows
        page += 1


def export_participants(user: User, search: str, now: datetime) -> bytes:
    """The matching participants as .xlsx, built first, then recorded in the audit trail."""
    from ..exports.plain_xlsx import write_xlsx

    headers = [
        _("Họ và tên"),
        _("Số điện thoại"),
        _("E-mail"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Số đợt đã thi"),
    ]
    data = write_xlsx([(_("Người dự thi"), headers, export_rows(user.organisation_id, search))])
    record(
        user,
        "export_participants",
        f"organisation:{user.organisation_id}",
        now,
        search=(search or "").strip()[:100],
    )
    return data


def change_unit(
    organiser: User, user_id: int, unit_code: str, now: datetime, contest_slug: str = ""
) -> tuple[User, Unit, int]:
    """Put a participant under another unit of one of the organisation's contests (the one
    named, or the only one they entered; one they never entered and registered here: their
    last chosen unit). Their entries in that contest's rounds whose prizes are not confirmed
    move with them. Another organisation's person or contest answers 404.
    (user, the new unit, entries moved)"""
    user = db.session.get(User, user_id)
    if user is None or user.role != "participant":
        raise NotFound(_l("Không có người dự thi này trong tổ chức của bạn."))
    part = _participation_to_fix(organiser, user, contest_slug)
    if part is None:
        if user.organisation_id != organiser.organisation_id:
            raise NotFound(_l("Không có người dự thi này trong tổ chức của bạn."))
        return _change_last_unit(organiser, user, unit_code, now)
    unit = _unit_in(part.contest.unit_list_id, unit_code)
    before = part.unit
    if before is not None and before.id == unit.id:
        return user, unit, 0
    open_rounds = select(Round.id).where(
        Round.contest_id == part.contest_id, Round.prizes_confirmed_at.is_(None)
    )
    moved = db.session.execute(
        update(Entry)
        .where(Entry.user_id == user.id, Entry.round_id.in_(open_rounds))
        .values(unit_id=unit.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    part.unit_id = unit.id
    if before is None or user.unit_id == before.id:  # the same mistake as their last choice
        user.unit_id = unit.id
    _record_unit_change(
        organiser,
        user,
        before.name if before else None,
        unit,
        moved,
        now,
        contest=part.contest.slug,
    )
    return user, unit, moved


def _participation_to_fix(organiser: User, user: User, contest_slug: str):
    from .contests import own_contest
    from .participations import participation_of

    if contest_slug:
        part = participation_of(user.id, own_contest(organiser, contest_slug).id)
        if part is None:
            raise NotFound(_l("Người này chưa tham gia cuộc thi đó."))
        return part
    parts = db.session.scalars(
        select(Participation).where(
            Participation.user_id == user.id,
            Participation.contest_id.in_(_contests_of(organiser.organisation_id)),
        )
    ).all()
    if len(parts) > 1:
        raise Invalid(
            fields={
                "contest": str(
                    _l("Người này tham gia nhiều cuộc thi: hãy chọn cuộc thi cần sửa đơn vị.")
                )
            }
        )
    return parts[0] if parts else None


def _unit_in(list_id: int | None, unit_code: str) -> Unit:
    from .participations import find_unit

    code = (unit_code or "").strip().upper()[:40]
    unit, error = find_unit(list_id, code)
    if unit is None:
        exists = error != str(_l("Không có đơn vị này trong danh sách."))
        raise Invalid(
            fields={
                "unit_code": error
                if exists
                else str(_l("Không có đơn vị mã «%(c)s» trong danh sách đơn vị.", c=code))
            }
        )
    return unit


def _change_last_unit(organiser: User, user: User, unit_code: str, now: datetime):
    """Someone registered here who has entered no contest yet: the unit they last chose,
    within the same list."""
    before = user.unit
    unit = _unit_in(before.unit_list_id if before else None, unit_code)
    if before is not None and before.id != unit.id:
        user.unit_id = unit.id
        _record_unit_change(organiser, user, before.name, unit, 0, now)
    return user, unit, 0


def _record_unit_change(organiser, user, before: str | None, unit, moved: int, now, **where):
    """The audit entry of a participant's unit put right (`moved`: their entries that went
    along; `where`: contest=slug when it was a contest's participation)."""
    record(
        organiser,
        "change_participant_unit",
        f"user:{user.id}",
        now,
        label=user.full_name,
        changes={"unit": [before, unit.name]},
        entries=moved,
        **where,
    )


def _own_participant(organiser: User, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if (
        user is None
        or user.role != "participant"
        or user.organisation_id != organiser.organisation_id
    ):
        raise NotFound(_l("Không có người dự thi này trong tổ chức của bạn."))
    return user


def _open_rounds(organisation_id: int):
    """The organisation's rounds whose prizes are not confirmed: what a correction reaches."""
    return (
        select(Round.id)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Contest.organisation_id == organisation_id, Round.prizes_confirmed_at.is_(None))
    )


# Kept with the entry (the participant reads it on their result page); a correction back
# restores exactly the entries voided with it.
CATEGORY_VOID_REASON = "Đối tượng dự thi đã được sửa: bài thi thuộc bảng dành cho đối tượng khác."


def change_category(
    organiser: User, user_id: int, category: str, now: datetime
) -> tuple[User, int, int]:
    """Put a participant's block (khối: CBCCVC or nhân dân) right. In the organisation's rounds
    whose prizes are not confirmed, their entries in a block of the other category are voided,
    and those voided by an earlier correction in a block of the new one are restored.
    (user, entries voided, entries restored)"""
    user = _own_participant(organiser, user_id)
    if category not in CATEGORIES:
        raise Invalid(fields={"category": str(_l("Đối tượng không hợp lệ."))})
    # two corrections at once: the second reads the first's category (and entries) once done
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    db.session.refresh(user, ["category"])
    if user.category == category:
        return user, 0, 0
    entries = db.session.execute(
        select(Entry, Block.category)
        .join(Round, Round.id == Entry.round_id)
        .join(Block, Block.id == Round.block_id)
        .where(
            Entry.user_id == user.id, Entry.round_id.in_(_open_rounds(organiser.organisation_id))
        )
    ).all()
    voided = restored = 0
    for entry, block_category in entries:
        fits = block_category == category
        if not fits and not entry.voided:
            entry.voided, entry.void_reason, voided = True, CATEGORY_VOID_REASON, voided + 1
        elif fits and entry.voided and entry.void_reason == CATEGORY_VOID_REASON:
            entry.voided, entry.void_reason, restored = False, None, restored + 1
    record(
        organiser,
        "change_participant_category",
        f"user:{user.id}",
        now,
        label=user.full_name,
        changes={"category": [user.category, category]},
        voided=voided,
        restored=restored,
    )
    user.category = category
    db.session.execute(
        update(Participation)
        .where(  # as they entered this organisation's contests
            Participation.user_id == user.id,
            Participation.contest_id.in_(_contests_of(organiser.organisation_id)),
        )
        .values(category=category)
    )
    db.session.flush()
    return user, voided, restored
