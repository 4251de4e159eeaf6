"""How many logins a second this machine serves, and what a rush of first logins does to the
answer saves of people already taking part.

1. The password check alone: the app's Argon2id (contest/passwords.py) and, for comparison,
   werkzeug's scrypt that earlier versions stored; one process, then one per core.
2. POST /api/v1/login through gunicorn with gunicorn.conf.py (the production settings),
   16 clients logging in to distinct accounts as fast as they are answered.
3. The rush: 2,000 logins of distinct accounts arriving evenly within 2 minutes (open loop:
   each one starts at its own moment whatever the others do), from addresses of 10 accounts
   each (X-Forwarded-For, one proxy hop trusted) under the login limits as deployed, while 16
   participants save an answer a second each: the logins' latency and the saves' p95, beside
   the saves' p95 alone.

Run: .venv/bin/python scripts/bench_login.py [--seconds 10] [--rush 2000] [--rush-seconds 120]
     [--json out.json]
Figures: docs/performance.md ("Logins").
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "scripts" / "load")]
from common import (
    app_env,
    free_port,
    machine,
    make_app,
    reset_database,
    seed_people,
    start_gunicorn,
    stop,
    wait_ready,
)

PASSWORD = "thutai2026"  # seed_people's


def _checks_for(args) -> int:
    kind, seconds = args
    from werkzeug.security import check_password_hash, generate_password_hash

    from contest import passwords

    if kind == "argon2id":
        stored, check = passwords._argon2.hash(PASSWORD), passwords._check
    else:
        stored, check = generate_password_hash(PASSWORD, method="scrypt"), check_password_hash
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        check(stored, PASSWORD)
        done += 1
    return done


def hash_rate(kind: str, seconds: float, processes: int) -> float:
    with Pool(processes) as pool:
        return round(sum(pool.map(_checks_for, [(kind, seconds)] * processes)) / seconds, 1)


def percentile(values, p):
    ordered = sorted(values)
    return (
        round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)
        if ordered
        else None
    )


def login(session: requests.Session, base: str, phone: str, address: str) -> tuple[float, int]:
    """One person's login: a browser of its own (no device cookie from the last one, which the
    per-device limit would count), on the client's kept-alive connection."""
    session.cookies.clear()
    began = time.perf_counter()
    try:
        status = session.post(
            f"{base}/api/v1/login",
            json={"login": phone, "password": PASSWORD},
            headers={"X-Forwarded-For": address},
            timeout=120,
        ).status_code
    except requests.RequestException:
        status = 0
    return (time.perf_counter() - began) * 1000, status


def closed_loop(base: str, phones: list[str], seconds: float, clients: int = 16) -> dict:
    results, lock, end = [], threading.Lock(), time.monotonic() + seconds

    def run(i):
        session, n = requests.Session(), i
        while time.monotonic() < end:
            phone = phones[n % len(phones)]
            n += clients
            outcome = login(session, base, phone, f"198.51.100.{n % 250 + 1}")
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ok = [ms for ms, status in results if status == 200]
    return {
        "logins_per_s": round(len(ok) / seconds, 1),
        "failed": len(results) - len(ok),
        "p50_ms": percentile(ok, 50),
        "p95_ms": percentile(ok, 95),
    }


def rush(base: str, phones: list[str], seconds: float) -> dict:
    """Each login starts at its own moment, i * seconds / n, however slow the others are."""
    started = time.monotonic()
    results = []

    def one(i):
        wait = started + i * seconds / len(phones) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        ms, status = login(requests.Session(), base, phones[i], f"192.0.2.{i // 10 % 250 + 1}")
        results.append((ms, status, time.monotonic() - started))

    with ThreadPoolExecutor(256) as pool:
        list(pool.map(one, range(len(phones))))
    ok = [r[0] for r in results if r[1] == 200]
    return {
        "logins": len(phones),
        "ok": len(ok),
        "statuses": {str(s): sum(1 for r in results if r[1] == s) for s in {r[1] for r in results}},
        "all_done_after_s": round(max(r[2] for r in results), 1),
        "p50_ms": percentile(ok, 50),
        "p95_ms": percentile(ok, 95),
        "max_ms": round(max(ok), 1) if ok else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rush", type=int, default=2000)
    parser.add_argument("--rush-seconds", type=float, default=120)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    cores = os.cpu_count()
    figures = {"machine": machine(), "hash": {}}
    for kind in ("argon2id", "scrypt"):
        figures["hash"][kind] = {
            "1 process": hash_rate(kind, args.seconds / 2, 1),
            f"{cores} processes": hash_rate(kind, args.seconds / 2, cores),
        }
    folder = Path(tempfile.mkdtemp(prefix="logins-"))
    url = f"sqlite:///{folder}/login.db"
    reset_database(url)
    app = make_app(url)
    with app.app_context():
        from contest.demo import load_demo
        from contest.extensions import db
        from contest.models import Unit
        from contest.timing import utcnow

        load_demo(utcnow())
        db.session.commit()
        unit_ids = list(db.session.scalars(db.select(Unit.id)))
        org_id = db.session.scalar(db.select(Unit.organisation_id))
        import random

        first, _tokens = seed_people(
            db.engine, org_id, unit_ids, args.rush + 2000, random.Random(7), phone_prefix="08"
        )
    phones = [f"08{first + i:08d}" for i in range(args.rush + 2000)]
    from contest.config import Defaults

    env = app_env(
        url,
        CONTEST_PROXY_FIX_HOPS=1,
        CONTEST_RATE_LIMIT_SAVES="120 per minute",
        CONTEST_RATE_LIMIT_LOGIN=Defaults.RATE_LIMIT_LOGIN,
        CONTEST_RATE_LIMIT_LOGIN_ACCOUNT=Defaults.RATE_LIMIT_LOGIN_ACCOUNT,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn("wsgi:app", port, env, folder / "server.log")
    try:
        wait_ready(f"{base}/api/v1/session", server)
        # closed loop on accounts the rush does not use (each account once a minute at most)
        figures["http_closed_loop"] = closed_loop(base, phones[args.rush :], args.seconds)
        from bench_isolation import Saver

        savers = [Saver(base, 950000 + i) for i in range(16)]
        for saver in savers:
            saver.start()
        time.sleep(2)
        for saver in savers:
            saver.phase = "alone"
        time.sleep(20)
        for saver in savers:
            saver.phase = "rush"
        figures["rush"] = rush(base, phones[: args.rush], args.rush_seconds)
        for saver in savers:
            saver.phase, saver.running = None, False
        for phase in ("alone", "rush"):
            ms = [r[1] * 1000 for s in savers for r in s.records if r[0] == phase]
            statuses = [r[2] for s in savers for r in s.records if r[0] == phase]
            figures[f"saves_{phase}"] = {
                "saves": len(ms),
                "failed": sum(1 for st in statuses if st != 200),
                "p50_ms": percentile(ms, 50),
                "p95_ms": percentile(ms, 95),
            }
    finally:
        stop(server)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
