"""A way back for a forgotten password: a one-time code an organiser gives a participant of its
contests (read out on the phone, or handed over at the desk), or one sent by e-mail. The code is
shown once, valid 24 h, kept only as its SHA-256; using it ends every session and token."""

import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update

from ..errors import DomainError, Invalid, NotFound
from ..extensions import db
from ..models import ApiToken, Attempt, Contest, ResetCode, Round, User
from ..models.audit import record
from ..passwords import hash_password
from ..timing import iso
from .accounts import MIN_PASSWORD, find_by_login
from .sessions import end_every_session

CODE_HOURS = 24
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out on the phone
CODE_LENGTH = 10  # 31**10: about 49 bits, against a limited number of guesses a minute


class BadResetCode(DomainError):
    status, code = 401, "bad_reset_code"
    default_message = _l("Mã đặt lại mật khẩu không đúng, đã dùng hoặc đã hết hạn.")


def _digest(code: str) -> str:
    return ApiToken.digest(normalise_code(code))


def normalise_code(code: str) -> str:
    """'abcd-efgh jk' -> 'ABCDEFGHJK': what a person copies or reads back."""
    return "".join(c for c in str(code or "").upper() if c.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def participant_of(organiser: User, login: str) -> User:
    """The participant `login` names, if it belongs to the organiser's organisation or took a
    round of one of its contests (for a unit's focal person: a member of their unit);
    NotFound (404) otherwise, organisers included."""
    from .focal import is_member

    user = find_by_login(login)
    if user is None or user.role != "participant":
        raise NotFound(_l("Không có người dự thi này trong các cuộc thi của bạn."))
    if organiser.role == "focal" and not is_member(organiser, user):
        raise NotFound(_l("Không có người dự thi này trong các cuộc thi của bạn."))
    took_part = exists().where(
        Attempt.user_id == user.id,
        Attempt.round_id == Round.id,
        Round.contest_id == Contest.id,
        Contest.organisation_id == organiser.organisation_id,
    )
    if user.organisation_id != organiser.organisation_id and not db.session.scalar(
        select(took_part)
    ):
        raise NotFound(_l("Không có người dự thi này trong các cuộc thi của bạn."))
    return user


def _new_code(user: User, now: datetime, channel: str, by: User | None) -> tuple[str, datetime]:
    """A fresh code for `user`; any earlier unused one stops working."""
    db.session.execute(
        update(ResetCode)
        .where(ResetCode.user_id == user.id, ResetCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = now + timedelta(hours=CODE_HOURS)
    db.session.add(
        ResetCode(
            user_id=user.id,
            code_hash=_digest(code),
            channel=channel,
            created_by_id=by.id if by else None,
            created_at=now,
            expires_at=expires_at,
        )
    )
    db.session.flush()
    return format_code(code), expires_at


def give_reset_code(organiser: User, login: str, now: datetime) -> tuple[str, datetime, User]:
    """The organiser's button: a code for a participant of its contests, in the audit trail
    (who, for whom, until when; never the code)."""
    user = participant_of(organiser, login)
    code, expires_at = _new_code(user, now, "organiser", organiser)
    record(
        organiser,
        "give_reset_code",
        f"user:{user.id}",
        now,
        label=user.full_name,
        expires_at=iso(expires_at),
    )
    return code, expires_at, user


def code_to_send(login: str, now: datetime, senders: list):
    """(sender, code, expires_at, user) for the participant `login` names, by the first of
    `senders` that can reach them (contest/senders.py); None when nobody or nothing fits. The
    caller answers the same either way, commits, and only then sends (slow work)."""
    user = find_by_login(login)
    if user is None or user.role != "participant":
        return None
    sender = next((s for s in senders if s.can_reach(user)), None)
    if sender is None:
        return None
    code, expires_at = _new_code(user, now, sender.channel, None)
    return sender, code, expires_at, user


def reset_password(login: str, code: str, new_password: str, now: datetime) -> User:
    """Set a new password with a current code; the code is used up and every earlier session
    and token of the account ends. BadResetCode (401) for a wrong, used or expired code."""
    if len(new_password or "") < MIN_PASSWORD:
        raise Invalid(
            fields={"new_password": str(_l("Mật khẩu cần ít nhất %(n)d ký tự.", n=MIN_PASSWORD))}
        )
    new_hash = hash_password(new_password)  # slow: before anything is locked
    user = find_by_login(login)
    if user is None:
        raise BadResetCode()
    used = db.session.execute(
        update(ResetCode)
        .where(
            ResetCode.user_id == user.id,
            ResetCode.code_hash == _digest(code),
            ResetCode.used_at.is_(None),
            ResetCode.expires_at > now,
        )
        .values(used_at=now)
    )
    if used.rowcount != 1:  # a single UPDATE: two tries of one code cannot both succeed
        raise BadResetCode()
    user.password_hash = new_hash
    end_every_session(user)
    db.session.flush()
    return user
