"""Organisations, as the instance administrator manages them (create, rename, logo, public
address) and as the public sees them (a page per organisation, the home page's open contests).
Each change is in the audit trail of the organisation it changed."""

import io
import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import AuditEntry, Contest, Organisation, User
from ..models.accounts import slug_from
from ..timing import OPEN, UPCOMING, round_status

MAX_LOGO = 300 * 1024
MAX_LOGO_SIDE = 1000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
CODE = re.compile(r"^[A-Za-z0-9_-]{2,40}$")


def _audit(admin: User, org: Organisation, action: str, now: datetime, **details) -> None:
    """In the changed organisation's trail (not the administrator's own organisation's)."""
    db.session.add(
        AuditEntry(
            organisation_id=org.id,
            user_id=admin.id,
            action=action,
            target=f"organisation:{org.code}",
            details=details,
            at=now,
        )
    )


def organisation_by_slug(slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound()
    return org


def all_organisations() -> list[tuple[Organisation, int, int]]:
    """Every organisation with its number of contests and of staff."""
    contests = (
        select(func.count(Contest.id))
        .where(Contest.organisation_id == Organisation.id)
        .scalar_subquery()
    )
    staff = (
        select(func.count(User.id))
        .where(
            User.organisation_id == Organisation.id,
            User.role.in_(("admin", "organiser", "viewer", "focal")),
        )
        .scalar_subquery()
    )
    return [
        tuple(row)
        for row in db.session.execute(
            select(Organisation, contests, staff).order_by(Organisation.name)
        )
    ]


def _errors(code: str | None, name: str, slug: str, except_id: int | None) -> dict[str, str]:
    errors = {}
    if code is not None:
        if not CODE.match(code):
            errors["code"] = str(_l("Mã tổ chức gồm 2 đến 40 chữ cái không dấu, chữ số, - hoặc _."))
        elif db.session.scalar(select(Organisation.id).where(Organisation.code == code)):
            errors["code"] = str(_l("Mã tổ chức này đã có."))
    if not 2 <= len(name) <= 200:
        errors["name"] = str(_l("Nhập tên tổ chức (2 đến 200 ký tự)."))
    if not SLUG.match(slug):
        errors["slug"] = str(
            _l(
                "Địa chỉ trang gồm chữ thường không dấu, chữ số và dấu -, "
                "không bắt đầu hay kết thúc bằng -."
            )
        )
    elif db.session.scalar(
        select(Organisation.id).where(
            Organisation.slug == slug, Organisation.id != (except_id or 0)
        )
    ):
        errors["slug"] = str(_l("Địa chỉ trang này đã có tổ chức khác dùng."))
    return errors


def create_organisation(
    admin: User, code: str, name: str, slug: str, now: datetime
) -> Organisation:
    code, name = (code or "").strip(), " ".join((name or "").split())
    org = _add_organisation(code, name, (slug or "").strip().lower() or code.lower())
    _audit(admin, org, "create_organisation", now, label=name, code=code, slug=slug)
    return org


def upsert_organisation(code: str, name: str, slug: str | None) -> tuple[Organisation, bool]:
    """The create-organisation command: a new organisation, or (same code) only a new name."""
    code, name = (code or "").strip(), " ".join((name or "").split())
    org = db.session.scalar(select(Organisation).where(Organisation.code == code))
    if org is not None:
        errors = _errors(None, name, org.slug, org.id)
        if errors:
            raise Invalid(fields=errors)
        org.name = name
        db.session.flush()
        return org, False
    return _add_organisation(code, name, (slug or "").strip().lower() or slug_from(code)), True


def _add_organisation(code: str, name: str, slug: str) -> Organisation:
    """A new organisation, once code, name and slug pass (Invalid with every field's error)."""
    errors = _errors(code, name, slug, None)
    if errors:
        raise Invalid(fields=errors)
    org = Organisation(code=code, name=name, slug=slug)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(
    admin: User, org_id: int, name: str, slug: str, now: datetime
) -> Organisation:
    """Rename it, or change its public address."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound()
    name, slug = " ".join((name or "").split()), (slug or "").strip().lower()
    errors = _errors(None, name, slug, org.id)
    if errors:
        raise Invalid(fields=errors)
    changes = {
        k: [getattr(org, k), v] for k, v in (("name", name), ("slug", slug)) if getattr(org, k) != v
    }
    org.name, org.slug = name, slug
    db.session.flush()
    if changes:
        _audit(admin, org, "update_organisation", now, label=name, changes=changes)
    return org


def check_logo(data: bytes) -> str:
    """The logo's media type, if it is a PNG or JPEG of at most 300 KB and 1000 px a side."""
    from PIL import Image, UnidentifiedImageError

    message = _l("Logo phải là ảnh PNG hoặc JPEG, không quá 300 KB và 1000 điểm ảnh mỗi chiều.")
    if not data or len(data) > MAX_LOGO:
        raise Invalid(fields={"logo": str(message)})
    try:
        with Image.open(io.BytesIO(data), formats=list(LOGO_TYPES)) as image:
            kind = image.format
            if max(image.size) > MAX_LOGO_SIDE:
                raise Invalid(fields={"logo": str(message)})
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Invalid(fields={"logo": str(message)}) from None
    return LOGO_TYPES[kind]


def set_logo(admin: User, org_id: int, data: bytes | None, now: datetime) -> Organisation:
    """Store (bytes, checked first) or remove (None) the logo."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound()
    kind = check_logo(data) if data is not None else None
    org.logo, org.logo_type = data, kind
    db.session.flush()
    _audit(
        admin,
        org,
        "organisation_logo",
        now,
        label=org.name,
        changes={"logo": [None, "removed" if data is None else f"{len(data)} bytes"]},
    )
    return org


def open_contests(now: datetime) -> list[tuple[Organisation, list[Contest]]]:
    """[(organisation, [its contests with a round open now or still to open])], organisations
    by name, the newest contest first."""
    rows = db.session.execute(
        select(Organisation, Contest)
        .join(Contest, Contest.organisation_id == Organisation.id)
        .options(selectinload(Contest.rounds))
        .order_by(Organisation.name, Organisation.id, Contest.created_at.desc())
    ).all()
    groups: dict[int, tuple] = {}
    for org, contest in rows:
        if any(round_status(r, now) in (OPEN, UPCOMING) for r in contest.rounds):
            groups.setdefault(org.id, (org, []))[1].append(contest)
    return list(groups.values())


def contests_of(organisation_id: int) -> list[Contest]:
    return db.session.scalars(
        select(Contest)
        .where(Contest.organisation_id == organisation_id)
        .order_by(Contest.created_at.desc())
    ).all()
