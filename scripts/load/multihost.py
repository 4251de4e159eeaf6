"""Two application hosts behind nginx, on PostgreSQL and Redis, on this one machine, set up as
docs/deploy.md tells a user: one migration, then on each "host" `scripts/serve --production
--no-control-socket` with its own port and its own instance folder (CONTEST_INSTANCE_PATH),
the same CONTEST_SECRET_KEY, DATABASE_URL and REDIS_URL, CONTEST_PROXY_FIX_HOPS=1; nginx with
the shipped deploy/nginx.conf listing both.

It shows, in this order:
  session    a session cookie made on host A works on host B;
  limit      the per-account login limit (as deployed) counts the tries on both hosts;
  cache      a new round made through host A, and a new leaderboard entry, show on host B;
  scheduler  a round closing in a few seconds is finalised once (one audit entry, its open
             attempt scored) by whichever host holds the lease, with no request after the close;
  throughput answer saves through nginx for SECONDS with host A alone, then with both: the ratio;
  kill       savers go on through nginx while host A's gunicorn (master and workers) is killed
             with SIGKILL: every acknowledged save is in the database afterwards, and the saves
             after the kill go through host B.

Run: .venv/bin/python scripts/load/multihost.py [--smoke] [--seconds 20] [--workers 2]
     [--database postgresql://postgres@127.0.0.1:5432/multihost] [--redis redis://127.0.0.1:6379/7]
     [--json out.json] [--drop]
Exit status 0 when every check holds. tests/test_multihost.py runs it with --smoke.
Figures: docs/deploy.md ("Several hosts") and docs/load-test.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import ROOT, VENV_BIN, free_port, reset_database, start_nginx, stop_nginx

SECRET = "multihost-secret-key-the-same-on-every-host"
ORGANISER = ("bantochuc@demo.vn", "tochuc2026")
PARTICIPANT = ("0912345678", "thisinh2026")
SLUG = "tim-hieu-cai-cach-hanh-chinh"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Host:
    """One application host: `scripts/serve --production` with its own instance folder."""

    def __init__(self, name: str, folder: Path, env: dict, workers: int):
        self.name, self.port = name, free_port()
        self.folder = folder / f"host-{name}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = env | {
            "CONTEST_INSTANCE_PATH": str(self.folder),
            "PORT": str(self.port),
            "HOME": str(self.folder),
        }
        self.workers, self.proc = workers, None
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 - closed at exit
        self.proc = subprocess.Popen(
            [
                str(ROOT / "scripts" / "serve"),
                "--production",
                "--no-control-socket",
                "--workers",
                str(self.workers),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"host {self.name} exited; see {self.folder}/server.log")
            try:
                if requests.get(f"{self.base}/api/v1/session", timeout=2).status_code == 200:
                    time.sleep(1.0)  # every worker booted
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit(f"host {self.name} did not answer")

    def kill(self) -> None:
        """SIGKILL to the gunicorn master and its workers (its own process group)."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def bearer(base: str, login: str, password: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/api/v1/login", json={"login": login, "password": password}, timeout=30
    )
    response.raise_for_status()
    session.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return session


def check_session(a: Host, b: Host) -> dict:
    session = requests.Session()
    csrf = session.get(f"{a.base}/api/v1/session", timeout=10).json()["csrf_token"]
    session.post(
        f"{a.base}/api/v1/login",
        json={"login": PARTICIPANT[0], "password": PARTICIPANT[1]},
        headers={"X-CSRFToken": csrf},
        timeout=30,
    ).raise_for_status()
    user = session.get(f"{b.base}/api/v1/session", timeout=10).json().get("user")
    return {"ok": bool(user), "user_on_b": (user or {}).get("full_name")}


def check_limit(a: Host, b: Host) -> dict:
    """Wrong passwords for one account (its own, made for this), alternately on A and B, until
    one answers 429."""
    account = "0915000001"
    requests.post(
        f"{a.base}/api/v1/register",
        json={
            "full_name": "Người thử giới hạn",
            "phone": account,
            "password": "matkhau-thu",
            "unit_code": "CL-PNV",
        },
        timeout=30,
    ).raise_for_status()
    statuses = []
    for i in range(30):
        host = a if i % 2 == 0 else b
        statuses.append(
            requests.post(
                f"{host.base}/api/v1/login",
                json={"login": account, "password": "sai-mat-khau"},
                timeout=30,
            ).status_code
        )
        if statuses[-1] == 429:
            break
    from contest.config import Defaults

    allowed = int(Defaults.RATE_LIMIT_LOGIN_ACCOUNT.split()[0])
    return {
        "ok": 429 in statuses and statuses.index(429) == allowed,
        "limit": Defaults.RATE_LIMIT_LOGIN_ACCOUNT,
        "first_429_at_try": (statuses.index(429) + 1 if 429 in statuses else None),
    }


def wait_for(predicate, seconds: float) -> float | None:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if predicate():
            return round(time.monotonic() - began, 2)
        time.sleep(0.25)
    return None


def check_cache(a: Host, b: Host, organiser: requests.Session, bank_id: int) -> dict:
    now = datetime.now(UTC)
    response = organiser.post(
        f"{a.base}/api/v1/contests/{SLUG}/rounds",
        json={
            "name": "Đợt nhiều máy",
            "opens_at": iso(now - timedelta(minutes=1)),
            "closes_at": iso(now + timedelta(days=2)),
            "bank_id": bank_id,
            "question_count": 5,
            "time_limit_s": 600,
            "max_attempts": 3,
            "score_display": "after_submit",
            "confirm_exposed": True,
        },
        timeout=30,
    )
    response.raise_for_status()
    round_id = response.json()["id"]
    round_seen = wait_for(
        lambda: any(
            r["id"] == round_id
            for r in requests.get(f"{b.base}/api/v1/contests/{SLUG}", timeout=10).json()["rounds"]
        ),
        10,
    )
    board = f"{b.base}/api/v1/rounds/{round_id}/leaderboard"
    assert requests.get(board, timeout=10).json()["entries"] == []  # B has cached it empty
    participant = bearer(a.base, *PARTICIPANT)
    attempt = participant.post(f"{a.base}/api/v1/rounds/{round_id}/attempts", timeout=30).json()
    participant.post(
        f"{a.base}/api/v1/attempts/{attempt['id']}/submit", json={}, timeout=30
    ).raise_for_status()
    entry_seen = wait_for(lambda: requests.get(board, timeout=10).json()["entries"], 10)
    return {
        "ok": round_seen is not None and entry_seen is not None and entry_seen <= 5.5,
        "round_on_b_after_s": round_seen,
        "entry_on_b_after_s": entry_seen,
    }


def check_scheduler(a: Host, organiser: requests.Session, bank_id: int, database: str) -> dict:
    now = datetime.now(UTC)
    response = organiser.post(
        f"{a.base}/api/v1/contests/{SLUG}/rounds",
        json={
            "name": "Đợt đóng sớm",
            "opens_at": iso(now - timedelta(minutes=1)),
            "closes_at": iso(now + timedelta(seconds=6)),
            "bank_id": bank_id,
            "question_count": 5,
            "time_limit_s": 600,
            "max_attempts": 1,
            "grace_s": 0,
            "confirm_exposed": True,
        },
        timeout=30,
    )
    response.raise_for_status()
    round_id = response.json()["id"]
    participant = bearer(a.base, *PARTICIPANT)
    attempt = participant.post(f"{a.base}/api/v1/rounds/{round_id}/attempts", timeout=30).json()
    import psycopg  # no request is made after the close: the database is read directly

    with psycopg.connect(
        database.replace("postgresql+psycopg", "postgresql"), autocommit=True
    ) as connection:

        def finalised():
            return (
                connection.execute(
                    "SELECT finalized_at FROM rounds WHERE id = %s", (round_id,)
                ).fetchone()[0]
                is not None
            )

        after = wait_for(finalised, 75)
        time.sleep(5)  # a second finalisation, if any, would have happened by now
        audits = connection.execute(
            "SELECT count(*) FROM audit_entries WHERE action = 'finalise_round' AND target = %s",
            (f"round:{round_id}",),
        ).fetchone()[0]
        status = connection.execute(
            "SELECT status FROM attempts WHERE id = %s", (attempt["id"],)
        ).fetchone()[0]
    return {
        "ok": after is not None and audits == 1 and status != "in_progress",
        "finalised_within_s_of_start": after,
        "finalise_audit_entries": audits,
        "open_attempt_now": status,
    }


def make_savers(base: str, count: int, round_id: int) -> list[dict]:
    savers = []
    for i in range(count):
        response = requests.post(
            f"{base}/api/v1/register",
            json={
                "full_name": f"Người thi nhiều máy {i}",
                "phone": f"0914{i:06d}",
                "password": "matkhau-thu",
                "unit_code": "CL-PNV",
            },
            timeout=30,
        )
        response.raise_for_status()
        token = response.json()["token"]
        attempt = requests.post(
            f"{base}/api/v1/rounds/{round_id}/attempts",
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        savers.append({"token": token, "attempt": attempt})
    return savers


def save_loop(base: str, savers: list[dict], seconds: float, on_tick=None) -> list[tuple]:
    """Each saver saves as fast as answered for `seconds`: (saver, attempt, question, seq,
    status, at) for every save."""
    records, lock, end = [], threading.Lock(), time.monotonic() + seconds
    start_seq = int(time.time() * 1000)

    def run(number, saver):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {saver['token']}"
        attempt, seq = saver["attempt"], start_seq
        questions = attempt["questions"]
        while time.monotonic() < end:
            seq += 1
            question = questions[seq % len(questions)]
            choice = question["choices"][seq % len(question["choices"])]["id"]
            try:
                status = session.put(
                    f"{base}/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
                    json={"choices": [choice], "seq": seq},
                    timeout=30,
                ).status_code
            except requests.RequestException:
                status = 0
            with lock:
                records.append(
                    (number, attempt["id"], question["id"], seq, choice, status, time.monotonic())
                )

    threads = [threading.Thread(target=run, args=(n, s), daemon=True) for n, s in enumerate(savers)]
    for thread in threads:
        thread.start()
    if on_tick:
        on_tick()
    for thread in threads:
        thread.join()
    return records


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick (the test suite)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--savers", type=int, default=24)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/multihost")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.savers = min(args.seconds, 4), min(args.savers, 6)
    folder = Path(tempfile.mkdtemp(prefix="multihost-"))
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    reset_database(args.database)  # the one migration of the release
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONTEST_", "TEST_"))}
    env |= {
        "DATABASE_URL": args.database,
        "REDIS_URL": args.redis,
        "CONTEST_SECRET_KEY": SECRET,
        "CONTEST_PROXY_FIX_HOPS": "1",
        "CONTEST_SCHEDULER_INTERVAL_S": "2",
        # the savers register from one address and save as fast as answered: those
        # limits (and the challenge past a number of registrations) are raised; the login
        # limits stay as deployed (the limit check uses them)
        "CONTEST_RATE_LIMIT_REGISTER": "100000 per minute",
        "CONTEST_RATE_LIMIT_CHALLENGE_AFTER": "100000 per minute",
        "CONTEST_RATE_LIMIT_SAVES": "100000 per minute",
    }
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", "demo"],
        cwd=ROOT,
        env=env | {"CONTEST_INSTANCE_PATH": str(folder / "release")},
        check=True,
        capture_output=True,
    )
    a, b = Host("a", folder, env, args.workers), Host("b", folder, env, args.workers)
    nginx = None
    figures: dict = {
        "setup": {
            "hosts": 2,
            "workers_per_host": args.workers,
            "database": "postgresql",
            "redis": True,
            "nginx": True,
            "seconds": args.seconds,
            "savers": args.savers,
        }
    }
    try:
        a.start()
        b.start()
        organiser = bearer(a.base, *ORGANISER)
        bank_id = organiser.get(f"{a.base}/api/v1/banks", timeout=30).json()[0]["id"]
        figures["session"] = check_session(a, b)
        figures["limit"] = check_limit(a, b)
        figures["cache"] = check_cache(a, b, organiser, bank_id)
        figures["scheduler"] = check_scheduler(a, organiser, bank_id, args.database)

        round_id = organiser.post(
            f"{a.base}/api/v1/contests/{SLUG}/rounds",
            json={
                "name": "Đợt đo tải",
                "opens_at": iso(datetime.now(UTC) - timedelta(minutes=1)),
                "closes_at": iso(datetime.now(UTC) + timedelta(days=2)),
                "bank_id": bank_id,
                "question_count": 10,
                "time_limit_s": 3600,
                "max_attempts": 1,
                "confirm_exposed": True,
            },
            timeout=30,
        ).json()["id"]
        savers = make_savers(a.base, args.savers, round_id)
        front = free_port()
        throughput = {}
        for label, ports in (("one_host", [a.port]), ("two_hosts", [a.port, b.port])):
            nginx = start_nginx(front, ports, folder / f"nginx-{label}")
            records = save_loop(f"http://127.0.0.1:{front}", savers, args.seconds)
            ok = sum(1 for r in records if r[5] == 200)
            throughput[label] = {
                "saves_per_s": round(ok / args.seconds, 1),
                "failed": len(records) - ok,
            }
            stop_nginx(nginx)
            nginx = None
        throughput["ratio_two_to_one"] = round(
            throughput["two_hosts"]["saves_per_s"] / throughput["one_host"]["saves_per_s"], 2
        )
        # both "hosts" share this machine's cores: the ratio is reported, not required
        figures["throughput"] = throughput | {
            "ok": not any(throughput[k]["failed"] for k in ("one_host", "two_hosts"))
        }

        nginx = start_nginx(front, [a.port, b.port], folder / "nginx-kill")
        killed_at = {}

        def kill_midway():
            time.sleep(args.seconds / 2)
            killed_at["t"] = time.monotonic()
            a.kill()

        killer = threading.Thread(target=kill_midway)
        records = save_loop(f"http://127.0.0.1:{front}", savers, args.seconds, on_tick=killer.start)
        killer.join()
        figures["kill"] = check_kill(records, killed_at["t"], args.database)
    finally:
        stop_nginx(nginx)
        a.stop()
        b.stop()
        if args.drop:
            drop_database(args.database)
    figures["ok"] = all(
        part.get("ok") for part in figures.values() if isinstance(part, dict) and "ok" in part
    )
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if figures["ok"] else 1


def drop_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def check_kill(records: list[tuple], killed_at: float, database: str) -> dict:
    """Every acknowledged save is stored (the stored seq is at least the highest acknowledged
    one for that attempt and question), and what happened to saves after the kill."""
    acknowledged: dict[tuple, int] = {}
    for _n, attempt_id, question_id, seq, _choice, status, _at in records:
        if status == 200:
            key = (attempt_id, question_id)
            acknowledged[key] = max(acknowledged.get(key, 0), seq)
    import psycopg

    with psycopg.connect(database, autocommit=True) as connection:
        stored = {
            (a, q): s
            for a, q, s in connection.execute("SELECT attempt_id, question_id, seq FROM answers")
        }
    lost = sum(1 for key, seq in acknowledged.items() if stored.get(key, -1) < seq)
    after = [r for r in records if r[6] > killed_at]
    after_ok = sum(1 for r in after if r[5] == 200)
    failed_after = [r for r in after if r[5] != 200]
    return {
        "ok": lost == 0 and after_ok > 0,
        "acknowledged_saves": sum(1 for r in records if r[5] == 200),
        "lost": lost,
        "saves_after_kill": len(after),
        "ok_after_kill": after_ok,
        "failed_after_kill": len(failed_after),
        "failed_statuses": sorted({r[5] for r in failed_after}),
    }


if __name__ == "__main__":
    sys.exit(main())
