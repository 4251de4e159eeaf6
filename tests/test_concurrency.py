"""Simultaneous saves, starts and registrations: no error, one attempt and one account each."""

import threading

from conftest import Api


def _parallel(count, work):
    results, threads = [None] * count, []
    for i in range(count):
        threads.append(threading.Thread(target=lambda i=i: results.__setitem__(i, work(i))))
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_simultaneous_saves_and_starts_never_fail(app, make_round, register, clock):
    rnd = make_round(max_attempts=0)
    people = [register(phone=f"09120003{i:02d}") for i in range(6)]
    starts = _parallel(
        12, lambda i: people[i % 6].post(f"/api/v1/rounds/{rnd['id']}/attempts").status_code
    )
    assert sorted(starts) == [200] * 6 + [201] * 6
    attempts = [p.post(f"/api/v1/rounds/{rnd['id']}/attempts").json for p in people]

    def save(i):
        api, attempt = people[i % 6], attempts[i % 6]
        q = attempt["questions"][i % 5]
        return api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": [q["choices"][0]["id"]], "seq": i + 1},
        ).status_code

    assert set(_parallel(60, save)) == {200}


def test_simultaneous_registrations_answer_409_not_500(app, organiser):
    def go(_i):
        return (
            Api(app.test_client())
            .post(
                "/api/v1/register",
                json={
                    "full_name": "Đỗ Văn Em",
                    "phone": "0933333333",
                    "password": "matkhau1",
                    "unit_code": "PNV",
                },
            )
            .status_code
        )

    codes = _parallel(4, go)
    assert sorted(codes) == [201, 409, 409, 409]


def test_a_start_that_finds_its_attempt_made_meanwhile_resumes_it(
    app, make_round, register, monkeypatch
):
    """Another request (another worker) enters the contest and starts the same attempt after
    this start has read everything and before it writes: this one's INSERTs skip the rows the
    unique indexes already hold, and it answers with that attempt, no error, nothing twice."""
    from sqlalchemy import func, insert, select

    from contest.extensions import db
    from contest.models import Attempt, Participation, Round, User
    from contest.services import attempts
    from contest.timing import utcnow

    rnd = make_round(max_attempts=0)
    api = register()
    user_id = api.user["id"]
    with app.app_context():
        unit_id = db.session.get(User, user_id).unit_id
        contest_id = db.session.get(Round, rnd["id"]).contest_id
    made = {}
    pictures = attempts.attempt_pictures

    def meanwhile(question_ids):
        now = utcnow()
        participation = {"contest_id": contest_id, "user_id": user_id, "unit_id": unit_id}
        attempt = {"user_id": user_id, "round_id": rnd["id"], "seq": 1, "status": "in_progress"}
        with db.engine.begin() as other:  # its own connection and transaction, committed
            other.execute(
                insert(Participation.__table__).values(
                    **participation, category="cbccvc", profile={}, joined_at=now
                )
            )
            made["attempt_id"] = other.scalar(
                insert(Attempt.__table__)
                .values(**attempt, started_at=now, deadline=now.replace(year=now.year + 1))
                .returning(Attempt.__table__.c.id)
            )
        return pictures(question_ids)

    monkeypatch.setattr(attempts, "attempt_pictures", meanwhile)
    response = api.post(f"/api/v1/rounds/{rnd['id']}/attempts")
    assert response.status_code == 200, response.json
    assert response.json["id"] == made["attempt_id"]
    with app.app_context():
        count = db.session.scalar
        assert count(select(func.count()).where(Attempt.user_id == user_id)) == 1
        assert count(select(func.count()).where(Participation.user_id == user_id)) == 1
