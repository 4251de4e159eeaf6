"""An office behind one NAT address, and an attacker spread over many, against a fresh server
started as scripts/serve starts it (gunicorn, 2 workers x 4 threads, SQLite, the demo data).

1. 100 registrations from one address (10 at a time), then 100 logins from it: each batch must
   finish within 2 minutes. Past the challenge threshold the server answers 428
   challenge_required; the client does what the widget does: GET /api/v1/challenge, solve it
   (altcha's solver), send the payload back as `altcha`.
2. 60 wrong passwords against one account (the demo participant), in 30 spellings of its phone, from 30 addresses
   (127.0.0.2-31: the app trusts no proxy by default, so X-Forwarded-For would change nothing;
   each try binds its own loopback source address): which try gets the first 429.

    python scripts/load/nat_office.py [--port 54301] [--redis redis://127.0.0.1:54302/0]

With --redis the limiter's counts live in Redis (REDIS_URL), shared by both workers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import secrets
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import altcha

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from harness import (  # noqa: E402
    database_env,
    flask,
    reset_database,
    start_gunicorn,
    stop,
    wait_ready,
)

DIGITS = "977001122"  # the office's first phone; the others are 09140xxxxx
TARGET = "912345678"  # the demo participant (contest/demo.py), attacked in step 2
OFFICE = "127.0.0.1"


def call(port, method, path, body=None, source=OFFICE):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    try:
        return response.status, json.loads(raw or b"null")
    except ValueError:
        return response.status, None


def solved_payload(port, source=OFFICE) -> str:
    _status, data = call(port, "GET", "/api/v1/challenge", source=source)
    challenge = altcha.Challenge.from_dict(data)
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def with_challenge(port, path, body, stats):
    status, _data = call(port, "POST", path, body)
    if status == 428:
        stats["challenges"] += 1
        status, _data = call(port, "POST", path, body | {"altcha": solved_payload(port)})
    stats[status] = stats.get(status, 0) + 1
    return status


def person(i: int) -> dict:
    phone = "0" + DIGITS if i == 0 else f"09140{i:05d}"
    return {
        "full_name": f"Cán Bộ Văn Phòng {i}",
        "phone": phone,
        "password": "matkhau1",
        "unit_code": "CL-PNV",
    }


def batch(port, path, bodies) -> tuple[float, dict]:
    stats = {"challenges": 0}
    started = time.monotonic()
    with ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda b: with_challenge(port, path, b, stats), bodies))
    return time.monotonic() - started, stats


def spellings(digits: str = TARGET) -> list[str]:
    found = [
        "0" + digits,
        "+84" + digits,
        "84" + digits,
        "0084" + digits,
        "+84 " + digits,
        "０" + "".join(chr(0xFF10 + int(d)) for d in digits),
    ]
    found += [f"0{digits[:k]}.{digits[k:]}" for k in range(1, 9)]
    found += [f"+84-{digits[:k]}-{digits[k:]}" for k in range(1, 9)]
    found += [f"(0{digits[:k]}) {digits[k:]}" for k in range(1, 9)]
    return list(dict.fromkeys(found))[:30]


def wrong_tries(port) -> list[int]:
    names = spellings()
    codes = []
    for i in range(60):
        status, _data = call(
            port,
            "POST",
            "/api/v1/login",
            {"login": names[i % 30], "password": f"sai-{i}"},
            source=f"127.0.0.{i % 30 + 2}",
        )
        codes.append(status)
    return codes


def start_server(port: int, redis: str | None, folder: Path) -> subprocess.Popen:
    url = f"sqlite:///{folder / 'nat.db'}"
    env = database_env(url, CONTEST_SECRET_KEY=secrets.token_hex(16), PYTHONPATH=ROOT)
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = redis
    reset_database(url)
    flask(env, "demo")
    server = start_gunicorn(
        "wsgi:app",
        port,
        env,
        folder / "server.log",
        workers=2,
        threads=4,
        options=["--access-logfile", "/dev/null"],
    )
    wait_ready(f"http://127.0.0.1:{port}/api/v1/session", server, 20, workers=2)
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=54301)
    parser.add_argument("--redis", default=None, help="REDIS_URL for the server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nat-office-") as tmp:
        server = start_server(args.port, args.redis, Path(tmp))
        try:
            reg_s, reg = batch(args.port, "/api/v1/register", [person(i) for i in range(100)])
            login_s, login = batch(
                args.port,
                "/api/v1/login",
                [{"login": person(i)["phone"], "password": "matkhau1"} for i in range(100)],
            )
            codes = wrong_tries(args.port)
        finally:
            stop(server)
    first_429 = codes.index(429) + 1 if 429 in codes else None
    storage = "Redis" if args.redis else "host file (gunicorn.conf.py), shared by the workers"
    print(f"limiter storage: {storage}")
    print(f"100 registrations from one address: {reg_s:.1f} s, answers {reg}")
    print(f"100 logins from one address: {login_s:.1f} s, answers {login}")
    print(
        f"60 wrong tries, 30 spellings, 30 addresses: first 429 at try {first_429}; "
        f"429 from then on: {set(codes[first_429 - 1 :]) == {429} if first_429 else False}; "
        f"answers {''.join('x' if c == 429 else '.' for c in codes)}"
    )
    ok = (
        reg_s < 120
        and login_s < 120
        and reg.get(201) == 100
        and login.get(200) == 100
        and first_429 is not None
        and first_429 <= 12
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
