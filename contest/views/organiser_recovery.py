"""The organiser's button to give a participant a one-time password reset code."""

from flask import render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..services import recovery
from ..transaction import discard_changes
from ..web import g_now
from .organiser import bp
from .pages import form_data, organiser_page


@bp.route("/ma-dat-lai-mat-khau", methods=["GET", "POST"])
@organiser_page(capability="reset_codes")
def reset_code():
    form, errors, given = FlaskForm(), {}, None
    data = (
        form_data("login")
        if request.method == "POST"
        else {"login": request.args.get("login", "")[:200]}
    )  # from the participants page
    if form.validate_on_submit():
        try:
            code, expires_at, user = recovery.give_reset_code(
                current_user, data["login"][:200], g_now()
            )
            given = {"code": code, "expires_at": expires_at, "user": user}
        except DomainError as exc:
            discard_changes()
            errors = {"login": exc.message}
    return render_template(
        "organiser/reset_code.html", form=form, data=data, errors=errors, given=given
    ), 404 if errors else 200
