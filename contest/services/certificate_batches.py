"""The organisers' batch of certificates (a round's or the contest's, one PDF) built in the
background, so the page shows how far it has got instead of a request that seems to hang.

The request reads what every page says (certificate_pdf.CertificatePage, a quick read), records
the download in the audit trail and commits; a thread then draws the pages, reporting progress
every few pages in its own short transactions (no lock is held while it draws), and stores the
file. A second request for the same batch while one runs gets the running one (no flood of
renders); a batch whose process died stays "running" and is reported failed after STALE. Files
are kept for a day (KEPT), then removed when the organisation starts another.
"""
import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from ..certificate_pdf import CertificatePage, render
from ..errors import NotFound
from ..extensions import db
from ..models import Contest
from ..models.audit import record
from ..models.certificates import CertificateBatch
from ..timing import utcnow

log = logging.getLogger(__name__)
STALE = timedelta(minutes=15)
KEPT = timedelta(days=1)  # a file is kept this long, then removed when the next one starts
RUNNING, READY, FAILED = "running", "ready", "failed"


def start_batch(contest: Contest, rnd, pages: list[CertificatePage], filename: str, user,
                now: datetime) -> tuple[CertificateBatch, bool]:
    """(the batch, whether it is new): the one already running for the same round or contest
    when there is one."""
    db.session.execute(select(Contest.id).where(Contest.id == contest.id).with_for_update())
    running = db.session.scalar(select(CertificateBatch).where(
        CertificateBatch.contest_id == contest.id,
        CertificateBatch.round_id.is_(None) if rnd is None
        else CertificateBatch.round_id == rnd.id,
        CertificateBatch.status == RUNNING, CertificateBatch.created_at > now - STALE))
    if running is not None:
        return running, False
    db.session.execute(delete(CertificateBatch).where(
        CertificateBatch.organisation_id == contest.organisation_id,
        CertificateBatch.created_at < now - KEPT))
    batch = CertificateBatch(organisation_id=contest.organisation_id, contest_id=contest.id,
                             round_id=rnd.id if rnd else None, user_id=user.id,
                             filename=filename, status=RUNNING, total=len(pages), done=0,
                             created_at=now)
    db.session.add(batch)
    db.session.flush()
    record(user, "certificate_batch", f"contest:{contest.slug}", now,
           label=rnd.name if rnd else contest.title, total=len(pages))
    return batch, True


def run_in_background(app, batch_id: int, pages: list[CertificatePage], title: str):
    """Draw the batch in a thread (started once the request has committed the batch)."""
    thread = threading.Thread(target=build, args=(app, batch_id, pages, title),
                              name=f"certificate-batch-{batch_id}", daemon=True)
    thread.start()
    return thread


def build(app, batch_id: int, pages: list[CertificatePage], title: str) -> None:
    """Render, telling the batch how far it is; store the file (or the failure)."""
    def moved(values: dict) -> None:
        db.session.execute(update(CertificateBatch).where(CertificateBatch.id == batch_id)
                           .values(**values))
        db.session.commit()

    with app.app_context():
        try:
            data = render(pages, title, progress=lambda n: moved({"done": n}))
            moved({"status": READY, "done": len(pages), "pdf": data,
                   "finished_at": utcnow()})
        except Exception:
            db.session.rollback()
            log.exception("certificate batch %s failed", batch_id)
            moved({"status": FAILED, "finished_at": utcnow()})
        finally:
            db.session.remove()


def own_batch(user, batch_id: int) -> CertificateBatch:
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or batch.organisation_id != user.organisation_id:
        raise NotFound()
    return batch


def batch_status(batch: CertificateBatch, now: datetime) -> str:
    if batch.status == RUNNING and batch.created_at < now - STALE:
        return FAILED
    return batch.status
