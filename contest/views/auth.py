from datetime import date, datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from .. import challenge
from ..auth import sign_in, sign_out
from ..challenge import ChallengeRequired
from ..errors import DomainError, Invalid
from ..extensions import db, limiter
from ..models import Contest
from ..models.contests import DEFAULT_FIELDS, PROFILE_FIELDS
from ..ratelimit import login_limit_key, login_limits
from ..services import accounts
from ..services.participations import default_list_id, picker_groups
from ..web import g_now, origin
from .pages import form_data, form_errors, staff_home

bp = Blueprint("auth", __name__)
REGISTER_FIELDS = (
    "full_name",
    "phone",
    "password",
    "unit_code",
    "email",
    "cccd",
    "birth_date",
    "gender",
    "address",
    "occupation",
    "category",
)


def _unit_groups(contest):
    """The picker's units: the contest's list, or the default organisation's without one."""
    return picker_groups(contest.unit_list_id if contest is not None else default_list_id())


def _safe_next(default: str) -> str:
    """Only a path on this site: no scheme or host, no backslash or control character."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    unsafe = (
        not target.startswith("/")
        or parts.scheme
        or parts.netloc
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
        or target.startswith("//")
    )
    return default if unsafe else target


@bp.route("/dang-ky", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_REGISTER"], methods=["POST"])
def register():
    form, data, errors = FlaskForm(), {}, {}
    contest = _contest_of_request()
    if form.validate_on_submit():
        data = form_data(*REGISTER_FIELDS)
        try:
            challenge.gate()
            user = accounts.register(_typed(data), g_now(), contest, origin())
            sign_in(user, g_now())
            flash(_("Đăng ký thành công. Chúc bạn thi tốt!"), "success")
            return redirect(_safe_next(url_for("public.home")))
        except DomainError as exc:
            errors = form_errors(exc)
    status = _challenge_status(errors) or (422 if errors else 200)
    return render_template(
        "auth/register.html",
        form=form,
        data=data,
        errors=errors,
        units=_unit_groups(contest),
        contest=contest,
        modes=_modes(contest),
        challenge_needed=challenge.needed(),
    ), status


def _challenge_status(errors: dict) -> int | None:
    return 428 if errors.get("_") == str(ChallengeRequired.default_message) else None


def _contest_of_request():
    """The contest whose registration settings apply: ?contest=slug, or the one `next` names."""
    slug = request.args.get("contest") or ""
    if not slug and request.args.get("next", "").startswith("/cuoc-thi/"):
        slug = request.args["next"].split("/")[2]
    return db.session.scalar(select(Contest).where(Contest.slug == slug)) if slug else None


def _modes(contest) -> dict[str, str]:
    return {
        name: contest.field_mode(name) if contest else DEFAULT_FIELDS[name]
        for name in PROFILE_FIELDS
    }


def _typed(data: dict) -> dict:
    """Form strings to what the rules take: a date, and no empty strings."""
    typed = {k: v for k, v in data.items() if v}
    if typed.get("birth_date"):
        try:
            typed["birth_date"] = date.fromisoformat(typed["birth_date"])
        except ValueError:
            typed["birth_date"] = None
    return typed


@bp.route("/ho-so", methods=["GET", "POST"])
@login_required
def profile():
    """Complete or correct the profile (a contest may require more than registration asked)."""
    form, errors = FlaskForm(), {}
    contest = _contest_of_request()
    data = {name: getattr(current_user, name) or "" for name in PROFILE_FIELDS}
    data["category"] = current_user.category
    if form.validate_on_submit():
        data = form_data(*PROFILE_FIELDS, "category")
        try:
            accounts.update_profile(current_user, _typed(data))
            missing = accounts.missing_profile(current_user, contest) if contest else {}
            if missing:
                raise Invalid(fields=missing)
            flash(_("Đã lưu hồ sơ."), "success")
            return redirect(_safe_next(url_for("public.home")))
        except DomainError as exc:
            errors = form_errors(exc)
    if isinstance(data.get("birth_date"), datetime):
        data["birth_date"] = data["birth_date"].date().isoformat()
    return render_template(
        "auth/profile.html",
        form=form,
        data=data,
        errors=errors,
        contest=contest,
        modes=_modes(contest),
    ), 422 if errors else 200


def _form_login() -> str:
    return request.form.get("login", "")[:200]


@bp.route("/dang-nhap", methods=["GET", "POST"])
@login_limits(_form_login, device=True)
def login():
    form, error, status = FlaskForm(), None, 200
    if form.validate_on_submit():
        try:
            challenge.gate()
            user = accounts.authenticate(
                request.form.get("login", "")[:200], request.form.get("password", "")[:200]
            )
        except ChallengeRequired as exc:
            user, error, status = None, exc.message, 428
        if user:
            sign_in(user, g_now(), remember=bool(request.form.get("remember")))
            default = staff_home(user) or url_for("public.home")
            return redirect(_safe_next(default))
        if error is None:
            error, status = _("Sai số điện thoại/e-mail hoặc mật khẩu."), 401
    return render_template(
        "auth/login.html",
        form=form,
        error=error,
        login=request.form.get("login", ""),
        challenge_needed=challenge.needed(),
    ), status


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    if FlaskForm().validate_on_submit():
        everywhere = bool(request.form.get("everywhere"))
        sign_out(everywhere=everywhere)
        if everywhere:
            flash(_("Đã đăng xuất khỏi mọi thiết bị."), "success")
    return redirect(url_for("public.home"))


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@login_limits(_form_login)
def forgot():
    """Set a new password with the one-time code the organiser gave (or e-mail sent)."""
    from ..services import recovery

    form, errors = FlaskForm(), {}
    data = form_data("login", "code")
    if form.validate_on_submit():
        try:
            user = recovery.reset_password(
                data["login"][:200],
                data["code"][:40],
                request.form.get("new_password", "")[:200],
                g_now(),
            )
            sign_in(user, g_now())
            flash(_("Đã đặt mật khẩu mới. Mọi phiên đăng nhập cũ đã kết thúc."), "success")
            return redirect(url_for("public.home"))
        except DomainError as exc:
            errors = form_errors(exc)
    if request.method == "GET":
        data["login"] = request.args.get("login", "")[:200]
    status = (401 if "_" in errors else 422) if errors else 200
    return render_template(
        "auth/forgot.html", form=form, data=data, errors=errors, can_send=_can_send()
    ), status


def _can_send() -> bool:
    config = current_app.config
    return bool(config.get("MAIL_SERVER") or config.get("RESET_CODE_SENDERS"))


@bp.route("/quen-mat-khau/gui-ma", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"])
@limiter.limit(
    lambda: current_app.config["RATE_LIMIT_RESET_SEND"],
    key_func=lambda: login_limit_key(request.form.get("send_login", "")[:200]),
)
def forgot_send():
    """Send a code to the account's e-mail (or another configured channel), if there is one;
    the same answer whether or not there is."""
    from ..web.recovery import SENT, deliver_reset_code

    login = request.form.get("send_login", "").strip()[:200]
    if FlaskForm().validate_on_submit() and login and _can_send():
        deliver_reset_code(login)
        flash(str(SENT), "success")
    return redirect(url_for("auth.forgot", login=login))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["RATE_LIMIT_LOGIN_ACCOUNT"],
    methods=["POST"],
    key_func=lambda: f"login:user:{current_user.get_id()}",
)
def change_password():
    """A new password: every other session and token ends; this browser stays signed in."""
    form, errors = FlaskForm(), {}
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                user,
                request.form.get("current_password", "")[:200],
                request.form.get("new_password", "")[:200],
            )
            sign_in(user, g_now())
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."), "success")
            return redirect(url_for("auth.profile"))
        except DomainError as exc:
            errors = form_errors(exc)
    return render_template("auth/password.html", form=form, errors=errors), (422 if errors else 200)
