"""In-process rate-limit storage for a single host without Redis.

limits' MemoryStorage (5.8.0, the newest) starts a new threading.Timer to sweep expired
counters on nearly every hit under load, and two threads can start the same timer: "threads can
only be started once", an HTTP 500 on an answer save in a load test (the race fixed upstream by
alisaifee/limits#352, not yet released). Here one sweeper thread per process runs for the
process's life, started under a lock (again after gunicorn forks a worker). Counters still
expire on read, as in the base class; the sweep only frees memory.
"""
import threading
import time
from typing import ClassVar

from limits.storage import MemoryStorage

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
                self._sweeper = threading.Thread(target=self._sweep, daemon=True,
                                                 name="rate-limit-sweeper")
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
