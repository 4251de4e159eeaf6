"""Rate limits: logins per address and per account, saves per attempt, registrations per
address."""

import pytest
from conftest import Api


@pytest.mark.parametrize(
    ("limit", "another_account"), [("RATE_LIMIT_LOGIN", 429), ("RATE_LIMIT_LOGIN_ACCOUNT", 401)]
)
def test_logins_are_limited_per_address_and_per_account(
    organiser, app, tight_limits, limit, another_account
):
    """Past the address's limit every login from it is refused; past an account's, only the
    logins to that account."""
    tight_limits(**{limit: "5 per minute"})
    api = Api(app.test_client())

    def login(name):
        return api.post("/api/v1/login", json={"login": name, "password": "sai"})

    assert [login("btc@example.vn").status_code for _ in range(7)] == [401] * 5 + [429] * 2
    last = login("btc@example.vn")
    assert last.headers.get("Retry-After") and "thử lại" in last.json["error"]["message"]
    assert login("khac@example.vn").status_code == another_account


def test_saves_are_limited_per_attempt(make_round, register, tight_limits):
    api = register()
    attempt = api.post(f"/api/v1/rounds/{make_round()['id']}/attempts").json
    tight_limits(RATE_LIMIT_SAVES="5 per minute")
    q = attempt["questions"][0]
    codes = [
        api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": [q["choices"][0]["id"]], "seq": i},
        ).status_code
        for i in range(1, 7)
    ]
    assert codes == [200] * 5 + [429]
    limited = api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json={"choices": [], "seq": 9}
    )
    assert limited.headers["Retry-After"] and "thử lại" in limited.json["error"]["message"]


def test_registration_is_limited_per_address(organiser, app, tight_limits):
    tight_limits(RATE_LIMIT_REGISTER="2 per minute")
    codes = [
        Api(app.test_client())
        .post(
            "/api/v1/register",
            json={
                "full_name": "Người Thử",
                "phone": f"090000000{i}",
                "password": "matkhau1",
                "unit_code": "PNV",
            },
        )
        .status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
