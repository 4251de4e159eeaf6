"""The in-process rate-limit storage under many threads: exact counts, one sweeper, no errors."""

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from contest import ratelimit


def test_the_app_uses_the_swept_storage(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "swept-memory://"
    from contest.extensions import limiter

    assert isinstance(limiter.storage, ratelimit.SweptMemoryStorage)


def test_many_threads_count_exactly_with_one_sweeper():
    storage = storage_from_string("swept-memory://")
    errors, threads = [], []

    def hit(n):
        try:
            for i in range(n):
                storage.incr(f"k{i % 7}", expiry=60)
        except RuntimeError as exc:  # the base class's timer race: "can only be started once"
            errors.append(exc)

    before = threading.active_count()
    for _ in range(16):
        threads.append(threading.Thread(target=hit, args=(700,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(storage.get(f"k{i}") for i in range(7)) == 16 * 700
    sweepers = [
        t
        for t in threading.enumerate()
        if t.name == "rate-limit-sweeper" and getattr(t, "_target", None) is not None
    ]
    assert len([t for t in sweepers if t is storage._sweeper]) == 1
    assert threading.active_count() <= before + 2  # its sweeper (+ the base's first timer)


def test_counters_expire_and_are_swept(monkeypatch):
    monkeypatch.setattr(ratelimit, "SWEEP_EVERY_S", 0.05)
    storage = storage_from_string("swept-memory://")
    limiter = FixedWindowRateLimiter(storage)
    item = parse("2/second")
    assert limiter.hit(item, "x") and limiter.hit(item, "x")
    assert not limiter.hit(item, "x")
    time.sleep(1.2)
    assert "x" not in str(list(storage.storage))  # swept from memory
    assert limiter.hit(item, "x")  # a new window


def _redis_or_skip():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        import pytest

        pytest.skip("no Redis on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/15"


def _storages(tmp_path):
    yield storage_from_string(f"host-file://{tmp_path / 'rl.sqlite'}")
    yield storage_from_string(_redis_or_skip())


def test_a_save_is_counted_in_one_storage_call_with_the_window_limits_would_report(tmp_path):
    """count_save's one call (a SQLite statement, a Redis script) counts as limits' hit and
    reports what its get_window_stats would: the same count, remaining and reset."""
    item = parse("3 per minute")
    for storage in _storages(tmp_path):
        storage.reset()
        strategy = FixedWindowRateLimiter(storage)
        calls = []
        for method in ("incr", "get", "get_expiry"):
            original = getattr(storage, method)

            def spy(*args, _original=original, _method=method, **kwargs):
                calls.append(_method)
                return _original(*args, **kwargs)

            setattr(storage, method, spy)
        windows = []
        for _ in range(5):
            calls.clear()
            count, ends = ratelimit._hit_window(storage, item.key_for("saves", "1", "2"), 60)
            assert calls == []  # none of limits' three calls
            reset, remaining = strategy.get_window_stats(item, "saves", "1", "2")
            assert remaining == max(0, 3 - count)
            assert abs(ends - reset) <= 1.0
            windows.append(count)
        assert windows == [1, 2, 3, 4, 5]
        assert not strategy.test(item, "saves", "1", "2")  # the hits counted for limits too
        assert strategy.test(item, "saves", "1", "3")  # another attempt's count is its own
        storage.reset()


def test_count_save_uses_the_one_call_and_refuses_over_the_limit(app, monkeypatch, tmp_path):
    from contest.extensions import limiter

    storage = storage_from_string(f"host-file://{tmp_path / 'rl.sqlite'}")
    monkeypatch.setattr(limiter, "_limiter", FixedWindowRateLimiter(storage))
    monkeypatch.setitem(app.config, "RATE_LIMIT_SAVES", "2 per minute")
    with app.app_context():
        seen = [ratelimit.count_save(7, 9) for _ in range(3)]
    assert [w.allowed for w in seen] == [True, True, False]
    assert [w.remaining for w in seen] == [1, 0, 0]
    assert all(w.limit == 2 and w.reset_at > time.time() for w in seen)


def test_a_new_host_file_connection_waits_out_a_busy_file(tmp_path, monkeypatch):
    """Other connections opening or checkpointing the host's file make the WAL switch and the
    schema check answer "database is locked" at once (a save answered 500 under load): a new
    connection tries again a moment later; any other error still raises."""
    import sqlite3

    import pytest

    real = sqlite3.Connection.execute
    refusals = {"left": 3}

    class Busy(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql.startswith("PRAGMA journal_mode") and refusals["left"]:
                refusals["left"] -= 1
                raise sqlite3.OperationalError("database is locked")
            return real(self, sql, *args)

    conn = sqlite3.connect(tmp_path / "rl.sqlite", isolation_level=None, factory=Busy)
    ratelimit._prepare(conn)
    assert refusals["left"] == 0
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT count(*) FROM counters").fetchone()[0] == 0
    refusals["left"] = 100
    with pytest.raises(sqlite3.OperationalError):
        ratelimit._prepare(conn, tries=3)
    storage = storage_from_string(f"host-file://{tmp_path / 'rl.sqlite'}")
    assert storage.incr("k", expiry=60) == 1  # the file the connection prepared is used as is
