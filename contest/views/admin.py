"""The instance administrator's pages (/quan-tri/to-chuc): every organisation, one created,
renamed, given a logo or a new public address (each audited in that organisation's trail)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..services import organisations
from ..transaction import discard_changes
from ..web import g_now
from .pages import form_data, organiser_page

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")
ADMIN = {"capability": "manage_organisations"}


def _page(status=200, **extra):
    return render_template(
        "admin/organisations.html",
        form=FlaskForm(),
        rows=organisations.all_organisations(),
        **{"data": {}, "errors": {}, "failed": None} | extra,
    ), status


@bp.route("/to-chuc")
@organiser_page(**ADMIN)
def organisations_page():
    return _page()


def _run(failed, data, action, message):
    if not FlaskForm().validate_on_submit():
        return _page(
            400, errors={"_": _("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại.")}
        )
    try:
        org = action()
    except DomainError as exc:
        discard_changes()
        if exc.status == 404:
            raise
        return _page(422, failed=failed, data=data, errors=exc.fields or {"_": exc.message})
    flash(message % {"name": org.name}, "success")
    return redirect(url_for(".organisations_page"))


@bp.route("/to-chuc", methods=["POST"])
@organiser_page(**ADMIN)
def create_organisation():
    data = form_data("code", "name", "slug")
    return _run(
        "new",
        data,
        lambda: organisations.create_organisation(
            current_user, data["code"], data["name"], data["slug"], g_now()
        ),
        _("Đã tạo tổ chức %(name)s."),
    )


@bp.route("/to-chuc/<int:org_id>", methods=["POST"])
@organiser_page(**ADMIN)
def update_organisation(org_id: int):
    data = form_data("name", "slug")
    return _run(
        org_id,
        data,
        lambda: organisations.update_organisation(
            current_user, org_id, data["name"], data["slug"], g_now()
        ),
        _("Đã lưu tổ chức %(name)s."),
    )


@bp.route("/to-chuc/<int:org_id>/logo", methods=["POST"])
@organiser_page(**ADMIN)
def organisation_logo(org_id: int):
    upload = request.files.get("logo")
    remove = request.form.get("remove") == "1"
    data = None if remove else (upload.read(organisations.MAX_LOGO + 1) if upload else b"")
    return _run(
        org_id,
        {},
        lambda: organisations.set_logo(current_user, org_id, data, g_now()),
        _("Đã cập nhật logo của %(name)s."),
    )
