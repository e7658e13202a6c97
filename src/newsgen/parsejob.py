"""Parsing records, in forked worker processes when there are many.

Loading runs before rendering and, done in the build's process alone, left the other cores
idle: at 10,000 records YAML front matter and the Markdown pre-check were several seconds
of a clean build. Each record is parsed on its own, so the work splits into ranges of
records; forked workers find the sources in their copy of this module (nothing is pickled
but two numbers a range) and send back the articles or the errors, in order. The result
does not depend on how the records were split.

The articles come back without their bodies (``newsgen.bodies``), and a source the reader
did not keep the text of (``SourceText.unread``) is read here, in the worker, and checked
against its digest: the build's process never holds every record's text at once. A source
the reader only listed (no digest yet: a first build's, ``Sources.unhashed``) is read and
hashed here, and comes back as a ``FirstRead``.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from newsgen import fs, stamps
from newsgen.bodies import without_body
from newsgen.cache import BuildCache, Loaded
from newsgen.errors import NewsgenError
from newsgen.markup import check_markdown
from newsgen.records import load_article_checked

# Below this many records, starting worker processes costs more than it saves.
PARALLEL_FROM = 400

# The sources being parsed and the code digest: set before the workers fork, which inherit it.
_SOURCES: list[fs.SourceText] = []
_CODE: list[str] = []


def parse_one(name: str, text: str) -> Loaded | NewsgenError:
    """One record file's article (its body left in the file) and warnings, or what is wrong
    with it."""
    try:
        # The whole file is checked, so a line number is the file's line.
        check_markdown(text)
        article, noted = load_article_checked(text, name)
    except NewsgenError as exc:
        return exc.located(name)
    return without_body(article, name), tuple(noted)


@dataclass(frozen=True, slots=True)
class FirstRead:
    """A source read here for the first time: what reading it found, and what it parsed to."""

    # The source with its text's digest, and what the text parsed to; None when the file
    # gave no text (unreadable, skipped as binary, or gone).
    parsed: tuple[fs.SourceText, Loaded | NewsgenError] | None
    errors: tuple[NewsgenError, ...] = ()  # as ``fs.read_article`` reports them
    warnings: tuple[NewsgenError, ...] = ()


def parse_source(source: fs.SourceText, code: str) -> Loaded | NewsgenError | FirstRead:
    """``parse_one`` of a source, read first if the reader left it unread."""
    if source.listed:
        return _first_read(source, code)
    try:
        text = stamps.text_of(source, BuildCache(None, code))
    except NewsgenError as exc:
        return exc.located(source.name)
    return parse_one(source.name, text)


def _first_read(source: fs.SourceText, code: str) -> FirstRead:
    assert source.unread is not None
    found = fs.Sources()
    path = Path(source.unread)
    # The folder's real path is read only for a symlink (listed files were none), and a
    # ``resolve`` per record was 25 µs: 0.25 s of the workers' CPU at 10,000.
    folder = path.parent.resolve() if path.is_symlink() else path.parent
    fs.read_article(path, source.name, folder, found)
    problems = tuple(found.errors), tuple(found.warnings)
    if not found.texts:
        return FirstRead(None, *problems)
    text = found.texts[0].text
    digest = BuildCache(None, code).record_digest(source.name, text)
    read = fs.SourceText(source.name, "", digest, source.unread)
    return FirstRead((read, parse_one(source.name, text)), *problems)


def parse_records(
    sources: Sequence[fs.SourceText], workers: int, code: str
) -> list[Loaded | NewsgenError | FirstRead]:
    """``parse_source`` of each source, in order; on ``workers`` forked processes when there
    are enough records to be worth it. ``code`` is the build cache's code digest, which an
    unread source's digest was made with."""
    if workers <= 1 or len(sources) < PARALLEL_FROM:
        return [parse_source(source, code) for source in sources]
    _SOURCES[:], _CODE[:] = sources, [code]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=fs.release_inherited_locks
        ) as pool:
            parts = ranges(len(sources), workers * 4)
            results: list[Loaded | NewsgenError | FirstRead] = []
            for part in pool.map(_parse_range, *zip(*parts, strict=True)):
                results.extend(part)
            return results
    finally:
        _SOURCES.clear()
        _CODE.clear()


def _parse_range(start: int, stop: int) -> list[Loaded | NewsgenError | FirstRead]:
    return [parse_source(source, _CODE[0]) for source in _SOURCES[start:stop]]


def ranges(count: int, parts: int) -> list[tuple[int, int]]:
    """``count`` items cut into at most ``parts`` consecutive ranges of nearly equal size."""
    parts = max(1, min(parts, count))
    bounds = [count * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
