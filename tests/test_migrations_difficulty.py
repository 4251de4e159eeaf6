"""The difficulty-codes migration turns the stored Vietnamese words into codes and back."""

import json
from datetime import datetime

from factories import insert_old_question, migration_app, migration_database
from flask_migrate import downgrade, upgrade
from sqlalchemy import JSON, DateTime, Integer, String, column, table, text

from contest.extensions import db

BEFORE = "70601cbd8a89"
MOMENT = datetime(2026, 1, 1)
ROUNDS = table(
    "rounds",
    column("draw_quotas", JSON),
    *[
        column(name, kind)
        for kind, names in (
            (Integer, "id contest_id bank_id question_count time_limit_s grace_s max_attempts"),
            (Integer, "prize_first prize_second prize_third prize_consolation"),
            (String, "name counting prediction"),
            (DateTime, "opens_at closes_at"),
        )
        for name in names.split()
    ],
)
QUOTAS = [
    {"count": 2, "difficulty": "Khó"},
    {"count": 3, "topic": "Thủ tục", "difficulty": None},
    {"count": 1, "topic": "Chung", "difficulty": "Dễ"},
]


def _old_data(conn):
    conn.execute(text("INSERT INTO organisations (id, code, name) VALUES (1, 'o', 'O')"))
    conn.execute(
        text("INSERT INTO banks (id, organisation_id, name, created_at) VALUES (1, 1, 'b', :t)"),
        {"t": MOMENT},
    )
    for qid, difficulty in enumerate(["Dễ", "Trung bình", "Khó", "", "Khó"], start=1):
        insert_old_question(conn, qid, difficulty)
    conn.execute(
        text(
            "INSERT INTO contests (id, organisation_id, slug, title, description, rules, "
            "masking, created_at) VALUES (1, 1, 'c', 'C', '', '', 'none', :t)"
        ),
        {"t": MOMENT},
    )
    for rid, quotas in ((1, QUOTAS), (2, [])):
        conn.execute(
            ROUNDS.insert().values(
                id=rid,
                contest_id=1,
                name="r",
                opens_at=MOMENT,
                closes_at=MOMENT,
                bank_id=1,
                question_count=10,
                time_limit_s=60,
                grace_s=30,
                max_attempts=1,
                counting="best",
                prediction="none",
                draw_quotas=quotas,
                prize_first=1,
                prize_second=1,
                prize_third=1,
                prize_consolation=1,
            )
        )


def _stored(conn):
    difficulties = dict(conn.execute(text("SELECT id, difficulty FROM questions")).all())
    quotas = {
        rid: json.loads(q) if isinstance(q, str) else q
        for rid, q in conn.execute(text("SELECT id, draw_quotas FROM rounds")).all()
    }
    return difficulties, quotas


def test_difficulty_words_become_codes_and_come_back(make_app, tmp_path):
    app = migration_app(make_app, tmp_path, migration_database(tmp_path))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _old_data(conn)
        upgrade()
        with db.engine.connect() as conn:
            difficulties, quotas = _stored(conn)
        assert difficulties == {1: "easy", 2: "medium", 3: "hard", 4: "", 5: "hard"}
        assert quotas == {
            1: [
                {"count": 2, "difficulty": "hard"},
                {"count": 3, "topic": "Thủ tục", "difficulty": None},
                {"count": 1, "topic": "Chung", "difficulty": "easy"},
            ],
            2: [],
        }
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            difficulties, quotas = _stored(conn)
        assert difficulties == {1: "Dễ", 2: "Trung bình", 3: "Khó", 4: "", 5: "Khó"}
        assert quotas == {1: QUOTAS, 2: []}
