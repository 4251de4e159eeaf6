"""The load test: a fresh database, participants with bearer tokens, the app under gunicorn with
gunicorn.conf.py, and Locust (headless, on the same machine) through the JSON API.

    .venv/bin/python scripts/load/run.py                          # SQLite in /tmp/contest-load
    .venv/bin/python scripts/load/run.py --db postgresql://postgres@127.0.0.1:5432/load
    .venv/bin/python scripts/load/run.py --phases hello,save --sat-seconds 20   # a quick look
    .venv/bin/python scripts/load/run.py --profile sustained      # py-spy on the workers too

Phases, in this order, each bounded in time (all of them take about 10 minutes):
  hello      the yardstick: GET /hello of hello_app.py under the same gunicorn settings
  save       answer-save saturation (no think time), same Locust user count as hello
  board      leaderboard saturation (cached top 50)
  start      start saturation (fresh participants, no think time)
  storm      STORM_USERS participants start the same round within STORM_SECONDS
  sustained  participants start, answer 20 questions with think time, submit, look at the
             leaderboard; then the next participant
  pagestorm  the storm through the pages: STORM_USERS participants open the contest page,
             press "Bắt đầu" and get the attempt page, within STORM_SECONDS
  pages      sustained through the pages: home, contest page, start form, attempt page, each
             answer saved by the page's own PUT (cookie + X-CSRFToken), the submit form with
             the answers, the result page, the board page; then the next participant

It prints and writes (to --out) completed attempts per minute, p50/p95/p99 per endpoint, errors,
each endpoint's throughput as a ratio to hello-world's, and the acknowledged saves checked
against the database: an ack is lost when the stored answer is missing, has a lower seq, or
has the same seq with other choices.

Logging in costs ~150 ms of scrypt each, so participants are made in bulk (one shared password
hash) and get their bearer tokens straight in api_tokens; nobody goes through /login.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
from run_prepare import QUESTIONS, SLUG, prepare, think, token_pools
from run_report import (
    check_acks,
    completions,
    endpoint_table,
    print_phase,
    print_table,
    rebuild,
    storm_figures,
)

PHASES = ("hello", "save", "board", "start", "storm", "sustained", "pagestorm", "pages")
LOCUSTFILE = common.HERE / "locustfile.py"
BOARD_PATH = "/api/v1/rounds/{rid}/leaderboard?limit=50"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--db",
        default=common.DEFAULT_SQLITE,
        help="sqlite:////abs/path.db or postgresql://user@127.0.0.1:5432/NAME "
        "(reset: never name a database others use)",
    )
    p.add_argument("--out", type=Path, default=None, help="folder for logs and results")
    p.add_argument("--phases", default=",".join(PHASES))
    p.add_argument("--sat-users", type=int, default=40, help="Locust users in saturation phases")
    p.add_argument("--sat-seconds", type=int, default=30)
    p.add_argument("--storm-users", type=int, default=2000)
    p.add_argument("--storm-seconds", type=float, default=10, help="all storm users spawn in it")
    p.add_argument("--storm-hold", type=int, default=150, help="storm phase length, seconds")
    p.add_argument("--users", type=int, default=850, help="sustained: concurrent participants")
    p.add_argument("--spawn-rate", type=float, default=20)
    p.add_argument("--minutes", type=float, default=5, help="sustained: run time")
    p.add_argument("--think", default="1,3", help="think time before each answer: min,max s")
    p.add_argument("--profile", default="", help="phase to record with py-spy (all workers)")
    p.add_argument("--profile-seconds", type=int, default=40)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument(
        "--rebuild",
        type=Path,
        default=None,
        help="recompute the tables of a finished run's folder from its raw results",
    )
    return p.parse_args(argv)


# ---------------------------------------------------------------- phases


def run_locust(
    args,
    out: Path,
    name: str,
    user_class: str,
    host: str,
    users: int,
    spawn_rate: float,
    seconds: int,
    round_id: int,
    server=None,
) -> dict:
    env = dict(common.app_env(args.db))
    tmin, tmax = think(args)
    env.update(
        LOAD_HOST_ROUND=str(round_id),
        LOAD_OUT=str(out / f"{name}.json"),
        LOAD_THINK_MIN=str(tmin),
        LOAD_THINK_MAX=str(tmax),
        LOAD_QUESTIONS=str(QUESTIONS),
    )
    tokens = out / f"tokens-{name}.txt"
    env["LOAD_TOKENS"] = str(tokens) if tokens.exists() else ""
    cookies = out / f"cookies-{name}.txt"
    env["LOAD_COOKIES"] = str(cookies) if cookies.exists() else ""
    env["LOAD_SLUG"] = SLUG
    cmd = [
        str(common.VENV_BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--host",
        host,
        "--only-summary",
        "--csv",
        str(out / name),
        "--stop-timeout",
        "5",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
        user_class,
    ]
    pids = [server.pid] + common.worker_pids(server.pid) if server else []
    cpu0, wall0 = common.cpu_seconds(pids), time.monotonic()
    busy0 = common.machine_busy_seconds()
    pg0 = common.named_cpu_seconds("postgres")
    profiler = None
    if args.profile == name and server:
        delay = min(seconds // 3, 60)
        profiler = subprocess.Popen(
            [
                "bash",
                "-c",
                (
                    f"sleep {delay}; exec {common.VENV_BIN / 'py-spy'} record --pid "
                    f"{server.pid} --subprocesses --idle --rate 100 "
                    f"--duration {args.profile_seconds} --format raw --nonblocking "
                    f"-o {out / f'profile-{name}.txt'}"
                ),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    print(
        f"[{name}] locust {user_class}: {users} users, spawn {spawn_rate}/s, {seconds} s",
        flush=True,
    )
    _children_cpu()  # reset: only Locust's own CPU is counted below
    with open(out / f"{name}.locust.log", "wb") as log:
        locust = subprocess.Popen(
            cmd, cwd=common.HERE, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            locust.wait(seconds + 120)
        except subprocess.TimeoutExpired:
            locust.kill()
            locust.wait()
    locust_cpu = _children_cpu()
    pids = [server.pid] + common.worker_pids(server.pid) if server else []
    server_cpu = common.cpu_seconds(pids) - cpu0 if server else None
    wall = time.monotonic() - wall0
    busy = common.machine_busy_seconds() - busy0
    postgres = max(0.0, common.named_cpu_seconds("postgres") - pg0)  # backends that ended
    # what other processes (e.g. other people's test suites) took of the machine meanwhile
    others = busy - (server_cpu or 0) - locust_cpu - postgres
    if profiler:
        profiler.wait(args.profile_seconds + 120)
    data = json.loads((out / f"{name}.json").read_text())
    data["phase"] = {
        "name": name,
        "users": users,
        "spawn_rate": spawn_rate,
        "seconds": seconds,
        "wall": wall,
        "server_cpu_s": server_cpu,
        "locust_cpu_s": locust_cpu,
        "machine_busy_s": busy,
        "others_cpu_s": others,
        "postgres_cpu_s": postgres,
        "postgres_cores": postgres / wall,
        "server_cores": (server_cpu or 0) / wall,
        "locust_cores": locust_cpu / wall,
        "others_cores": others / wall,
    }
    return data


_last_children_cpu = [0.0]


def _children_cpu() -> float:
    """CPU seconds of the Locust process that just ended (resource usage of reaped children)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    delta, _last_children_cpu[0] = total - _last_children_cpu[0], total
    return delta


USER_CLASSES = {
    "hello": "HelloUser",
    "save": "SaveUser",
    "board": "BoardUser",
    "start": "StartUser",
    "storm": "StormUser",
    "pagestorm": "PageStormUser",
    "sustained": "QuizUser",
    "pages": "PageQuizUser",
}


def run_phase(args, out: Path, phase: str, host: str, round_id: int, server) -> dict:
    extra = {}
    if phase in ("storm", "pagestorm"):  # all users spawn within --storm-seconds
        users, rate, seconds = (
            args.storm_users,
            args.storm_users / args.storm_seconds,
            args.storm_hold,
        )
    elif phase in ("sustained", "pages"):
        users, rate, seconds = args.users, args.spawn_rate, int(args.minutes * 60)
    else:  # saturation: every user at once
        users, rate, seconds = args.sat_users, args.sat_users, args.sat_seconds
    data = run_locust(
        args, out, phase, USER_CLASSES[phase], host, users, rate, seconds, round_id, server
    )
    if phase == "save":
        extra["acks"] = check_acks(args.db, data["acks"])
    elif phase == "start":
        extra["starts"] = data["starts"]
    elif phase in ("storm", "pagestorm"):
        extra |= storm_figures(data, phase, args.storm_users)
    elif phase in ("sustained", "pages"):
        tmin, tmax = think(args)
        attempt_s = (QUESTIONS + 2) * (tmin + tmax) / 2
        steady_from = data["run"]["started"] + args.users / args.spawn_rate + attempt_s
        extra["completions"] = completions(data, steady_from)
        extra["acks"] = check_acks(args.db, data["acks"])
        extra["starts"] = data["starts"]
    extra["phase"] = data["phase"]
    table = endpoint_table(data)
    print_phase(phase, table, data, extra)
    return {"table": table, "extra": extra}


# ---------------------------------------------------------------- main


def _terminate(_signum, _frame):
    raise SystemExit("terminated")  # the finally blocks stop the servers we started


def main(argv=None) -> int:
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    args = parse_args(argv)
    if args.rebuild:
        return rebuild(args.rebuild)
    phases = [p for p in args.phases.split(",") if p]
    unknown = set(phases) - set(PHASES)
    if unknown:
        raise SystemExit(f"unknown phases: {unknown}")
    kind = "sqlite" if common.is_sqlite(args.db) else "postgresql"
    out = args.out or Path(f"/tmp/contest-load/run-{kind}")
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": common.machine(),
        "db": args.db,
        "args": vars(args) | {"out": str(out)},
        "phases": {},
    }
    needs_app = [p for p in phases if p != "hello"]
    round_id = prepare(args, token_pools(args, phases), out) if needs_app else 0
    hello_rps = None
    lines = [f"# Load test, {kind}: {report['machine']}", ""]

    if "hello" in phases:
        port = common.free_port()
        server = common.start_gunicorn(
            "hello_app:app",
            port,
            common.app_env(args.db),
            out / "hello-gunicorn.log",
            pythonpath=common.HERE,
        )
        try:
            common.wait_ready(f"http://127.0.0.1:{port}/hello", server)
            data = run_phase(args, out, "hello", f"http://127.0.0.1:{port}", 0, server)
        finally:
            common.stop(server)
        table = data["table"]
        hello_rps = next(iter(table.values()))["rps"]
        report["phases"]["hello"] = {"table": table, "phase": data["extra"]["phase"]}
        lines += print_table("hello-world (saturation)", table, hello_rps)

    if needs_app:
        port = common.free_port()
        host = f"http://127.0.0.1:{port}"
        server = common.start_gunicorn(
            "wsgi:app", port, common.app_env(args.db), out / "app-gunicorn.log"
        )
        try:
            common.wait_ready(f"{host}/api/v1/session", server)
            for phase in needs_app:
                result = run_phase(args, out, phase, host, round_id, server)
                report["phases"][phase] = result
                lines += print_table(f"{phase}", result["table"], hello_rps)
                lines += ["", f"```{json.dumps(result['extra'], indent=1)}```", ""]
                (out / "report.json").write_text(json.dumps(report, indent=1, default=str))
                time.sleep(3)
        finally:
            common.stop(server)
    (out / "report.json").write_text(json.dumps(report, indent=1, default=str))
    (out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nresults in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
