"""The key and the prediction's figure stay hidden while anyone can still answer: another round
drawing from the same bank, predictions before the round is over."""

from datetime import timedelta

from conftest import START, iso
from test_results import play


def test_key_stays_hidden_while_another_round_draws_from_the_same_bank(
    app, make_round, make_bank, register, clock
):
    bank = make_bank()
    week1 = make_round(bank_id=bank, closes_at=iso(START + timedelta(hours=1)))
    make_round(
        bank_id=bank,
        name="Tuần 2",
        opens_at=iso(START + timedelta(hours=2)),
        closes_at=iso(START + timedelta(days=7)),
    )
    api = register()
    attempt = play(app, api, week1["id"], 3, clock, 10)
    clock.advance(hours=3)  # week 1 is over, week 2 is open with the same questions
    shown = api.get(f"/api/v1/attempts/{attempt['id']}").json
    assert "correct" not in shown["questions"][0]
    assert 'class="key' not in api.get(f"/bai-thi/{attempt['id']}/ket-qua").text
    clock.advance(days=8)  # the cookie session has ended (24 h); the token lives 30 days
    assert (
        "correct"
        in api.get(
            f"/api/v1/attempts/{attempt['id']}", headers={"Authorization": f"Bearer {api.token}"}
        ).json["questions"][0]
    )


def test_predictions_are_private_until_the_round_is_over(app, make_round, register, clock):
    rnd = make_round(prediction="perfect_count", closes_at=iso(START + timedelta(hours=1)))
    play(app, register(), rnd["id"], 5, clock, 10, prediction=7)
    board = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert "prediction" not in board[0]
    clock.advance(hours=2)
    board = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert board[0]["prediction"] == 7
