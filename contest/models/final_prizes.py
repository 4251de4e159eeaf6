"""The contest's final prizes (giải chung cuộc): people taken out of the draft, with the reason,
and the confirmed list (a person's place over the whole contest, frozen at confirmation)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class FinalPrizeVoid(db.Model):
    """A person left out of the contest's final prizes by an organiser (their rounds stand)."""

    __tablename__ = "final_prize_voids"
    __table_args__ = (UniqueConstraint("contest_id", "user_id", name="uq_final_void_user"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    voided_at: Mapped[datetime]

    user = relationship("User")


class FinalAward(db.Model):
    """A confirmed final prize, with the standing it was given for."""

    __tablename__ = "final_awards"
    __table_args__ = (UniqueConstraint("contest_id", "user_id", name="uq_final_award_user"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    prize: Mapped[str] = mapped_column(String(20))  # first | second | third | consolation
    rank: Mapped[int]
    rounds_taken: Mapped[int]
    total_score: Mapped[float]
    total_duration_ms: Mapped[int]
    confirmed_at: Mapped[datetime]

    user = relationship("User")
