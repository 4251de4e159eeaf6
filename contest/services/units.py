"""Import the unit list (Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Số CBCCVC): validate every
row, then create or update by code, all or nothing."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from question_bank.cells import fold, read_sheet
from question_bank.headcount import is_headcount, looks_like_headcount
from question_bank.upload import FileRejected, Limits, RowError
from question_bank.xlsx_check import open_workbook

from ..errors import NotFound
from ..extensions import db
from ..models import Unit, UnitList
from ..models.audit import record

FIELDS = {
    "code": ("ma don vi", "ma dv", "ma"),
    "name": ("ten don vi", "ten dv", "ten", "don vi"),
    "parent": ("ma don vi cap tren", "ma cap tren", "don vi cap tren", "ma dv cap tren"),
    "excluded": ("khong xet giai", "khong xet khen thuong", "loai khoi xet giai"),
    # a unit that has units under it and is itself chosen by people (Phòng Nội vụ and its
    # Bộ phận Thi đua); without it a grouping row ("Khối ...") cannot be chosen
    "selectable": ("duoc chon", "chon duoc", "cho phep chon", "duoc chon lam don vi"),
}  # the headcount column: question_bank.headcount (Số CBCCVC, Biên chế, Tổng số CB, CC, VC...)
HEADCOUNT_NAMES = "Số CBCCVC, Số lượng CBCCVC, Biên chế, Tổng số CB, CC, VC, Số người"


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    parent_code: str
    headcount: int | None  # None: the file has no headcount column
    excluded: bool = False
    selectable: bool | None = None  # None: the file has no such column (kept as it was)


def match_unit_header(folded: list[str]) -> dict[str, int] | None:
    """{field: index}; a second headcount column as "headcount_2", and a column that only looks
    like one as "headcount_like", for parse_units to report."""
    columns = {}
    for index, name in enumerate(folded):
        key = next((k for k, aliases in FIELDS.items() if name in aliases), None)
        if key is None and is_headcount(name):
            key = "headcount" if "headcount" not in columns else "headcount_2"
        elif key is None and looks_like_headcount(name):
            key = "headcount_like"
        if key is not None and key not in columns:
            columns[key] = index
    return columns if {"code", "name"} <= columns.keys() else None


def headcount_header_errors(sheet) -> list[RowError]:
    """Never a silent 0: two headcount columns, or one we cannot read and none we can."""
    if "headcount_2" in sheet.columns:
        return [
            RowError(
                sheet.header_row,
                sheet.letter("headcount_2"),
                str(
                    _l(
                        "Có hai cột số CBCCVC (cột %(a)s và cột %(b)s): hãy giữ lại một cột.",
                        a=sheet.letter("headcount"),
                        b=sheet.letter("headcount_2"),
                    )
                ),
            )
        ]
    if "headcount_like" in sheet.columns and "headcount" not in sheet.columns:
        return [
            RowError(
                sheet.header_row,
                sheet.letter("headcount_like"),
                str(
                    _l(
                        "Cột này giống cột số CBCCVC nhưng không đọc được tiêu đề: "
                        "hãy đặt tiêu đề là "
                        "một trong: %(names)s.",
                        names=HEADCOUNT_NAMES,
                    )
                ),
            )
        ]
    return []


def parse_units(data: bytes, limits: Limits):
    """(rows, errors, the letter of the parent column)."""
    try:
        sheet = read_sheet(open_workbook(data, limits).worksheets[0], match_unit_header, limits)
    except FileRejected as rejected:
        return [], [rejected.error], None
    if sheet is None:
        return (
            [],
            [
                RowError(
                    1,
                    None,
                    str(
                        _l(
                            "Không tìm thấy dòng tiêu đề: cần các cột Mã đơn vị, Tên đơn vị, "
                            "Mã đơn vị cấp trên, Số CBCCVC."
                        )
                    ),
                )
            ],
            None,
        )
    rows, errors = [], headcount_header_errors(sheet)
    if errors:
        return [], errors, None
    for number, cells in sheet.rows:
        rows.append(_unit_row(sheet, number, cells, errors))
    if not rows and not errors:
        errors.append(RowError(None, None, str(_l("Tệp không có đơn vị nào."))))
    return rows, errors, sheet.letter("parent")


def _unit_row(sheet, number: int, cells: list[str], errors: list[RowError]) -> UnitRow:
    def err(field, message):
        errors.append(RowError(number, sheet.letter(field), str(message)))

    code, name = sheet.value(cells, "code").upper(), sheet.value(cells, "name")
    if not code:
        err("code", _l("Thiếu mã đơn vị."))
    elif len(code) > 40:
        err("code", _l("Mã đơn vị dài quá 40 ký tự."))
    if not name:
        err("name", _l("Thiếu tên đơn vị."))
    headcount = _headcount(sheet, cells, err)
    excluded = fold(sheet.value(cells, "excluded")) in YES
    return UnitRow(
        number,
        code,
        name,
        sheet.value(cells, "parent").upper(),
        headcount,
        excluded,
        fold(sheet.value(cells, "selectable")) in YES if "selectable" in sheet.columns else None,
    )


YES = ("x", "co", "1", "yes", "true")


def _headcount(sheet, cells: list[str], err) -> int | None:
    """The row's headcount; None when the file has no headcount column (kept as it was)."""
    if "headcount" not in sheet.columns:
        return None
    raw = sheet.value(cells, "headcount") or "0"
    if not re.fullmatch(r"[0-9]{1,7}|[0-9]{1,3}([., \u00a0][0-9]{3}){1,2}", raw):
        err("headcount", _l('Số CBCCVC "%(v)s" phải là số nguyên không âm.', v=raw))
        return 0
    return int(re.sub(r"[^0-9]", "", raw))  # 1.200 and 1 200 as Vietnamese lists write them


def check_tree(rows: list[UnitRow], existing: set[str], letter: str | None) -> list[RowError]:
    """Codes once per file; a parent named exists (in the file or already); no cycles."""
    errors, seen = [], {}
    for row in rows:
        if row.code in seen:
            errors.append(
                RowError(
                    row.row,
                    None,
                    str(
                        _l('Mã đơn vị "%(c)s" trùng với dòng %(r)d.', c=row.code, r=seen[row.code])
                    ),
                )
            )
        seen.setdefault(row.code, row.row)
    parents = {row.code: row.parent_code for row in rows}
    for row in rows:
        if row.parent_code and row.parent_code not in seen and row.parent_code not in existing:
            errors.append(
                RowError(
                    row.row,
                    letter,
                    str(
                        _l(
                            'Mã đơn vị cấp trên "%(c)s" không có trong danh sách.',
                            c=row.parent_code,
                        )
                    ),
                )
            )
        elif _cycles(row.code, parents):
            errors.append(
                RowError(
                    row.row, letter, str(_l('Đơn vị "%(c)s" là cấp trên của chính nó.', c=row.code))
                )
            )
    return errors


def _cycles(code: str, parents: dict[str, str]) -> bool:
    seen, current = set(), parents.get(code)
    while current:
        if current == code or current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def check_units(
    organisation_id: int,
    data: bytes,
    limits: Limits,
    unit_list_id: int | None = None,
    new_list: str | None = None,
):
    """(rows, the target list's units by code, errors, the target list or None): the file
    parsed and checked against the units of the list it goes into, nothing written. The list
    is `unit_list_id`, a new one (`new_list`: no units yet), or else the one of the default
    name (None when the organisation has none yet)."""
    target = _target_list(organisation_id, unit_list_id)
    rows, errors, letter = parse_units(data, limits)
    units = (
        {u.code: u for u in db.session.scalars(select(Unit).filter_by(unit_list_id=target.id))}
        if target is not None and not new_list
        else {}
    )
    if not errors:
        errors = check_tree(rows, set(units), letter)
    return rows, units, errors, target


def import_units(
    user,
    filename: str,
    data: bytes,
    limits: Limits,
    now,
    unit_list_id: int | None = None,
    new_list: str | None = None,
):
    """(created, updated, errors, the list); on any error nothing is changed. The file goes
    into one of the organisation's lists: `unit_list_id`, a new list named `new_list`, or
    else its list of the default name (made when it has none). The file is parsed and checked
    before anything is written; the import is recorded in the audit trail."""
    rows, units, errors, target = check_units(
        user.organisation_id, data, limits, unit_list_id, new_list
    )
    if errors:
        return 0, 0, errors, target
    created, updated, target = save_units(user, filename, rows, units, now, target, new_list)
    return created, updated, [], target


def save_units(
    user,
    filename: str,
    rows: list[UnitRow],
    units: dict[str, Unit],
    now,
    target: UnitList | None,
    new_list: str | None = None,
):
    """Write checked rows (check_units) into `target` (or a new list): create or update by
    code. (created, updated, the list)"""
    organisation_id = user.organisation_id
    if new_list or target is None:
        target = UnitList(
            organisation_id=organisation_id,
            created_at=now,
            name=(new_list or "").strip()[:200] or DEFAULT_LIST_NAME,
        )
        db.session.add(target)
        db.session.flush()
    created = 0
    for row in rows:
        unit = units.get(row.code)
        if unit is None:
            unit = units[row.code] = Unit(
                organisation_id=organisation_id, unit_list_id=target.id, code=row.code
            )
            db.session.add(unit)
            created += 1
        unit.name = row.name
        if row.headcount is not None or unit.headcount is None:
            unit.headcount = row.headcount or 0
        unit.excluded_from_prizes = row.excluded
        if row.selectable is not None:
            unit.selectable = row.selectable
    db.session.flush()
    for row in rows:
        units[row.code].parent_id = units[row.parent_code].id if row.parent_code else None
    db.session.flush()
    record(
        user,
        "import_units",
        f"unit_list:{target.id}",
        now,
        file=filename,
        created=created,
        updated=len(rows) - created,
        list=target.name,
    )
    return created, len(rows) - created, target


DEFAULT_LIST_NAME = "Danh sách đơn vị"


def organisation_lists(organisation_id: int) -> list[UnitList]:
    return list(
        db.session.scalars(
            select(UnitList).filter_by(organisation_id=organisation_id).order_by(UnitList.id)
        )
    )


def lists_with_counts(organisation_id: int) -> list[tuple[UnitList, int]]:
    counts = dict(
        db.session.execute(
            select(Unit.unit_list_id, func.count(Unit.id))
            .where(Unit.organisation_id == organisation_id)
            .group_by(Unit.unit_list_id)
        ).all()
    )
    return [(lst, counts.get(lst.id, 0)) for lst in organisation_lists(organisation_id)]


def new_contest_list_id(organisation_id: int) -> int | None:
    """A new contest's unit list until the organiser chooses another: the organisation's list of
    the default name (its own units, which POST /units/import fills when no list is named), or
    else its first list (on a demo instance, the demo's: the units its registration offers,
    GET /units); None when it has no list yet."""
    found = _target_list(organisation_id, None)
    if found is not None:
        return found.id
    return db.session.scalar(
        select(UnitList.id)
        .where(UnitList.organisation_id == organisation_id)
        .order_by(UnitList.id)
        .limit(1)
    )


def own_list(organisation_id: int, unit_list_id: int) -> UnitList:
    """One of the organisation's lists; another organisation's answers 404."""
    found = db.session.get(UnitList, unit_list_id)
    if found is None or found.organisation_id != organisation_id:
        raise NotFound(_l("Không tìm thấy danh sách đơn vị này."))
    return found


def _target_list(organisation_id: int, unit_list_id: int | None) -> UnitList | None:
    """The list named, or else the one of the default name (never a named list such as the
    demo's, which only its contest uses)."""
    if unit_list_id is not None:
        return own_list(organisation_id, unit_list_id)
    return db.session.scalar(
        select(UnitList)
        .filter_by(organisation_id=organisation_id, name=DEFAULT_LIST_NAME)
        .order_by(UnitList.id)
        .limit(1)
    )


UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Số CBCCVC", "Được chọn"]


def units_workbook(rows: list[list]) -> bytes:
    """A unit list in the import layout: code, name, parent code, headcount."""
    from ..exports.plain_xlsx import write_xlsx

    return write_xlsx([("Đơn vị", UNIT_HEADERS, rows)])
