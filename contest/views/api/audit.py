"""The audit trail, for organisers: newest first."""
from flask import jsonify, request
from sqlalchemy import select

from ...auth import user
from ...extensions import db
from ...models import AuditEntry
from ...models.audit import sentence
from ...timing import iso
from . import bp
from .spec import route


def audit_entries(organisation_id: int, limit: int = 200) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.organisation_id == organisation_id)
        .order_by(AuditEntry.id.desc()).limit(limit)).all()


@route(bp, "/audit", "GET", "Nhật ký thao tác của ban tổ chức (mới nhất trước)",
       auth="organiser", query={"limit": "integer"}, responses={200: "OK", 403: "Không phải BTC"})
def audit():
    limit = min(max(request.args.get("limit", 200, type=int), 1), 1000)
    rows = audit_entries(user().organisation_id, limit)
    return jsonify([{"at": iso(a.at), "user": a.user.full_name if a.user else None,
                     "action": a.action, "target": a.target, "details": a.details,
                     "sentence": sentence(a)}
                    for a in rows])
