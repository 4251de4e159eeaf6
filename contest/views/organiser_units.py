"""The organiser's units page: the organisation's units with their path and headcount, edited,
deactivated or removed one by one; the list downloaded in the import layout, and an empty
template."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..extensions import db
from ..services import unit_edit, unit_upload
from ..services.banks import upload_limits
from ..services.units import lists_with_counts, own_list, units_workbook
from ..transaction import discard_changes
from ..web import g_now
from ..web.files import xlsx_response
from .organiser import bp
from .pages import form_data, organiser_page, row_change


def _page(status=200, **extra):
    search = request.args.get("q", "")[:100]
    lists = lists_with_counts(current_user.organisation_id)
    chosen = chosen_list(lists)
    return render_template(
        "organiser/units.html",
        form=FlaskForm(),
        search=search,
        lists=lists,
        chosen=chosen,
        rows=unit_edit.unit_rows(
            current_user.organisation_id, chosen.id if chosen else None, search
        ),
        **extra,
    ), status


def chosen_list(lists):
    """The list ?ds=<id> names (one of the organisation's, else 404), or the first."""
    raw = request.args.get("ds", "")
    if raw.isdigit() and len(raw) < 10:
        return own_list(current_user.organisation_id, int(raw))
    return lists[0][0] if lists else None


@bp.route("/don-vi", methods=["GET"])
@organiser_page
def units():
    return _page()


@bp.route("/don-vi/<int:unit_id>", methods=["POST"])
@organiser_page
def edit_unit(unit_id: int):
    data = form_data("name", "headcount") | {
        "excluded_from_prizes": request.form.get("excluded_from_prizes") == "1",
        "selectable": request.form.get("selectable") == "1",
    }

    def change():
        unit = unit_edit.edit_unit(current_user, unit_id, data, g_now())
        return _("Đã lưu đơn vị %(name)s.", name=unit.name)

    return row_change(
        change,
        lambda exc: _page(422, failed=unit_id, errors=exc.fields or {"_": exc.message}, data=data),
        url_for(".units", ds=request.args.get("ds")),
        url_for(".units", ds=request.args.get("ds"), _anchor=f"unit-{unit_id}"),
    )


@bp.route("/don-vi/<int:unit_id>/xoa", methods=["POST"])
@organiser_page
def remove_unit(unit_id: int):
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại."), "error")
        return redirect(url_for(".units", ds=request.args.get("ds")))
    try:
        unit_edit.remove_unit(current_user, unit_id, g_now())
    except DomainError as exc:
        discard_changes()
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        return redirect(url_for(".units", ds=request.args.get("ds"), _anchor=f"unit-{unit_id}"))
    flash(_("Đã xoá đơn vị."), "success")
    return redirect(url_for(".units", ds=request.args.get("ds")))


@bp.route("/don-vi/<int:unit_id>/hoat-dong", methods=["POST"])
@organiser_page
def toggle_unit(unit_id: int):
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại."), "error")
        return redirect(url_for(".units"))
    active = request.form.get("active") == "1"
    unit = unit_edit.set_unit_active(current_user, unit_id, active, g_now())
    flash(
        _("Đơn vị %(name)s hoạt động lại: được chọn khi đăng ký.", name=unit.name)
        if active
        else _(
            "Đã ngừng đơn vị %(name)s: không còn cho chọn khi đăng ký; người và bài thi "
            "của đơn vị vẫn giữ nguyên.",
            name=unit.name,
        ),
        "success",
    )
    return redirect(url_for(".units", _anchor=f"unit-{unit_id}"))


@bp.route("/don-vi/tai-len/<int:pending_id>", methods=["POST"])
@organiser_page
def confirm_units_upload(pending_id: int):
    pending = unit_upload.own_pending(current_user, pending_id)
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại."), "error")
        return redirect(url_for(".dashboard", _anchor="units"))
    if request.form.get("action") == "cancel":
        db.session.delete(pending)
        flash(_("Đã huỷ bản tải lên danh sách đơn vị; không lưu gì."), "info")
        return redirect(url_for(".units"))
    created, updated, errors = unit_upload.confirm_pending(
        pending, current_user, upload_limits(), g_now()
    )
    if errors:  # the units changed since the preview (a parent removed): nothing saved
        return render_template(
            "organiser/units_preview.html",
            pending=pending,
            errors=errors,
            changes=None,
            form=FlaskForm(),
        ), 422
    flash(
        _(
            "Đã nhập danh sách đơn vị: %(c)d đơn vị mới, %(u)d đơn vị cập nhật.",
            c=created,
            u=updated,
        ),
        "success",
    )
    return redirect(url_for(".units"))


@bp.route("/don-vi/danh-sach.xlsx")
@organiser_page
def units_xlsx():
    chosen = chosen_list(lists_with_counts(current_user.organisation_id))
    rows = unit_edit.units_export_rows(current_user.organisation_id, chosen.id if chosen else None)
    return xlsx_response(units_workbook(rows), "danh-sach-don-vi.xlsx")


@bp.route("/don-vi/mau.xlsx")
@organiser_page
def units_template():
    return xlsx_response(units_workbook(unit_edit.TEMPLATE_ROWS), "mau-danh-sach-don-vi.xlsx")
