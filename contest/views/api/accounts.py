from flask import current_app, jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import delete

from ... import challenge
from ...auth import bearer_token, sign_in, sign_out, token_days
from ...auth import user as current
from ...errors import DomainError
from ...extensions import db, limiter
from ...models import ApiToken
from ...presenters.common import user_json
from ...ratelimit import login_limits
from ...schemas.bodies import LoginBody, LogoutBody, ProfileBody, RegisterBody, RegisterDraft
from ...schemas.replies import FieldErrors, LoginReply, ProfileReply, PublicUnits, SessionReply
from ...services import accounts
from ...services.contests import contest_by_slug
from ...services.participations import default_list_id, list_units
from ...web import g_now, json_text, origin
from . import bp
from .spec import BAD_LOGIN, CHALLENGE, INVALID, SIGNED_OUT, TOO_MANY, TOO_MANY_TRIES, route


def _register_limit():
    return current_app.config["RATE_LIMIT_REGISTER"]


class BadLogin(DomainError):
    status, code = 401, "bad_credentials"
    default_message = _l("Sai số điện thoại/e-mail hoặc mật khẩu.")


@route(bp, "/session", "GET", "Người đang đăng nhập và mã CSRF", reply=SessionReply)
def session():
    user = current_user if current_user.is_authenticated else None
    return jsonify(user=user_json(user), csrf_token=generate_csrf())


@route(
    bp,
    "/register",
    "POST",
    "Đăng ký người dự thi",
    body=RegisterBody,
    responses={201: "Đã đăng ký", 409: "Số điện thoại hoặc CCCD đã đăng ký"}
    | INVALID
    | CHALLENGE
    | TOO_MANY,
    reply={201: LoginReply},
)
@limiter.limit(_register_limit, methods=["POST"])
def register(body: RegisterBody):
    challenge.gate()
    contest = contest_by_slug(body.contest) if body.contest else None
    user = accounts.register(body.model_dump(), g_now(), contest, origin())
    token = ApiToken.issue(user, g_now(), token_days())
    sign_in(user, g_now())
    return jsonify(user=user_json(user), token=token), 201


@route(
    bp,
    "/register/check",
    "POST",
    "Kiểm tra thông tin đăng ký khi đang gõ (không lưu gì)",
    body=RegisterDraft,
    responses={200: "{fields}: lỗi theo trường, rỗng nếu hợp lệ"} | TOO_MANY,
    reply=FieldErrors,
)
@limiter.limit(lambda: current_app.config["RATE_LIMIT_CHECK"], methods=["POST"])
def register_check(body: RegisterDraft):
    contest = contest_by_slug(body.contest) if body.contest else None
    errors, _unit = accounts.check_registration(body.model_dump(), contest)
    return jsonify(fields=errors)


@route(
    bp,
    "/login",
    "POST",
    "Đăng nhập bằng số điện thoại hoặc e-mail",
    body=LoginBody,
    responses={200: "Đã đăng nhập"}
    | BAD_LOGIN
    | {428: "Cần giải thử thách (challenge_required): GET /challenge, gửi lại kèm altcha"}
    | TOO_MANY_TRIES,
    reply=LoginReply,
)
@login_limits(lambda: _json_login(), device=True)
def login(body: LoginBody):
    challenge.gate()
    user = accounts.authenticate(body.login, body.password)
    if user is None:
        raise BadLogin()
    token = ApiToken.issue(user, g_now(), token_days())
    sign_in(user, g_now(), remember=bool(body.remember))
    return jsonify(user=user_json(user), token=token)


def _json_login() -> str:
    return json_text("login")


@route(
    bp,
    "/profile",
    "PUT",
    "Bổ sung hoặc sửa hồ sơ (ngày sinh, giới tính, CCCD, ...)",
    body=ProfileBody,
    auth="participant",
    responses={200: "Hồ sơ"} | SIGNED_OUT | {409: "CCCD đã đăng ký", 422: "Lỗi"},
    reply=ProfileReply,
)
def profile(body: ProfileBody):
    user = accounts.update_profile(current(), body.model_dump(exclude_unset=True))
    return jsonify(user=user_json(user))


@route(
    bp,
    "/logout",
    "POST",
    "Đăng xuất (everywhere: khỏi mọi thiết bị)",
    body=LogoutBody,
    responses={204: "Đã đăng xuất"},
)
def logout(body: LogoutBody):
    token = bearer_token()
    if token:  # the token used for this call stops working
        db.session.execute(delete(ApiToken).where(ApiToken.token_hash == ApiToken.digest(token)))
    sign_out(everywhere=bool(body.everywhere))
    return "", 204


@route(
    bp,
    "/units",
    "GET",
    "Danh sách đơn vị (công khai, để đăng ký)",
    reply=PublicUnits,
)
def units():
    rows = [u for u in list_units(default_list_id()) if u.active]
    return jsonify(
        [
            {"code": u.code, "name": u.name, "parent_code": u.parent_code, "headcount": u.headcount}
            for u in rows
        ]
    )
