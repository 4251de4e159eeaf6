"""The load-test tools of issue 6 still run against the app as it is now: a short Locust run
(hello-world yardstick, answer saves, a small start storm, a few whole attempts) that loses no
acknowledged answer, and the 1,000,000-attempt generator with the read-side figures at a tiny
size. The figures themselves are measured by hand (docs/load-test.md); this keeps the tools
honest. On the PostgreSQL pass they use a database of their own beside the suite's."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import side_database

ROOT = Path(__file__).resolve().parent.parent
LOAD = ROOT / "scripts" / "load"


def _run(*args, timeout=300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_a_short_load_run_loses_nothing(tmp_path):
    out = tmp_path / "run"
    _run(
        LOAD / "run.py",
        "--db",
        side_database(tmp_path, "load_smoke"),
        "--out",
        out,
        "--phases",
        "hello,save,storm,sustained",
        "--sat-users",
        "4",
        "--sat-seconds",
        "4",
        "--storm-users",
        "30",
        "--storm-seconds",
        "2",
        "--storm-hold",
        "8",
        "--users",
        "6",
        "--spawn-rate",
        "6",
        "--minutes",
        "0.25",
        "--think",
        "0,0.05",
    )
    report = json.loads((out / "report.json").read_text())
    phases = report["phases"]
    hello = next(iter(phases["hello"]["table"].values()))
    assert hello["count"] > 0 and hello["errors"] == 0
    save = phases["save"]["table"]["PUT /attempts/[id]/answers/[qid]"]
    assert save["count"] > 0 and save["errors"] == 0
    assert phases["save"]["extra"]["acks"]["lost"] == 0
    assert phases["storm"]["extra"]["all_got_their_attempt"]
    sustained = phases["sustained"]["extra"]
    assert sustained["completions"]["completed"] > 0
    assert sustained["acks"]["acks"] > 0 and sustained["acks"]["lost"] == 0
    assert all(row["errors"] == 0 for row in phases["sustained"]["table"].values())
    assert "÷ hello" in (out / "report.md").read_text()


def test_the_generator_and_the_read_side_figures(tmp_path):
    db = side_database(tmp_path, "load_read_smoke")
    _run(
        LOAD / "generate.py",
        "--db",
        db,
        "--people",
        "400",
        "--attempts",
        "1500",
        "--units",
        "12",
        "--export-rows",
        "300",
    )
    out = tmp_path / "read"
    _run(
        LOAD / "read_side.py",
        "--db",
        db,
        "--out",
        out,
        "--requests",
        "10",
        "--ranking-requests",
        "5",
    )
    results = json.loads((out / "read-side.json").read_text())
    for key in (
        "closing",
        "leaderboard_top50_cached",
        "leaderboard_top50_uncached",
        "unit_ranking",
        "unit_ranking_cached",
        "export_xlsx_100k",
        "export_csv_100k",
    ):
        assert results.get(key), key
