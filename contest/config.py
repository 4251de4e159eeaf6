"""Configuration: defaults, then instance/config.py, then CONTEST_* environment, DATABASE_URL."""

import json
import os
from datetime import timedelta


class Defaults:
    SECRET_KEY = "dev-only-change-me"
    SQLALCHEMY_DATABASE_URI = "sqlite:///contest.db"  # relative to the instance folder
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # uploads over 10 MB answer 413
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)  # "Ghi nhớ đăng nhập"; others end sooner
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    DISPLAY_TIMEZONE = "Asia/Ho_Chi_Minh"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "swept-memory://"  # contest/ratelimit.py; Redis with REDIS_URL
    RATELIMIT_HEADERS_ENABLED = True
    # per address: an office of 100 behind one NAT address registers and logs in within 2
    # minutes (docs/security.md); past RATE_LIMIT_CHALLENGE_AFTER each try needs a solved
    # proof-of-work challenge (contest/challenge.py), and the per-account limits still hold
    RATE_LIMIT_LOGIN = "300 per minute"
    RATE_LIMIT_REGISTER = "300 per minute"
    RATE_LIMIT_CHALLENGE_AFTER = "30 per minute"
    CHALLENGE_ENABLED = True
    CHALLENGE_COST = 2000  # PBKDF2 rounds a guess: ~256 guesses, a fraction of a second
    CHALLENGE_TTL_S = 600
    RATE_LIMIT_LOGIN_DEVICE = "60 per minute"  # per device cookie, whatever the address
    RATE_LIMIT_CHECK = "120 per minute"  # the registration form's as-you-type check
    RATE_LIMIT_LOGIN_ACCOUNT = "10 per minute"  # failed or not, per phone or e-mail
    RATE_LIMIT_RESET_SEND = "3 per hour"  # reset codes sent to one account (mail bombing)
    LEAN_SAVE = True  # contest/lean_save.py serves ordinary answer saves before Flask
    LEAN_READ = True  # and ordinary loads of one's attempt (contest/lean_read.py)
    RATE_LIMIT_SAVES = "120 per minute"  # per attempt: 20 questions, changed minds included
    RATE_LIMIT_LOOKUP = "20 per minute"  # self lookup (/tra-cuu), per address
    RATE_LIMIT_LOOKUP_PHONE = "5 per hour"  # and per phone looked up: a birth date is guessable
    RATE_LIMIT_INVITE = "20 per minute"  # invitation links opened or answered, per address
    PROXY_FIX_HOPS = 0  # set to 1 behind one reverse proxy (nginx) that sets X-Forwarded-For
    CACHE_TYPE = "SimpleCache"  # RedisCache when REDIS_URL is set: shared by every worker
    PAGE_CACHE_S = 5  # anonymous home and contest pages (contest/page_cache.py); 0: off
    PAGE_CACHE_HOSTS = None  # the site's names, ["thi.example.vn"]: only their pages are cached
    LEADERBOARD_CACHE_S = 5  # the top of a board is served from the cache this long
    COUNTS_CACHE_S = 30  # the public live counts (they count every attempt of a contest)
    DEFAULT_GRACE_S = 30
    TOKEN_LIFETIME_DAYS = 30
    XLSX_MAX_ENTRIES = 200
    XLSX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
    XLSX_MAX_RATIO = 200
    IMPORT_MAX_ROWS = 20000
    # contest/scheduler.py: finalise closed rounds and close expired attempts, no cron needed.
    # Off unless set (tests, CLI commands); gunicorn.conf.py turns it on in each worker.
    SCHEDULER_ENABLED = False
    SCHEDULER_START = "app"  # "app": create_app starts it; "worker": gunicorn's post_worker_init
    SCHEDULER_INTERVAL_S = 10
    SCHEDULER_LEASE_S = 45  # another process takes over this long after the runner died
    # password reset codes by e-mail (contest/senders.py): off until MAIL_SERVER is set
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_STARTTLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = None
    RESET_CODE_SENDERS = None  # ["module:Class", ...]; default: e-mail only
    POOL_PRE_PING = False  # true: a round trip a request, no failed request after a restart


def _coerce(value: str):
    """Environment values are strings; read JSON where it parses (numbers, booleans)."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def load_config(app, overrides: dict | None = None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CONTEST", loads=_coerce)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(os.environ["DATABASE_URL"])
    if os.environ.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
        app.config["CACHE_TYPE"] = "RedisCache"
        app.config["CACHE_REDIS_URL"] = os.environ["REDIS_URL"]
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["POOL_PRE_PING"]
    )


def normalise_db_url(url: str) -> str:
    """postgres:// and postgresql:// select psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str, pre_ping: bool = False) -> dict:
    """PostgreSQL: 10 connections a worker process (+20 in a burst), renewed every 30 minutes.
    `pre_ping` would check each one as it leaves the pool: a round trip on every request, 17 %
    of answer-save throughput in the load test. Without it, after the database restarts, the
    first request of each worker fails (the client's save is retried; nothing acknowledged is
    lost) and SQLAlchemy replaces the pool's connections."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": pre_ping, "pool_recycle": 1800}
