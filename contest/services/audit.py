"""The audit trail's download as an operation: the file is built first (reading only), then the
download itself is recorded, as every organiser export is."""

from ..audit_log import AuditFilter, audit_workbook
from ..models.audit import record


def export_audit(user, flt: AuditFilter, now) -> bytes:
    data = audit_workbook(user.organisation_id, flt)
    record(
        user,
        "export_audit",
        f"organisation:{user.organisation_id}",
        now,
        filters={k: str(v) for k, v in flt.query_args().items()},
    )
    return data
