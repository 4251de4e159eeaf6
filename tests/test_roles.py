"""An organisation's team: invitations by a one-time link, roles changed and removed (every
session and token of that account ends), a focal person's unit page, all in the audit trail."""

import io
import re

import pytest
from conftest import Api, csrf_from
from openpyxl import load_workbook
from staff import admin_of_default, cli_staff, invite, join, login
from test_results import play

from contest.extensions import db
from contest.models import AuditEntry, Invitation, User


@pytest.fixture
def admin(app, runner, organiser):
    return admin_of_default(app, runner)


def _user(app, email):
    with app.app_context():
        return db.session.scalar(db.select(User).filter_by(email=email))


def _log(app) -> str:
    from contest.models.audit_text import sentence

    with app.app_context():
        return "\n".join(
            sentence(e) for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))
        )


def test_an_invited_organiser_joins_once_and_runs_contests(app, admin, clock):
    path = invite(admin, "organiser")
    code = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(db.select(Invitation.code_hash))
    assert code not in stored and len(stored) == 64  # only its SHA-256 is kept
    newcomer = join(app, path, "moi@example.vn", "Trần Thị Mới")
    assert newcomer.client.get("/to-chuc/").status_code == 200
    assert (
        newcomer.post("/api/v1/contests", json={"slug": "moi", "title": "Mới"}).status_code == 201
    )
    assert newcomer.client.get("/to-chuc/nhan-su").status_code == 403  # not an admin
    user = _user(app, "moi@example.vn")
    assert (user.role, user.organisation_id) == (
        "organiser",
        _user(app, "qtv@example.vn").organisation_id,
    )
    used, unknown = app.test_client().get(path), app.test_client().get("/moi/" + "x" * 32)
    assert used.status_code == unknown.status_code == 404

    def bare(page):
        # the page's CSRF token and the links back to the address asked differ, nothing else
        return re.sub(r'content="[^"]+">|/moi/[\w-]+', "", page.text)

    assert bare(used) == bare(unknown) and "đã được dùng hoặc đã hết hạn" in used.text
    log = _log(app)
    assert "đã mời một người vào ban tổ chức với vai trò «Ban tổ chức»" in log
    assert "Trần Thị Mới đã nhận lời mời vào ban tổ chức với vai trò «Ban tổ chức»" in log


def test_an_invitation_ends_after_seven_days_and_the_link_is_rate_limited(
    app, admin, clock, tight_limits
):
    path = invite(admin, "viewer")
    clock.advance(days=7, seconds=1)
    assert app.test_client().get(path).status_code == 404
    tight_limits(RATE_LIMIT_INVITE="3 per minute")
    client = app.test_client()
    codes = [client.get(f"/moi/doan-{i}").status_code for i in range(4)]
    assert codes == [404, 404, 404, 429]


def test_a_signed_in_participant_accepting_is_promoted_and_signed_out_elsewhere(
    app, admin, register
):
    person = register(phone="0912000555")
    other_device = person.token
    path = invite(admin, "viewer")
    page = person.client.get(path)
    assert "Nhận lời mời" in page.text
    done = person.client.post(path, data={"csrf_token": csrf_from(page.text)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/to-chuc/")
    assert person.client.get("/to-chuc/").status_code == 200  # this browser signed in again
    assert (
        app.test_client()
        .get("/api/v1/me/certificates", headers={"Authorization": f"Bearer {other_device}"})
        .status_code
        == 401
    )


def test_staff_of_another_organisation_cannot_take_an_invitation(app, runner, admin):
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    path = invite(admin, "viewer")
    page = other.client.get(path)
    refused = other.client.post(path, data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422 and "tổ chức khác" in refused.text
    assert _user(app, "khac@example.vn").role == "organiser"


def _people_page(admin):
    return admin.client.get("/to-chuc/nhan-su")


def test_a_role_changed_or_removed_ends_every_session_and_is_audited(app, runner, admin):
    colleague = cli_staff(app, runner, "btc2@example.vn", "organiser")
    user_id = _user(app, "btc2@example.vn").id
    page = _people_page(admin)
    assert "Cán bộ btc2@example.vn" in page.text and "Ban tổ chức" in page.text
    changed = admin.client.post(
        f"/to-chuc/nhan-su/{user_id}/vai-tro",
        data={"csrf_token": csrf_from(page.text), "role": "viewer"},
    )
    assert changed.status_code == 302
    assert colleague.client.get("/to-chuc/").status_code == 302  # signed out: log in again
    viewer = login(app, "btc2@example.vn")
    assert viewer.client.get("/to-chuc/").status_code == 200
    assert viewer.post("/api/v1/contests", json={"slug": "x", "title": "X"}).status_code == 403
    removed = admin.client.post(
        f"/to-chuc/nhan-su/{user_id}/xoa", data={"csrf_token": csrf_from(page.text)}
    )
    assert removed.status_code == 302
    assert _user(app, "btc2@example.vn").role == "participant"
    assert login(app, "btc2@example.vn").client.get("/to-chuc/").status_code == 403
    log = _log(app)
    assert (
        "đã đổi vai trò của «Cán bộ btc2@example.vn»: vai trò «Ban tổ chức» → «Xem kết quả»" in log
    )
    assert (
        "đã đưa «Cán bộ btc2@example.vn» ra khỏi ban tổ chức (vai trò trước đó: «Xem kết "
        "quả»)" in log
    )


def test_an_admin_changes_neither_themself_nor_another_organisations_people(app, runner, admin):
    me = _user(app, "qtv@example.vn").id
    page = _people_page(admin)
    own = admin.client.post(
        f"/to-chuc/nhan-su/{me}/vai-tro",
        data={"csrf_token": csrf_from(page.text), "role": "viewer"},
    )
    assert own.status_code == 409 and _user(app, "qtv@example.vn").role == "admin"
    cli_staff(app, runner, "khac2@example.vn", "organiser", "tinh-khac")
    theirs = _user(app, "khac2@example.vn").id
    for action, data in (("vai-tro", {"role": "viewer"}), ("xoa", {})):
        answer = admin.client.post(
            f"/to-chuc/nhan-su/{theirs}/{action}", data={"csrf_token": csrf_from(page.text)} | data
        )
        assert answer.status_code == 404
    assert _user(app, "khac2@example.vn").role == "organiser"
    bad = admin.client.post(
        "/to-chuc/nhan-su/moi",
        data={"csrf_token": csrf_from(page.text), "role": "focal", "unit_code": "KHONGCO"},
    )
    assert bad.status_code == 422 and "Chọn một đơn vị của tổ chức" in bad.text
    bad = admin.client.post(
        "/to-chuc/nhan-su/moi", data={"csrf_token": csrf_from(page.text), "role": "participant"}
    )
    assert bad.status_code == 422


def test_the_focal_person_sees_and_exports_their_unit_and_helps_only_its_members(
    app, admin, make_round, register, clock
):
    rnd = make_round()
    member = register(phone="0912000101", name='=HYPERLINK("x")', unit="PNV")
    play(app, member, rnd["id"], 3, clock, 10)
    register(phone="0912000102", name="Lê Chưa Thi", unit="PNV")
    register(phone="0912000103", name="Phạm Khác Đơn Vị", unit="PTC")
    focal = join(app, invite(admin, "focal", "PNV"), "daumoi@example.vn", "Đầu Mối")
    page = focal.client.get("/to-chuc/don-vi-cua-toi").text
    assert "Lê Chưa Thi" in page and "Phạm Khác Đơn Vị" not in page
    assert "1/2 đã thi" in page
    sheet = load_workbook(
        io.BytesIO(focal.client.get("/to-chuc/don-vi-cua-toi.xlsx").data)
    ).worksheets[0]
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
    assert rows['=HYPERLINK("x")'][-1] == "Đã thi" and rows["Lê Chưa Thi"][-1] == "Chưa thi"
    assert sheet["A2"].value.startswith("=") and sheet["A2"].data_type == "s"  # not a formula
    assert (
        focal.post("/api/v1/password/reset-code", json={"login": "0912000102"}).status_code == 201
    )
    assert (
        focal.post("/api/v1/password/reset-code", json={"login": "0912000103"}).status_code == 404
    )
    assert focal.client.get("/to-chuc/nguoi-du-thi").status_code == 403
    assert "đã tải danh sách tham gia của đơn vị «Phòng Nội vụ»" in _log(app)


def test_a_unit_a_focal_person_answers_for_is_not_removed(app, admin, organiser):
    join(app, invite(admin, "focal", "PTC"), "daumoi@example.vn")
    with app.app_context():
        from contest.models import Unit

        unit_id = db.session.scalar(db.select(Unit.id).filter_by(code="PTC"))
    page = organiser.client.get("/to-chuc/don-vi")
    refused = organiser.client.post(
        f"/to-chuc/don-vi/{unit_id}/xoa",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=True,
    )
    assert "Không xoá được đơn vị Phòng Tài chính" in refused.text
    assert _user(app, "daumoi@example.vn").focal_unit_id == unit_id


def test_cli_first_member_is_admin_and_instance_admin_flag(app, runner):
    first = runner.invoke(
        args=[
            "create-organiser",
            "a@example.vn",
            "--password",
            "matkhau1",
            "--name",
            "A",
            "--organisation",
            "dong-son",
            "--role",
            "admin",
            "--instance-admin",
        ]
    )
    assert first.exit_code == 0 and "vai trò admin, quản trị hệ thống" in first.output
    second = runner.invoke(
        args=[
            "create-organiser",
            "b@example.vn",
            "--password",
            "matkhau1",
            "--name",
            "B",
            "--organisation",
            "dong-son",
        ]
    )
    assert "vai trò organiser" in second.output and "quản trị hệ thống" not in second.output
    assert runner.invoke(args=["make-instance-admin", "khong@example.vn"]).exit_code != 0
    assert runner.invoke(args=["make-instance-admin", "b@example.vn"]).exit_code == 0
    assert _user(app, "b@example.vn").is_instance_admin
    assert re.search(r"/quan-tri/to-chuc", login(app, "b@example.vn").client.get("/").text)
    assert Api(app.test_client()).client.get("/to-chuc/nhan-su").status_code == 302


def test_a_viewer_reads_the_contest_page_without_its_forms(app, runner, organiser, make_round):
    make_round()  # the default organisation's contest "thu"
    viewer = cli_staff(app, runner, "xem@example.vn", "viewer")
    page = viewer.client.get("/to-chuc/cuoc-thi/thu")
    assert page.status_code == 200 and "chỉ ban tổ chức mới sửa được" in page.text
    forms = re.findall(r'<form method="post"[^>]*action="([^"]+)"', page.text)
    assert forms == ["/dang-xuat"], forms  # only signing out
    editor = organiser.client.get("/to-chuc/cuoc-thi/thu").text
    assert len(re.findall(r'<form method="post"', editor)) > 3
    assert "chỉ ban tổ chức mới sửa được" not in editor


def test_an_invitation_is_cancelled_once(app, admin, clock):
    path = invite(admin, "viewer")
    with app.app_context():
        invitation_id = db.session.scalar(db.select(Invitation.id))
    cancel = f"/to-chuc/nhan-su/loi-moi/{invitation_id}/huy"
    page = admin.client.get("/to-chuc/nhan-su")
    first = admin.client.post(cancel, data={"csrf_token": csrf_from(page.text)})
    assert first.status_code == 302
    assert app.test_client().get(path).status_code == 404  # the link no longer opens
    again = admin.client.post(cancel, data={"csrf_token": csrf_from(page.text)})
    assert again.status_code == 404  # used up: nothing left to cancel
    none = admin.client.post(
        f"/to-chuc/nhan-su/loi-moi/{invitation_id + 1}/huy",
        data={"csrf_token": csrf_from(page.text)},
    )
    assert none.status_code == 404
    assert "huỷ một lời mời vào ban tổ chức (vai trò «Xem kết quả»)" in _log(app)
