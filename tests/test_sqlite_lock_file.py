"""The per-connection lock file beside a SQLite database is closed with its connection."""

import gc
import warnings

from sqlalchemy import create_engine, text

import contest.sqlite  # noqa: F401  (registers the engine events)


def _engine(tmp_path):
    return create_engine(f"sqlite:///{tmp_path / 'lock.db'}")


def _resource_warnings(action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
        gc.collect()
    return [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_dispose_closes_the_lock_file(tmp_path):
    def use_and_dispose():
        engine = _engine(tmp_path)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        engine.dispose()

    assert _resource_warnings(use_and_dispose) == []


def test_an_engine_dropped_without_dispose_leaks_no_lock_file(tmp_path):
    def use_and_drop():
        engine = _engine(tmp_path)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        del engine

    assert _resource_warnings(use_and_drop) == []


def test_an_invalidated_connection_closes_its_lock_file(tmp_path):
    def invalidate_and_reconnect():
        engine = _engine(tmp_path)
        with engine.connect() as conn:
            conn.invalidate()
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()

    assert _resource_warnings(invalidate_and_reconnect) == []
