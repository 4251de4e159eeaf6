"""Entering a contest from the pages (tham gia): the unit of the contest's list and the
category, chosen with the unit picker; starting a round of a contest not yet entered leads
here first."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..services.contests import contest_by_slug
from ..services.participations import join_contest as join_service
from ..services.participations import participation_of, picker_groups
from ..web import g_now
from .pages import form_data, form_errors
from .take import bp


@bp.route("/cuoc-thi/<slug>/tham-gia", methods=["GET", "POST"])
@login_required
def join_contest(slug):
    contest, form, errors = contest_by_slug(slug), FlaskForm(), {}
    data = _current_choice(contest)
    if form.validate_on_submit():
        data = form_data("unit_code", "category")
        try:
            join_service(current_user, contest, data, g_now())
            flash(_("Bạn đã tham gia cuộc thi. Chúc bạn thi tốt!"), "success")
            return redirect(url_for("public.contest", slug=contest.slug))
        except DomainError as exc:
            errors = form_errors(exc)
    return render_template(
        "take/join.html",
        form=form,
        contest=contest,
        data=data,
        errors=errors,
        units=picker_groups(contest.unit_list_id),
    ), (422 if errors else 200)


def _current_choice(contest) -> dict:
    """What the form starts with: the participation's unit, else the unit last chosen."""
    part = participation_of(current_user.id, contest.id)
    unit = part.unit if part is not None else current_user.unit
    return {
        "unit_code": unit.code if unit is not None else "",
        "category": part.category if part is not None else current_user.category,
    }
