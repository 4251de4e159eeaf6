"""Pictures of questions and choices: who may see one, how an attempt names them, and the
organiser's add/replace/remove on the question's edit page.

A participant sees a picture only through an attempt of theirs that drew its question; an
organiser, through a bank of their organisation. Anyone else gets a 404, as if the picture
did not exist. Pictures are named by their content's sha256, never by the bank's choice letter,
so a URL says nothing about where a choice sits in the bank (choice pictures follow the
attempt's random choice ids and shuffled order like the choices' texts)."""

import base64
import functools
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, select

from question_bank.images import ImageRefused, accept_image

from ..errors import Invalid, NotFound
from ..extensions import db
from ..models import Attempt, AttemptQuestion, Choice, Question, QuestionImage
from ..raw_sql import raw
from .bank_store import stored_image

MAX_BANK_BYTES = 200 * 1024 * 1024  # every picture of one bank's questions in use, as stored


class Picture(NamedTuple):
    """What a page or the API needs to show a picture (no bytes)."""

    sha256: str
    width: int
    height: int
    small_width: int | None


def attempt_pictures(question_ids: list[int]) -> tuple[dict[int, Picture], dict[int, Picture]]:
    """({question id: its picture}, {choice id: its picture}) for the drawn questions, in one
    statement: a choice's picture is found by its question and label, then named by its id."""
    if not question_ids:
        return {}, {}
    conn = db.session.connection()  # built once for each count, run on the DBAPI cursor
    ids = {f"q{i}": question_id for i, question_id in enumerate(question_ids)}
    stems, by_choice = {}, {}
    for question_id, label, choice_id, *picture in raw(
        _pictures(len(question_ids)), conn.dialect
    ).rows(conn, ids):
        if not label:
            stems[question_id] = Picture(*picture)
        elif choice_id is not None:
            by_choice[choice_id] = Picture(*picture)
    return stems, by_choice


@functools.lru_cache(maxsize=64)  # one for each number of questions a round draws
def _pictures(count: int):
    images = QuestionImage.__table__.c
    choices = Choice.__table__.c
    ids = [bindparam(f"q{i}", type_=images.question_id.type) for i in range(count)]
    return (
        select(
            images.question_id,
            images.choice_label,
            choices.id,
            images.sha256,
            images.width,
            images.height,
            images.small_width,
        )
        .select_from(
            QuestionImage.__table__.outerjoin(
                Choice.__table__,
                and_(
                    choices.question_id == images.question_id, choices.label == images.choice_label
                ),
            )
        )
        .where(images.question_id.in_(ids))
    )


def attempt_image(attempt: Attempt, sha256: str) -> QuestionImage:
    """A picture of a question the attempt drew; 404 otherwise. The caller checked the attempt
    is the person's and within their sign-in's scope (services.attempts.own_attempt)."""
    drawn = select(AttemptQuestion.question_id).where(AttemptQuestion.attempt_id == attempt.id)
    return _first(
        select(QuestionImage).where(
            QuestionImage.sha256 == sha256, QuestionImage.question_id.in_(drawn)
        )
    )


def bank_image(bank, sha256: str) -> QuestionImage:
    """A picture of one of the bank's questions (the caller checked the bank is theirs)."""
    return _first(
        select(QuestionImage)
        .join(Question, Question.id == QuestionImage.question_id)
        .where(QuestionImage.sha256 == sha256, Question.bank_id == bank.id)
    )


def _first(query) -> QuestionImage:
    image = db.session.scalars(query.limit(1)).first()
    if image is None:
        raise NotFound()
    return image


def image_bytes(image: QuestionImage, small: bool) -> bytes:
    return image.small if small and image.small else image.data


def bank_bytes(bank_id: int) -> int:
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(QuestionImage.size), 0))
            .join(Question, Question.id == QuestionImage.question_id)
            .where(Question.bank_id == bank_id, Question.retired.is_(False))
        )
        or 0
    )


def check_bank_bytes(bank_id: int) -> None:
    """After an upload or an edit: the bank's pictures together stay within MAX_BANK_BYTES."""
    total = bank_bytes(bank_id)
    if total > MAX_BANK_BYTES:
        message = str(
            _l(
                "Các hình của ngân hàng vượt giới hạn %(m)d MB (hiện %(s)s MB): hãy "
                "dùng hình nhỏ hơn.",
                m=MAX_BANK_BYTES // 1048576,
                s=f"{total / 1048576:.1f}",
            )
        )
        raise Invalid(
            message,
            errors=[{"row": None, "column": None, "message": message}],
            fields={"image": message},
        )


def apply_image_change(parsed, question: Question, upload: bytes | None, remove: bool) -> None:
    """The edited question keeps its pictures; the question's own is replaced by `upload`, or
    removed. A refused picture is a 422 on the form's image field."""
    parsed.image = None if remove else stored_image(question.image_for(""))
    for choice in parsed.choices:
        choice.image = stored_image(question.image_for(choice.label))
    if upload:
        try:
            parsed.image = accept_image(upload)
        except ImageRefused as refused:
            raise Invalid(fields={"image": str(refused)}) from None


def data_uri(image) -> str:
    """A parsed picture (not stored yet) inline, for the upload's preview page."""
    data = image.small or image.data
    return f"data:{image.media_type};base64,{base64.b64encode(data).decode()}"
