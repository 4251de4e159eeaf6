"""Registration and login rules, shared by the API and the pages."""

import functools
import re
import secrets
import unicodedata
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import DEFAULT_ORGANISATION, Organisation, Unit, User
from ..models.contests import PROFILE_FIELDS
from ..passwords import hash_password, needs_rehash, verify_password
from ..vocab import Category, Gender
from .participations import default_list_id, enter, find_unit

PHONE = re.compile(r"^0[0-9]{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GENDERS = Gender.codes()
CATEGORIES = Category.codes()
MIN_PASSWORD = 6
FIELD_LABELS = {
    "birth_date": _l("Ngày sinh"),
    "gender": _l("Giới tính"),
    "cccd": _l("Số CCCD"),
    "email": _l("E-mail"),
    "address": _l("Địa chỉ"),
    "occupation": _l("Nghề nghiệp"),
}


SEPARATORS = re.compile(r"[\s.\-()/_]")


def _ascii_digits(raw: str, allow_plus: bool = False) -> str | None:
    """NFKC (fullwidth '０９' -> '09'), separators dropped; None unless only ASCII digits are
    left (an Arabic-Indic or Devanagari digit is not a Vietnamese number)."""
    text = SEPARATORS.sub("", unicodedata.normalize("NFKC", str(raw or "")))
    if allow_plus and text.startswith("+"):
        text = text[1:]
    return text if text and re.fullmatch(r"[0-9]+", text) else None


def normalise_phone(raw: str) -> str:
    """One spelling per number: '+84 912.345.678', '84912345678', '0084912345678',
    '０９１２３４５６７８' -> '0912345678'. What is not a phone number comes back as typed
    (stripped), so it fails the PHONE rule and matches no stored number."""
    digits = _ascii_digits(raw, allow_plus=True)
    if digits is None:
        return (str(raw or "")).strip()
    if digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def normalise_cccd(raw: str | None) -> str:
    """'００１ 203-004-005' -> '001203004005'; '' for nothing; as typed when not digits."""
    if not raw or not str(raw).strip():
        return ""
    digits = _ascii_digits(raw)
    return digits if digits is not None else str(raw).strip()


def normalise_email(raw: str | None) -> str:
    """E-mail addresses are one account however their letters are cased."""
    return unicodedata.normalize("NFKC", str(raw or "")).strip().lower()


def login_identity(login: str) -> str:
    """The key a login names: the canonical phone, or the lower-cased e-mail."""
    return normalise_email(login) if "@" in str(login or "") else normalise_phone(login)


def default_organisation() -> Organisation:
    org = db.session.scalar(select(Organisation).filter_by(code=DEFAULT_ORGANISATION))
    if org is None:
        org = Organisation(code=DEFAULT_ORGANISATION, name="Đơn vị tổ chức")
        db.session.add(org)
        db.session.flush()
    return org


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in text)


def registration_errors(data: dict) -> dict[str, str]:
    """Field -> Vietnamese message for every rule the data breaks."""
    errors = {}
    name = (data.get("full_name") or "").strip()
    if not 2 <= len(name) <= 120:
        errors["full_name"] = _l("Nhập họ và tên (2 đến 120 ký tự).")
    elif has_control_characters(name):
        errors["full_name"] = _l("Họ và tên có ký tự không hợp lệ.")
    if not PHONE.match(normalise_phone(data.get("phone") or "")):
        errors["phone"] = _l("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.")
    if len(data.get("password") or "") < MIN_PASSWORD:
        errors["password"] = _l("Mật khẩu cần ít nhất %(n)d ký tự.", n=MIN_PASSWORD)
    if data.get("email") and not EMAIL.match(normalise_email(data["email"])):
        errors["email"] = _l("Địa chỉ e-mail không hợp lệ.")
    if data.get("cccd") and not re.fullmatch(r"[0-9]{12}", normalise_cccd(data["cccd"])):
        errors["cccd"] = _l("Số CCCD gồm đúng 12 chữ số.")
    if data.get("gender") and data["gender"] not in GENDERS:
        errors["gender"] = _l("Giới tính không hợp lệ.")
    if data.get("category") and data["category"] not in CATEGORIES:
        errors["category"] = _l("Đối tượng không hợp lệ.")
    for name in ("address", "occupation"):
        if data.get(name) and (len(data[name]) > 200 or has_control_characters(data[name])):
            errors[name] = _l("Giá trị không hợp lệ.")
    if not data.get("unit_code"):
        errors["unit_code"] = _l("Chọn đơn vị công tác.")
    return {key: str(value) for key, value in errors.items()}


def required_missing(data: dict, contest) -> dict[str, str]:
    """The contest's required registration fields that `data` leaves empty."""
    if contest is None:
        return {}
    return {
        name: str(_l("%(f)s là bắt buộc đối với cuộc thi này.", f=FIELD_LABELS[name]))
        for name in PROFILE_FIELDS
        if contest.field_mode(name) == "required" and not data.get(name)
    }


def check_registration(
    data: dict, contest=None, at_submit: bool = False
) -> tuple[dict[str, str], Unit | None]:
    """Every rule a registration breaks, with its message, and the unit it names (one that can
    be chosen: a leaf of the list, or a grouping row marked selectable). The form's
    as-you-type check and the real registration both call this, so they say the same about
    the rules. Whether a phone is taken is said only `at_submit` (rate-limited); whether a CCCD
    or an e-mail is, never by field (see register)."""
    errors = registration_errors(data) | required_missing(data, contest)
    if contest is not None and contest.without_password and not data.get("password"):
        errors.pop("password", None)  # it signs in with phone + CCCD (or birth date)
    unit = None
    if data.get("unit_code"):  # the contest's list, or the default organisation's
        unit, error = find_unit(
            contest.unit_list_id if contest is not None else default_list_id(), data["unit_code"]
        )
        if error:
            errors["unit_code"] = error
    if at_submit and "phone" not in errors and phone_taken(data.get("phone")):
        errors["phone"] = str(TAKEN["phone"])
    return errors, unit


def phone_taken(raw: str | None, except_id: int | None = None) -> bool:
    return _taken(User.phone, normalise_phone(raw or ""), except_id)


def _taken(column, value: str, except_id: int | None = None) -> bool:
    if not value:
        return False
    query = select(User.id).where(column == value)
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


TAKEN = {
    "phone": _l("Số điện thoại này đã được đăng ký: hãy đăng nhập bằng số này."),
    "cccd": _l("Số CCCD này đã được đăng ký."),
    "email": _l("Địa chỉ e-mail này đã được đăng ký."),
}
# Said without naming the field, so a registration cannot ask whether a CCCD is in the system.
IDENTITY_TAKEN = _l(
    "Thông tin đăng ký trùng với một tài khoản đã có. Nếu bạn đã đăng ký, hãy "
    "đăng nhập; nếu không, hãy liên hệ ban tổ chức."
)


def register(data: dict, now: datetime, contest=None, origin=(None, None)) -> User:
    """Create a participant; Invalid (422) for broken rules, Conflict (409) for duplicates.
    With a contest, its registration settings say which profile fields are required, the
    unit comes from its list, and the new account enters it (its participation)."""
    errors, unit = check_registration(data, contest, at_submit=True)
    if errors and set(errors) == {"phone"} and errors["phone"] == str(TAKEN["phone"]):
        raise Conflict(errors["phone"], fields=errors)
    if errors:
        raise Invalid(fields=errors)
    cccd, email = normalise_cccd(data.get("cccd")), normalise_email(data.get("email"))
    if _taken(User.cccd, cccd) or _taken(User.email, email):
        raise Conflict(IDENTITY_TAKEN)
    org = default_organisation()
    user = User(
        organisation_id=org.id,
        role="participant",
        full_name=" ".join(data["full_name"].split()),
        phone=normalise_phone(data["phone"]),
        email=email or None,
        cccd=cccd or None,
        unit_id=unit.id,
        birth_date=_date(data.get("birth_date")),
        gender=data.get("gender") or None,
        address=(data.get("address") or "").strip() or None,
        occupation=(data.get("occupation") or "").strip() or None,
        category=data.get("category") or "cbccvc",
        created_at=now,
        registered_ip=origin[0],
        device=origin[1],
    )
    # a contest signed in with phone + CCCD (or birth date) asks no password: the account gets
    # one nobody knows (a reset code sets a real one, for password contests)
    user.set_password(data.get("password") or secrets.token_urlsafe(24))
    try:
        with db.session.begin_nested():  # two identical registrations at the same moment
            db.session.add(user)
    except IntegrityError:
        raise Conflict(IDENTITY_TAKEN) from None
    if contest is not None:  # registering into a contest enters it
        enter(user, contest, unit.id, user.category, now)
    return user


def _date(value) -> datetime | None:
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def missing_profile(user: User, contest) -> dict[str, str]:
    """What the contest requires that this participant's profile lacks."""
    values = {name: getattr(user, name) for name in PROFILE_FIELDS}
    return required_missing(values, contest)


def update_profile(user: User, data: dict) -> User:
    """Fill or correct the optional profile fields (phone and name stay as registered).
    A CCCD or e-mail another account holds is a 409 (the same spelling rules as registration)."""
    errors = {
        k: v
        for k, v in registration_errors(
            {
                "full_name": user.full_name,
                "phone": user.phone or "0000000000",
                "password": "x" * MIN_PASSWORD,
                "unit_code": "x",
            }
            | data
        ).items()
    }
    if errors:
        raise Invalid(fields=errors)
    data = dict(data)
    if data.get("cccd"):
        data["cccd"] = normalise_cccd(data["cccd"])
        if _taken(User.cccd, data["cccd"], except_id=user.id):
            raise Conflict(TAKEN["cccd"], fields={"cccd": str(TAKEN["cccd"])})
    if data.get("email"):
        data["email"] = normalise_email(data["email"])
        if _taken(User.email, data["email"], except_id=user.id):
            raise Conflict(TAKEN["email"], fields={"email": str(TAKEN["email"])})
    for name in PROFILE_FIELDS + ("category",):
        if data.get(name) is not None:
            value = data[name]
            setattr(user, name, _date(value) if name == "birth_date" else (value or None))
    try:
        with db.session.begin_nested():  # another account took it a moment ago
            db.session.flush()
    except IntegrityError:
        raise Conflict(IDENTITY_TAKEN) from None
    return user


def change_password(user: User, current: str, new: str) -> User:
    """A logged-in person's new password; every session and token of the account ends (the
    caller signs this browser in again). Invalid (422) for a wrong current or short new one."""
    from .sessions import end_every_session

    if not user.check_password(current or ""):
        raise Invalid(fields={"current_password": str(_l("Mật khẩu hiện tại không đúng."))})
    if len(new or "") < MIN_PASSWORD:
        raise Invalid(
            fields={"new_password": str(_l("Mật khẩu cần ít nhất %(n)d ký tự.", n=MIN_PASSWORD))}
        )
    user.password_hash = hash_password(new)
    end_every_session(user)
    db.session.flush()
    return user


@functools.cache
def _dummy_hash() -> str:
    """Checked when no account matches, so a login costs the same either way."""
    return hash_password(secrets.token_urlsafe(16))


def find_by_login(login: str) -> User | None:
    key = login_identity(login)
    if not key:
        return None
    column = User.email if "@" in key else User.phone
    return db.session.scalar(select(User).where(column == key))


def authenticate(login: str, password: str) -> User | None:
    """The account whose password this is, or None. An account still holding an older kind
    of hash gets an Argon2id one, made here before anything is written (the caller's write,
    the new session, stores it in the same transaction)."""
    user = find_by_login(login)
    if user is None:
        verify_password(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or ""):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


class ParticipantEmail(Conflict):
    code = "participant_email"
    default_message = _l(
        "E-mail này thuộc tài khoản của một người dự thi. Dùng --promote nếu "
        "thực sự muốn chuyển tài khoản này thành ban tổ chức."
    )


def upsert_organiser(
    email: str,
    password: str,
    name: str,
    org_code: str | None,
    promote: bool = False,
    role: str | None = None,
    instance_admin: bool = False,
) -> User:
    """The create-organiser command: make or update a member of an organisation's team.
    Without `role`, a new member is an organiser and an existing one keeps theirs. A
    participant's e-mail is refused unless
    `promote`; a promotion, a role change or a new password ends every session and token of
    the account. `instance_admin` also makes them the instance administrator."""
    from ..models.accounts import STAFF_ROLES
    from .sessions import end_every_session

    email = normalise_email(email)
    user = db.session.scalar(select(User).filter_by(email=email))
    if user is not None and not user.is_staff and not promote:
        raise ParticipantEmail()
    if role is not None and role not in STAFF_ROLES or role == "focal":
        raise Invalid(_l("Vai trò không hợp lệ (admin, organiser hoặc viewer)."))
    org = (
        default_organisation()
        if not org_code
        else db.session.scalar(select(Organisation).filter_by(code=org_code))
    )
    if org is None:
        org = Organisation(code=org_code, name=org_code)
        db.session.add(org)
        db.session.flush()
    existing = user is not None
    if user is None:
        user = User(email=email, role="participant", organisation_id=org.id, full_name=name)
        db.session.add(user)
    role_before = user.role
    if role is None:
        role = user.role if user.is_staff and user.role != "focal" else "organiser"
    user.organisation_id, user.full_name, user.role = org.id, name, role
    user.focal_unit_id = None
    user.is_instance_admin = user.is_instance_admin or instance_admin
    changed_password = not existing or not user.check_password(password)
    if changed_password:
        user.set_password(password)
    db.session.flush()
    if existing and (changed_password or role_before != user.role):
        end_every_session(user)
    return user


def make_instance_admin(email: str) -> User:
    """The make-instance-admin command: an existing team member also manages organisations."""
    user = db.session.scalar(select(User).filter_by(email=normalise_email(email)))
    if user is None or not user.is_staff:
        raise Invalid(_l("Không có tài khoản ban tổ chức với e-mail này."))
    user.is_instance_admin = True
    db.session.flush()
    return user
