"""A new round on a bank whose key participants have already seen is refused (409) until the
organiser confirms; confirming, they may draw only the questions not yet exposed."""

from datetime import timedelta

from conftest import START, csrf_from, iso
from staff import cli_staff

from contest.extensions import db
from contest.models import AuditEntry


def _closed_round_with_attempt(make_round, register, clock, **extra):
    """Round 1 (5 of 10 questions drawn by one attempt) over and past its grace."""
    rnd = make_round(closes_at=iso(START + timedelta(hours=1)), max_attempts=1, **extra)
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    clock.advance(hours=1, minutes=1)
    return rnd, {q["id"] for q in attempt["questions"]}, api


def _round_body(bank_id, **extra):
    now = START + timedelta(hours=2)
    return {
        "name": "Tuần 2",
        "opens_at": iso(now),
        "closes_at": iso(now + timedelta(days=7)),
        "bank_id": bank_id,
        "question_count": 5,
        "time_limit_s": 600,
        "max_attempts": 1,
    } | extra


def test_a_round_on_a_published_bank_is_refused_naming_the_exposed_questions(
    organiser, make_round, register, clock
):
    first, drawn, _api = _closed_round_with_attempt(make_round, register, clock)
    refused = organiser.post("/api/v1/contests/thu/rounds", json=_round_body(first["bank_id"]))
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["code"] == "bank_exposed"
    assert {q["id"] for q in error["exposed"]} == drawn
    assert "5 câu hỏi" in error["message"] and "#" in error["message"]
    assert len(organiser.get("/api/v1/contests/thu").json["rounds"]) == 1  # nothing made
    confirmed = organiser.post(
        "/api/v1/contests/thu/rounds", json=_round_body(first["bank_id"], confirm_exposed=True)
    )
    assert confirmed.status_code == 201 and confirmed.json["excluded_question_count"] == 0


def test_confirming_with_draw_unexposed_never_draws_an_exposed_question(
    app, organiser, make_round, register, clock
):
    first, drawn, _api = _closed_round_with_attempt(make_round, register, clock)
    too_many = organiser.post(
        "/api/v1/contests/thu/rounds",
        json=_round_body(
            first["bank_id"], confirm_exposed=True, draw_unexposed=True, question_count=6
        ),
    )
    assert too_many.status_code == 422 and "chưa công bố" in str(too_many.json)
    made = organiser.post(
        "/api/v1/contests/thu/rounds",
        json=_round_body(
            first["bank_id"],
            confirm_exposed=True,
            draw_unexposed=True,
            max_attempts=0,
            opens_at=iso(clock.now - timedelta(minutes=1)),
        ),
    )
    assert made.status_code == 201 and made.json["excluded_question_count"] == 5
    api = register(phone="0912000009")
    for _ in range(3):
        attempt = api.post(f"/api/v1/rounds/{made.json['id']}/attempts").json
        ids = {q["id"] for q in attempt["questions"]}
        assert len(ids) == 5 and not ids & drawn
        api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    with app.app_context():
        entry = db.session.scalars(
            db.select(AuditEntry).filter_by(action="create_round_on_exposed_bank")
        ).one()
        assert entry.target == f"round:{made.json['id']}"
        assert entry.details["exposed"] == 5 and entry.details["draw_unexposed"] is True


def test_no_refusal_while_a_round_on_the_bank_is_open_or_nothing_was_drawn(
    organiser, make_round, make_bank, register, clock
):
    first = make_round(closes_at=iso(START + timedelta(hours=1)))
    api = register()
    attempt = api.post(f"/api/v1/rounds/{first['id']}/attempts").json
    api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    # round 1 still open: its key is not published, a round beside it is fine
    beside = organiser.post("/api/v1/contests/thu/rounds", json=_round_body(first["bank_id"]))
    assert beside.status_code == 201
    unused = make_round(bank_id=make_bank(), closes_at=iso(START + timedelta(hours=1)))
    clock.advance(hours=1, minutes=1)
    again = organiser.post("/api/v1/contests/thu/rounds", json=_round_body(unused["bank_id"]))
    assert again.status_code == 201  # that round closed, but nobody drew a question


def test_another_organisations_bank_is_not_found_not_exposed(
    app, runner, organiser, make_round, register, clock
):

    first, _drawn, _api = _closed_round_with_attempt(make_round, register, clock)
    runner.invoke(args=["create-organisation", "khac", "--name", "Sở khác"])
    other = cli_staff(app, runner, "khac@example.vn", None, "khac")
    assert other.post("/api/v1/contests", json={"slug": "khac", "title": "Khác"}).status_code == 201
    response = other.post("/api/v1/contests/khac/rounds", json=_round_body(first["bank_id"]))
    assert response.status_code == 422 and "exposed" not in response.json["error"]


def test_the_round_form_asks_for_confirmation_then_draws_only_the_others(
    organiser, make_round, register, clock
):
    first, _drawn, _api = _closed_round_with_attempt(make_round, register, clock)
    page = organiser.client.get("/to-chuc/cuoc-thi/thu").text
    form = {
        "csrf_token": csrf_from(page),
        "name": "Tuần 2",
        "opens_at": "2026-03-02T13:00",
        "closes_at": "2026-03-09T13:00",
        "bank_id": first["bank_id"],
        "question_count": "5",
        "time_limit_min": "10",
        "max_attempts": "1",
        "counting": "best",
        "prediction": "none",
    }
    asked = organiser.client.post("/to-chuc/cuoc-thi/thu", data=form)
    assert asked.status_code == 409
    assert 'id="exposed"' in asked.text and 'value="fresh"' in asked.text
    assert 'value="Tuần 2"' in asked.text  # the form keeps what was typed
    made = organiser.client.post("/to-chuc/cuoc-thi/thu", data=form | {"exposure": "fresh"})
    assert made.status_code == 302
    rounds = organiser.get("/api/v1/contests/thu").json["rounds"]
    assert [r["excluded_question_count"] for r in rounds] == [0, 5]
