"""Gunicorn settings for production: threads carry the I/O-bound requests of a quiz."""
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 20000
max_requests_jitter = 2000
preload_app = True
accesslog = "-"
