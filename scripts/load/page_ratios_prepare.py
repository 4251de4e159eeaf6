"""The preparation and the clients of scripts/load/page_ratios.py: the database seeded (units, a
bank, a contest with an open round, participants with bearer tokens and session cookies, as
run_prepare.py makes them), their attempts started and some submitted through the running app,
the wrk Lua script and its target files, wrk's output read, and the contest-page storm."""

from __future__ import annotations

import http.client
import json
import random
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
from run_prepare import session_cookies

SLUG = "ti-le-trang"
UA = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
SEQ_STEP = 10**10  # run k of the save benchmarks sends seq in [k * SEQ_STEP, (k + 1) * SEQ_STEP)


def seed(db: str, people: int, seed_value: int, secret_key: str) -> dict:
    """Reset and migrate `db`; units, a bank of 100, the contest and an open round of 20
    questions, `people` participants with bearer tokens and session cookies (the cookie their
    browser holds after logging in). Nobody logs in through /login: scrypt would take minutes."""
    from contest.extensions import db as sqla
    from contest.services.accounts import default_organisation

    rng = random.Random(seed_value)
    common.reset_database(db)
    app = common.make_app(db, SECRET_KEY=secret_key)
    with app.app_context():
        org_id = default_organisation().id
        units = common.seed_units(org_id, 20, rng, people)
        bank = common.seed_bank(org_id, 100, rng)
        round_id = common.seed_open_round(
            org_id, units, bank, SLUG, "Cuộc thi đo tỉ lệ trang", "Đợt đo", hours=6
        )
        first, tokens = common.seed_people(sqla.engine, org_id, units, people, rng, tokens=True)
        common.analyze(sqla.engine)
        sqla.engine.dispose()
    cookies = session_cookies(app, range(first, first + people))
    return {"round": round_id, "tokens": tokens, "cookies": cookies}


# ---------------------------------------------------------------- HTTP


def call(port: int, method: str, path: str, headers=None, body=None, timeout=60):
    """One request on a new connection: (status, body bytes, the session cookie it sets or
    None)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = {"User-Agent": UA, **(headers or {})}
        data = None
        if body is not None:
            data, h["Content-Type"] = json.dumps(body).encode(), "application/json"
        conn.request(method, path, body=data, headers=h)
        response = conn.getresponse()
        cookie = None
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                cookie = value.split(";", 1)[0]
        return response.status, response.read(), cookie
    finally:
        conn.close()


def settle(port: int, path: str, cookie: str) -> tuple[int, bytes, str]:
    """GET `path` as a browser does, keeping each session cookie the app sets, until it sets
    none (a cookie wrk can send unchanged): (status, page, that cookie)."""
    for _ in range(4):
        status, page, newer = call(port, "GET", path, {"Cookie": cookie})
        if newer is None or status != 200:
            return status, page, cookie
        cookie = newer
    raise SystemExit(f"{path}: the app sets a new session cookie on every visit")


def enter(port: int, seeded: dict, finished: int) -> list[dict]:
    """Each participant starts the round (bearer) and opens the attempt page with its cookie,
    which gives the page's CSRF token; the first `finished` then submit and must see their
    result page. The cookie kept is the one the browser holds afterwards: the app's first
    page adds Flask-Login's identifier of this address and browser to it (without it every
    save would take the slower path that adds it). Anything unexpected ends the script."""
    rid = seeded["round"]

    def one(i: int) -> dict:
        token, cookie = seeded["tokens"][i], "session=" + seeded["cookies"][i]
        bearer = {"Authorization": f"Bearer {token}"}
        status, body, _ = call(port, "POST", f"/api/v1/rounds/{rid}/attempts", bearer)
        if status != 201:
            raise SystemExit(f"start answered {status}: {body[:300]!r}")
        attempt = json.loads(body)
        attempt = attempt.get("attempt", attempt)
        status, page, cookie = settle(port, f"/bai-thi/{attempt['id']}", cookie)
        csrf = CSRF_META.search(page.decode())
        if status != 200 or csrf is None:
            raise SystemExit(f"the attempt page answered {status} (no CSRF token)")
        person = {
            "token": token,
            "cookie": cookie,
            "csrf": csrf.group(1),
            "attempt": attempt["id"],
            "questions": [[q["id"], [c["id"] for c in q["choices"]]] for q in attempt["questions"]],
        }
        if i < finished:
            path = f"/api/v1/attempts/{attempt['id']}/submit"
            status, body, _ = call(port, "POST", path, bearer, {"prediction": 7})
            if status != 200:
                raise SystemExit(f"submit answered {status}: {body[:300]!r}")
            status, _page, person["cookie"] = settle(
                port, f"/bai-thi/{attempt['id']}/ket-qua", cookie
            )
            if status != 200:
                raise SystemExit(f"the result page answered {status}")
        return person

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(len(seeded["tokens"]))))


# ---------------------------------------------------------------- wrk

LUA = r"""-- written by scripts/load/page_ratios.py: wrk ... -s this URL -- MODE RUN TARGETS THREADS ORIGIN
-- Each thread cycles over its own share of the targets, so no two threads send the same
-- target at once; every status is counted; done() prints them and p50/p95/p99/max.
local UA = "__UA__"
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, run = args[1], tonumber(args[2])
  dofile(args[3])
  local nthreads = tonumber(args[4])
  origin = args[5]
  N = #targets
  share = math.max(1, math.floor(N / nthreads))
  first = (id * share) % N
  counter = 0
  statuses = {}
end

request = function()
  local i = (first + counter % share) % N
  local t = targets[i + 1]
  counter = counter + 1
  local h = {["User-Agent"] = UA}
  if mode == "get" then
    return wrk.format("GET", t[1], h)
  elseif mode == "cookie_get" then
    h["Cookie"] = t[1]
    return wrk.format("GET", t[2], h)
  end
  -- a save, as static/js/attempt.js sends it (the browser adds the cookie and the Origin)
  local seq = string.format("%.0f", run * __SEQ_STEP__ + counter * N + i)
  h["Content-Type"] = "application/json"
  if mode == "save_cookie" then
    h["Cookie"] = t[1]
    h["X-CSRFToken"] = t[2]
    h["Origin"] = origin
  else
    h["Authorization"] = t[1]
  end
  local choice = t[4 + run % (#t - 3)]
  return wrk.format("PUT", t[3], h, '{"choices": [' .. choice .. '], "seq": ' .. seq .. '}')
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses") or {}) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do parts[#parts + 1] = tostring(k) .. "=" .. tostring(v) end
  table.sort(parts)
  io.write("STATUS " .. table.concat(parts, " ") .. "\n")
  io.write(string.format("PCT %.0f %.0f %.0f %.0f\n", latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


def lua_str(s) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_targets(path: Path, rows) -> Path:
    rows = list(rows)
    path.write_text(
        "targets = {\n" + ",\n".join("{" + ",".join(map(lua_str, r)) + "}" for r in rows) + "\n}\n"
    )
    return path


def write_lua(out: Path) -> Path:
    path = out / "page_ratios.lua"
    path.write_text(LUA.replace("__UA__", UA).replace("__SEQ_STEP__", str(SEQ_STEP)))
    return path


def save_targets(people: list[dict], bearer: bool) -> list[list[str]]:
    """Question-major, so consecutive requests of a thread are different participants', each
    with at most one save in flight, as a browser's queue sends them."""
    rows = []
    for q in range(len(people[0]["questions"])):
        for p in people:
            qid, choices = p["questions"][q]
            auth = ["Bearer " + p["token"], ""] if bearer else [p["cookie"], p["csrf"]]
            rows.append([*auth, f"/api/v1/attempts/{p['attempt']}/answers/{qid}", *choices])
    return rows


def stored_by_run(db: str, run: int, attempts: list[int]) -> int:
    """Answer rows of these attempts that hold a seq of save run `run`: what it wrote."""
    from sqlalchemy import create_engine, text

    from contest.config import normalise_db_url

    engine = create_engine(normalise_db_url(db))
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    f"SELECT COUNT(*) FROM answers WHERE seq >= :lo AND seq < :hi "
                    f"AND attempt_id IN ({','.join(str(int(a)) for a in attempts)})"
                ),
                {"lo": run * SEQ_STEP, "hi": (run + 1) * SEQ_STEP},
            ).scalar()
    finally:
        engine.dispose()


def parse_wrk(text: str) -> dict:
    found = re.search(r"Requests/sec:\s+([\d.]+)", text)
    statuses = {}
    line = re.search(r"^STATUS ?(.*)$", text, re.M)
    for part in line.group(1).split() if line else []:
        code, count = part.split("=")
        statuses[int(code)] = int(count)
    pct = re.search(r"^PCT (\d+) (\d+) (\d+) (\d+)$", text, re.M)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    p50, p95, p99, top = (int(x) / 1000 for x in pct.groups()) if pct else (None,) * 4
    return {
        "rps": float(found.group(1)) if found else 0.0,
        "statuses": statuses,
        "non2xx": sum(n for code, n in statuses.items() if not 200 <= code < 300),
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "max": top,
        "ok": bool(found and line and pct),
    }


# ---------------------------------------------------------------- the storm


def storm(port: int, path: str, requests: int, clients: int, seconds: float) -> dict:
    """`clients` threads, each sending its share of `requests` GETs of `path` at random moments
    spread over `seconds`, each on a new connection (phones): latency of each (connect to the
    last byte), the statuses, the errors."""
    per = [requests // clients + (i < requests % clients) for i in range(clients)]
    rng = random.Random(57)
    plans = [sorted(rng.uniform(0, seconds) for _ in range(n)) for n in per]
    results: list[tuple[float, int | str, float]] = []  # (latency s, status or error, late s)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    t0 = [0.0]

    def client(moments):
        barrier.wait()
        for moment in moments:
            delay = t0[0] + moment - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            start = time.monotonic()
            try:
                status, _body, _ = call(port, "GET", path, timeout=30)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
            with lock:
                results.append((time.monotonic() - start, status, start - t0[0] - moment))

    threads = [threading.Thread(target=client, args=(m,), daemon=True) for m in plans]
    for t in threads:
        t.start()
    t0[0] = time.monotonic() + 0.2
    barrier.wait()
    for t in threads:
        t.join(seconds + 120)
    wall = time.monotonic() - t0[0]
    latencies = sorted(r[0] for r in results)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    non200 = sum(1 for r in results if isinstance(r[1], int) and r[1] != 200)
    errors = sum(1 for r in results if not isinstance(r[1], int))
    return {
        "requests": requests,
        "answered": len(results),
        "clients": clients,
        "seconds": seconds,
        "wall_s": wall,
        "p50": pct(50) if latencies else None,
        "p95": pct(95) if latencies else None,
        "max": latencies[-1] * 1000 if latencies else None,
        "non200": non200,
        "errors": errors + requests - len(results),
        "late_p95_ms": sorted(r[2] for r in results)[int(0.95 * len(results))] * 1000
        if results
        else None,
    }
