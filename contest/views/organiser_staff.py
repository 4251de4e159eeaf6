"""The organisation admin's pages: people (Nhân sự: the team with its roles, a role changed,
someone removed, a one-time invitation made, its link shown once) and the organisation's own
name and logo."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..models.accounts import STAFF_ROLES
from ..services import organisations, staff
from ..services.unit_edit import unit_rows
from ..transaction import discard_changes
from ..web import g_now
from .organiser import bp
from .pages import form_data, form_errors, organiser_page, row_change

PEOPLE = {"capability": "manage_people"}


def _page(status=200, **extra):
    org = current_user.organisation_id
    return render_template(
        "organiser/staff.html",
        form=FlaskForm(),
        people=staff.staff_of(org),
        invitations=staff.open_invitations(org, g_now()),
        roles=[(r, staff.role_name(r)) for r in STAFF_ROLES],
        units=unit_rows(org),
        **{"data": {}, "errors": {}} | extra,
    ), status


@bp.route("/nhan-su")
@organiser_page(**PEOPLE)
def staff_page():
    return _page()


@bp.route("/nhan-su/moi", methods=["POST"])
@organiser_page(**PEOPLE)
def invite():
    data = form_data("role", "unit_code")
    if not FlaskForm().validate_on_submit():
        return _page(
            400,
            data=data,
            errors={"_": _("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại.")},
        )
    try:
        code, invitation = staff.invite(current_user, data["role"], data["unit_code"], g_now())
    except DomainError as exc:
        discard_changes()
        return _page(422, data=data, errors=exc.fields or {"_": exc.message})
    link = url_for("invite.accept", code=code, _external=True)
    return _page(201, made={"link": link, "code": code, "invitation": invitation})


def _member_action(user_id: int, action):
    return row_change(
        action,
        lambda exc: _page(exc.status, failed=user_id, errors=exc.fields or {"_": exc.message}),
        url_for(".staff_page"),
    )


@bp.route("/nhan-su/<int:user_id>/vai-tro", methods=["POST"])
@organiser_page(**PEOPLE)
def change_staff_role(user_id: int):
    data = form_data("role", "unit_code")

    def change():
        user = staff.change_role(current_user, user_id, data["role"], data["unit_code"], g_now())
        return _(
            "%(name)s giờ có vai trò %(role)s.",
            name=user.full_name,
            role=staff.role_name(user.role),
        )

    return _member_action(user_id, change)


@bp.route("/nhan-su/<int:user_id>/xoa", methods=["POST"])
@organiser_page(**PEOPLE)
def remove_staff(user_id: int):
    def remove():
        user = staff.remove_from_team(current_user, user_id, g_now())
        return _("%(name)s không còn trong ban tổ chức.", name=user.full_name)

    return _member_action(user_id, remove)


@bp.route("/nhan-su/loi-moi/<int:invitation_id>/huy", methods=["POST"])
@organiser_page(**PEOPLE)
def cancel_invitation(invitation_id: int):
    def cancel():
        staff.cancel_invitation(current_user, invitation_id, g_now())
        return _("Đã huỷ lời mời.")

    return _member_action(0, cancel)


@bp.route("/thiet-lap-to-chuc", methods=["GET", "POST"])
@organiser_page(capability="manage_settings")
def organisation_settings():
    """The admin's own organisation: its name and logo (its code and address are the instance
    administrator's)."""
    org, errors = current_user.organisation, {}
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            errors = {"_": _("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại.")}
        else:
            try:
                _save_settings(org)
            except DomainError as exc:
                errors = form_errors(exc)
            else:
                flash(_("Đã lưu thông tin tổ chức."), "success")
                return redirect(url_for(".organisation_settings"))
    return render_template(
        "organiser/organisation.html", form=FlaskForm(), org=org, errors=errors
    ), 422 if errors else 200


def _save_settings(org) -> None:
    name = request.form.get("name", "").strip()[:300]
    organisations.update_organisation(current_user, org.id, name, org.slug, g_now())
    upload = request.files.get("logo")
    if upload and upload.filename:
        organisations.set_logo(
            current_user, org.id, upload.read(organisations.MAX_LOGO + 1), g_now()
        )
