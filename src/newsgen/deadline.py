"""A wall-clock limit for one call, in any thread of any process.

``signal.setitimer`` would be simpler but works only in the main thread, and rendering may run
in threads (a server) or in worker processes. Instead one watchdog thread per process keeps
the deadlines of the calls in flight and, when one passes, raises ``TimeLimitExceeded`` in
that call's thread with ``PyThreadState_SetAsyncExc``. The exception arrives at the thread's
next Python bytecode, so it stops pure-Python loops (Python-Markdown's link scanner, its
block parser); a single long C call (one regex match) finishes first. That is why the
callers of ``run_with_limit`` also refuse the known pathological shapes up front, which is
deterministic; this limit is the backstop for the shapes nobody has found yet.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class TimeLimitExceeded(BaseException):
    """The call ran past its deadline and was stopped.

    A ``BaseException``, like ``KeyboardInterrupt``: an ``except Exception`` inside the call
    must not swallow it and carry on.
    """


# How late a call may be stopped. Bodies of different lengths get limits a few hundredths of
# a second apart, so most new deadlines fall just before the one the watchdog sleeps until:
# waking it for those too was still a thread switch for most bodies.
SLACK_SECONDS = 0.25

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


class _Watchdog:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Fresh state; also run in a forked child, where the lock may have been held."""
        self.lock = threading.Condition()
        self.calls: dict[int, tuple[float, int]] = {}  # token -> (deadline, thread id)
        self.fired: set[int] = set()
        self.tokens = itertools.count()
        self.pid = -1
        # The deadline the watchdog sleeps until (inf: none). A call whose deadline comes
        # later (or less than SLACK_SECONDS earlier) needs no wake-up: the watchdog looks
        # again when it wakes. Waking it for every call cost a thread switch per Markdown
        # body (a tenth of a worker's time).
        self.waking = float("inf")

    def arm(self, seconds: float) -> int:
        with self.lock:
            if self.pid != os.getpid():  # first use, or a forked worker: the thread is not here
                self.pid = os.getpid()
                self.calls.clear()
                self.fired.clear()
                threading.Thread(target=self._watch, name="newsgen-deadline", daemon=True).start()
            token = next(self.tokens)
            deadline = time.monotonic() + seconds
            self.calls[token] = (deadline, threading.get_ident())
            if deadline < self.waking - SLACK_SECONDS:
                self.waking = deadline
                self.lock.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Forget the call; True if its deadline fired. Clears an exception not yet raised."""
        with self.lock:
            self.calls.pop(token, None)
            if token not in self.fired:
                return False
            self.fired.discard(token)
            _set_async_exc(threading.get_ident(), ctypes.py_object())  # NULL: clear pending
            return True

    def _watch(self) -> None:
        with self.lock:
            while True:
                now = time.monotonic()
                for token, (deadline, thread) in list(self.calls.items()):
                    if deadline <= now:
                        del self.calls[token]
                        self.fired.add(token)
                        _set_async_exc(thread, ctypes.py_object(TimeLimitExceeded))
                nearest = min((d for d, _ in self.calls.values()), default=None)
                self.waking = float("inf") if nearest is None else nearest
                self.lock.wait(None if nearest is None else max(0.0, nearest - now))


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.reset)


def run_with_limit(seconds: float, call: Callable[[], T]) -> T:
    """``call()``, or ``TimeLimitExceeded`` once it has run ``seconds`` of wall-clock time
    (up to ``SLACK_SECONDS`` more)."""
    token = _WATCHDOG.arm(seconds)
    stopped: TimeLimitExceeded | None = None
    try:
        try:
            result = call()
        finally:
            fired = _WATCHDOG.disarm(token)
    except TimeLimitExceeded as exc:  # its traceback shows where the call was stopped
        fired, stopped = True, exc
    if fired:
        raise TimeLimitExceeded(f"stopped after {seconds:g} s") from stopped
    return result
