"""A checked upload held until the organiser confirms it (a question bank's or a unit list's):
kept for a day, and only its uploader may open it."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from ..errors import NotFound
from ..extensions import db
from ..models import PendingUpload


def keep_upload(
    user, kind: str, filename: str, data: bytes, now, name: str, bank_id: int | None = None
) -> PendingUpload:
    """Hold a checked upload of `kind` ("bank" | "units"); sweep ones older than a day."""
    db.session.execute(
        delete(PendingUpload).where(PendingUpload.created_at < now - timedelta(days=1))
    )
    pending = PendingUpload(
        organisation_id=user.organisation_id,
        user_id=user.id,
        kind=kind,
        bank_id=bank_id,
        name=name,
        filename=filename,
        data=data,
        created_at=now,
    )
    db.session.add(pending)
    db.session.flush()
    return pending


def own_upload(user, pending_id: int, kind: str) -> PendingUpload:
    """The user's own held upload of `kind` (else 404)."""
    pending = db.session.get(PendingUpload, pending_id)
    if pending is None or pending.user_id != user.id or pending.kind != kind:
        raise NotFound(_l("Không còn bản tải lên này (đã lưu, đã huỷ hoặc quá một ngày)."))
    return pending
