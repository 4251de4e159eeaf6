"""Password recovery: the organiser gives a one-time code, the participant sets a password."""

from flask import current_app, jsonify

from ...auth import sign_in, token_days, user
from ...extensions import limiter
from ...models import ApiToken
from ...presenters.common import user_json
from ...ratelimit import login_limit_key
from ...schemas.bodies import PasswordResetBody, ResetCodeBody, ResetSendBody
from ...schemas.replies import LoginReply, MessageReply, ResetCodeReply
from ...services import recovery
from ...timing import iso
from ...web import g_now, json_text
from ...web.recovery import SENT, deliver_reset_code
from . import bp
from .spec import TOO_MANY, TOO_MANY_TRIES, route


@route(
    bp,
    "/password/reset-code",
    "POST",
    "Cấp mã đặt lại mật khẩu cho người dự thi (hiện một lần, dùng trong 24 giờ)",
    body=ResetCodeBody,
    auth="reset_codes",
    responses={201: "{code, expires_at}", 404: "Không phải người dự thi của bạn"},
    reply=ResetCodeReply,
)
def give_reset_code(body: ResetCodeBody):
    code, expires_at, _user = recovery.give_reset_code(user(), body.login, g_now())
    return jsonify(code=code, expires_at=iso(expires_at)), 201


def _json_login() -> str:
    return json_text("login")


def _login_limits(per_account: str):
    """The login rate limit and the limit `per_account` (a config key) on the account the
    body's login names, registered in this order: the per-account one first."""

    def decorate(view):
        view = limiter.limit(
            lambda: current_app.config[per_account],
            methods=["POST"],
            key_func=lambda: login_limit_key(_json_login()),
        )(view)
        return limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"], methods=["POST"])(view)

    return decorate


@route(
    bp,
    "/password/reset",
    "POST",
    "Đặt mật khẩu mới bằng mã đặt lại",
    body=PasswordResetBody,
    responses={200: "{user, token}", 401: "Mã sai, đã dùng hoặc hết hạn", 422: "Mật khẩu quá ngắn"}
    | TOO_MANY_TRIES,
    reply=LoginReply,
)
@_login_limits("RATE_LIMIT_LOGIN_ACCOUNT")
def reset_password(body: PasswordResetBody):
    account = recovery.reset_password(body.login, body.code, body.new_password, g_now())
    token = ApiToken.issue(account, g_now(), token_days())
    sign_in(account, g_now())
    return jsonify(user=user_json(account), token=token)


@route(
    bp,
    "/password/reset-send",
    "POST",
    "Gửi mã đặt lại mật khẩu tới e-mail (hoặc kênh khác) của tài khoản, nếu có",
    body=ResetSendBody,
    responses={202: "Đã nhận (trả lời như nhau dù có tài khoản hay không)"} | TOO_MANY,
    reply=MessageReply,
)
@_login_limits("RATE_LIMIT_RESET_SEND")
def send_reset_code(body: ResetSendBody):
    deliver_reset_code(body.login)
    return jsonify(message=str(SENT)), 202
