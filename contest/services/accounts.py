"""Registration and login rules, shared by the API and the pages."""
import re
import unicodedata
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import DEFAULT_ORGANISATION, Organisation, Unit, User
from ..models.contests import PROFILE_FIELDS

PHONE = re.compile(r"^0\d{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GENDERS = ("nam", "nu", "khac")
CATEGORIES = ("cbccvc", "nhan_dan")
MIN_PASSWORD = 6
FIELD_LABELS = {"birth_date": _l("Ngày sinh"), "gender": _l("Giới tính"), "cccd": _l("Số CCCD"),
                "email": _l("E-mail"), "address": _l("Địa chỉ"),
                "occupation": _l("Nghề nghiệp")}


def normalise_phone(raw: str) -> str:
    """'+84 912.345.678' -> '0912345678'."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    return "0" + digits[3:] if digits.startswith("+84") else digits


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
    if data.get("email") and not EMAIL.match(data["email"].strip()):
        errors["email"] = _l("Địa chỉ e-mail không hợp lệ.")
    if data.get("cccd") and not re.fullmatch(r"\d{12}", data["cccd"].strip()):
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
    return {name: str(_l("%(f)s là bắt buộc đối với cuộc thi này.", f=FIELD_LABELS[name]))
            for name in PROFILE_FIELDS
            if contest.field_mode(name) == "required" and not data.get(name)}


def check_registration(data: dict, contest=None) -> tuple[dict[str, str], Unit | None]:
    """Every rule a registration breaks, with its message, and the unit it names. The form's
    as-you-type check and the real registration both call this, so they say the same."""
    errors = registration_errors(data) | required_missing(data, contest)
    unit = None
    if data.get("unit_code"):
        unit = db.session.scalar(select(Unit).filter_by(
            organisation_id=default_organisation().id, code=data["unit_code"].strip().upper()))
        if unit is None:
            errors["unit_code"] = str(_l("Không có đơn vị này trong danh sách."))
    taken = {"phone": normalise_phone(data.get("phone") or ""),
             "cccd": (data.get("cccd") or "").strip(),
             "email": (data.get("email") or "").strip().lower()}
    for name, value in taken.items():
        if name not in errors and value and db.session.scalar(
                select(User.id).where(getattr(User, name) == value)):
            errors[name] = str(TAKEN[name])
    return errors, unit


TAKEN = {"phone": _l("Số điện thoại này đã được đăng ký: hãy đăng nhập bằng số này."),
         "cccd": _l("Số CCCD này đã được đăng ký."),
         "email": _l("Địa chỉ e-mail này đã được đăng ký.")}


def register(data: dict, now: datetime, contest=None, origin=(None, None)) -> User:
    """Create a participant; Invalid (422) for broken rules, Conflict (409) for duplicates.
    With a contest, its registration settings say which profile fields are required."""
    errors, unit = check_registration(data, contest)
    clash = {k: v for k, v in errors.items() if v in {str(m) for m in TAKEN.values()}}
    if errors and len(clash) == len(errors):
        raise Conflict(next(iter(clash.values())), fields=clash)
    if errors:
        raise Invalid(fields=errors)
    org = default_organisation()
    user = User(organisation_id=org.id, role="participant", full_name=" ".join(
        data["full_name"].split()), phone=normalise_phone(data["phone"]),
        email=(data.get("email") or "").strip().lower() or None,
        cccd=(data.get("cccd") or "").strip() or None, unit_id=unit.id,
        birth_date=_date(data.get("birth_date")), gender=data.get("gender") or None,
        address=(data.get("address") or "").strip() or None,
        occupation=(data.get("occupation") or "").strip() or None,
        category=data.get("category") or "cbccvc", created_at=now,
        registered_ip=origin[0], device=origin[1])
    user.set_password(data["password"])
    try:
        with db.session.begin_nested():  # two identical registrations at the same moment
            db.session.add(user)
    except IntegrityError:
        raise Conflict(_l("Số điện thoại, CCCD hoặc e-mail này đã được đăng ký.")) from None
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
    """Fill or correct the optional profile fields (phone and name stay as registered)."""
    errors = {k: v for k, v in registration_errors(
        {"full_name": user.full_name, "phone": user.phone or "0000000000",
         "password": "x" * MIN_PASSWORD, "unit_code": "x"} | data).items()}
    if errors:
        raise Invalid(fields=errors)
    if data.get("cccd") and data["cccd"] != user.cccd and db.session.scalar(
            select(User.id).where(User.cccd == data["cccd"])):
        raise Conflict(_l("Số CCCD này đã được đăng ký."),
                       fields={"cccd": str(_l("Số CCCD này đã được đăng ký."))})
    for name in PROFILE_FIELDS + ("category",):
        if data.get(name) is not None:
            value = data[name]
            setattr(user, name, _date(value) if name == "birth_date" else (value or None))
    db.session.flush()
    return user


def authenticate(login: str, password: str) -> User | None:
    login = (login or "").strip()
    user = db.session.scalar(select(User).where(or_(
        User.phone == normalise_phone(login), User.email == login.lower())))
    return user if user and user.check_password(password or "") else None


def upsert_organiser(email: str, password: str, name: str, org_code: str | None) -> User:
    """The create-organiser command: make or update an organiser of an organisation."""
    org = default_organisation() if not org_code else db.session.scalar(
        select(Organisation).filter_by(code=org_code))
    if org is None:
        org = Organisation(code=org_code, name=org_code)
        db.session.add(org)
        db.session.flush()
    user = db.session.scalar(select(User).filter_by(email=email.strip().lower()))
    if user is None:
        user = User(email=email.strip().lower(), role="organiser")
        db.session.add(user)
    user.organisation_id, user.full_name = org.id, name
    user.role = "admin" if user.role == "admin" else "organiser"
    user.set_password(password)
    db.session.flush()
    return user
