"""Password hashing: Argon2id at OWASP's minimum cost, at a low CPU priority, so that a flood
of logins cannot starve the answer saves of the same machine.

Argon2id with m = 19 MiB, t = 2, p = 1, the first of the equivalent settings OWASP's Password
Storage Cheat Sheet gives as the minimum. It costs a fraction of the scrypt that werkzeug uses
by default (N = 2**15, itself below OWASP's scrypt minimum of N = 2**17), so one small box
checks several times as many logins a second (docs/performance.md). Older hashes (werkzeug's
scrypt or pbkdf2) are still checked, and `needs_rehash` tells the login to store an Argon2id
one in their place.

The hash is computed by libsodium (PyNaCl, PyCA's binding), whose Argon2 uses the CPU's vector
instructions: the same hash, in the same PHC string format, in about 55 % of the CPU time the
reference implementation (argon2-cffi) takes here (10.5 against 19 ms). argon2-cffi reads the
parameters of a stored hash (needs_rehash) and checks the hashes libsodium does not compute
(more than one lane, Argon2i or Argon2d).

A password check costs CPU by design. Twelve clients sending wrong
passwords as fast as they are answered keep both cores of a small box busy, and every other
request of every worker waits for CPU: the saves' p95 went from 96 ms to 1.5 s in
scripts/bench_isolation.py. So hashing runs in a small pool of threads per process whose
scheduling priority is lowered once, when each thread starts (nice 10: the kernel then gives
a request thread about ten times their share of a contended core). libsodium, argon2-cffi and
hashlib's scrypt release the GIL, so the request thread waiting for the answer costs nothing
meanwhile. A login is a
little slower under load; an answer save is not. A thread's priority can be lowered without
privileges, never raised again, hence threads of their own rather than the request's.
"""

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from nacl import pwhash
from nacl.exceptions import CryptoError
from werkzeug.security import check_password_hash

NICE = 19
THREADS = 1  # per process: a worker checks one password at a time

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
_guard = threading.Lock()
_argon2 = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_SODIUM = "$argon2id$v=19$"  # what libsodium computes: Argon2id 1.3, one lane (p=1)


def _lower_priority() -> None:
    # not Linux: hash at normal priority
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)  # this thread only


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():  # a forked worker makes its own
        with _guard:
            if _pool is None or _pool_pid != os.getpid():
                _pool = ThreadPoolExecutor(
                    THREADS, thread_name_prefix="password-hash", initializer=_lower_priority
                )
                _pool_pid = os.getpid()
    return _pool


def _check(password_hash: str, password: str) -> bool:
    if password_hash.startswith(_SODIUM) and ",p=1$" in password_hash:
        try:
            return pwhash.argon2id.verify(password_hash.encode(), password.encode())
        except (CryptoError, ValueError, TypeError):  # a wrong password, or a mangled hash
            return False
    if password_hash.startswith("$argon2"):
        try:
            return _argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(password_hash, password)  # werkzeug's scrypt or pbkdf2


def _hash(password: str) -> str:
    """Argon2id with _argon2's parameters (m = 19 MiB, t = 2, p = 1; 16-byte salt, 32-byte
    hash), by libsodium."""
    memory = _argon2.memory_cost * 1024  # KiB to bytes
    return pwhash.argon2id.str(
        password.encode(), opslimit=_argon2.time_cost, memlimit=memory
    ).decode()


def hash_password(password: str) -> str:
    return _executor().submit(_hash, password).result()


def verify_password(password_hash: str, password: str) -> bool:
    return _executor().submit(_check, password_hash, password).result()


def needs_rehash(password_hash: str) -> bool:
    """True for a hash of an older kind or cost: the next login stores a current one."""
    if not password_hash.startswith("$argon2"):
        return True
    try:
        return _argon2.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
