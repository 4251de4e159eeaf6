from flask import current_app, jsonify
from sqlalchemy import select

from ...auth import user
from ...extensions import db
from ...models import Contest
from ...presenters.common import contest_json, participation_json, round_json
from ...schemas.bodies import BlockBody, ContestBody, ContestSettingsBody, JoinBody, RoundBody
from ...schemas.replies import (
    BlockReply,
    ContestFull,
    ContestList,
    ParticipationReply,
    PickerUnits,
    RoundFull,
    UnitLists,
)
from ...services.contests import (
    add_block,
    contest_by_slug,
    create_contest,
    create_round,
    own_contest,
    update_contest,
)
from ...services.participations import join_contest, picker_rows
from ...services.signin import set_signin, split_signin
from ...services.units import lists_with_counts
from ...web import g_now
from . import bp
from .spec import INVALID, NOT_FOUND, SIGNED_OUT, route


@route(
    bp,
    "/contests",
    "GET",
    "Các cuộc thi và các đợt thi",
    reply=ContestList,
)
def list_contests():
    contests = db.session.scalars(select(Contest).order_by(Contest.created_at.desc()))
    return jsonify([contest_json(c, g_now()) for c in contests])


@route(
    bp,
    "/contests",
    "POST",
    "Tạo cuộc thi",
    body=ContestBody,
    auth="run_contests",
    responses={201: "Đã tạo", 409: "Slug đã dùng"} | INVALID,
    reply=ContestFull,
)
def new_contest(body: ContestBody):
    contest = create_contest(user(), body.model_dump(), g_now())
    return jsonify(contest_json(contest, g_now(), full=True)), 201


@route(
    bp,
    "/contests/<slug>",
    "GET",
    "Một cuộc thi, các đợt và thể lệ",
    responses=NOT_FOUND,
    reply=ContestFull,
)
def get_contest(slug: str):
    return jsonify(contest_json(contest_by_slug(slug), g_now(), full=True))


@route(
    bp,
    "/contests/<slug>",
    "PUT",
    "Sửa thiết lập cuộc thi",
    body=ContestSettingsBody,
    auth="run_contests",
    responses={200: "Cuộc thi"} | NOT_FOUND | INVALID,
    reply=ContestFull,
)
def edit_contest(slug: str, body: ContestSettingsBody):
    data = body.model_dump()
    mode, password_hash = split_signin(data)  # hashed before anything is written
    contest = update_contest(own_contest(user(), slug), data, user(), g_now())
    set_signin(contest, mode, password_hash, user(), g_now())
    return jsonify(contest_json(contest, g_now(), full=True))


@route(
    bp,
    "/contests/<slug>/blocks",
    "POST",
    "Thêm bảng thi",
    body=BlockBody,
    auth="run_contests",
    responses={201: "Bảng"} | NOT_FOUND | INVALID,
    reply=BlockReply,
)
def new_block(slug: str, body: BlockBody):
    block = add_block(own_contest(user(), slug), body.name, body.category, user(), g_now())
    return jsonify(id=block.id, name=block.name, category=block.category), 201


@route(
    bp,
    "/contests/<slug>/rounds",
    "POST",
    "Tạo đợt thi",
    body=RoundBody,
    auth="run_contests",
    responses={
        201: "Đã tạo",
        404: "Không có cuộc thi",
        409: "Ngân hàng đã công bố đáp án (bank_exposed, kèm exposed): cần confirm_exposed",
    }
    | INVALID,
    reply=RoundFull,
)
def new_round(slug: str, body: RoundBody):
    contest = own_contest(user(), slug)
    rnd = create_round(
        contest, body.model_dump(), current_app.config["DEFAULT_GRACE_S"], user(), g_now()
    )
    return jsonify(round_json(rnd, g_now(), full=True)), 201


@route(
    bp,
    "/contests/<slug>/units",
    "GET",
    "Danh sách đơn vị của cuộc thi (công khai, để đăng ký)",
    responses={
        200: "[{code, name, parent_code, path, selectable}]: selectable là đơn vị "
        "được chọn (đơn vị cấp cuối hoặc được đánh dấu)"
    }
    | NOT_FOUND,
    reply=PickerUnits,
)
def contest_units(slug: str):
    return jsonify(picker_rows(contest_by_slug(slug).unit_list_id))


@route(
    bp,
    "/contests/<slug>/join",
    "POST",
    "Tham gia cuộc thi với một đơn vị của cuộc thi",
    body=JoinBody,
    auth="participant",
    responses={200: "{contest, unit, category, joined_at}"}
    | SIGNED_OUT
    | {
        404: "Không có cuộc thi",
        409: "Đã thi với đơn vị khác",
        422: "Đơn vị không thuộc danh sách của cuộc thi hoặc không được chọn",
    },
    reply=ParticipationReply,
)
def join(slug: str, body: JoinBody):
    part = join_contest(user(), contest_by_slug(slug), body.model_dump(exclude_unset=True), g_now())
    return jsonify(participation_json(part))


@route(
    bp,
    "/unit-lists",
    "GET",
    "Các danh sách đơn vị của tổ chức",
    auth="run_contests",
    responses={200: "[{id, name, units}]"},
    reply=UnitLists,
)
def unit_lists():
    return jsonify(
        [
            {"id": lst.id, "name": lst.name, "units": count}
            for lst, count in lists_with_counts(user().organisation_id)
        ]
    )
