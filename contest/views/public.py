from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Attempt, Contest
from ..ranking import leaderboard, unit_stats
from ..services.contests import contest_by_slug, round_by_id
from ..timing import OPEN, round_status
from ..web import g_now
from .api.results import settle

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    contests = db.session.scalars(select(Contest).order_by(Contest.created_at.desc())).all()
    return render_template("public/home.html", contests=contests)


def featured_round(contest):
    """The open round, else the latest that has opened, else the first."""
    now = g_now()
    rounds = contest.rounds
    open_rounds = [r for r in rounds if round_status(r, now) == OPEN]
    started = [r for r in rounds if r.opens_at <= now]
    return (open_rounds or started[-1:] or rounds[:1] or [None])[0]


@bp.route("/cuoc-thi/<slug>")
def contest(slug):
    contest = contest_by_slug(slug)
    featured = featured_round(contest)
    board = leaderboard(featured.id, 20) if featured else []
    units = unit_stats(contest.organisation_id, [r.id for r in contest.rounds])[:20]
    mine = []
    if current_user.is_authenticated:
        mine = db.session.scalars(select(Attempt).where(
            Attempt.user_id == current_user.id,
            Attempt.round_id.in_([r.id for r in contest.rounds])).order_by(Attempt.id)).all()
    return render_template("public/contest.html", contest=contest, featured=featured,
                           board=board, units=units, mine=mine)


@bp.route("/dot-thi/<int:round_id>/xep-hang")
def round_ranking(round_id):
    rnd = round_by_id(round_id)
    settle(rnd)
    return render_template("public/leaderboard.html", rnd=rnd, board=leaderboard(rnd.id, 100),
                           units=unit_stats(rnd.contest.organisation_id, [rnd.id]))
