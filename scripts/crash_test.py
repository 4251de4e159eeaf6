"""Crash test: gunicorn with several workers under simulated participants; one worker is killed
with SIGKILL in the middle; afterwards every acknowledged answer must be in the database and every
attempt submitted or expired with its score.

Run:  .venv/bin/python scripts/crash_test.py          (SQLite in a temporary folder)
      .venv/bin/python scripts/crash_test.py \
          --database-url postgresql://postgres@127.0.0.1:5432/crash
      (PostgreSQL: the script DROPS AND RECREATES the schema public of that database)
Options: --participants 200 --threads 32 --abandon 0.2 --kills 1 --timeout 300 --seed N
         --workers 4 --worker-threads 4 --keep (keep the temporary folder: logs, SQLite file)
Exit status: 0 when nothing acknowledged was lost and no attempt was left open; 1 otherwise;
2 when the global timeout cut the run short. Only 127.0.0.1 is ever contacted.
Figures and what they showed: docs/crash-test.md.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
API = "/api/v1"
UNIT_CODE = "CL-PNV"  # a unit of the demo data
PASSWORD = "matkhau-2026"
RETRIES = 5  # a failed request is sent again up to this many times, with backoff
REQUEST_TIMEOUT_S = 30
PROTECTED_DATABASES = {"test", "test_main", "postgres", "template0", "template1"}
KILL_WINDOW_S = 10  # connection errors this soon after a kill are counted as caused by it


class GaveUp(Exception):
    """A request failed RETRIES + 1 times: the participant stops there (counted, not lost)."""


class Stopped(Exception):
    """The run is being stopped (global timeout or Ctrl-C)."""


class Run:
    """What the simulated clients saw, shared by every thread."""

    def __init__(self, args, port: int, round_id: int):
        self.args, self.port, self.round_id = args, port, round_id
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.started_cond = threading.Condition(self.lock)
        self.started = 0  # participants whose attempt has been started
        self.requests = Counter()  # kind -> requests answered (any status)
        self.http_errors = Counter()  # (kind, status) -> count, every non-2xx answer
        self.conn_errors = []  # (monotonic time, kind, exception class)
        self.gave_up = Counter()  # kind -> participants who stopped after RETRIES retries
        self.recovered = Counter()  # tries a request needed when it succeeded only on a retry
        # Requests acknowledged only after a dropped connection: (kind, attempt id, question id,
        # seq, wall time of the drop). The database tells whether the first try had committed.
        self.retried = []
        self.acks = []  # (attempt_id, question_id, choices, seq sent, saved_seq answered)
        self.attempts = set()  # attempt ids the clients were given
        self.abandoned = set()  # attempt ids left without a submit on purpose
        self.submitted = {}  # attempt id -> (score, max_score) of the acknowledged submit
        self.register_recovered = 0  # a register whose answer was lost, completed by a login
        self.stale_replays = Counter()  # "ok" or "wrong": a lower seq answered the stored one
        self.kills = []  # (monotonic time, pid, seconds until the master replaced it)
        self.participants_done = 0

    def note_started(self, attempt_id: int) -> None:
        with self.started_cond:
            if attempt_id not in self.attempts:
                self.attempts.add(attempt_id)
                self.started += 1
                self.started_cond.notify_all()


class Client:
    """One participant's HTTP/1.1 keep-alive connection, reconnecting and retrying the way the
    browser's answer queue does: on a dropped connection, a 5xx or a 429."""

    def __init__(self, run: Run, rng: random.Random):
        self.run, self.rng = run, rng
        self.conn = None
        self.token = None
        self.had_conn_error = False
        self.failed_at = None  # wall-clock time of the first dropped connection of the last call

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, method: str, path: str, body=None, kind: str = "") -> tuple[int, dict]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.failed_at = None
        for attempt in range(RETRIES + 1):
            if self.run.stop.is_set():
                raise Stopped()
            if attempt:
                time.sleep(0.25 * 2 ** (attempt - 1) * (1 + self.rng.random() / 2))
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(
                        HOST, self.run.port, timeout=REQUEST_TIMEOUT_S
                    )
                self.conn.request(method, API + path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                self.had_conn_error = True
                self.failed_at = self.failed_at or time.time()
                with self.run.lock:
                    self.run.conn_errors.append((time.monotonic(), kind, type(exc).__name__))
                continue
            with self.run.lock:
                self.run.requests[kind] += 1
                if status >= 300:
                    self.run.http_errors[(kind, status)] += 1
            if status >= 500 or status == 429:
                continue
            if attempt:
                with self.run.lock:
                    self.run.recovered[attempt + 1] += 1
            try:
                payload = json.loads(raw) if raw else {}
            except ValueError:
                payload = {"unparsed": raw[:200].decode("utf-8", "replace")}
            return status, payload
        with self.run.lock:
            self.run.gave_up[kind] += 1
        raise GaveUp(f"{method} {path}")


def participant(run: Run, index: int) -> None:
    rng = random.Random(run.args.seed * 1_000_003 + index)
    client = Client(run, rng)
    try:
        _take_part(run, client, rng, index)
    except (GaveUp, Stopped):
        pass
    finally:
        client.close()
        with run.lock:
            run.participants_done += 1


def _think(rng: random.Random, low: float = 0.02, high: float = 0.25) -> None:
    time.sleep(rng.uniform(low, high))


def _take_part(run: Run, client: Client, rng: random.Random, index: int) -> None:
    phone = f"03{index:08d}"
    person = {
        "full_name": f"Thí sinh Thử Nghiệm {index:04d}",
        "phone": phone,
        "password": PASSWORD,
        "unit_code": UNIT_CODE,
    }
    status, body = client.call("POST", "/register", person, kind="register")
    if status == 409 and client.had_conn_error:
        # The first try was committed but its answer was lost with the worker: log in instead.
        status, body = client.call(
            "POST", "/login", {"login": phone, "password": PASSWORD}, kind="login"
        )
        if status == 200:
            with run.lock:
                run.register_recovered += 1
    if status not in (200, 201):
        return
    client.token = body["token"]
    _think(rng)
    client.call("GET", "/contests", kind="contests")
    status, attempt = client.call("POST", f"/rounds/{run.round_id}/attempts", kind="start")
    if status not in (200, 201):
        return
    attempt_id = attempt["id"]
    run.note_started(attempt_id)
    if client.failed_at:
        with run.lock:
            run.retried.append(("start", attempt_id, None, None, client.failed_at))
    abandon = rng.random() < run.args.abandon
    questions = attempt["questions"]
    if abandon:  # answers some of the questions, then closes the tab
        questions = questions[: rng.randint(0, len(questions) - 1)]
    last_seq = 0

    def next_seq() -> int:  # a millisecond clock reading that only grows, like the browser's
        nonlocal last_seq
        last_seq = max(last_seq + 1, int(time.time() * 1000))
        return last_seq

    def save(question: dict, choices: list[int], seq: int) -> int | None:
        status, body = client.call(
            "PUT",
            f"/attempts/{attempt_id}/answers/{question['id']}",
            {"choices": choices, "seq": seq},
            kind="save",
        )
        if status == 200 and isinstance(body.get("saved_seq"), int):
            with run.lock:
                run.acks.append(
                    (attempt_id, question["id"], sorted(set(choices)), seq, body["saved_seq"])
                )
                if client.failed_at:
                    run.retried.append(("save", attempt_id, question["id"], seq, client.failed_at))
            return body["saved_seq"]
        return None

    def pick(question: dict) -> list[int]:
        ids = [c["id"] for c in question["choices"]]
        if question.get("multiple") and len(ids) > 1:
            return sorted(rng.sample(ids, rng.randint(1, 2)))
        return [rng.choice(ids)]

    first = {}
    for question in questions:
        _think(rng)
        choices, seq = pick(question), next_seq()
        save(question, choices, seq)
        first[question["id"]] = (question, choices, seq)
    if first and rng.random() < 0.3:  # changes their mind on a few questions
        for question, old_choices, old_seq in rng.sample(list(first.values()), min(3, len(first))):
            _think(rng)
            newer = save(question, pick(question), next_seq())
            if newer is not None and rng.random() < 0.5:
                # An old save arriving late (another tab): the stored, higher seq must win.
                saved = save(question, old_choices, old_seq)
                if saved is not None:
                    with run.lock:
                        run.stale_replays["ok" if saved >= newer else "wrong"] += 1
    if abandon:
        with run.lock:
            run.abandoned.add(attempt_id)
        return
    _think(rng, 0.05, 0.4)
    status, body = client.call(
        "POST",
        f"/attempts/{attempt_id}/submit",
        {"prediction": rng.randint(0, run.args.participants)},
        kind="submit",
    )
    if status == 200 and body.get("status") == "submitted":
        with run.lock:
            run.submitted[attempt_id] = (body.get("score"), body.get("max_score"))
            if client.failed_at:
                run.retried.append(("submit", attempt_id, None, None, client.failed_at))


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(db_url: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CONTEST_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "CONTEST_SECRET_KEY": "crash-" + secrets.token_hex(24),
            "CONTEST_RATE_LIMIT_LOGIN": "100000 per minute",
            "CONTEST_RATE_LIMIT_LOGIN_ACCOUNT": "100000 per minute",
            "CONTEST_RATE_LIMIT_REGISTER": "100000 per minute",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if db_url.startswith("sqlite"):
        env["CONTEST_SQLALCHEMY_DATABASE_URI"] = db_url
    else:
        env["DATABASE_URL"] = db_url
    return env


def check_postgres_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        sys.exit(f"--database-url must be postgresql://...: {url}")
    if parts.hostname not in (HOST, "localhost"):
        sys.exit("--database-url must point at 127.0.0.1: the script wipes that database")
    name = parts.path.lstrip("/")
    if not name or name in PROTECTED_DATABASES:
        sys.exit(f"refusing to wipe the database {name!r}: create one for this, e.g. crash")


def wipe_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def flask_cli(env: dict, *command: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def start_gunicorn(args, env: dict, port: int, log: Path) -> subprocess.Popen:
    """The production settings (gunicorn.conf.py: gthread, timeouts, preload) with the worker
    and thread counts of the test. Its own session: Ctrl-C reaches only this script."""
    command = [
        str(BIN / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--workers",
        str(args.workers),
        "--threads",
        str(args.worker_threads),
        "--bind",
        f"{HOST}:{port}",
        "--access-logfile",
        str(log.with_suffix(".access")),
        "--error-logfile",
        str(log),
        "--no-control-socket",
        "wsgi:app",
    ]
    with open(log.with_suffix(".out"), "wb") as out:  # the child keeps its own descriptor
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_ready(server: subprocess.Popen, port: int, workers: int, deadline: float) -> None:
    """Until /api/v1/session answers 200 and every worker has booted."""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited at start (status {server.returncode})")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", API + "/session")
            answered = conn.getresponse().status == 200
            conn.close()
            if answered and len(worker_pids(server.pid)) >= workers:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer /api/v1/session in time")


def stop_gunicorn(server: subprocess.Popen | None) -> int | None:
    """SIGTERM to the master (graceful), SIGKILL to its process group if it lingers."""
    if server is None:
        return None
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    try:  # any worker left behind (there should be none)
        os.killpg(server.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return server.returncode


def worker_pids(master: int) -> list[int]:
    pids = []
    for children in Path(f"/proc/{master}/task").glob("*/children"):
        try:
            pids += [int(p) for p in children.read_text().split()]
        except OSError:
            continue
    if not pids:  # kernels without the children file
        found = subprocess.run(
            ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
        )
        pids = [int(p) for p in found.stdout.split()]
    return sorted(set(pids))


def killer(run: Run, master: int) -> None:
    """At evenly spaced points of the run (the middle for one kill), SIGKILL one worker, and
    time how long the master takes to boot its replacement."""
    rng = random.Random(run.args.seed)
    n, kills = run.args.participants, run.args.kills
    for k in range(kills):
        threshold = max(1, n * (k + 1) // (kills + 1))
        with run.started_cond:
            while run.started < threshold and not run.stop.is_set() and run.participants_done < n:
                run.started_cond.wait(0.2)
        if run.stop.is_set() or run.participants_done >= n:
            return
        before = worker_pids(master)
        if not before:
            print("no worker found to kill", file=sys.stderr)
            return
        victim = rng.choice(before)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        print(f"  SIGKILL worker {victim} at {run.started} attempts started", flush=True)
        replaced = None
        while time.monotonic() - killed_at < 30 and not run.stop.is_set():
            if set(worker_pids(master)) - set(before):
                replaced = time.monotonic() - killed_at
                break
            time.sleep(0.02)
        with run.lock:
            run.kills.append((killed_at, victim, replaced))


def find_open_round(port: int) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", API + "/contests")
    contests = json.loads(conn.getresponse().read())
    conn.close()
    for contest in contests:
        for rnd in contest["rounds"]:
            if rnd["status"] == "open":
                return rnd["id"]
    sys.exit("the demo has no open round")


# --- after the load -------------------------------------------------------------------------


def app_for(db_url: str):
    sys.path.insert(0, str(ROOT))
    from contest import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": db_url, "RATELIMIT_ENABLED": False})


def make_overdue(app) -> int:
    """Stand-in for waiting out the 15 minutes: move the start and deadline of every attempt
    still in progress one hour back (only these two columns; nothing else is touched)."""
    from sqlalchemy import select, update

    from contest.extensions import db
    from contest.models import IN_PROGRESS, Attempt

    with app.app_context():
        rows = db.session.execute(
            select(Attempt.id, Attempt.started_at, Attempt.deadline).where(
                Attempt.status == IN_PROGRESS
            )
        ).all()
        for attempt_id, started_at, deadline in rows:
            db.session.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id)
                .values(
                    started_at=started_at - timedelta(hours=1),
                    deadline=deadline - timedelta(hours=1),
                )
            )
        db.session.commit()
    return len(rows)


def check_database(app, run: Run) -> dict:
    from sqlalchemy import select

    from contest.extensions import db
    from contest.models import Answer, Attempt, Entry
    from contest.scoring import score
    from contest.services.attempts import scored_items

    with app.app_context():
        rows = db.session.execute(
            select(
                Answer.attempt_id, Answer.question_id, Answer.seq, Answer.choices, Answer.saved_at
            )
        ).all()
        attempts = db.session.execute(
            select(
                Attempt.id,
                Attempt.status,
                Attempt.score,
                Attempt.max_score,
                Attempt.started_at,
                Attempt.submitted_at,
            )
        ).all()
        rescored = {a.id: score(scored_items(a.id)) for a in attempts}
        entries = {
            attempt_id: (s, voided)
            for attempt_id, s, voided in db.session.execute(
                select(Entry.attempt_id, Entry.score, Entry.voided)
            )
        }
    stored = {(a, q): (seq, sorted(choices)) for a, q, seq, choices, _at in rows}
    saved_at = {(a, q): (seq, at) for a, q, seq, _choices, at in rows}
    found = lost = 0
    lost_examples = []
    newest = {}  # (attempt, question) -> (seq, choices) of the newest save stored as sent
    for attempt_id, question_id, choices, seq, saved_seq in run.acks:
        db_seq = stored.get((attempt_id, question_id), (None, None))[0]
        if db_seq is not None and db_seq >= saved_seq:
            found += 1
        else:
            lost += 1
            lost_examples.append((attempt_id, question_id, saved_seq, db_seq))
        if saved_seq == seq and newest.get((attempt_id, question_id), (0,))[0] < seq:
            newest[(attempt_id, question_id)] = (seq, choices)
    exact = sum(1 for key, want in newest.items() if stored.get(key) == want)
    superseded = sum(
        1 for key, (seq, _c) in newest.items() if key in stored and stored[key][0] > seq
    )
    statuses = Counter(a.status for a in attempts)
    by_id = {a.id: a for a in attempts}
    retried = Counter()  # (kind, "committed before the drop" | "done by the retry" | "unknown")
    for kind, attempt_id, question_id, seq, failed_at in run.retried:
        if kind == "save":
            stored_seq, at = saved_at.get((attempt_id, question_id), (None, None))
            at = at if stored_seq == seq else None  # a later save replaced it: cannot tell
        else:
            row = by_id.get(attempt_id)
            at = row and (row.started_at if kind == "start" else row.submitted_at)
        if at is None:
            retried[(kind, "unknown")] += 1
        else:
            first = at.replace(tzinfo=UTC).timestamp() <= failed_at
            retried[(kind, "committed before the drop" if first else "done by the retry")] += 1
    return {
        "acks": len(run.acks),
        "acks_found": found,
        "acks_lost": lost,
        "lost_examples": lost_examples[:10],
        "answers_checked": len(newest),
        "answers_exact": exact,
        "answers_superseded": superseded,
        "answers_wrong": len(newest) - exact - superseded,
        "answers_in_db": len(stored),
        "attempts_in_db": len(attempts),
        "attempts_unknown_to_clients": len({a.id for a in attempts} - run.attempts),
        "submitted": statuses["submitted"],
        "expired": statuses["expired"],
        "in_progress": statuses["in_progress"],
        "without_score": sum(
            1
            for a in attempts
            if a.status != "in_progress" and (a.score is None or a.max_score is None)
        ),
        "score_mismatch": sum(
            1
            for a in attempts
            if a.status != "in_progress" and (a.score, a.max_score) != rescored[a.id]
        ),
        "submits_acked": len(run.submitted),
        "submits_not_submitted": sum(
            1 for i in run.submitted if by_id.get(i) is None or by_id[i].status != "submitted"
        ),
        "submits_score_changed": sum(
            1
            for i, s in run.submitted.items()
            if i in by_id and (by_id[i].score, by_id[i].max_score) != s
        ),
        "abandoned_expired": sum(
            1 for i in run.abandoned if i in by_id and by_id[i].status == "expired"
        ),
        "retried": {f"{kind}: {what}": n for (kind, what), n in sorted(retried.items())},
        "without_entry": sum(
            1
            for a in attempts
            if a.status != "in_progress" and (a.id not in entries or entries[a.id][0] != a.score)
        ),
    }


def server_log_figures(log: Path) -> dict:
    access = log.with_suffix(".access")
    statuses = Counter()
    if access.exists():
        for line in access.read_text(errors="replace").splitlines():
            match = re.search(r'" (\d{3}) ', line)
            if match:
                statuses[match.group(1)] += 1
    text = log.read_text(errors="replace") if log.exists() else ""
    return {
        "server_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "server_requests": sum(statuses.values()),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "booted": len(re.findall(r"Booting worker with pid", text)),
        "sigkill_noticed": len(re.findall(r"was sent SIGKILL", text)),
    }


# --- the report -----------------------------------------------------------------------------


def report(run: Run, db: dict, logs: dict, extra: dict) -> bool:
    kill_times = [t for t, _pid, _r in run.kills]
    near_kill = sum(
        1 for t, _k, _e in run.conn_errors if any(0 <= t - k <= KILL_WINDOW_S for k in kill_times)
    )
    errors_by_kind = Counter(kind for _t, kind, _e in run.conn_errors)
    errors_by_class = Counter(cls for _t, _k, cls in run.conn_errors)
    lines = [
        ("database", extra["database"]),
        (
            "gunicorn",
            (
                f"{run.args.workers} workers x {run.args.worker_threads} threads, "
                f"{run.args.threads} client threads"
            ),
        ),
        ("participants", run.args.participants),
        ("participants who ran (to the end, or until stopped)", run.participants_done),
        ("attempts started", len(run.attempts)),
        ("  abandoned on purpose (no submit)", len(run.abandoned)),
        ("requests answered (by kind)", dict(sorted(run.requests.items()))),
        ("acknowledged saves", db["acks"]),
        ("  found in the database (same or higher seq)", db["acks_found"]),
        ("  LOST", db["acks_lost"]),
        ("final answers checked (newest ack per question)", db["answers_checked"]),
        ("  stored exactly (seq and choices)", db["answers_exact"]),
        ("  superseded by a later unacknowledged save", db["answers_superseded"]),
        ("  wrong", db["answers_wrong"]),
        ("stale replays answered with the stored seq", dict(run.stale_replays)),
        ("in progress before the sweep (made overdue)", extra["made_overdue"]),
        ("close-expired", extra["close_expired"].strip()),
        ("attempts in the database", db["attempts_in_db"]),
        ("  submitted", db["submitted"]),
        ("  expired", db["expired"]),
        ("  still in progress", db["in_progress"]),
        ("  finished without a score", db["without_score"]),
        ("  score differs from a rescoring of the stored answers", db["score_mismatch"]),
        ("  finished without a matching entry", db["without_entry"]),
        ("  unknown to the clients", db["attempts_unknown_to_clients"]),
        ("acknowledged submits", db["submits_acked"]),
        ("  not submitted in the database", db["submits_not_submitted"]),
        ("  score changed since acknowledged", db["submits_score_changed"]),
        ("abandoned attempts now expired", db["abandoned_expired"]),
        (
            "HTTP errors seen by clients (kind, status)",
            {f"{k} {s}": n for (k, s), n in sorted(run.http_errors.items())} or 0,
        ),
        ("connection errors (retried)", len(run.conn_errors)),
        (f"  within {KILL_WINDOW_S} s after a kill", near_kill),
        ("  by request kind", dict(errors_by_kind) or 0),
        ("  by exception", dict(errors_by_class) or 0),
        ("requests answered on a retry (by try number)", dict(sorted(run.recovered.items())) or 0),
        ("  acknowledged after a drop: had the first try committed?", db["retried"] or 0),
        ("register answered 409 after a lost answer, logged in", run.register_recovered),
        ("participants who gave up after retries", dict(run.gave_up) or 0),
        ("worker kills (SIGKILL)", len(run.kills)),
        *[
            (
                f"  kill {i + 1}: pid {pid}",
                "replaced after " + (f"{r:.2f} s" if r is not None else "NOT replaced"),
            )
            for i, (_t, pid, r) in enumerate(run.kills)
        ],
        (
            "gunicorn log: workers booted / SIGKILL noticed",
            f"{logs['booted']} / {logs['sigkill_noticed']}",
        ),
        ("server access log: requests / 5xx", f"{logs['server_requests']} / {logs['server_5xx']}"),
        ("server tracebacks", logs["tracebacks"]),
        ("load phase", f"{extra['load_s']:.1f} s"),
    ]
    width = max(len(label) for label, _v in lines)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}")
    problems = []
    if db["acks_lost"]:
        problems.append(f"{db['acks_lost']} acknowledged saves lost: {db['lost_examples']}")
    if db["answers_wrong"]:
        problems.append(f"{db['answers_wrong']} stored answers differ from the acknowledged ones")
    if db["in_progress"]:
        problems.append(f"{db['in_progress']} attempts still in progress")
    for key, what in (
        ("without_score", "finished without a score"),
        ("score_mismatch", "scores differ from a rescoring"),
        ("without_entry", "finished attempts without their entry"),
        ("submits_not_submitted", "acknowledged submits not submitted"),
        ("submits_score_changed", "acknowledged scores changed"),
    ):
        if db[key]:
            problems.append(f"{db[key]} {what}")
    if run.stale_replays["wrong"]:
        problems.append(f"{run.stale_replays['wrong']} stale saves overwrote a newer one")
    if logs["server_5xx"] or any(s >= 500 for _k, s in run.http_errors):
        problems.append("the server answered 5xx (an application error)")
    if len(run.kills) < run.args.kills:
        problems.append(f"only {len(run.kills)} of {run.args.kills} kills happened")
    print()
    if problems:
        print("FAIL:\n  " + "\n  ".join(problems))
    else:
        print(
            "PASS: every acknowledged answer is in the database; every attempt is submitted "
            "or expired with its score."
        )
    return not problems


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
        check_postgres_url(args.database_url)
        db_url, shown = args.database_url, "PostgreSQL " + urlsplit(args.database_url).path[1:]
    else:
        db_url, shown = f"sqlite:///{tmp / 'crash.db'}", f"SQLite {tmp / 'crash.db'}"
    print(f"crash test: {shown}, seed {args.seed}, folder {tmp}", flush=True)
    env = server_env(db_url)
    server = None
    run = None
    timed_out = False
    ok = False
    try:
        if args.database_url:
            wipe_postgres(db_url)
        flask_cli(env, "db", "upgrade")
        flask_cli(env, "demo")
        port = free_port()
        log = tmp / "gunicorn.log"
        server = start_gunicorn(args, env, port, log)
        wait_ready(server, port, args.workers, min(deadline, time.monotonic() + 60))
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
        status = stop_gunicorn(server)
        print(f"  load done in {load_s:.1f} s; gunicorn stopped (status {status})", flush=True)
        app = app_for(db_url)
        made_overdue = make_overdue(app)
        swept = flask_cli(env, "close-expired")
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
        stop_gunicorn(server)
        if args.keep or not ok:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if timed_out:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
