"""Reading the audit trail (Nhật ký thao tác): filtered by action, by person and by a range of
days in Vietnam time, newest first, a page at a time, and written to .xlsx as it is filtered."""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select

from question_bank.export_safety import text_cell

from .excel_values import local_time, xlsx_value
from .extensions import db
from .models import AuditEntry, User
from .models.audit_labels import ACTIONS
from .models.audit_text import action_name, sentence
from .timing import from_aware

PER_PAGE = 50
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    user_id: int | None = None
    since: date | None = None  # first day shown, Vietnam time
    until: date | None = None  # last day shown, inclusive

    def query_args(self) -> dict:
        """As the page's links carry it."""
        return {
            k: v
            for k, v in (
                ("action", self.action),
                ("user_id", self.user_id),
                ("from", self.since and self.since.isoformat()),
                ("to", self.until and self.until.isoformat()),
            )
            if v
        }


def parse_day(text: str | None) -> date | None:
    """2026-03-02 (the date input) or 02/03/2026; anything else is no bound."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def audit_filter(args) -> AuditFilter:
    """From a request's query string (action, user_id, from, to)."""
    action = args.get("action", "")
    user_id = args.get("user_id", type=int)
    user_id = user_id if user_id is not None and 0 < user_id < 2**31 else None  # no overflow
    return AuditFilter(
        action if action in ACTIONS or action.isidentifier() else "",
        user_id,
        parse_day(args.get("from")),
        parse_day(args.get("to")),
    )


def filtered(organisation_id: int, flt: AuditFilter):
    query = select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.user_id:
        query = query.where(AuditEntry.user_id == flt.user_id)
    if flt.since:
        query = query.where(AuditEntry.at >= _day_start(flt.since))
    if flt.until:
        query = query.where(AuditEntry.at < _day_start(flt.until + timedelta(days=1)))
    return query


def _day_start(day: date) -> datetime:
    """Midnight of `day` in Hà Nội, as the naive UTC time stored."""
    return from_aware(datetime.combine(day, time()))


def audit_page(
    organisation_id: int, flt: AuditFilter, page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, and how many match in all."""
    query = filtered(organisation_id, flt)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(db.joinedload(AuditEntry.user))
        .order_by(AuditEntry.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return rows, total


def audit_choices(organisation_id: int) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The actions and the people found in the organisation's log, for the filters."""
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().where(AuditEntry.organisation_id == organisation_id)
    ).all()
    people = db.session.execute(
        select(User.id, User.full_name)
        .where(
            User.id.in_(
                select(AuditEntry.user_id).where(AuditEntry.organisation_id == organisation_id)
            )
        )
        .order_by(User.full_name)
    ).all()
    return (
        sorted(((a, action_name(a)) for a in actions), key=lambda pair: pair[1]),
        [(uid, name) for uid, name in people],
    )


AUDIT_HEADERS = [_l("Thời điểm"), _l("Người thực hiện"), _l("Thao tác"), _l("Nội dung")]


def audit_workbook(organisation_id: int, flt: AuditFilter) -> bytes:
    """The filtered log, newest first: the time as an Excel date, names and sentences as text."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_l("Nhật ký thao tác")))
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 20, 26
    ws.column_dimensions["C"].width, ws.column_dimensions["D"].width = 30, 100
    header = [text_cell(ws, str(h)) for h in AUDIT_HEADERS]
    for cell in header:
        cell.font = Font(bold=True)
    ws.append(header)
    query = (
        filtered(organisation_id, flt)
        .options(db.joinedload(AuditEntry.user))
        .order_by(AuditEntry.id.desc())
        .limit(EXPORT_LIMIT)
    )
    for entry in db.session.scalars(query):
        ws.append(
            [
                xlsx_value(ws, local_time(entry.at)),
                xlsx_value(ws, entry.user.full_name if entry.user else ""),
                xlsx_value(ws, action_name(entry.action)),
                xlsx_value(ws, sentence(entry)),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
