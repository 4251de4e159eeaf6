"""What is announced: standings over the contest, a closed round's bulletin, the decision."""

import io

from flask import jsonify, send_file

from ...auth import user
from ...presenters.announcements import bulletin_json, standings_json
from ...schemas.replies import BulletinReply, StandingsReply
from ...services import exports
from ...services.contests import contest_by_slug, own_round
from ...web import g_now, limit_arg
from ...web.settle import closed_round
from . import bp
from .spec import DOCX, DOCX_FILE, NOT_FOUND, ORGANISER, route


@route(
    bp,
    "/contests/<slug>/standings",
    "GET",
    "Xếp hạng chung cuộc qua mọi đợt đã kết thúc",
    query={"limit": "integer"},
    responses={200: "{entries: [{rank, name, unit, rounds_taken, total_score, total_duration_ms}]}"}
    | NOT_FOUND
    | {422: "limit 1..500"},
    reply=StandingsReply,
)
def contest_standings(slug: str):
    contest = contest_by_slug(slug)
    limit = limit_arg()
    return jsonify(standings_json(contest, limit))


@route(
    bp,
    "/rounds/<int:round_id>/bulletin",
    "GET",
    "Bản tin của đợt thi đã kết thúc (công khai)",
    responses={200: "{entries, people, perfect_count, score_bands, lowest_units, winners}"}
    | NOT_FOUND
    | {409: "Đợt thi chưa kết thúc"},
    reply=BulletinReply,
)
def round_bulletin(round_id: int):
    return jsonify(bulletin_json(closed_round(round_id)))


@route(
    bp,
    "/rounds/<int:round_id>/decision.docx",
    "GET",
    "Dự thảo Quyết định khen thưởng kèm danh sách cá nhân, tập thể (.docx)",
    auth="read_results",
    responses=DOCX_FILE | ORGANISER,
)
def decision_docx(round_id: int):
    rnd = own_round(user(), round_id)
    data = exports.export_decision(user(), rnd, g_now())  # built first, then recorded
    return send_file(
        io.BytesIO(data),
        mimetype=DOCX,
        as_attachment=True,
        download_name=f"quyet-dinh-khen-thuong-dot-{rnd.id}.docx",
    )
