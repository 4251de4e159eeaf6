"""Certificates (giấy chứng nhận): issued to a person for a confirmed prize or for taking part,
each with an unguessable code that anyone can check. What it says (name, unit, achievement) is
kept as issued, so the document reads the same every time it is printed."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

PRIZE, PARTICIPATION = "prize", "participation"


class Certificate(db.Model):
    __tablename__ = "certificates"
    # one certificate per achievement: "prize:<round>:<user>:<prize>", "participation:<user>"
    __table_args__ = (UniqueConstraint("contest_id", "key", name="uq_certificate_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    key: Mapped[str] = mapped_column(String(80))
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # prize | participation
    prize: Mapped[str | None] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(120))
    unit_name: Mapped[str | None] = mapped_column(String(255))
    achievement: Mapped[str] = mapped_column(Text)
    # the rule as it stood at issue (participation: min_score_ratio, min_rounds)
    basis: Mapped[dict] = mapped_column(JSON, default=dict)
    issued_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    contest = relationship("Contest")
    round = relationship("Round")
    entry = relationship("Entry")
    user = relationship("User")


class CertificateBatch(db.Model):
    """An organiser's download of every certificate of a round or the contest, one PDF, built
    in the background (services.certificate_batches) so the page can show how far it is."""

    __tablename__ = "certificate_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # running | ready | failed
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    contest = relationship("Contest")
