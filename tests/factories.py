"""Plain helpers the tests share (fixtures are in conftest.py): set-ups several tests start from,
an app on an empty database of its own for the tests that step the migrations, and the first
rows their old data stands on."""

import importlib
import os
import sys
from datetime import timedelta
from pathlib import Path

from conftest import START, iso
from sqlalchemy import text


def report_script():
    """scripts/drafting_report.py as a module (scripts/ is no package): its table's rows and
    its normaliser, written apart from the drafting engine."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    try:
        return importlib.import_module("drafting_report")
    finally:
        sys.path.pop(0)


def migration_database(tmp_path) -> str:
    """SQLite, or MIGRATION_DATABASE_URL: an empty PostgreSQL database of its own (the
    session's TEST_DATABASE_URL holds the suite's schema and must not be stepped back)."""
    return os.environ.get("MIGRATION_DATABASE_URL") or f"sqlite:///{tmp_path / 'old.db'}"


def migration_app(make_app, tmp_path, url: str | None = None):
    """An app on `url` (by default SQLite's old.db in tmp_path) with no schema yet: the test
    upgrades to the revision it starts from. `make_app`: the conftest fixture, which disposes
    the app's engine when the test ends."""
    url = url or f"sqlite:///{tmp_path / 'old.db'}"
    return make_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})


def insert_organisation_and_bank(conn) -> None:
    """Organisation 1 ('o') and its bank 1 ('b'), as raw rows of an old schema."""
    conn.execute(text("INSERT INTO organisations (id, code, name) VALUES (1, 'o', 'O')"))
    conn.execute(
        text(
            "INSERT INTO banks (id, organisation_id, name, created_at) "
            "VALUES (1, 1, 'b', '2026-01-01')"
        )
    )


def insert_old_question(
    conn, qid: int, difficulty: str = "", keep_choice_order: bool | None = None
) -> None:
    """Question `qid` of bank 1 ("Câu?", at place `qid`), as a raw row of an old schema; with
    `keep_choice_order` for a schema that has the column."""
    kept = ", keep_choice_order" if keep_choice_order is not None else ""
    conn.execute(
        text(
            "INSERT INTO questions (id, bank_id, position, text, topic, difficulty, points, "
            f"explanation, source, multiple{kept}, retired) VALUES "
            f"(:id, 1, :id, 'Câu?', '', :d, 1, '', '', false{kept and ', :keep'}, false)"
        ),
        {"id": qid, "d": difficulty} | ({"keep": keep_choice_order} if kept else {}),
    )


def one_prize_round(organiser, make_round, **contest) -> dict:
    """A round (make_round's) of one first prize and no other, closing at START + 1 h; then the
    contest's settings `contest` are put."""
    rnd = make_round(
        prize_first=1,
        prize_second=0,
        prize_third=0,
        prize_consolation=0,
        closes_at=iso(START + timedelta(hours=1)),
    )
    organiser.put("/api/v1/contests/thu", json=contest)
    return rnd
