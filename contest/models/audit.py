"""The audit trail of organiser actions: who did what, when, to what, and what changed.

Each organiser operation (a service function) records its own entry, so the pages and the API
leave the same one. `details` may carry `label` (the object's name when it was acted on) and
`changes` ({field: [before, after]}); each action has its words in audit_labels, and
`audit_text.sentence(entry)` reads an entry as Vietnamese.
"""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime]

    user = relationship("User")


def record(user, action: str, target: str, now: datetime, **details) -> AuditEntry:
    """Add an entry for an organiser's action (flushed with the request's other changes)."""
    entry = AuditEntry(
        organisation_id=user.organisation_id,
        user_id=user.id,
        action=action,
        target=target,
        details=details,
        at=now,
    )
    db.session.add(entry)
    return entry


def changed_value(value):
    """A value as the audit keeps it (JSON): dates as ISO text, the rest as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [changed_value(v) for v in value]
    if isinstance(value, dict):
        return {k: changed_value(v) for k, v in value.items()}
    return value
