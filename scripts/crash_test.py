"""Crash test: gunicorn with several workers under simulated participants; one worker is killed
with SIGKILL in the middle; afterwards every acknowledged answer must be in the database and every
attempt submitted or expired with its score.

Run:  .venv/bin/python scripts/crash_test.py          (SQLite in a temporary folder)
      .venv/bin/python scripts/crash_test.py \
          --database-url postgresql://postgres@127.0.0.1:5432/crash
      (PostgreSQL on 127.0.0.1: the script DROPS AND RECREATES that database; it refuses the
      databases of the test suites and other benchmarks, scripts/harness.py)
Options: --participants 200 --threads 32 --abandon 0.2 --kills 1 --timeout 300 --seed N
         --workers 4 --worker-threads 4 --keep (keep the temporary folder: logs, SQLite file)
Exit status: 0 when nothing acknowledged was lost and no attempt was left open; 1 otherwise;
2 when the global timeout cut the run short. Only 127.0.0.1 is ever contacted.
The participants and the killer: crash_clients.py; the checks and the report: crash_report.py;
gunicorn, the database and `flask`: scripts/harness.py (shared with scripts/load/).
Figures and what they showed: docs/crash-test.md.
"""

import argparse
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from urllib.parse import urlsplit

from crash_clients import HOST, Run, find_open_round, killer, participant
from crash_report import app_for, check_database, make_overdue, report, server_log_figures
from harness import (
    database_env,
    flask,
    free_port,
    raised_limits,
    reset_database,
    resettable,
    start_gunicorn,
    stop,
    wait_ready,
    worker_pids,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="postgresql://... on 127.0.0.1 (wiped!); default: SQLite in a temporary folder",
    )
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32, help="simultaneous participants")
    parser.add_argument(
        "--abandon", type=float, default=0.2, help="share of participants who never submit"
    )
    parser.add_argument("--kills", type=int, default=1, help="workers killed with SIGKILL")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-threads", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=300, help="global limit, seconds")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not 1 <= args.participants <= 5000 or not 1 <= args.threads <= 256:
        parser.error("--participants 1..5000, --threads 1..256")
    if not 0 <= args.kills < args.workers * 4 or not 0 <= args.abandon <= 1:
        parser.error("--kills must be 0 or more, --abandon between 0 and 1")
    deadline = time.monotonic() + args.timeout

    def on_sigterm(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background

    tmp = Path(tempfile.mkdtemp(prefix="crash-test-"))
    if args.database_url:
        resettable(args.database_url, mine="crash")  # before anything is started
        db_url, shown = args.database_url, "PostgreSQL " + urlsplit(args.database_url).path[1:]
    else:
        db_url, shown = f"sqlite:///{tmp / 'crash.db'}", f"SQLite {tmp / 'crash.db'}"
    print(f"crash test: {shown}, seed {args.seed}, folder {tmp}", flush=True)
    env = database_env(
        db_url,
        clean=True,
        CONTEST_SECRET_KEY="crash-" + secrets.token_hex(24),
        PYTHONUNBUFFERED=1,
        **raised_limits("LOGIN", "LOGIN_ACCOUNT", "REGISTER", "CHALLENGE_AFTER"),
    )
    server = None
    run = None
    timed_out = False
    ok = False
    try:
        reset_database(db_url, mine="crash")
        flask(env, "demo", timeout=180)
        port = free_port()
        log = tmp / "gunicorn.log"
        server = start_gunicorn(
            "wsgi:app",
            port,
            env,
            log,
            workers=args.workers,
            threads=args.worker_threads,
            options=["--access-logfile", str(log.with_suffix(".access")), "--no-control-socket"],
        )
        wait_ready(
            f"http://{HOST}:{port}/api/v1/session",
            server,
            min(60, deadline - time.monotonic()),
            workers=args.workers,
        )
        run = Run(args, port, find_open_round(port))
        print(
            f"  gunicorn master {server.pid} on {HOST}:{port}, workers {worker_pids(server.pid)}",
            flush=True,
        )
        kill_thread = threading.Thread(target=killer, args=(run, server.pid), daemon=True)
        kill_thread.start()
        began = time.monotonic()
        pool = ThreadPoolExecutor(max_workers=args.threads)
        try:
            futures = [pool.submit(participant, run, i) for i in range(args.participants)]
            _done, pending = wait(futures, timeout=max(0, deadline - time.monotonic()))
            if pending:
                timed_out = True
                print("TIMEOUT: stopping the participants", file=sys.stderr, flush=True)
        finally:  # all done, timed out or Ctrl-C: the threads stop at their next request
            run.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
        kill_thread.join(timeout=35)
        load_s = time.monotonic() - began
        status = stop(server)
        print(f"  load done in {load_s:.1f} s; gunicorn stopped (status {status})", flush=True)
        app = app_for(db_url)
        made_overdue = make_overdue(app)
        swept = flask(env, "close-expired", timeout=180)
        figures = check_database(app, run)
        logs = server_log_figures(log)
        print()
        ok = report(
            run,
            figures,
            logs,
            {
                "database": shown,
                "made_overdue": made_overdue,
                "close_expired": swept,
                "load_s": load_s,
            },
        )
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        if run is not None:
            run.stop.set()
        return 130
    finally:
        stop(server)
        if args.keep or not ok:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if timed_out:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
