"""Each path a participant uses, as a ratio to a Flask hello-world under the same gunicorn
settings, measured in one run on this machine; then the contest-page storm.

    .venv/bin/python scripts/load/page_ratios.py                    # SQLite in /tmp/contest-pages
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python scripts/load/page_ratios.py
    .venv/bin/python scripts/load/page_ratios.py --db postgresql://postgres@127.0.0.1:5432/pages

The database is reset, seeded (run_prepare.py's way: participants with bearer tokens and the
session cookies their browsers hold after logging in), and each participant starts the round;
some submit. hello_app.py and then the app run under gunicorn with gunicorn.conf.py (the same
workers and threads; a REDIS_URL of the caller's environment reaches the app, so the limiter
and the caches use Redis). wrk (-t2 -c32, a warm-up, then --seconds) saturates, one path at a
time, with a Lua script written to --out:

  hello      GET /hello of hello_app.py
  home       GET /                               (anonymous)
  contest    GET /cuoc-thi/<slug>                (anonymous, the public contest page)
  attempt    GET /bai-thi/<id>                   (its participant's session cookie)
  result     GET /bai-thi/<id>/ket-qua           (a submitted attempt, cookie)
  save       PUT /api/v1/attempts/<id>/answers/<qid>, as static/js/attempt.js sends it:
             cookie + X-CSRFToken (the page's meta tag) + Origin, {"choices": [id], "seq": N}
  bearer     the same save with Authorization: Bearer
  (each save has a higher seq than that answer's last, run after run)
  hello      again at the end: how far the machine's other load moved meanwhile

The storm: --storm-requests GETs of the contest page from --storm-clients threads, each sending
its share at random moments spread over --storm-seconds, a new connection for each (phones);
p50/p95/max latency and the non-200 answers and errors (target: p95 <= 1 s, no error).

The per-attempt save limit (and the login ones) are lifted with CONTEST_RATE_LIMIT_*; nothing
else is. Exit status 1 when any request failed (non-2xx, socket error, storm error).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import page_ratios_prepare as prep

DEFAULT_DB = "sqlite:////tmp/contest-pages/pages.db"
LIFTED = ("LOGIN", "LOGIN_ACCOUNT", "REGISTER", "SAVES", "CHECK")  # what common.app_env raises
ROWS = {
    "hello": "hello-world, GET /hello (hello_app.py)",
    "home": "home page, GET /",
    "contest": "contest page, GET /cuoc-thi/<slug>",
    "attempt": "attempt page, GET /bai-thi/<id> (cookie)",
    "result": "result page, GET /bai-thi/<id>/ket-qua (cookie)",
    "save": "answer save, PUT …/answers/<qid> (cookie + X-CSRFToken + Origin)",
    "bearer": "answer save, PUT …/answers/<qid> (Authorization: Bearer)",
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", default=DEFAULT_DB, help="reset: never name a database others use")
    p.add_argument("--out", type=Path, default=Path("/tmp/contest-pages/run"))
    p.add_argument("--seconds", type=float, default=8, help="each wrk run, after the warm-up")
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--threads", type=int, default=2, help="wrk -t")
    p.add_argument("--connections", type=int, default=32, help="wrk -c")
    p.add_argument(
        "--port", type=int, default=5700, help="hello-world here, the app on +1 (0: free ports)"
    )
    p.add_argument("--participants", type=int, default=40, help="attempts in progress")
    p.add_argument("--finished", type=int, default=40, help="submitted attempts")
    p.add_argument("--storm-requests", type=int, default=2000)
    p.add_argument("--storm-clients", type=int, default=200)
    p.add_argument("--storm-seconds", type=float, default=10)
    p.add_argument("--seed", type=int, default=2026)
    return p.parse_args(argv)


class Wrk:
    """wrk runs with the one Lua script; each run's number rises (the saves' seq base)."""

    def __init__(self, args, out: Path):
        self.args, self.out, self.run = args, out, 0
        self.lua = prep.write_lua(out)
        (out / "runs").mkdir(exist_ok=True)

    def measure(self, name: str, port: int, mode: str, targets: Path) -> dict:
        self.go(name + "-warmup", port, mode, targets, self.args.warmup)
        figures = self.go(name, port, mode, targets, self.args.seconds)
        figures["run"] = self.run
        print(
            f"  {name:<8} {figures['rps']:9.1f} req/s  p50 {figures['p50']} ms  "
            f"p95 {figures['p95']} ms  statuses {figures['statuses']}  "
            f"socket errors {figures['socket_errors']}",
            flush=True,
        )
        return figures

    def go(self, name: str, port: int, mode: str, targets: Path, seconds: float) -> dict:
        self.run += 1
        origin = f"http://127.0.0.1:{port}"
        cmd = ["wrk", f"-t{self.args.threads}", f"-c{self.args.connections}"]
        cmd += [f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
        cmd += ["-s", str(self.lua), origin, "--", mode, str(self.run), str(targets)]
        cmd += [str(self.args.threads), origin]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
        text = shlex.join(cmd) + "\n" + done.stdout + done.stderr
        (self.out / "runs" / f"{name}.txt").write_text(text)
        figures = prep.parse_wrk(done.stdout)
        if done.returncode != 0 or not figures["ok"]:
            raise SystemExit(f"wrk failed ({name}):\n{text[-2000:]}")
        return figures


def serve(app_spec: str, port: int, env: dict, log: Path, probe: str, **kw):
    server = common.start_gunicorn(app_spec, port, env, log, options=["--no-control-socket"], **kw)
    common.wait_ready(f"http://127.0.0.1:{port}{probe}", server)
    return server


def measure_app(args, out: Path, wrk: Wrk, seeded: dict, env: dict) -> tuple[dict, dict, int]:
    """The six paths of the app, then the storm: (rows, storm, workers)."""
    port = args.port + 1 if args.port else common.free_port()
    server = serve("wsgi:app", port, env, out / "app-gunicorn.log", "/api/v1/session")
    try:
        workers = len(common.worker_pids(server.pid))
        t0 = time.perf_counter()
        people = prep.enter(port, seeded, args.finished)
        print(
            f"{len(people)} attempts started, {args.finished} submitted through the app "
            f"in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        done, going = people[: args.finished], people[args.finished :]
        contest = f"/cuoc-thi/{prep.SLUG}"
        t = out / "targets"
        t.mkdir(exist_ok=True)
        targets = {
            "home": ("get", prep.write_targets(t / "home.lua", [["/"]])),
            "contest": ("get", prep.write_targets(t / "contest.lua", [[contest]])),
            "attempt": (
                "cookie_get",
                prep.write_targets(
                    t / "attempt.lua", [[p["cookie"], f"/bai-thi/{p['attempt']}"] for p in going]
                ),
            ),
            "result": (
                "cookie_get",
                prep.write_targets(
                    t / "result.lua",
                    [[p["cookie"], f"/bai-thi/{p['attempt']}/ket-qua"] for p in done],
                ),
            ),
            "save": (
                "save_cookie",
                prep.write_targets(t / "save.lua", prep.save_targets(going, False)),
            ),
            "bearer": (
                "save_bearer",
                prep.write_targets(t / "bearer.lua", prep.save_targets(going, True)),
            ),
        }
        rows = {}
        for name, (mode, path) in targets.items():
            rows[name] = wrk.measure(name, port, mode, path)
            if mode.startswith("save"):  # what the 200s wrote (the next save run rewrites it)
                time.sleep(0.5)
                attempts = [p["attempt"] for p in going]
                rows[name]["stored"] = prep.stored_by_run(args.db, rows[name]["run"], attempts)
                rows[name]["targets"] = len(attempts) * len(going[0]["questions"])
            time.sleep(1)
        print(
            f"  storm: {args.storm_requests} GET {contest} from {args.storm_clients} clients "
            f"in {args.storm_seconds:g} s",
            flush=True,
        )
        storm = prep.storm(
            port, contest, args.storm_requests, args.storm_clients, args.storm_seconds
        )
    finally:
        common.stop(server)
    log = (out / "app-gunicorn.log").read_text(errors="replace")
    storm["tracebacks_in_log"] = log.count("Traceback")
    return rows, storm, workers


def ms(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def report_lines(args, argv, rows: dict, storm: dict, workers: int, load: str) -> list[str]:
    redis = os.environ.get("REDIS_URL")
    hello = rows["hello"]["rps"]
    lines = [
        f"# Page ratios to hello-world, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"- machine: {common.machine()}; load average before: {load}",
        f"- command: `{shlex.join(argv)}`",
        f"- database: {args.db}; Redis: "
        + (f"REDIS_URL={redis} (limiter and caches)" if redis else "none (REDIS_URL not set)"),
        f"- gunicorn with gunicorn.conf.py for both: {workers} workers × "
        f"{os.environ.get('GUNICORN_THREADS', '4')} threads (gthread)",
        f"- wrk -t{args.threads} -c{args.connections} -d{args.seconds:g}s after a "
        f"{args.warmup:g} s warm-up, one path at a time; {args.participants} attempts in "
        f"progress, {args.finished} submitted",
        "- rate limits lifted: "
        + ", ".join(f"CONTEST_RATE_LIMIT_{k}" for k in LIFTED)
        + f' = "{common.RAISED}"',
        "",
        "| path | req/s | p50 ms | p95 ms | non-2xx | ratio to hello |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in ROWS.items():
        r = rows[name]
        bad = str(r["non2xx"]) + (
            f" (+{r['socket_errors']} socket errors)" * bool(r["socket_errors"])
        )
        ratio = r["rps"] / hello if hello else 0.0
        lines.append(
            f"| {label} | {r['rps']:.1f} | {ms(r['p50'])} | {ms(r['p95'])} | {bad} | {ratio:.3f} |"
        )
    after = rows["hello_after"]["rps"]
    lines += [
        "",
        f"hello-world again after the app's runs: {after:.1f} req/s ({after / hello if hello else 0:.2f} × the "
        "first; how far the machine's other load moved meanwhile)",
    ]
    lines += [""] + [
        f"Answers stored by the {name} run: {rows[name]['stored']} of its "
        f"{rows[name]['targets']} (attempt, question) targets hold one of its seqs"
        for name in ("save", "bearer")
    ]
    met = storm["p95"] is not None and storm["p95"] <= 1000 and not storm["errors"]
    met = met and not storm["non200"]
    lines += [
        "",
        f"Contest-page storm: {storm['requests']} GET from {storm['clients']} clients within "
        f"{storm['seconds']:g} s, a new connection each (took {storm['wall_s']:.1f} s): "
        f"p50 {ms(storm['p50'])} ms, p95 {ms(storm['p95'])} ms, max {ms(storm['max'])} ms; "
        f"non-200 {storm['non200']}, errors {storm['errors']} — target p95 <= 1 s, no error: "
        + ("met" if met else "NOT met"),
        "",
        f"(clients' own lateness, p95: {ms(storm['late_p95_ms'])} ms; tracebacks in the app's "
        f"log: {storm['tracebacks_in_log']})",
    ]
    return lines


def main(argv=None) -> int:
    args = parse_args(argv)
    command = [Path(sys.executable).name, *sys.argv] if argv is None else ["page_ratios.py", *argv]
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    load = Path("/proc/loadavg").read_text().split()[:3]
    secret = os.environ.get("CONTEST_SECRET_KEY", "load-test-secret-key")
    t0 = time.perf_counter()
    seeded = prep.seed(args.db, args.participants + args.finished, args.seed, secret)
    print(f"seeded {args.db} in {time.perf_counter() - t0:.1f} s", flush=True)
    env = common.app_env(args.db)  # its secret key is `secret`; REDIS_URL passes through
    wrk = Wrk(args, out)
    rows = {"hello": measure_hello(args, out, wrk, env, "hello")}
    time.sleep(1)
    app_rows, storm, workers = measure_app(args, out, wrk, seeded, env)
    rows |= app_rows
    rows["hello_after"] = measure_hello(args, out, wrk, env, "hello_after")
    lines = report_lines(args, command, rows, storm, workers, " ".join(load))
    (out / "report.md").write_text("\n".join(lines) + "\n")
    (out / "report.json").write_text(json.dumps({"rows": rows, "storm": storm}, indent=1))
    print("\n".join(lines))
    print(f"\nresults in {out}")
    failed = any(r["non2xx"] or r["socket_errors"] for r in rows.values())
    return 1 if failed or storm["errors"] or storm["non200"] else 0


def measure_hello(args, out: Path, wrk: Wrk, env: dict, name: str) -> dict:
    (out / "targets").mkdir(exist_ok=True)
    targets = prep.write_targets(out / "targets" / "hello.lua", [["/hello"]])
    port = args.port or common.free_port()
    hello = serve(
        "hello_app:app", port, env, out / f"{name}-gunicorn.log", "/hello", pythonpath=common.HERE
    )
    try:
        return wrk.measure(name, port, "get", targets)
    finally:
        common.stop(hello)


if __name__ == "__main__":
    sys.exit(main())
