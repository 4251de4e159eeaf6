"""After the load of scripts/crash_test.py: abandoned attempts made overdue, the database checked
against what the clients were acknowledged, the gunicorn logs counted, and the report printed
(PASS or FAIL with what failed)."""

import re
import sys
from collections import Counter
from datetime import UTC, timedelta
from pathlib import Path

from crash_clients import KILL_WINDOW_S, Run

ROOT = Path(__file__).resolve().parent.parent


def app_for(db_url: str):
    sys.path.insert(0, str(ROOT))
    from contest import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": db_url, "RATELIMIT_ENABLED": False})


def make_overdue(app) -> int:
    """Stand-in for waiting out the 15 minutes: move the start and deadline of every attempt
    still in progress one hour back (only these two columns; nothing else is touched)."""
    from sqlalchemy import select, update

    from contest.extensions import db
    from contest.models import IN_PROGRESS, Attempt

    with app.app_context():
        rows = db.session.execute(
            select(Attempt.id, Attempt.started_at, Attempt.deadline).where(
                Attempt.status == IN_PROGRESS
            )
        ).all()
        for attempt_id, started_at, deadline in rows:
            db.session.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id)
                .values(
                    started_at=started_at - timedelta(hours=1),
                    deadline=deadline - timedelta(hours=1),
                )
            )
        db.session.commit()
    return len(rows)


def check_database(app, run: Run) -> dict:
    from sqlalchemy import select

    from contest.extensions import db
    from contest.models import Answer, Attempt, Entry
    from contest.scoring import score
    from contest.services.attempts import scored_items

    with app.app_context():
        rows = db.session.execute(
            select(
                Answer.attempt_id, Answer.question_id, Answer.seq, Answer.choices, Answer.saved_at
            )
        ).all()
        attempts = db.session.execute(
            select(
                Attempt.id,
                Attempt.status,
                Attempt.score,
                Attempt.max_score,
                Attempt.started_at,
                Attempt.submitted_at,
            )
        ).all()
        rescored = {a.id: score(scored_items(a.id)) for a in attempts}
        entries = {
            attempt_id: (s, voided)
            for attempt_id, s, voided in db.session.execute(
                select(Entry.attempt_id, Entry.score, Entry.voided)
            )
        }
    stored = {(a, q): (seq, sorted(choices)) for a, q, seq, choices, _at in rows}
    saved_at = {(a, q): (seq, at) for a, q, seq, _choices, at in rows}
    found = lost = 0
    lost_examples = []
    newest = {}  # (attempt, question) -> (seq, choices) of the newest save stored as sent
    for attempt_id, question_id, choices, seq, saved_seq in run.acks:
        db_seq = stored.get((attempt_id, question_id), (None, None))[0]
        if db_seq is not None and db_seq >= saved_seq:
            found += 1
        else:
            lost += 1
            lost_examples.append((attempt_id, question_id, saved_seq, db_seq))
        if saved_seq == seq and newest.get((attempt_id, question_id), (0,))[0] < seq:
            newest[(attempt_id, question_id)] = (seq, choices)
    exact = sum(1 for key, want in newest.items() if stored.get(key) == want)
    superseded = sum(
        1 for key, (seq, _c) in newest.items() if key in stored and stored[key][0] > seq
    )
    statuses = Counter(a.status for a in attempts)
    by_id = {a.id: a for a in attempts}
    retried = Counter()  # (kind, "committed before the drop" | "done by the retry" | "unknown")
    for kind, attempt_id, question_id, seq, failed_at in run.retried:
        if kind == "save":
            stored_seq, at = saved_at.get((attempt_id, question_id), (None, None))
            at = at if stored_seq == seq else None  # a later save replaced it: cannot tell
        else:
            row = by_id.get(attempt_id)
            at = row and (row.started_at if kind == "start" else row.submitted_at)
        if at is None:
            retried[(kind, "unknown")] += 1
        else:
            first = at.replace(tzinfo=UTC).timestamp() <= failed_at
            retried[(kind, "committed before the drop" if first else "done by the retry")] += 1
    return {
        "acks": len(run.acks),
        "acks_found": found,
        "acks_lost": lost,
        "lost_examples": lost_examples[:10],
        "answers_checked": len(newest),
        "answers_exact": exact,
        "answers_superseded": superseded,
        "answers_wrong": len(newest) - exact - superseded,
        "answers_in_db": len(stored),
        "attempts_in_db": len(attempts),
        "attempts_unknown_to_clients": len({a.id for a in attempts} - run.attempts),
        "submitted": statuses["submitted"],
        "expired": statuses["expired"],
        "in_progress": statuses["in_progress"],
        "without_score": sum(
            1
            for a in attempts
            if a.status != "in_progress" and (a.score is None or a.max_score is None)
        ),
        "score_mismatch": sum(
            1
            for a in attempts
            if a.status != "in_progress" and (a.score, a.max_score) != rescored[a.id]
        ),
        "submits_acked": len(run.submitted),
        "submits_not_submitted": sum(
            1 for i in run.submitted if by_id.get(i) is None or by_id[i].status != "submitted"
        ),
        "submits_score_changed": sum(
            1
            for i, s in run.submitted.items()
            if i in by_id and (by_id[i].score, by_id[i].max_score) != s
        ),
        "abandoned_expired": sum(
            1 for i in run.abandoned if i in by_id and by_id[i].status == "expired"
        ),
        "retried": {f"{kind}: {what}": n for (kind, what), n in sorted(retried.items())},
        "without_entry": sum(
            1
            for a in attempts
            if a.status != "in_progress" and (a.id not in entries or entries[a.id][0] != a.score)
        ),
    }


def server_log_figures(log: Path) -> dict:
    access = log.with_suffix(".access")
    statuses = Counter()
    if access.exists():
        for line in access.read_text(errors="replace").splitlines():
            match = re.search(r'" (\d{3}) ', line)
            if match:
                statuses[match.group(1)] += 1
    text = log.read_text(errors="replace") if log.exists() else ""
    return {
        "server_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "server_requests": sum(statuses.values()),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "booted": len(re.findall(r"Booting worker with pid", text)),
        "sigkill_noticed": len(re.findall(r"was sent SIGKILL", text)),
    }


def report(run: Run, db: dict, logs: dict, extra: dict) -> bool:
    kill_times = [t for t, _pid, _r in run.kills]
    near_kill = sum(
        1 for t, _k, _e in run.conn_errors if any(0 <= t - k <= KILL_WINDOW_S for k in kill_times)
    )
    errors_by_kind = Counter(kind for _t, kind, _e in run.conn_errors)
    errors_by_class = Counter(cls for _t, _k, cls in run.conn_errors)
    lines = [
        ("database", extra["database"]),
        (
            "gunicorn",
            (
                f"{run.args.workers} workers x {run.args.worker_threads} threads, "
                f"{run.args.threads} client threads"
            ),
        ),
        ("participants", run.args.participants),
        ("participants who ran (to the end, or until stopped)", run.participants_done),
        ("attempts started", len(run.attempts)),
        ("  abandoned on purpose (no submit)", len(run.abandoned)),
        ("requests answered (by kind)", dict(sorted(run.requests.items()))),
        ("acknowledged saves", db["acks"]),
        ("  found in the database (same or higher seq)", db["acks_found"]),
        ("  LOST", db["acks_lost"]),
        ("final answers checked (newest ack per question)", db["answers_checked"]),
        ("  stored exactly (seq and choices)", db["answers_exact"]),
        ("  superseded by a later unacknowledged save", db["answers_superseded"]),
        ("  wrong", db["answers_wrong"]),
        ("stale replays answered with the stored seq", dict(run.stale_replays)),
        ("in progress before the sweep (made overdue)", extra["made_overdue"]),
        ("close-expired", extra["close_expired"].strip()),
        ("attempts in the database", db["attempts_in_db"]),
        ("  submitted", db["submitted"]),
        ("  expired", db["expired"]),
        ("  still in progress", db["in_progress"]),
        ("  finished without a score", db["without_score"]),
        ("  score differs from a rescoring of the stored answers", db["score_mismatch"]),
        ("  finished without a matching entry", db["without_entry"]),
        ("  unknown to the clients", db["attempts_unknown_to_clients"]),
        ("acknowledged submits", db["submits_acked"]),
        ("  not submitted in the database", db["submits_not_submitted"]),
        ("  score changed since acknowledged", db["submits_score_changed"]),
        ("abandoned attempts now expired", db["abandoned_expired"]),
        (
            "HTTP errors seen by clients (kind, status)",
            {f"{k} {s}": n for (k, s), n in sorted(run.http_errors.items())} or 0,
        ),
        ("connection errors (retried)", len(run.conn_errors)),
        (f"  within {KILL_WINDOW_S} s after a kill", near_kill),
        ("  by request kind", dict(errors_by_kind) or 0),
        ("  by exception", dict(errors_by_class) or 0),
        ("requests answered on a retry (by try number)", dict(sorted(run.recovered.items())) or 0),
        ("  acknowledged after a drop: had the first try committed?", db["retried"] or 0),
        ("register answered 409 after a lost answer, logged in", run.register_recovered),
        ("participants who gave up after retries", dict(run.gave_up) or 0),
        ("worker kills (SIGKILL)", len(run.kills)),
        *[
            (
                f"  kill {i + 1}: pid {pid}",
                "replaced after " + (f"{r:.2f} s" if r is not None else "NOT replaced"),
            )
            for i, (_t, pid, r) in enumerate(run.kills)
        ],
        (
            "gunicorn log: workers booted / SIGKILL noticed",
            f"{logs['booted']} / {logs['sigkill_noticed']}",
        ),
        ("server access log: requests / 5xx", f"{logs['server_requests']} / {logs['server_5xx']}"),
        ("server tracebacks", logs["tracebacks"]),
        ("load phase", f"{extra['load_s']:.1f} s"),
    ]
    width = max(len(label) for label, _v in lines)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}")
    problems = []
    if db["acks_lost"]:
        problems.append(f"{db['acks_lost']} acknowledged saves lost: {db['lost_examples']}")
    if db["answers_wrong"]:
        problems.append(f"{db['answers_wrong']} stored answers differ from the acknowledged ones")
    if db["in_progress"]:
        problems.append(f"{db['in_progress']} attempts still in progress")
    for key, what in (
        ("without_score", "finished without a score"),
        ("score_mismatch", "scores differ from a rescoring"),
        ("without_entry", "finished attempts without their entry"),
        ("submits_not_submitted", "acknowledged submits not submitted"),
        ("submits_score_changed", "acknowledged scores changed"),
    ):
        if db[key]:
            problems.append(f"{db[key]} {what}")
    if run.stale_replays["wrong"]:
        problems.append(f"{run.stale_replays['wrong']} stale saves overwrote a newer one")
    if logs["server_5xx"] or any(s >= 500 for _k, s in run.http_errors):
        problems.append("the server answered 5xx (an application error)")
    if len(run.kills) < run.args.kills:
        problems.append(f"only {len(run.kills)} of {run.args.kills} kills happened")
    print()
    if problems:
        print("FAIL:\n  " + "\n  ".join(problems))
    else:
        print(
            "PASS: every acknowledged answer is in the database; every attempt is submitted "
            "or expired with its score."
        )
    return not problems
