"""The grace after an attempt's deadline or the round's close: resuming in it, and its default
(DEFAULT_GRACE_S) for new rounds."""

from datetime import timedelta

from conftest import START, correct_choice_ids, iso


def test_resume_during_the_grace_after_the_round_closes(app, make_round, register, clock):
    rnd = make_round(closes_at=iso(START + timedelta(minutes=5)), grace_s=30)
    api = register()
    first = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    clock.advance(minutes=5, seconds=10)
    again = api.post(f"/api/v1/rounds/{rnd['id']}/attempts")
    assert again.status_code == 200 and again.json["id"] == first["id"]
    q = first["questions"][0]
    saved = api.put(
        f"/api/v1/attempts/{first['id']}/answers/{q['id']}",
        json={"choices": correct_choice_ids(app, q["id"]), "seq": 1},
    )
    assert saved.status_code == 200
    assert api.post(f"/api/v1/attempts/{first['id']}/submit", json={}).json["score"] == 1.0


def test_grace_is_configurable(app, organiser, make_round, register, clock, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_GRACE_S", 45)
    body = {
        "name": "x",
        "opens_at": "2026-03-02T09:00:00+07:00",
        "closes_at": "2026-03-09T09:00:00+07:00",
        "bank_id": make_round()["bank_id"],
        "question_count": 5,
        "time_limit_s": 600,
    }
    assert organiser.post("/api/v1/contests/thu/rounds", json=body).json["grace_s"] == 45
