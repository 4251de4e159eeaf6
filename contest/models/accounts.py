"""Organisations, people and their API tokens."""

import functools
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, lazyload, mapped_column, relationship

from ..extensions import db
from ..passwords import hash_password, verify_password
from ..timing import utcnow
from ..vocab import Role

ROLES = Role.codes()
STAFF_ROLES = tuple(r.value for r in Role.staff())  # people of an organisation's team
DEFAULT_ORGANISATION = "default"


def slug_from(code: str) -> str:
    """An organisation's public address from its code: 'Tinh_Khac' -> 'tinh-khac'."""
    text = re.sub(r"[^a-z0-9-]+", "-", (code or "").lower()).strip("-")
    return text[:60] or "to-chuc"


def _default_slug(context) -> str:
    return slug_from(context.get_current_parameters()["code"])


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (Index("ix_organisations_slug", "slug", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # the public page's address (a unique index); always set, from the code by default (the
    # column is nullable only so that the migration adds it in place on SQLite)
    slug: Mapped[str | None] = mapped_column(String(60), default=_default_slug)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(String(20))  # image/png or image/jpeg


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="participant")
    full_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    email: Mapped[str | None] = mapped_column(String(200), unique=True)
    cccd: Mapped[str | None] = mapped_column(String(12), unique=True)
    birth_date: Mapped[datetime | None]
    gender: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(255))
    occupation: Mapped[str | None] = mapped_column(String(120))
    # cbccvc (cán bộ, công chức, viên chức) or nhan_dan: decides the contest block
    category: Mapped[str] = mapped_column(String(30), default="cbccvc")
    # where the account was made, for spotting many accounts from one place
    registered_ip: Mapped[str | None] = mapped_column(String(45), index=True)
    device: Mapped[str | None] = mapped_column(String(64), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # staff: the organisation is organisation_id, the role one of STAFF_ROLES (contest/auth.py
    # says what each may do); a focal person (đầu mối) also has the unit they answer for
    focal_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    is_instance_admin: Mapped[bool] = mapped_column(default=False)  # manages organisations
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit = relationship("Unit", lazy="joined", foreign_keys=[unit_id])
    focal_unit = relationship("Unit", foreign_keys=[focal_unit_id])
    organisation = relationship("Organisation")

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    @property
    def is_organiser(self) -> bool:
        """Runs contests (admin or organiser); what else a role may do is contest/auth.py's."""
        return self.role in ("organiser", "admin")

    @property
    def is_staff(self) -> bool:
        """One of an organisation's team, whatever the role (sees the organiser area)."""
        return self.role in STAFF_ROLES


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user = relationship("User")

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, now: datetime, days: int) -> str:
        """Add a token for `user` to the session and return its clear text (shown once)."""
        token = secrets.token_urlsafe(32)
        db.session.add(
            cls(
                user=user,
                token_hash=cls.digest(token),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
        return token

    @classmethod
    def find_user(cls, token: str, now: datetime) -> User | None:
        """One statement: the token's user, if the token is current (its unit when asked)."""
        return db.session.scalar(_token_user(), {"token_hash": cls.digest(token), "now": now})


class UserSession(db.Model):
    """A signed-in browser: the cookie holds a random key, the row its SHA-256. Logout deletes
    the row, so a copy of the cookie stops working; "every device" deletes all of a user's."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    remember: Mapped[bool] = mapped_column(default=False)


class ResetCode(db.Model):
    """A one-time password reset code an organiser gave (or e-mail sent); only its hash kept."""

    __tablename__ = "password_reset_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20), default="organiser")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


@functools.cache
def _token_user():
    """Built once (every API call runs it)."""
    return (
        db.select(User)
        .options(lazyload(User.unit))
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == db.bindparam("token_hash"),
            ApiToken.expires_at > db.bindparam("now", type_=ApiToken.__table__.c.expires_at.type),
        )
    )
