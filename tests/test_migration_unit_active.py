"""Migration 6fdc783774a7 keeps existing data: every unit there was stays active (offered at
registration), every upload waiting for confirmation stays a bank's; and it goes back down."""

from factories import migration_app, migration_database
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from contest.extensions import db

BEFORE, AFTER = "6108ff2c62c1", "6fdc783774a7"  # its down_revision, itself


def test_units_stay_active_and_pending_uploads_stay_banks(make_app, tmp_path):
    app = migration_app(make_app, tmp_path, migration_database(tmp_path))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organisations (id, code, name) VALUES (1, 'o', 'O')"))
            conn.execute(
                text(
                    "INSERT INTO units (id, organisation_id, code, name, headcount, "
                    "excluded_from_prizes) VALUES (1, 1, 'UB', 'UBND', 10, false)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO users (id, organisation_id, role, full_name, "
                    "password_hash, category, created_at) VALUES (1, 1, 'organiser', "
                    "'BTC', 'x', 'cbccvc', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO pending_uploads (id, organisation_id, user_id, name, "
                    "filename, data, created_at) VALUES (1, 1, 1, 'NH', 'nh.xlsx', "
                    ":d, '2026-01-01')"
                ),
                {"d": b"PK"},
            )
        upgrade(revision=AFTER)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT code, headcount, active FROM units")).one() == (
                "UB",
                10,
                True,
            )
            assert conn.execute(text("SELECT kind FROM pending_uploads")).scalar() == "bank"
        with db.engine.begin() as conn:  # a unit added later is active unless told otherwise
            conn.execute(
                text(
                    "INSERT INTO units (id, organisation_id, code, name, headcount, "
                    "excluded_from_prizes) VALUES (2, 1, 'XA', 'Xã', 3, false)"
                )
            )
            assert conn.execute(text("SELECT active FROM units WHERE code = 'XA'")).scalar()
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM units")).scalar() == 2
            assert conn.execute(text("SELECT filename FROM pending_uploads")).scalar() == "nh.xlsx"
