"""Prizes and the announcer's files, for organisers; live counts for everyone."""

from flask import Response, jsonify, send_file, stream_with_context

from ...auth import user
from ...presenters.common import unit_stat_json
from ...schemas.bodies import VoidBody
from ...schemas.replies import ContestStats, RoundPrizesReply, UnitAwards
from ...services import exports, prizes
from ...services.contests import contest_by_slug, own_contest, own_round
from ...web import g_now
from ...web.files import XLSX, xlsx_response
from ...web.settle import settle
from ..boards import cached_counts
from . import bp
from .spec import CONFIRMED, NOT_FOUND, ORGANISER, XLSX_FILE, route


def winner_json(w) -> dict:
    e = w.entry
    return {
        "prize": w.prize,
        "label": w.label,
        "rank": w.rank,
        "entry_id": e.id,
        "name": e.user.full_name,
        "unit": w.unit or None,
        "score": e.score,
        "duration_ms": e.duration_ms,
        "prediction": e.prediction,
    }


def _prizes_response(rnd):
    return jsonify(
        confirmed=rnd.prizes_confirmed_at is not None,
        winners=[winner_json(w) for w in prizes.draft_winners(rnd)],
    )


@route(
    bp,
    "/rounds/<int:round_id>/prizes",
    "GET",
    "Danh sách giải (dự thảo hoặc đã xác nhận)",
    auth="read_results",
    responses={200: "{confirmed, winners}"} | ORGANISER,
    reply=RoundPrizesReply,
)
def round_prizes(round_id: int):
    rnd = own_round(user(), round_id)
    settle(rnd)
    return _prizes_response(rnd)


@route(
    bp,
    "/rounds/<int:round_id>/entries/<int:entry_id>/void",
    "POST",
    "Huỷ kết quả một người (có lý do); danh sách giải được lập lại",
    body=VoidBody,
    auth="run_contests",
    responses={200: "Danh sách giải mới"} | CONFIRMED | ORGANISER,
    reply=RoundPrizesReply,
)
def void_entry(round_id: int, entry_id: int, body: VoidBody):
    rnd = own_round(user(), round_id)
    prizes.void_entry(rnd, prizes.round_entry(rnd, entry_id), body.reason, user(), g_now())
    return _prizes_response(rnd)


@route(
    bp,
    "/rounds/<int:round_id>/entries/<int:entry_id>/restore",
    "POST",
    "Khôi phục kết quả đã huỷ",
    auth="run_contests",
    responses={200: "Danh sách giải mới"} | CONFIRMED | ORGANISER,
    reply=RoundPrizesReply,
)
def restore_entry(round_id: int, entry_id: int):
    rnd = own_round(user(), round_id)
    prizes.restore_entry(rnd, prizes.round_entry(rnd, entry_id), user(), g_now())
    return _prizes_response(rnd)


@route(
    bp,
    "/rounds/<int:round_id>/prizes/confirm",
    "POST",
    "Xác nhận danh sách giải",
    auth="run_contests",
    responses={200: "Đã xác nhận", 409: "Chưa kết thúc / đã xác nhận"} | ORGANISER,
    reply=RoundPrizesReply,
)
def confirm(round_id: int):
    rnd = own_round(user(), round_id)
    settle(rnd)
    prizes.confirm_prizes(rnd, user(), g_now())
    return _prizes_response(rnd)


@route(
    bp,
    "/rounds/<int:round_id>/prizes/reopen",
    "POST",
    "Huỷ xác nhận để sửa danh sách",
    auth="run_contests",
    responses={200: "Dự thảo"} | ORGANISER,
    reply=RoundPrizesReply,
)
def reopen(round_id: int):
    rnd = own_round(user(), round_id)
    prizes.reopen_prizes(rnd, user(), g_now())
    return _prizes_response(rnd)


@route(
    bp,
    "/rounds/<int:round_id>/winners.xlsx",
    "GET",
    "Danh sách đề nghị khen thưởng (.xlsx, trình bày để in)",
    auth="read_results",
    responses=XLSX_FILE | ORGANISER,
)
def winners_xlsx(round_id: int):
    rnd = own_round(user(), round_id)
    return xlsx_response(
        exports.export_winners(user(), rnd, g_now()), f"de-nghi-khen-thuong-dot-{rnd.id}.xlsx"
    )


@route(
    bp,
    "/contests/<slug>/results.xlsx",
    "GET",
    "Toàn bộ kết quả mọi đợt (.xlsx)",
    auth="read_results",
    responses=XLSX_FILE | ORGANISER,
)
def contest_results_xlsx(slug: str):
    contest = own_contest(user(), slug)
    return send_file(
        exports.export_results_xlsx(user(), contest, g_now()),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"ket-qua-{contest.slug}.xlsx",
    )


@route(
    bp,
    "/contests/<slug>/results.csv",
    "GET",
    "Toàn bộ kết quả mọi đợt (.csv, UTF-8)",
    auth="read_results",
    responses={200: "Tệp .csv"} | ORGANISER,
)
def contest_results_csv(slug: str):
    contest = own_contest(user(), slug)
    chunks = exports.export_results_csv(user(), contest, g_now())
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="ket-qua-{contest.slug}.csv"'},
    )


@route(
    bp,
    "/contests/<slug>/units/awards",
    "GET",
    "Giải tập thể theo cách xét của cuộc thi",
    query={"round_id": "integer"},
    responses=NOT_FOUND,
    reply=UnitAwards,
)
def unit_awards(slug: str):
    from .results import contest_round_ids

    contest = contest_by_slug(slug)
    return jsonify(
        [
            unit_stat_json(s) | {"prize": prize}
            for s, prize in prizes.unit_awards(contest, contest_round_ids(contest))
        ]
    )


@route(
    bp,
    "/contests/<slug>/stats",
    "GET",
    "Số liệu trực tiếp: lượt thi, người thi, đơn vị",
    responses={200: "{attempts, participants, units}"} | NOT_FOUND,
    reply=ContestStats,
)
def contest_stats(slug: str):
    return jsonify(cached_counts(contest_by_slug(slug)))
