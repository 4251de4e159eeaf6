"""A whole attempt through the API: start, resume, answer, submit, limits and ownership."""

from datetime import timedelta

from conftest import correct_choice_ids


def start(api, round_id):
    return api.post(f"/api/v1/rounds/{round_id}/attempts")


def answer(api, attempt, question, choices, seq):
    return api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
        json={"choices": choices, "seq": seq},
    )


def test_whole_attempt_scores_what_was_saved(app, make_round, register, clock):
    rnd = make_round()
    api = register()
    response = start(api, rnd["id"])
    assert response.status_code == 201
    attempt = response.json
    assert len(attempt["questions"]) == 5 and attempt["status"] == "in_progress"
    assert attempt["server_now"] and attempt["deadline"].endswith("+07:00")
    questions = attempt["questions"]
    for q in questions[:3]:
        key = correct_choice_ids(app, q["id"])
        assert answer(api, attempt, q, key, 1).json["saved_seq"] == 1
    wrong = [
        c["id"]
        for c in questions[3]["choices"]
        if c["id"] not in correct_choice_ids(app, questions[3]["id"])
    ][:1]
    assert answer(api, attempt, questions[3], wrong, 1).status_code == 200
    clock.advance(seconds=95)
    done = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    assert done.status_code == 200
    assert done.json["status"] == "submitted"
    assert (done.json["score"], done.json["max_score"]) == (3.0, 5.0)
    assert done.json["duration_ms"] == 95_000
    again = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    assert again.json == done.json | {"server_now": again.json["server_now"]}


def test_start_twice_resumes_the_same_attempt_with_the_same_draw(make_round, register):
    rnd = make_round()
    api = register()
    first = start(api, rnd["id"])
    second = start(api, rnd["id"])
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"]
    assert first.json["questions"] == second.json["questions"]


def test_draws_are_random_and_choices_shuffled(make_round, make_bank, register):
    from conftest import bank_rows

    rnd = make_round(bank_id=make_bank(bank_rows(40)), question_count=10, max_attempts=0)
    api = register()
    seen_sets, orders = set(), set()
    for _ in range(6):
        attempt = start(api, rnd["id"]).json
        seen_sets.add(tuple(sorted(q["id"] for q in attempt["questions"])))
        orders.add(tuple(c["text"][0] for c in attempt["questions"][0]["choices"]))
        api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    assert len(seen_sets) > 1
    assert len({tuple(c["text"][0] for c in q["choices"]) for q in attempt["questions"]}) > 1


def test_lower_seq_changes_nothing(app, make_round, register):
    api = register()
    attempt = start(api, make_round()["id"]).json
    q = attempt["questions"][0]
    a, b = q["choices"][0]["id"], q["choices"][1]["id"]
    assert answer(api, attempt, q, [a], 5).json["saved_seq"] == 5
    stale = answer(api, attempt, q, [b], 3)
    assert stale.status_code == 200 and stale.json["saved_seq"] == 5
    assert answer(api, attempt, q, [a], 5).json["saved_seq"] == 5
    fetched = api.get(f"/api/v1/attempts/{attempt['id']}").json
    assert fetched["answers"][str(q["id"])] == [a]


def test_bad_choices_are_refused(make_round, register):
    api = register()
    attempt = start(api, make_round()["id"]).json
    q, other = attempt["questions"][0], attempt["questions"][1]
    foreign = answer(api, attempt, q, [other["choices"][0]["id"]], 1)
    assert foreign.status_code == 422 and foreign.json["error"]["fields"]["choices"]
    two = answer(api, attempt, q, [c["id"] for c in q["choices"][:2]], 1)
    assert two.status_code == 422
    missing = api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/999999", json={"choices": [], "seq": 1}
    )
    assert missing.status_code == 404
    malformed = api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json={"choices": "A", "seq": "x"}
    )
    assert malformed.status_code == 422
    assert set(malformed.json["error"]["fields"]) == {"choices", "seq"}


def test_saves_after_submit_answer_409(make_round, register):
    api = register()
    attempt = start(api, make_round()["id"]).json
    api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    q = attempt["questions"][0]
    late = answer(api, attempt, q, [q["choices"][0]["id"]], 9)
    assert late.status_code == 409 and late.json["error"]["code"] == "attempt_closed"


def test_attempt_limit_and_round_not_open(make_round, register, clock):
    rnd = make_round(max_attempts=1)
    api = register()
    attempt = start(api, rnd["id"]).json
    api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    again = start(api, rnd["id"])
    assert again.status_code == 409 and again.json["error"]["code"] == "no_attempts_left"
    clock.advance(days=8)
    other = register(phone="0912000002")
    closed = start(other, rnd["id"])
    assert closed.status_code == 403 and closed.json["error"]["code"] == "round_not_open"


def test_upcoming_round_is_not_open(make_round, register, clock):
    from conftest import START, iso

    rnd = make_round(
        opens_at=iso(START + timedelta(days=1)), closes_at=iso(START + timedelta(days=2))
    )
    assert start(register(), rnd["id"]).status_code == 403


def test_another_persons_attempt_is_404_and_anonymous_is_401(app, make_round, register):
    rnd = make_round()
    owner, other = register(), register(phone="0912000002")
    attempt = start(owner, rnd["id"]).json
    q = attempt["questions"][0]
    assert other.get(f"/api/v1/attempts/{attempt['id']}").status_code == 404
    assert answer(other, attempt, q, [q["choices"][0]["id"]], 1).status_code == 404
    assert other.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/api/v1/attempts/{attempt['id']}").status_code == 401
    assert anonymous.post(f"/api/v1/rounds/{rnd['id']}/attempts").status_code in (400, 401)


def test_bearer_token_needs_no_csrf(app, make_round, register):
    rnd = make_round()
    token = register().token
    bare = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    response = bare.post(f"/api/v1/rounds/{rnd['id']}/attempts", headers=headers)
    assert response.status_code == 201
    bad = bare.post(
        f"/api/v1/rounds/{rnd['id']}/attempts", headers={"Authorization": "Bearer nope"}
    )
    assert bad.status_code == 401


def test_cookie_request_without_csrf_is_refused(make_round, register):
    rnd = make_round()
    api = register()
    refused = api.client.post(f"/api/v1/rounds/{rnd['id']}/attempts")
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf_failed"
    assert start(api, rnd["id"]).status_code == 201


def test_one_in_progress_attempt_is_held_by_the_database(app, make_round, register):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from contest.extensions import db
    from contest.models import Attempt

    rnd = make_round(max_attempts=0)
    api = register()
    attempt = start(api, rnd["id"]).json
    with app.app_context():
        original = db.session.get(Attempt, attempt["id"])
        db.session.add(
            Attempt(
                user_id=original.user_id,
                round_id=original.round_id,
                seq=2,
                status="in_progress",
                started_at=original.started_at,
                deadline=original.deadline,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
