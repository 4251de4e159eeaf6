from flask import current_app, jsonify, request

from ...auth import require_user
from ...errors import AttemptClosed, NotFound
from ...extensions import db, limiter
from ...models import Attempt
from ...services.attempts import (
    expire_if_overdue,
    save_answer,
    saved_answers,
    start_attempt,
    submit,
)
from ...services.contests import round_by_id
from ...services.entries import key_visible
from ...sqlite import commit_then_read, reads_first
from ...timing import iso
from ...web import g_now
from . import bp
from .present import attempt_json
from .schemas import AnswerBody, SubmitBody
from .spec import route


def own_attempt(attempt_id: int) -> Attempt:
    """Another person's attempt answers 404, as if it did not exist."""
    user = require_user()
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound()
    return attempt


def _attempt_response(attempt: Attempt, status: int = 200, commit: bool = False):
    """The attempt as JSON; with `commit`, read before committing (in the same transaction:
    fewer round trips than reading it back)."""
    reveal = key_visible(attempt.round, g_now())
    data = attempt_json(attempt, saved_answers(attempt.id), g_now(), reveal)
    if commit:
        commit_then_read()
    return jsonify(data), status


@route(bp, "/rounds/<int:round_id>/attempts", "POST", "Bắt đầu (hoặc tiếp tục) bài thi",
       auth="participant", responses={201: "Bài thi mới", 200: "Bài đang làm dở",
                                      401: "Chưa đăng nhập", 403: "Đợt thi không mở",
                                      404: "Không có", 409: "Hết lượt thi"})
@reads_first
def start(round_id: int):
    user = require_user()
    attempt, created, drawn = start_attempt(user, round_by_id(round_id, with_contest=True),
                                            g_now())
    if not created:
        return _attempt_response(attempt, 200, commit=True)
    data = attempt_json(attempt, {}, g_now(), key_visible(attempt.round, g_now()), drawn)
    commit_then_read()  # a new attempt is shown from what was drawn, not read back
    return jsonify(data), 201


@route(bp, "/attempts/<int:attempt_id>", "GET", "Một bài thi của mình", auth="participant",
       responses={200: "OK", 401: "Chưa đăng nhập", 404: "Không có"})
@reads_first
def get_attempt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if expire_if_overdue(attempt, g_now()):
        db.session.commit()
    return _attempt_response(attempt)


@route(bp, "/attempts/<int:attempt_id>/answers/<int:question_id>", "PUT", "Lưu một câu trả lời",
       body=AnswerBody, auth="participant",
       responses={200: "{saved_seq}", 404: "Không có", 409: "Bài đã nộp hoặc hết giờ",
                  422: "Lựa chọn không hợp lệ"})
@limiter.limit(lambda: current_app.config["RATE_LIMIT_SAVES"], methods=["PUT"],
               key_func=lambda: f"saves:{request.view_args.get('attempt_id')}")
@reads_first
def put_answer(attempt_id: int, question_id: int, body: AnswerBody):
    saved = save_answer(require_user().id, attempt_id, question_id, body.choices, body.seq,
                        g_now())
    db.session.commit()
    return jsonify(saved_seq=saved, server_now=iso(g_now()))


@route(bp, "/attempts/<int:attempt_id>/submit", "POST", "Nộp bài", body=SubmitBody,
       auth="participant", responses={200: "Bài đã nộp, có điểm", 404: "Không có",
                                      409: "Quá hạn nộp"})
@reads_first
def submit_attempt(attempt_id: int, body: SubmitBody):
    attempt = own_attempt(attempt_id)
    try:
        submit(attempt, body.prediction, g_now())
    except AttemptClosed:
        db.session.commit()  # an overdue attempt stays expired even though this answers 409
        raise
    return _attempt_response(attempt, commit=True)
