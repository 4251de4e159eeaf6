"""An organisation's team: its admins invite people by a one-time code with a role, change a
role, remove someone from the team. A role given, changed or taken away ends every session and
token of the account (what it could do changed). Every step is in the audit trail."""

import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import ApiToken, Invitation, Unit, User
from ..models.accounts import STAFF_ROLES
from ..models.audit import record
from ..timing import iso
from ..vocab import Role
from .accounts import EMAIL, MIN_PASSWORD, has_control_characters, normalise_email
from .sessions import end_every_session

INVITATION_DAYS = 7
ROLE_NAMES = {r.value: r.label for r in Role}


class BadInvitation(NotFound):
    code = "bad_invitation"
    default_message = _l("Lời mời không đúng, đã được dùng hoặc đã hết hạn.")


def role_name(role: str) -> str:
    return str(ROLE_NAMES.get(role, role))


def staff_of(organisation_id: int) -> list[User]:
    """The team, admins first, then by name."""
    order = {role: i for i, role in enumerate(STAFF_ROLES)}
    people = db.session.scalars(
        select(User).where(User.organisation_id == organisation_id, User.role.in_(STAFF_ROLES))
    ).all()
    return sorted(people, key=lambda u: (order[u.role], u.full_name))


def open_invitations(organisation_id: int, now: datetime) -> list[Invitation]:
    return db.session.scalars(
        select(Invitation)
        .where(
            Invitation.organisation_id == organisation_id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.id.desc())
    ).all()


def _focal_unit(admin: User, role: str, unit_code: str) -> Unit | None:
    """The unit a focal person answers for (one of the admin's organisation's); None for any
    other role."""
    if role != "focal":
        return None
    unit = db.session.scalar(
        select(Unit).where(
            Unit.organisation_id == admin.organisation_id,
            Unit.code == (unit_code or "").strip().upper(),
        )
    )
    if unit is None:
        raise Invalid(fields={"unit_code": str(_l("Chọn một đơn vị của tổ chức."))})
    return unit


def _check_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise Invalid(fields={"role": str(_l("Vai trò không hợp lệ."))})


def invite(admin: User, role: str, unit_code: str, now: datetime) -> tuple[str, Invitation]:
    """A new invitation; its code in clear, shown once (only its SHA-256 is kept)."""
    _check_role(role)
    unit = _focal_unit(admin, role, unit_code)
    code = secrets.token_urlsafe(24)
    invitation = Invitation(
        organisation_id=admin.organisation_id,
        role=role,
        focal_unit_id=unit.id if unit else None,
        code_hash=ApiToken.digest(code),
        created_by_id=admin.id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    record(
        admin,
        "invite_staff",
        f"invitation:{invitation.id}",
        now,
        role=role_name(role),
        unit=unit.name if unit else "",
        expires_at=iso(invitation.expires_at),
    )
    return code, invitation


def _of_team(admin: User, model, row_id: int, usable):
    """The admin's organisation's `model` row `row_id` if `usable(row)`; 404 otherwise (another
    organisation's, or none)."""
    row = db.session.get(model, row_id)
    if row is None or row.organisation_id != admin.organisation_id or not usable(row):
        raise NotFound()
    return row


def cancel_invitation(admin: User, invitation_id: int, now: datetime) -> None:
    invitation = _of_team(admin, Invitation, invitation_id, lambda i: i.used_at is None)
    invitation.used_at = now  # used up, by nobody
    record(
        admin,
        "cancel_invitation",
        f"invitation:{invitation.id}",
        now,
        role=role_name(invitation.role),
    )
    db.session.flush()


def invitation_by_code(code: str, now: datetime) -> Invitation:
    """The current invitation `code` opens; BadInvitation (the same answer whatever is wrong)
    otherwise."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.code_hash == ApiToken.digest(str(code or "")[:100]))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise BadInvitation()
    return invitation


def _use(invitation: Invitation, user: User, now: datetime) -> None:
    """Mark the invitation used by `user`, once: two accepting at the same moment, one wins."""
    used = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now, used_by_id=user.id)
    )
    if used.rowcount != 1:
        raise BadInvitation()


def _record_joined(user: User, invitation: Invitation, now: datetime, before: str) -> None:
    record(
        user,
        "accept_invitation",
        f"user:{user.id}",
        now,
        label=user.full_name,
        role=role_name(invitation.role),
        before=role_name(before),
    )


def accept(invitation: Invitation, user: User, now: datetime) -> User:
    """A signed-in person takes the invitation: a participant (or a member of the same team)
    gets its role. Every session and token of the account ends; the caller signs this
    browser in again."""
    if user.role in STAFF_ROLES and user.organisation_id != invitation.organisation_id:
        raise Conflict(_l("Tài khoản này đã thuộc ban tổ chức của một tổ chức khác."))
    _use(invitation, user, now)
    before = user.role
    user.organisation_id, user.role = invitation.organisation_id, invitation.role
    user.focal_unit_id = invitation.focal_unit_id
    db.session.flush()
    end_every_session(user)
    _record_joined(user, invitation, now, before)
    return user


def account_errors(name: str, email: str, password: str) -> dict[str, str]:
    errors = {}
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 120 or has_control_characters(name):
        errors["full_name"] = str(_l("Nhập họ và tên (2 đến 120 ký tự)."))
    if not EMAIL.match(normalise_email(email)) or len(email) > 200:
        errors["email"] = str(_l("Địa chỉ e-mail không hợp lệ."))
    elif db.session.scalar(select(User.id).where(User.email == normalise_email(email))):
        errors["email"] = str(_l("E-mail này đã có tài khoản: hãy đăng nhập rồi mở lại lời mời."))
    if not MIN_PASSWORD <= len(password or "") <= 200:
        errors["password"] = str(_l("Mật khẩu cần ít nhất %(n)d ký tự.", n=MIN_PASSWORD))
    return errors


def join_with_new_account(
    invitation: Invitation, name: str, email: str, password: str, now: datetime
) -> User:
    """A new account with the invitation's role (the password is hashed before any write)."""
    errors = account_errors(name, email, password)
    if errors:
        raise Invalid(fields=errors)
    user = User(
        organisation_id=invitation.organisation_id,
        role=invitation.role,
        focal_unit_id=invitation.focal_unit_id,
        full_name=" ".join(name.split()),
        email=normalise_email(email),
        created_at=now,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _use(invitation, user, now)
    _record_joined(user, invitation, now, "")
    return user


def member_of_team(admin: User, user_id: int) -> User:
    """One of the admin's team; 404 for anyone else (another organisation's people too)."""
    user = _of_team(admin, User, user_id, lambda u: u.role in STAFF_ROLES)
    if user.id == admin.id:
        raise Conflict(
            _l("Bạn không thể tự đổi vai trò của chính mình; nhờ một quản trị khác làm việc này.")
        )
    return user


def change_role(admin: User, user_id: int, role: str, unit_code: str, now: datetime) -> User:
    _check_role(role)
    user = member_of_team(admin, user_id)
    unit = _focal_unit(admin, role, unit_code)
    before = (user.role, user.focal_unit.name if user.focal_unit else "")
    user.role, user.focal_unit_id = role, unit.id if unit else None
    db.session.flush()
    ended = end_every_session(user)
    record(
        admin,
        "change_staff_role",
        f"user:{user.id}",
        now,
        label=user.full_name,
        sessions_ended=ended,
        changes={
            "role": [role_name(before[0]), role_name(role)],
            "unit": [before[1], unit.name if unit else ""],
        },
    )
    return user


def remove_from_team(admin: User, user_id: int, now: datetime) -> User:
    """The person keeps an account, as a participant: no role, no session, no token."""
    user = member_of_team(admin, user_id)
    before = user.role
    user.role, user.focal_unit_id = "participant", None
    db.session.flush()
    ended = end_every_session(user)
    record(
        admin,
        "remove_staff",
        f"user:{user.id}",
        now,
        label=user.full_name,
        role=role_name(before),
        sessions_ended=ended,
    )
    return user
