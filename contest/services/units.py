"""Import the unit list (Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Số CBCCVC): validate every
row, then create or update by code, all or nothing."""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from question_bank.sheets import FileRejected, Limits, RowError, fold, open_workbook, read_sheet

from ..extensions import db
from ..models import Unit
from ..models.audit import record

FIELDS = {
    "code": ("ma don vi", "ma dv", "ma"),
    "name": ("ten don vi", "ten dv", "ten", "don vi"),
    "parent": ("ma don vi cap tren", "ma cap tren", "don vi cap tren", "ma dv cap tren"),
    "excluded": ("khong xet giai", "khong xet khen thuong", "loai khoi xet giai"),
    "headcount": ("so cbccvc", "so can bo", "so luong", "so cb ccvc", "bien che",
                  "so cbcc", "tong so cbccvc"),
}


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    parent_code: str
    headcount: int
    excluded: bool = False


def match_unit_header(folded: list[str]) -> dict[str, int] | None:
    columns = {}
    for index, name in enumerate(folded):
        for key, aliases in FIELDS.items():
            if name in aliases and key not in columns:
                columns[key] = index
    return columns if {"code", "name"} <= columns.keys() else None


def parse_units(data: bytes, limits: Limits):
    """(rows, errors, the letter of the parent column)."""
    try:
        sheet = read_sheet(open_workbook(data, limits).worksheets[0], match_unit_header, limits)
    except FileRejected as rejected:
        return [], [rejected.error], None
    if sheet is None:
        return [], [RowError(1, None, str(_l(
            "Không tìm thấy dòng tiêu đề: cần các cột Mã đơn vị, Tên đơn vị, "
            "Mã đơn vị cấp trên, Số CBCCVC.")))], None
    rows, errors = [], []
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
    raw = sheet.value(cells, "headcount") or "0"
    valid = re.fullmatch(r"[0-9]{1,7}", raw) is not None
    if not valid:
        err("headcount", _l("Số CBCCVC \"%(v)s\" phải là số nguyên không âm.", v=raw))
    excluded = fold(sheet.value(cells, "excluded")) in ("x", "co", "1", "yes", "true")
    return UnitRow(number, code, name, sheet.value(cells, "parent").upper(),
                   int(raw) if valid else 0, excluded)


def check_tree(rows: list[UnitRow], existing: set[str], letter: str | None) -> list[RowError]:
    """Codes once per file; a parent named exists (in the file or already); no cycles."""
    errors, seen = [], {}
    for row in rows:
        if row.code in seen:
            errors.append(RowError(row.row, None, str(_l(
                "Mã đơn vị \"%(c)s\" trùng với dòng %(r)d.", c=row.code, r=seen[row.code]))))
        seen.setdefault(row.code, row.row)
    parents = {row.code: row.parent_code for row in rows}
    for row in rows:
        if row.parent_code and row.parent_code not in seen and row.parent_code not in existing:
            errors.append(RowError(row.row, letter, str(_l(
                "Mã đơn vị cấp trên \"%(c)s\" không có trong danh sách.", c=row.parent_code))))
        elif _cycles(row.code, parents):
            errors.append(RowError(row.row, letter, str(_l(
                "Đơn vị \"%(c)s\" là cấp trên của chính nó.", c=row.code))))
    return errors


def _cycles(code: str, parents: dict[str, str]) -> bool:
    seen, current = set(), parents.get(code)
    while current:
        if current == code or current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def import_units(user, filename: str, data: bytes, limits: Limits, now):
    """(created, updated, errors); on any error nothing is changed. The file is parsed and
    checked before anything is written; the import is recorded in the audit trail."""
    organisation_id = user.organisation_id
    rows, errors, letter = parse_units(data, limits)
    units = {u.code: u for u in db.session.scalars(
        select(Unit).filter_by(organisation_id=organisation_id))}
    if not errors:
        errors = check_tree(rows, set(units), letter)
    if errors:
        return 0, 0, errors
    created = 0
    for row in rows:
        unit = units.get(row.code)
        if unit is None:
            unit = units[row.code] = Unit(organisation_id=organisation_id, code=row.code)
            db.session.add(unit)
            created += 1
        unit.name, unit.headcount = row.name, row.headcount
        unit.excluded_from_prizes = row.excluded
    db.session.flush()
    for row in rows:
        units[row.code].parent_id = units[row.parent_code].id if row.parent_code else None
    db.session.flush()
    record(user, "import_units", f"units:{organisation_id}", now, file=filename,
           created=created, updated=len(rows) - created)
    return created, len(rows) - created, []



UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Số CBCCVC"]


def units_workbook(rows: list[list]) -> bytes:
    """A unit list in the import layout: code, name, parent code, headcount."""
    from ..exports import write_xlsx
    return write_xlsx([("Đơn vị", UNIT_HEADERS, rows)])
