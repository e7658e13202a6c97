"""Freed memory handed back to the system after the render stage (``newsgen.heap``)."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from newsgen import heap


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or "musl" in (ctypes.util.find_library("c") or ""),
    reason="malloc_trim is glibc's",
)
def test_freed_blocks_in_the_middle_of_the_heap_go_back_to_the_system() -> None:
    # 200,000 blocks of 1 KiB (below glibc's mmap threshold, so on the heap), fifteen in
    # sixteen freed, and one kept at the top: free() alone cannot shrink the heap past it.
    blocks = [bytearray(1024) for _ in range(200_000)]
    keep = blocks[::16]
    del blocks
    top = bytearray(1024)
    before = _rss_kib()
    assert heap.give_back()
    after = _rss_kib()
    assert before - after > 50_000, (before, after)  # most of the ~100 MiB freed
    del keep, top


def test_giving_back_is_harmless_to_repeat() -> None:
    assert heap.give_back() == heap.give_back()
