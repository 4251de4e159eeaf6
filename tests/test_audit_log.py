"""The Nhật ký thao tác reads as Vietnamese: labels for coded values, only what changed
(before → after), objects by name; it filters by action, person and days (Vietnam time), pages
through, and exports the filtered log as .xlsx; nobody else reads it."""

import io
from datetime import datetime, timedelta

from conftest import START, bank_rows
from openpyxl import load_workbook
from sqlalchemy import select
from staff import cli_staff

from contest.extensions import db
from contest.models import AuditEntry, User
from contest.models.audit_text import sentence


def _settings_sentence(organiser):
    organiser.put(
        "/api/v1/contests/thu",
        json={
            "masking": "partial",
            "unit_level": "top",
            "registration_fields": {"cccd": "required"},
        },
    )
    return organiser.get("/api/v1/audit?action=contest_settings").json[0]["sentence"]


def test_settings_read_as_labels_and_only_what_changed(organiser, make_round):
    make_round()  # the contest "thu", masking none
    text = _settings_sentence(organiser)
    assert "cách che tên hiện đầy đủ họ tên → che một phần họ tên" in text
    assert "cấp đơn vị xếp hạng từng đơn vị → đơn vị cấp 1" in text
    assert "thông tin đăng ký (CCCD không bắt buộc → bắt buộc)" in text
    for code in (
        "partial",
        "unit_level",
        "top",
        "contest_settings",
        "birth_date",
        "ngày sinh",
        "contest:thu",
    ):
        assert code not in text


def test_a_round_edit_names_the_banks(organiser, make_round, make_bank, clock):
    rnd = make_round(opens_at="2026-03-05T08:00:00+07:00")
    other = make_bank(name="Ngân hàng mới")
    assert (
        organiser.call("PATCH", f"/api/v1/rounds/{rnd['id']}", json={"bank_id": other}).status_code
        == 200
    )
    text = organiser.get("/api/v1/audit?action=update_round").json[0]["sentence"]
    assert "ngân hàng «Ngân hàng thử» → «Ngân hàng mới»" in text


def test_an_object_without_a_label_is_named_by_kind(app):
    with app.app_context():
        entry = AuditEntry(
            organisation_id=1,
            action="contest_settings",
            target="contest:dong-son-2026",
            details={},
            at=START,
        )
        assert sentence(entry) == "Hệ thống đã sửa thiết lập cuộc thi «dong-son-2026»."


def _second_organiser(app, runner):
    return cli_staff(app, runner, "btc2@example.vn", name="Trần Thư Ký")


def test_filters_by_action_person_and_days(app, runner, organiser, make_round, clock):
    make_round()  # 2 March (Hà Nội)
    clock.advance(days=1)
    organiser.put("/api/v1/contests/thu", json={"title": "Cuộc thi một"})  # 3 March
    clock.advance(days=1)
    clerk = _second_organiser(app, runner)  # sessions end after a day idle: log in now
    done = clerk.put("/api/v1/contests/thu", json={"title": "Cuộc thi hai"})  # 4 March
    assert done.status_code == 200, (done.status_code, done.json)
    with app.app_context():
        clerk_id = db.session.scalar(select(User.id).filter_by(email="btc2@example.vn"))
    by_person = organiser.get(f"/api/v1/audit?user_id={clerk_id}").json
    assert [a["user"] for a in by_person] == ["Trần Thư Ký"]
    settings = organiser.get("/api/v1/audit?action=contest_settings")
    assert [a["sentence"].split(" đã ")[0] for a in settings.json] == ["Trần Thư Ký", "Ban Tổ chức"]
    assert settings.headers["X-Total-Count"] == "2"
    assert settings.json[0]["action_name"] == "Sửa thiết lập cuộc thi"
    assert organiser.get(f"/api/v1/audit?user_id={10**30}").status_code == 200  # no filter
    assert organiser.get("/api/v1/audit?from=hôm-qua&action=x;drop").status_code == 200
    one_day = organiser.get("/api/v1/audit?from=2026-03-03&to=2026-03-03").json
    assert [a["details"]["changes"]["title"][1] for a in one_day] == ["Cuộc thi một"]
    page = organiser.client.get(
        "/to-chuc/nhat-ky?action=contest_settings&from=2026-03-04&to=2026-03-04"
    ).get_data(as_text=True)
    assert "tên «Cuộc thi một» → «Cuộc thi hai»" in page and "→ «Cuộc thi một»" not in page
    assert '<option value="contest_settings" selected>Sửa thiết lập cuộc thi</option>' in page
    assert "contest_settings</td>" not in page


def test_a_day_is_a_day_in_vietnam_time(app, organiser, make_round, clock):
    clock.set(datetime(2026, 3, 2, 17, 30))  # 00:30 on 3 March in Hà Nội
    make_round()
    assert organiser.get("/api/v1/audit?to=2026-03-02").json == []
    same_night = organiser.get("/api/v1/audit?from=2026-03-03&to=2026-03-03").json
    assert [a["action"] for a in same_night] == ["create_round", "create_contest", "import_bank"]


def _many(app, n):
    with app.app_context():
        org, uid = db.session.execute(
            select(User.organisation_id, User.id).filter_by(email="btc@example.vn")
        ).one()
        db.session.add_all(
            AuditEntry(
                organisation_id=org,
                user_id=uid,
                action="export_results",
                target="contest:thu",
                at=START + timedelta(minutes=i),
                details={"label": f"Cuộc thi {i:02d}", "format": "xlsx"},
            )
            for i in range(n)
        )
        db.session.commit()


def test_pages_and_export(app, organiser, register):
    _many(app, 60)
    first = organiser.client.get("/to-chuc/nhat-ky").get_data(as_text=True)
    assert "«Cuộc thi 59»" in first and "«Cuộc thi 10»" in first and "«Cuộc thi 09»" not in first
    assert 'rel="next" href="/to-chuc/nhat-ky?page=2"' in first
    second = organiser.client.get("/to-chuc/nhat-ky?page=2").get_data(as_text=True)
    assert "«Cuộc thi 09»" in second and "«Cuộc thi 10»" not in second
    assert len(organiser.get("/api/v1/audit?limit=50&page=2").json) == 11  # + the unit import
    response = organiser.client.get("/to-chuc/nhat-ky.xlsx?action=export_results")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 60
    assert rows[0][0].is_date and rows[0][0].value == datetime(2026, 3, 2, 10, 59)
    assert rows[0][1].value == "Ban Tổ chức" and rows[0][2].value == "Tải toàn bộ kết quả cuộc thi"
    assert rows[0][3].value.startswith("Ban Tổ chức đã tải toàn bộ kết quả cuộc thi «Cuộc thi 59»")
    assert (
        organiser.get("/api/v1/audit?action=export_audit").json[0]["action_name"]
        == "Tải nhật ký thao tác"
    )
    api_file = organiser.get("/api/v1/audit.xlsx?from=2026-03-01")
    assert api_file.status_code == 200 and api_file.data[:2] == b"PK"
    participant = register()
    assert participant.get("/api/v1/audit.xlsx").status_code == 403
    assert participant.client.get("/to-chuc/nhat-ky.xlsx").status_code == 403


def test_another_organisation_sees_none_of_it(app, runner, organiser):
    _many(app, 3)
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    assert other.get("/api/v1/audit").json == []
    assert "Cuộc thi 01" not in other.client.get("/to-chuc/nhat-ky").get_data(as_text=True)
    ws = load_workbook(io.BytesIO(other.get("/api/v1/audit.xlsx").data)).active
    assert ws.max_row == 1


def test_images_and_the_certificate_rule_read_as_words(app):
    from contest.models.audit_text import changes_text

    with app.test_request_context():
        assert (
            changes_text({"signature": [None, "20480 bytes"], "seal": [None, "removed"]})
            == "ảnh chữ ký (trống) → ảnh mới (20 KB); ảnh con dấu (trống) → đã gỡ"
        )
        rule = {"winners": True, "participation": None, "issuer": "Sở Nội vụ"}
        text = changes_text(
            {"certificate_rule": [rule, rule | {"issuer": "UBND tỉnh"}], "title": ["A", "A"]}
        )
        assert text == "quy định cấp giấy chứng nhận (cơ quan cấp «Sở Nội vụ» → «UBND tỉnh»)"


def test_a_question_edit_reads_the_difficulty_by_its_label(organiser, make_bank):
    rows = bank_rows(2)
    rows[0][9] = "Khó"
    bank_id = make_bank(rows)
    qid = organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"][0]["id"]
    edited = organiser.put(
        f"/api/v1/banks/{bank_id}/questions/{qid}",
        json={"text": "Câu hỏi số 1?", "A": "A1", "B": "B1", "correct": "A", "difficulty": "Dễ"},
    )
    assert edited.status_code == 200, edited.json
    text = organiser.get("/api/v1/audit?action=edit_question").json[0]["sentence"]
    assert "mức độ Khó → Dễ" in text and "hard" not in text and "easy" not in text
