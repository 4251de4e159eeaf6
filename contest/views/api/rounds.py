"""An organiser's control of a round: read it, edit it, close it early, delete it."""

from flask import current_app, jsonify

from ...auth import user as caller
from ...presenters.common import round_json
from ...schemas.bodies import CloseRoundBody, RoundPatchBody
from ...schemas.replies import OrganiserRound
from ...schemas.validate import given_fields
from ...services.contests import own_round
from ...services.rounds import close_round, delete_round, update_round
from ...timing import iso
from ...web import g_now
from . import bp
from .spec import INVALID, NOT_FOUND, route


def organiser_round_json(rnd) -> dict:
    return round_json(rnd, g_now(), full=True) | {"finalized_at": iso(rnd.finalized_at)}


@route(
    bp,
    "/rounds/<int:round_id>",
    "GET",
    "Một đợt thi (trạng thái, thời điểm chốt)",
    auth="read_results",
    responses={200: "Đợt thi"} | NOT_FOUND,
    reply=OrganiserRound,
)
def get_round(round_id: int):
    return jsonify(organiser_round_json(own_round(caller(), round_id)))


@route(
    bp,
    "/rounds/<int:round_id>",
    "PATCH",
    "Sửa đợt thi (đang diễn ra: chỉ giờ kết thúc)",
    body=RoundPatchBody,
    auth="run_contests",
    responses={200: "Đợt thi"} | NOT_FOUND | {409: "Đợt thi đã mở hoặc đã kết thúc"} | INVALID,
    reply=OrganiserRound,
)
def edit_round(round_id: int, body: RoundPatchBody):
    user = caller()
    rnd = update_round(
        own_round(user, round_id),
        given_fields(body),
        user,
        g_now(),
        current_app.config["DEFAULT_GRACE_S"],
    )
    return jsonify(organiser_round_json(rnd))


@route(
    bp,
    "/rounds/<int:round_id>/close",
    "POST",
    "Đóng đợt thi ngay, có lý do",
    body=CloseRoundBody,
    auth="run_contests",
    responses={200: "Đợt thi"}
    | NOT_FOUND
    | {409: "Đợt thi không đang diễn ra", 422: "Thiếu lý do"},
    reply=OrganiserRound,
)
def close_round_now(round_id: int, body: CloseRoundBody):
    user = caller()
    rnd = close_round(own_round(user, round_id), body.reason, user, g_now())
    return jsonify(organiser_round_json(rnd))


@route(
    bp,
    "/rounds/<int:round_id>",
    "DELETE",
    "Xoá đợt thi chưa ai thi",
    auth="run_contests",
    responses={204: "Đã xoá"} | NOT_FOUND | {409: "Đã có lượt thi"},
)
def remove_round(round_id: int):
    user = caller()
    delete_round(own_round(user, round_id), user, g_now())
    return "", 204
