"""scripts/load/page_ratios.py still runs against the app as it is now: at a tiny size (1 s wrk
runs, a 40-request storm) every path answers 2xx only, the report has every row and the storm
line, and the saves were stored. The figures themselves are measured by hand; on the
PostgreSQL pass it uses a database of its own beside the suite's."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import side_database

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "load" / "page_ratios.py"

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def test_a_tiny_page_ratio_run_has_every_row_and_no_error(tmp_path):
    out = tmp_path / "run"
    args = [
        "--db",
        side_database(tmp_path, "pages_smoke"),
        "--out",
        out,
        "--port",
        "0",
        "--seconds",
        "1",
    ]
    args += ["--warmup", "1", "--participants", "4", "--finished", "3"]
    args += ["--storm-requests", "40", "--storm-clients", "10", "--storm-seconds", "2"]
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
        timeout=400,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = (out / "report.md").read_text()
    rows = {}
    for line in report.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 6 and cells[1] != "req/s":
            rows[cells[0]] = cells
    assert len(rows) == 7, report
    for label in ("GET /hello", "GET /", "/cuoc-thi/", "/bai-thi/", "/ket-qua", "X-CSRFToken"):
        assert any(label in name for name in rows), label
    for name, (_path, rps, _p50, _p95, non2xx, ratio) in rows.items():
        assert float(rps) > 0 and float(ratio) > 0, name
        assert non2xx == "0", name
    storm = re.search(r"Contest-page storm: 40 GET .* non-200 0, errors 0", report)
    assert storm, report
    assert re.search(r"hello-world again after the app's runs: [0-9.]+ req/s", report)
    assert "Redis: none" in report and "after a 1 s warm-up" in report
    figures = json.loads((out / "report.json").read_text())
    for name in ("save", "bearer"):
        save = figures["rows"][name]
        assert set(save["statuses"]) == {"200"}, save["statuses"]
        # 4 attempts x 20 questions; each wrk thread cycles over its share of them, so the
        # answered saves (but those of the 32 connections' last) reached distinct targets
        assert save["targets"] == 80
        assert 0 < save["stored"] <= 80, save
        assert save["stored"] >= min(80, save["statuses"]["200"] - 32), save
