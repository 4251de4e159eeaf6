"""The one harness of the scripts that run the app for real (scripts/load/*, scripts/bench_*):
a database made afresh and migrated, gunicorn with the project's gunicorn.conf.py on a port and
an instance folder of its own, waiting until it answers, stopping it (SIGTERM to the master,
then SIGKILL to its process group), and nginx with the shipped deploy/nginx.conf in front.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"

# The databases of the test suites, CI and other benchmarks: never touched from here.
RESERVED_DATABASES = {
    "test",
    "test_main",
    "test_ux",
    "crash",
    "bench",
    "postgres",
    "template0",
    "template1",
    "root",
}

# ---------------------------------------------------------------- databases


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    return Path(url.split("sqlite:///", 1)[1])


def database_env(url: str) -> dict:
    """The caller's environment with the database of a server or `flask` command set to `url`."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("CONTEST_SQLALCHEMY_DATABASE_URI", None)
    if is_sqlite(url):
        env["CONTEST_SQLALCHEMY_DATABASE_URI"] = url
    else:
        env["DATABASE_URL"] = url
    return env


def reset_database(url: str) -> None:
    """An empty database at `url`, migrated to the current schema."""
    if is_sqlite(url):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        if not name or name in RESERVED_DATABASES:
            raise SystemExit(f"refusing to reset database {name!r}: name your own (e.g. load)")
        admin = parts._replace(scheme="postgresql", path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=database_env(url),
        check=True,
        capture_output=True,
    )


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    app_spec: str, port: int, env: dict, log_path: Path, pythonpath: Path | None = None
) -> subprocess.Popen:
    """gunicorn with the project's gunicorn.conf.py (workers, threads, gthread, access log...),
    bound to 127.0.0.1 only; its output (the access log included) goes to `log_path`."""
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    # an instance folder of its own (the host's rate-limit counts among what it holds), so a
    # measurement never shares counts with the checkout's own server or an earlier run
    env = {"CONTEST_INSTANCE_PATH": str(log_path.parent / f"instance-{port}")} | env
    if pythonpath:
        cmd += ["--pythonpath", str(pythonpath)]
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        cmd + [app_spec],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proc._load_log = log  # type: ignore[attr-defined]
    return proc


def wait_ready(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}); see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    time.sleep(1.0)  # let every worker finish booting
                    return
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"the server at {url} did not answer in {seconds} s")


def stop(proc: subprocess.Popen | None) -> None:
    """Stop one server we started: SIGTERM to its master (graceful), then SIGKILL to its own
    process group if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(35)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    log = getattr(proc, "_load_log", None)
    if log:
        log.close()


def start_nginx(port: int, upstream_port: int | list[int], folder: Path) -> subprocess.Popen:
    """nginx in the foreground with the shipped deploy/nginx.conf (its CONTEST_ values filled)
    listening on 127.0.0.1:`port` in front of the app on `upstream_port` (or several: one
    upstream server each); pid, logs and temporary files under `folder`. Raises
    FileNotFoundError when nginx is not installed."""
    import shutil
    from string import Template

    binary = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if binary is None:
        raise FileNotFoundError("nginx")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logs").mkdir(exist_ok=True)
    site = Template((ROOT / "deploy" / "nginx.conf").read_text()).safe_substitute(
        CONTEST_LISTEN=f"127.0.0.1:{port}",
        CONTEST_UPSTREAM="; server ".join(
            f"127.0.0.1:{p}"
            for p in (upstream_port if isinstance(upstream_port, list) else [upstream_port])
        ),
        CONTEST_STATIC=str(ROOT / "static"),
    )
    (folder / "contest.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/logs/error.log warn;\nevents {{ worker_connections 1024; }}\n"
        "http {\n  access_log off;\n  include /etc/nginx/mime.types;\n"
        f"  include {folder}/contest.conf;\n}}\n"
    )
    log = open(folder / "logs" / "nginx.out", "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proc._load_log = log  # type: ignore[attr-defined]
    end = time.monotonic() + 10
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("nginx exited: " + (folder / "logs" / "nginx.out").read_text())
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return proc
        except OSError:
            time.sleep(0.05)
    stop_nginx(proc)
    raise SystemExit(f"nginx did not listen on {port}")


def stop_nginx(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGQUIT)  # graceful
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    proc._load_log.close()  # type: ignore[attr-defined]


def worker_pids(master_pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    return [int(p) for p in children]
