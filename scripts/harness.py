"""The one harness of the scripts that run the app for real (scripts/crash_test.py,
scripts/load/*, scripts/bench_*): a database made afresh and migrated (refused for any database
others use or one on another machine), the environment of a server on it, `flask` commands,
gunicorn with the project's gunicorn.conf.py (or through `scripts/serve --production`) on a port
and an instance folder of its own, waiting until it answers and its workers have booted,
stopping it (SIGTERM to the master, then SIGKILL to its process group) or killing it, and nginx
with the shipped deploy/nginx.conf in front.
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

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", None}
RAISED = "1000000 per minute"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    return Path(url.split("sqlite:///", 1)[1])


def resettable(url: str, mine: str | None = None) -> str:
    """The name of the PostgreSQL database at `url` once it is known to be one a script may drop:
    on this machine, named, and none of RESERVED_DATABASES (but `mine`, the one the caller's own
    documentation names, e.g. the crash test's "crash"). Anything else ends the script."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith(("postgresql", "postgres")):
        raise SystemExit(f"not a PostgreSQL or SQLite address: {url}")
    if parts.hostname not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to reset a database on {parts.hostname}: only 127.0.0.1")
    if not name or (name in RESERVED_DATABASES and name != mine):
        raise SystemExit(f"refusing to reset database {name!r}: name your own (e.g. load)")
    return name


def database_env(url: str, clean: bool = False, **overrides) -> dict:
    """The caller's environment with the database of a server or `flask` command set to `url`,
    then `overrides` (values made strings). clean=True leaves out the caller's own CONTEST_ and
    TEST_ settings and REDIS_URL: the server is configured by what is given here only."""
    env = dict(os.environ)
    if clean:
        env = {k: v for k, v in env.items() if not k.startswith(("CONTEST_", "TEST_"))}
        env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    env.pop("CONTEST_SQLALCHEMY_DATABASE_URI", None)
    if is_sqlite(url):
        env["CONTEST_SQLALCHEMY_DATABASE_URI"] = url
    else:
        env["DATABASE_URL"] = url
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def raised_limits(*kinds: str) -> dict:
    """CONTEST_RATE_LIMIT_<kind> raised far past what a test sends, for each kind given."""
    return {f"CONTEST_RATE_LIMIT_{kind}": RAISED for kind in kinds}


def flask(env: dict, *command: str, timeout: float = 600) -> str:
    """`flask --app wsgi <command>` in the checkout with this environment; its output, or the
    script ends with it when the command fails."""
    result = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _admin(url: str) -> str:
    return urlsplit(url)._replace(scheme="postgresql", path="/postgres").geturl()


def drop_database(url: str, mine: str | None = None) -> None:
    """Drop the PostgreSQL database at `url` (the checks of `resettable` first)."""
    import psycopg

    name = resettable(url, mine)
    with psycopg.connect(_admin(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reset_database(url: str, mine: str | None = None) -> None:
    """An empty database at `url`, migrated to the current schema. PostgreSQL: dropped and
    created again, only when `resettable` allows it."""
    if is_sqlite(url):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        drop_database(url, mine)
        with psycopg.connect(_admin(url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{resettable(url, mine)}"')
    flask(database_env(url), "db", "upgrade")


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    app_spec: str,
    port: int,
    env: dict,
    log_path: Path,
    pythonpath: Path | None = None,
    *,
    workers: int | None = None,
    threads: int | None = None,
    options: tuple | list = (),
    serve: bool = False,
) -> subprocess.Popen:
    """gunicorn with the project's gunicorn.conf.py (workers, threads, gthread, access log...),
    bound to 127.0.0.1 only, with `workers` and `threads` when given and any other gunicorn
    `options`; its output (the access log included, unless an option sends it elsewhere) goes
    to `log_path`. serve=True starts it the way a user does, `scripts/serve --production
    <options>` (wsgi:app, the port in PORT). Its own process group: Ctrl-C reaches only the
    caller, and `stop`/`kill` reach every worker."""
    options = list(options)
    if workers is not None:
        options += ["--workers", str(workers)]
    if threads is not None:
        options += ["--threads", str(threads)]
    if pythonpath:
        options += ["--pythonpath", str(pythonpath)]
    if serve:
        cmd = [str(ROOT / "scripts" / "serve"), "--production", *options]
        env = env | {"PORT": str(port), "BIND": "127.0.0.1"}
    else:
        cmd = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
        cmd += ["--bind", f"127.0.0.1:{port}", *options, app_spec]
    # an instance folder of its own (the host's rate-limit counts among what it holds), so a
    # measurement never shares counts with the checkout's own server or an earlier run
    env = {"CONTEST_INSTANCE_PATH": str(log_path.parent / f"instance-{port}")} | env
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proc._load_log = log  # type: ignore[attr-defined]
    return proc


def wait_ready(
    url: str, proc: subprocess.Popen, seconds: float = 60, workers: int | None = None
) -> None:
    """Until `url` answers below 500, then until `workers` workers have booted (or, without
    it, one more second for every worker to finish booting). The script ends when the server
    exits or `seconds` pass."""
    end = time.monotonic() + seconds
    answered = False
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}); see its log")
        if not answered:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    answered = response.status < 500
            except OSError:
                pass
        if answered and workers is None:
            time.sleep(1.0)
            return
        if answered and len(worker_pids(proc.pid)) >= workers:
            return
        time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"the server at {url} did not answer in {seconds:.0f} s")


def stop(proc: subprocess.Popen | None) -> int | None:
    """Stop one server we started: SIGTERM to its master (graceful), then SIGKILL to its own
    process group if it lingers, and to any worker it left behind. Its exit status."""
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(40)
        except subprocess.TimeoutExpired:
            kill(proc)
    try:  # a worker left behind (there should be none)
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    log = getattr(proc, "_load_log", None)
    if log:
        log.close()
    return proc.returncode


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL to the server's whole process group (master and workers): a host that dies."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


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
    """The pids of a gunicorn master's workers (its children), sorted."""
    pids = []
    for children in Path(f"/proc/{master_pid}/task").glob("*/children"):
        try:
            pids += [int(p) for p in children.read_text().split()]
        except OSError:
            continue
    if not pids:  # kernels without the children file
        found = subprocess.run(
            ["pgrep", "-P", str(master_pid)], capture_output=True, text=True, check=False
        )
        pids = [int(p) for p in found.stdout.split()]
    return sorted(set(pids))
