"""The backup command: a consistent copy of a serving database, which restores."""

import sqlite3
from contextlib import closing

from test_results import play

from contest.extensions import db


def test_backup_is_a_consistent_copy_and_restores(
    app, make_round, register, clock, runner, tmp_path, make_app
):
    rnd = make_round()
    play(app, register(), rnd["id"], 3, clock, 10)
    out = tmp_path / "sao-luu.db"
    result = runner.invoke(args=["backup", str(out)])
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "sqlite":
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(out)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT status, score FROM attempts").fetchall() == [("submitted", 3.0)]
    restored = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{out}", "TESTING": True})
    board = restored.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json
    assert board["entries"][0]["score"] == 3.0
    assert runner.invoke(args=["backup", str(out)]).exit_code != 0  # never overwrites
