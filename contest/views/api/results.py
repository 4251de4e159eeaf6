from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from ...auth import user
from ...errors import Invalid
from ...presenters.common import unit_stat_json
from ...ranking import unit_stats
from ...schemas.replies import LeaderboardReply, UnitRanking
from ...services import exports
from ...services.contests import contest_by_slug, own_round, round_by_id
from ...timing import closes_for_good, iso, score_visible, scores_hidden
from ...web import g_now, limit_arg
from ...web.files import xlsx_response
from ...web.settle import settle
from ..boards import cached_board
from . import bp
from .spec import NOT_FOUND, ORGANISER, XLSX_FILE, route


@route(
    bp,
    "/rounds/<int:round_id>/leaderboard",
    "GET",
    "Bảng xếp hạng cá nhân của đợt",
    query={"limit": "integer"},
    responses={200: "{entries}"} | NOT_FOUND,
    reply=LeaderboardReply,
)
def round_leaderboard(round_id: int):
    rnd = round_by_id(round_id)
    settle(rnd)
    limit = limit_arg()
    visible = score_visible(rnd, g_now())
    return jsonify(
        entries=cached_board(rnd, limit),
        score_visible=visible,
        **(
            {}
            if visible
            else {"score_visible_at": iso(closes_for_good(rnd.closes_at, rnd.grace_s))}
        ),
    )


@route(
    bp,
    "/contests/<slug>/units/ranking",
    "GET",
    "Xếp hạng đơn vị",
    query={"round_id": "integer"},
    responses=NOT_FOUND,
    reply=UnitRanking,
)
def unit_ranking(slug: str):
    contest = contest_by_slug(slug)
    round_ids = contest_round_ids(contest)
    stats = unit_stats(
        contest.unit_list_id,
        round_ids,
        level=contest.unit_level,
        cache_s=current_app.config["LEADERBOARD_CACHE_S"],
    )
    hidden = scores_hidden([r for r in contest.rounds if r.id in round_ids], g_now())
    return jsonify([unit_stat_json(s, hidden) for s in stats])


def contest_round_ids(contest) -> list[int]:
    """All the contest's rounds, or the one named by ?round_id= (422 if not the contest's)."""
    round_ids = [r.id for r in contest.rounds]
    wanted = request.args.get("round_id", type=int)
    if wanted is None:
        return round_ids
    if wanted not in round_ids:
        raise Invalid(fields={"round_id": str(_l("Đợt thi không thuộc cuộc thi này."))})
    return [wanted]


@route(
    bp,
    "/rounds/<int:round_id>/export.xlsx",
    "GET",
    "Xuất kết quả đợt thi",
    auth="read_results",
    responses=XLSX_FILE | ORGANISER,
)
def export_round(round_id: int):
    rnd = own_round(user(), round_id)
    return xlsx_response(exports.export_round(user(), rnd, g_now()), f"ket-qua-dot-{rnd.id}.xlsx")
