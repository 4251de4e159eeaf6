"""The contest's final prizes (giải chung cuộc) for organisers: the draft from the standings,
leaving a person out (with a reason) or back in, confirming, reopening, the decision draft."""

import io

from flask import jsonify, send_file

from ...auth import user
from ...models import Contest
from ...schemas.bodies import VoidBody
from ...schemas.replies import FinalPrizesReply
from ...services import final_prizes as final
from ...services.contests import own_contest
from ...services.exports import export_final_decision
from ...web import g_now
from ...web.settle import settle_contest
from . import bp
from .announcements import DOCX
from .spec import CONFIRMED, DOCX_FILE, ORGANISER, route


def final_winner_json(w) -> dict:
    return {
        "prize": w.prize,
        "label": w.label,
        "rank": w.rank,
        "user_id": w.user.id,
        "name": w.user.full_name,
        "unit": w.unit or None,
        "rounds_taken": w.rounds_taken,
        "total_score": w.total_score,
        "total_duration_ms": w.total_duration_ms,
    }


def final_json(contest: Contest) -> dict:
    now = g_now()
    return {
        "confirmed": contest.final_prizes_confirmed_at is not None,
        "counts": contest.final_prize_counts,
        "winners": [final_winner_json(w) for w in final.final_winners(contest, now)],
        "units": [
            {
                "rank": s.rank,
                "unit_code": s.unit.code,
                "unit": s.unit.name,
                "participants": s.participants,
                "headcount": s.headcount,
                "participation_rate": s.participation_rate,
                "prize": prize,
            }
            for s, prize in final.final_unit_prizes(contest, now)
        ],
        "left_out": [
            {"user_id": v.user_id, "name": v.user.full_name, "reason": v.reason}
            for v in final.voids(contest)
        ],
    }


@route(
    bp,
    "/contests/<slug>/prizes",
    "GET",
    "Giải chung cuộc (dự thảo theo xếp hạng chung, hoặc đã xác nhận)",
    auth="read_results",
    responses={200: "{confirmed, counts, winners, units, left_out}"} | ORGANISER,
    reply=FinalPrizesReply,
)
def final_prizes(slug: str):
    contest = own_contest(user(), slug)
    settle_contest(contest)
    return jsonify(final_json(contest))


@route(
    bp,
    "/contests/<slug>/prizes/people/<int:user_id>/void",
    "POST",
    "Loại một người khỏi giải chung cuộc (có lý do); dự thảo được lập lại",
    body=VoidBody,
    auth="run_contests",
    responses={200: "Dự thảo mới"} | CONFIRMED | ORGANISER,
    reply=FinalPrizesReply,
)
def void_final(slug: str, user_id: int, body: VoidBody):
    contest = own_contest(user(), slug)
    final.void_person(
        contest, final.contest_person(contest, user_id, g_now()), body.reason, user(), g_now()
    )
    return jsonify(final_json(contest))


@route(
    bp,
    "/contests/<slug>/prizes/people/<int:user_id>/restore",
    "POST",
    "Đưa một người trở lại giải chung cuộc",
    auth="run_contests",
    responses={200: "Dự thảo mới"} | CONFIRMED | ORGANISER,
    reply=FinalPrizesReply,
)
def restore_final(slug: str, user_id: int):
    contest = own_contest(user(), slug)
    final.restore_person(contest, final.contest_person(contest, user_id, g_now()), user(), g_now())
    return jsonify(final_json(contest))


@route(
    bp,
    "/contests/<slug>/prizes/confirm",
    "POST",
    "Xác nhận giải chung cuộc",
    auth="run_contests",
    responses={200: "Đã xác nhận", 409: "Còn đợt chưa kết thúc / đã xác nhận"} | ORGANISER,
    reply=FinalPrizesReply,
)
def confirm_final(slug: str):
    contest = own_contest(user(), slug)
    settle_contest(contest)
    final.confirm_final(contest, user(), g_now())
    return jsonify(final_json(contest))


@route(
    bp,
    "/contests/<slug>/prizes/reopen",
    "POST",
    "Huỷ xác nhận giải chung cuộc để sửa",
    auth="run_contests",
    responses={200: "Dự thảo"} | ORGANISER,
    reply=FinalPrizesReply,
)
def reopen_final(slug: str):
    contest = own_contest(user(), slug)
    final.reopen_final(contest, user(), g_now())
    return jsonify(final_json(contest))


@route(
    bp,
    "/contests/<slug>/decision.docx",
    "GET",
    "Dự thảo Quyết định khen thưởng chung cuộc kèm danh sách cá nhân, tập thể (.docx)",
    auth="read_results",
    responses=DOCX_FILE | ORGANISER,
)
def final_decision_docx(slug: str):
    contest = own_contest(user(), slug)
    settle_contest(contest)
    data = export_final_decision(user(), contest, g_now())
    return send_file(
        io.BytesIO(data),
        mimetype=DOCX,
        as_attachment=True,
        download_name=f"quyet-dinh-khen-thuong-{contest.slug}.docx",
    )
