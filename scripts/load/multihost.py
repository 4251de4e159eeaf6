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
Exit status 0 when every check holds. tests/test_multihost.py runs it with --smoke. The checks
themselves: multihost_checks.py; the servers, nginx and the database: scripts/harness.py.
Figures: docs/deploy.md ("Several hosts") and docs/load-test.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common
from multihost_checks import (
    ORGANISER,
    bearer,
    check_cache,
    check_kill,
    check_limit,
    check_scheduler,
    check_session,
    new_round,
)

SECRET = "multihost-secret-key-the-same-on-every-host"


class Host:
    """One application host: `scripts/serve --production` with its own instance folder."""

    def __init__(self, name: str, folder: Path, env: dict, workers: int):
        self.name, self.port = name, common.free_port()
        self.folder = folder / f"host-{name}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = env | {"CONTEST_INSTANCE_PATH": str(self.folder), "HOME": str(self.folder)}
        self.workers, self.proc = workers, None
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = common.start_gunicorn(
            "wsgi:app",
            self.port,
            self.env,
            self.folder / "server.log",
            workers=self.workers,
            options=["--no-control-socket"],
            serve=True,
        )
        common.wait_ready(f"{self.base}/api/v1/session", self.proc, workers=self.workers)

    def kill(self) -> None:
        """SIGKILL to the gunicorn master and its workers (its own process group)."""
        common.kill(self.proc)

    def stop(self) -> None:
        common.stop(self.proc)


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
    common.reset_database(args.database)  # the one migration of the release
    # the savers register from one address and save as fast as answered: those limits (and the
    # challenge past a number of registrations) are raised; the login limits stay as deployed
    # (the limit check uses them)
    env = common.database_env(
        args.database,
        clean=True,
        REDIS_URL=args.redis,
        CONTEST_SECRET_KEY=SECRET,
        CONTEST_PROXY_FIX_HOPS=1,
        CONTEST_SCHEDULER_INTERVAL_S=2,
        **common.raised_limits("REGISTER", "CHALLENGE_AFTER", "SAVES"),
    )
    common.flask(env | {"CONTEST_INSTANCE_PATH": str(folder / "release")}, "demo")
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

        round_id = new_round(
            a.base,
            organiser,
            bank_id,
            2 * 86400,
            name="Đợt đo tải",
            question_count=10,
            time_limit_s=3600,
            max_attempts=1,
        )
        savers = make_savers(a.base, args.savers, round_id)
        front = common.free_port()
        throughput = {}
        for label, ports in (("one_host", [a.port]), ("two_hosts", [a.port, b.port])):
            nginx = common.start_nginx(front, ports, folder / f"nginx-{label}")
            records = save_loop(f"http://127.0.0.1:{front}", savers, args.seconds)
            ok = sum(1 for r in records if r[5] == 200)
            throughput[label] = {
                "saves_per_s": round(ok / args.seconds, 1),
                "failed": len(records) - ok,
            }
            common.stop_nginx(nginx)
            nginx = None
        throughput["ratio_two_to_one"] = round(
            throughput["two_hosts"]["saves_per_s"] / throughput["one_host"]["saves_per_s"], 2
        )
        # both "hosts" share this machine's cores: the ratio is reported, not required
        figures["throughput"] = throughput | {
            "ok": not any(throughput[k]["failed"] for k in ("one_host", "two_hosts"))
        }

        nginx = common.start_nginx(front, [a.port, b.port], folder / "nginx-kill")
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
        common.stop_nginx(nginx)
        a.stop()
        b.stop()
        if args.drop:
            common.drop_database(args.database)
    figures["ok"] = all(
        part.get("ok") for part in figures.values() if isinstance(part, dict) and "ok" in part
    )
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
