"""``aside``: a yes-or-no check run in a forked child while the caller goes on, answering as
the check would have in the caller, and leaving no child behind.

``aside`` forks only in a process with one thread, and the test process may hold others
(the Markdown deadline's watchdog, started by earlier tests), so each forking case runs in
a fresh interpreter of its own."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgen.aside import aside

_CHECKS = """
import os, sys
from newsgen.aside import aside

def pid_written() -> bool:
    with open(sys.argv[1], "w") as handle:
        handle.write(str(os.getpid()))
    return True

def raises() -> bool:
    raise OSError("a folder went away")

def dies() -> bool:
    os._exit(3)
"""


def _fresh(tmp_path: Path, body: str) -> list[str]:
    """``body`` run after ``_CHECKS`` in a new interpreter; the lines it printed."""
    script = _CHECKS + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "pid")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.split()


def test_the_check_runs_in_another_process_and_its_answer_comes_back(tmp_path: Path) -> None:
    said = _fresh(
        tmp_path,
        """
        with aside(pid_written) as answer:
            print(answer(), answer())  # asked again: the same answer, not a second read
        print(int(open(sys.argv[1]).read()) != os.getpid())
        """,
    )
    assert said == ["True", "True", "True"]


@pytest.mark.parametrize(
    ("check", "answer"),
    [("lambda: True", "True"), ("lambda: False", "False"), ("raises", "False"), ("dies", "False")],
    ids=["yes", "no", "raises", "child dies"],
)
def test_the_answer_is_the_checks_and_a_failed_check_says_no(
    tmp_path: Path, check: str, answer: str
) -> None:
    said = _fresh(tmp_path, f"with aside({check}) as answer:\n    print(answer())\n")
    assert said == [answer]


def test_the_child_is_waited_for_when_never_asked(tmp_path: Path) -> None:
    said = _fresh(
        tmp_path,
        """
        with aside(pid_written):
            pass
        try:
            os.waitpid(int(open(sys.argv[1]).read()), os.WNOHANG)
        except ChildProcessError:
            print("reaped")
        """,
    )
    assert said == ["reaped"]


@contextlib.contextmanager
def _another_thread() -> Iterator[None]:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        yield
    finally:
        stop.set()
        other.join()


def test_with_another_thread_running_the_check_runs_in_the_caller(tmp_path: Path) -> None:
    # A fork copies only the calling thread: a lock the other one held would stay locked.
    mark = tmp_path / "pid"
    with _another_thread(), aside(lambda: bool(mark.write_text(str(os.getpid())))) as answer:
        assert answer() is True
    assert int(mark.read_text()) == os.getpid()


def test_in_the_caller_a_check_never_asked_for_never_runs(tmp_path: Path) -> None:
    mark = tmp_path / "ran"
    with _another_thread(), aside(lambda: bool(mark.write_text("ran"))):
        pass
    assert not mark.exists()
