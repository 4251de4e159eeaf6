"""A unit list uploaded again through the pages: when it would change headcounts that are
already there, what changes (unit, before → after; new units; units the file leaves out) is
shown and the file is kept (pending_uploads, kind "units") until the organiser confirms it.
Nothing is saved before that. The file is parsed before anything is written, and parsed again
at confirmation, so the confirmed import is the same all-or-nothing import as the API's.
The list it goes into is kept with it in `name`: "" for the default list, the list's id, or
"+" and the name of a new list."""

from dataclasses import dataclass, field

from question_bank.upload import Limits

from ..extensions import db
from ..models import PendingUpload, Unit
from .pending_uploads import keep_upload, own_upload
from .units import UnitRow, check_units, import_units, save_units

KIND = "units"


@dataclass
class HeadcountChange:
    code: str
    name: str
    before: int
    after: int


@dataclass
class UnitChanges:
    headcounts: list[HeadcountChange] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, before, after)
    new: list[UnitRow] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)  # kept as they are, not removed
    updated: int = 0

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.headcounts)

    def as_dict(self) -> dict:
        return {
            "created": len(self.new),
            "updated": self.updated,
            "headcounts": [vars(c) for c in self.headcounts],
            "renamed": [{"code": c, "before": b, "after": a} for c, b, a in self.renamed],
            "new": [
                {"code": r.code, "name": r.name, "headcount": r.headcount or 0} for r in self.new
            ],
            "missing": [{"code": u.code, "name": u.name} for u in self.missing],
        }


def unit_changes(rows: list[UnitRow], units: dict[str, Unit]) -> UnitChanges:
    """What importing `rows` would change in the organisation's `units` (by code)."""
    changes, in_file = UnitChanges(), {row.code for row in rows}
    for row in rows:
        unit = units.get(row.code)
        if unit is None:
            changes.new.append(row)
            continue
        changes.updated += 1
        if row.headcount is not None and row.headcount != unit.headcount:
            changes.headcounts.append(
                HeadcountChange(unit.code, unit.name, unit.headcount, row.headcount)
            )
        if row.name != unit.name:
            changes.renamed.append((unit.code, unit.name, row.name))
    changes.missing = sorted(
        (u for code, u in units.items() if code not in in_file and u.active), key=lambda u: u.code
    )
    return changes


def preview_units(
    user,
    filename: str,
    data: bytes,
    limits: Limits,
    now,
    unit_list_id: int | None = None,
    new_list: str | None = None,
):
    """(changes, pending, saved, errors) for a page upload into one of the organisation's
    lists (services.units.check_units), the file parsed and checked before anything is
    written: with errors, nothing; when it changes headcounts there are, the file kept as
    `pending` for confirmation; otherwise imported at once (`saved`: created, updated, list)."""
    rows, units, errors, target = check_units(
        user.organisation_id, data, limits, unit_list_id, new_list
    )
    if errors:
        return None, None, None, errors
    changes = unit_changes(rows, units)
    if changes.needs_confirmation:
        where = "+" + new_list if new_list else "" if target is None else str(target.id)
        return changes, keep_pending(user, filename, data, now, where), None, []
    return changes, None, save_units(user, filename, rows, units, now, target, new_list), []


def _destination(pending: PendingUpload) -> tuple[int | None, str | None]:
    """(unit_list_id, new_list) as kept by keep_pending."""
    if pending.name.startswith("+"):
        return None, pending.name[1:]
    return (int(pending.name) if pending.name.isdigit() else None), None


def keep_pending(user, filename: str, data: bytes, now, where: str = "") -> PendingUpload:
    """Hold a checked unit list until the organiser confirms it; sweep ones older than a day."""
    return keep_upload(user, KIND, filename[:255], data, now, where)


def own_pending(user, pending_id: int) -> PendingUpload:
    return own_upload(user, pending_id, KIND)


def confirm_pending(pending: PendingUpload, user, limits: Limits, now):
    """Import what was previewed: (created, updated, errors); kept for a retry on errors."""
    unit_list_id, new_list = _destination(pending)
    created, updated, errors, _list = import_units(
        user, pending.filename, pending.data, limits, now, unit_list_id, new_list
    )
    if not errors:
        db.session.delete(pending)
    return created, updated, errors
