"""In-process rate-limit storage for a single host without Redis.

limits' MemoryStorage (5.8.0, the newest) starts a new threading.Timer to sweep expired
counters on nearly every hit under load, and two threads can start the same timer: "threads can
only be started once", an HTTP 500 on an answer save in a load test (the race fixed upstream by
alisaifee/limits#352, not yet released). Here one sweeper thread per process runs for the
process's life, started under a lock (again after gunicorn forks a worker). Counters still
expire on read, as in the base class; the sweep only frees memory.

Several worker processes on one host without Redis share their counts through HostFileStorage
(gunicorn.conf.py); several hosts need REDIS_URL.
"""

import functools
import os
import sqlite3
import threading
import time
from typing import ClassVar, NamedTuple

from limits import parse as parse_limit
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter

SWEEP_EVERY_S = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME: ClassVar[list[str]] = ["swept-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._sweeper_guard = threading.Lock()
        self._sweeper: threading.Thread | None = None
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # the base class's private hook
        sweeper = self._sweeper
        if sweeper is not None and sweeper.is_alive():
            return
        with self._sweeper_guard:
            if self._sweeper is None or not self._sweeper.is_alive():
                self._sweeper = threading.Thread(
                    target=self._sweep, daemon=True, name="rate-limit-sweeper"
                )
                self._sweeper.start()

    def _sweep(self) -> None:
        while True:
            time.sleep(SWEEP_EVERY_S)
            self._MemoryStorage__expire_events()

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_sweeper_guard", None)
        state.pop("_sweeper", None)
        return state

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._sweeper_guard = threading.Lock()
        self._sweeper = None


def login_limit_key(login: str) -> str:
    """The per-account login limit's key: the account when the login names one (its phone in
    any spelling and its e-mail are one counter), else the login's canonical spelling."""
    from .services.accounts import find_by_login, login_identity

    user = find_by_login(login)
    return f"login:user:{user.id}" if user is not None else "login:" + login_identity(login)


def _prepare(conn: sqlite3.Connection, tries: int = 50) -> None:
    """A new connection's settings, and the table the first time. Switching the file to WAL
    (once: it stays so) and a schema change answer "database is locked" at once, without the
    busy timeout, when other connections of the host are just then opening or checkpointing it
    (a request thread's first save answered 500 under load): read first, and try again a
    moment later."""
    for attempt in range(tries):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            if (
                conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'counters'").fetchone()
                is None
            ):
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, "
                    "value INTEGER NOT NULL, expires_at REAL NOT NULL)"
                )
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


class HostFileStorage(Storage):
    """Rate-limit counters in one SQLite file, shared by every worker process of one host
    without Redis (gunicorn.conf.py points the limiter here): a per-account limit of 10 a
    minute holds for the whole host, not 10 for each worker. One statement a hit, in WAL mode
    without fsync (the counters are disposable). Several hosts need REDIS_URL.

    host-file:///absolute/path/ratelimit.sqlite
    """

    STORAGE_SCHEME: ClassVar[list[str]] = ["host-file"]
    SWEEP_EVERY = 1000  # hits between deletions of expired counters

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self.path = (uri or "").split("://", 1)[1] or "/tmp/contest-ratelimit.sqlite"
        self._local = threading.local()
        self._hits = 0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():  # after a fork
            conn = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
            _prepare(conn)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self.incr_window(key, expiry, amount)[0]

    def incr_window(self, key: str, expiry: int, amount: int = 1) -> tuple[int, float]:
        """incr and get_expiry in one statement: the count after this hit and when it expires."""
        now = time.time()
        self._hits += 1
        if self._hits % self.SWEEP_EVERY == 0:
            self._db().execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return (
            self._db()
            .execute(
                "INSERT INTO counters (key, value, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET "
                "value = CASE WHEN expires_at <= ? THEN excluded.value ELSE value + excluded.value "
                "END, expires_at = CASE WHEN expires_at <= ? THEN excluded.expires_at "
                "ELSE expires_at END RETURNING value, expires_at",
                (key, amount, now + expiry, now, now),
            )
            .fetchone()
        )

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute(
                "SELECT value FROM counters WHERE key = ? AND expires_at > ?", (key, time.time())
            )
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._db().execute("SELECT expires_at FROM counters WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))


class SaveWindow(NamedTuple):
    """A person's save limit on one attempt after this save: the X-RateLimit-* headers."""

    allowed: bool  # False: the limit was reached before this save (it was not counted)
    limit: int
    remaining: int
    reset_at: int  # epoch seconds, as Flask-Limiter reports it


def count_save(user_id: int, attempt_id: int, config=None) -> SaveWindow | None:
    """Count one answer save against RATE_LIMIT_SAVES: a person's own saves to one attempt
    (another participant's requests to my attempt id count against their own key, never mine).
    The window after it (`allowed` False when the limit was already reached); None when rate
    limits are off. Both the Flask route and contest/lean_save.py call this, on the limiter's
    storage (Redis with REDIS_URL, so one count across hosts). `config` is the app's, where no
    app context is pushed (contest/lean_save.py)."""
    from flask import current_app

    from .extensions import limiter

    if not limiter.enabled:
        return None
    item = _save_limit((config or current_app.config)["RATE_LIMIT_SAVES"])
    identity = ("saves", str(user_id), str(attempt_id))
    strategy = limiter.limiter
    hit = None
    if isinstance(strategy, FixedWindowRateLimiter):  # Flask-Limiter's default strategy
        hit = _hit_window(strategy.storage, item.key_for(*identity), item.get_expiry())
    if hit is None:  # another storage or strategy: three calls to the storage
        allowed = strategy.hit(item, *identity)
        reset, remaining = strategy.get_window_stats(item, *identity)
        return SaveWindow(allowed, item.amount, remaining, int(reset + 1))
    count, reset = hit
    return SaveWindow(
        count <= item.amount, item.amount, max(0, item.amount - count), int(reset + 1)
    )


# limits' own incr script (RedisStorage.lua_incr_expire) that also answers the key's ttl
_REDIS_HIT = """
local amount = tonumber(ARGV[2])
local current = redis.call("incrby", KEYS[1], amount)
if tonumber(current) == amount then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""


def _hit_window(storage, key: str, expiry: int) -> tuple[int, float] | None:
    """FixedWindowRateLimiter.hit and get_window_stats in one call to the storage (one Redis
    round trip, one SQLite statement, where the three calls of limits cost three): the count
    after this hit and when the window ends. None for a storage this does not know."""
    if isinstance(storage, HostFileStorage):
        return storage.incr_window(key, expiry)
    if isinstance(storage, RedisStorage):
        script = getattr(storage, "_contest_hit", None)
        if script is None:
            script = storage.get_connection().register_script(_REDIS_HIT)
            storage._contest_hit = script
        current, ttl = script([storage.prefixed_key(key)], [expiry, 1])
        return int(current), max(int(ttl), 0) + time.time()
    return None  # in-process memory among them: its three calls are cheap


@functools.cache
def _save_limit(text: str):
    return parse_limit(text)


def limit_headers(headers, window: SaveWindow | None) -> None:
    """The rate-limit headers Flask-Limiter sends (RATELIMIT_HEADERS_ENABLED), for the save."""
    if not window:
        return
    headers["X-RateLimit-Limit"] = str(window.limit)
    headers["X-RateLimit-Remaining"] = str(window.remaining)
    headers["X-RateLimit-Reset"] = str(window.reset_at)
    headers["Retry-After"] = str(max(0, int(window.reset_at - time.time())))


def login_limits(login, per_account: str = "RATE_LIMIT_LOGIN_ACCOUNT", device: bool = False):
    """The limits of a sign-in view, on POST, registered (so, the windows being alike, checked)
    in this order: RATE_LIMIT_LOGIN by address, first, so no account is looked up once it is
    over; with `device`, RATE_LIMIT_LOGIN_DEVICE by the browser's device cookie (none without
    one); then `per_account` (a config key) on the account that `login()`, the request's login
    text, names (login_limit_key)."""
    from flask import current_app

    from .extensions import limiter
    from .web import origin

    def decorate(view):
        view = limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"], methods=["POST"])(view)
        if device:
            view = limiter.limit(
                lambda: current_app.config["RATE_LIMIT_LOGIN_DEVICE"],
                methods=["POST"],
                key_func=lambda: "device:" + (origin()[1] or ""),
                exempt_when=lambda: origin()[1] is None,
            )(view)
        return limiter.limit(
            lambda: current_app.config[per_account],
            methods=["POST"],
            key_func=lambda: login_limit_key(login()),
        )(view)

    return decorate
