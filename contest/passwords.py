"""Password hashing at a low CPU priority, so that a flood of logins cannot starve the answer
saves of the same machine.

A password check costs about 150 ms of CPU by design (scrypt). Twelve clients sending wrong
passwords as fast as they are answered keep both cores of a small box busy, and every other
request of every worker waits for CPU: the saves' p95 went from 96 ms to 1.5 s in
scripts/bench_isolation.py. So hashing runs in a small pool of threads per process whose
scheduling priority is lowered once, when each thread starts (nice 10: the kernel then gives
a request thread about ten times their share of a contended core). hashlib's scrypt releases
the GIL, so the request thread waiting for the answer costs nothing meanwhile. A login is a
little slower under load; an answer save is not. A thread's priority can be lowered without
privileges, never raised again, hence threads of their own rather than the request's.
"""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from werkzeug.security import check_password_hash, generate_password_hash

NICE = 19
THREADS = 1  # per process: a worker checks one password at a time

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
_guard = threading.Lock()


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)  # this thread only
    except (AttributeError, OSError):  # not Linux: hash at normal priority
        pass


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():  # a forked worker makes its own
        with _guard:
            if _pool is None or _pool_pid != os.getpid():
                _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="password-hash",
                                           initializer=_lower_priority)
                _pool_pid = os.getpid()
    return _pool


def hash_password(password: str) -> str:
    return _executor().submit(generate_password_hash, password).result()


def verify_password(password_hash: str, password: str) -> bool:
    return _executor().submit(check_password_hash, password_hash, password).result()
