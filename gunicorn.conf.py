"""Gunicorn settings for production: threads carry the I/O-bound requests of a quiz."""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
keepalive = 5
# No recycling of workers by request count: a worker that restarts closes its clients'
# kept-alive connections, and in a load test one request racing that close failed (no answer,
# at the second a worker exited). The app keeps nothing that grows; GUNICORN_MAX_REQUESTS
# turns recycling on.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
preload_app = True
accesslog = "-"

# The application's clock (contest/scheduler.py): each worker starts its scheduler after the
# fork (never the master, whose threads a fork would not carry); a lease in the database lets
# one of them, on one host, do the work at a time. CONTEST_SCHEDULER_ENABLED=false turns it off.
os.environ.setdefault("CONTEST_SCHEDULER_ENABLED", "true")
# The workers of this host share the rate limiter's counts (contest/ratelimit.py
# HostFileStorage): a limit of 10 a minute is 10 for the host, not 10 for each worker.
# REDIS_URL, when set, wins and shares them between hosts too.
_instance = os.environ.get("CONTEST_INSTANCE_PATH") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "instance"
)
os.makedirs(_instance, exist_ok=True)
os.environ.setdefault(
    "CONTEST_RATELIMIT_STORAGE_URI", "host-file://" + os.path.join(_instance, "ratelimit.sqlite")
)
os.environ["CONTEST_SCHEDULER_START"] = "worker"


def post_worker_init(worker):
    from contest.scheduler import start_scheduler

    if hasattr(worker.wsgi, "config"):
        start_scheduler(worker.wsgi)


def worker_exit(server, worker):
    from contest.scheduler import stop_scheduler

    if hasattr(getattr(worker, "wsgi", None), "config"):
        stop_scheduler(worker.wsgi)
