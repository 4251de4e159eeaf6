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
import math
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

PHASES = ("hello", "save", "board", "start", "storm", "sustained", "pagestorm", "pages")
PAGE_PHASES = ("pagestorm", "pages")  # through the pages, with session cookies
LOCUSTFILE = common.HERE / "locustfile.py"
SLUG = "thu-tai"
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


def rebuild(out: Path) -> int:
    """Tables again from <phase>.json (the checks against the database are kept as they were)."""
    report = json.loads((out / "report.json").read_text())
    kind = "sqlite" if common.is_sqlite(report["db"]) else "postgresql"
    lines, hello_rps = [f"# Load test, {kind}: {report['machine']}", ""], None
    for phase, result in report["phases"].items():
        result["table"] = endpoint_table(json.loads((out / f"{phase}.json").read_text()))
        if phase == "hello":
            hello_rps = next(iter(result["table"].values()))["rps"]
        lines += print_table(phase, result["table"], hello_rps)
        if result.get("extra"):
            lines += ["", f"```{json.dumps(result['extra'], indent=1)}```", ""]
    (out / "report.json").write_text(json.dumps(report, indent=1, default=str))
    (out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


# ---------------------------------------------------------------- preparation


def prepare(args, pools: dict[str, int], out: Path) -> int:
    """Reset and migrate the database; units, bank, contest, an open round and participants
    with tokens; one token file per phase. Returns the round id."""
    from contest.extensions import db
    from contest.models import Contest, Round
    from contest.services.accounts import default_organisation
    from contest.timing import utcnow

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    common.reset_database(args.db)
    people = sum(pools.values())
    app = common.make_app(args.db)
    with app.app_context():
        org = default_organisation()
        org_id = org.id
        unit_ids = common.seed_units(org.id, 300, rng, people)
        bank_id = common.seed_bank(org.id, 100, rng)
        contest = Contest(
            organisation_id=org.id,
            slug=SLUG,
            title="Cuộc thi thử tải",
            masking="partial",
            unit_list_id=common.unit_list_of(unit_ids),
        )
        db.session.add(contest)
        db.session.flush()
        now = utcnow()
        rnd = Round(
            contest_id=contest.id,
            name="Đợt thử tải",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(hours=6),
            bank_id=bank_id,
            question_count=20,
            time_limit_s=15 * 60,
            grace_s=30,
            max_attempts=1,
            counting="best",
            prediction="perfect_count",
        )
        db.session.add(rnd)
        db.session.flush()
        round_id = rnd.id
        db.session.commit()
        db.session.close()  # no transaction (on SQLite: no write lock) left open
        first, tokens = common.seed_people(db.engine, org_id, unit_ids, people, rng, tokens=True)
        common.analyze(db.engine)
        db.engine.dispose()
    start = 0
    for name, count in pools.items():
        (out / f"tokens-{name}.txt").write_text("\n".join(tokens[start : start + count]) + "\n")
        if name in PAGE_PHASES:
            ids = range(first + start, first + start + count)
            (out / f"cookies-{name}.txt").write_text("\n".join(session_cookies(app, ids)) + "\n")
        start += count
    print(
        f"prepared {args.db}: round {round_id}, {people} participants with tokens "
        f"in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    return round_id


def session_cookies(app, user_ids) -> list[str]:
    """The signed session cookie each participant's browser holds after logging in, made in
    bulk as the bearer tokens are: a server-side session row (user_sessions, as
    contest.auth.sign_in makes it, SHA-256 of a random key) and the cookie Flask signs with
    Flask-Login's user id, that key and the CSRF secret."""
    import hashlib
    import secrets
    from datetime import timedelta

    from contest.extensions import db
    from contest.timing import utcnow

    serializer = app.session_interface.get_signing_serializer(app)
    now = utcnow().replace(microsecond=0)
    keys = [secrets.token_urlsafe(32) for _ in user_ids]
    with app.app_context():
        first = common.next_id(db.engine, "user_sessions")
        common.bulk_insert(
            db.engine,
            "user_sessions",
            ["id", "user_id", "key_hash", "created_at", "expires_at", "remember"],
            (
                (
                    first + i,
                    uid,
                    hashlib.sha256(key.encode()).hexdigest(),
                    now,
                    now + timedelta(days=1),
                    False,
                )
                for i, (uid, key) in enumerate(zip(user_ids, keys, strict=True))
            ),
        )
        common.fix_sequences(db.engine, ["user_sessions"])
        db.engine.dispose()
    return [
        serializer.dumps(
            {"_user_id": str(uid), "_fresh": True, "sid": key, "csrf_token": secrets.token_hex(20)}
        )
        for uid, key in zip(user_ids, keys, strict=True)
    ]


def token_pools(args, phases) -> dict[str, int]:
    tmin, _tmax = think(args)
    pools = {}
    if "save" in phases:
        pools["save"] = args.sat_users
    if "start" in phases:
        pools["start"] = 150 * args.sat_seconds  # more than the server can start meanwhile
    shortest = QUESTIONS * tmin + 2 * tmin + 0.5
    for storm in ("storm", "pagestorm"):
        if storm in phases:
            pools[storm] = args.storm_users
    for sustained in ("sustained", "pages"):
        if sustained in phases:
            pools[sustained] = args.users * (math.ceil(args.minutes * 60 / shortest) + 2)
    return pools


QUESTIONS = 20


def think(args) -> tuple[float, float]:
    lo, hi = (float(x) for x in args.think.split(","))
    return lo, hi


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


# ---------------------------------------------------------------- figures


def pct(values: list[float], p: float) -> float | None:
    """Exact percentile (nearest rank) of the raw samples."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def endpoint_table(data: dict, warm: float = 5.0) -> dict:
    """Per endpoint: count, errors and their statuses, p50/p95/p99/max, throughput (successful
    requests a second, counted from `warm` s after the first request to the last)."""
    samples = data["samples"]
    if not samples:
        return {}
    t_first = min(s[0] for s in samples)
    t_last = max(s[0] + s[2] / 1000 for s in samples)  # the last answer received
    table = {}
    for name in sorted({s[1] for s in samples}):
        rows = [s for s in samples if s[1] == name]
        times = [s[2] for s in rows]
        errors = [s for s in rows if not s[4]]
        # answers received from `warm` s after the first request on: a storm's starts are sent
        # in 10 s but answered over a minute, and this counts them as they are answered
        window = [s for s in rows if s[4] and s[0] + s[2] / 1000 >= t_first + warm]
        span = max(t_last - (t_first + warm), 1e-9)
        statuses = {}
        for s in errors:
            statuses[str(s[3])] = statuses.get(str(s[3]), 0) + 1
        table[name] = {
            "count": len(rows),
            "errors": len(errors),
            "error_statuses": statuses,
            "p50": pct(times, 50),
            "p95": pct(times, 95),
            "p99": pct(times, 99),
            "max": max(times),
            "rps": len(window) / span,
        }
    return table


def check_acks(db_url: str, acks: list) -> dict:
    """Every acknowledged save against the answers table at the end."""
    from sqlalchemy import create_engine, text

    from contest.config import normalise_db_url

    wanted: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for attempt_id, question_id, seq, choices in acks:
        key = (attempt_id, question_id)
        if key not in wanted or seq > wanted[key][0]:
            wanted[key] = (seq, sorted(choices))
    attempts = sorted({k[0] for k in wanted})
    stored = {}
    engine = create_engine(normalise_db_url(db_url))
    with engine.connect() as conn:
        for i in range(0, len(attempts), 500):
            chunk = attempts[i : i + 500]
            rows = conn.execute(
                text(
                    "SELECT attempt_id, question_id, seq, choices FROM answers WHERE attempt_id IN ("
                    + ",".join(str(a) for a in chunk)
                    + ")"
                )
            )
            for attempt_id, question_id, seq, choices in rows:
                if isinstance(choices, str):
                    choices = json.loads(choices)
                stored[(attempt_id, question_id)] = (seq, sorted(choices))
    engine.dispose()
    lost = []
    for key, (seq, choices) in wanted.items():
        have = stored.get(key)
        if have is None or have[0] < seq or (have[0] == seq and have[1] != choices):
            lost.append({"attempt": key[0], "question": key[1], "acked_seq": seq, "stored": have})
    return {
        "acks": len(acks),
        "answers_checked": len(wanted),
        "lost": len(lost),
        "lost_examples": lost[:10],
    }


def completions(data: dict, steady_from: float) -> dict:
    done = [c[0] for c in data["completed"]]
    run = data["run"]
    total_min = (run["stopped"] - run["started"]) / 60
    steady = [t for t in done if t >= steady_from]
    steady_min = max(run["stopped"] - steady_from, 1e-9) / 60
    return {
        "completed": len(done),
        "per_minute_whole_run": len(done) / total_min,
        "per_minute_steady": len(steady) / steady_min,
        "steady_window_s": steady_min * 60,
    }


def fmt(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def print_table(name: str, table: dict, hello_rps: float | None) -> list[str]:
    lines = [
        f"### {name}",
        "",
        ("| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | ÷ hello |"),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for endpoint, row in table.items():
        ratio = f"{row['rps'] / hello_rps:.1%}" if hello_rps else "–"
        errors = str(row["errors"]) + (f" {row['error_statuses']}" if row["errors"] else "")
        lines.append(
            f"| {endpoint} | {row['count']} | {errors} | {fmt(row['p50'])} | "
            f"{fmt(row['p95'])} | {fmt(row['p99'])} | {fmt(row['max'])} | "
            f"{fmt(row['rps'], 1)} | {ratio} |"
        )
    return lines


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
            data = run_locust(
                args,
                out,
                "hello",
                "HelloUser",
                f"http://127.0.0.1:{port}",
                args.sat_users,
                args.sat_users,
                args.sat_seconds,
                0,
                server,
            )
        finally:
            common.stop(server)
        table = endpoint_table(data)
        hello_rps = next(iter(table.values()))["rps"]
        report["phases"]["hello"] = {"table": table, "phase": data["phase"]}
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


def run_phase(args, out: Path, phase: str, host: str, round_id: int, server) -> dict:
    extra = {}
    if phase == "save":
        data = run_locust(
            args,
            out,
            phase,
            "SaveUser",
            host,
            args.sat_users,
            args.sat_users,
            args.sat_seconds,
            round_id,
            server,
        )
        extra["acks"] = check_acks(args.db, data["acks"])
    elif phase == "board":
        data = run_locust(
            args,
            out,
            phase,
            "BoardUser",
            host,
            args.sat_users,
            args.sat_users,
            args.sat_seconds,
            round_id,
            server,
        )
    elif phase == "start":
        data = run_locust(
            args,
            out,
            phase,
            "StartUser",
            host,
            args.sat_users,
            args.sat_users,
            args.sat_seconds,
            round_id,
            server,
        )
        extra["starts"] = data["starts"]
    elif phase in ("storm", "pagestorm"):
        rate = args.storm_users / args.storm_seconds
        data = run_locust(
            args,
            out,
            phase,
            "StormUser" if phase == "storm" else "PageStormUser",
            host,
            args.storm_users,
            rate,
            args.storm_hold,
            round_id,
            server,
        )
        starts = data["starts"]
        samples = [
            s
            for s in data["samples"]  # through the pages: every page of the way
            if phase == "pagestorm" or s[1].startswith("POST /rounds")
        ]
        span = (max(s[0] for s in samples) - min(s[0] for s in samples)) if samples else None
        extra["starts"] = starts
        extra["all_got_their_attempt"] = (
            starts["ok"] == args.storm_users and starts["attempts"] == args.storm_users
        )
        extra["requests_sent_within_s"] = span
        if samples:
            extra["starts_answered_per_s"] = starts["ok"] / (
                max(s[0] + s[2] / 1000 for s in samples) - min(s[0] for s in samples)
            )
        extra["last_answer_after_s"] = (
            (max(s[0] + s[2] / 1000 for s in samples) - min(s[0] for s in samples))
            if samples
            else None
        )
    else:  # sustained, through the API or the pages
        seconds = int(args.minutes * 60)
        data = run_locust(
            args,
            out,
            phase,
            "QuizUser" if phase == "sustained" else "PageQuizUser",
            host,
            args.users,
            args.spawn_rate,
            seconds,
            round_id,
            server,
        )
        tmin, tmax = think(args)
        attempt_s = (QUESTIONS + 2) * (tmin + tmax) / 2
        steady_from = data["run"]["started"] + args.users / args.spawn_rate + attempt_s
        extra["completions"] = completions(data, steady_from)
        extra["acks"] = check_acks(args.db, data["acks"])
        extra["starts"] = data["starts"]
    extra["phase"] = data["phase"]
    table = endpoint_table(data)
    print(
        f"[{phase}] "
        + "; ".join(
            f"{k}: n={v['count']} err={v['errors']} p95={fmt(v['p95'])} ms {v['rps']:.1f}/s"
            for k, v in table.items()
        ),
        flush=True,
    )
    ph = data["phase"]
    print(
        f"[{phase}] cores used: server {ph['server_cores']:.2f}, locust {ph['locust_cores']:.2f},"
        f" postgres {ph.get('postgres_cores', 0):.2f},"
        f" other processes {ph['others_cores']:.2f}",
        flush=True,
    )
    if extra.get("completions"):
        print(f"[{phase}] completions {extra['completions']}", flush=True)
    if extra.get("acks"):
        print(f"[{phase}] acks {extra['acks']['acks']} lost {extra['acks']['lost']}", flush=True)
    return {"table": table, "extra": extra}


if __name__ == "__main__":
    sys.exit(main())
