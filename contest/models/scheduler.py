"""Leases: which process runs the time-driven jobs (one at a time across workers and hosts)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SchedulerLease(db.Model):
    """One row per job name: the holder runs the job until `expires_at`, renewing it each run;
    another process takes it over only after it has expired (a compare-and-set UPDATE)."""

    __tablename__ = "scheduler_leases"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]
