"""Attempts, what each drew, its answers, and the counted entry per person and round."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import AttemptStatus

IN_PROGRESS, SUBMITTED, EXPIRED = AttemptStatus.codes()
STATUSES = (IN_PROGRESS, SUBMITTED, EXPIRED)


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "round_id", "seq", name="uq_attempt_seq"),
        # One in-progress attempt per person and round, held by the database.
        Index(
            "uq_attempt_in_progress",
            "user_id",
            "round_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        Index("ix_attempt_open_deadline", "status", "deadline"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    seq: Mapped[int]  # 1 for a person's first attempt in the round, 2 for the next...
    status: Mapped[str] = mapped_column(String(20), default=IN_PROGRESS)
    started_at: Mapped[datetime]
    deadline: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    duration_ms: Mapped[int | None]
    prediction: Mapped[int | None]

    round = relationship("Round")
    user = relationship("User")
    questions = relationship(
        "AttemptQuestion", order_by="AttemptQuestion.position", back_populates="attempt"
    )


class AttemptQuestion(db.Model):
    """The question an attempt drew and the shuffled order of its choices: what the person saw."""

    __tablename__ = "attempt_questions"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int]
    choice_order: Mapped[list] = mapped_column(JSON)

    attempt = relationship("Attempt", back_populates="questions")
    question = relationship("Question")


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id", name="uq_answer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    choices: Mapped[list] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(BigInteger)  # clients send a millisecond clock reading
    saved_at: Mapped[datetime]


class Entry(db.Model):
    """The counted attempt per person and round, kept current at submit."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", name="uq_entry"),
        # The ranking order (contest.ranking.ENTRY_ORDER) as an index: the board's top and a
        # person's rank read it in order, on SQLite too (whose NULLs sort first, hence the
        # IS NULL key that puts entries without a prediction last).
        Index(
            "ix_entry_rank",
            "round_id",
            "voided",
            text("score DESC"),
            text("(prediction_distance IS NULL)"),
            "prediction_distance",
            "duration_ms",
            "submitted_at",
            "attempt_id",
        ),
        # Covers the unit ranking's aggregate (contest.ranking.unit_figures).
        Index("ix_entry_unit_stats", "round_id", "voided", "unit_id", "user_id", "score"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    score: Mapped[float]
    max_score: Mapped[float]
    prediction: Mapped[int | None]
    prediction_distance: Mapped[int | None]
    duration_ms: Mapped[int]
    submitted_at: Mapped[datetime]
    voided: Mapped[bool] = mapped_column(default=False)
    void_reason: Mapped[str | None] = mapped_column(Text)

    user = relationship("User")
    attempt = relationship("Attempt")
    unit = relationship("Unit")  # the unit its person entered the contest with


class Award(db.Model):
    """A confirmed individual prize: the drafted list frozen when the organiser confirms it."""

    __tablename__ = "awards"
    __table_args__ = (UniqueConstraint("round_id", "entry_id", name="uq_award_entry"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    prize: Mapped[str] = mapped_column(String(20))  # first | second | third | consolation
    rank: Mapped[int]
    confirmed_at: Mapped[datetime]

    entry = relationship("Entry")
