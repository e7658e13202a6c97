"""Pathological Markdown never hangs a build: shapes refused up front, a time limit behind them.

The time limit must work wherever rendering runs: the main thread, a server's threads, and the
worker processes of a parallel build.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import markup
from newsgen.deadline import TimeLimitExceeded, run_with_limit
from newsgen.errors import NewsgenError


def _spin() -> None:
    while True:
        pass


def _stopped_after() -> float:
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        run_with_limit(0.2, _spin)
    return time.monotonic() - started


def _stopped_in_worker(_: int) -> float:
    try:
        run_with_limit(0.2, _spin)
    except TimeLimitExceeded:
        return 0.0
    return 1.0  # pragma: no cover - the loop never ends by itself


def test_the_limit_stops_a_call_in_the_main_thread() -> None:
    assert threading.current_thread() is threading.main_thread()
    assert 0.2 <= _stopped_after() < 2


def test_the_limit_stops_calls_in_other_threads_each_on_its_own() -> None:
    with ThreadPoolExecutor(3) as pool:
        times = list(pool.map(lambda _: _stopped_after(), range(3)))
    assert all(0.2 <= t < 2 for t in times)


def test_the_limit_stops_calls_in_worker_processes() -> None:
    with ProcessPoolExecutor(2) as pool:
        assert list(pool.map(_stopped_in_worker, range(2))) == [0.0, 0.0]


def _stopped_after_while_another_call_runs(first: float, second: float) -> float:
    """How long a ``second``-second call ran while another thread's ``first``-second call,
    armed just before it, was still in flight (the watchdog sleeps until one deadline)."""
    release = threading.Event()
    started_first = threading.Event()

    def waits() -> None:
        started_first.set()
        while not release.is_set():
            time.sleep(0.001)

    with ThreadPoolExecutor(1) as pool:
        other = pool.submit(run_with_limit, first, waits)
        started_first.wait()
        try:
            started = time.monotonic()
            with pytest.raises(TimeLimitExceeded):
                run_with_limit(second, _spin)
            return time.monotonic() - started
        finally:
            release.set()
            # The first call ends on its own, or is stopped if its deadline came first.
            with pytest.raises(TimeLimitExceeded) if first < second else _nothing():
                other.result()


@contextlib.contextmanager
def _nothing() -> Iterator[None]:
    yield


def test_a_call_with_an_earlier_deadline_wakes_the_watchdog() -> None:
    # The watchdog sleeps until the 30 s deadline of the first call; the second must not wait.
    assert 0.2 <= _stopped_after_while_another_call_runs(30, 0.2) < 2


def test_a_call_with_a_later_deadline_is_stopped_after_the_earlier_one_fires() -> None:
    # Armed without waking the watchdog: it is found when the watchdog wakes for the first.
    assert 0.6 <= _stopped_after_while_another_call_runs(0.3, 0.6) < 3


def test_calls_within_the_limit_return_and_leave_nothing_pending() -> None:
    numbers = [run_with_limit(5, functools.partial(int, n)) for n in range(5000)]
    assert numbers == list(range(5000))
    time.sleep(0.05)  # a stray exception would surface here


# Each shape took from 2 s to several minutes, or overflowed the stack, before the checks.
PATHOLOGICAL = {
    "nested brackets (Python-Markdown #798)": "[" * 6000 + "]" * 6000,
    "unclosed '<![' (CVE-2025-69534 shape)": "<![" * 5000,
    "10,000 nested quotes": ">" * 10_000 + " x",
    "1,000 nested lists": "".join("  " * i + "- x\n" for i in range(1000)),
    "quotes and lists alternating": "".join("> - " * i + "x\n" for i in range(300)),
}


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_shapes_are_refused_at_once_with_a_line(body: str) -> None:
    started = time.monotonic()
    with pytest.raises(NewsgenError) as error:
        markup.body_html(body)
    assert time.monotonic() - started < 1
    assert error.value.line is not None


def test_many_ordinary_links_still_render() -> None:
    html = markup.body_html("[link](https://example.org/) " * 3000)
    assert html.count("<a ") == 3000


def test_an_unknown_slow_shape_is_stopped_by_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(markup, "RENDER_SECONDS", 0.05)
    monkeypatch.setattr(markup, "RENDER_SECONDS_PER_MB", 0.0)
    slow = "Some *text* with [a link](https://example.org/).\n\n" * 20_000  # ~0.5 s to render
    started = time.monotonic()
    with pytest.raises(NewsgenError, match="took longer than"):
        markup.body_html(slow)
    assert time.monotonic() - started < 0.5


def test_malformed_raw_html_renders_without_an_exception() -> None:
    for body in ["<![", "<![CDATA[", "<div><p>unclosed", "<!--", "</div></div>", "<?php"]:
        assert "<script" not in markup.body_html(body)


def _reference_check(body: str) -> int | None:
    """check_markdown as first written (a MULTILINE ^ prefix, every bracket scanned): the
    line it refuses a body at, or None. The faster searches must agree with it."""
    for prefix in re.finditer(r"^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])+", body, re.MULTILINE):
        if len(prefix[0].expandtabs(4)) > markup.MAX_NESTING_PREFIX:
            return body.count("\n", 0, prefix.start()) + 1
    scan, opened = 0, []
    for match in re.finditer(r"\\.|[\[\]]|\n[ \t]*\n", body):
        if match[0] == "[":
            opened.append(match.start())
        elif match[0] == "]":
            if opened:
                scan += match.start() - opened.pop()
        elif match[0][0] == "\n":
            scan += sum(match.start() - start for start in opened)
            opened.clear()
    scan += sum(len(body) - start for start in opened)
    if scan > markup.MAX_BRACKET_SCAN:
        return body.count("\n", 0, opened[0] if opened else 0) + 1
    return None


_PIECES = st.sampled_from(
    ["\n", "\n\n", " ", "\t", "> ", "- ", "* ", "1. ", "12) ", "[", "]", "\\[", "x", "word "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60), st.integers(1, 40), st.lists(_PIECES, max_size=20))
def test_the_up_front_check_refuses_exactly_the_shapes_it_refused_before(
    head: list[str], times: int, tail: list[str]
) -> None:
    body = "".join(head) + "".join(tail) * times * 20
    try:
        markup.check_markdown(body)
        line = None
    except NewsgenError as exc:
        line = exc.line
    assert line == _reference_check(body)
