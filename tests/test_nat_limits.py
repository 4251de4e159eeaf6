"""Limits that fit Vietnamese networks: an office behind one NAT address registers and logs in;
past a threshold each try from that address needs a solved proof-of-work challenge (ALTCHA,
self-hosted); the per-account limit counts the account however it is spelled and wherever
the tries come from; the device cookie has its own limit."""

import re

import altcha
import pytest
from conftest import Api, csrf_from

from contest.config import Defaults
from contest.extensions import limiter

OFFICE = "203.0.113.7"


@pytest.fixture
def nat_limits(app, monkeypatch):
    """The shipped per-address limits and challenge threshold (the suite's are lifted)."""
    for key in (
        "RATE_LIMIT_LOGIN",
        "RATE_LIMIT_REGISTER",
        "RATE_LIMIT_LOGIN_ACCOUNT",
        "RATE_LIMIT_LOGIN_DEVICE",
    ):
        monkeypatch.setitem(app.config, key, getattr(Defaults, key))

    def threshold(after: str):
        monkeypatch.setitem(app.config, "RATE_LIMIT_CHALLENGE_AFTER", after)

    threshold(Defaults.RATE_LIMIT_CHALLENGE_AFTER)
    monkeypatch.setitem(app.config, "CHALLENGE_COST", 200)  # the tests solve many
    limiter.reset()
    yield threshold
    limiter.reset()


def _client(app, address=OFFICE):
    api = Api(app.test_client())
    api.client.environ_base["REMOTE_ADDR"] = address
    return api


def _solve(api) -> str:
    """What a client does on 428: fetch a challenge, solve it with altcha's solver."""
    data = api.get("/api/v1/challenge").json
    challenge = altcha.Challenge.from_dict(data)
    solution = altcha.solve_challenge(challenge)
    assert solution is not None
    return altcha.Payload(challenge, solution).to_base64()


def _person(i: int) -> dict:
    return {
        "full_name": f"Cán Bộ Số {i}",
        "phone": f"09130{i:05d}",
        "password": "matkhau1",
        "unit_code": "PNV",
    }


def test_an_office_behind_one_address_registers_solving_the_challenge_past_30(
    app, organiser, nat_limits
):
    codes = [_client(app).post("/api/v1/register", json=_person(i)).status_code for i in range(30)]
    assert codes == [201] * 30
    api = _client(app)
    refused = api.post("/api/v1/register", json=_person(30))
    assert refused.status_code == 428
    assert refused.json["error"]["code"] == "challenge_required"
    assert refused.json["error"]["challenge_url"] == "/api/v1/challenge"
    payload = _solve(api)
    assert api.post("/api/v1/register", json=_person(30) | {"altcha": payload}).status_code == 201
    # a solution is spent once; a forged one is no solution
    assert (
        _client(app).post("/api/v1/register", json=_person(31) | {"altcha": payload}).status_code
        == 428
    )
    forged = re.sub(r"[A-Za-z]", "A", payload)
    assert (
        _client(app).post("/api/v1/register", json=_person(31) | {"altcha": forged}).status_code
        == 428
    )
    # another address is not held back by the office's count
    assert (
        _client(app, "198.51.100.9").post("/api/v1/register", json=_person(31)).status_code == 201
    )


def test_the_api_login_needs_a_solution_past_the_threshold(app, register, nat_limits):
    register(phone="0912000001")
    nat_limits("3 per minute")
    limiter.reset()
    body = {"login": "0912000001", "password": "matkhau1"}
    assert [_client(app).post("/api/v1/login", json=body).status_code for _ in range(3)] == [
        200
    ] * 3
    api = _client(app)
    assert api.post("/api/v1/login", json=body).status_code == 428
    assert api.post("/api/v1/login", json=body | {"altcha": _solve(api)}).status_code == 200


def test_the_login_page_shows_the_widget_only_past_the_threshold(app, register, nat_limits):
    register(phone="0912000001")
    nat_limits("2 per minute")
    limiter.reset()
    client = _client(app).client
    page = client.get("/dang-nhap").text
    assert "<altcha-widget" not in page and "altcha.min.js" not in page
    for _ in range(2):
        client.post(
            "/dang-nhap",
            data={"csrf_token": csrf_from(page), "login": "0912000001", "password": "sai-mat-khau"},
        )
    page = client.get("/dang-nhap").text
    assert '<altcha-widget challenge="/api/v1/challenge" name="altcha"' in page
    assert "/static/vendor/altcha/altcha.min.js" in page and "https://" not in page
    data = {"csrf_token": csrf_from(page), "login": "0912000001", "password": "matkhau1"}
    unsolved = client.post("/dang-nhap", data=data)
    assert unsolved.status_code == 428 and "<altcha-widget" in unsolved.text
    solved = client.post("/dang-nhap", data=data | {"altcha": _solve(_client(app))})
    assert solved.status_code == 302


def test_the_registration_page_asks_for_the_challenge_too(app, organiser, nat_limits):
    nat_limits("1 per minute")
    limiter.reset()
    client = _client(app).client
    page = client.get("/dang-ky").text
    first = client.post("/dang-ky", data={"csrf_token": csrf_from(page)} | _person(1))
    assert first.status_code == 302
    client.post("/dang-xuat", data={"csrf_token": csrf_from(client.get("/dang-ky").text)})
    page = client.get("/dang-ky").text
    assert "<altcha-widget" in page
    second = client.post("/dang-ky", data={"csrf_token": csrf_from(page)} | _person(2))
    assert second.status_code == 428 and "<altcha-widget" in second.text
    third = client.post(
        "/dang-ky",
        data={"csrf_token": csrf_from(page), "altcha": _solve(_client(app))} | _person(2),
    )
    assert third.status_code == 302


def test_the_widget_is_served_from_this_site(client):
    for name in ("altcha.min.js", "altcha.css", "pbkdf2.worker.js", "vi.js", "LICENSE.txt"):
        with client.get(f"/static/vendor/altcha/{name}") as response:  # closes the file
            assert response.status_code == 200, name
    with client.get("/static/js/challenge.js") as response:
        assert response.status_code == 200


def test_60_wrong_tries_in_30_spellings_from_30_addresses_are_held_from_the_11th(
    app, register, nat_limits
):
    register(phone="0912345678")
    digits = "912345678"
    spellings = [
        "0" + digits,
        "+84" + digits,
        "84" + digits,
        "0084" + digits,
        "+84 " + digits,
        "0" + digits[:3] + " " + digits[3:],
        "０" + "".join(chr(0xFF10 + int(d)) for d in digits),
    ]
    spellings += [f"0{digits[:k]}.{digits[k:]}" for k in range(1, 9)]
    spellings += [f"+84-{digits[:k]}-{digits[k:]}" for k in range(1, 9)]
    spellings += [f"(0{digits[:k]}) {digits[k:]}" for k in range(1, 8)]
    spellings = list(dict.fromkeys(spellings))[:30]
    assert len(spellings) == 30
    codes = []
    for i in range(60):
        api = _client(app, f"10.1.0.{i % 30 + 1}")
        codes.append(
            api.post(
                "/api/v1/login", json={"login": spellings[i % 30], "password": f"sai-{i}"}
            ).status_code
        )
    first_held = codes.index(429) + 1
    assert first_held <= 12 and set(codes[: first_held - 1]) == {401}
    assert set(codes[first_held - 1 :]) == {429}
    # the right password is held back too, until the window passes
    assert (
        _client(app, "10.1.0.99")
        .post("/api/v1/login", json={"login": "0912345678", "password": "matkhau1"})
        .status_code
        == 429
    )


def test_the_device_cookie_has_its_own_login_limit(app, register, nat_limits, monkeypatch):
    register(phone="0912000001")
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN_DEVICE", "3 per minute")
    limiter.reset()
    device = "ab" * 16
    codes = []
    for i in range(4):  # other addresses, other accounts: one device
        api = _client(app, f"10.2.0.{i + 1}")
        api.client.set_cookie("did", device)
        codes.append(
            api.post(
                "/api/v1/login", json={"login": f"09120000{i + 10}", "password": "sai"}
            ).status_code
        )
    assert codes == [401, 401, 401, 429]
    fresh = _client(app, "10.2.0.9")
    assert (
        fresh.post(
            "/api/v1/login", json={"login": "0912000001", "password": "matkhau1"}
        ).status_code
        == 200
    )


def test_the_workers_of_one_host_share_the_counts(tmp_path):
    """gunicorn.conf.py's storage: a hit in another process (a forked worker) counts here."""
    import multiprocessing

    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    uri = f"host-file://{tmp_path / 'rl.sqlite'}"
    item = parse("10 per minute")

    def worker():
        limiter_ = FixedWindowRateLimiter(storage_from_string(uri))
        for _ in range(6):
            limiter_.hit(item, "login:user:7")

    processes = [multiprocessing.get_context("fork").Process(target=worker) for _ in range(2)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    here = FixedWindowRateLimiter(storage_from_string(uri))
    assert not here.test(item, "login:user:7")  # 12 hits by two processes: over 10
    assert here.test(item, "login:user:8")
