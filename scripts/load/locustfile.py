"""Locust users for the contest's JSON API (/api/v1), bearer tokens, headless.

Run by scripts/load/run.py, one user class per phase (`locust -f locustfile.py QuizUser ...`);
configured by environment variables:

  LOAD_HOST_ROUND   round id the participants take
  LOAD_TOKENS       file of bearer tokens, one per line; each participant is used once
  LOAD_OUT          where this process writes its raw results (JSON) when the test stops
  LOAD_THINK_MIN, LOAD_THINK_MAX   think time before each answer, seconds (QuizUser)
  LOAD_QUESTIONS    answers per attempt (default 20)

Users:
  QuizUser     start, answer every question with think time, submit, look at the leaderboard,
               then the next participant (a fresh token) does the same
  StormUser    start the round once, then wait: the start storm
  SaveUser     saturation: one attempt, its answers saved again and again, no think time
  StartUser    saturation: start attempts for fresh participants, no think time
  BoardUser    saturation: GET the leaderboard, no think time
  HelloUser    saturation: GET /hello of scripts/load/hello_app.py, the yardstick

Every request is recorded (time, name, milliseconds, status, ok) for exact percentiles, and
every acknowledged answer save (HTTP 200 whose saved_seq is the seq sent) is logged, so that
run.py can check each one against the database at the end.
"""
import json
import os
import random
import time
from collections import deque

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

ROUND = int(os.environ.get("LOAD_HOST_ROUND", "0"))
THINK = (float(os.environ.get("LOAD_THINK_MIN", "1")), float(os.environ.get("LOAD_THINK_MAX",
                                                                            "3")))
QUESTIONS = int(os.environ.get("LOAD_QUESTIONS", "20"))
OUT = os.environ.get("LOAD_OUT", "/tmp/contest-load/locust-out.json")

TOKENS: deque = deque()
if os.environ.get("LOAD_TOKENS"):
    with open(os.environ["LOAD_TOKENS"]) as f:
        TOKENS.extend(line.strip() for line in f if line.strip())

SAMPLES: list = []  # (start time, name, ms, status, ok)
ACKS: list = []  # (attempt_id, question_id, seq, choices)
COMPLETED: list = []  # (time, attempt_id, score)
STARTS: dict = {"ok": 0, "created": 0, "resumed": 0, "failed": 0, "attempts": set(),
                "by_status": {}}
RUN = {"tokens_left_at_start": len(TOKENS), "started": time.time()}

START = "POST /rounds/[id]/attempts"
SAVE = "PUT /attempts/[id]/answers/[qid]"
SUBMIT = "POST /attempts/[id]/submit"
BOARD = "GET /rounds/[id]/leaderboard?limit=50"


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None,
            exception=None, start_time=None, **_kw):
    status = getattr(response, "status_code", 0) if response is not None else 0
    SAMPLES.append((start_time or time.time(), name, response_time, status, exception is None))


@events.test_stop.add_listener
def _dump(**_kw):
    data = {"samples": SAMPLES, "acks": ACKS, "completed": COMPLETED,
            "starts": {**STARTS, "attempts": len(STARTS["attempts"])},
            "run": {**RUN, "stopped": time.time(), "tokens_left": len(TOKENS)}}
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f)
    os.replace(tmp, OUT)


def take_token() -> str:
    if not TOKENS:
        raise StopUser()  # no participant left: this user is done
    return TOKENS.popleft()


class Participant(FastHttpUser):
    abstract = True
    network_timeout = 60.0
    connection_timeout = 60.0

    def bearer(self, token: str) -> dict:
        return {"Authorization": f"Bearer {token}"}

    def start_attempt(self, headers: dict):
        """The attempt JSON, or None (the failure is recorded)."""
        with self.client.post(f"/api/v1/rounds/{ROUND}/attempts", headers=headers, name=START,
                              catch_response=True) as resp:
            code = resp.status_code
            STARTS["by_status"][str(code)] = STARTS["by_status"].get(str(code), 0) + 1
            if code in (200, 201):
                attempt = resp.json()
                STARTS["ok"] += 1
                STARTS["created" if code == 201 else "resumed"] += 1
                STARTS["attempts"].add(attempt["id"])
                resp.success()
                return attempt
            STARTS["failed"] += 1
            resp.failure(f"start answered {code}")
            return None

    def save(self, headers: dict, attempt_id: int, question: dict, seq: int | None = None,
             log: bool = True) -> bool:
        choice = [random.choice(question["choices"])["id"]]
        seq = seq if seq is not None else time.time_ns() // 1_000_000
        with self.client.put(f"/api/v1/attempts/{attempt_id}/answers/{question['id']}",
                             json={"choices": choice, "seq": seq}, headers=headers, name=SAVE,
                             catch_response=True) as resp:
            if resp.status_code == 200 and resp.json().get("saved_seq") == seq:
                if log:
                    ACKS.append((attempt_id, question["id"], seq, choice))
                resp.success()
                return True
            resp.failure(f"save answered {resp.status_code}")
            return False


class QuizUser(Participant):
    """The participant's whole visit: start, 20 answers with think time, submit, leaderboard."""
    wait_time = constant(0)

    @task
    def take_part(self):
        headers = self.bearer(take_token())
        attempt = self.start_attempt(headers)
        if attempt is None:
            gevent.sleep(random.uniform(*THINK))
            return
        for question in attempt["questions"][:QUESTIONS]:
            gevent.sleep(random.uniform(*THINK))
            self.save(headers, attempt["id"], question)
        gevent.sleep(random.uniform(*THINK))
        with self.client.post(f"/api/v1/attempts/{attempt['id']}/submit",
                              json={"prediction": random.randrange(0, 500)}, headers=headers,
                              name=SUBMIT, catch_response=True) as resp:
            if resp.status_code == 200 and resp.json().get("status") == "submitted":
                COMPLETED.append((time.time(), attempt["id"], resp.json().get("score")))
                resp.success()
            else:
                resp.failure(f"submit answered {resp.status_code}")
        self.client.get(f"/api/v1/rounds/{ROUND}/leaderboard?limit=50", headers=headers,
                        name=BOARD)
        gevent.sleep(random.uniform(*THINK))


class StormUser(Participant):
    """Start the round once, then stay (the attempt page open) until the run ends."""
    wait_time = constant(3600)

    @task
    def start_once(self):
        self.start_attempt(self.bearer(take_token()))


class SaveUser(Participant):
    """Saturation of answer saves: one attempt per user, its questions saved round and round
    with a rising seq and no think time. Acks are logged and checked like the others."""
    wait_time = constant(0)

    def on_start(self):
        self.headers = self.bearer(take_token())
        self.attempt = self.start_attempt(self.headers)
        self.turn = 0

    @task
    def save_next(self):
        if self.attempt is None:
            raise StopUser()
        questions = self.attempt["questions"]
        self.save(self.headers, self.attempt["id"], questions[self.turn % len(questions)],
                  seq=time.time_ns() // 1000)  # microseconds: strictly rising per user
        self.turn += 1


class StartUser(Participant):
    wait_time = constant(0)

    @task
    def start_fresh(self):
        self.start_attempt(self.bearer(take_token()))


class BoardUser(Participant):
    wait_time = constant(0)

    @task
    def board(self):
        self.client.get(f"/api/v1/rounds/{ROUND}/leaderboard?limit=50", name=BOARD)


class HelloUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def hello(self):
        self.client.get("/hello", name="GET /hello (hello-world)")
