"""Time-driven work, done by the application itself (contest/scheduler.py runs it every few
seconds in one process at a time): close attempts whose time ran out, and finalise every round
that has closed. Jobs are not requests: each owns its transactions, committing after each
batch of attempts and after each round, so no lock is held for long and a round that fails
leaves the others to be done.

Exactly once: the lease keeps a second process from doing the same work at the same time, and
each step is a compare-and-set in the database anyway (an attempt leaves `in_progress` in one
conditional UPDATE; a round is claimed by setting `finalized_at` where it is NULL), so even two
runners racing finish each attempt and finalise each round once.
"""

import logging
import threading
from datetime import datetime

from sqlalchemy import select, update

from .certificate_pdf import render
from .extensions import db
from .models import AuditEntry, Round
from .models.certificates import CertificateBatch
from .services.attempts import close_expired
from .services.certificate_batches import FAILED, READY
from .services.entries import finalize_round
from .services.prizes import draft_winners
from .services.rounds import end_attempts_at_close
from .timing import utcnow

log = logging.getLogger(__name__)


def close_expired_attempts(now: datetime, batch: int = 200) -> int:
    """Score and close every attempt past its deadline + grace, a batch a transaction."""
    closed = 0
    while count := close_expired(now, batch):
        db.session.commit()
        closed += count
    db.session.commit()
    return closed


def due_round_ids(now: datetime) -> list[int]:
    """Rounds closed and not yet finalised (those still in their grace are skipped later)."""
    return list(
        db.session.scalars(
            select(Round.id)
            .where(Round.finalized_at.is_(None), Round.closes_at < now)
            .order_by(Round.closes_at)
        )
    )


def finalise_due_rounds(now: datetime) -> list[int]:
    """Finalise every round whose close (and grace) has passed: open attempts scored at their
    deadline, the prediction's true figure fixed, entries re-counted; then the prize draft is
    drawn and noted in the organisation's audit trail. One commit a round; the ids done."""
    done = []
    for round_id in due_round_ids(now):
        try:
            if _finalise(db.session.get(Round, round_id), now):
                done.append(round_id)
            db.session.commit()
        except Exception:  # one bad round must not stop the others; it is tried again
            db.session.rollback()
            log.exception("finalising round %s failed", round_id)
    return done


def _finalise(rnd: Round, now: datetime) -> bool:
    # an attempt started while the round was being closed early read the old close: it ends
    # at the new one too (within a run of the close, before anything is scored)
    end_attempts_at_close(rnd)
    if not finalize_round(rnd, now):
        return False
    winners = draft_winners(rnd)
    db.session.add(
        AuditEntry(
            organisation_id=rnd.contest.organisation_id,
            user_id=None,
            action="finalise_round",
            target=f"round:{rnd.id}",
            at=now,
            details={
                "label": rnd.name,
                "winners": len(winners),
                "prediction_truth": rnd.prediction_truth,
            },
        )
    )
    db.session.flush()
    return True


def run_due_work(now: datetime) -> tuple[int, list[int]]:
    """Everything the clock has made due: (attempts closed, rounds finalised)."""
    return close_expired_attempts(now), finalise_due_rounds(now)


def run_certificate_batch(app, batch_id: int, pages: list, title: str):
    """Draw the batch in a thread (started once the request has committed the batch)."""
    thread = threading.Thread(
        target=build_certificate_batch,
        args=(app, batch_id, pages, title),
        name=f"certificate-batch-{batch_id}",
        daemon=True,
    )
    thread.start()
    return thread


def build_certificate_batch(app, batch_id: int, pages: list, title: str) -> None:
    """Render an organiser's batch of certificates (services.certificate_batches), telling the
    batch how far it is in short transactions of its own; store the file (or the failure)."""

    def moved(values: dict) -> None:
        db.session.execute(
            update(CertificateBatch).where(CertificateBatch.id == batch_id).values(**values)
        )
        db.session.commit()

    with app.app_context():
        try:
            data = render(pages, title, progress=lambda n: moved({"done": n}))
            moved({"status": READY, "done": len(pages), "pdf": data, "finished_at": utcnow()})
        except Exception:
            db.session.rollback()
            log.exception("certificate batch %s failed", batch_id)
            moved({"status": FAILED, "finished_at": utcnow()})
        finally:
            db.session.remove()
