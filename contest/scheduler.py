"""The application's clock: APScheduler's BackgroundScheduler runs contest/jobs.py every
SCHEDULER_INTERVAL_S seconds in every worker that starts it, and a lease in the database lets
one process at a time (across workers and hosts) do the work.

Why APScheduler 3 with a database lease: it is maintained, runs in-process (no broker, no extra
service: the embedded default is one host on SQLite, where Redis may not exist), and the lease
lives in the database every host already shares, on SQLite and PostgreSQL alike. RQ or Dramatiq
would need Redis and a separate worker process for one small periodic job.

The lease is a row of `scheduler_leases` taken with a compare-and-set UPDATE (held by me, or
expired) or, the first time, an INSERT that the primary key lets only one process win. The
holder renews it on each run; when it dies, another takes over once SCHEDULER_LEASE_S has
passed. Started from create_app when SCHEDULER_ENABLED (and SCHEDULER_START is "app"), or
from gunicorn's post_worker_init (gunicorn.conf.py), never in the master before a fork.
"""

import atexit
import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import insert, or_, update
from sqlalchemy.exc import IntegrityError

from . import jobs, timing
from .extensions import db
from .models import SchedulerLease

log = logging.getLogger(__name__)
LEASE = "round-jobs"


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:120]


def take_lease(name: str, holder: str, now: datetime, seconds: int) -> bool:
    """Hold (or renew) the lease `name` until now + seconds, unless another holds it
    unexpired. Commits: the lease is its own short transaction."""
    table = SchedulerLease.__table__
    expires = now + timedelta(seconds=seconds)
    taken = (
        db.session.execute(
            update(table)
            .where(table.c.name == name, or_(table.c.holder == holder, table.c.expires_at < now))
            .values(holder=holder, expires_at=expires)
        ).rowcount
        == 1
    )
    if not taken and db.session.get(SchedulerLease, name) is None:
        try:
            with db.session.begin_nested():
                db.session.execute(
                    insert(table).values(name=name, holder=holder, expires_at=expires)
                )
            taken = True
        except IntegrityError:  # another process inserted it first
            taken = False
    db.session.commit()
    return taken


def release_lease(name: str, holder: str, now: datetime) -> None:
    """Give the lease up (a worker stopping), so another process takes it at once."""
    table = SchedulerLease.__table__
    db.session.execute(
        update(table)
        .where(table.c.name == name, table.c.holder == holder)
        .values(expires_at=now - timedelta(seconds=1))
    )
    db.session.commit()


class JobRunner:
    """One per process: the BackgroundScheduler and this process's name as a lease holder."""

    def __init__(self, app):
        self.app = app
        self.holder = holder_name()
        self.pid = os.getpid()
        self.scheduler = BackgroundScheduler(
            daemon=True,
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    def run_once(self) -> bool:
        """Take the lease and do what is due; False when another process holds it."""
        with self.app.app_context():
            try:
                now = timing.utcnow()
                if not take_lease(LEASE, self.holder, now, self.app.config["SCHEDULER_LEASE_S"]):
                    return False
                closed, finalised = jobs.run_due_work(now)
                if closed or finalised:
                    log.info("closed %d expired attempts; finalised rounds %s", closed, finalised)
                return True
            except Exception:  # the next run tries again; a job never takes the worker down
                db.session.rollback()
                log.exception("scheduled jobs failed")
                return False
            finally:
                db.session.remove()

    def start(self) -> "JobRunner":
        self.scheduler.add_job(
            self.run_once,
            "interval",
            id=LEASE,
            seconds=self.app.config["SCHEDULER_INTERVAL_S"],
            next_run_time=datetime.now(UTC),
        )
        self.scheduler.start()
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        if not self.scheduler.running:
            return
        self.scheduler.shutdown(wait=True)
        with self.app.app_context():
            try:
                release_lease(LEASE, self.holder, timing.utcnow())
            except Exception:  # the database may be gone at exit: the lease simply expires
                log.warning("could not release the scheduler lease", exc_info=True)
            finally:
                db.session.remove()


def start_scheduler(app) -> JobRunner | None:
    """Start this process's runner once (a forked child starts its own); None when disabled."""
    if not app.config.get("SCHEDULER_ENABLED"):
        return None
    runner = app.extensions.get("job_runner")
    if runner is not None and runner.pid == os.getpid():
        return runner
    runner = app.extensions["job_runner"] = JobRunner(app).start()
    return runner


def stop_scheduler(app) -> None:
    runner = app.extensions.get("job_runner")
    if runner is not None and runner.pid == os.getpid():
        runner.stop()


def init_app(app) -> None:
    if app.config.get("SCHEDULER_START") == "app":
        start_scheduler(app)
