"""The organiser in control of a round through the API: read, edit before it opens, extend or
close it early while open (attempts end at the new close), delete one nobody started; every
change audited; another organisation, a participant and bad input refused."""

from datetime import timedelta

from conftest import START, Api, iso
from sqlalchemy import select
from staff import cli_staff

from contest.extensions import db
from contest.models import Attempt, AuditEntry, Round


def patch(api, round_id, **body):
    return api.call("PATCH", f"/api/v1/rounds/{round_id}", json=body)


def audit(app, action):
    with app.app_context():
        return [
            a.details
            for a in db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        ]


def upcoming(make_round, **extra):
    return make_round(
        opens_at=iso(START + timedelta(days=1)), closes_at=iso(START + timedelta(days=2)), **extra
    )


def test_get_round_has_status_and_finalized_at(organiser, make_round):
    rnd = make_round()
    body = organiser.get(f"/api/v1/rounds/{rnd['id']}").json
    assert body["status"] == "open" and body["finalized_at"] is None
    assert body["bank_id"] == rnd["bank_id"] and body["time_limit_s"] == 600


def test_every_field_can_change_before_the_round_opens(app, organiser, make_round, make_bank):
    rnd = upcoming(make_round)
    other_bank = make_bank(name="Ngân hàng hai")
    response = patch(
        organiser,
        rnd["id"],
        name="Tuần 1 (sửa)",
        bank_id=other_bank,
        question_count=4,
        time_limit_s=300,
        max_attempts=3,
        counting="first",
        opens_at=iso(START + timedelta(hours=3)),
        prize_first=2,
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert (
        body["name"],
        body["bank_id"],
        body["question_count"],
        body["time_limit_s"],
        body["max_attempts"],
        body["counting"],
        body["prizes"]["first"],
    ) == ("Tuần 1 (sửa)", other_bank, 4, 300, 3, "first", 2)
    assert body["opens_at"] == iso(START + timedelta(hours=3))
    assert body["closes_at"] == rnd["closes_at"]  # what was not sent stays
    (details,) = audit(app, "update_round")
    assert details["changes"]["name"] == ["Tuần 1", "Tuần 1 (sửa)"]
    assert details["changes"]["opens_at"][1] == (START + timedelta(hours=3)).isoformat()
    assert "closes_at" not in details["changes"]


def test_an_upcoming_round_is_still_checked_by_the_creation_rules(organiser, make_round):
    rnd = upcoming(make_round)
    response = patch(organiser, rnd["id"], closes_at=iso(START + timedelta(hours=20)))
    assert response.status_code == 422 and "closes_at" in response.json["error"]["fields"]
    response = patch(organiser, rnd["id"], question_count=50)
    assert response.status_code == 422 and "question_count" in response.json["error"]["fields"]
    assert patch(organiser, rnd["id"], counting="worst").status_code == 422
    for field in ("name", "opens_at", "bank_id", "question_count", "prize_first"):
        response = organiser.call("PATCH", f"/api/v1/rounds/{rnd['id']}", json={field: None})
        assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert (
        organiser.call(
            "PATCH", f"/api/v1/rounds/{rnd['id']}", data="[1]", content_type="application/json"
        ).status_code
        == 400
    )
    assert organiser.get(f"/api/v1/rounds/{rnd['id']}").json["question_count"] == 5


def test_an_open_round_changes_only_its_close(app, organiser, make_round, register, clock):
    rnd = make_round(closes_at=iso(START + timedelta(minutes=5)), time_limit_s=600)
    attempt = register().post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    assert attempt["deadline"] == iso(START + timedelta(minutes=5))  # capped by the close
    response = patch(organiser, rnd["id"], name="Đổi tên")
    assert response.status_code == 409 and "name" in response.json["error"]["fields"]
    response = patch(organiser, rnd["id"], closes_at=iso(START - timedelta(minutes=1)))
    assert response.status_code == 409
    # extended: the attempt capped at the old close gets its full time limit back
    response = patch(
        organiser, rnd["id"], name=rnd["name"], closes_at=iso(START + timedelta(hours=2))
    )
    assert response.status_code == 200, response.json
    assert response.json["closes_at"] == iso(START + timedelta(hours=2))
    with app.app_context():
        assert db.session.get(Attempt, attempt["id"]).deadline == START + timedelta(minutes=10)
    (details,) = audit(app, "update_round")
    assert list(details["changes"]) == ["closes_at"]


def test_closing_now_ends_attempts_in_progress_and_is_audited(
    app, organiser, make_round, register, clock
):
    rnd = make_round()
    person = register()
    attempt = person.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    clock.advance(minutes=2)
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/close", json={}).status_code == 422
    response = organiser.post(
        f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "Phát hiện lộ đề"}
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "closed"
    assert response.json["closes_at"] == iso(START + timedelta(minutes=2))
    assert person.get(f"/api/v1/attempts/{attempt['id']}").json["deadline"] == iso(
        START + timedelta(minutes=2)
    )
    assert person.post(f"/api/v1/rounds/{rnd['id']}/attempts").status_code in (200, 403)
    (details,) = audit(app, "close_round")
    assert details["reason"] == "Phát hiện lộ đề" and details["attempts_in_progress"] == 1
    assert details["changes"]["closes_at"] == [
        (START + timedelta(days=7)).isoformat(),
        (START + timedelta(minutes=2)).isoformat(),
    ]
    # closed: nothing changes any more, not even the close
    assert (
        organiser.post(f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "lần nữa"}).status_code
        == 409
    )
    assert patch(organiser, rnd["id"], closes_at=iso(START + timedelta(days=1))).status_code == 409
    clock.advance(minutes=1)  # past the grace: the answers are closed, the attempt expires
    q = attempt["questions"][0]
    assert (
        person.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json={"choices": [], "seq": 1}
        ).status_code
        == 409
    )


def test_closing_an_upcoming_round_is_refused(organiser, make_round):
    rnd = upcoming(make_round)
    assert (
        organiser.post(
            f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "Không cần nữa"}
        ).status_code
        == 409
    )


def test_delete_only_a_round_nobody_started(app, organiser, make_round, register):
    empty, started = make_round(name="Trống"), make_round(name="Đã thi")
    register().post(f"/api/v1/rounds/{started['id']}/attempts")
    response = organiser.call("DELETE", f"/api/v1/rounds/{started['id']}")
    assert response.status_code == 409
    assert organiser.call("DELETE", f"/api/v1/rounds/{empty['id']}").status_code == 204
    assert organiser.get(f"/api/v1/rounds/{empty['id']}").status_code == 404
    assert organiser.call("DELETE", f"/api/v1/rounds/{empty['id']}").status_code == 404
    with app.app_context():
        assert db.session.get(Round, started["id"]) is not None
    (details,) = audit(app, "delete_round")
    assert details["name"] == "Trống"


def test_another_organisation_and_participants_cannot_touch_a_round(
    app, runner, organiser, make_round, register
):
    rnd = make_round()
    person = register()
    assert person.get(f"/api/v1/rounds/{rnd['id']}").status_code == 403
    assert patch(person, rnd["id"], name="x").status_code == 403
    assert (
        person.post(f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "tôi muốn"}).status_code
        == 403
    )
    assert person.call("DELETE", f"/api/v1/rounds/{rnd['id']}").status_code == 403
    other = cli_staff(app, runner, "khac@example.vn", None, "KHAC")
    assert other.get(f"/api/v1/rounds/{rnd['id']}").status_code == 404
    assert patch(other, rnd["id"], name="x").status_code == 404
    assert (
        other.post(
            f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "không phải của tôi"}
        ).status_code
        == 404
    )
    assert other.call("DELETE", f"/api/v1/rounds/{rnd['id']}").status_code == 404
    anonymous = Api(app.test_client())
    assert anonymous.get(f"/api/v1/rounds/{rnd['id']}").status_code == 401
    assert organiser.get(f"/api/v1/rounds/{rnd['id']}").json["name"] == rnd["name"]


def test_patch_without_csrf_is_refused(app, organiser, make_round):
    rnd = make_round()
    response = organiser.client.open(
        f"/api/v1/rounds/{rnd['id']}", method="PATCH", json={"name": "x"}
    )
    assert response.status_code == 400


def test_an_upcoming_rounds_draw_quotas_are_checked_like_at_creation(organiser, make_round):
    rnd = upcoming(make_round)
    too_many = patch(organiser, rnd["id"], draw_quotas=[{"count": 4, "difficulty": "hard"}])
    assert too_many.status_code == 422 and "draw_quotas" in too_many.json["error"]["fields"]
    assert 'mức độ "Khó"' in too_many.json["error"]["fields"]["draw_quotas"]  # its label
    fine = patch(organiser, rnd["id"], draw_quotas=[{"count": 3, "topic": "Chung"}])
    assert fine.status_code == 200, fine.json
    created = upcoming(make_round, draw_quotas=[{"count": 3, "topic": "Chung"}])
    assert fine.json["draw_quotas"] == created["draw_quotas"]  # stored as creation stores it
    # the Vietnamese word, as clients sent it before codes, is still taken and kept as the code
    word = patch(organiser, rnd["id"], draw_quotas=[{"count": 1, "difficulty": "Dễ"}])
    assert word.status_code == 200 and word.json["draw_quotas"][0]["difficulty"] == "easy"
    unknown = patch(organiser, rnd["id"], draw_quotas=[{"count": 1, "difficulty": "Rất khó"}])
    assert unknown.status_code == 422
    assert fine.json["draw_quotas"][0]["count"] == 3
    assert patch(organiser, rnd["id"], block_id=999).status_code == 422
