"""Shared by the load-test scripts: bulk inserts and seed data; re-exported here, the CPU figures
(cpu_figures.py) and the servers and database resets (scripts/harness.py).

Nothing here goes through the HTTP API: participants, tokens, attempts and entries are written
straight into the tables (executemany on SQLite, COPY on PostgreSQL) so that millions of rows take
minutes, not hours. The app's own code (models, services) is used for the small things: the
organisation, units, the bank, the contest and its rounds.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for _path in (ROOT, ROOT / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from cpu_figures import cpu_seconds, machine, machine_busy_seconds, named_cpu_seconds  # noqa: E402, F401
from harness import (  # noqa: E402, F401  the one gunicorn/nginx/database harness, re-exported
    RAISED,
    RESERVED_DATABASES,
    VENV_BIN,
    database_env,
    drop_database,
    flask,
    free_port,
    is_sqlite,
    kill,
    raised_limits,
    reset_database,
    sqlite_path,
    start_gunicorn,
    start_nginx,
    stop,
    stop_nginx,
    wait_ready,
    worker_pids,
)

DEFAULT_SQLITE = "sqlite:////tmp/contest-load/load.db"

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
MIDDLE = "Văn Thị Hữu Đức Minh Thanh Ngọc Quốc Thu Xuân".split()
GIVEN = (
    "An Bình Cường Dũng Hà Hải Hạnh Hiếu Hoa Hùng Lan Linh Long Mai Nam Nga Phong Phương Quân Tâm "
    "Thảo Trang Tuấn Vy"
).split()


# ---------------------------------------------------------------- databases


def app_env(url: str, **extra) -> dict:
    """The environment of a server or a `flask` command on this database, rate limits raised."""
    settings = {
        "CONTEST_SECRET_KEY": os.environ.get("CONTEST_SECRET_KEY", "load-test-secret-key"),
        **raised_limits("LOGIN", "LOGIN_ACCOUNT", "REGISTER", "SAVES", "CHECK"),
    }
    return database_env(url, **(settings | extra))  # what the caller sets wins


def make_app(url: str, **config):
    from contest import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test-secret-key", **config}
    )


def _sqlite_value(value):
    if isinstance(value, datetime):  # SQLAlchemy's storage format: string comparisons work
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def bulk_insert(engine, table: str, columns: list[str], rows, chunk: int = 50_000) -> int:
    """Insert an iterable of tuples: executemany on SQLite, COPY on PostgreSQL. One commit."""
    raw = engine.raw_connection()
    count = 0
    try:
        if engine.dialect.name == "sqlite":
            cur = raw.cursor()
            cur.execute("BEGIN")
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            batch = []
            for row in rows:
                batch.append(tuple(_sqlite_value(v) for v in row))
                if len(batch) >= chunk:
                    cur.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            if batch:
                cur.executemany(sql, batch)
                count += len(batch)
            cur.execute("COMMIT")
        else:
            cur = raw.cursor()
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        tuple(json.dumps(v) if isinstance(v, (list, dict)) else v for v in row)
                    )
                    count += 1
            raw.commit()
    finally:
        raw.close()
    return count


def next_id(engine, table: str) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return (conn.execute(text(f"SELECT MAX(id) FROM {table}")).scalar() or 0) + 1


def fix_sequences(engine, tables) -> None:
    """After COPY with explicit ids, PostgreSQL's sequences must move past them."""
    if engine.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    with engine.begin() as conn:
        for table in tables:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )
            )


def analyze(engine) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


# ---------------------------------------------------------------- seed data


def seed_units(org_id: int, count: int, rng: random.Random, people: int) -> list[int]:
    """`count` units in two levels (one in 15 is a parent), headcounts near people/count, in a
    unit list of their own (`unit_list_of` gives it, for the contests)."""
    from contest.extensions import db
    from contest.models import Unit, UnitList

    unit_list = UnitList(organisation_id=org_id, name="Danh sách thử tải")
    db.session.add(unit_list)
    db.session.flush()
    parents, ids = [], []
    per_unit = max(1, people // count)
    for i in range(count):
        is_parent = i % 15 == 0
        unit = Unit(
            organisation_id=org_id,
            unit_list_id=unit_list.id,
            code=f"LD{i:04d}",
            name=(
                f"Xã Thử Tải {i // 15 + 1}"
                if is_parent
                else f"Phòng Thử Tải {i} thuộc xã {i // 15 + 1}"
            ),
            parent_id=None if is_parent else parents[-1],
            selectable=is_parent,  # the xã's own staff belong to it, not to a phòng
            headcount=int(per_unit * rng.uniform(1.0, 2.0)),
        )
        db.session.add(unit)
        db.session.flush()
        if is_parent:
            parents.append(unit.id)
        ids.append(unit.id)
    return ids


def unit_list_of(unit_ids: list[int]) -> int:
    """The unit list seed_units made these units in."""
    from contest.extensions import db
    from contest.models import Unit

    return db.session.get(Unit, unit_ids[0]).unit_list_id


def seed_bank(org_id: int, questions: int, rng: random.Random) -> int:
    from contest.extensions import db
    from contest.models import Bank, Choice, Question
    from question_bank.vocab import Difficulty

    bank = Bank(organisation_id=org_id, name=f"Ngân hàng thử tải ({questions} câu)")
    db.session.add(bank)
    db.session.flush()
    topics = [
        "Cải cách thể chế",
        "Cải cách thủ tục hành chính",
        "Chuyển đổi số",
        "Cải cách tài chính công",
        "Xây dựng chính quyền điện tử",
    ]
    for q in range(questions):
        question = Question(
            bank_id=bank.id,
            position=q + 1,
            code=f"Q{q + 1:04d}",
            text=f"Câu hỏi thử tải số {q + 1}: nội dung nào sau đây là đúng "
            f"theo kế hoạch cải cách hành chính năm 2026?",
            topic=topics[q % len(topics)],
            difficulty=Difficulty.MEDIUM.value,
            points=1.0,
            explanation="Giải thích của câu hỏi thử tải.",
            source="",
            multiple=False,
            retired=False,
        )
        db.session.add(question)
        db.session.flush()
        correct = rng.randrange(4)
        for c, label in enumerate("ABCD"):
            db.session.add(
                Choice(
                    question_id=question.id,
                    position=c + 1,
                    label=label,
                    text=f"Phương án {label} của câu {q + 1}",
                    correct=c == correct,
                )
            )
    db.session.flush()
    return bank.id


def seed_open_round(
    org_id: int, unit_ids: list[int], bank_id: int, slug: str, title: str, round_name: str, **extra
) -> int:
    """A contest of these units with one round opened an hour ago and closing in `hours` (6):
    20 questions of the bank, 15 minutes, one attempt, best counts, a perfect_count prediction.
    Committed, the session closed (on SQLite no write lock is left held). The round's id."""
    from contest.extensions import db
    from contest.models import Contest, Round
    from contest.timing import utcnow

    hours = extra.pop("hours", 6)
    contest = Contest(
        organisation_id=org_id, slug=slug, title=title, unit_list_id=unit_list_of(unit_ids), **extra
    )
    db.session.add(contest)
    db.session.flush()
    now = utcnow()
    rules = {"question_count": 20, "time_limit_s": 15 * 60, "grace_s": 30, "max_attempts": 1}
    rnd = Round(
        contest_id=contest.id,
        name=round_name,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=hours),
        bank_id=bank_id,
        counting="best",
        prediction="perfect_count",
        **rules,
    )
    db.session.add(rnd)
    db.session.commit()
    round_id = rnd.id
    db.session.close()
    return round_id


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


USER_COLUMNS = [
    "id",
    "organisation_id",
    "role",
    "full_name",
    "phone",
    "email",
    "cccd",
    "birth_date",
    "gender",
    "address",
    "occupation",
    "category",
    "registered_ip",
    "device",
    "unit_id",
    "password_hash",
    "created_at",
]


def seed_people(
    engine,
    org_id: int,
    unit_ids: list[int],
    count: int,
    rng: random.Random,
    phone_prefix: str = "09",
    tokens: bool = False,
) -> tuple[int, list[str]]:
    """`count` participants, one precomputed password hash shared by all (of the app's current
    kind, so that a login does not replace it; 200,000 hashes of their own would take hours).
    With tokens=True each gets a bearer token (only its SHA-256 stored, as ApiToken.issue
    does). Returns (first user id, tokens)."""
    from contest.passwords import hash_password

    first = next_id(engine, "users")
    password_hash = hash_password("thutai2026")
    from contest.timing import utcnow

    now = utcnow().replace(microsecond=0)

    def users():
        for i in range(count):
            yield (
                first + i,
                org_id,
                "participant",
                person_name(rng),
                f"{phone_prefix}{first + i:08d}",
                None,
                None,
                None,
                None,
                None,
                None,
                "cbccvc",
                "127.0.0.1",
                None,
                unit_ids[i % len(unit_ids)],
                password_hash,
                now,
            )

    bulk_insert(engine, "users", USER_COLUMNS, users())
    clear = []
    if tokens:
        clear = [secrets.token_urlsafe(24) for _ in range(count)]
        token_id = next_id(engine, "api_tokens")
        bulk_insert(
            engine,
            "api_tokens",
            ["id", "user_id", "token_hash", "created_at", "expires_at"],
            (
                (
                    token_id + i,
                    first + i,
                    hashlib.sha256(t.encode()).hexdigest(),
                    now,
                    now + timedelta(days=30),
                )
                for i, t in enumerate(clear)
            ),
        )
    fix_sequences(engine, ["users", "api_tokens"])
    return first, clear
