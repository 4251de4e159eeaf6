"""The audit trail, for organisers: newest first, filtered by action, person and days, a page
at a time; and the same filtered log as .xlsx."""

from flask import jsonify, request

from ...audit_log import audit_filter, audit_page
from ...auth import user
from ...models.audit_text import action_name, sentence
from ...schemas.replies import AuditLog
from ...services.audit import export_audit
from ...timing import iso
from ...web import g_now, int_arg
from ...web.files import xlsx_response
from . import bp
from .spec import XLSX_FILE, route

FILTERS = {
    "action": "string",
    "user_id": "integer",
    "from": "string",  # YYYY-MM-DD
    "to": "string",
}


@route(
    bp,
    "/audit",
    "GET",
    "Nhật ký thao tác của ban tổ chức (mới nhất trước)",
    auth="run_contests",
    query={"limit": "integer", "page": "integer"} | FILTERS,
    responses={403: "Không phải BTC"},
    reply=AuditLog,
)
def audit():
    limit, page = int_arg("limit", 200, 1, 1000), int_arg("page", 1, 1, 100000)
    rows, total = audit_page(user().organisation_id, audit_filter(request.args), page, limit)
    response = jsonify(
        [
            {
                "at": iso(a.at),
                "user": a.user.full_name if a.user else None,
                "user_id": a.user_id,
                "action": a.action,
                "action_name": action_name(a.action),
                "target": a.target,
                "details": a.details,
                "sentence": sentence(a),
            }
            for a in rows
        ]
    )
    response.headers["X-Total-Count"] = str(total)
    return response


@route(
    bp,
    "/audit.xlsx",
    "GET",
    "Tải nhật ký thao tác đã lọc (.xlsx)",
    auth="run_contests",
    query=FILTERS,
    responses=XLSX_FILE | {403: "Không phải BTC"},
)
def audit_xlsx():
    data = export_audit(user(), audit_filter(request.args), g_now())
    return xlsx_response(data, "nhat-ky-thao-tac.xlsx")
