"""Self lookup (/tra-cuu): phone plus CCCD or birth date shows that person's own results and
certificates, and nobody else's; tries are limited per phone."""

import pytest
from conftest import csrf_from
from test_certificates import RULE, closed_round
from test_results import play

from contest.extensions import limiter


@pytest.fixture
def person(app, organiser, make_round, register, clock):
    limiter.reset()
    rnd = closed_round(make_round, clock)
    me = register(phone="0912000031", name="Nguyễn Thị Ánh Tuyết", cccd="012345678901")
    assert me.put("/api/v1/profile", json={"birth_date": "1990-05-31"}).status_code == 200
    other = register(phone="0912000032", name="Lê Văn Bình", cccd="098765432109")
    play(app, me, rnd["id"], 5, clock, 30)
    play(app, other, rnd["id"], 4, clock, 30)
    organiser.put("/api/v1/contests/thu/certificates", json=RULE)
    clock.advance(hours=3)
    organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm")
    yield me
    limiter.reset()


def lookup(app, **fields):
    client = app.test_client()
    token = csrf_from(client.get("/tra-cuu").get_data(as_text=True))
    return client.post("/tra-cuu", data={"csrf_token": token, **fields})


def test_phone_and_cccd_show_my_results_and_certificates(app, person):
    code = person.get("/api/v1/me/certificates").json[0]["code"]
    page = lookup(app, phone="+84 912 000 031", cccd="0123 4567 8901")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nguyễn Thị Ánh Tuyết" in html and "Tuần 1" in html and code in html
    assert "5/5" in html and "Lê Văn Bình" not in html


def test_birth_date_works_too(app, person):
    html = lookup(app, phone="0912000031", birth_date="31/05/1990").get_data(as_text=True)
    assert "Nguyễn Thị Ánh Tuyết" in html


@pytest.mark.parametrize(
    "fields",
    [
        {"phone": "0912000031", "cccd": "098765432109"},  # another person's CCCD
        {"phone": "0912000032", "cccd": "012345678901"},  # my CCCD with their phone
        {"phone": "0912000031", "birth_date": "01/01/1990"},
        {"phone": "0912000031"},  # no secret at all
        {"phone": "0999999999", "cccd": "012345678901"},  # nobody's phone
    ],
)
def test_a_mismatch_shows_nobody(app, person, fields):
    html = lookup(app, **fields).get_data(as_text=True)
    assert "Không tìm thấy" in html
    assert "Nguyễn Thị Ánh Tuyết" not in html and "Lê Văn Bình" not in html


def test_tries_are_limited_per_phone(app, person, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOOKUP_PHONE", "3 per hour")
    limiter.reset()
    codes = [
        lookup(app, phone="0912000031", birth_date=f"0{d}/01/1990").status_code for d in range(1, 5)
    ]
    assert codes == [200, 200, 200, 429]
    assert lookup(app, phone="+84912000031", cccd="012345678901").status_code == 429
    assert lookup(app, phone="0912000032", cccd="098765432109").status_code == 200
