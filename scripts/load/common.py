"""Shared by the load-test scripts: bulk inserts, seed data, CPU figures (servers and database
resets: scripts/harness.py, re-exported here).

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
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for _path in (ROOT, ROOT / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from harness import (  # noqa: E402  the one gunicorn/nginx/database harness, re-exported
    RESERVED_DATABASES,
    VENV_BIN,
    database_env,
    free_port,
    is_sqlite,
    reset_database,
    sqlite_path,
    start_gunicorn,
    start_nginx,
    stop,
    stop_nginx,
    wait_ready,
    worker_pids,
)

__all__ = [
    "RESERVED_DATABASES",
    "VENV_BIN",
    "free_port",
    "is_sqlite",
    "reset_database",
    "sqlite_path",
    "start_gunicorn",
    "start_nginx",
    "stop",
    "stop_nginx",
    "wait_ready",
    "worker_pids",
]

DEFAULT_SQLITE = "sqlite:////tmp/contest-load/load.db"
RAISED = "1000000 per minute"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phương",
    "Quân",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
]


# ---------------------------------------------------------------- databases


def app_env(url: str, **extra) -> dict:
    """The environment of a server or a `flask` command on this database, rate limits raised."""
    env = database_env(url)
    env.update(
        CONTEST_SECRET_KEY=env.get("CONTEST_SECRET_KEY", "load-test-secret-key"),
        CONTEST_RATE_LIMIT_LOGIN=RAISED,
        CONTEST_RATE_LIMIT_LOGIN_ACCOUNT=RAISED,
        CONTEST_RATE_LIMIT_REGISTER=RAISED,
        CONTEST_RATE_LIMIT_SAVES=RAISED,
        CONTEST_RATE_LIMIT_CHECK=RAISED,
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


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


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (and their reaped children), in seconds."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick
    return total


def named_cpu_seconds(name: str) -> float:
    """CPU seconds of every process whose command is `name` (e.g. the PostgreSQL server's)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return cpu_seconds(pids)


def machine_busy_seconds() -> float:
    """CPU seconds spent by everything on the machine (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1024 / 1024
    return (
        f"{os.cpu_count()} cores, {mem:.0f} GiB, Python {sys.version.split()[0]}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
