"""Banks whose key participants have seen: a new round on one would hand out its answers.

A round's key is shown to its participants (services.entries.key_visible) once that round is
over and no other round on the same bank can still be answered, so a bank's key is published
when it has rounds and every one of them is closed for good. The questions it exposed are the
ones some attempt drew (a participant sees the key of the questions they drew); a question
edited since is a new version, not exposed.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from ..errors import Conflict
from ..extensions import db
from ..models import AttemptQuestion, Question, Round
from ..timing import closes_for_good

NAMED_IN_MESSAGE = 15


class BankExposed(Conflict):
    code = "bank_exposed"


def bank_key_published(bank_id: int, now: datetime) -> bool:
    rounds = db.session.execute(
        select(Round.closes_at, Round.grace_s).where(Round.bank_id == bank_id)
    ).all()
    return bool(rounds) and all(closes_for_good(c, g) < now for c, g in rounds)


def exposed_questions(bank_id: int, now: datetime) -> list[Question]:
    """The bank's active questions whose key has been published, in bank order."""
    if not bank_key_published(bank_id, now):
        return []
    drawn = exists().where(AttemptQuestion.question_id == Question.id)
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.bank_id == bank_id, Question.retired.is_(False), drawn)
            .order_by(Question.position)
        )
    )


def question_name(question: Question) -> str:
    return question.code or f"#{question.position}"


def refuse_exposed(questions: list[Question]) -> BankExposed:
    """409 naming the exposed questions; the organiser may confirm, or draw only the others."""
    names = ", ".join(question_name(q) for q in questions[:NAMED_IN_MESSAGE])
    more = len(questions) - NAMED_IN_MESSAGE
    message = _l(
        "Đáp án của %(n)d câu hỏi trong ngân hàng này đã được công bố cho người thi "
        "(các đợt thi dùng ngân hàng đã kết thúc): %(names)s%(more)s. Một đợt thi mới "
        "rút các câu này thì ai cũng biết đáp án ngay từ đầu. Hãy xác nhận "
        "(confirm_exposed) nếu vẫn muốn tạo đợt thi, và chọn chỉ rút các câu chưa "
        "công bố đáp án (draw_unexposed) nếu muốn.",
        n=len(questions),
        names=names,
        more=" " + str(_l("và %(k)d câu khác", k=more)) if more > 0 else "",
    )
    error = BankExposed(message)
    error.details = {
        "exposed": [
            {"id": q.id, "code": q.code, "position": q.position, "text": q.text} for q in questions
        ]
    }
    return error
