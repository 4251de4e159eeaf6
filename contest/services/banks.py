"""Bank uploads: parse in full, show every error and warning, save all or nothing; re-uploads
update by question code; one question edited or retired at a time."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from question_bank.choice_order import needs_fixed_order
from question_bank.edit import field_messages, parse_fields
from question_bank.importer import add_duplicate_warnings, duplicate_key, parse_upload
from question_bank.parsed import ParseResult
from question_bank.upload import Limits
from question_bank.vocab import Difficulty

from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import Bank, PendingUpload, Question
from ..models.audit import record
from .bank_store import (
    active_questions,
    add_questions,
    create_bank,
    merge_questions,
    parsed_from,
    update_question,
)
from .pending_uploads import keep_upload, own_upload
from .question_images import apply_image_change, check_bank_bytes

PAGE_SIZE = 50
MAX_PAGE = 100_000  # ?page= beyond this is this page (empty), not an overflow


def upload_limits() -> Limits:
    cfg = current_app.config
    return Limits(
        max_entries=cfg["XLSX_MAX_ENTRIES"],
        max_uncompressed=cfg["XLSX_MAX_UNCOMPRESSED"],
        max_ratio=cfg["XLSX_MAX_RATIO"],
        max_rows=cfg["IMPORT_MAX_ROWS"],
    )


def check_upload(filename: str, data: bytes, bank: Bank | None = None) -> ParseResult:
    """Parse the whole file; warn about duplicates within it and against `bank`."""
    result = parse_upload(filename, data, upload_limits())
    existing = (
        {}
        if bank is None
        else {duplicate_key(q.text): q.code or f"#{q.position}" for q in active_questions(bank.id)}
    )
    add_duplicate_warnings(result, existing)
    return result


def refuse(result: ParseResult) -> Invalid:
    return Invalid(
        _l("Tệp có %(n)d lỗi; chưa lưu gì.", n=len(result.errors)),
        errors=[e.as_dict() for e in result.errors],
    )


def import_bank(user, name: str, filename: str, data: bytes, now) -> Bank:
    """A new bank from a file, checked in full first (parsed before anything is written)."""
    result = check_upload(filename, data)
    if not result.ok:
        raise refuse(result)
    bank = create_bank(
        user.organisation_id,
        (name or "").strip()[:200] or _default_name(filename),
        result.questions,
    )
    db.session.flush()
    check_bank_bytes(bank.id)
    record(
        user,
        "import_bank",
        f"bank:{bank.id}",
        now,
        label=bank.name,
        file=filename,
        created=len(result.questions),
    )
    return bank


def import_into_bank(bank: Bank, filename: str, data: bytes, user, now) -> dict[str, int]:
    """Re-upload into a bank: questions with the same code are updated."""
    result = check_upload(filename, data, bank)
    if not result.ok:
        raise refuse(result)
    counts = merge_questions(bank, result.questions)
    check_bank_bytes(bank.id)
    record(user, "reimport_bank", f"bank:{bank.id}", now, label=bank.name, file=filename, **counts)
    return counts


def _default_name(filename: str) -> str:
    return filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "Ngân hàng câu hỏi"


def keep_pending(
    user, filename: str, data: bytes, name: str, bank: Bank | None, now
) -> PendingUpload:
    """Hold a checked upload until the organiser confirms it; sweep ones older than a day."""
    return keep_upload(user, "bank", filename, data, now, name, bank.id if bank else None)


def own_pending(user, pending_id: int) -> PendingUpload:
    return own_upload(user, pending_id, "bank")


def confirm_pending(pending: PendingUpload, user, now):
    """Save what was previewed: (bank, counts)."""
    if pending.bank_id:
        bank = db.session.get(Bank, pending.bank_id)
        counts = import_into_bank(bank, pending.filename, pending.data, user, now)
    else:
        bank = import_bank(user, pending.name, pending.filename, pending.data, now)
        counts = {"created": question_count(bank.id), "updated": 0, "unchanged": 0}
    db.session.delete(pending)
    return bank, counts


def bank_summary(bank: Bank) -> dict:
    return {"id": bank.id, "name": bank.name, "question_count": question_count(bank.id)}


def question_count(bank_id: int) -> int:
    return db.session.scalar(
        select(func.count(Question.id)).where(
            Question.bank_id == bank_id, Question.retired.is_(False)
        )
    )


def topics(bank_id: int) -> list[dict]:
    rows = db.session.execute(
        select(Question.topic, func.count(Question.id))
        .where(Question.bank_id == bank_id, Question.retired.is_(False))
        .group_by(Question.topic)
        .order_by(Question.topic)
    )
    return [{"name": name, "count": count} for name, count in rows]


def search_questions(
    bank_id: int,
    text: str = "",
    topic: str | None = None,
    difficulty: str | None = None,
    page: int = 1,
):
    """(questions on the page, total): active questions matching, in bank order."""
    query = select(Question).where(Question.bank_id == bank_id, Question.retired.is_(False))
    if text:
        like = f"%{text.strip()[:100]}%"
        query = query.where(or_(Question.text.ilike(like), Question.code.ilike(like)))
    if topic is not None:
        query = query.where(Question.topic == topic)
    if difficulty:  # a code, or the Vietnamese word as before codes
        code = Difficulty.parse(difficulty)
        query = query.where(Question.difficulty == (code.value if code else difficulty))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Question.position)
        .limit(PAGE_SIZE)
        .offset((min(max(page, 1), MAX_PAGE) - 1) * PAGE_SIZE)
    ).all()
    return rows, total


def own_question(bank: Bank, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.bank_id != bank.id or question.retired:
        raise NotFound()
    return question


def edit_question(
    question: Question,
    values: dict,
    user,
    now,
    image: bytes | None = None,
    remove_image: bool = False,
) -> Question:
    """Checked like an upload row; a drawn question is versioned, never changed in place. The
    pictures stay; `image` replaces the question's own, `remove_image` takes it away."""
    result = parse_fields(values)
    if not result.ok:
        raise Invalid(fields=field_messages(result))
    apply_image_change(result.questions[0], question, image, remove_image)
    before = question_fields(question)
    replacement = update_question(question, result.questions[0])
    saved = question
    if replacement:
        saved = db.session.get(Question, add_questions(question.bank, replacement)[0])
    check_bank_bytes(question.bank_id)
    after = question_fields(saved)
    record(
        user,
        "edit_question",
        f"question:{question.id}",
        now,
        label=question.code or _short(before["text"]),
        bank=question.bank.name,
        new_id=saved.id,
        changes={k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v},
    )
    return saved


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def question_fields(question: Question) -> dict[str, str]:
    """A stored question as the edit form's fields."""
    parsed = parsed_from(question)
    values = {
        "code": parsed.code,
        "text": parsed.text,
        "explanation": parsed.explanation,
        "topic": parsed.topic,
        "difficulty": parsed.difficulty,
        "source": parsed.source,
        "points": f"{parsed.points:g}",
        "keep_order": "Có" if parsed.keep_choice_order else "Không",
        "correct": ",".join(c.label for c in parsed.choices if c.correct),
        "image": parsed.image.sha256[:12] if parsed.image else "",
    }
    values.update({c.label: c.text for c in parsed.choices})
    return values


def order_looks_needed(question: Question) -> bool:
    """Shuffled although a choice refers to others: the edit page warns (the flag stays the
    organiser's choice)."""
    return not question.keep_choice_order and needs_fixed_order(c.text for c in question.choices)


def retire_question(question: Question, user, now) -> None:
    question.retired = True
    db.session.flush()
    record(
        user,
        "retire_question",
        f"question:{question.id}",
        now,
        label=question.code or _short(question.text),
        bank=question.bank.name,
    )
