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
  PageQuizUser the participant's real path through the pages, with the calls the attempt
               page's own script makes: home, contest page, the start form, the attempt page,
               each answer saved by PUT with the page's cookie and X-CSRFToken, the submit
               form carrying the answers on screen, the result page, the round's board page
  PageStormUser the same path up to the attempt page, once, then stay: the start storm

The page users take signed session cookies from LOAD_COOKIES (one per line, made by run.py as
the login form would leave them: Flask-Login's session), and LOAD_SLUG names the contest.
Static files are not fetched: nginx serves them in production (docs/deploy.md), and a phone
keeps them in its cache after the first page.

Every request is recorded (time, name, milliseconds, status, ok) for exact percentiles, and
every acknowledged answer save (HTTP 200 whose saved_seq is the seq sent) is logged, so that
run.py can check each one against the database at the end.
"""

import json
import os
import random
import re
import time
from collections import deque
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, HttpUser, constant, events, task
from locust.exception import StopUser

ROUND = int(os.environ.get("LOAD_HOST_ROUND", "0"))
THINK = (float(os.environ.get("LOAD_THINK_MIN", "1")), float(os.environ.get("LOAD_THINK_MAX", "3")))
QUESTIONS = int(os.environ.get("LOAD_QUESTIONS", "20"))
OUT = os.environ.get("LOAD_OUT", "/tmp/contest-load/locust-out.json")

SLUG = os.environ.get("LOAD_SLUG", "")
COOKIES: deque = deque()
if os.environ.get("LOAD_COOKIES"):
    with open(os.environ["LOAD_COOKIES"]) as f:
        COOKIES.extend(line.strip() for line in f if line.strip())
TOKENS: deque = deque()
if os.environ.get("LOAD_TOKENS"):
    with open(os.environ["LOAD_TOKENS"]) as f:
        TOKENS.extend(line.strip() for line in f if line.strip())

SAMPLES: list = []  # (start time, name, ms, status, ok)
ACKS: list = []  # (attempt_id, question_id, seq, choices)
COMPLETED: list = []  # (time, attempt_id, score)
STARTS: dict = {
    "ok": 0,
    "created": 0,
    "resumed": 0,
    "failed": 0,
    "attempts": set(),
    "by_status": {},
}
RUN = {"tokens_left_at_start": len(TOKENS), "started": time.time()}

START = "POST /rounds/[id]/attempts"
SAVE = "PUT /attempts/[id]/answers/[qid]"
SUBMIT = "POST /attempts/[id]/submit"
BOARD = "GET /rounds/[id]/leaderboard?limit=50"


@events.request.add_listener
def _record(
    request_type,
    name,
    response_time,
    response_length,
    response=None,
    exception=None,
    start_time=None,
    **_kw,
):
    status = getattr(response, "status_code", 0) if response is not None else 0
    SAMPLES.append((start_time or time.time(), name, response_time, status, exception is None))


@events.test_stop.add_listener
def _dump(**_kw):
    data = {
        "samples": SAMPLES,
        "acks": ACKS,
        "completed": COMPLETED,
        "starts": {**STARTS, "attempts": len(STARTS["attempts"])},
        "run": {**RUN, "stopped": time.time(), "tokens_left": len(TOKENS)},
    }
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
        with self.client.post(
            f"/api/v1/rounds/{ROUND}/attempts", headers=headers, name=START, catch_response=True
        ) as resp:
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

    def save(
        self,
        headers: dict,
        attempt_id: int,
        question: dict,
        seq: int | None = None,
        log: bool = True,
    ) -> bool:
        choice = [random.choice(question["choices"])["id"]]
        seq = seq if seq is not None else time.time_ns() // 1_000_000
        with self.client.put(
            f"/api/v1/attempts/{attempt_id}/answers/{question['id']}",
            json={"choices": choice, "seq": seq},
            headers=headers,
            name=SAVE,
            catch_response=True,
        ) as resp:
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
        with self.client.post(
            f"/api/v1/attempts/{attempt['id']}/submit",
            json={"prediction": random.randrange(0, 500)},
            headers=headers,
            name=SUBMIT,
            catch_response=True,
        ) as resp:
            if resp.status_code == 200 and resp.json().get("status") == "submitted":
                COMPLETED.append((time.time(), attempt["id"], resp.json().get("score")))
                resp.success()
            else:
                resp.failure(f"submit answered {resp.status_code}")
        self.client.get(f"/api/v1/rounds/{ROUND}/leaderboard?limit=50", headers=headers, name=BOARD)
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
        self.save(
            self.headers,
            self.attempt["id"],
            questions[self.turn % len(questions)],
            seq=time.time_ns() // 1000,
        )  # microseconds: strictly rising per user
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


P_HOME, P_CONTEST, P_START = "GET / (page)", "GET /cuoc-thi/[slug] (page)", "POST start form"
P_ATTEMPT, P_SAVE = "GET /bai-thi/[id] (page)", "PUT answer (page script)"
P_SUBMIT, P_RESULT = "POST submit form", "GET /bai-thi/[id]/ket-qua (page)"
P_BOARD = "GET /dot-thi/[id]/xep-hang (page)"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CHOICE = re.compile(r'name="q-(\d+)" value="(\d+)"')
ATTEMPT_URL = re.compile(r"/bai-thi/(\d+)$")


class PageParticipant(HttpUser):
    """A participant in a browser: the session cookie, the forms and the page's own script."""

    abstract = True

    def enter(self) -> tuple[int, dict, str] | None:
        """Log in (the cookie), open the home and contest pages, press "Bắt đầu" and land on
        the attempt page: (attempt id, {question id: [choice ids]}, the page's CSRF token)."""
        if not COOKIES:
            raise StopUser()
        self.client.cookies.clear()
        self.client.cookies.set("session", COOKIES.popleft(), domain=urlsplit(self.host).hostname)
        self.client.get("/", name=P_HOME)
        contest = self.client.get(f"/cuoc-thi/{SLUG}", name=P_CONTEST)
        token = CSRF_FIELD.search(contest.text)
        if token is None:
            STARTS["failed"] += 1
            return None
        with self.client.post(
            f"/dot-thi/{ROUND}/bat-dau",
            data={"csrf_token": token.group(1)},
            name=P_START,
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            target = resp.headers.get("Location", "")
            found = ATTEMPT_URL.search(target)
            code = str(resp.status_code) + ("" if found else " (not to an attempt)")
            STARTS["by_status"][code] = STARTS["by_status"].get(code, 0) + 1
            if resp.status_code != 302 or not found:
                STARTS["failed"] += 1
                resp.failure(f"start answered {resp.status_code} to {target!r}")
                return None
            resp.success()
        attempt_id = int(found.group(1))
        with self.client.get(f"/bai-thi/{attempt_id}", name=P_ATTEMPT, catch_response=True) as page:
            questions: dict = {}
            for question_id, choice_id in CHOICE.findall(page.text):
                questions.setdefault(int(question_id), []).append(int(choice_id))
            csrf = CSRF_META.search(page.text)
            if page.status_code != 200 or not questions or csrf is None:
                STARTS["failed"] += 1
                page.failure(f"attempt page answered {page.status_code}")
                return None
            page.success()
        STARTS["ok"] += 1
        STARTS["created"] += 1
        STARTS["attempts"].add(attempt_id)
        return attempt_id, questions, csrf.group(1)


class PageQuizUser(PageParticipant):
    """The whole visit through the pages, as QuizUser does it through the API."""

    wait_time = constant(0)

    @task
    def take_part(self):
        entered = self.enter()
        if entered is None:
            gevent.sleep(random.uniform(*THINK))
            return
        attempt_id, questions, csrf = entered
        chosen = {}
        for question_id, choices in list(questions.items())[:QUESTIONS]:
            gevent.sleep(random.uniform(*THINK))
            choice = [random.choice(choices)]
            seq = time.time_ns() // 1_000_000
            with self.client.put(
                f"/api/v1/attempts/{attempt_id}/answers/{question_id}",
                json={"choices": choice, "seq": seq},
                name=P_SAVE,
                headers={"X-CSRFToken": csrf},
                catch_response=True,
            ) as resp:
                if resp.status_code == 200 and resp.json().get("saved_seq") == seq:
                    ACKS.append((attempt_id, question_id, seq, choice))
                    resp.success()
                else:
                    resp.failure(f"save answered {resp.status_code}")
            chosen[question_id] = choice
        gevent.sleep(random.uniform(*THINK))
        form = [("csrf_token", csrf), ("prediction", str(random.randrange(0, 500)))]
        form += [(f"q-{qid}", str(choice[0])) for qid, choice in chosen.items()]
        with self.client.post(
            f"/bai-thi/{attempt_id}/nop",
            data=form,
            name=P_SUBMIT,
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code == 302 and resp.headers.get("Location", "").endswith("/ket-qua"):
                resp.success()
            else:
                resp.failure(f"submit answered {resp.status_code}")
                return
        with self.client.get(
            f"/bai-thi/{attempt_id}/ket-qua", name=P_RESULT, catch_response=True
        ) as resp:
            if resp.status_code == 200:
                COMPLETED.append((time.time(), attempt_id, None))
                resp.success()
            else:
                resp.failure(f"result page answered {resp.status_code}")
        self.client.get(f"/dot-thi/{ROUND}/xep-hang", name=P_BOARD)
        self.client.cookies.clear()
        gevent.sleep(random.uniform(*THINK))


class PageStormUser(PageParticipant):
    """Open the contest page and start, all at once with the others; then stay on the page."""

    wait_time = constant(3600)

    @task
    def start_once(self):
        self.enter()
