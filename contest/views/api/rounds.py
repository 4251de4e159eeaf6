"""An organiser's control of a round: read it, edit it, close it early, delete it."""
from flask import current_app, jsonify

from ...auth import organiser_required, require_organiser
from ...extensions import db
from ...services.contests import own_round
from ...services.rounds import close_round, delete_round, update_round
from ...timing import iso
from ...web import g_now
from . import bp
from .present import round_json
from .schemas import CloseRoundBody, RoundPatchBody
from .spec import route


def given_fields(body) -> dict:
    """The fields the client sent (a nested quota keeps all its keys, as creation stores it)."""
    return {k: v for k, v in body.model_dump().items() if k in body.model_fields_set}


def organiser_round_json(rnd) -> dict:
    return round_json(rnd, g_now(), full=True) | {"finalized_at": iso(rnd.finalized_at)}


@route(bp, "/rounds/<int:round_id>", "GET", "Một đợt thi (trạng thái, thời điểm chốt)",
       auth="organiser", responses={200: "Đợt thi", 404: "Không có"})
@organiser_required
def get_round(round_id: int):
    return jsonify(organiser_round_json(own_round(require_organiser(), round_id)))


@route(bp, "/rounds/<int:round_id>", "PATCH", "Sửa đợt thi (đang diễn ra: chỉ giờ kết thúc)",
       body=RoundPatchBody, auth="organiser",
       responses={200: "Đợt thi", 404: "Không có", 409: "Đợt thi đã mở hoặc đã kết thúc",
                  422: "Dữ liệu chưa hợp lệ"})
@organiser_required
def edit_round(round_id: int, body: RoundPatchBody):
    user = require_organiser()
    rnd = update_round(own_round(user, round_id), given_fields(body), user,
                       g_now(), current_app.config["DEFAULT_GRACE_S"])
    db.session.commit()  # TXN
    return jsonify(organiser_round_json(rnd))


@route(bp, "/rounds/<int:round_id>/close", "POST", "Đóng đợt thi ngay, có lý do",
       body=CloseRoundBody, auth="organiser",
       responses={200: "Đợt thi", 404: "Không có", 409: "Đợt thi không đang diễn ra",
                  422: "Thiếu lý do"})
@organiser_required
def close_round_now(round_id: int, body: CloseRoundBody):
    user = require_organiser()
    rnd = close_round(own_round(user, round_id), body.reason, user, g_now())
    db.session.commit()  # TXN
    return jsonify(organiser_round_json(rnd))


@route(bp, "/rounds/<int:round_id>", "DELETE", "Xoá đợt thi chưa ai thi",
       auth="organiser", responses={204: "Đã xoá", 404: "Không có", 409: "Đã có lượt thi"})
@organiser_required
def remove_round(round_id: int):
    user = require_organiser()
    delete_round(own_round(user, round_id), user, g_now())
    db.session.commit()  # TXN
    return "", 204
