"""The organiser's units page: each unit of the organisation with its path and headcount; a
unit's name, headcount and prize exclusion edited; a unit deactivated or made active again;
a unit nobody uses removed. Each change is
recorded in the audit trail here, so the page and any later API leave the same entry."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.orm import lazyload

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Entry, Participation, Unit, User
from ..models.audit import changed_value, record

PATH_SEPARATOR = " › "


@dataclass
class UnitRow:
    unit: Unit
    path: str  # "Huyện X › Xã Y": the names from level 1 down to this unit
    children: int
    people: int


def unit_rows(
    organisation_id: int, unit_list_id: int | None = None, search: str = ""
) -> list[UnitRow]:
    """Every unit of one of the organisation's lists (of all its lists, without one) in tree
    order (each parent before its children), with how many people chose it (in a contest, or
    as their last choice)."""
    where = [Unit.organisation_id == organisation_id]
    if unit_list_id is not None:
        where.append(Unit.unit_list_id == unit_list_id)
    units = db.session.scalars(select(Unit).where(*where).order_by(Unit.code)).all()
    people = _people_per_unit([u.id for u in units])
    by_id = {u.id: u for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent, []).append(unit)
    rows: list[UnitRow] = []

    def walk(parent_id, path, seen):
        for unit in children.get(parent_id, []):
            if unit.id in seen:  # a cycle the import refuses; never loop on old data
                continue
            here = [*path, unit.name]
            rows.append(
                UnitRow(
                    unit,
                    PATH_SEPARATOR.join(here),
                    len(children.get(unit.id, [])),
                    people.get(unit.id, 0),
                )
            )
            walk(unit.id, here, seen | {unit.id})

    walk(None, [], frozenset())
    needle = (search or "").strip().casefold()
    if needle:
        rows = [r for r in rows if needle in r.path.casefold() or needle in r.unit.code.casefold()]
    return rows


def _people_per_unit(unit_ids: list[int]) -> dict[int, int]:
    if not unit_ids:
        return {}
    chose = union(
        select(User.id.label("user_id"), User.unit_id.label("unit_id")).where(
            User.unit_id.in_(unit_ids)
        ),
        select(Participation.user_id, Participation.unit_id).where(
            Participation.unit_id.in_(unit_ids)
        ),
    ).subquery()
    return dict(
        db.session.execute(
            select(chose.c.unit_id, func.count(func.distinct(chose.c.user_id))).group_by(
                chose.c.unit_id
            )
        ).all()
    )


def _own_unit(user, unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.organisation_id != user.organisation_id:
        raise NotFound(_l("Không tìm thấy đơn vị này."))
    return unit


def parse_headcount(text: str) -> int | None:
    """'1.200', '1 200' or '1200' as 1200; None when it is not a whole number 0-9,999,999."""
    digits = "".join(ch for ch in (text or "").strip() if ch not in ". \u00a0,")
    return int(digits) if digits.isdigit() and len(digits) <= 7 else None


def edit_unit(user, unit_id: int, data: dict, now) -> Unit:
    """Change a unit's name, headcount, whether it is left out of collective prizes and
    whether a unit with units under it can itself be chosen."""
    unit = _own_unit(user, unit_id)
    name = (data.get("name") or "").strip()
    headcount = parse_headcount(str(data.get("headcount", "")))
    fields = {}
    if not name:
        fields["name"] = str(_l("Tên đơn vị không được để trống."))
    elif len(name) > 255:
        fields["name"] = str(_l("Tên đơn vị dài quá 255 ký tự."))
    if headcount is None:
        fields["headcount"] = str(_l("Số CBCCVC phải là số nguyên không âm."))
    if fields:
        raise Invalid(fields=fields)
    new = {
        "name": name,
        "headcount": headcount,
        "excluded_from_prizes": bool(data.get("excluded_from_prizes")),
        "selectable": bool(data.get("selectable")),
    }
    changes = {
        key: [changed_value(getattr(unit, key)), changed_value(value)]
        for key, value in new.items()
        if getattr(unit, key) != value
    }
    for key, value in new.items():
        setattr(unit, key, value)
    if changes:
        record(user, "edit_unit", f"unit:{unit.code}", now, label=unit.name, changes=changes)
    return unit


def remove_unit(user, unit_id: int, now) -> None:
    """Remove a unit that has no units under it and that no person or entry names."""
    unit = db.session.scalar(
        select(Unit).options(lazyload(Unit.parent)).where(Unit.id == unit_id).with_for_update()
    )
    if unit is None or unit.organisation_id != user.organisation_id:
        raise NotFound(_l("Không tìm thấy đơn vị này."))
    if db.session.scalar(select(func.count(Unit.id)).where(Unit.parent_id == unit.id)):
        raise Conflict(
            _l(
                "Đơn vị %(name)s còn đơn vị cấp dưới: hãy xoá hoặc chuyển các đơn vị đó trước.",
                name=unit.name,
            )
        )
    used = any(
        db.session.scalar(select(func.count()).select_from(model).where(model.unit_id == unit.id))
        for model in (User, Participation, Entry)
    ) or bool(
        db.session.scalar(
            select(func.count()).select_from(User).where(User.focal_unit_id == unit.id)
        )
    )
    if used:
        raise Conflict(
            _l(
                "Không xoá được đơn vị %(name)s: đã có người đăng ký hoặc bài thi thuộc "
                "đơn vị này. Hãy sửa tên hoặc đánh dấu không xét giải.",
                name=unit.name,
            )
        )
    record(user, "remove_unit", f"unit:{unit.code}", now, label=unit.name, code=unit.code)
    db.session.delete(unit)


def set_unit_active(user, unit_id: int, active: bool, now) -> Unit:
    """Deactivate a unit (no longer offered at registration or on joining; its people, entries
    and history stay) or make it active again."""
    unit = _own_unit(user, unit_id)
    if unit.active != active:
        unit.active = active
        record(
            user,
            "reactivate_unit" if active else "deactivate_unit",
            f"unit:{unit.code}",
            now,
            label=unit.name,
            code=unit.code,
        )
    return unit


def units_export_rows(organisation_id: int, unit_list_id: int | None) -> list[list]:
    """One of the organisation's lists in the import layout (edit, then upload again)."""
    return [
        [
            r.unit.code,
            r.unit.name,
            r.unit.parent_code or "",
            r.unit.headcount,
            "x" if r.unit.selectable else "",
        ]
        for r in unit_rows(organisation_id, unit_list_id)
    ]


TEMPLATE_ROWS = [
    ["HUYEN", "UBND huyện (ví dụ)", "", 120, "x"],
    ["HUYEN-PNV", "Phòng Nội vụ", "HUYEN", 8, ""],
    ["XA-A", "UBND xã A", "HUYEN", 25, ""],
]
