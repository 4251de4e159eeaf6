"""The organiser's round page controls: edit before opening, extend, close now with a reason,
delete when nobody started; the round form's bank defaults to the newest bank."""

import re
from datetime import timedelta

from conftest import START, csrf_from, iso
from sqlalchemy import select

from contest import timing
from contest.extensions import db
from contest.models import Attempt, AuditEntry, Round


def page(api, round_id):
    return api.client.get(f"/to-chuc/dot-thi/{round_id}").get_data(as_text=True)


def local_input(dt) -> str:
    return timing.format_local(dt, "%Y-%m-%dT%H:%M")


def test_the_round_form_defaults_to_the_newest_bank(organiser, make_bank, make_round):
    make_round()  # the contest, with a bank of its own
    newest = make_bank(name="Ngân hàng vừa tải lên")
    html = organiser.client.get("/to-chuc/cuoc-thi/thu").get_data(as_text=True)
    bank_select = html.split('name="bank_id"')[1].split("</select>")[0]
    selected = re.search(r'<option value="(\d+)" selected', bank_select)
    assert selected and int(selected.group(1)) == newest


def test_edit_an_upcoming_round_through_its_page(app, organiser, make_round):
    rnd = make_round(
        opens_at=iso(START + timedelta(days=1)), closes_at=iso(START + timedelta(days=2))
    )
    html = page(organiser, rnd["id"])
    assert "Sửa đợt thi" in html and "Đóng đợt thi ngay" not in html
    form = organiser.client.get(f"/to-chuc/dot-thi/{rnd['id']}/sua").get_data(as_text=True)
    assert 'value="Tuần 1"' in form and 'value="10"' in form  # 600 s as minutes
    data = {
        "csrf_token": csrf_from(form),
        "name": "Tuần 1 (mới)",
        "opens_at": local_input(START + timedelta(days=1)),
        "closes_at": local_input(START + timedelta(days=3)),
        "bank_id": rnd["bank_id"],
        "question_count": 6,
        "time_limit_min": "12",
        "max_attempts": 2,
        "counting": "best",
        "prediction": "none",
        "grace_s": 30,
        "prize_first": 1,
        "prize_second": 2,
        "prize_third": 3,
        "prize_consolation": 5,
    }
    response = organiser.client.post(f"/to-chuc/dot-thi/{rnd['id']}/sua", data=data)
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Round, rnd["id"])
        assert (saved.name, saved.question_count, saved.time_limit_s) == ("Tuần 1 (mới)", 6, 720)
        assert saved.closes_at == START + timedelta(days=3)
    bad = organiser.client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/sua", data=data | {"question_count": 99}
    )
    assert bad.status_code == 422 and "không đủ" in bad.get_data(as_text=True)


def test_extend_then_close_an_open_round_from_its_page(app, organiser, make_round, register, clock):
    rnd = make_round(closes_at=iso(START + timedelta(minutes=5)))
    attempt = register().post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    html = page(organiser, rnd["id"])
    assert "Gia hạn" in html and "Đóng đợt thi ngay" in html
    assert organiser.client.get(f"/to-chuc/dot-thi/{rnd['id']}/sua").status_code == 302
    token = csrf_from(html)
    organiser.client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/gia-han",
        data={"csrf_token": token, "closes_at": local_input(START + timedelta(hours=1))},
    )
    with app.app_context():
        assert db.session.get(Round, rnd["id"]).closes_at == START + timedelta(hours=1)
        assert db.session.get(Attempt, attempt["id"]).deadline == START + timedelta(minutes=10)
    # into the past: refused, nothing changes
    refused = organiser.client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/gia-han",
        data={"csrf_token": token, "closes_at": local_input(START - timedelta(hours=1))},
        follow_redirects=True,
    )
    assert "không được sớm hơn" in refused.get_data(as_text=True).lower()
    clock.advance(minutes=3)
    no_reason = organiser.client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/dong",
        data={"csrf_token": token, "reason": ""},
        follow_redirects=True,
    )
    assert "lý do" in no_reason.get_data(as_text=True)
    organiser.client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/dong", data={"csrf_token": token, "reason": "Sự cố mạng"}
    )
    with app.app_context():
        assert db.session.get(Round, rnd["id"]).closes_at == START + timedelta(minutes=3)
        assert db.session.get(Attempt, attempt["id"]).deadline == START + timedelta(minutes=3)
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-2:] == ["update_round", "close_round"]
    assert "Đợt thi đã kết thúc: không thể sửa." in page(organiser, rnd["id"])


def test_delete_from_the_page_only_when_nobody_started(app, organiser, make_round, register):
    empty, started = make_round(name="Trống"), make_round(name="Đã thi")
    register().post(f"/api/v1/rounds/{started['id']}/attempts")
    assert "Xoá đợt thi" not in page(organiser, started["id"])
    html = page(organiser, empty["id"])
    assert "Xoá đợt thi" in html
    response = organiser.client.post(
        f"/to-chuc/dot-thi/{started['id']}/xoa", data={"csrf_token": csrf_from(html)}
    )
    assert response.status_code == 302
    response = organiser.client.post(
        f"/to-chuc/dot-thi/{empty['id']}/xoa", data={"csrf_token": csrf_from(html)}
    )
    assert response.headers["Location"].endswith("/to-chuc/cuoc-thi/thu")
    with app.app_context():
        assert db.session.get(Round, empty["id"]) is None
        assert db.session.get(Round, started["id"]) is not None


def test_round_controls_need_the_form_token_and_the_organiser(app, organiser, make_round, register):
    rnd = make_round()
    assert (
        organiser.client.post(
            f"/to-chuc/dot-thi/{rnd['id']}/dong", data={"reason": "không có mã"}
        ).status_code
        == 400
    )
    with app.app_context():
        assert db.session.get(Round, rnd["id"]).closes_at == START + timedelta(days=7)
    person = register()
    for path in ("sua", "gia-han", "dong", "xoa"):
        assert (
            person.client.post(
                f"/to-chuc/dot-thi/{rnd['id']}/{path}", data={"csrf_token": person.csrf}
            ).status_code
            == 403
        )
