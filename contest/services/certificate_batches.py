"""The organisers' batch of certificates (a round's or the contest's, one PDF) built in the
background, so the page shows how far it has got instead of a request that seems to hang.

The request reads what every page says (certificate_pdf.CertificatePage, a quick read), records
the download in the audit trail and commits; a thread (contest/jobs.py) then draws the pages,
reporting progress
every few pages in its own short transactions (no lock is held while it draws), and stores the
file. A second request for the same batch while one runs gets the running one (no flood of
renders); a batch whose process died stays "running" and is reported failed after STALE. Files
are kept for a day (KEPT), then removed when the organisation starts another.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..certificate_pdf import CertificatePage
from ..errors import NotFound
from ..extensions import db
from ..models import Contest
from ..models.audit import record
from ..models.certificates import CertificateBatch

STALE = timedelta(minutes=15)
KEPT = timedelta(days=1)  # a file is kept this long, then removed when the next one starts
RUNNING, READY, FAILED = "running", "ready", "failed"


def start_batch(
    contest: Contest, rnd, pages: list[CertificatePage], filename: str, user, now: datetime
) -> tuple[CertificateBatch, bool]:
    """(the batch, whether it is new): the one already running for the same round or contest
    when there is one."""
    db.session.execute(select(Contest.id).where(Contest.id == contest.id).with_for_update())
    running = db.session.scalar(
        select(CertificateBatch).where(
            CertificateBatch.contest_id == contest.id,
            CertificateBatch.round_id.is_(None)
            if rnd is None
            else CertificateBatch.round_id == rnd.id,
            CertificateBatch.status == RUNNING,
            CertificateBatch.created_at > now - STALE,
        )
    )
    if running is not None:
        return running, False
    db.session.execute(
        delete(CertificateBatch).where(
            CertificateBatch.organisation_id == contest.organisation_id,
            CertificateBatch.created_at < now - KEPT,
        )
    )
    batch = CertificateBatch(
        organisation_id=contest.organisation_id,
        contest_id=contest.id,
        round_id=rnd.id if rnd else None,
        user_id=user.id,
        filename=filename,
        status=RUNNING,
        total=len(pages),
        done=0,
        created_at=now,
    )
    db.session.add(batch)
    db.session.flush()
    record(
        user,
        "certificate_batch",
        f"contest:{contest.slug}",
        now,
        label=rnd.name if rnd else contest.title,
        total=len(pages),
    )
    return batch, True


def own_batch(user, batch_id: int) -> CertificateBatch:
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or batch.organisation_id != user.organisation_id:
        raise NotFound()
    return batch


def batch_status(batch: CertificateBatch, now: datetime) -> str:
    if batch.status == RUNNING and batch.created_at < now - STALE:
        return FAILED
    return batch.status
