"""Rate limits: logins per account, saves per attempt, registrations per address."""

from conftest import Api


def test_login_is_limited_per_account_too(organiser, app, tight_limits):
    tight_limits(RATE_LIMIT_LOGIN_ACCOUNT="3 per minute")
    api = Api(app.test_client())
    codes = [
        api.post("/api/v1/login", json={"login": "btc@example.vn", "password": "sai"}).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    other = api.post("/api/v1/login", json={"login": "khac@example.vn", "password": "sai"})
    assert other.status_code == 401


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
