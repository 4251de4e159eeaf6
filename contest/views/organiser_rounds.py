"""The organiser's round controls: edit a round before it opens, extend it or close it now
with a reason while it runs, delete one nobody has started (the same services as the API)."""

import re

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..errors import DomainError, Invalid
from ..extensions import db
from ..models import Bank
from ..schemas.bodies import RoundPatchBody
from ..schemas.forms import close_round_body
from ..schemas.validate import given_fields, validate
from ..services.contests import own_round
from ..services.rounds import close_round, delete_round, update_round
from ..timing import UPCOMING, format_local, round_status
from ..transaction import discard_changes
from ..web import g_now
from .organiser import ROUND_FIELDS, bp
from .pages import button_action, checked_form, form_data, form_errors, organiser_page

# the creation form's fields: the edit page has all but score_display
EDIT_FIELDS = tuple(name for name in ROUND_FIELDS if name != "score_display")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _patch_from_form(data: dict) -> dict:
    """The fields filled in, in the API's terms (time limit typed in minutes)."""
    values = {k: v for k, v in data.items() if v != "" and k != "time_limit_min"}
    minutes = data.get("time_limit_min", "").replace(",", ".")
    if minutes:
        valid = re.fullmatch(r"[0-9]{1,4}(\.[0-9]{1,2})?", minutes)
        values["time_limit_s"] = int(float(minutes) * 60) if valid else "x"
    try:
        return given_fields(validate(RoundPatchBody, values))
    except Invalid as exc:
        if "time_limit_s" in exc.fields:
            exc.fields["time_limit_min"] = exc.fields.pop("time_limit_s")
        raise


def round_form_values(rnd) -> dict:
    """The round as the edit form shows it (Vietnam time, minutes)."""
    data = {k: getattr(rnd, k) for k in EDIT_FIELDS if hasattr(rnd, k)}
    data.update(
        opens_at=format_local(rnd.opens_at, LOCAL_INPUT),
        closes_at=format_local(rnd.closes_at, LOCAL_INPUT),
        time_limit_min=f"{rnd.time_limit_s / 60:g}",
    )
    return data


@bp.route("/dot-thi/<int:round_id>/sua", methods=["GET", "POST"])
@organiser_page
def edit_round(round_id):
    """Every field, before the round opens (once open: the round page's extend and close)."""
    rnd = own_round(current_user, round_id)
    if round_status(rnd, g_now()) != UPCOMING:
        flash(_("Đợt thi đã mở: chỉ có thể gia hạn hoặc đóng sớm."), "error")
        return redirect(url_for(".round_monitor", round_id=rnd.id))
    data, errors = round_form_values(rnd), {}
    if request.method == "POST":
        data = form_data(*EDIT_FIELDS)
        try:
            checked_form()
            update_round(
                rnd,
                _patch_from_form(data),
                current_user,
                g_now(),
                current_app.config["DEFAULT_GRACE_S"],
            )
            flash(_('Đã lưu đợt thi "%(n)s".', n=rnd.name), "success")
            return redirect(url_for(".round_monitor", round_id=rnd.id))
        except DomainError as exc:
            errors = form_errors(exc)
    return render_template(
        "organiser/round_edit.html",
        rnd=rnd,
        form=FlaskForm(),
        data=data,
        errors=errors,
        banks=newest_banks_first(),
    ), 422 if errors else 200


def newest_banks_first() -> list[Bank]:
    return db.session.scalars(
        select(Bank)
        .filter_by(organisation_id=current_user.organisation_id)
        .order_by(Bank.created_at.desc(), Bank.id.desc())
    ).all()


@bp.route("/dot-thi/<int:round_id>/gia-han", methods=["POST"])
@organiser_page
def extend_round(round_id):
    """An open round's new close (later to extend, or earlier but not before now)."""
    rnd = own_round(current_user, round_id)
    try:
        checked_form()
        if not request.form.get("closes_at", "").strip():
            raise Invalid(_("Hãy chọn thời điểm kết thúc mới."))
        update_round(
            rnd,
            _patch_from_form(form_data("closes_at")),
            current_user,
            g_now(),
            current_app.config["DEFAULT_GRACE_S"],
        )
        flash(_("Đợt thi kết thúc lúc %(t)s.", t=format_local(rnd.closes_at)), "success")
    except DomainError as exc:
        discard_changes()
        flash(" ".join([exc.message, *(exc.fields or {}).values()]), "error")
    return redirect(url_for(".round_monitor", round_id=rnd.id))


@bp.route("/dot-thi/<int:round_id>/dong", methods=["POST"])
@organiser_page
def close_round_now(round_id):
    def act(rnd):
        close_round(rnd, close_round_body(request.form).reason, current_user, g_now())
        flash(
            _('Đã đóng đợt thi "%(n)s". Kết quả sẽ được chốt sau thời gian ân hạn.', n=rnd.name),
            "success",
        )

    rnd = own_round(current_user, round_id)
    return button_action(rnd, act, url_for(".round_monitor", round_id=rnd.id))


@bp.route("/dot-thi/<int:round_id>/xoa", methods=["POST"])
@organiser_page
def delete_round_page(round_id):
    rnd = own_round(current_user, round_id)
    slug, name = rnd.contest.slug, rnd.name
    try:
        checked_form()
        delete_round(rnd, current_user, g_now())
    except DomainError as exc:
        discard_changes()
        flash(exc.message, "error")
        return redirect(url_for(".round_monitor", round_id=round_id))
    flash(_('Đã xoá đợt thi "%(n)s".', n=name), "success")
    return redirect(url_for(".contest", slug=slug))
