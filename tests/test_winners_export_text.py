"""A round named with control characters (which openpyxl refuses) still exports."""

from datetime import timedelta

from conftest import START, iso


def test_winners_list_of_a_round_named_with_control_characters_exports(
    organiser, make_round, register, clock
):
    rnd = make_round(name="Tuần\x01 1\x0b", closes_at=iso(START + timedelta(hours=1)))
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={})
    clock.advance(hours=2)
    response = organiser.get(f"/api/v1/rounds/{rnd['id']}/winners.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
