"""The read-side figures on the data of scripts/load/generate.py (1,000,000 attempts):

  1. closing the round, in-process in a fresh subprocess: finalize_round (expire, the prediction's
     true figure, every entry re-counted) + draft_winners + winners_workbook + commit
  2. over HTTP, gunicorn with gunicorn.conf.py: GET /api/v1/rounds/{id}/leaderboard?limit=50,
     cached (LEADERBOARD_CACHE_S as configured, 5 s) and uncached (CONTEST_LEADERBOARD_CACHE_S=0),
     and GET /api/v1/contests/{slug}/units/ranking (cached the same way, and uncached), requests
     one after another on a kept-alive connection, after a few warm-up requests
  3. the full results export of the 100,000-entry contest (results_xlsx, results_csv), each in a
     fresh subprocess: wall time and peak memory (VmHWM of /proc/self/status: the interpreter and
     the app included), plus the same for the 1,000,000-attempt contest (200,000 rows)

    .venv/bin/python scripts/load/read_side.py [--db URL] [--requests 200] [--profile]

Closing is measured inside a transaction that first clears finalized_at (so it can be measured
again on every run) and commits at the end: re-counting is deterministic, the data stay the same.
--profile runs pyinstrument around closing and the exports (text reports in --out).
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
from generate import DEFAULT_DB, EXPORT_SLUG, MAIN_SLUG


def vm(field: str) -> float:
    """A /proc/self/status figure in MB (VmHWM: the peak resident set; VmRSS: now)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------- children (fresh processes)


def child(args) -> dict:
    profiler = None
    if args.profile_to:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
    app = common.make_app(args.db)
    with app.app_context(), app.test_request_context():
        from sqlalchemy import select, update

        from contest.extensions import db
        from contest.models import Contest, Round

        base = vm("VmRSS")
        if args.child == "close":
            result = close_round(args, db, Round, update, profiler)
        else:
            contest_id = db.session.scalar(select(Contest.id).filter_by(slug=args.slug))
            if profiler:
                profiler.start()
            t = time.perf_counter()
            size = export(args.child, contest_id)
            result = {"seconds": time.perf_counter() - t, "bytes": size}
        if profiler:
            profiler.stop()
            Path(args.profile_to).write_text(
                profiler.output_text(unicode=True, color=False, show_all=False)
            )
        result.update(rss_before_mb=base, peak_mb=vm("VmHWM"))
    return result


def close_round(args, db, Round, update, profiler) -> dict:
    from contest.exports.winners_xlsx import winners_workbook
    from contest.services.entries import finalize_round
    from contest.services.prizes import draft_winners
    from contest.timing import utcnow

    rnd = db.session.get(Round, args.round)
    db.session.execute(
        update(Round)
        .where(Round.id == rnd.id)  # measurable again, every run
        .values(finalized_at=None, prediction_truth=None)
    )
    db.session.refresh(rnd)
    if profiler:
        profiler.start()
    times = {}
    t = t0 = time.perf_counter()
    ran = finalize_round(rnd, utcnow())
    times["finalize_s"] = time.perf_counter() - t
    t = time.perf_counter()
    winners = draft_winners(rnd)
    times["draft_winners_s"] = time.perf_counter() - t
    t = time.perf_counter()
    workbook = winners_workbook(rnd)
    times["winners_workbook_s"] = time.perf_counter() - t
    t = time.perf_counter()
    db.session.commit()
    times["commit_s"] = time.perf_counter() - t
    times["total_s"] = time.perf_counter() - t0
    return {
        **times,
        "finalize_ran": ran,
        "winners": len(winners),
        "workbook_bytes": len(workbook),
        "prediction_truth": rnd.prediction_truth,
    }


def explain(args) -> dict:
    """The database's plan for the leaderboard's and the unit ranking's queries (the same
    statements as contest.ranking builds), with timings on PostgreSQL (EXPLAIN ANALYZE)."""
    from contest.extensions import db
    from contest.ranking import ranked_entries, unit_figures_select

    app = common.make_app(args.db)
    plans = {}
    with app.app_context():
        ids = lookup(args.db)
        board = ranked_entries(ids["round"]).limit(50)
        ranking = unit_figures_select([ids["round"]])
        sqlite = db.engine.dialect.name == "sqlite"
        for name, stmt in (("leaderboard_top50", board), ("unit_ranking", ranking)):
            sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
            t = time.perf_counter()
            rows = db.session.execute(db.text(prefix + sql)).all()
            plans[name] = {
                "sql": sql,
                "seconds": time.perf_counter() - t,
                "plan": [" ".join(str(c) for c in r) for r in rows],
            }
        db.session.rollback()
    return plans


def export(kind: str, contest_id: int) -> int:
    from contest.exports.results_xlsx_csv import results_csv, results_xlsx

    if kind == "xlsx":
        out = results_xlsx(contest_id)
        out.seek(0, 2)
        return out.tell()
    return sum(len(chunk.encode()) for chunk in results_csv(contest_id))


def run_child(args, kind: str, **extra) -> dict:
    cmd = [sys.executable, __file__, "--db", args.db, "--child", kind]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    if args.profile:
        name = f"profile-{kind}-{extra.get('slug', 'round')}.txt"
        cmd += ["--profile-to", str(args.out / name)]
    done = subprocess.run(
        cmd, capture_output=True, text=True, cwd=common.ROOT, timeout=1800, check=False
    )
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- HTTP


def timed_gets(port: int, path: str, count: int, warmup: int = 5) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times, statuses = [], {}
    for i in range(warmup + count):
        t = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - t) * 1000
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if i >= warmup:
            times.append(elapsed)
        if response.status != 200:
            print(f"  {path}: {response.status} {body[:200]!r}", flush=True)
    conn.close()
    ordered = sorted(times)

    def pct(p):
        return ordered[min(len(ordered) - 1, max(0, int(p / 100 * len(ordered) + 0.999) - 1))]

    return {
        "path": path,
        "requests": count,
        "statuses": statuses,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": ordered[-1],
        "mean_ms": sum(times) / len(times),
    }


def http_figures(args, ids: dict) -> dict:
    figures = {}
    board = f"/api/v1/rounds/{ids['round']}/leaderboard?limit=50"
    ranking = f"/api/v1/contests/{MAIN_SLUG}/units/ranking?round_id={ids['round']}"
    for label, cache_s in (("cached", None), ("uncached", 0)):
        extra = {} if cache_s is None else {"CONTEST_LEADERBOARD_CACHE_S": cache_s}
        port = common.free_port()
        server = common.start_gunicorn(
            "wsgi:app",
            port,
            common.app_env(args.db, **extra),
            args.out / f"read-gunicorn-{label}.log",
        )
        try:
            common.wait_ready(f"http://127.0.0.1:{port}/api/v1/session", server)
            figures[f"leaderboard_top50_{label}"] = timed_gets(port, board, args.requests)
            print(f"leaderboard {label}: {figures[f'leaderboard_top50_{label}']}", flush=True)
            key = "unit_ranking" if label == "uncached" else "unit_ranking_cached"
            figures[key] = timed_gets(port, ranking, args.ranking_requests, 2)
            print(f"unit ranking {label}: {figures[key]}", flush=True)
        finally:
            common.stop(server)
    return figures


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--ranking-requests", type=int, default=50)
    p.add_argument(
        "--skip", default="", help="comma list of explain,close,http,export to leave out"
    )
    p.add_argument("--profile", action="store_true", help="pyinstrument reports in --out")
    p.add_argument("--child", default="", help=argparse.SUPPRESS)
    p.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--slug", default="", help=argparse.SUPPRESS)
    p.add_argument("--profile-to", default="", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args), default=str))
        return 0

    kind = "sqlite" if common.is_sqlite(args.db) else "postgresql"
    args.out = args.out or Path(f"/tmp/contest-load/read-{kind}")
    args.out.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    ids = lookup(args.db)
    report = {"machine": common.machine(), "db": args.db, "ids": ids}
    if "explain" not in skip:
        report["plans"] = explain(args)
        for name, plan in report["plans"].items():
            print(f"plan of {name}:\n  " + "\n  ".join(plan["plan"]), flush=True)
    if "close" not in skip:
        report["closing"] = run_child(args, "close", round=ids["round"])
        print(f"closing: {report['closing']}", flush=True)
    if "http" not in skip:
        report.update(http_figures(args, ids))
    if "export" not in skip:
        for slug in (EXPORT_SLUG, MAIN_SLUG):
            for fmt in ("xlsx", "csv"):
                key = f"export_{fmt}_{'100k' if slug == EXPORT_SLUG else 'main'}"
                report[key] = run_child(args, fmt, slug=slug)
                report[key]["rows"] = ids["export_rows" if slug == EXPORT_SLUG else "main_rows"]
                print(f"{key}: {report[key]}", flush=True)
    (args.out / "read-side.json").write_text(json.dumps(report, indent=1, default=str))
    print(f"results in {args.out / 'read-side.json'}")
    return 0


def lookup(url: str) -> dict:
    from sqlalchemy import create_engine, text

    from contest.config import normalise_db_url

    engine = create_engine(normalise_db_url(url))
    with engine.connect() as conn:

        def one(sql, **kw):
            return conn.execute(text(sql), kw).scalar()

        main_round = one(
            "SELECT r.id FROM rounds r JOIN contests c ON c.id = r.contest_id WHERE c.slug = :s",
            s=MAIN_SLUG,
        )
        export_round = one(
            "SELECT r.id FROM rounds r JOIN contests c ON c.id = r.contest_id WHERE c.slug = :s",
            s=EXPORT_SLUG,
        )
        ids = {
            "round": main_round,
            "export_round": export_round,
            "attempts": one("SELECT COUNT(*) FROM attempts WHERE round_id = :r", r=main_round),
            "main_rows": one("SELECT COUNT(*) FROM entries WHERE round_id = :r", r=main_round),
            "export_rows": one("SELECT COUNT(*) FROM entries WHERE round_id = :r", r=export_round),
        }
    engine.dispose()
    if not main_round:
        raise SystemExit("no generated round here: run scripts/load/generate.py first")
    return ids


if __name__ == "__main__":
    sys.exit(main())
