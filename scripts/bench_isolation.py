"""Can a hostile or clumsy neighbour stall participants' answer saves? (issue "Nobody can stall
or silence another participant").

Serves the app with gunicorn.conf.py (the production settings) on a fresh SQLite database with
the demo, starts participants saving answers (each one save every SAVE_EVERY_S), and measures
the saves' latency in three phases of the same length:
  unloaded     the savers alone;
  login flood  12 clients (in a process of their own) sending wrong-password logins to the
               savers' own accounts as fast as they are answered, each from its own address
               (X-Forwarded-For, one proxy hop trusted), under the login limits as deployed
               (the rest answer 429); with --raise-login-limits every try is a real password
               check (far past what the limits let through); with --nginx everyone goes
               through nginx with the shipped deploy/nginx.conf, the flood from 12 loopback
               addresses of its own;
  pdf flood    4 organiser sessions uploading, all at once and again as soon as answered, the
               crafted plan: a 19 KB PDF of four pages that share one 5 MB compressed stream.
Then another participant sends 300 saves to one participant's attempt (the real save limit,
120 per minute, in force) and that participant's own saves are counted.

Run: .venv/bin/python scripts/bench_isolation.py [--seconds 30] [--savers 16] [--nginx]
     [--raise-login-limits] [--json out.json]
Figures: docs/performance.md, "Nobody can stall another participant".
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts" / "load"), str(ROOT / "tests")]
from common import (
    app_env,
    flask,
    free_port,
    reset_database,
    start_gunicorn,
    start_nginx,
    stop,
    stop_nginx,
    wait_ready,
)
from hostile_plans import shared_stream_pdf

SAVE_EVERY_S = 1.0  # 60 a minute: within the real save limit (120 a minute), kept on
ORGANISER = ("bantochuc@demo.vn", "tochuc2026")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(latencies: list[float], statuses: list[int]) -> dict:
    ms = [x * 1000 for x in latencies]
    return {
        "saves": len(ms),
        "failed": sum(1 for s in statuses if s != 200),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1) if ms else None,
        "over_1s": sum(1 for x in ms if x > 1000),
    }


class Saver(threading.Thread):
    """A participant saving answers to their own attempt, one every SAVE_EVERY_S."""

    def __init__(self, base: str, number: int):
        super().__init__(daemon=True)
        self.base, self.session = base, requests.Session()
        response = self.session.post(
            f"{base}/api/v1/register",
            json={
                "full_name": f"Người thi {number}",
                "phone": f"0913{number:06d}",
                "password": "matkhau-thu",
                "unit_code": "CL-PNV",
            },
        )
        response.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {response.json()['token']}"
        round_id = self.session.get(f"{base}/api/v1/contests").json()[0]["rounds"][0]["id"]
        self.attempt = self.session.post(f"{base}/api/v1/rounds/{round_id}/attempts").json()
        self.seq, self.records, self.phase, self.running = 0, [], None, True

    def run(self):
        questions = self.attempt["questions"]
        while self.running:
            question = questions[self.seq % len(questions)]
            choice = question["choices"][self.seq % len(question["choices"])]["id"]
            self.seq += 1
            began = time.perf_counter()
            try:
                status = self.session.put(
                    f"{self.base}/api/v1/attempts/{self.attempt['id']}/answers/{question['id']}",
                    json={"choices": [choice], "seq": self.seq},
                    timeout=120,
                ).status_code
            except requests.RequestException:
                status = 0
            elapsed = time.perf_counter() - began
            if self.phase:
                self.records.append((self.phase, elapsed, status))
            time.sleep(max(0.0, SAVE_EVERY_S - elapsed))


def flood(target, clients: int, seconds: float) -> list:
    """Run `target(i, results, end)` in `clients` threads for `seconds`."""
    results, end = [], time.monotonic() + seconds
    threads = [
        threading.Thread(target=target, args=(i, results, end), daemon=True) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wrong_logins(port: int, savers: int, clients: int, seconds: float, via_nginx: bool) -> list:
    """Run in a process of its own (an attacker is not in the savers' process: sharing its GIL
    would slow the savers' own clients and count that against the server). Each client sends
    wrong-password logins to a saver's account, one after another on a kept-alive connection:
    through nginx from its own loopback address (127.0.0.2, .3, ...), or straight to gunicorn with
    its address in X-Forwarded-For (the app trusting one proxy hop)."""
    import http.client

    results, lock, end = [], threading.Lock(), time.monotonic() + seconds

    def run(i):
        source = f"127.0.0.{i + 2}" if via_nginx else "127.0.0.1"
        headers = {"Content-Type": "application/json"}
        if not via_nginx:
            headers["X-Forwarded-For"] = f"203.0.113.{i + 1}"
        body = json.dumps({"login": f"0913{i % savers:06d}", "password": "sai-mat-khau"})
        connection = None
        while time.monotonic() < end:
            began = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        "127.0.0.1", port, timeout=120, source_address=(source, 0)
                    )
                connection.request("POST", "/api/v1/login", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except OSError:
                status, connection = 0, None
            with lock:
                results.append((time.perf_counter() - began, status))

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def in_own_process(function, *args):
    """`function(*args)` in a fresh process (spawned, not forked: the savers' threads run here)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def organiser_session(base: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    csrf = session.get(f"{base}/api/v1/session").json()["csrf_token"]
    session.post(
        f"{base}/api/v1/login",
        json={"login": ORGANISER[0], "password": ORGANISER[1]},
        headers={"X-CSRFToken": csrf},
    ).raise_for_status()
    html = session.get(f"{base}/to-chuc/soan-cau-hoi").text
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return session, token


def pdf_uploads(base: str, pdf: bytes):
    sessions = [organiser_session(base) for _ in range(4)]

    def run(i, results, end):
        session, token = sessions[i]
        while time.monotonic() < end:
            began = time.perf_counter()
            response = session.post(
                f"{base}/to-chuc/soan-cau-hoi",
                timeout=120,
                data={"csrf_token": token},
                files={"plan": ("ke-hoach.pdf", pdf, "application/pdf")},
            )
            refused = "nội dung bất thường" in response.text
            results.append((time.perf_counter() - began, response.status_code, refused))

    return run


def limit_check(base: str) -> dict:
    """300 saves by another participant to my attempt, then mine."""
    mine, other = Saver(base, 900001), Saver(base, 900002)
    question = mine.attempt["questions"][0]
    url = f"{base}/api/v1/attempts/{mine.attempt['id']}/answers/{question['id']}"
    choice = question["choices"][0]["id"]
    theirs = [
        other.session.put(url, json={"choices": [choice], "seq": i}).status_code
        for i in range(1, 301)
    ]
    own = [
        mine.session.put(url, json={"choices": [choice], "seq": 1000 + i}).status_code
        for i in range(1, 21)
    ]
    return {
        "their_statuses": {str(s): theirs.count(s) for s in sorted(set(theirs))},
        "my_statuses": {str(s): own.count(s) for s in sorted(set(own))},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--savers", type=int, default=16)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="everyone through nginx with the shipped deploy/nginx.conf",
    )
    parser.add_argument(
        "--raise-login-limits",
        action="store_true",
        help="every wrong login checked (no 429): the harshest flood",
    )
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="isolation-"))
    url = f"sqlite:///{folder}/bench.db"
    reset_database(url)
    from contest.config import Defaults  # the limits as shipped (app_env raises them otherwise)

    limits = (
        {}
        if args.raise_login_limits
        else {
            "CONTEST_RATE_LIMIT_LOGIN": Defaults.RATE_LIMIT_LOGIN,
            "CONTEST_RATE_LIMIT_LOGIN_ACCOUNT": Defaults.RATE_LIMIT_LOGIN_ACCOUNT,
        }
    )
    env = app_env(
        url, CONTEST_PROXY_FIX_HOPS=1, CONTEST_RATE_LIMIT_SAVES="120 per minute", **limits
    )
    flask(env, "demo")
    port = free_port()
    server = start_gunicorn("wsgi:app", port, env, folder / "server.log")
    front_port = free_port() if args.nginx else port
    base = f"http://127.0.0.1:{front_port}"
    proxy = None
    figures = {"setup": {"nginx": args.nginx, "login_limits": limits or "raised"}}
    try:
        wait_ready(f"http://127.0.0.1:{port}/api/v1/session", server)
        if args.nginx:
            proxy = start_nginx(front_port, port, folder / "nginx")
        savers = [Saver(base, i) for i in range(args.savers)]
        for saver in savers:
            saver.start()
        time.sleep(2)  # warm

        def phase(name, work=None):
            for saver in savers:
                saver.phase = name
            extra = work() if work else time.sleep(args.seconds)
            for saver in savers:
                saver.phase = None
            records = [r for s in savers for r in s.records if r[0] == name]
            figures[name] = summary([r[1] for r in records], [r[2] for r in records])
            return extra

        phase("unloaded")
        logins = phase(
            "login_flood",
            lambda: in_own_process(
                wrong_logins, front_port, args.savers, 12, args.seconds, args.nginx
            ),
        )
        figures["login_flood"]["logins"] = len(logins)
        figures["login_flood"]["login_statuses"] = {
            str(s): sum(1 for _t, st in logins if st == s) for s in {st for _t, st in logins}
        }
        figures["login_flood"]["login_p50_ms"] = round(
            statistics.median(t for t, _s in logins) * 1000, 1
        )
        uploads = phase(
            "pdf_flood", lambda: flood(pdf_uploads(base, shared_stream_pdf()), 4, args.seconds)
        )
        figures["pdf_flood"]["uploads"] = len(uploads)
        figures["pdf_flood"]["uploads_refused_in_vietnamese"] = sum(1 for u in uploads if u[2])
        figures["pdf_flood"]["upload_max_s"] = round(max(u[0] for u in uploads), 2)
        for saver in savers:
            saver.running = False
        figures["limit"] = limit_check(base)
    finally:
        stop_nginx(proxy)
        stop(server)
    unloaded = figures["unloaded"]["p95_ms"]
    figures["verdict"] = {
        "login_flood_p95_within": figures["login_flood"]["p95_ms"]
        <= max(2 * unloaded, unloaded + 100),
        "login_flood_no_failed_save": figures["login_flood"]["failed"] == 0,
        "pdf_flood_no_save_over_1s": figures["pdf_flood"]["over_1s"] == 0,
        "pdf_flood_p95_at_most_250ms": figures["pdf_flood"]["p95_ms"] <= 250,
        "uploads_answered_within_60s": figures["pdf_flood"]["upload_max_s"] <= 60,
        "my_saves_all_200": figures["limit"]["my_statuses"] == {"200": 20},
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if all(figures["verdict"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
