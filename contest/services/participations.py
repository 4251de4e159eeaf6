"""Entering a contest (tham gia): the unit of the contest's list, the category and the profile
fields a person enters it with. Only leaf units, or grouping rows marked selectable, can be
chosen; a unit of another list is not in this contest."""

import functools
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, select

from ..errors import Conflict, Invalid, NotJoined
from ..extensions import db
from ..models import (
    DEFAULT_ORGANISATION,
    Contest,
    Entry,
    Organisation,
    Participation,
    Round,
    Unit,
    UnitList,
)
from ..models.contests import PROFILE_FIELDS
from ..raw_sql import raw
from .upsert import insert_or_skip

SEPARATOR = " › "
NO_LIST = _l("Cuộc thi này chưa có danh sách đơn vị: hãy liên hệ ban tổ chức.")
UNKNOWN = _l("Không có đơn vị này trong danh sách.")
GROUPING = _l("Đây là nhóm đơn vị: hãy chọn một đơn vị cụ thể bên trong.")


def default_list_id() -> int | None:
    """The list registration without a contest uses: the default organisation's first."""
    return db.session.scalar(
        select(UnitList.id)
        .join(Organisation, Organisation.id == UnitList.organisation_id)
        .where(Organisation.code == DEFAULT_ORGANISATION)
        .order_by(UnitList.id)
        .limit(1)
    )


def list_units(list_id: int | None) -> list[Unit]:
    if list_id is None:
        return []
    return list(
        db.session.scalars(select(Unit).where(Unit.unit_list_id == list_id).order_by(Unit.code))
    )


def choosable(units: list[Unit]) -> set[int]:
    """The ids a person may choose: active units without children, and those marked
    selectable (a deactivated unit is no longer offered)."""
    parents = {u.parent_id for u in units if u.parent_id}
    return {u.id for u in units if u.active and (u.id not in parents or u.selectable)}


def unit_paths(units: list[Unit]) -> dict[int, str]:
    """{id: "Huyện X › Xã Y"}: the names from the top of the list down to the unit."""
    by_id = {u.id: u for u in units}
    paths = {}
    for unit in units:
        names, seen, current = [], set(), unit
        while current is not None and current.id not in seen:
            seen.add(current.id)
            names.append(current.name)
            current = by_id.get(current.parent_id)
        paths[unit.id] = SEPARATOR.join(reversed(names))
    return paths


def picker_rows(list_id: int | None) -> list[dict]:
    """The list as GET /contests/{slug}/units and the picker show it, in path order."""
    units = list_units(list_id)
    paths, ok = unit_paths(units), choosable(units)
    rows = [
        {
            "code": u.code,
            "name": u.name,
            "parent_code": u.parent_code,
            "path": paths[u.id],
            "selectable": u.id in ok,
        }
        for u in units
    ]
    return sorted(rows, key=lambda r: r["path"].casefold())


def picker_groups(list_id: int | None) -> list[tuple[str, list[dict]]]:
    """The picker's optgroups: each top-level unit with the units under it (itself first when
    it can be chosen), so the plain <select> shows the tree without any script."""
    groups: dict[str, list[dict]] = {}
    for row in picker_rows(list_id):
        top = row["path"].split(SEPARATOR)[0]
        if row["selectable"]:  # a grouping row or a deactivated unit is not offered
            groups.setdefault(top, []).append(row)
    return list(groups.items())


def find_unit(list_id: int | None, code: str | None) -> tuple[Unit | None, str | None]:
    """(the unit `code` names in the list, None) or (None, why it cannot be chosen)."""
    if list_id is None:
        return None, str(NO_LIST)
    code = (code or "").strip().upper()
    unit = db.session.scalar(select(Unit).where(Unit.unit_list_id == list_id, Unit.code == code))
    if unit is None:
        return None, str(UNKNOWN)
    error = unit_refusal(unit)
    return (None, error) if error else (unit, None)


def unit_refusal(unit: Unit) -> str | None:
    """Why a unit of the list cannot be chosen (deactivated, or a grouping of other units)."""
    grouping = not unit.selectable and (
        db.session.scalar(select(Unit.id).where(Unit.parent_id == unit.id).limit(1)) is not None
    )
    return refusal(unit.name, unit.active, unit.selectable, grouping)


def refusal(name: str, active: bool, selectable: bool, has_children: bool) -> str | None:
    """The rule of unit_refusal on a unit's facts."""
    if not active:  # a deactivated unit is not offered any more
        return str(_l("Đơn vị «%(n)s» đã ngừng: hãy chọn đơn vị khác.", n=name))
    if not selectable and has_children:
        return str(GROUPING)
    return None


def participation_category(user_id: int, contest_id: int) -> str | None:
    """The category the person entered the contest in; None when they have not entered it."""
    conn = db.session.connection()
    row = raw(_category(), conn.dialect).first(conn, {"user_id": user_id, "contest_id": contest_id})
    return row.category if row else None


def participation_of(user_id: int, contest_id: int) -> Participation | None:
    return db.session.scalar(
        select(Participation).filter_by(contest_id=contest_id, user_id=user_id)
    )


def profile_snapshot(user, contest: Contest) -> dict:
    """The contest's profile fields as the person gave them on entering it."""
    values = {}
    for name in PROFILE_FIELDS:
        value = getattr(user, name)
        if contest.field_mode(name) != "hidden" and value is not None:
            values[name] = value.date().isoformat() if isinstance(value, datetime) else value
    return values


def enter(user, contest: Contest, unit_id: int, category: str, now: datetime) -> Participation:
    """Make or change the person's participation in unit `unit_id` (two requests at once make
    one)."""
    part = participation_of(user.id, contest.id)
    if part is None and enter_first(user, contest, unit_id, category, now):
        return participation_of(user.id, contest.id)
    if part is None:  # made by another request a moment ago
        part = participation_of(user.id, contest.id)
    profile = profile_snapshot(user, contest)
    if (part.unit_id, part.category, part.profile) != (unit_id, category, profile):
        part.unit_id, part.category, part.profile = unit_id, category, profile
    _remember_choice(user, unit_id, category)
    db.session.flush()
    return part


def enter_first(user, contest: Contest, unit_id: int, category: str, now: datetime) -> bool:
    """The participation of someone found to have none, whole in one INSERT that skips the row
    another request made a moment ago: False then, and the caller puts that one right (enter).
    What a start writes first, so it holds SQLite's write lock for one statement."""
    values = {
        "contest_id": contest.id,
        "user_id": user.id,
        "joined_at": now,
        "unit_id": unit_id,
        "category": category,
        "profile": profile_snapshot(user, contest),
    }
    made = db.session.execute(_insert_participation(_dialect()), values).rowcount == 1
    if made:
        _remember_choice(user, unit_id, category)
    return made


def _remember_choice(user, unit_id: int, category: str) -> None:
    """The unit and category last chosen: the picker's defaults next time (an UPDATE only when
    they changed)."""
    if user.unit_id != unit_id:
        user.unit_id = unit_id
    if user.category != category:
        user.category = category


def _dialect() -> str:
    return db.session.get_bind().dialect.name


@functools.cache
def _insert_participation(dialect: str):
    """Built once: building the statement costs more than running it."""
    table = Participation.__table__
    names = ("contest_id", "user_id", "joined_at", "unit_id", "category", "profile")
    return insert_or_skip(table, dialect).values(
        {name: bindparam(name, type_=table.c[name].type) for name in names}
    )


def join_contest(user, contest: Contest, data: dict, now: datetime) -> Participation:
    """POST /contests/{slug}/join and the join form: Invalid (422) for a unit not in the
    contest's list or not choosable, or a missing required field; Conflict (409) for a change
    of unit once the person has an entry in the contest (the organisers put units right)."""
    from .accounts import CATEGORIES, missing_profile, update_profile

    unit, error = find_unit(contest.unit_list_id, data.get("unit_code"))
    errors = {"unit_code": error} if error else {}
    category = data.get("category") or user.category or "cbccvc"
    if category not in CATEGORIES:
        errors["category"] = str(_l("Đối tượng không hợp lệ."))
    if errors:
        raise Invalid(fields=errors)
    profile = {k: data[k] for k in PROFILE_FIELDS if data.get(k) not in (None, "")}
    if profile:
        update_profile(user, profile)
    missing = missing_profile(user, contest)
    if missing:
        raise Invalid(fields=missing)
    current = participation_of(user.id, contest.id)
    if current is not None and current.unit_id != unit.id and _has_entries(user.id, contest.id):
        raise Conflict(
            _l(
                "Bạn đã thi trong cuộc thi này với đơn vị khác: hãy liên hệ ban tổ "
                "chức nếu cần sửa đơn vị."
            )
        )
    return enter(user, contest, unit.id, category, now)


def _has_entries(user_id: int, contest_id: int) -> bool:
    return (
        db.session.scalar(
            select(Entry.id)
            .join(Round, Round.id == Entry.round_id)
            .where(Entry.user_id == user_id, Round.contest_id == contest_id)
            .limit(1)
        )
        is not None
    )


def entering_unit(user, contest: Contest) -> int:
    """The unit (its id) an account that never joined the contest enters it with when it starts
    an attempt: the one it last chose, when that unit can be chosen in this contest's list (what
    version 1 clients, which register and then start, rely on); otherwise NotJoined (409). One
    statement."""
    if not user.unit_id:
        raise NotJoined()
    conn = db.session.connection()
    unit = raw(_unit_facts(), conn.dialect).first(conn, {"unit_id": user.unit_id})
    if (
        unit is None
        or unit.unit_list_id != contest.unit_list_id
        or refusal(unit.name, unit.active, unit.selectable, unit.has_children)
    ):
        raise NotJoined()
    return unit.id


@functools.cache
def _unit_facts():
    """What unit_refusal reads of a unit, and whether it groups others, in one statement."""
    units = Unit.__table__
    children = units.alias("children")
    has_children = exists().where(children.c.parent_id == units.c.id).label("has_children")
    return select(
        units.c.id,
        units.c.unit_list_id,
        units.c.name,
        units.c.active,
        units.c.selectable,
        has_children,
    ).where(units.c.id == bindparam("unit_id"))


@functools.cache
def _category():
    parts = Participation.__table__.c
    return select(parts.category).where(
        parts.user_id == bindparam("user_id"), parts.contest_id == bindparam("contest_id")
    )


def entry_unit_id(user_id: int, contest_id: int) -> int | None:
    """The unit an entry in the contest carries: the one its person entered it with."""
    return db.session.scalar(
        select(Participation.unit_id).filter_by(contest_id=contest_id, user_id=user_id)
    )


def contest_unit_names(contest_id: int, user_ids: list[int]) -> dict[int, str]:
    """{user id: the name of the unit they entered the contest with}."""
    if not user_ids:
        return {}
    return dict(
        db.session.execute(
            select(Participation.user_id, Unit.name)
            .join(Unit, Unit.id == Participation.unit_id)
            .where(Participation.contest_id == contest_id, Participation.user_id.in_(user_ids))
        ).all()
    )
