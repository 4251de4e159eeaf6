"""Contests and their rounds."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timing import utcnow
from ..vocab import Counting, FieldMode, Masking, Prediction, SigninMode, UnitBasis

COUNTING = Counting.codes()
FIELD_MODES = FieldMode.codes()
PROFILE_FIELDS = ("birth_date", "gender", "cccd", "email", "address", "occupation")
DEFAULT_FIELDS = {
    "birth_date": "hidden",
    "gender": "hidden",
    "cccd": "optional",
    "email": "optional",
    "address": "hidden",
    "occupation": "hidden",
}
UNIT_BASES = UnitBasis.codes()
PREDICTION = Prediction.codes()
MASKING = Masking.codes()
# how a participant signs in for the contest (contest/services/signin.py)
SIGNIN_MODES = SigninMode.codes()
SIGNIN_FIELD = {m.value: m.field for m in SigninMode if m.field}


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
    # which profile fields registration asks for: {field: required|optional|hidden}
    registration_fields: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_FIELDS))
    one_prize_per_person: Mapped[bool] = mapped_column(default=False)
    # collective prizes: units ranked by this basis, those over the threshold, so many prizes
    unit_prize_basis: Mapped[str] = mapped_column(String(30), default="participation_rate")
    unit_prize_threshold: Mapped[float] = mapped_column(default=0.0)  # a share, 0.5 = 50 %
    unit_prize_count: Mapped[int] = mapped_column(default=3)
    unit_level: Mapped[str] = mapped_column(String(10), default="unit")  # unit | top (level 1)
    # the unit list its participants choose from; None until the organiser picks one
    unit_list_id: Mapped[int | None] = mapped_column(ForeignKey("unit_lists.id"))
    documents: Mapped[list] = mapped_column(JSON, default=list)  # [{"title", "url"}]
    banner: Mapped[bytes | None] = mapped_column(LargeBinary)
    banner_type: Mapped[str | None] = mapped_column(String(30))
    # who gets a certificate: {winners, participation: {min_score_ratio, min_rounds} | None,
    # issuer, signer_title, signer_name, place}; None issues none
    certificate_rule: Mapped[dict | None] = mapped_column(JSON)
    # optional PNG images printed on certificates: the signer's signature and the seal
    certificate_signature: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    certificate_seal: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # final prizes over the whole contest (services.final_prizes): how many of each, the
    # confirmation and the confirmed list's figures frozen then
    final_prize_first: Mapped[int] = mapped_column(default=1, server_default="1")
    final_prize_second: Mapped[int] = mapped_column(default=2, server_default="2")
    final_prize_third: Mapped[int] = mapped_column(default=3, server_default="3")
    final_prize_consolation: Mapped[int] = mapped_column(default=5, server_default="5")
    final_prizes_confirmed_at: Mapped[datetime | None]
    final_prize_snapshot: Mapped[dict | None] = mapped_column(JSON)
    signin_mode: Mapped[str] = mapped_column(
        String(20), default="password", server_default="password"
    )
    signin_password_hash: Mapped[str | None] = mapped_column(String(255))  # contest password

    rounds = relationship("Round", back_populates="contest", order_by="Round.opens_at")
    blocks = relationship("Block", back_populates="contest", order_by="Block.id")

    @property
    def final_prize_counts(self) -> dict[str, int]:
        return {
            "first": self.final_prize_first,
            "second": self.final_prize_second,
            "third": self.final_prize_third,
            "consolation": self.final_prize_consolation,
        }

    @property
    def without_password(self) -> bool:
        """Its participants sign in with phone + CCCD (or birth date): registering for it asks
        no password (one can be set later with a reset code)."""
        return self.signin_mode in SIGNIN_FIELD

    def field_mode(self, name: str) -> str:
        """A contest signed in with phone + CCCD (or birth date) requires that field."""
        if SIGNIN_FIELD.get(self.signin_mode) == name:
            return "required"
        return (self.registration_fields or {}).get(name, DEFAULT_FIELDS[name])


class Block(db.Model):
    """A bảng of a contest (e.g. "Cán bộ, công chức, viên chức", "Nhân dân"): its rounds have
    their own bank, draw and prizes; a participant's category decides their block."""

    __tablename__ = "blocks"
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(30))

    contest = relationship("Contest", back_populates="blocks")


class Round(db.Model):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"))
    name: Mapped[str] = mapped_column(String(120))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    question_count: Mapped[int]
    time_limit_s: Mapped[int]
    grace_s: Mapped[int] = mapped_column(default=30)
    max_attempts: Mapped[int] = mapped_column(default=1)  # 0 means unlimited
    counting: Mapped[str] = mapped_column(String(20), default="best")
    prediction: Mapped[str] = mapped_column(String(30), default="none")
    # after_submit | after_close (timing.score_visible); the default follows max_attempts
    score_display: Mapped[str] = mapped_column(String(20), default="after_submit")
    # [{"topic": "...", "difficulty": "hard", "count": 5}, ...]; the rest is drawn from the bank
    draw_quotas: Mapped[list] = mapped_column(JSON, default=list)
    # questions never drawn: their key was published before this round (services.exposure)
    excluded_question_ids: Mapped[list] = mapped_column(JSON, default=list)
    prediction_truth: Mapped[int | None]
    finalized_at: Mapped[datetime | None]
    prizes_confirmed_at: Mapped[datetime | None]
    # the confirmed list's figures, frozen at confirmation (services.prize_snapshot)
    prize_snapshot: Mapped[dict | None] = mapped_column(JSON)
    prize_first: Mapped[int] = mapped_column(default=1)
    prize_second: Mapped[int] = mapped_column(default=2)
    prize_third: Mapped[int] = mapped_column(default=3)
    prize_consolation: Mapped[int] = mapped_column(default=5)

    contest = relationship("Contest", back_populates="rounds")
    bank = relationship("Bank")
    block = relationship("Block")

    @property
    def prize_counts(self) -> dict[str, int]:
        return {
            "first": self.prize_first,
            "second": self.prize_second,
            "third": self.prize_third,
            "consolation": self.prize_consolation,
        }
