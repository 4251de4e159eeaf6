"""The audit trail of organiser actions: who did what, when, to what."""
from datetime import datetime

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


def record_now(action: str, target: str, **details) -> AuditEntry:
    """The same, for a request: the logged-in organiser, the request's clock."""
    from flask_login import current_user

    from ..web import g_now
    return record(current_user, action, target, g_now(), **details)


def record(user, action: str, target: str, now: datetime, **details) -> AuditEntry:
    """Add an entry for an organiser's action (flushed with the request's other changes)."""
    entry = AuditEntry(organisation_id=user.organisation_id, user_id=user.id, action=action,
                       target=target, details=details, at=now)
    db.session.add(entry)
    return entry
