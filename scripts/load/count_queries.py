"""How many SQL statements (round trips to the database) each call of the participant's path
costs, and how much of the app's own CPU: one participant, through Flask's test client (no HTTP,
no gunicorn), bearer token, on a fresh database.

    .venv/bin/python scripts/load/count_queries.py [--db URL] [--repeat 200]

CPU per call is the median thread CPU time of `--repeat` calls of the same kind (answer saves
rewrite the same questions with a rising seq; starts use fresh participants).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", default="sqlite:////tmp/contest-load/queries.db")
    p.add_argument("--repeat", type=int, default=200)
    p.add_argument("--show", action="store_true", help="list the statements of each call")
    p.add_argument(
        "--profile",
        choices=["start", "save", "load"],
        help="cProfile these calls; print the functions with the most time",
    )
    args = p.parse_args(argv)
    from sqlalchemy import event

    from contest.extensions import db
    from contest.services.accounts import default_organisation

    rng = random.Random(1)
    common.reset_database(args.db)
    app = common.make_app(
        args.db,
        **{
            f"RATE_LIMIT_{k}": common.RAISED
            for k in (
                "LOGIN",
                "LOGIN_ACCOUNT",
                "LOGIN_DEVICE",
                "CHALLENGE_AFTER",
                "REGISTER",
                "SAVES",
                "CHECK",
            )
        },
    )
    with app.app_context():
        org_id = default_organisation().id
        units = common.seed_units(org_id, 30, rng, 1000)
        bank = common.seed_bank(org_id, 100, rng)
        round_id = common.seed_open_round(
            org_id, units, bank, "dem-truy-van", "Đếm truy vấn", "Đợt 1", hours=2
        )
        first, tokens = common.seed_people(
            db.engine, org_id, units, args.repeat + 1, rng, tokens=True
        )
        engine = db.engine

    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split())[:110])

    from contest import raw_sql

    run_raw = raw_sql.RawStatement._execute

    def _count_raw(self, conn, values, fetch):  # statements run on the DBAPI cursor
        statements.append(" ".join(self.sql.split())[:110])
        return run_raw(self, conn, values, fetch)

    raw_sql.RawStatement._execute = _count_raw

    client = app.test_client()

    def call(method, path, token, body=None):
        statements.clear()
        cpu = time.thread_time()
        response = client.open(
            path, method=method, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        cpu = time.thread_time() - cpu
        return response, list(statements), cpu

    rows = {}
    # starts: one per fresh participant
    cpus, attempts = [], []
    profiler = cProfile.Profile() if args.profile == "start" else None
    if profiler:
        profiler.enable()
    for token in tokens[: args.repeat]:
        response, stmts, cpu = call("POST", f"/api/v1/rounds/{round_id}/attempts", token)
        assert response.status_code == 201, response.get_data(as_text=True)
        cpus.append(cpu)
        attempts.append((token, response.get_json()))
    _print_profile(profiler)
    rows["POST /rounds/[id]/attempts (start)"] = (stmts, cpus)
    token, attempt = attempts[0]
    cpus = []
    profiler = cProfile.Profile() if args.profile == "save" else None
    if profiler:
        profiler.enable()
    for i in range(args.repeat):
        question = attempt["questions"][i % len(attempt["questions"])]
        body = {"choices": [question["choices"][0]["id"]], "seq": time.time_ns() // 1000}
        response, stmts, cpu = call(
            "PUT", f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}", token, body
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        cpus.append(cpu)
    _print_profile(profiler)
    rows["PUT /attempts/[id]/answers/[qid] (save)"] = (stmts, cpus)
    cpus = []  # "load my exam": each participant's own attempt, with its saved answers
    for token, attempt in attempts:
        response, stmts, cpu = call("GET", f"/api/v1/attempts/{attempt['id']}", token)
        assert response.status_code == 200, response.get_data(as_text=True)
        cpus.append(cpu)
    rows["GET /attempts/[id] (load my exam)"] = (stmts, cpus)
    cpus = []  # the same with the session cookie, as a browser asks it
    profiler = cProfile.Profile() if args.profile == "load" else None
    for i, (_token, attempt) in enumerate(attempts[:50]):
        browser = app.test_client()
        login = {"login": f"09{first + i:08d}", "password": "thutai2026"}
        signed_in = browser.post("/api/v1/login", json=login)
        assert signed_in.status_code == 200, signed_in.get_data(as_text=True)
        statements.clear()
        cpu = time.thread_time()
        if profiler:
            profiler.enable()
        response = browser.get(f"/api/v1/attempts/{attempt['id']}")
        if profiler:
            profiler.disable()
        cpus.append(time.thread_time() - cpu)
        assert response.status_code == 200, response.get_data(as_text=True)
    if profiler:
        profiler.enable()  # _print_profile disables it
    _print_profile(profiler)
    rows["GET /attempts/[id] (load my exam, session cookie)"] = (list(statements), cpus)
    cpus = []
    for token, attempt in attempts:
        response, stmts, cpu = call(
            "POST", f"/api/v1/attempts/{attempt['id']}/submit", token, {"prediction": 7}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        cpus.append(cpu)
    rows["POST /attempts/[id]/submit"] = (stmts, cpus)
    cpus = []
    for _ in range(args.repeat):
        response, stmts, cpu = call("GET", f"/api/v1/rounds/{round_id}/leaderboard?limit=50", token)
        cpus.append(cpu)
    rows["GET /rounds/[id]/leaderboard?limit=50 (cached)"] = (stmts, cpus)

    kind = "sqlite" if common.is_sqlite(args.db) else "postgresql"
    print(f"# statements and app CPU per call, {kind}, {common.machine()}\n")
    print("| call | SQL statements | of which | median app CPU ms |")
    print("|---|---|---|---|")
    for name, (stmts, cpus) in rows.items():
        kinds = ", ".join(
            f"{k} {n}" for k, n in Counter(st.split()[0].upper() for st in stmts).most_common()
        )
        print(f"| {name} | {len(stmts)} | {kinds} | {statistics.median(cpus) * 1000:.1f} |")
    if args.show:
        for name, (stmts, _cpus) in rows.items():
            print(f"\n## {name}")
            for statement, n in Counter(stmts).most_common():
                print(f"{n:4d} x {statement}")
    return 0


def _print_profile(profiler) -> None:
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    sys.exit(main())
