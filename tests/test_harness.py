"""scripts/harness.py, the one harness of the scripts that run the app under gunicorn
(scripts/crash_test.py, scripts/load/*, scripts/bench_*): it refuses to reset a database others
use or one on another machine, builds a server's environment, and starts, waits for and stops
gunicorn; and the crash test still passes through it at a small size."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import harness  # noqa: E402


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "postgresql://postgres@127.0.0.1:5432/crash",
        "postgresql://postgres@127.0.0.1:5432/",
        "postgresql://postgres@db.example.org:5432/load",
        "mysql://root@127.0.0.1/load",
    ],
)
def test_a_database_others_use_or_elsewhere_is_never_reset(url):
    with pytest.raises(SystemExit, match="refusing|not a PostgreSQL"):
        harness.reset_database(url)


def test_the_crash_test_may_reset_its_own_database_only():
    assert harness.resettable("postgresql://postgres@127.0.0.1:5432/crash", mine="crash") == "crash"
    assert harness.resettable("postgresql+psycopg://postgres@localhost/load_smoke") == "load_smoke"
    with pytest.raises(SystemExit):
        harness.resettable("postgresql://postgres@127.0.0.1:5432/bench", mine="crash")


def test_a_clean_environment_keeps_only_what_is_given(monkeypatch):
    monkeypatch.setenv("CONTEST_SECRET_KEY", "the-callers")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.setenv("DATABASE_URL", "postgresql://elsewhere/db")
    env = harness.database_env("sqlite:////tmp/x.db", clean=True, CONTEST_PROXY_FIX_HOPS=1)
    assert env["CONTEST_SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/x.db"
    assert env["CONTEST_PROXY_FIX_HOPS"] == "1"
    assert not {"CONTEST_SECRET_KEY", "REDIS_URL", "DATABASE_URL"} & set(env)
    kept = harness.database_env("postgresql://postgres@127.0.0.1/load")
    assert kept["CONTEST_SECRET_KEY"] == "the-callers" and kept["REDIS_URL"]
    assert kept["DATABASE_URL"] == "postgresql://postgres@127.0.0.1/load"
    assert harness.raised_limits("SAVES") == {"CONTEST_RATE_LIMIT_SAVES": harness.RAISED}


def test_gunicorn_with_its_workers_started_waited_for_and_stopped(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    harness.reset_database(url)
    env = harness.database_env(url, clean=True, CONTEST_SECRET_KEY="harness-test-key")
    port = harness.free_port()
    server = harness.start_gunicorn(
        "wsgi:app", port, env, tmp_path / "server.log", workers=2, threads=2
    )
    try:
        harness.wait_ready(f"http://127.0.0.1:{port}/api/v1/session", server, workers=2)
        workers = harness.worker_pids(server.pid)
        assert len(workers) == 2
    finally:
        status = harness.stop(server)
    assert status == 0
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    assert (tmp_path / f"instance-{port}").is_dir()  # an instance folder of its own
    assert "Booting worker" in (tmp_path / "server.log").read_text()


def test_a_small_crash_run_loses_nothing():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "crash_test.py"),
            "--participants",
            "24",
            "--threads",
            "6",
            "--workers",
            "2",
            "--worker-threads",
            "2",
            "--kills",
            "1",
            "--timeout",
            "150",
            "--seed",
            "7",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "PASS:" in result.stdout
    assert "replaced after" in result.stdout and "HTTP errors seen by clients" in result.stdout
