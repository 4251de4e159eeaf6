"""Summarise a py-spy raw (collapsed stacks) profile: where the workers' time went.

    .venv/bin/python scripts/load/profile_summary.py /tmp/contest-load/run-sqlite/profile-save.txt

Prints the share of samples (inclusive) under the frames that matter for this app (waiting for
SQLite's write lock, the database driver, SQLAlchemy, the ORM, Flask, JSON, the access log) and
the functions with the most samples of their own. Only samples inside a request count
(stacks through Flask's wsgi_app); idle threads waiting for connections are left out, so with
`py-spy record --idle` the figures are shares of wall time spent by request threads.
"""

import argparse
import re
from collections import Counter
from pathlib import Path

GROUPS = {
    "waiting for the SQLite write lock (BEGIN IMMEDIATE)": ("_on_begin",),
    "token lookup (ApiToken.find_user)": ("find_user",),
    "answer save (services.attempts.save_answer)": ("save_answer",),
    "start (services.attempts.start_attempt)": ("start_attempt",),
    "drawing an attempt (_new_attempt)": ("_new_attempt",),
    "attempt JSON (present.attempt_json)": ("attempt_json",),
    "submit (services.attempts.submit)": ("submit ",),
    "leaderboard (ranking.leaderboard)": ("leaderboard (",),
    "commit": ("commit (",),
    "database driver (sqlite3/psycopg execute)": (
        "execute (sqlite3",
        "execute (psycopg",
        "do_execute (",
        "do_executemany (",
    ),
    "rate-limit check (flask_limiter, limits)": ("_check_request_limit",),
    "  of it, starting the memory storage's expiry timer thread": ("__schedule_expiry",),
    "waiting for PostgreSQL's answer (psycopg Connection.wait)": ("Connection.wait (psycopg",),
    "JSON bodies (jsonify / pydantic)": ("jsonify (", "parse_body ("),
}


def frames(stack: str) -> list[str]:
    return stack.split(";")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("profile", type=Path)
    p.add_argument("--top", type=int, default=20)
    args = p.parse_args()
    total, in_request = 0, 0
    inclusive, own = Counter(), Counter()
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        if "wsgi_app (flask/app.py" not in stack:
            continue
        in_request += n
        for label, needles in GROUPS.items():
            if any(needle in stack for needle in needles):
                inclusive[label] += n
        leaf = frames(stack)[-1]
        own[re.sub(r":\d+\)", ")", leaf)] += n
    print(f"{args.profile}: {total} samples, {in_request} inside requests")
    if not in_request:
        return
    print("\nshare of in-request samples (inclusive):")
    for label, n in inclusive.most_common():
        print(f"  {n / in_request:6.1%}  {label}")
    print(f"\nfunctions with the most samples of their own (top {args.top}):")
    for name, n in own.most_common(args.top):
        print(f"  {n / in_request:6.1%}  {name}")


if __name__ == "__main__":
    main()
