"""Expiry, the one ranking order with ties on every key, counting, prediction, unit ranking."""

from datetime import timedelta

from conftest import START, correct_choice_ids, iso


def play(app, api, round_id, right: int, clock, seconds: float, prediction=None):
    """Start, answer `right` questions correctly and the rest wrong, submit after `seconds`."""
    attempt = api.post(f"/api/v1/rounds/{round_id}/attempts").json
    for i, q in enumerate(attempt["questions"]):
        key = correct_choice_ids(app, q["id"])
        choice = key if i < right else [next(c["id"] for c in q["choices"] if c["id"] not in key)]
        assert (
            api.put(
                f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
                json={"choices": choice, "seq": 1},
            ).status_code
            == 200
        )
    clock.advance(seconds=seconds)
    body = {} if prediction is None else {"prediction": prediction}
    done = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json=body)
    assert done.status_code == 200, done.json
    clock.advance(seconds=-seconds)
    return done.json


def board(client, round_id):
    return [
        (e["name"], e["score"], e["duration_ms"])
        for e in client.get(f"/api/v1/rounds/{round_id}/leaderboard").json["entries"]
    ]


def test_ties_are_broken_by_duration_then_submission_then_attempt_id(
    app, make_round, register, clock
):
    rnd = make_round()
    people = {
        n: register(phone=f"09120000{i:02d}", name=f"Người {n}") for i, n in enumerate("ABCDEF")
    }
    play(app, people["A"], rnd["id"], 5, clock, 100)
    clock.advance(seconds=10)
    play(app, people["B"], rnd["id"], 5, clock, 100)  # same as A, submitted later
    play(app, people["C"], rnd["id"], 5, clock, 90)  # quicker: first
    play(app, people["D"], rnd["id"], 4, clock, 10)  # lower score: after all 5s
    clock.advance(seconds=200)
    play(app, people["E"], rnd["id"], 3, clock, 50)  # E and F tie on every key
    play(app, people["F"], rnd["id"], 3, clock, 50)  # but F's attempt id is higher
    assert board(app.test_client(), rnd["id"]) == [
        ("Người C", 5.0, 90000),
        ("Người A", 5.0, 100000),
        ("Người B", 5.0, 100000),
        ("Người D", 4.0, 10000),
        ("Người E", 3.0, 50000),
        ("Người F", 3.0, 50000),
    ]
    ranks = [
        e["rank"]
        for e in app.test_client()
        .get(f"/api/v1/rounds/{rnd['id']}/leaderboard?limit=3")
        .json["entries"]
    ]
    assert ranks == [1, 2, 3]
    for limit in ("0", "501"):
        refused = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard?limit={limit}")
        assert refused.status_code == 422 and refused.json["error"]["fields"] == {"limit": "1..500"}


def test_best_attempt_counts_or_first_attempt_counts(app, make_round, register, clock):
    best = make_round(slug="tot-nhat", max_attempts=3, counting="best")
    first = make_round(slug="dau-tien", max_attempts=3, counting="first")
    api = register()
    for rnd in (best, first):
        play(app, api, rnd["id"], 2, clock, 30)
        play(app, api, rnd["id"], 4, clock, 60)
        play(app, api, rnd["id"], 4, clock, 80)
    assert board(app.test_client(), best["id"]) == [("Nguyễn Văn An", 4.0, 60000)]
    assert board(app.test_client(), first["id"]) == [("Nguyễn Văn An", 2.0, 30000)]


def test_prediction_distance_ranks_ties_once_the_round_closes(app, make_round, register, clock):
    rnd = make_round(prediction="participant_count", closes_at=iso(START + timedelta(hours=2)))
    a, b, c = (register(phone=f"091200001{i}", name=n) for i, n in enumerate(["An", "Bình", "Chi"]))
    play(app, a, rnd["id"], 5, clock, 100, prediction=10)
    play(app, b, rnd["id"], 5, clock, 100, prediction=3)
    play(app, c, rnd["id"], 5, clock, 20)
    open_board = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json
    assert [e["name"] for e in open_board["entries"]] == ["Chi", "An", "Bình"]
    clock.advance(hours=3)
    closed = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert [(e["name"], e["prediction"]) for e in closed] == [
        ("Bình", 3),
        ("An", 10),
        ("Chi", None),
    ]


def test_perfect_count_truth(app, make_round, register, clock):
    from contest.extensions import db
    from contest.models import Round

    rnd = make_round(prediction="perfect_count", closes_at=iso(START + timedelta(hours=2)))
    for i, right in enumerate([5, 5, 3]):
        play(app, register(phone=f"09120001{i:02d}"), rnd["id"], right, clock, 10, prediction=2)
    clock.advance(hours=3)
    app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard")
    with app.app_context():
        assert db.session.get(Round, rnd["id"]).prediction_truth == 2


def test_unit_ranking(app, make_round, register, clock):
    rnd = make_round()
    play(app, register(phone="0912000001", unit="PNV"), rnd["id"], 4, clock, 10)
    play(app, register(phone="0912000002", unit="PNV"), rnd["id"], 2, clock, 10)
    play(app, register(phone="0912000003", unit="PTC"), rnd["id"], 5, clock, 10)
    ranking = app.test_client().get(f"/api/v1/contests/thu/units/ranking?round_id={rnd['id']}")
    rows = [
        (
            r["rank"],
            r["unit_code"],
            r["participants"],
            r["headcount"],
            r["participation_rate"],
            r["average_score"],
        )
        for r in ranking.json
    ]
    assert rows == [
        (1, "PNV", 2, 10, 0.2, 3.0),
        (2, "PTC", 1, 20, 0.05, 5.0),
        (3, "UB", 0, 100, 0.0, None),
    ]
    assert app.test_client().get("/api/v1/contests/thu/units/ranking").json[0]["unit_code"] == "PNV"
    assert (
        app.test_client().get("/api/v1/contests/thu/units/ranking?round_id=99999").status_code
        == 422
    )


def test_left_open_attempt_expires_scored_at_its_deadline(app, make_round, register, clock):
    rnd = make_round(time_limit_s=600, grace_s=30)
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    q1, q2, q3 = attempt["questions"][:3]
    for q in (q1, q2):
        api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": correct_choice_ids(app, q["id"]), "seq": 1},
        )
    clock.advance(seconds=600 + 20)  # past the deadline, within grace: still accepted
    late = api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{q3['id']}",
        json={"choices": correct_choice_ids(app, q3["id"]), "seq": 1},
    )
    assert late.status_code == 200
    clock.advance(seconds=11)  # deadline + 31 s
    closed = api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{q3['id']}", json={"choices": [], "seq": 2}
    )
    assert closed.status_code == 409 and closed.json["error"]["code"] == "attempt_closed"
    fetched = api.get(f"/api/v1/attempts/{attempt['id']}").json
    assert fetched["status"] == "expired" and fetched["score"] == 3.0
    assert fetched["submitted_at"] == fetched["deadline"] and fetched["duration_ms"] == 600_000
    submit = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    assert submit.status_code == 409  # expired: too late, every time it is asked
    assert board(app.test_client(), rnd["id"]) == [("Nguyễn Văn An", 3.0, 600000)]


def test_submit_after_grace_answers_409_and_expires(app, make_round, register, clock):
    rnd = make_round(time_limit_s=600, grace_s=30)
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    clock.advance(seconds=700)
    late = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    assert late.status_code == 409 and late.json["error"]["code"] == "attempt_closed"
    assert api.get(f"/api/v1/attempts/{attempt['id']}").json["status"] == "expired"


def test_deadline_never_passes_the_round_close(make_round, register, clock):
    rnd = make_round(closes_at=iso(START + timedelta(minutes=5)), time_limit_s=600)
    attempt = register().post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    assert attempt["deadline"] == rnd["closes_at"]


def test_close_expired_command_sweeps(app, make_round, register, clock, runner):
    from contest.extensions import db
    from contest.models import Attempt

    rnd = make_round(time_limit_s=600, grace_s=30)
    for i in range(3):
        register(phone=f"091200002{i}").post(f"/api/v1/rounds/{rnd['id']}/attempts")
    clock.advance(seconds=300)
    assert "Đã đóng 0 bài" in runner.invoke(args=["close-expired"]).output
    clock.advance(seconds=400)
    assert "Đã đóng 3 bài" in runner.invoke(args=["close-expired"]).output
    with app.app_context():
        assert db.session.scalars(db.select(Attempt.status)).all() == ["expired"] * 3
