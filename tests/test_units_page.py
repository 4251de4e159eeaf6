"""The organiser's units page: the tree with paths and headcounts, a unit edited or removed
(audited), the list and an empty template downloaded in the import layout; another
organisation's units answer 404; a unit someone uses cannot be removed."""

import io

from conftest import Api
from openpyxl import load_workbook
from staff import cli_staff

from contest import models as contest_models
from contest.extensions import db
from contest.models import AuditEntry, Unit
from contest.models.audit_text import sentence


def _unit(app, code):
    with app.app_context():
        return db.session.scalar(db.select(Unit).filter_by(code=code)).id


def test_units_page_shows_the_tree_with_paths(organiser):
    page = organiser.get("/to-chuc/don-vi")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "UBND thị xã › Phòng Nội vụ" in html and "UBND thị xã › Phòng Tài chính" in html
    assert html.index("UBND thị xã ›") > html.index("<code>UB</code>")  # parent first
    found = organiser.get("/to-chuc/don-vi?q=t%C3%A0i").get_data(as_text=True)
    assert "Phòng Tài chính" in found and "Phòng Nội vụ" not in found


def test_edit_a_unit_records_what_changed(app, organiser):
    unit_id = _unit(app, "PNV")
    response = organiser.post(
        f"/to-chuc/don-vi/{unit_id}",
        data={"name": "Phòng Nội vụ thị xã", "headcount": "1.200", "excluded_from_prizes": "1"},
    )
    assert response.status_code == 302
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu đơn vị Phòng Nội vụ thị xã." in page
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        assert (unit.name, unit.headcount, unit.excluded_from_prizes) == (
            "Phòng Nội vụ thị xã",
            1200,
            True,
        )
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="edit_unit"))
        text = sentence(entry)
    assert text == (
        "Ban Tổ chức đã sửa đơn vị «Phòng Nội vụ thị xã»: tên «Phòng Nội vụ» → "
        "«Phòng Nội vụ thị xã»; số CBCCVC 10 → 1200; không xét giải tập thể "
        "không → có."
    )


def test_bad_values_keep_the_unit_and_say_why(app, organiser):
    unit_id = _unit(app, "PNV")
    response = organiser.post(f"/to-chuc/don-vi/{unit_id}", data={"name": " ", "headcount": "mười"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Tên đơn vị không được để trống." in html
    assert "Số CBCCVC phải là số nguyên không âm." in html
    with app.app_context():
        assert db.session.get(Unit, unit_id).name == "Phòng Nội vụ"
        assert db.session.scalar(db.select(AuditEntry).filter_by(action="edit_unit")) is None


def test_remove_only_a_unit_nobody_uses(app, organiser, register):
    register(phone="0912000001", unit="PNV")
    pnv, ptc, ub = _unit(app, "PNV"), _unit(app, "PTC"), _unit(app, "UB")
    used = organiser.post(f"/to-chuc/don-vi/{pnv}/xoa")
    assert used.status_code == 302
    assert "đã có người đăng ký" in organiser.get("/to-chuc/don-vi").get_data(as_text=True)
    parent = organiser.post(f"/to-chuc/don-vi/{ub}/xoa")
    assert "còn đơn vị cấp dưới" in organiser.get(parent.headers["Location"]).get_data(as_text=True)
    assert organiser.post(f"/to-chuc/don-vi/{ptc}/xoa").status_code == 302
    with app.app_context():
        assert db.session.get(Unit, ptc) is None
        assert db.session.get(Unit, pnv) is not None and db.session.get(Unit, ub) is not None
        removed = db.session.scalar(db.select(AuditEntry).filter_by(action="remove_unit"))
        assert removed is not None and "PTC" in sentence(removed)


def test_download_the_list_and_upload_it_again(app, organiser):
    data = organiser.get("/to-chuc/don-vi/danh-sach.xlsx")
    assert data.status_code == 200
    rows = list(load_workbook(io.BytesIO(data.data)).worksheets[0].values)
    assert rows[0][:4] == ("Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Số CBCCVC")
    assert ("PNV", "Phòng Nội vụ", "UB", 10) in [tuple(r[:4]) for r in rows[1:]]
    again = organiser.post(
        "/api/v1/units/import", data={"file": (io.BytesIO(data.data), "dv.xlsx")}
    )
    assert again.status_code == 200 and again.json == {
        "created": 0,
        "updated": 3,
        "unit_list_id": organiser.unit_list_id,
        "unit_list": "Danh sách đơn vị",
    }
    template = organiser.get("/to-chuc/don-vi/mau.xlsx")
    rows = list(load_workbook(io.BytesIO(template.data)).worksheets[0].values)
    assert rows[0][:4] == ("Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Số CBCCVC")
    assert len(rows) > 1


def test_another_organisation_cannot_see_or_touch_the_units(app, organiser, runner):
    runner.invoke(args=["create-organisation", "khac", "--name", "Phòng Nội vụ huyện khác"])
    other = cli_staff(app, runner, "khac@example.vn", None, "khac")
    pnv = _unit(app, "PNV")
    assert "Phòng Nội vụ" not in other.get("/to-chuc/don-vi").get_data(as_text=True)
    assert (
        other.post(f"/to-chuc/don-vi/{pnv}", data={"name": "Đổi", "headcount": "1"}).status_code
        == 404
    )
    assert other.post(f"/to-chuc/don-vi/{pnv}/xoa").status_code == 404
    rows = list(
        load_workbook(io.BytesIO(other.get("/to-chuc/don-vi/danh-sach.xlsx").data))
        .worksheets[0]
        .values
    )
    assert rows[1:] == []
    with app.app_context():
        assert db.session.get(Unit, pnv).name == "Phòng Nội vụ"


def test_a_participant_cannot_open_the_units_page(app, organiser, register):
    register(phone="0912000002")
    client = app.test_client()
    client.post("/api/v1/login", json={"login": "0912000002", "password": "matkhau1"})
    assert client.get("/to-chuc/don-vi").status_code == 403
    assert app.test_client().get("/to-chuc/don-vi").status_code in (302, 401)


def test_a_deactivated_unit_is_not_offered_but_keeps_its_people(app, organiser, register):
    person = register(phone="0912000003", unit="PTC")
    ptc = _unit(app, "PTC")
    response = organiser.post(f"/to-chuc/don-vi/{ptc}/hoat-dong", data={"active": "0"})
    assert response.status_code == 302
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ngừng đơn vị Phòng Tài chính" in page
    assert 'class="inactive muted"' in page and "đã ngừng: không cho chọn khi đăng ký" in page
    assert "PTC" not in [u["code"] for u in app.test_client().get("/api/v1/units").json]
    list_id = organiser.get("/api/v1/unit-lists").json[0]["id"]
    assert (
        organiser.post(
            "/api/v1/contests",
            json={
                "slug": "thu",
                "title": "Cuộc thi thử",
                "masking": "none",
                "unit_list_id": list_id,
            },
        ).status_code
        == 201
    )
    offered = [
        u["code"]
        for u in app.test_client().get("/api/v1/contests/thu/units").json
        if u["selectable"]
    ]
    assert "PTC" not in offered and "PNV" in offered
    assert 'value="PTC"' not in app.test_client().get("/dang-ky").get_data(as_text=True)
    refused = Api(app.test_client()).register("Người Mới", "0912000009", unit_code="ptc")
    assert refused.status_code == 422 and "unit_code" in refused.json["error"]["fields"]
    with app.app_context():
        assert db.session.get(Unit, ptc).active is False
        assert (
            db.session.scalar(
                db.select(Unit.id)
                .join(contest_models.User, contest_models.User.unit_id == Unit.id)
                .where(contest_models.User.id == person.user["id"])
            )
            == ptc
        )
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="deactivate_unit"))
        assert sentence(entry) == (
            "Ban Tổ chức đã ngừng đơn vị «Phòng Tài chính» (không còn cho chọn khi đăng ký)."
        )
    again = organiser.post(f"/to-chuc/don-vi/{ptc}/hoat-dong", data={"active": "1"})
    assert "hoạt động lại" in organiser.get(again.headers["Location"]).get_data(as_text=True)
    assert "PTC" in [u["code"] for u in app.test_client().get("/api/v1/units").json]
    with app.app_context():
        assert [
            e.action
            for e in db.session.scalars(
                db.select(AuditEntry)
                .where(AuditEntry.action.like("%activate_unit"))
                .order_by(AuditEntry.id)
            )
        ] == ["deactivate_unit", "reactivate_unit"]


def test_deactivating_twice_records_once_and_strangers_get_404(app, organiser, runner):
    pnv = _unit(app, "PNV")
    organiser.post(f"/to-chuc/don-vi/{pnv}/hoat-dong", data={"active": "0"})
    organiser.post(f"/to-chuc/don-vi/{pnv}/hoat-dong", data={"active": "0"})
    runner.invoke(args=["create-organisation", "khac", "--name", "Huyện khác"])
    other = cli_staff(app, runner, "khac@example.vn", None, "khac")
    assert other.post(f"/to-chuc/don-vi/{pnv}/hoat-dong", data={"active": "1"}).status_code == 404
    with app.app_context():
        assert db.session.get(Unit, pnv).active is False
        assert (
            db.session.scalar(
                db.select(db.func.count(AuditEntry.id)).filter_by(action="deactivate_unit")
            )
            == 1
        )
        assert db.session.scalar(db.select(AuditEntry).filter_by(action="reactivate_unit")) is None
