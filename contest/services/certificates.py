"""Certificates (giấy chứng nhận): the contest's rule, issuing, and whether one is valid.

The rule, per contest: `winners` gives every confirmed prize winner of a round, and of the
contest's final prizes (services.final_prizes), a certificate;
`participation` gives one to whoever scored at least `min_score_ratio` of the maximum in at
least `min_rounds` finalised rounds of the contest. Issuing is idempotent (a unique key per
achievement), so it runs whenever something may have earned one: prizes confirmed, a round
finalised, the rule saved.

Validity is read, not stored: a prize certificate is valid while its entry is not voided and the
round's confirmed prizes still hold that prize for it (a final prize: while the contest's
confirmed final list holds it); a participation certificate while enough
non-voided qualifying entries remain for the rule it was issued under. So voiding an entry (or
reopening a prize list) makes the certificate answer invalid with the reason, and confirming the
same list again makes it valid again, under the same code.
"""

import io
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import Award, Contest, Entry, Participation, Round, Unit, User
from ..models.audit import record
from ..models.certificates import PARTICIPATION, PRIZE, Certificate
from ..models.final_prizes import FinalAward
from .prizes import PRIZE_LABELS

# Crockford's base32 without I, L, O, U: nothing to misread when a code is typed from paper
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 16  # 80 random bits


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def normal_code(code: str) -> str:
    """A code as typed (lower case, spaces, no dashes) in its printed form."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def set_rule(contest: Contest, rule: dict, user, now: datetime) -> dict:
    """Save the contest's rule (recorded with what changed) and issue what it now earns."""
    if not rule["winners"] and rule.get("participation") is None:
        raise Invalid(_l("Hãy chọn ít nhất một loại giấy chứng nhận: đạt giải hoặc tham gia."))
    before = contest.certificate_rule
    contest.certificate_rule = rule
    record(
        user,
        "certificate_rule",
        f"contest:{contest.slug}",
        now,
        label=contest.title,
        changes={"certificate_rule": [before, rule]},
    )
    db.session.flush()
    issue_certificates(contest, now)
    return rule


MAX_IMAGE = 1024 * 1024
IMAGE_KINDS = ("signature", "seal")


def set_images(contest: Contest, images: dict[str, bytes | None], user, now: datetime) -> None:
    """Store (bytes) or remove (None) the signature and seal images printed on certificates:
    PNG only (transparency over the text), at most 1 MB and 2000 px a side."""
    for kind, data in images.items():
        if data is not None:
            check_png(data)
        setattr(contest, f"certificate_{kind}", data)
    record(
        user,
        "certificate_images",
        f"contest:{contest.slug}",
        now,
        label=contest.title,
        changes={
            kind: [None, "removed" if data is None else f"{len(data)} bytes"]
            for kind, data in images.items()
        },
    )
    db.session.flush()


def check_png(data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    message = _l("Ảnh chữ ký và con dấu phải là tệp PNG (nền trong suốt), không quá 1 MB.")
    if len(data) > MAX_IMAGE or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise Invalid(message)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            if max(image.size) > 2000:
                raise Invalid(message)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Invalid(message) from None


def issue_certificates(contest: Contest, now: datetime) -> int:
    """Issue every certificate the rule earns and none yet holds; how many were issued."""
    rule = contest.certificate_rule
    if not rule:
        return 0
    issued = 0
    with force_locale("vi"):  # the achievement is written as printed, in Vietnamese
        if rule.get("winners"):
            issued += _issue_all(list(_prize_candidates(contest)), now)
            issued += _issue_all(list(_final_candidates(contest)), now)
        if rule.get("participation"):
            issued += _issue_all(
                list(_participation_candidates(contest, rule["participation"])), now
            )
    db.session.flush()
    return issued


def _prize_candidates(contest: Contest):
    rows = db.session.execute(
        select(Award, Round)
        .join(Round, Round.id == Award.round_id)
        .where(Round.contest_id == contest.id, Round.prizes_confirmed_at.is_not(None))
        .options(selectinload(Award.entry).selectinload(Entry.user))
        .order_by(Round.opens_at, Award.rank)
    ).all()
    units = {
        u.id: u.name
        for u in db.session.scalars(select(Unit).where(Unit.unit_list_id == contest.unit_list_id))
    }
    existing = _existing_keys(contest.id, PRIZE)
    for award, rnd in rows:
        key = f"prize:{rnd.id}:{award.user_id}:{award.prize}"
        if key not in existing:
            entry = award.entry
            yield Certificate(
                key=key,
                contest_id=contest.id,
                round_id=rnd.id,
                entry_id=entry.id,
                user_id=award.user_id,
                kind=PRIZE,
                prize=award.prize,
                full_name=entry.user.full_name,
                unit_name=units.get(entry.unit_id),
                achievement=str(
                    _l("Đạt %(prize)s %(round)s", prize=PRIZE_LABELS[award.prize], round=rnd.name)
                ),
                basis={},
            )


def _final_candidates(contest: Contest):
    """The confirmed final prizes (services.final_prizes), with the units as confirmed."""
    if contest.final_prizes_confirmed_at is None:
        return
    people = (contest.final_prize_snapshot or {}).get("people", {})
    existing = _existing_keys(contest.id, PRIZE)
    for award in db.session.scalars(
        select(FinalAward)
        .where(FinalAward.contest_id == contest.id)
        .options(selectinload(FinalAward.user))
        .order_by(FinalAward.rank)
    ):
        key = f"final:{award.user_id}:{award.prize}"
        if key not in existing:
            yield Certificate(
                key=key,
                contest_id=contest.id,
                user_id=award.user_id,
                kind=PRIZE,
                prize=award.prize,
                full_name=award.user.full_name,
                unit_name=people.get(str(award.user_id)) or None,
                achievement=str(_l("Đạt %(prize)s chung cuộc", prize=PRIZE_LABELS[award.prize])),
                basis={"final": True},
            )


def _participation_candidates(contest: Contest, rule: dict):
    existing = _existing_keys(contest.id, PARTICIPATION)
    counts = qualifying_counts(contest.id, rule["min_score_ratio"])
    wanted = [
        uid
        for uid, n in counts.items()
        if n >= rule["min_rounds"] and f"participation:{uid}" not in existing
    ]
    units = (
        dict(
            db.session.execute(
                select(Participation.user_id, Unit.name)
                .join(Unit, Unit.id == Participation.unit_id)
                .where(Participation.contest_id == contest.id, Participation.user_id.in_(wanted))
            ).all()
        )
        if wanted
        else {}
    )
    for user in db.session.scalars(select(User).where(User.id.in_(wanted))) if wanted else ():
        yield Certificate(
            key=f"participation:{user.id}",
            contest_id=contest.id,
            user_id=user.id,
            kind=PARTICIPATION,
            full_name=user.full_name,
            unit_name=units.get(user.id),
            achievement=participation_text(rule, counts[user.id]),
            basis=dict(rule),
        )


def participation_text(rule: dict, rounds: int) -> str:
    return str(
        _l(
            "Tham gia và đạt từ %(pct)s%% số điểm trở lên ở %(n)d đợt thi",
            pct=f"{rule['min_score_ratio'] * 100:g}",
            n=rounds,
        )
    )


def qualifying_counts(contest_id: int, ratio: float, user_id: int | None = None) -> dict:
    """{user id: finalised rounds of the contest where the person's non-voided entry scored at
    least `ratio` of the maximum}."""
    query = (
        select(Entry.user_id, func.count())
        .join(Round, Round.id == Entry.round_id)
        .where(
            Round.contest_id == contest_id,
            Round.finalized_at.is_not(None),
            Entry.voided.is_(False),
            Entry.max_score > 0,
            Entry.score >= Entry.max_score * ratio,
        )
        .group_by(Entry.user_id)
    )
    if user_id is not None:
        query = query.where(Entry.user_id == user_id)
    return dict(db.session.execute(query).all())


def _existing_keys(contest_id: int, kind: str) -> set[str]:
    return set(
        db.session.scalars(
            select(Certificate.key).where(
                Certificate.contest_id == contest_id, Certificate.kind == kind
            )
        )
    )


def _issue_all(certs: list[Certificate], now: datetime) -> int:
    """Add them in one go; when another request issued some of the same achievements at the
    same moment (the unique key), one by one, skipping those. How many were added."""
    for cert in certs:
        cert.code, cert.issued_at = new_code(), now
    try:
        with db.session.begin_nested():
            db.session.add_all(certs)
        return len(certs)
    except IntegrityError:
        pass
    added = 0
    for cert in certs:
        fresh = Certificate(
            **{c.key: getattr(cert, c.key) for c in Certificate.__table__.columns if c.key != "id"}
        )
        try:
            with db.session.begin_nested():
                db.session.add(fresh)
            added += 1
        except IntegrityError:
            continue
    return added


@dataclass
class Status:
    valid: bool
    reason: str | None


def certificate_status(cert: Certificate) -> Status:
    """Whether the certificate holds today, and why not (see the module's doc)."""
    if cert.revoked_at is not None:
        return Status(False, cert.revoked_reason)
    if cert.kind == PRIZE:
        return _prize_status(cert)
    return _participation_status(cert)


def _prize_status(cert: Certificate) -> Status:
    if cert.round_id is None:
        return _final_status(cert)
    entry = cert.entry
    if entry is None or entry.voided:
        return Status(
            False,
            str(_l("Kết quả bài dự thi đã bị huỷ: %(r)s", r=entry.void_reason if entry else "")),
        )
    held = db.session.scalar(
        select(Award.prize).where(Award.round_id == cert.round_id, Award.entry_id == entry.id)
    )
    if cert.round.prizes_confirmed_at is None:
        return Status(False, str(_l("Danh sách giải của đợt thi đang được xem xét lại.")))
    if held != cert.prize:
        return Status(False, str(_l("Danh sách giải đã được sửa: giải này không còn.")))
    return Status(True, None)


def _final_status(cert: Certificate) -> Status:
    """A final prize holds while the contest's confirmed final list gives it to the person."""
    if cert.contest.final_prizes_confirmed_at is None:
        return Status(False, str(_l("Danh sách giải chung cuộc đang được xem xét lại.")))
    held = db.session.scalar(
        select(FinalAward.prize).where(
            FinalAward.contest_id == cert.contest_id, FinalAward.user_id == cert.user_id
        )
    )
    if held != cert.prize:
        return Status(False, str(_l("Danh sách giải đã được sửa: giải này không còn.")))
    return Status(True, None)


def _participation_status(cert: Certificate) -> Status:
    rule = cert.basis
    count = qualifying_counts(cert.contest_id, rule["min_score_ratio"], cert.user_id)
    if count.get(cert.user_id, 0) >= rule["min_rounds"]:
        return Status(True, None)
    reasons = db.session.scalars(
        select(Entry.void_reason)
        .join(Round, Round.id == Entry.round_id)
        .where(
            Round.contest_id == cert.contest_id,
            Entry.user_id == cert.user_id,
            Entry.voided.is_(True),
        )
    ).all()
    return Status(
        False, str(_l("Kết quả bài dự thi đã bị huỷ: %(r)s", r="; ".join(r for r in reasons if r)))
    )


def by_code(code: str) -> Certificate:
    cert = db.session.scalar(select(Certificate).where(Certificate.code == normal_code(code)))
    if cert is None:
        raise NotFound(_l("Không có giấy chứng nhận mang mã này."))
    return cert


def user_certificates(user_id: int) -> list[Certificate]:
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user_id)
        .order_by(Certificate.issued_at, Certificate.id)
    ).all()


def may_download(cert: Certificate, user) -> bool:
    """The owner, or an organiser of the organisation that runs the contest."""
    if user.id == cert.user_id:
        return True
    from ..auth import can

    return can(user, "read_results", cert.contest.organisation_id)
