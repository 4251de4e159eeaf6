"""The issue-14 migration keeps today's data: each organisation's units become one list its
contests use, and everyone who started an attempt in a contest gets a participation there with
the unit and category their account holds (their entries keep the unit they carry)."""

from factories import migration_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from contest.extensions import db

BEFORE = "2e31be759a2b"  # the down_revision of the unit lists migration
ROWS = [
    (
        "INSERT INTO organisations (id, code, name) VALUES (1, 'default', 'A'), (2, 'ds', 'B'), "
        "(3, 'trong', 'C')"
    ),
    (
        "INSERT INTO units (id, organisation_id, code, name, parent_id, headcount, "
        "excluded_from_prizes) VALUES (1, 1, 'UB', 'UBND', NULL, 0, false), "
        "(2, 1, 'PNV', 'Phòng Nội vụ', 1, 9, false), (3, 2, 'PNV', 'Phòng Nội vụ', NULL, 5, false)"
    ),
    (
        "INSERT INTO users (id, organisation_id, role, full_name, phone, category, unit_id, "
        "password_hash, created_at) VALUES (1, 1, 'participant', 'An', '0912000001', 'cbccvc', 2, "
        "'x', '2026-01-01'), (2, 1, 'participant', 'Bình', '0912000002', 'nhan_dan', 3, 'x', "
        "'2026-01-01'), (3, 1, 'participant', 'Chi', '0912000003', 'cbccvc', 2, 'x', '2026-01-01')"
    ),
    "INSERT INTO banks (id, organisation_id, name, created_at) VALUES (1, 1, 'b', '2026-01-01')",
    (
        "INSERT INTO contests (id, organisation_id, slug, title, description, rules, masking, "
        "created_at) VALUES (1, 1, 'mot', 'Một', '', '', 'none', '2026-01-01'), "
        "(2, 2, 'hai', 'Hai', '', '', 'none', '2026-01-01'), "
        "(3, 3, 'ba', 'Ba', '', '', 'none', '2026-01-01')"
    ),
    (
        "INSERT INTO rounds (id, contest_id, name, opens_at, closes_at, bank_id, question_count, "
        "time_limit_s, grace_s, max_attempts, counting, prediction, prize_first, prize_second, "
        "prize_third, prize_consolation) VALUES "
        "(1, 1, 'T1', '2026-01-01', '2026-02-01', 1, 5, 60, 30, 2, 'best', 'none', 1, 2, 3, 5), "
        "(2, 1, 'T2', '2026-01-01', '2026-02-01', 1, 5, 60, 30, 2, 'best', 'none', 1, 2, 3, 5), "
        "(3, 2, 'T1', '2026-01-01', '2026-02-01', 1, 5, 60, 30, 2, 'best', 'none', 1, 2, 3, 5)"
    ),
    (
        "INSERT INTO attempts (id, user_id, round_id, seq, status, started_at, deadline) VALUES "
        "(1, 1, 1, 1, 'submitted', '2026-01-03', '2026-01-03'), "
        "(2, 1, 1, 2, 'submitted', '2026-01-02', '2026-01-02'), "
        "(3, 1, 2, 1, 'in_progress', '2026-01-05', '2026-01-05'), "
        "(4, 2, 3, 1, 'submitted', '2026-01-04', '2026-01-04')"
    ),
    (
        "INSERT INTO entries (id, round_id, user_id, unit_id, attempt_id, score, max_score, "
        "duration_ms, submitted_at, voided) VALUES (1, 1, 1, 1, 1, 3, 5, 10, '2026-01-03', false)"
    ),
]


def test_lists_contests_and_participations_come_from_todays_data(make_app, tmp_path):
    app = migration_app(make_app, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
        upgrade()
        with db.engine.connect() as conn:
            lists = conn.execute(text("SELECT organisation_id, id, name FROM unit_lists")).all()
            assert sorted((o, n) for o, _i, n in lists) == [
                (1, "Danh sách đơn vị"),
                (2, "Danh sách đơn vị"),
            ]
            list_of = {o: i for o, i, _n in lists}
            units = dict(conn.execute(text("SELECT id, unit_list_id FROM units")).all())
            assert units == {1: list_of[1], 2: list_of[1], 3: list_of[2]}
            contests = dict(conn.execute(text("SELECT slug, unit_list_id FROM contests")).all())
            assert contests == {"mot": list_of[1], "hai": list_of[2], "ba": None}
            parts = conn.execute(
                text(
                    "SELECT contest_id, user_id, unit_id, category, joined_at FROM participations "
                    "ORDER BY contest_id, user_id"
                )
            ).all()
            assert [tuple(p[:4]) for p in parts] == [(1, 1, 2, "cbccvc"), (2, 2, 3, "nhan_dan")]
            assert str(parts[0][4]).startswith("2026-01-02")  # the first attempt's start
            assert conn.execute(text("SELECT unit_id FROM entries")).scalar() == 1  # kept
            # the same code may now be in two lists of one organisation
            conn.execute(
                text(
                    "INSERT INTO unit_lists (id, organisation_id, name, created_at) "
                    "VALUES (9, 1, 'Nhân dân', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO units (organisation_id, unit_list_id, code, name, "
                    "headcount, excluded_from_prizes) VALUES "
                    "(1, 9, 'PNV', 'Phòng Nội vụ', 0, false)"
                )
            )
            conn.rollback()
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM units")).scalar() == 3
