"""Entering a contest through the pages: registration into a contest shows only its units with
their paths; a participant who has not entered a contest is sent to the join form before the
round, and takes it after; the organiser picks or uploads a contest's list, fixes a unit in one
contest only; the demo's named list never reaches a new contest."""

import io

from conftest import Api, csrf_from, post_form, units_xlsx, upload_units
from sqlalchemy import select
from test_participations import DONG_SON, open_contest, second_organiser

DONG_SON_CODES = {row[0] for row in DONG_SON}  # the codes of the Đông Sơn list

from contest.extensions import db
from contest.models import AuditEntry, Entry, Participation, Unit, User


def test_registering_into_a_contest_shows_its_units_and_enters_it(app, runner, organiser):
    ds = second_organiser(app, runner)
    open_contest(ds)
    client = app.test_client()
    page = client.get("/dang-ky?contest=dong-son")
    assert page.status_code == 200
    html = page.text
    assert "UBND huyện Đông Sơn › UBND xã Đông Hòa" in html and 'value="DS-HOA"' in html
    assert 'value="DS"' not in html  # a grouping row is a group label, never an option
    assert "Phòng Tài chính" not in html and 'value="PNV"' not in html  # another list
    assert '<optgroup label="UBND huyện Đông Sơn">' in html and "js/unit-picker.js" in html
    done = client.post(
        "/dang-ky?contest=dong-son",
        data={
            "csrf_token": csrf_from(html),
            "full_name": "Hoàng Văn Giang",
            "phone": "0912000010",
            "password": "matkhau1",
            "unit_code": "DS-TIEN",
            "category": "nhan_dan",
        },
    )
    assert done.status_code == 302, done.text
    grouping = post_form(
        app.test_client(),
        "/dang-ky?contest=dong-son",
        {
            "full_name": "Hoàng Văn Hải",
            "phone": "0912000011",
            "password": "matkhau1",
            "unit_code": "DS",
        },
    )
    assert grouping.status_code == 422 and "nhóm đơn vị" in grouping.text
    with app.app_context():
        part = db.session.scalar(select(Participation).join(User).where(User.phone == "0912000010"))
        assert (part.contest.slug, part.unit.code, part.category) == (
            "dong-son",
            "DS-TIEN",
            "nhan_dan",
        )


def test_a_participant_joins_from_the_page_before_the_round(
    app, runner, make_round, register, clock
):
    make_round()
    ds = second_organiser(app, runner)
    second = open_contest(ds)
    an = register(phone="0912000012", unit="PNV")
    client = an.client
    contest_page = client.get("/cuoc-thi/dong-son").text
    assert "Tham gia cuộc thi: chọn đơn vị của bạn" in contest_page
    start = client.post(
        f"/dot-thi/{second['id']}/bat-dau", data={"csrf_token": csrf_from(contest_page)}
    )
    assert start.status_code == 302 and start.headers["Location"].endswith(
        "/cuoc-thi/dong-son/tham-gia"
    )
    form = client.get("/cuoc-thi/dong-son/tham-gia")
    assert form.status_code == 200 and "UBND xã Đông Hòa" in form.text
    wrong = client.post(
        "/cuoc-thi/dong-son/tham-gia",
        data={"csrf_token": csrf_from(form.text), "unit_code": "PNV", "category": "cbccvc"},
    )
    assert wrong.status_code == 422 and "Không có đơn vị này" in wrong.text
    joined = client.post(
        "/cuoc-thi/dong-son/tham-gia",
        data={"csrf_token": csrf_from(form.text), "unit_code": "DS-HOA", "category": "cbccvc"},
    )
    assert joined.status_code == 302
    page = client.get("/cuoc-thi/dong-son").text
    assert "Bạn tham gia với đơn vị: UBND xã Đông Hòa." in page
    started = client.post(f"/dot-thi/{second['id']}/bat-dau", data={"csrf_token": csrf_from(page)})
    assert "/bai-thi/" in started.headers["Location"]
    assert Api(app.test_client()).get("/cuoc-thi/dong-son/tham-gia").status_code == 302  # login


def test_the_organiser_picks_or_uploads_a_contests_list(app, organiser):
    page_client = organiser.client
    assert (
        organiser.post(
            "/api/v1/contests", json={"slug": "thi-moi", "title": "Cuộc thi mới"}
        ).status_code
        == 201
    )
    page = page_client.get("/to-chuc/cuoc-thi/thi-moi").text
    assert "Cuộc thi chưa có danh sách đơn vị" not in page  # the organisation's default list
    assert 'danh sách "Danh sách đơn vị" (3 đơn vị)' in page
    token = csrf_from(page)
    chosen = page_client.post(
        "/to-chuc/cuoc-thi/thi-moi/don-vi",
        data={"csrf_token": token, "unit_list_id": str(organiser.unit_list_id)},
    )
    assert chosen.status_code == 302
    assert (
        'danh sách "Danh sách đơn vị" (3 đơn vị)'
        in page_client.get("/to-chuc/cuoc-thi/thi-moi").text
    )
    assert (
        organiser.post("/api/v1/contests", json={"slug": "moi-2", "title": "Mới nữa"}).status_code
        == 201
    )
    uploaded = page_client.post(
        "/to-chuc/don-vi",
        data={
            "csrf_token": token,
            "unit_list_id": "new",
            "list_name": "Khối Nhân dân",
            "contest": "moi-2",
            "file": (io.BytesIO(units_xlsx(DONG_SON)), "nd.xlsx"),
        },
    )
    assert uploaded.status_code == 302
    assert {u["code"] for u in organiser.get("/api/v1/contests/moi-2/units").json} == DONG_SON_CODES
    units_page = page_client.get("/to-chuc/don-vi").text
    assert "Khối Nhân dân (4)" in units_page and "Danh sách đơn vị (3)" in units_page
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("contest_settings") == 2 and "import_units" in actions


def test_another_organisations_list_answers_404_on_the_pages(app, runner, organiser):
    ds = second_organiser(app, runner)
    open_contest(ds)
    page = organiser.client.get("/to-chuc/don-vi").text
    assert "Khối CBCCVC" not in page
    assert organiser.client.get(f"/to-chuc/don-vi?ds={ds.unit_list_id}").status_code == 404
    assert (
        organiser.client.get(f"/to-chuc/don-vi/danh-sach.xlsx?ds={ds.unit_list_id}").status_code
        == 404
    )
    assert (
        organiser.post("/api/v1/contests", json={"slug": "cua-toi", "title": "Của tôi"}).status_code
        == 201
    )
    token = csrf_from(page)
    assert (
        organiser.client.post(
            "/to-chuc/cuoc-thi/cua-toi/don-vi",
            data={"csrf_token": token, "unit_list_id": str(ds.unit_list_id)},
        ).status_code
        == 404
    )
    assert (
        ds.client.post(
            "/to-chuc/cuoc-thi/cua-toi/don-vi",
            data={
                "csrf_token": csrf_from(ds.client.get("/to-chuc/don-vi").text),
                "unit_list_id": str(ds.unit_list_id),
            },
        ).status_code
        == 404
    )


def test_fixing_a_unit_changes_one_contest_only(
    app, runner, organiser, make_round, register, clock
):
    first = make_round()
    an = register(phone="0912000013", unit="PNV")
    assert an.post(f"/api/v1/rounds/{first['id']}/attempts").status_code == 201
    ds = second_organiser(app, runner)
    second = open_contest(ds)
    assert (
        an.post("/api/v1/contests/dong-son/join", json={"unit_code": "DS-HOA"}).status_code == 200
    )
    attempt = an.post(f"/api/v1/rounds/{second['id']}/attempts").json
    assert an.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).status_code == 200
    listed = ds.client.get("/to-chuc/nguoi-du-thi").text
    assert "0912000013" in listed and "UBND xã Đông Hòa" in listed
    assert "Phòng Nội vụ <span" not in listed  # the first contest's unit is not theirs
    moved = ds.client.post(
        f"/to-chuc/nguoi-du-thi/{an.user['id']}/don-vi",
        data={"csrf_token": csrf_from(listed), "contest": "dong-son", "unit_code": "DS-TIEN"},
    )
    assert moved.status_code == 302
    monitor = ds.client.get(f"/to-chuc/dot-thi/{second['id']}").text
    assert "<tr><td>Nguyễn Văn An</td><td>UBND xã Đông Tiến</td>" in monitor  # its recent
    first_monitor = organiser.client.get(f"/to-chuc/dot-thi/{first['id']}").text
    assert "<tr><td>Nguyễn Văn An</td><td>Phòng Nội vụ</td>" in first_monitor  # kept there
    refused = ds.client.post(
        f"/to-chuc/nguoi-du-thi/{an.user['id']}/don-vi",
        data={"csrf_token": csrf_from(listed), "contest": "thu", "unit_code": "PTC"},
    )
    assert refused.status_code == 404  # the other organisation's contest
    with app.app_context():
        units = dict(
            db.session.execute(
                select(Participation.contest_id, Unit.code)
                .join(Unit, Unit.id == Participation.unit_id)
                .where(Participation.user_id == an.user["id"])
            ).all()
        )
        entry = db.session.scalar(
            select(Unit.code)
            .join(Entry, Entry.unit_id == Unit.id)
            .where(Entry.round_id == second["id"])
        )
    assert sorted(units.values()) == ["DS-TIEN", "PNV"] and entry == "DS-TIEN"


def test_the_demo_list_gives_way_to_the_organisations_own(app, runner, client):
    """On a demo instance a contest made before any upload takes the demo's list (what the
    registration form and GET /units offer: an API client's contest can be entered at once);
    once the organisation uploads its own units, new contests take those, and the demo's never
    reach their registration page."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    api = Api(app.test_client())
    api.login("bantochuc@demo.vn", "tochuc2026")
    api.refresh_csrf()
    lists = api.get("/api/v1/unit-lists").json
    assert [row["name"] for row in lists] == ["Đơn vị thị xã Cửa Lò (demo)"]
    demo_units = client.get("/api/v1/contests/tim-hieu-cai-cach-hanh-chinh/units").json
    assert len(demo_units) >= 20
    early = api.post("/api/v1/contests", json={"slug": "som", "title": "Sớm"})
    assert early.status_code == 201 and early.json["unit_list_id"] == lists[0]["id"]
    uploaded = upload_units(api, DONG_SON, "ds.xlsx")
    assert uploaded.json["unit_list"] == "Danh sách đơn vị"  # a list of its own, not the demo's
    made = api.post("/api/v1/contests", json={"slug": "dong-son-2026", "title": "Đông Sơn"})
    assert made.status_code == 201 and made.json["unit_list_id"] == uploaded.json["unit_list_id"]
    assert {
        u["code"] for u in client.get("/api/v1/contests/dong-son-2026/units").json
    } == DONG_SON_CODES
    page = client.get("/dang-ky?contest=dong-son-2026").text
    assert "Cửa Lò" not in page
    with app.app_context():
        demo_codes = set(
            db.session.scalars(
                select(Unit.code).join(Participation, Participation.unit_id == Unit.id)
            )
        )
    assert demo_codes == {"CL-PNV"}  # the demo participant entered the demo contest
