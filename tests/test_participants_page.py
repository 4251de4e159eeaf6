"""The organiser's participants page: found by name or phone however it is typed; a wrong unit
put right, the person's entries in rounds whose prizes are not confirmed moving with it (the
unit ranking follows), audited; another organisation's organiser sees none of them and gets
404; the reset-code page opens with the person's phone filled in."""

from staff import cli_staff

from contest.extensions import db
from contest.models import AuditEntry, Entry, Unit, User
from contest.models.audit_text import sentence


def _take(participant, round_id):
    attempt = participant.post(f"/api/v1/rounds/{round_id}/attempts").json
    response = participant.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    assert response.status_code == 200, response.json


def _unit_id(app, code):
    with app.app_context():
        return db.session.scalar(db.select(Unit.id).filter_by(code=code))


def test_search_by_name_or_phone_as_typed(organiser, register):
    register(phone="0912000001", name="Nguyễn Văn An")
    register(phone="0912000002", name="Trần Thị Bình")
    page = organiser.get("/to-chuc/nguoi-du-thi").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    by_phone = organiser.get("/to-chuc/nguoi-du-thi?q=%2B84%20912%20000%20002").get_data(
        as_text=True
    )
    assert "Trần Thị Bình" in by_phone and "Nguyễn Văn An" not in by_phone
    by_name = organiser.get("/to-chuc/nguoi-du-thi?q=an").get_data(as_text=True)
    assert "Nguyễn Văn An" in by_name and "Trần Thị Bình" not in by_name
    assert organiser.get("/to-chuc/nguoi-du-thi?page=abc").status_code == 200


def test_fix_a_wrong_unit_moves_open_entries_and_is_audited(app, organiser, register, make_round):
    rnd = make_round()
    person = register(phone="0912000003", name="Lê Văn Cường", unit="PNV")
    _take(person, rnd["id"])
    user_id = person.user["id"]
    response = organiser.post(f"/to-chuc/nguoi-du-thi/{user_id}/don-vi", data={"unit_code": "ptc"})
    assert response.status_code == 302
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã chuyển Lê Văn Cường sang đơn vị Phòng Tài chính (1 bài thi" in page
    ptc = _unit_id(app, "PTC")
    with app.app_context():
        assert db.session.get(User, user_id).unit_id == ptc
        assert db.session.scalar(db.select(Entry.unit_id).filter_by(user_id=user_id)) == ptc
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="change_participant_unit"))
        assert sentence(entry) == (
            "Ban Tổ chức đã đổi đơn vị của người dự thi «Lê Văn Cường» (1 bài thi chưa xác "
            "nhận giải đi theo): đơn vị «Phòng Nội vụ» → «Phòng Tài chính»."
        )
    ranking = organiser.get(f"/api/v1/contests/thu/units/ranking?round_id={rnd['id']}").json
    counted = {row["unit_code"]: row["participants"] for row in ranking}
    assert counted["PTC"] == 1 and counted["PNV"] == 0


def test_unknown_unit_is_refused_and_nothing_changes(app, organiser, register):
    person = register(phone="0912000004", unit="PNV")
    response = organiser.post(
        f"/to-chuc/nguoi-du-thi/{person.user['id']}/don-vi", data={"unit_code": "KHONGCO" * 20}
    )
    assert response.status_code == 422
    assert "Không có đơn vị mã" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, person.user["id"]).unit_id == _unit_id(app, "PNV")
        assert (
            db.session.scalar(db.select(AuditEntry).filter_by(action="change_participant_unit"))
            is None
        )


def test_another_organisation_sees_nobody_and_cannot_move_them(app, organiser, register, runner):
    person = register(phone="0912000005", name="Phạm Thị Dung")
    runner.invoke(args=["create-organisation", "khac", "--name", "Phòng Nội vụ huyện khác"])
    other = cli_staff(app, runner, "khac@example.vn", None, "khac")
    assert "Phạm Thị Dung" not in other.get("/to-chuc/nguoi-du-thi").get_data(as_text=True)
    assert (
        other.post(
            f"/to-chuc/nguoi-du-thi/{person.user['id']}/don-vi", data={"unit_code": "PTC"}
        ).status_code
        == 404
    )


def test_reset_code_page_opens_with_the_phone(organiser, register):
    register(phone="0912000006")
    page = organiser.get("/to-chuc/nguoi-du-thi").get_data(as_text=True)
    assert "/to-chuc/ma-dat-lai-mat-khau?login=0912000006" in page
    form = organiser.get("/to-chuc/ma-dat-lai-mat-khau?login=0912000006").get_data(as_text=True)
    assert 'value="0912000006"' in form


def test_search_by_cccd_or_unit_and_export_the_list(app, organiser, register):
    import io

    from openpyxl import load_workbook

    register(phone="0912000007", name="Võ Văn Em", unit="PTC", cccd="001090000007")
    register(phone="0912000008", name="Đỗ Thị Gấm", unit="PNV")
    by_cccd = organiser.get("/to-chuc/nguoi-du-thi?q=００１０９００００００７").get_data(
        as_text=True
    )
    assert "Võ Văn Em" in by_cccd and "Đỗ Thị Gấm" not in by_cccd
    by_unit = organiser.get("/to-chuc/nguoi-du-thi?q=ptc").get_data(as_text=True)
    assert "Võ Văn Em" in by_unit and "Đỗ Thị Gấm" not in by_unit
    data = organiser.get("/to-chuc/nguoi-du-thi.xlsx?q=Tài chính")
    rows = list(load_workbook(io.BytesIO(data.data)).worksheets[0].values)
    assert rows == [
        ("Họ và tên", "Số điện thoại", "E-mail", "Mã đơn vị", "Đơn vị", "Số đợt đã thi"),
        ("Võ Văn Em", "0912000007", None, "PTC", "Phòng Tài chính", 0),
    ]
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="export_participants"))
        assert entry is not None and entry.details["search"] == "Tài chính"


def _blocks_and_rounds(organiser, make_round):
    make_round()  # the contest "thu"
    blocks = [
        organiser.post("/api/v1/contests/thu/blocks", json={"name": name, "category": cat}).json
        for name, cat in (("Cán bộ, công chức, viên chức", "cbccvc"), ("Nhân dân", "nhan_dan"))
    ]
    return make_round(block_id=blocks[0]["id"]), make_round(block_id=blocks[1]["id"])


def test_fix_a_wrong_block_voids_open_entries_elsewhere_and_back(
    app, organiser, register, make_round
):
    staff, _public = _blocks_and_rounds(organiser, make_round)
    person = register(phone="0912000006", name="Đỗ Thị Em")
    _take(person, staff["id"])
    user_id = person.user["id"]
    response = organiser.post(
        f"/to-chuc/nguoi-du-thi/{user_id}/doi-tuong", data={"category": "nhan_dan"}
    )
    assert response.status_code == 302
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã sửa đối tượng dự thi của Đỗ Thị Em (1 bài thi ở bảng khác bị huỷ, 0 bài" in page
    board = app.test_client().get(f"/api/v1/rounds/{staff['id']}/leaderboard").json["entries"]
    assert board == []
    with app.app_context():
        assert db.session.get(User, user_id).category == "nhan_dan"
        entry = db.session.scalar(db.select(Entry).filter_by(user_id=user_id))
        assert entry.voided and "Đối tượng dự thi đã được sửa" in entry.void_reason
        audit = db.session.scalar(
            db.select(AuditEntry).filter_by(action="change_participant_category")
        )
        assert sentence(audit) == (
            "Ban Tổ chức đã sửa đối tượng dự thi của «Đỗ Thị Em» (1 bài thi ở bảng khác bị "
            "huỷ, 0 bài được khôi phục): đối tượng cán bộ, công chức, viên chức → nhân dân."
        )
    assert person.post(f"/api/v1/rounds/{staff['id']}/attempts").status_code == 403
    back = organiser.post(f"/to-chuc/nguoi-du-thi/{user_id}/doi-tuong", data={"category": "cbccvc"})
    assert "0 bài thi ở bảng khác bị huỷ, 1 bài được khôi phục" in organiser.get(
        back.headers["Location"]
    ).get_data(as_text=True)
    board = app.test_client().get(f"/api/v1/rounds/{staff['id']}/leaderboard").json["entries"]
    assert len(board) == 1


def test_a_block_fix_keeps_a_voided_entry_and_a_confirmed_round(
    app, organiser, register, make_round
):
    staff, _public = _blocks_and_rounds(organiser, make_round)
    person = register(phone="0912000007", name="Hồ Văn Giang")
    _take(person, staff["id"])
    with app.app_context():  # the organiser voided it for a reason of their own
        entry = db.session.scalar(db.select(Entry).filter_by(user_id=person.user["id"]))
        entry.voided, entry.void_reason = True, "Thi hộ"
        db.session.commit()
    user_id = person.user["id"]
    organiser.post(f"/to-chuc/nguoi-du-thi/{user_id}/doi-tuong", data={"category": "nhan_dan"})
    organiser.post(f"/to-chuc/nguoi-du-thi/{user_id}/doi-tuong", data={"category": "cbccvc"})
    with app.app_context():
        entry = db.session.scalar(db.select(Entry).filter_by(user_id=user_id))
        assert entry.voided and entry.void_reason == "Thi hộ"


def test_a_bad_block_or_a_stranger_changes_nothing(app, organiser, register, runner):
    person = register(phone="0912000008")
    url = f"/to-chuc/nguoi-du-thi/{person.user['id']}/doi-tuong"
    bad = organiser.post(url, data={"category": "admin"})
    assert bad.status_code == 422 and "Đối tượng không hợp lệ." in bad.get_data(as_text=True)
    runner.invoke(args=["create-organisation", "khac", "--name", "Huyện khác"])
    other = cli_staff(app, runner, "khac@example.vn", None, "khac")
    assert other.post(url, data={"category": "nhan_dan"}).status_code == 404
    assert person.post(url, data={"category": "nhan_dan"}).status_code == 403
    with app.app_context():
        assert db.session.get(User, person.user["id"]).category == "cbccvc"
        assert (
            db.session.scalar(db.select(AuditEntry).filter_by(action="change_participant_category"))
            is None
        )


def test_a_deactivated_unit_cannot_be_chosen_for_a_participant(app, organiser, register):
    person = register(phone="0912000010", unit="PNV")
    organiser.post(f"/to-chuc/don-vi/{_unit_id(app, 'PTC')}/hoat-dong", data={"active": "0"})
    refused = organiser.post(
        f"/to-chuc/nguoi-du-thi/{person.user['id']}/don-vi", data={"unit_code": "PTC"}
    )
    assert refused.status_code == 422 and "đã ngừng" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, person.user["id"]).unit_id == _unit_id(app, "PNV")


def test_an_attempt_started_before_the_block_fix_ends_voided(app, organiser, register, make_round):
    staff, _public = _blocks_and_rounds(organiser, make_round)
    person = register(phone="0912000011", name="Lý Thị Hoa")
    attempt = person.post(f"/api/v1/rounds/{staff['id']}/attempts").json
    organiser.post(
        f"/to-chuc/nguoi-du-thi/{person.user['id']}/doi-tuong", data={"category": "nhan_dan"}
    )
    assert person.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).status_code == 200
    board = app.test_client().get(f"/api/v1/rounds/{staff['id']}/leaderboard").json["entries"]
    assert board == []
    organiser.post(
        f"/to-chuc/nguoi-du-thi/{person.user['id']}/doi-tuong", data={"category": "cbccvc"}
    )
    board = app.test_client().get(f"/api/v1/rounds/{staff['id']}/leaderboard").json["entries"]
    assert len(board) == 1
