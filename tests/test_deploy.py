"""What docs/deploy.md tells a user, done as it says: an instance folder of one's own, and
`scripts/serve --production` that passes gunicorn options and neither migrates nor loads the demo."""

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "load"))
from common import free_port


def test_each_host_can_have_its_own_instance_folder(tmp_path, monkeypatch, make_app):
    folder = tmp_path / "host-b"
    (folder).mkdir()
    (folder / "config.py").write_text("SECRET_KEY = 'from-host-b'\nCOUNTS_CACHE_S = 7\n")
    monkeypatch.setenv("CONTEST_INSTANCE_PATH", str(folder))
    app = make_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/b.db"})
    assert app.instance_path == str(folder)
    assert app.config["SECRET_KEY"] == "from-host-b" and app.config["COUNTS_CACHE_S"] == 7


def _serve(env, port, *options):
    return subprocess.Popen(
        [str(ROOT / "scripts" / "serve"), "--production", *options],
        cwd=ROOT,
        env=env | {"PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _get(url, proc, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert proc.poll() is None, proc.stdout.read().decode()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def _stop(proc):
    proc.terminate()
    try:
        proc.wait(40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait(5)
    finally:
        proc.stdout.close()


def test_serve_production_passes_options_and_neither_migrates_nor_loads_the_demo(tmp_path):
    database = tmp_path / "production.db"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CONTEST_SECRET_KEY", "TEST_DATABASE_URL")
    }
    env |= {
        "CONTEST_SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "CONTEST_INSTANCE_PATH": str(tmp_path / "instance"),
        "CONTEST_SCHEDULER_ENABLED": "false",
        "HOME": str(tmp_path),
    }
    port = free_port()
    # not migrated: it serves (and answers an error) but makes no table of its own accord
    proc = _serve(env, port, "--workers", "1", "--no-control-socket")
    try:
        status, _body = _get(f"http://127.0.0.1:{port}/api/v1/contests", proc)
        assert status == 500
    finally:
        _stop(proc)
    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert not (tmp_path / ".gunicorn").exists()  # --no-control-socket reached gunicorn
    assert "SECRET_KEY" in (tmp_path / "instance" / "config.py").read_text()

    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    proc = _serve(env, port, "--workers", "1", "--no-control-socket")
    try:
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/contests", proc)
        assert status == 200 and json.loads(body) == []  # no demo contest
    finally:
        _stop(proc)
