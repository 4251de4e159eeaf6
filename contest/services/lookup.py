"""Self lookup (tra cứu): a person finds their own results and certificates with their phone
plus their CCCD or birth date, without logging in. A phone that is unknown and a secret that
does not match answer alike, and only that one person's own data is ever returned. The views
limit tries per address and per normalised phone (a birth date is guessable)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Entry, Round, User
from ..models.certificates import Certificate
from .accounts import normalise_phone


@dataclass
class Lookup:
    user: User
    entries: list[Entry]
    certificates: list[Certificate]


def parse_birth_date(text: str) -> date | None:
    """'1990-05-31' or '31/05/1990' (also with dashes or dots), else None."""
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def find_person(phone: str, cccd: str = "", birth_date: date | None = None) -> User | None:
    """The person whose phone this is, when the CCCD or the birth date matches theirs."""
    user = db.session.scalar(
        select(User).where(User.phone == normalise_phone(phone), User.role == "participant")
    )
    if user is None:
        return None
    cccd = "".join(ch for ch in (cccd or "") if ch.isdigit())
    if cccd and user.cccd and cccd == user.cccd:
        return user
    if (
        birth_date is not None
        and user.birth_date is not None
        and user.birth_date.date() == birth_date
    ):
        return user
    return None


def own_results(user: User) -> Lookup:
    entries = db.session.scalars(
        select(Entry)
        .join(Round, Round.id == Entry.round_id)
        .where(Entry.user_id == user.id)
        .order_by(Round.opens_at, Round.id)
    ).all()
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at, Certificate.id)
    ).all()
    return Lookup(user, entries, certificates)
