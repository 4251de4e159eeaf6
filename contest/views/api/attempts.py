import time

from flask import after_this_request, jsonify, request
from werkzeug.exceptions import TooManyRequests

from ...auth import signin_scope, user
from ...lean_save import COUNTED
from ...models import Attempt
from ...presenters.common import attempt_json
from ...ratelimit import count_save, limit_headers
from ...schemas.bodies import AnswerBody, SubmitBody
from ...schemas.replies import AttemptReply, SavedAnswer
from ...services.attempts import (
    FinalAnswer,
    expire_if_overdue,
    own_attempt,
    save_answer,
    saved_answers,
    start_attempt,
    submit,
)
from ...services.contests import round_by_id
from ...services.entries import key_visible
from ...services.prizes import voided_entry
from ...services.signin import check_scope
from ...timing import iso
from ...web import g_now
from . import bp
from .spec import route


def _attempt_response(attempt: Attempt, status: int = 200):
    reveal = key_visible(attempt.round, g_now())
    data = attempt_json(attempt, saved_answers(attempt.id), g_now(), reveal)
    voided = voided_entry(attempt.round_id, attempt.user_id)
    data.update(voided=voided is not None, void_reason=voided.void_reason if voided else None)
    return data, status  # serialised by Flask after the owner has committed


@route(
    bp,
    "/rounds/<int:round_id>/attempts",
    "POST",
    "Bắt đầu (hoặc tiếp tục) bài thi",
    auth="participant",
    responses={
        201: "Bài thi mới",
        200: "Bài đang làm dở",
        401: "Chưa đăng nhập",
        403: "Đợt thi không mở",
        404: "Không có",
        409: "Hết lượt thi",
    },
    reply=AttemptReply,
)
def start(round_id: int):
    rnd = round_by_id(round_id, with_contest=True)
    check_scope(signin_scope(), rnd.contest)
    reveal = key_visible(rnd, g_now())  # read before start_attempt writes
    attempt, created, drawn, pictures = start_attempt(user(), rnd, g_now())
    if not created:
        return _attempt_response(attempt, 200)
    # a new attempt is shown from what was drawn, not read back
    data = attempt_json(attempt, {}, g_now(), reveal, drawn, pictures)
    return data, 201


@route(
    bp,
    "/attempts/<int:attempt_id>",
    "GET",
    "Một bài thi của mình",
    auth="participant",
    responses={200: "OK", 401: "Chưa đăng nhập", 404: "Không có"},
    reply=AttemptReply,
)
def get_attempt(attempt_id: int):
    attempt = own_attempt(user(), attempt_id, signin_scope())
    expire_if_overdue(attempt, g_now())
    return _attempt_response(attempt)


@route(
    bp,
    "/attempts/<int:attempt_id>/answers/<int:question_id>",
    "PUT",
    "Lưu một câu trả lời",
    body=AnswerBody,
    auth="participant",
    responses={
        200: "{saved_seq}",
        404: "Không có",
        409: "Bài đã nộp hoặc hết giờ",
        422: "Lựa chọn không hợp lệ",
        429: "Lưu quá nhanh",
    },
    reply=SavedAnswer,
)
def put_answer(attempt_id: int, question_id: int, body: AnswerBody):
    """The long way of a save: contest/lean_save.py serves the ordinary ones before Flask, with
    the same functions, and hands this route whatever it would refuse."""
    counted = request.environ.get(COUNTED)  # by contest/lean_save.py before it handed over
    if counted and counted[:2] == (user().id, attempt_id):
        window = counted[2]
    else:
        window = count_save(user().id, attempt_id)
    if window and not window.allowed:
        after_this_request(lambda response: limit_headers(response.headers, window) or response)
        raise TooManyRequests(retry_after=max(1, window.reset_at - int(time.time())))
    # someone else's attempt (or none) is a 404 read before save_answer locks anything, and a
    # contest's own sign-in reaches only its contests (the lean path hands both over)
    own_attempt(user(), attempt_id, signin_scope())
    saved = save_answer(user().id, attempt_id, question_id, body.choices, body.seq, g_now())
    response = jsonify(saved_seq=saved, server_now=iso(g_now()))
    limit_headers(response.headers, window)
    return response


@route(
    bp,
    "/attempts/<int:attempt_id>/submit",
    "POST",
    "Nộp bài",
    body=SubmitBody,
    auth="participant",
    responses={200: "Bài đã nộp, có điểm", 404: "Không có", 409: "Quá hạn nộp"},
    reply=AttemptReply,
)
def submit_attempt(attempt_id: int, body: SubmitBody):
    attempt = own_attempt(user(), attempt_id, signin_scope())
    answers = [FinalAnswer(a.question_id, a.choices, a.seq) for a in body.answers or ()]
    submit(attempt, body.prediction, g_now(), answers)
    return _attempt_response(attempt)
