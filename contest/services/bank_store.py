"""Save parsed questions into a bank, all or nothing: the caller commits or rolls back.

A question code (Mã câu hỏi) makes a re-upload update that question instead of adding a copy.
A question some attempt has drawn is never changed in place: it is retired and a new version
takes its code, so every attempt keeps what its participant was shown.
"""

from dataclasses import replace

from sqlalchemy import delete, exists, insert, select

from question_bank.images import StoredImage
from question_bank.parsed import ParsedChoice, ParsedQuestion

from ..extensions import db
from ..models import AttemptQuestion, Bank, Choice, Question, QuestionImage
from ..models.banks import CONTENT_FIELDS
from .bank_copy import copy_questions


def create_bank(organisation_id: int, name: str, questions: list[ParsedQuestion]) -> Bank:
    bank = Bank(organisation_id=organisation_id, name=name)
    db.session.add(bank)
    db.session.flush()
    add_questions(bank, questions)
    return bank


def add_questions(bank: Bank, questions: list[ParsedQuestion]) -> list[int]:
    """Bulk insert (COPY on PostgreSQL, one INSERT for questions and one for choices on
    SQLite): 10,000 rows in seconds. Returns the new questions' ids, in order."""
    if not questions:
        return []
    start = (
        db.session.scalar(select(db.func.max(Question.position)).where(Question.bank_id == bank.id))
        or 0
    ) + 1
    rows = [question_row(bank.id, start + i, q) for i, q in enumerate(questions)]
    if db.session.get_bind().dialect.name == "postgresql":
        ids = copy_questions(rows, questions)
    else:
        ids = insert_questions(rows, questions)
    pictures = [row for qid, q in zip(ids, questions, strict=True) for row in image_rows(qid, q)]
    if pictures:
        db.session.execute(insert(QuestionImage), pictures)
    return ids


def insert_questions(rows: list[dict], questions: list[ParsedQuestion]) -> list[int]:
    """The question rows and their choices as two INSERT statements (SQLite; on PostgreSQL
    bank_copy writes the same rows with COPY). Returns the questions' ids in order."""
    ids = db.session.scalars(
        insert(Question).returning(Question.id, sort_by_parameter_order=True), rows
    ).all()
    db.session.execute(
        insert(Choice),
        [
            {
                "question_id": qid,
                "position": pos,
                "label": c.label,
                "text": c.text,
                "correct": c.correct,
            }
            for qid, q in zip(ids, questions, strict=True)
            for pos, c in enumerate(q.choices)
        ],
    )
    return ids


def image_rows(question_id: int, q: ParsedQuestion) -> list[dict]:
    """The question's picture (label "") and its choices' pictures, as table rows."""
    owned = [("", q.image)] + [(c.label, c.image) for c in q.choices]
    return [
        {
            "question_id": question_id,
            "choice_label": label,
            "sha256": image.sha256,
            "media_type": image.media_type,
            "width": image.width,
            "height": image.height,
            "size": len(image.data),
            "data": image.data,
            "small": image.small,
            "small_width": image.small_width,
            "small_height": image.small_height,
        }
        for label, image in owned
        if image is not None
    ]


def stored_image(row: QuestionImage | None) -> StoredImage | None:
    """A stored picture back in the parser's terms (its bytes read)."""
    if row is None:
        return None
    return StoredImage(
        row.sha256,
        row.media_type,
        row.width,
        row.height,
        row.data,
        row.small,
        row.small_width,
        row.small_height,
    )


def content_fields(q) -> dict:
    """{field: value} of CONTENT_FIELDS, from a ParsedQuestion or a Question."""
    return {field: getattr(q, field) for field in CONTENT_FIELDS}


def question_row(bank_id: int, position: int, q: ParsedQuestion) -> dict:
    return {
        "bank_id": bank_id,
        "position": position,
        "code": q.code or None,
        **content_fields(q),
        "retired": False,
    }


def merge_questions(bank: Bank, questions: list[ParsedQuestion]) -> dict[str, int]:
    """Upload into an existing bank: by code, update (or version) the matching question;
    everything else is added. Returns {created, updated, unchanged}."""
    by_code = {q.code: q for q in active_questions(bank.id) if q.code}
    counts, new = {"created": 0, "updated": 0, "unchanged": 0}, []
    for parsed in questions:
        current = by_code.get(parsed.code) if parsed.code else None
        if current is None:
            new.append(parsed)
            counts["created"] += 1
        elif same_content(current, parsed):
            counts["unchanged"] += 1
        else:
            new += update_question(current, parsed)
            counts["updated"] += 1
    add_questions(bank, new)
    return counts


def active_questions(bank_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.bank_id == bank_id, Question.retired.is_(False))
        )
    )


def same_content(question: Question, parsed: ParsedQuestion) -> bool:
    return parsed_from(question) == replace(parsed, row=0)


def parsed_from(question: Question) -> ParsedQuestion:
    """A stored question in the parser's terms, for comparison and for editing."""
    return ParsedQuestion(
        row=0,
        text=question.text,
        code=question.code or "",
        topic=question.topic,
        difficulty=question.difficulty,
        points=question.points,
        explanation=question.explanation,
        source=question.source,
        keep_choice_order=question.keep_choice_order,
        image=stored_image(question.image_for("")),
        choices=[
            ParsedChoice(c.label, c.text, c.correct, stored_image(question.image_for(c.label)))
            for c in question.choices
        ],
    )


def update_question(question: Question, parsed: ParsedQuestion) -> list[ParsedQuestion]:
    """Change a question; one already drawn is retired and returned to be added anew."""
    if was_drawn(question.id):
        question.retired = True
        return [parsed]
    for key, value in question_row(question.bank_id, question.position, parsed).items():
        setattr(question, key, value)
    db.session.execute(delete(Choice).where(Choice.question_id == question.id))
    db.session.add_all(
        Choice(question_id=question.id, position=pos, label=c.label, text=c.text, correct=c.correct)
        for pos, c in enumerate(parsed.choices)
    )
    db.session.execute(delete(QuestionImage).where(QuestionImage.question_id == question.id))
    pictures = image_rows(question.id, parsed)
    if pictures:
        db.session.execute(insert(QuestionImage), pictures)
    db.session.flush()
    db.session.expire(question, ["choices", "images"])
    return []


def was_drawn(question_id: int) -> bool:
    return db.session.scalar(select(exists().where(AttemptQuestion.question_id == question_id)))
