"""The difficulty-codes migration turns the stored Vietnamese words into codes and back."""

import json
import sqlite3

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from contest import create_app
from contest.extensions import db

BEFORE = "70601cbd8a89"
QUOTAS = [
    {"count": 2, "difficulty": "Khó"},
    {"count": 3, "topic": "Thủ tục", "difficulty": None},
    {"count": 1, "topic": "Chung", "difficulty": "Dễ"},
]


def _old_data(path):
    """Written without foreign keys: only the columns the migration reads matter here."""
    with sqlite3.connect(path) as conn:
        for qid, difficulty in enumerate(["Dễ", "Trung bình", "Khó", "", "Khó"], start=1):
            conn.execute(
                "INSERT INTO questions (id, bank_id, position, text, topic, difficulty, points, "
                "explanation, source, multiple, retired, keep_choice_order) VALUES "
                "(?, 1, ?, 'Câu?', '', ?, 1, '', '', false, false, false)",
                (qid, qid, difficulty),
            )
        for rid, quotas in ((1, QUOTAS), (2, [])):
            conn.execute(
                "INSERT INTO rounds (id, contest_id, name, opens_at, closes_at, bank_id, "
                "question_count, time_limit_s, grace_s, max_attempts, counting, prediction, "
                "draw_quotas, prize_first, prize_second, prize_third, prize_consolation) "
                "VALUES (?, 1, 'r', '2026-01-01', '2026-01-02', 1, 10, 60, 30, 1, 'best', "
                "'none', ?, 1, 1, 1, 1)",
                (rid, json.dumps(quotas)),
            )


def _stored(conn):
    difficulties = dict(conn.execute(text("SELECT id, difficulty FROM questions")).all())
    quotas = {
        rid: json.loads(q) if isinstance(q, str) else q
        for rid, q in conn.execute(text("SELECT id, draw_quotas FROM rounds")).all()
    }
    return difficulties, quotas


def test_difficulty_words_become_codes_and_come_back(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
        }
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        _old_data(tmp_path / "old.db")
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
        db.session.remove()
        db.engine.dispose()
