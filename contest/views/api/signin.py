"""Sign-in for a contest that uses phone + CCCD or phone + birth date, and the proof-of-work
challenge (contest/challenge.py) that sign-ins and registrations need past a threshold."""

from flask import current_app, jsonify

from ... import challenge as pow_challenge
from ...auth import sign_in
from ...extensions import limiter
from ...presenters.common import user_json
from ...ratelimit import login_limits
from ...schemas.bodies import ContestSigninBody
from ...schemas.replies import ChallengeReply, ContestSigninReply
from ...services.contests import contest_by_slug
from ...services.signin import authenticate_for_contest
from ...web import g_now, json_text
from . import bp
from .spec import BAD_LOGIN, CHALLENGE, TOO_MANY, TOO_MANY_TRIES, route


@route(
    bp,
    "/challenge",
    "GET",
    "Thử thách chống máy (ALTCHA, proof-of-work) để gửi kèm "
    "trường altcha khi được trả 428 challenge_required",
    responses={200: "{parameters, signature}: giải bằng thư viện altcha hoặc widget"} | TOO_MANY,
    reply=ChallengeReply,
)
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"])
def challenge():
    return jsonify(pow_challenge.new_challenge())


def _json_phone() -> str:
    return json_text("phone")


@route(
    bp,
    "/contests/<slug>/signin",
    "POST",
    "Đăng nhập cho cuộc thi dùng số điện thoại + CCCD / ngày sinh (và mật khẩu cuộc thi nếu "
    "có); phiên chỉ vào được các cuộc thi cùng cách đăng nhập, không cấp token",
    body=ContestSigninBody,
    responses={200: "Đã đăng nhập (phiên cookie)"}
    | BAD_LOGIN
    | {422: "Cuộc thi đăng nhập bằng mật khẩu (password_signin)"}
    | CHALLENGE
    | TOO_MANY_TRIES,
    reply=ContestSigninReply,
)
@login_limits(_json_phone)
def contest_signin(slug: str, body: ContestSigninBody):
    contest = contest_by_slug(slug)
    pow_challenge.gate()
    secret = body.cccd if contest.signin_mode == "phone_cccd" else body.birth_date
    user = authenticate_for_contest(contest, body.phone, secret, body.contest_password)
    sign_in(user, g_now(), remember=bool(body.remember), scope=contest.signin_mode)
    return jsonify(user=user_json(user), signin_mode=contest.signin_mode)
