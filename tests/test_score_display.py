"""A round shows scores right after submit, or only once it closes (the default when a person
may try more than once: each attempt's score tells how many answers were right)."""

from datetime import timedelta

from conftest import START, correct_choice_ids, csrf_from, iso


def test_default_follows_the_number_of_attempts(make_round, make_bank):
    bank_id = make_bank()
    shown = {
        n: make_round(bank_id=bank_id, max_attempts=n, score_display=None)["score_display"]
        for n in (1, 2, 0)
    }
    assert shown == {1: "after_submit", 2: "after_close", 0: "after_close"}
    chosen = make_round(bank_id=bank_id, max_attempts=3, score_display="after_submit")
    assert chosen["score_display"] == "after_submit"


def _keys(data):
    """Every key of a JSON document, however deep."""
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def test_after_close_no_score_reaches_the_participant_before_the_close(
    app, make_round, register, clock
):
    """Unlimited attempts, one answer changed at a time: nothing tells which was right."""
    rnd = make_round(max_attempts=0, score_display=None, closes_at=iso(START + timedelta(hours=1)))
    api, other = register(), register(phone="0912000002", name="Trần Thị Bình", unit="PTC")
    attempts = []
    for person in (api, api, other):
        attempt = person.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
        q = attempt["questions"][0]
        person.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": correct_choice_ids(app, q["id"]), "seq": 1},
        )
        done = person.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
        assert done.status_code == 200
        assert not {"score", "max_score", "correct"} & _keys(done.json), done.json
        assert done.json["score_visible"] is False and done.json["score_visible_at"]
        attempts.append(attempt["id"])
    for url in [f"/api/v1/attempts/{attempts[0]}", f"/api/v1/rounds/{rnd['id']}/leaderboard"]:
        body = api.get(url).json
        assert not {"score", "max_score", "correct"} & _keys(body), (url, body)
    assert api.get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"] == []
    units = api.get("/api/v1/contests/thu/units/ranking").json
    assert units and all(u["average_score"] is None for u in units)
    result = api.client.get(f"/bai-thi/{attempts[0]}/ket-qua").text
    assert 'id="score"' not in result and 'id="rank"' not in result
    assert 'id="score-later"' in result
    contest_page = api.client.get("/cuoc-thi/thu").text
    assert "/5 điểm" not in contest_page and "điểm công bố sau khi đợt thi kết thúc" in contest_page
    board_page = api.client.get(f"/dot-thi/{rnd['id']}/xep-hang").text
    assert (
        "được công bố sau khi đợt thi kết thúc" in board_page and "Trần Thị Bình" not in board_page
    )

    clock.advance(hours=1, seconds=31)  # closed and past the grace: results are final
    after = api.get(f"/api/v1/attempts/{attempts[0]}").json
    assert after["score_visible"] is True and after["score"] == 1 and after["max_score"] == 5
    assert api.get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert 'id="score"' in api.client.get(f"/bai-thi/{attempts[0]}/ket-qua").text
    units = api.get("/api/v1/contests/thu/units/ranking").json
    assert any(u["average_score"] is not None for u in units)


def test_after_submit_shows_the_score_at_once_when_the_organiser_chose_it(make_round, register):
    rnd = make_round(max_attempts=0, score_display="after_submit")
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    done = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).json
    assert done["score_visible"] is True and done["score"] == 0 and done["max_score"] == 5
    assert api.get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]


def test_the_round_form_explains_the_setting_and_saves_it(organiser, make_bank):
    bank_id = make_bank()
    assert (
        organiser.post("/api/v1/contests", json={"slug": "thu", "title": "Thử"}).status_code == 201
    )
    page = organiser.client.get("/to-chuc/cuoc-thi/thu").text
    assert 'name="score_display"' in page and "dò ra đáp án" in page
    form = {
        "csrf_token": csrf_from(page),
        "name": "Tuần 1",
        "opens_at": "2026-03-02T09:00",
        "closes_at": "2026-03-09T09:00",
        "bank_id": bank_id,
        "question_count": "5",
        "time_limit_min": "15",
        "max_attempts": "3",
        "counting": "best",
        "prediction": "none",
    }
    for choice, expected in (("", "after_close"), ("after_submit", "after_submit")):
        created = organiser.client.post(
            "/to-chuc/cuoc-thi/thu", data=form | {"score_display": choice}
        )
        assert created.status_code == 302, created.text
    rounds = organiser.get("/api/v1/contests/thu").json["rounds"]
    assert [r["score_display"] for r in rounds] == ["after_close", "after_submit"]
    monitor = organiser.client.get(f"/to-chuc/dot-thi/{rounds[0]['id']}").text
    assert "người thi xem điểm sau khi đợt thi kết thúc" in monitor
    bad = organiser.post(
        "/api/v1/contests/thu/rounds",
        json={
            "name": "x",
            "opens_at": iso(START),
            "closes_at": iso(START + timedelta(days=1)),
            "bank_id": bank_id,
            "question_count": 5,
            "time_limit_s": 600,
            "score_display": "sometimes",
        },
    )
    assert bad.status_code == 422
