"""The figures of scripts/load/run.py: per endpoint percentiles and throughput from Locust's raw
samples, the acknowledged saves checked against the database, completed attempts a minute, the
Markdown tables (each endpoint against hello-world's throughput), and `--rebuild`."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common


def rebuild(out: Path) -> int:
    """Tables again from <phase>.json (the checks against the database are kept as they were)."""
    report = json.loads((out / "report.json").read_text())
    kind = "sqlite" if common.is_sqlite(report["db"]) else "postgresql"
    lines, hello_rps = [f"# Load test, {kind}: {report['machine']}", ""], None
    for phase, result in report["phases"].items():
        result["table"] = endpoint_table(json.loads((out / f"{phase}.json").read_text()))
        if phase == "hello":
            hello_rps = next(iter(result["table"].values()))["rps"]
        lines += print_table(phase, result["table"], hello_rps)
        if result.get("extra"):
            lines += ["", f"```{json.dumps(result['extra'], indent=1)}```", ""]
    (out / "report.json").write_text(json.dumps(report, indent=1, default=str))
    (out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


def pct(values: list[float], p: float) -> float | None:
    """Exact percentile (nearest rank) of the raw samples."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def endpoint_table(data: dict, warm: float = 5.0) -> dict:
    """Per endpoint: count, errors and their statuses, p50/p95/p99/max, throughput (successful
    requests a second, counted from `warm` s after the first request to the last)."""
    samples = data["samples"]
    if not samples:
        return {}
    t_first = min(s[0] for s in samples)
    t_last = max(s[0] + s[2] / 1000 for s in samples)  # the last answer received
    table = {}
    for name in sorted({s[1] for s in samples}):
        rows = [s for s in samples if s[1] == name]
        times = [s[2] for s in rows]
        errors = [s for s in rows if not s[4]]
        # answers received from `warm` s after the first request on: a storm's starts are sent
        # in 10 s but answered over a minute, and this counts them as they are answered
        window = [s for s in rows if s[4] and s[0] + s[2] / 1000 >= t_first + warm]
        span = max(t_last - (t_first + warm), 1e-9)
        statuses = {}
        for s in errors:
            statuses[str(s[3])] = statuses.get(str(s[3]), 0) + 1
        table[name] = {
            "count": len(rows),
            "errors": len(errors),
            "error_statuses": statuses,
            "p50": pct(times, 50),
            "p95": pct(times, 95),
            "p99": pct(times, 99),
            "max": max(times),
            "rps": len(window) / span,
        }
    return table


def check_acks(db_url: str, acks: list) -> dict:
    """Every acknowledged save against the answers table at the end."""
    from sqlalchemy import create_engine, text

    from contest.config import normalise_db_url

    wanted: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for attempt_id, question_id, seq, choices in acks:
        key = (attempt_id, question_id)
        if key not in wanted or seq > wanted[key][0]:
            wanted[key] = (seq, sorted(choices))
    attempts = sorted({k[0] for k in wanted})
    stored = {}
    engine = create_engine(normalise_db_url(db_url))
    with engine.connect() as conn:
        for i in range(0, len(attempts), 500):
            chunk = attempts[i : i + 500]
            rows = conn.execute(
                text(
                    "SELECT attempt_id, question_id, seq, choices FROM answers WHERE attempt_id IN ("
                    + ",".join(str(a) for a in chunk)
                    + ")"
                )
            )
            for attempt_id, question_id, seq, choices in rows:
                if isinstance(choices, str):
                    choices = json.loads(choices)
                stored[(attempt_id, question_id)] = (seq, sorted(choices))
    engine.dispose()
    lost = []
    for key, (seq, choices) in wanted.items():
        have = stored.get(key)
        if have is None or have[0] < seq or (have[0] == seq and have[1] != choices):
            lost.append({"attempt": key[0], "question": key[1], "acked_seq": seq, "stored": have})
    return {
        "acks": len(acks),
        "answers_checked": len(wanted),
        "lost": len(lost),
        "lost_examples": lost[:10],
    }


def completions(data: dict, steady_from: float) -> dict:
    done = [c[0] for c in data["completed"]]
    run = data["run"]
    total_min = (run["stopped"] - run["started"]) / 60
    steady = [t for t in done if t >= steady_from]
    steady_min = max(run["stopped"] - steady_from, 1e-9) / 60
    return {
        "completed": len(done),
        "per_minute_whole_run": len(done) / total_min,
        "per_minute_steady": len(steady) / steady_min,
        "steady_window_s": steady_min * 60,
    }


def fmt(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def print_table(name: str, table: dict, hello_rps: float | None) -> list[str]:
    lines = [
        f"### {name}",
        "",
        ("| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | ÷ hello |"),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for endpoint, row in table.items():
        ratio = f"{row['rps'] / hello_rps:.1%}" if hello_rps else "–"
        errors = str(row["errors"]) + (f" {row['error_statuses']}" if row["errors"] else "")
        lines.append(
            f"| {endpoint} | {row['count']} | {errors} | {fmt(row['p50'])} | "
            f"{fmt(row['p95'])} | {fmt(row['p99'])} | {fmt(row['max'])} | "
            f"{fmt(row['rps'], 1)} | {ratio} |"
        )
    return lines


def print_phase(phase: str, table: dict, data: dict, extra: dict) -> None:
    """One phase's lines on the console while the run goes on."""
    print(
        f"[{phase}] "
        + "; ".join(
            f"{k}: n={v['count']} err={v['errors']} p95={fmt(v['p95'])} ms {v['rps']:.1f}/s"
            for k, v in table.items()
        ),
        flush=True,
    )
    ph = data["phase"]
    print(
        f"[{phase}] cores used: server {ph['server_cores']:.2f}, locust {ph['locust_cores']:.2f},"
        f" postgres {ph.get('postgres_cores', 0):.2f},"
        f" other processes {ph['others_cores']:.2f}",
        flush=True,
    )
    if extra.get("completions"):
        print(f"[{phase}] completions {extra['completions']}", flush=True)
    if extra.get("acks"):
        print(f"[{phase}] acks {extra['acks']['acks']} lost {extra['acks']['lost']}", flush=True)


def storm_figures(data: dict, phase: str, users: int) -> dict:
    """Whether every storm user got their attempt, and how fast the starts were answered."""
    extra = {}
    starts = data["starts"]
    samples = [
        s
        for s in data["samples"]  # through the pages: every page of the way
        if phase == "pagestorm" or s[1].startswith("POST /rounds")
    ]
    span = (max(s[0] for s in samples) - min(s[0] for s in samples)) if samples else None
    extra["starts"] = starts
    extra["all_got_their_attempt"] = starts["ok"] == users and starts["attempts"] == users
    extra["requests_sent_within_s"] = span
    if samples:
        extra["starts_answered_per_s"] = starts["ok"] / (
            max(s[0] + s[2] / 1000 for s in samples) - min(s[0] for s in samples)
        )
    extra["last_answer_after_s"] = (
        (max(s[0] + s[2] / 1000 for s in samples) - min(s[0] for s in samples)) if samples else None
    )
    return extra
