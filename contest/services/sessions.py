"""Server-side sign-in sessions: ending one, or every session and token of an account."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import ApiToken, User, UserSession

SESSION_HOURS = 24  # without "Ghi nhớ đăng nhập"
REMEMBER_DAYS = 30


def start_session(user: User, now: datetime, remember: bool = False) -> str:
    """A new session row for `user`; returns the clear key the cookie carries."""
    db.session.execute(
        delete(UserSession).where(  # this user's sessions that ran out
            UserSession.user_id == user.id, UserSession.expires_at <= now
        )
    )
    key = secrets.token_urlsafe(32)
    lifetime = timedelta(days=REMEMBER_DAYS) if remember else timedelta(hours=SESSION_HOURS)
    db.session.add(
        UserSession(
            user_id=user.id,
            key_hash=ApiToken.digest(key),
            created_at=now,
            expires_at=now + lifetime,
            remember=remember,
        )
    )
    db.session.flush()
    return key


def session_user(user_id: int, key: str, now: datetime) -> User | None:
    """The user whose current session `key` is, in one statement."""
    return db.session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == user_id,
            UserSession.key_hash == ApiToken.digest(key),
            UserSession.expires_at > now,
        )
    )


def end_session(key: str | None) -> None:
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == ApiToken.digest(key)))


def end_every_session(user: User) -> int:
    """Every session and API token of `user` ends; the number ended."""
    sessions = db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    tokens = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    return (sessions.rowcount or 0) + (tokens.rowcount or 0)
