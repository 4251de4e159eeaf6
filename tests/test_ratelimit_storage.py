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
