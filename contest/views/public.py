import io

import segno
from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import page_cache
from ..extensions import db
from ..i18n import select_locale
from ..models import Attempt
from ..ranking import unit_stats
from ..services import organisations
from ..services.contests import contest_by_slug, round_by_id
from ..services.participations import participation_of
from ..services.prizes import unit_awards
from ..timing import featured_round, next_moment
from ..web import g_now
from ..web.settle import settle
from .boards import cached_board, cached_counts

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    """Every organisation's contests with a round open or still to open, by organisation."""
    now = g_now()

    def render():
        groups = organisations.open_contests(now)
        rounds = [r for _org, contests in groups for c in contests for r in c.rounds]
        upcoming = next_moment(rounds, now)
        html = render_template("public/home.html", groups=groups)
        return html, upcoming[0] if upcoming else None

    if page_cache.cacheable():
        return page_cache.cached_page("home", select_locale(), now, render)
    return render()[0]


@bp.route("/don-vi-to-chuc/<slug>")
def organisation(slug):
    org = organisations.organisation_by_slug(slug)
    return render_template(
        "public/organisation.html", org=org, contests=organisations.contests_of(org.id)
    )


@bp.route("/don-vi-to-chuc/<slug>/logo")
def organisation_logo(slug):
    org = organisations.organisation_by_slug(slug)
    if not org.logo_type:
        abort(404)
    response = Response(org.logo, mimetype=org.logo_type)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/cuoc-thi/<slug>")
def contest(slug):
    now = g_now()
    if page_cache.cacheable():
        return page_cache.cached_page(
            f"contest:{slug}", select_locale(), now, lambda: _render_contest(slug, now)
        )
    return _render_contest(slug, now)[0]


def _render_contest(slug, now):
    """(html, the next moment a round opens or closes)."""
    contest = contest_by_slug(slug)
    featured = featured_round(contest.rounds, now)
    board = cached_board(featured, 20) if featured else []
    units = unit_awards(
        contest, [r.id for r in contest.rounds], cache_s=current_app.config["LEADERBOARD_CACHE_S"]
    )[:20]
    mine, participation = [], None
    if current_user.is_authenticated:
        participation = participation_of(current_user.id, contest.id)
        mine = db.session.scalars(
            select(Attempt)
            .where(
                Attempt.user_id == current_user.id,
                Attempt.round_id.in_([r.id for r in contest.rounds]),
            )
            .order_by(Attempt.id)
        ).all()
    upcoming = next_moment(contest.rounds, now)
    html = render_template(
        "public/contest.html",
        contest=contest,
        featured=featured,
        board=board,
        units=units,
        mine=mine,
        counts=cached_counts(contest),
        participation=participation,
        upcoming=upcoming,
        now=now,
    )
    return html, upcoming[0] if upcoming else None


@bp.route("/cuoc-thi/<slug>/qr.svg")
def contest_qr(slug):
    """The contest's link as a QR code, drawn on the server (no third-party service)."""
    contest = contest_by_slug(slug)
    url = url_for("public.contest", slug=contest.slug, _external=True)
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=6, border=2, dark="#1d1d1f", title=contest.title
    )
    return Response(
        out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"}
    )


@bp.route("/cuoc-thi/<slug>/banner")
def contest_banner(slug):
    contest = contest_by_slug(slug)
    if not contest.banner:
        abort(404)
    return Response(
        contest.banner,
        mimetype=contest.banner_type,
        headers={"Cache-Control": "public, max-age=600"},
    )


@bp.route("/dot-thi/<int:round_id>/xep-hang")
def round_ranking(round_id):
    rnd = round_by_id(round_id)
    settle(rnd)
    return render_template(
        "public/leaderboard.html",
        rnd=rnd,
        board=cached_board(rnd, 100),
        units=unit_stats(
            rnd.contest.unit_list_id,
            [rnd.id],
            level=rnd.contest.unit_level,
            cache_s=current_app.config["LEADERBOARD_CACHE_S"],
        ),
    )
