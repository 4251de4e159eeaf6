"""Banks, questions and choices. A retired question stays for the attempts that drew it."""

import secrets
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timing import utcnow


class Bank(db.Model):
    __tablename__ = "banks"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    questions = relationship("Question", back_populates="bank", order_by="Question.position")


# A question's content, the same on a parsed question (ParsedQuestion) and a stored one: the
# columns bank_store.question_row writes (and bank_copy COPYs) besides the bank, place and code.
CONTENT_FIELDS = (
    "text",
    "topic",
    "difficulty",
    "points",
    "explanation",
    "source",
    "multiple",
    "keep_choice_order",
)


class Question(db.Model):
    __tablename__ = "questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    position: Mapped[int]
    code: Mapped[str | None] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(120), default="")
    difficulty: Mapped[str] = mapped_column(String(30), default="")
    points: Mapped[float] = mapped_column(default=1.0)
    explanation: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    multiple: Mapped[bool] = mapped_column(default=False)
    # drawn with its choices in the bank's order ("Tất cả các phương án trên", "Cả A và B")
    keep_choice_order: Mapped[bool] = mapped_column(default=False, server_default=false())
    retired: Mapped[bool] = mapped_column(default=False)

    bank = relationship("Bank", back_populates="questions")
    choices = relationship(
        "Choice", back_populates="question", order_by="Choice.position", lazy="selectin"
    )
    images = relationship(
        "QuestionImage",
        back_populates="question",
        lazy="selectin",
        order_by="QuestionImage.choice_label",
        passive_deletes=True,
    )

    def image_for(self, label: str = "") -> "QuestionImage | None":
        """The question's own picture (label ""), or that choice's."""
        return next((i for i in self.images if i.choice_label == label), None)


def new_choice_id() -> int:
    """A random id in [2**40, 2**53): what a participant sees and sends for a choice, so it
    must not follow the bank's A, B, C, D order; below 2**53, exact in JavaScript. Collisions
    are left to chance: a million choices collide with odds under one in ten million."""
    return CHOICE_ID_MIN + secrets.randbelow(CHOICE_ID_MAX - CHOICE_ID_MIN)


CHOICE_ID_MIN, CHOICE_ID_MAX = 2**40, 2**53


class Choice(db.Model):
    __tablename__ = "choices"
    # random, not sequential (new_choice_id); INTEGER on SQLite (the rowid, 64-bit already)
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
        default=new_choice_id,
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(default=False)

    question = relationship("Question", back_populates="choices")


class QuestionImage(db.Model):
    """A picture of a question (choice_label "") or of one of its choices, in the database so
    that every worker and host serves it. Stored re-encoded (question_bank.images): `data`, and
    `small` (SMALL_WIDTH wide) when the picture is wider. Served by its sha256, never by the
    choice's letter; the bytes are loaded only when served."""

    __tablename__ = "question_images"
    __table_args__ = (UniqueConstraint("question_id", "choice_label", name="uq_question_image"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    choice_label: Mapped[str] = mapped_column(String(2), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    small: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    small_width: Mapped[int | None]
    small_height: Mapped[int | None]

    question = relationship("Question", back_populates="images")


class PendingUpload(db.Model):
    """An upload parsed and shown for review, kept until the organiser confirms it (in the
    database, so any worker or host can finish it). Old ones are swept at the next upload."""

    __tablename__ = "pending_uploads"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))
    kind: Mapped[str] = mapped_column(String(20), default="bank", server_default="bank")  # | units
    name: Mapped[str] = mapped_column(String(200), default="")
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
