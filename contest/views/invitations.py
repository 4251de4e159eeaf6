"""An invitation link (/moi/<code>): the invitee makes an account with the invitation's role,
or, signed in, accepts it. Limited per address; an unknown, used or expired code gets one and
the same answer."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..auth import sign_in, signin_scope
from ..errors import DomainError
from ..extensions import limiter
from ..services import staff
from ..transaction import discard_changes
from ..web import g_now
from .pages import form_data, staff_home

bp = Blueprint("invite", __name__, url_prefix="/moi")


@bp.route("/<code>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_INVITE"])
def accept(code):
    invitation = staff.invitation_by_code(code, g_now())  # 404, the same for every bad code
    form, data, errors = FlaskForm(), form_data("full_name", "email"), {}
    if request.method == "POST" and not form.validate_on_submit():
        errors = {"_": _("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại.")}
    elif request.method == "POST" and current_user.is_authenticated and signin_scope():
        # signed in for one contest by phone + CCCD: a team role needs the account's password
        errors = {"_": _("Hãy đăng nhập bằng mật khẩu của tài khoản rồi mở lại lời mời.")}
    elif request.method == "POST":
        try:
            if current_user.is_authenticated:
                user = staff.accept(invitation, current_user._get_current_object(), g_now())
            else:
                user = staff.join_with_new_account(
                    invitation,
                    data["full_name"],
                    data["email"],
                    request.form.get("password", "")[:300],
                    g_now(),
                )
        except DomainError as exc:
            discard_changes()
            if exc.status == 404:
                raise
            errors = exc.fields or {"_": exc.message}
        else:
            sign_in(user, g_now())
            return redirect(staff_home(user) or url_for("public.home"))
    return render_template(
        "auth/invitation.html",
        form=form,
        invitation=invitation,
        role=staff.role_name(invitation.role),
        data=data,
        errors=errors,
    ), 422 if errors else 200
