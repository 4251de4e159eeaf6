"""The organiser's final prizes page (giải chung cuộc): the draft from the contest standings,
leaving a person out with a reason or back in, confirming and reopening, and the print page
(the same services as the API)."""

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..schemas.forms import void_body
from ..services import final_prizes as final
from ..services.contests import own_contest
from ..web import g_now
from ..web.settle import settle_contest
from .organiser import bp
from .pages import button_action, organiser_page


@bp.route("/cuoc-thi/<slug>/giai-chung-cuoc")
@organiser_page
def final_prizes(slug):
    shown = _final_lists(slug)
    return render_template(
        "organiser/final_prizes.html",
        form=FlaskForm(),
        left_out=final.voids(shown["contest"]),
        **shown,
    )


def _final_lists(slug) -> dict:
    """The contest (settled) with its final winners and unit prizes: the page and its print."""
    contest = own_contest(current_user, slug)
    settle_contest(contest)
    now = g_now()
    return {
        "contest": contest,
        "winners": final.final_winners(contest, now),
        "units": final.final_unit_prizes(contest, now),
    }


def _final_action(slug, action):
    return button_action(
        own_contest(current_user, slug), action, url_for(".final_prizes", slug=slug)
    )


@bp.route("/cuoc-thi/<slug>/giai-chung-cuoc/loai/<int:user_id>", methods=["POST"])
@organiser_page
def void_final(slug, user_id):
    def act(contest):
        reason = void_body(request.form).reason
        final.void_person(
            contest, final.contest_person(contest, user_id, g_now()), reason, current_user, g_now()
        )

    return _final_action(slug, act)


@bp.route("/cuoc-thi/<slug>/giai-chung-cuoc/dua-lai/<int:user_id>", methods=["POST"])
@organiser_page
def restore_final(slug, user_id):
    return _final_action(
        slug,
        lambda contest: final.restore_person(
            contest, final.contest_person(contest, user_id, g_now()), current_user, g_now()
        ),
    )


@bp.route("/cuoc-thi/<slug>/giai-chung-cuoc/xac-nhan", methods=["POST"])
@organiser_page
def confirm_final(slug):
    def act(contest):
        settle_contest(contest)
        final.confirm_final(contest, current_user, g_now())
        flash(_("Đã xác nhận danh sách giải chung cuộc."), "success")

    return _final_action(slug, act)


@bp.route("/cuoc-thi/<slug>/giai-chung-cuoc/mo-lai", methods=["POST"])
@organiser_page
def reopen_final(slug):
    return _final_action(slug, lambda contest: final.reopen_final(contest, current_user, g_now()))


@bp.route("/cuoc-thi/<slug>/giai-chung-cuoc/in")
@organiser_page
def printable_final(slug):
    return render_template("organiser/final_print.html", **_final_lists(slug))
