"""Fill a database for the read-side figures: one round with 1,000,000 finished attempts by
200,000 people in 300 units (and their entries: one per person, the best), plus a second contest
whose round has exactly 100,000 entries, for the 100,000-row results export.

    .venv/bin/python scripts/load/generate.py                        # SQLite, /tmp/contest-load/read.db
    .venv/bin/python scripts/load/generate.py --db postgresql://postgres@127.0.0.1:5432/load_read

The database is reset first (never name one that others use). Nothing goes through the API:
the small things (organisation, units, bank, contests, rounds) through the app's models, the
big tables with executemany (SQLite) or COPY (PostgreSQL) with precomputed ids. Attempts are
finished (submitted, a few expired) with scores, durations and predictions; the round asks the
perfect_count prediction (as the demo round does), is closed, and is not finalized yet, so that
scripts/load/read_side.py can time closing it. Attempts carry no drawn questions or answers:
none of the read-side figures reads them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

MAIN_SLUG = "thu-tai-1-trieu"
EXPORT_SLUG = "thu-tai-xuat-100k"
DEFAULT_DB = "sqlite:////tmp/contest-load/read.db"

ATTEMPT_COLUMNS = [
    "id",
    "user_id",
    "round_id",
    "seq",
    "status",
    "started_at",
    "deadline",
    "submitted_at",
    "score",
    "max_score",
    "duration_ms",
    "prediction",
]
ENTRY_COLUMNS = [
    "id",
    "round_id",
    "user_id",
    "unit_id",
    "attempt_id",
    "score",
    "max_score",
    "prediction",
    "prediction_distance",
    "duration_ms",
    "submitted_at",
    "voided",
    "void_reason",
]
QUESTIONS, LIMIT_S = 20, 15 * 60


def attempts_per_person(people: int, attempts: int, most: int, rng: random.Random) -> list[int]:
    """Between 1 and `most` attempts each, adding up to exactly `attempts`."""
    if not people <= attempts <= people * most:
        raise SystemExit("attempts must be between people and people * max_attempts")
    base, extra = divmod(attempts, people)
    counts = [base + (i < extra) for i in range(people)]
    for _ in range(people):  # move attempts between two people, keeping the total
        a, b = rng.randrange(people), rng.randrange(people)
        move = rng.randint(0, min(counts[a] - 1, most - counts[b]))
        counts[a] -= move
        counts[b] += move
    rng.shuffle(counts)
    return counts


def make_attempts(
    first_attempt: int,
    first_user: int,
    counts: list[int],
    user_units: list[int],
    round_id: int,
    opens,
    closes,
    rng: random.Random,
    entries: list,
    first_entry: int,
):
    """Yield attempt rows; collect each person's best one (the ranking order, no prediction
    truth yet) as an entry row into `entries`."""
    attempt_id = first_attempt
    window = (closes - opens).total_seconds() - LIMIT_S - 60
    for person, count in enumerate(counts):
        user_id = first_user + person
        skill = rng.uniform(0.35, 0.97)
        best, best_key = None, None
        for seq in range(1, count + 1):
            started = opens + timedelta(seconds=rng.uniform(0, window))
            deadline = started + timedelta(seconds=LIMIT_S)
            if rng.random() < 0.03:  # time ran out: scored from what was saved, at the deadline
                status, duration, prediction = "expired", LIMIT_S * 1000, None
            else:
                status = "submitted"
                duration = rng.randint(40_000, LIMIT_S * 1000 - 1)
                prediction = rng.randrange(0, 40_000)
            submitted = started + timedelta(milliseconds=duration)
            score = float(min(QUESTIONS, max(0, round(rng.gauss(skill * QUESTIONS, 2.0)))))
            row = (
                attempt_id,
                user_id,
                round_id,
                seq,
                status,
                started,
                deadline,
                submitted,
                score,
                float(QUESTIONS),
                duration,
                prediction,
            )
            key = (-score, duration, submitted, attempt_id)
            if best_key is None or key < best_key:
                best, best_key = row, key
            yield row
            attempt_id += 1
        entries.append(
            (
                first_entry + len(entries),
                round_id,
                user_id,
                user_units[person],
                best[0],
                best[8],
                best[9],
                best[11],
                None,
                best[10],
                best[7],
                False,
                None,
            )
        )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--people", type=int, default=200_000)
    p.add_argument("--attempts", type=int, default=1_000_000)
    p.add_argument("--units", type=int, default=300)
    p.add_argument("--max-attempts", type=int, default=10)
    p.add_argument(
        "--export-rows",
        type=int,
        default=100_000,
        help="entries of the second contest (the results-export figure)",
    )
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args(argv)
    if args.export_rows > args.people:
        raise SystemExit("--export-rows cannot exceed --people")

    from contest.extensions import db
    from contest.models import Contest, Round
    from contest.services.accounts import default_organisation
    from contest.timing import utcnow

    rng = random.Random(args.seed)
    timings = {}
    t0 = time.perf_counter()
    common.reset_database(args.db)
    timings["reset_and_migrate_s"] = time.perf_counter() - t0
    app = common.make_app(args.db)
    with app.app_context():
        t = time.perf_counter()
        org_id = default_organisation().id
        unit_ids = common.seed_units(org_id, args.units, rng, args.people)
        bank_id = common.seed_bank(org_id, 100, rng)
        now = utcnow().replace(microsecond=0)
        closes = now - timedelta(days=1)
        opens = closes - timedelta(days=7)
        rounds = {}
        for slug, title in (
            (MAIN_SLUG, "Thử tải: 1.000.000 lượt thi"),
            (EXPORT_SLUG, "Thử tải: xuất 100.000 dòng kết quả"),
        ):
            contest = Contest(
                organisation_id=org_id,
                slug=slug,
                title=title,
                masking="partial",
                unit_list_id=common.unit_list_of(unit_ids),
            )
            db.session.add(contest)
            db.session.flush()
            rnd = Round(
                contest_id=contest.id,
                name="Đợt 1",
                opens_at=opens,
                closes_at=closes,
                bank_id=bank_id,
                question_count=QUESTIONS,
                time_limit_s=LIMIT_S,
                grace_s=30,
                max_attempts=args.max_attempts,
                counting="best",
                prediction="perfect_count",
            )
            db.session.add(rnd)
            db.session.flush()
            rounds[slug] = (contest.id, rnd.id)
        db.session.commit()
        db.session.close()
        engine = db.engine
        timings["small_tables_s"] = time.perf_counter() - t

        t = time.perf_counter()
        first_user, _ = common.seed_people(
            engine, org_id, unit_ids, args.people, rng, phone_prefix="08"
        )
        user_units = [unit_ids[i % len(unit_ids)] for i in range(args.people)]
        timings["users_s"] = time.perf_counter() - t

        t = time.perf_counter()
        counts = attempts_per_person(args.people, args.attempts, args.max_attempts, rng)
        entries: list = []
        main_round = rounds[MAIN_SLUG][1]
        n = common.bulk_insert(
            engine,
            "attempts",
            ATTEMPT_COLUMNS,
            make_attempts(
                1, first_user, counts, user_units, main_round, opens, closes, rng, entries, 1
            ),
        )
        export_round = rounds[EXPORT_SLUG][1]
        m = common.bulk_insert(
            engine,
            "attempts",
            ATTEMPT_COLUMNS,
            make_attempts(
                n + 1,
                first_user,
                [1] * args.export_rows,
                user_units,
                export_round,
                opens,
                closes,
                rng,
                entries,
                1 + args.people,
            ),
        )
        timings["attempts_s"] = time.perf_counter() - t

        t = time.perf_counter()
        common.bulk_insert(engine, "entries", ENTRY_COLUMNS, entries)
        timings["entries_s"] = time.perf_counter() - t
        t = time.perf_counter()
        common.fix_sequences(engine, ["attempts", "entries"])
        common.analyze(engine)
        timings["analyze_s"] = time.perf_counter() - t
        engine.dispose()
    timings["total_s"] = time.perf_counter() - t0
    summary = {
        "db": args.db,
        "people": args.people,
        "units": args.units,
        "attempts": n + m,
        "entries": len(entries),
        "main": {
            "slug": MAIN_SLUG,
            "contest_id": rounds[MAIN_SLUG][0],
            "round_id": main_round,
            "attempts": n,
            "entries": args.people,
        },
        "export": {
            "slug": EXPORT_SLUG,
            "contest_id": rounds[EXPORT_SLUG][0],
            "round_id": export_round,
            "entries": args.export_rows,
        },
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "machine": common.machine(),
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
