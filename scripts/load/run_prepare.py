"""The preparation of scripts/load/run.py: the database reset and migrated, then units, a bank,
the contest, an open round and the participants in bulk, with their bearer tokens (and, for
the phases through the pages, their session cookies), one file of them per phase."""

from __future__ import annotations

import math
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

PAGE_PHASES = ("pagestorm", "pages")  # through the pages, with session cookies
SLUG = "thu-tai"
QUESTIONS = 20


def think(args) -> tuple[float, float]:
    lo, hi = (float(x) for x in args.think.split(","))
    return lo, hi


def prepare(args, pools: dict[str, int], out: Path) -> int:
    """Reset and migrate the database; units, bank, contest, an open round and participants
    with tokens; one token file per phase. Returns the round id."""
    from contest.extensions import db
    from contest.services.accounts import default_organisation

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    common.reset_database(args.db)
    people = sum(pools.values())
    app = common.make_app(args.db)
    with app.app_context():
        org = default_organisation()
        org_id = org.id
        unit_ids = common.seed_units(org.id, 300, rng, people)
        bank_id = common.seed_bank(org.id, 100, rng)
        round_id = common.seed_open_round(
            org_id,
            unit_ids,
            bank_id,
            SLUG,
            "Cuộc thi thử tải",
            "Đợt thử tải",
            masking="partial",
        )
        first, tokens = common.seed_people(db.engine, org_id, unit_ids, people, rng, tokens=True)
        common.analyze(db.engine)
        db.engine.dispose()
    start = 0
    for name, count in pools.items():
        (out / f"tokens-{name}.txt").write_text("\n".join(tokens[start : start + count]) + "\n")
        if name in PAGE_PHASES:
            ids = range(first + start, first + start + count)
            (out / f"cookies-{name}.txt").write_text("\n".join(session_cookies(app, ids)) + "\n")
        start += count
    print(
        f"prepared {args.db}: round {round_id}, {people} participants with tokens "
        f"in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    return round_id


def session_cookies(app, user_ids) -> list[str]:
    """The signed session cookie each participant's browser holds after logging in, made in
    bulk as the bearer tokens are: a server-side session row (user_sessions, as
    contest.auth.sign_in makes it, SHA-256 of a random key) and the cookie Flask signs with
    Flask-Login's user id, that key and the CSRF secret."""
    import hashlib
    import secrets

    from contest.extensions import db
    from contest.timing import utcnow

    serializer = app.session_interface.get_signing_serializer(app)
    now = utcnow().replace(microsecond=0)
    keys = [secrets.token_urlsafe(32) for _ in user_ids]
    with app.app_context():
        first = common.next_id(db.engine, "user_sessions")
        common.bulk_insert(
            db.engine,
            "user_sessions",
            ["id", "user_id", "key_hash", "created_at", "expires_at", "remember"],
            (
                (
                    first + i,
                    uid,
                    hashlib.sha256(key.encode()).hexdigest(),
                    now,
                    now + timedelta(days=1),
                    False,
                )
                for i, (uid, key) in enumerate(zip(user_ids, keys, strict=True))
            ),
        )
        common.fix_sequences(db.engine, ["user_sessions"])
        db.engine.dispose()
    return [
        serializer.dumps(
            {"_user_id": str(uid), "_fresh": True, "sid": key, "csrf_token": secrets.token_hex(20)}
        )
        for uid, key in zip(user_ids, keys, strict=True)
    ]


def token_pools(args, phases) -> dict[str, int]:
    tmin, _tmax = think(args)
    pools = {}
    if "save" in phases:
        pools["save"] = args.sat_users
    if "start" in phases:
        pools["start"] = 150 * args.sat_seconds  # more than the server can start meanwhile
    shortest = QUESTIONS * tmin + 2 * tmin + 0.5
    for storm in ("storm", "pagestorm"):
        if storm in phases:
            pools[storm] = args.storm_users
    for sustained in ("sustained", "pages"):
        if sustained in phases:
            pools[sustained] = args.users * (math.ceil(args.minutes * 60 / shortest) + 2)
    return pools
