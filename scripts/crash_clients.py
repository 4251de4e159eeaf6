"""The simulated participants of scripts/crash_test.py and the worker killer: each participant
registers, starts the open round's attempt, saves its answers (some twice, some replayed late
with an older seq), and submits or abandons it, over a keep-alive connection that reconnects
and retries the way the browser's answer queue does. What they saw is gathered in `Run`."""

import http.client
import json
import os
import random
import signal
import sys
import threading
import time
from collections import Counter

from harness import worker_pids

HOST = "127.0.0.1"
API = "/api/v1"
UNIT_CODE = "CL-PNV"  # a unit of the demo data
PASSWORD = "matkhau-2026"
RETRIES = 5  # a failed request is sent again up to this many times, with backoff
REQUEST_TIMEOUT_S = 30
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
