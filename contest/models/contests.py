"""Contests and their rounds."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timing import utcnow

COUNTING = ("best", "first")
PREDICTION = ("none", "perfect_count", "participant_count")
MASKING = ("none", "partial")


class Contest(db.Model):
    __tablename__ = "contests"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    masking: Mapped[str] = mapped_column(String(20), default="partial")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rounds = relationship("Round", back_populates="contest", order_by="Round.opens_at")


class Round(db.Model):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    question_count: Mapped[int]
    time_limit_s: Mapped[int]
    grace_s: Mapped[int] = mapped_column(default=30)
    max_attempts: Mapped[int] = mapped_column(default=1)  # 0 means unlimited
    counting: Mapped[str] = mapped_column(String(10), default="best")
    prediction: Mapped[str] = mapped_column(String(30), default="none")
    # [{"topic": "...", "difficulty": "Khó", "count": 5}, ...]; the rest is drawn from the bank
    draw_quotas: Mapped[list] = mapped_column(JSON, default=list)
    prediction_truth: Mapped[int | None]
    finalized_at: Mapped[datetime | None]
    prize_first: Mapped[int] = mapped_column(default=1)
    prize_second: Mapped[int] = mapped_column(default=2)
    prize_third: Mapped[int] = mapped_column(default=3)
    prize_consolation: Mapped[int] = mapped_column(default=5)

    contest = relationship("Contest", back_populates="rounds")
    bank = relationship("Bank")

    @property
    def prize_counts(self) -> dict[str, int]:
        return {"first": self.prize_first, "second": self.prize_second,
                "third": self.prize_third, "consolation": self.prize_consolation}
