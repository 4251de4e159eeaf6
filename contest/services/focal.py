"""A unit's focal person (đầu mối đơn vị): who of their unit (and its sub-units) has and hasn't
taken part, round by round, in each contest of the organisation; the list as .xlsx; reset codes
for those members only.

Who "this unit's members for this contest" are is decided in one place, `unit_members`."""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..extensions import db
from ..models import EXPIRED, SUBMITTED, Attempt, Contest, Participation, Round, Unit, User
from ..models.audit import record


def unit_subtree(unit_id: int) -> list[int]:
    """The unit and every unit under it (same unit list)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        return []
    children: dict[int, list[int]] = {}
    for uid, parent in db.session.execute(
        select(Unit.id, Unit.parent_id).where(Unit.unit_list_id == unit.unit_list_id)
    ):
        children.setdefault(parent, []).append(uid)
    found, todo = [], [unit.id]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def unit_members(contest: Contest, unit_ids: list[int]):
    """THE query: the users counted as members of these units for this contest, as a select
    of user ids: those who entered the contest with one of these units (their participation,
    which their entries there carry), and those who have not entered it yet whose last chosen
    unit is one of them."""
    entered = select(Participation.user_id).where(Participation.contest_id == contest.id)
    return select(User.id).where(
        User.role == "participant",
        or_(
            User.id.in_(entered.where(Participation.unit_id.in_(unit_ids))),
            (User.unit_id.in_(unit_ids)) & User.id.not_in(entered),
        ),
    )


def is_member(focal: User, user: User) -> bool:
    """Whether `user` is a member of the focal person's unit in any of the organisation's
    contests (or by their account's unit, with no contest yet)."""
    units = unit_subtree(focal.focal_unit_id) if focal.focal_unit_id else []
    if not units:
        return False
    if user.unit_id in units:
        return True
    contests = db.session.scalars(
        select(Contest).where(Contest.organisation_id == focal.organisation_id)
    ).all()
    return any(
        db.session.scalar(unit_members(c, units).where(User.id == user.id)) for c in contests
    )


@dataclass
class ContestTable:
    contest: Contest
    rounds: list[Round]
    members: list[User]
    taken: set[tuple[int, int]]  # (user id, round id) with a finished attempt

    def count(self, rnd: Round) -> int:
        return sum(1 for m in self.members if (m.id, rnd.id) in self.taken)


def participation(focal: User) -> list[ContestTable]:
    """For each contest of the focal person's organisation: its rounds, the unit's members and
    who finished an attempt in which round."""
    units = unit_subtree(focal.focal_unit_id) if focal.focal_unit_id else []
    tables = []
    contests = db.session.scalars(
        select(Contest)
        .where(Contest.organisation_id == focal.organisation_id)
        .order_by(Contest.created_at.desc())
    )
    for contest in contests:
        members = (
            db.session.scalars(
                select(User)
                .where(User.id.in_(unit_members(contest, units)))
                .order_by(User.full_name, User.id)
            ).all()
            if units
            else []
        )
        round_ids = [r.id for r in contest.rounds]
        taken = (
            set(
                db.session.execute(
                    select(Attempt.user_id, Attempt.round_id)
                    .where(
                        Attempt.round_id.in_(round_ids),
                        Attempt.user_id.in_([m.id for m in members]),
                        Attempt.status.in_((SUBMITTED, EXPIRED)),
                    )
                    .distinct()
                ).all()
            )
            if members
            else set()
        )
        tables.append(
            ContestTable(contest, list(contest.rounds), members, {tuple(t) for t in taken})
        )
    return tables


def export_participation(focal: User, now: datetime) -> bytes:
    """The same tables as .xlsx, a sheet per contest (built first, then recorded)."""
    from ..exports.plain_xlsx import write_xlsx

    sheets = []
    for i, table in enumerate(participation(focal), start=1):
        headers = [_("Họ và tên"), _("Số điện thoại"), _("Đơn vị")] + [r.name for r in table.rounds]
        rows = [
            [m.full_name, m.phone or "", m.unit.name if m.unit else ""]
            + [_("Đã thi") if (m.id, r.id) in table.taken else _("Chưa thi") for r in table.rounds]
            for m in table.members
        ]
        title = re.sub(r"[\[\]:*?/\\]", " ", table.contest.title)  # Excel refuses them
        sheets.append((f"{i}. {title}", headers, rows))
    if not sheets:
        sheets.append((_("Đơn vị"), [_("Họ và tên")], []))
    data = write_xlsx(sheets)
    record(
        focal,
        "export_unit_participation",
        f"unit:{focal.focal_unit_id}",
        now,
        unit=focal.focal_unit.name if focal.focal_unit else "",
    )
    return data
