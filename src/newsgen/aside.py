"""A yes-or-no check run on the other core while the caller goes on.

A one-article edit at 10,000 articles must prove that the live site is the manifest's (an
``lstat`` per page) and that the spare's folders kept their stamps (a ``stat`` per folder):
36,000 system calls, about 0.2 s on one core, while the same process spends longer loading
the state it resumes from. Python threads cannot share that work (each call needs the
interpreter lock between its system calls, and the state's loading holds it), so the check
runs in a forked child, which answers with one byte through a pipe. The child only reads
the file system; it leaves at once, running none of the parent's exit handlers and
flushing none of its buffers.

Where there is no ``fork``, or other threads run (a fork copies only the calling thread,
and a lock another one held stays locked in the child), the check runs in the caller, when
its answer is first asked for.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from functools import cache, partial


class Answer:
    """The check's answer, waited for when first asked."""

    def __init__(self, pid: int, pipe: int) -> None:
        self._pid, self._pipe = pid, pipe
        self._value: bool | None = None

    def __call__(self) -> bool:
        if self._value is None:
            try:
                self._value = os.read(self._pipe, 1) == b"1"  # nothing read: the child died
            finally:
                os.close(self._pipe)
                os.waitpid(self._pid, 0)
        return self._value


@contextlib.contextmanager
def aside(check: Callable[[], bool] | None) -> Iterator[Callable[[], bool]]:
    """``check`` started beside the caller; the value is a function giving its answer (a
    check that raises answers False; no check, False). The child is waited for when the
    block ends."""
    if check is None:
        yield lambda: False
        return
    if not hasattr(os, "fork") or threading.active_count() > 1:
        yield cache(partial(_safely, check))  # in the caller, when first asked
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, and leave at once
        try:
            os.write(write, b"1" if _safely(check) else b"0")
        finally:
            os._exit(0)
    os.close(write)
    # The child has its own copy: this frame, alive until the block ends, need not keep
    # what the check holds (a manifest's 176,000 sizes and mtimes at 100,000 articles).
    del check
    waited = Answer(pid, read)
    try:
        yield waited
    finally:
        waited()


def _safely(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except Exception:
        return False
