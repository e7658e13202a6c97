"""Parsing records, in forked worker processes when there are many.

Loading runs before rendering and, done in the build's process alone, left the other cores
idle: at 10,000 records YAML front matter and the Markdown pre-check were several seconds
of a clean build. Each record is parsed on its own, so the work splits into ranges of
records; forked workers find the texts in their copy of this module (nothing is pickled
but two numbers a range) and send back the articles or the errors, in order. The result
does not depend on how the records were split.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from newsgen import fs
from newsgen.cache import Loaded
from newsgen.errors import NewsgenError
from newsgen.markup import check_markdown
from newsgen.records import load_article_checked

# Below this many records, starting worker processes costs more than it saves.
PARALLEL_FROM = 400

# (name, text) of the records being parsed: set before the workers fork, which inherit it.
_TEXTS: list[tuple[str, str]] = []


def parse_one(name: str, text: str) -> Loaded | NewsgenError:
    """One record file's article and warnings, or what is wrong with it."""
    try:
        # The whole file is checked, so a line number is the file's line.
        check_markdown(text)
        article, noted = load_article_checked(text, name)
    except NewsgenError as exc:
        return exc.located(name)
    return article, tuple(noted)


def parse_records(texts: Sequence[tuple[str, str]], workers: int) -> list[Loaded | NewsgenError]:
    """``parse_one`` of each (name, text), in order; on ``workers`` forked processes when
    there are enough records to be worth it."""
    if workers <= 1 or len(texts) < PARALLEL_FROM:
        return [parse_one(name, text) for name, text in texts]
    _TEXTS[:] = texts
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=fs.release_inherited_locks
        ) as pool:
            parts = ranges(len(texts), workers * 4)
            results: list[Loaded | NewsgenError] = []
            for part in pool.map(_parse_range, *zip(*parts, strict=True)):
                results.extend(part)
            return results
    finally:
        _TEXTS.clear()


def _parse_range(start: int, stop: int) -> list[Loaded | NewsgenError]:
    return [parse_one(name, text) for name, text in _TEXTS[start:stop]]


def ranges(count: int, parts: int) -> list[tuple[int, int]]:
    """``count`` items cut into at most ``parts`` consecutive ranges of nearly equal size."""
    parts = max(1, min(parts, count))
    bounds = [count * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
