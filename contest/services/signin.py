"""Sign-in modes per contest: phone + password (the default), or, for a contest that chooses it,
phone + CCCD or phone + birth date with no password, and an optional contest password.

A sign-in of the second kind is a scoped session: it admits only to contests of the same mode
(check_scope), never to the organiser area, and an organiser account cannot sign in that way.
"""

import hmac
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..errors import DomainError, Forbidden, Invalid
from ..models import Contest, User
from ..models.audit import record
from ..models.contests import SIGNIN_FIELD, SIGNIN_MODES
from ..passwords import hash_password, verify_password
from .accounts import find_by_login, normalise_cccd

MIN_CONTEST_PASSWORD = 4
KEEP = object()  # the contest password stays as it is


class BadContestSignin(DomainError):
    status, code = 401, "bad_credentials"
    default_message = _l("Sai số điện thoại hoặc thông tin đăng nhập của cuộc thi.")


class OutOfScope(Forbidden):
    code = "signin_scope"
    default_message = _l(
        "Bạn đã đăng nhập theo cách riêng của một cuộc thi khác. Hãy đăng nhập "
        "bằng số điện thoại và mật khẩu."
    )


class PasswordSignin(Invalid):
    code = "password_signin"
    default_message = _l("Cuộc thi này đăng nhập bằng số điện thoại và mật khẩu.")


def contest_password_hash(secret) -> object:
    """What the settings say about the contest password, hashed before anything is written (no
    lock is held while hashing): KEEP for nothing said, None to remove it, else its hash."""
    if secret is None:
        return KEEP
    if secret == "":
        return None
    if len(secret) < MIN_CONTEST_PASSWORD:
        raise Invalid(
            fields={
                "contest_password": str(
                    _l("Mật khẩu cuộc thi cần ít nhất %(n)d ký tự.", n=MIN_CONTEST_PASSWORD)
                )
            }
        )
    return hash_password(secret)


def split_signin(data: dict) -> tuple[str | None, object]:
    """Take the sign-in settings out of a settings body: (mode, contest_password_hash(...))."""
    return data.pop("signin_mode", None), contest_password_hash(data.pop("contest_password", None))


def set_signin(contest: Contest, mode: str | None, password_hash, user, now) -> Contest:
    """Change the contest's sign-in mode and/or password (recorded in the audit trail; the
    password itself never is, only that it was set or removed)."""
    changes = {}
    if mode is not None and mode != contest.signin_mode:
        if mode not in SIGNIN_MODES:
            raise Invalid(fields={"signin_mode": str(_l("Cách đăng nhập không hợp lệ."))})
        changes["signin_mode"] = [contest.signin_mode, mode]
        contest.signin_mode = mode
    if password_hash is not KEEP and (password_hash or contest.signin_password_hash):
        had = contest.signin_password_hash is not None
        changes["contest_password"] = ["set" if had else "none", "set" if password_hash else "none"]
        contest.signin_password_hash = password_hash
    if changes:
        record(
            user,
            "contest_signin",
            f"contest:{contest.slug}",
            now,
            label=contest.title,
            changes=changes,
        )
    return contest


def _parse_birth_date(raw) -> date | None:
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _secret_matches(user: User, mode: str, secret) -> bool:
    if mode == "phone_cccd":
        typed = normalise_cccd(str(secret or ""))
        return bool(user.cccd) and hmac.compare_digest(typed.encode(), user.cccd.encode())
    typed = _parse_birth_date(secret)
    return user.birth_date is not None and typed == user.birth_date.date()


def authenticate_for_contest(
    contest: Contest, phone: str, secret, contest_password: str | None
) -> User:
    """The participant whose phone and CCCD (or birth date) these are, when the contest uses
    that mode and its password (if any) is right; BadContestSignin otherwise. Reads only: the
    contest password's hash is checked with no lock held, whether the phone is known or not
    (one cost either way)."""
    if contest.signin_mode not in SIGNIN_FIELD:
        raise PasswordSignin()
    user = find_by_login(phone) if "@" not in str(phone or "") else None
    password_ok = True
    if contest.signin_password_hash:
        password_ok = verify_password(contest.signin_password_hash, contest_password or "")
    if user is None or user.is_organiser:
        raise BadContestSignin()
    if not (password_ok and _secret_matches(user, contest.signin_mode, secret)):
        raise BadContestSignin()
    return user


def check_scope(scope: str | None, contest: Contest) -> None:
    """A scoped sign-in reaches only contests signed in the same way."""
    if scope is not None and contest.signin_mode != scope:
        raise OutOfScope()
