"""The issue-17 migrations keep existing data and fill the new columns by the import's rules."""

import sqlite3
from contextlib import closing

from factories import insert_old_question, insert_organisation_and_bank, migration_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from contest.extensions import db

BEFORE = "8d2f4a6b9c31"


def test_existing_questions_get_keep_choice_order_by_the_import_rule(make_app, tmp_path):
    app = migration_app(make_app, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            insert_organisation_and_bank(conn)
            for qid, last in (
                (1, "Tất cả các phương án trên"),
                (2, "Hà Nội"),
                (3, "Cả A và B đều đúng"),
            ):
                insert_old_question(conn, qid)
                for pos, choice in enumerate(["Huế", "Đà Nẵng", last]):
                    conn.execute(
                        text(
                            "INSERT INTO choices (question_id, position, label, text, correct) "
                            "VALUES (:q, :p, :l, :t, :c)"
                        ),
                        {"q": qid, "p": pos, "l": "ABC"[pos], "t": choice, "c": pos == 0},
                    )
        upgrade()
        with db.engine.connect() as conn:
            kept = dict(conn.execute(text("SELECT id, keep_choice_order FROM questions")).all())
            assert {k: bool(v) for k, v in kept.items()} == {1: True, 2: False, 3: True}
            assert conn.execute(text("SELECT count(*) FROM choices")).scalar() == 9
        downgrade(revision=BEFORE)


def test_never_drawn_choices_get_random_ids_and_drawn_ones_keep_theirs(make_app, tmp_path):
    app = migration_app(make_app, tmp_path)
    with app.app_context():
        upgrade(revision="a17c01d2e3f4")
        with db.engine.begin() as conn:
            insert_organisation_and_bank(conn)
            for qid in (1, 2):
                insert_old_question(conn, qid)
                for pos in range(4):
                    conn.execute(
                        text(
                            "INSERT INTO choices (id, question_id, position, label, text, correct) "
                            "VALUES (:id, :q, :p, :l, 'x', false)"
                        ),
                        {"id": qid * 10 + pos, "q": qid, "p": pos, "l": "ABCD"[pos]},
                    )
        _drawn(tmp_path / "old.db")
        upgrade()
        with db.engine.connect() as conn:
            ids = dict(conn.execute(text("SELECT id, question_id FROM choices")).all())
        assert sorted(i for i, q in ids.items() if q == 1) == [10, 11, 12, 13]  # drawn: kept
        fresh = [i for i, q in ids.items() if q == 2]
        assert len(fresh) == 4 and all(i >= 2**40 for i in fresh)


def _drawn(path):
    """Question 1 was drawn by an attempt (written without foreign keys: only the draw counts)."""
    with closing(sqlite3.connect(path)) as conn, conn:  # commits, then closes
        conn.execute(
            "INSERT INTO attempt_questions (attempt_id, question_id, position, "
            "choice_order) VALUES (1, 1, 0, '[10, 11, 12, 13]')"
        )


def test_existing_rounds_get_the_default_score_display(make_app, tmp_path):
    path = tmp_path / "old.db"
    app = migration_app(make_app, tmp_path)
    with app.app_context():
        upgrade(revision="b17d4e5f6a70")
        # only the columns the rule reads matter here; commits, then closes
        with closing(sqlite3.connect(path)) as conn, conn:
            for rid, attempts in ((1, 1), (2, 3), (3, 0)):
                conn.execute(
                    "INSERT INTO rounds (id, contest_id, name, opens_at, closes_at, bank_id, "
                    "question_count, time_limit_s, grace_s, max_attempts, counting, prediction, "
                    "draw_quotas, prize_first, prize_second, prize_third, prize_consolation) "
                    "VALUES (?, 1, 'r', '2026-01-01', '2026-01-02', 1, 1, 60, 30, ?, 'best', "
                    "'none', '[]', 1, 1, 1, 1)",
                    (rid, attempts),
                )
        upgrade()
        with db.engine.connect() as conn:
            shown = dict(conn.execute(text("SELECT id, score_display FROM rounds")).all())
        assert shown == {1: "after_submit", 2: "after_close", 3: "after_close"}
