"""How many logins a second this machine serves: werkzeug's scrypt check alone (one process,
then one per core), and real POST /api/v1/login requests through gunicorn.

Run: .venv/bin/python scripts/bench_login.py [--seconds 10]
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from multiprocessing import Pool
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

ROOT = Path(__file__).resolve().parent.parent
HASH = generate_password_hash("matkhau-demo")


def checks_for(seconds: float) -> int:
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        check_password_hash(HASH, "matkhau-demo")
        done += 1
    return done


def hash_rate(seconds: float, processes: int) -> float:
    with Pool(processes) as pool:
        return sum(pool.map(checks_for, [seconds] * processes)) / seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(folder: str, port: int) -> subprocess.Popen:
    env = os.environ | {"CONTEST_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/login.db",
                        "CONTEST_SECRET_KEY": "bench", "CONTEST_RATE_LIMIT_LOGIN": "1000000/minute",
                        "CONTEST_RATE_LIMIT_LOGIN_ACCOUNT": "1000000/minute"}
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--threads",
                               "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/session", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def http_rate(port: int, seconds: float, clients: int = 8) -> tuple[float, int]:
    body = json.dumps({"login": "0912345678", "password": "thisinh2026"}).encode()
    counts, errors, end = [0] * clients, [0], time.perf_counter() + seconds

    def client(i):
        while time.perf_counter() < end:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/login", data=body,
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    counts[i] += response.status == 200
            except OSError:
                errors[0] += 1
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    seconds = parser.parse_args().seconds
    print(f"# {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · hash {HASH.split('$')[0]}")
    print(f"scrypt checks, 1 process: {hash_rate(seconds, 1):.1f}/s")
    print(f"scrypt checks, {os.cpu_count()} processes: {hash_rate(seconds, os.cpu_count()):.1f}/s")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = serve(folder, port)
        try:
            rate, errors = http_rate(port, seconds)
        finally:
            server.terminate()
            server.wait(10)
    print(f"POST /api/v1/login through gunicorn (2 workers x 2 threads, 8 clients on the same "
          f"machine): {rate:.1f}/s, {errors} errors")


if __name__ == "__main__":
    sys.exit(main())
