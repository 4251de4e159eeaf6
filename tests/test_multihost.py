"""Two application hosts behind a real nginx on PostgreSQL and Redis, set up as docs/deploy.md
says (scripts/load/multihost.py --smoke): a session, a login limit, caches and the scheduler
hold across hosts, and killing one host loses no acknowledged save. Run in the suite's
PostgreSQL pass (it needs PostgreSQL, Redis and nginx on this machine)."""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 2).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
    reason="runs in the PostgreSQL pass of the suite (TEST_DATABASE_URL)",
)
def test_two_hosts_behind_nginx_share_sessions_limits_caches_and_the_clock(tmp_path):
    missing = [
        name
        for name, ok in (
            ("Redis on 6379", _answers(6379)),
            ("nginx", bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists())),
        )
        if not ok
    ]
    if missing:
        pytest.fail("the multi-host test needs " + ", ".join(missing))
    admin = os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0]
    out = tmp_path / "multihost.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "load" / "multihost.py"),
            "--smoke",
            "--database",
            f"{admin}/multihost_{os.getpid()}",
            "--redis",
            "redis://127.0.0.1:6379/8",
            "--json",
            str(out),
            "--drop",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    figures = json.loads(out.read_text())
    assert figures["session"]["ok"] and figures["limit"]["ok"] and figures["cache"]["ok"]
    assert figures["scheduler"]["finalise_audit_entries"] == 1
    assert figures["kill"]["lost"] == 0 and figures["kill"]["ok_after_kill"] > 0
