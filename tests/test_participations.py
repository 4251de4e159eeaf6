"""Entering a contest (issue 14): a second organisation runs a contest over its own unit list; a
new participant registers into it, an existing one joins it with another unit and takes the
round; each contest's unit ranking counts the unit its entries carry. Grouping rows and units
of another list are refused, and no organisation reaches another's lists."""

import io
from datetime import timedelta

import pytest
from conftest import BANK_HEADERS, START, Api, bank_rows, iso, upload_units, xlsx_bytes
from sqlalchemy import select
from test_results import play

from contest.extensions import db
from contest.models import Entry, Participation, Round, Unit, User

DONG_SON = [
    ["DS", "UBND huyện Đông Sơn", "", 0],
    ["DS-HOA", "UBND xã Đông Hòa", "DS", 20],
    ["DS-TIEN", "UBND xã Đông Tiến", "DS", 25],
    ["DS-PNV", "Phòng Nội vụ", "DS", 8],
]


def second_organiser(app, runner, code="dong-son", email="ds@example.vn"):
    """An organiser of another organisation (made by the CLI) with its own named list."""
    result = runner.invoke(
        args=[
            "create-organiser",
            email,
            "--password",
            "matkhau1",
            "--name",
            "Phòng Nội vụ Đông Sơn",
            "--organisation",
            code,
        ]
    )
    assert result.exit_code == 0, result.output
    api = Api(app.test_client())
    assert (
        api.post("/api/v1/login", json={"login": email, "password": "matkhau1"}).status_code == 200
    )
    api.refresh_csrf()
    imported = upload_units(api, DONG_SON, "ds.xlsx", list_name="Khối CBCCVC")
    assert imported.status_code == 200, imported.json
    assert imported.json["unit_list"] == "Khối CBCCVC" and imported.json["created"] == 4
    api.unit_list_id = imported.json["unit_list_id"]
    return api


def open_contest(api, slug="dong-son", unit_list_id=None):
    bank = api.post(
        "/api/v1/banks",
        data={
            "file": (io.BytesIO(xlsx_bytes([BANK_HEADERS] + bank_rows(10))), "nh.xlsx"),
            "name": "Ngân hàng",
        },
    ).json["id"]
    made = api.post(
        "/api/v1/contests",
        json={
            "slug": slug,
            "title": "Cuộc thi Đông Sơn",
            "masking": "none",
            "unit_list_id": unit_list_id or api.unit_list_id,
        },
    )
    assert made.status_code == 201, made.json
    rnd = api.post(
        f"/api/v1/contests/{slug}/rounds",
        json={
            "name": "Tuần 1",
            "opens_at": iso(START - timedelta(hours=1)),
            "closes_at": iso(START + timedelta(days=7)),
            "bank_id": bank,
            "question_count": 5,
            "time_limit_s": 600,
            "max_attempts": 1,
            "score_display": "after_submit",
        },
    )
    assert rnd.status_code == 201, rnd.json
    return rnd.json


def _register(app, phone, unit, contest=None):
    api = Api(app.test_client())
    body = {
        "full_name": "Lê Thị Bình",
        "phone": phone,
        "password": "matkhau1",
        "unit_code": unit,
    } | ({"contest": contest} if contest else {})
    return api, api.post("/api/v1/register", json=body)


def _entry_unit(app, phone, round_id):
    with app.app_context():
        return db.session.scalar(
            select(Unit.code)
            .join(Entry, Entry.unit_id == Unit.id)
            .join(User, User.id == Entry.user_id)
            .where(User.phone == phone, Entry.round_id == round_id)
        )


def _ranking(client, slug):
    return {
        u["unit_code"]: u["participants"]
        for u in client.get(f"/api/v1/contests/{slug}/units/ranking").json
    }


def test_a_second_organisation_runs_a_contest_over_its_own_units(
    app, runner, client, make_round, register, clock
):
    first = make_round()  # the default organisation's contest over its list (UB, PNV, PTC)
    an = register(phone="0912000001", unit="PNV")
    play(app, an, first["id"], 4, clock, 30)
    ds = second_organiser(app, runner)
    second = open_contest(ds)
    units = client.get("/api/v1/contests/dong-son/units").json
    assert {
        "code": "DS-HOA",
        "name": "UBND xã Đông Hòa",
        "parent_code": "DS",
        "path": "UBND huyện Đông Sơn › UBND xã Đông Hòa",
        "selectable": True,
    } in units
    assert {u["code"]: u["selectable"] for u in units}["DS"] is False
    assert "PNV" not in {u["code"] for u in units}
    # a new participant registers into it with one of its units
    binh, made = _register(app, "0912000002", "DS-HOA", contest="dong-son")
    assert made.status_code == 201, made.json
    binh.refresh_csrf()
    play(app, binh, second["id"], 5, clock, 20)
    # an existing participant of the first contest must join it first, then takes the round
    refused = an.post(f"/api/v1/rounds/{second['id']}/attempts")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_joined"
    joined = an.post("/api/v1/contests/dong-son/join", json={"unit_code": "ds-tien"})
    assert joined.status_code == 200, joined.json
    assert joined.json["unit"] == {"code": "DS-TIEN", "name": "UBND xã Đông Tiến"}
    play(app, an, second["id"], 3, clock, 40)
    assert _ranking(client, "dong-son") == {"DS-HOA": 1, "DS-TIEN": 1, "DS-PNV": 0, "DS": 0}
    assert _ranking(client, "thu") == {"PNV": 1, "PTC": 0, "UB": 0}
    assert _entry_unit(app, "0912000001", first["id"]) == "PNV"  # kept its first unit
    assert _entry_unit(app, "0912000001", second["id"]) == "DS-TIEN"
    with app.app_context():
        kept = {
            (p.contest.slug, p.unit.code)
            for p in db.session.scalars(
                select(Participation).join(User).where(User.phone == "0912000001")
            )
        }
    assert kept == {("thu", "PNV"), ("dong-son", "DS-TIEN")}


def test_grouping_rows_and_other_lists_units_are_refused(app, runner, organiser, register):
    ds = second_organiser(app, runner)
    open_contest(ds)
    for unit in ("DS", "PNV", "KHONG-CO"):  # a grouping row, another list's unit, none
        _api, response = _register(app, "0912000003", unit, contest="dong-son")
        assert response.status_code == 422 and "unit_code" in response.json["error"]["fields"]
    an = register(phone="0912000004", unit="PNV")
    for unit in ("DS", "PNV", "UB"):
        refused = an.post("/api/v1/contests/dong-son/join", json={"unit_code": unit})
        assert refused.status_code == 422, (unit, refused.json)
    assert (
        an.post("/api/v1/contests/khong-co/join", json={"unit_code": "DS-HOA"}).status_code == 404
    )
    anonymous = Api(app.test_client())
    assert (
        anonymous.post("/api/v1/contests/dong-son/join", json={"unit_code": "DS-HOA"}).status_code
        == 401
    )
    _api, uub = _register(app, "0912000005", "UB")  # the default list: UB groups PNV and PTC
    assert uub.status_code == 422


def test_a_grouping_row_marked_selectable_can_be_chosen(app, runner, organiser, register):
    rows = [row + [""] for row in DONG_SON]
    rows[0][4] = "x"
    data = xlsx_bytes(
        [["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Số CBCCVC", "Được chọn"]] + rows
    )
    assert (
        organiser.post(
            "/api/v1/units/import",
            data={"file": (io.BytesIO(data), "x.xlsx"), "list_name": "Có chọn"},
        ).status_code
        == 200
    )
    lists = {row["name"]: row["id"] for row in organiser.get("/api/v1/unit-lists").json}
    assert set(lists) == {"Danh sách đơn vị", "Có chọn"}
    organiser.post(
        "/api/v1/contests",
        json={"slug": "chon", "title": "Chọn được", "unit_list_id": lists["Có chọn"]},
    )
    _api, made = _register(app, "0912000006", "DS", contest="chon")
    assert made.status_code == 201, made.json


def test_a_new_contest_takes_the_organisations_default_list_until_another_is_chosen(
    app, runner, organiser, register
):
    """A contest made with the API's {slug, title} after POST /units/import can be entered at
    once, in the units of that (default) list; the organiser may choose another until someone
    enters. An organisation with no list yet makes contests with none (the demo's list gives
    way to the organisation's own: test_participation_pages)."""
    made = organiser.post("/api/v1/contests", json={"slug": "moi", "title": "Cuộc thi mới"})
    assert made.status_code == 201
    assert made.json["unit_list_id"] == organiser.unit_list_id
    assert {u["code"] for u in organiser.get("/api/v1/contests/moi/units").json} == {
        "UB",
        "PNV",
        "PTC",
    }
    other = upload_units(organiser, DONG_SON, "ds.xlsx", list_name="Khác").json
    chosen = organiser.put("/api/v1/contests/moi", json={"unit_list_id": other["unit_list_id"]})
    assert chosen.status_code == 200
    _api, response = _register(app, "0912000007", "PNV", contest="moi")
    assert response.status_code == 422  # PNV is not in the list chosen now
    back = organiser.put("/api/v1/contests/moi", json={"unit_list_id": organiser.unit_list_id})
    assert back.status_code == 200
    _api, response = _register(app, "0912000007", "PNV", contest="moi")
    assert response.status_code == 201
    moved = organiser.put("/api/v1/contests/moi", json={"unit_list_id": other["unit_list_id"]})
    assert moved.status_code == 409  # someone entered it with a unit of the current list
    result = runner.invoke(
        args=[
            "create-organiser",
            "tn@example.vn",
            "--password",
            "matkhau1",
            "--name",
            "Tân",
            "--organisation",
            "tan-ninh",
        ]
    )
    assert result.exit_code == 0, result.output
    fresh = Api(app.test_client())
    login = {"login": "tn@example.vn", "password": "matkhau1"}
    assert fresh.post("/api/v1/login", json=login).status_code == 200
    fresh.refresh_csrf()
    empty = fresh.post("/api/v1/contests", json={"slug": "trong", "title": "Chưa có đơn vị"})
    assert empty.status_code == 201 and empty.json["unit_list_id"] is None
    assert fresh.get("/api/v1/contests/trong/units").json == []


def test_no_organisation_reaches_anothers_lists_or_contests(app, runner, organiser, make_round):
    make_round()
    ds = second_organiser(app, runner)
    assert [row["name"] for row in ds.get("/api/v1/unit-lists").json] == ["Khối CBCCVC"]
    theirs = organiser.unit_list_id
    assert (
        ds.post(
            "/api/v1/contests",
            json={"slug": "lay", "title": "Lấy danh sách", "unit_list_id": theirs},
        ).status_code
        == 404
    )
    assert ds.put("/api/v1/contests/thu", json={"unit_list_id": ds.unit_list_id}).status_code == 404
    assert upload_units(ds, unit_list_id=str(theirs)).status_code == 404
    open_contest(ds)
    assert ds.put("/api/v1/contests/dong-son", json={"unit_list_id": theirs}).status_code == 404
    with app.app_context():
        codes = set(db.session.scalars(select(Unit.code).where(Unit.unit_list_id == theirs)))
    assert codes == {"UB", "PNV", "PTC"}  # the upload aimed at it changed nothing


def test_an_entry_at_finalise_keeps_the_participations_unit(
    app, runner, make_round, register, clock
):
    """The recount at close (prediction rounds) reads the unit from the participation, not
    from the account's last choice."""
    rnd = make_round(prediction="perfect_count", max_attempts=1)
    an = register(phone="0912000008", unit="PNV")
    play(app, an, rnd["id"], 5, clock, 10, prediction=1)
    ds = second_organiser(app, runner)
    open_contest(ds)
    assert (
        an.post("/api/v1/contests/dong-son/join", json={"unit_code": "DS-HOA"}).status_code == 200
    )
    clock.advance(days=8)
    with app.app_context():
        from contest.services.entries import finalize_round

        assert finalize_round(db.session.get(Round, rnd["id"]), clock.now)
        db.session.commit()
    assert _entry_unit(app, "0912000008", rnd["id"]) == "PNV"


@pytest.mark.parametrize(
    "body", [{"unit_code": "DS-HOA", "category": "khac"}, {"unit_code": "x" * 41}, {}]
)
def test_join_refuses_bad_bodies(app, runner, register, body):
    ds = second_organiser(app, runner)
    open_contest(ds)
    an = register(phone="0912000009")
    assert an.post("/api/v1/contests/dong-son/join", json=body).status_code == 422
