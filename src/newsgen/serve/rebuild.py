"""The rebuild step of ``newsgen serve``, behind one small protocol.

``Rebuilder.rebuild(changed)`` is all serve asks of a builder (tests count and break builds
through it). ``IncrementalRebuilder`` keeps the archive in memory (``newsgen.incremental``)
and renders only the pages an edit touches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

from newsgen import fs, search
from newsgen.build import BuildOptions, BuildResult
from newsgen.config import load_config
from newsgen.errors import NewsgenError
from newsgen.incremental import Builder
from newsgen.ingest import PARALLEL_THRESHOLD, Report, discover, ingest


class Rebuilder(Protocol):
    def rebuild(self, changed: Collection[Path]) -> BuildResult:
        """Build the site again after the files in ``changed`` changed.

        ``changed`` holds absolute paths: records (``articles/x.md``, possibly deleted),
        template files and ``newsgen.yaml``; or a content folder itself (``articles``,
        ``templates``) when it appeared or went, which means "anything in it". Empty means
        build everything (the first build). When the result is ``ok`` and ``written``,
        ``result.out`` holds a complete site that serve switches to. A failed build must leave
        the folder serve is currently serving untouched, or replace it whole
        (``fs.write_site``), never partly.
        """
        ...


RebuilderFactory = Callable[[Path, Callable[[Path], BuildOptions], Path], Rebuilder]


def adopt(result: BuildResult, have_site: bool) -> bool:
    """Whether serve switches to ``result.out``: a good build always; a build with bad
    records only when there is nothing better to show yet."""
    return result.written and (result.ok or not have_site)


class IncrementalRebuilder:
    """Rebuilds through ``newsgen.incremental.Builder``: the archive stays in memory, only the
    pages an edit touches are rendered, and they replace their files in one live folder
    (``workdir/site``) once all have rendered.

    A build with bad records writes nothing once there is a good site, so the last good site
    stays served. The search index is refreshed after the pages, in the background, off the
    edit-to-visible path: a search finds the new text a moment after the page shows it.
    Rendering stays in this process (``jobs=1``): forking a threaded server could copy a held
    lock into a worker, and an edit renders a few pages anyway.
    """

    def __init__(
        self, project: Path, options_for: Callable[[Path], BuildOptions], workdir: Path
    ) -> None:
        self.project = project
        self.options_for = options_for
        self.out = workdir / "site"
        self._builder: Builder | None = None
        self._have_site = False
        self._index = _Reindexer(self.out, self._search_shards)

    def rebuild(self, changed: Collection[Path]) -> BuildResult:
        options = dataclasses.replace(
            self.options_for(self.out), jobs=1, keep_site_on_error=self._have_site
        )
        if self._builder is None:
            self._builder = Builder(self.project, options)
        # New options ("today" moved on; errors now keep the site) go to the same builder:
        # its memory of the pages stays, and the build's cache key covers what they change.
        self._builder.options = options
        # The watcher sees every save: a batch names every record that changed.
        result = self._builder.rebuild(changed, complete=True)
        if result.written and (result.ok or not self._have_site):
            if self._have_site and result.rendered:
                self._index.request()
            self._have_site = True
        return result

    def _search_shards(self) -> tuple[search.Shard, ...]:
        return self._builder.search_shards() if self._builder else ()


class _Reindexer:
    """Refreshes the search index in the background once saves pause for ``QUIET`` seconds:
    indexing every page takes seconds, and an editor saving again and again wants the next
    page first. One refresh at a time; a save during one starts another after it, so the
    last save is always indexed."""

    QUIET = 2.0

    def __init__(self, site: Path, shards: Callable[[], tuple[search.Shard, ...]]) -> None:
        self.site = site
        self.shards = shards  # the runs that index the site, asked for at each refresh
        self._lock = threading.Lock()
        self._last_request = 0.0
        self._running = False

    def request(self) -> None:
        if not (self.site / search.BUNDLE).is_dir():
            return  # the site has no search
        with self._lock:
            self._last_request = time.monotonic()
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name="search-index", daemon=True).start()

    def _run(self) -> None:
        indexed_for = 0.0  # the request the index on disk answers
        while True:
            with self._lock:
                last = self._last_request
                if last == indexed_for:
                    self._running = False
                    return
            wait = last + self.QUIET - time.monotonic()
            if wait > 0:
                time.sleep(wait)
                continue  # another save may have come meanwhile
            try:
                search.reindex_site(self.site, self.shards() or search.EVERY_SHARD)
            except NewsgenError as exc:
                print(f"warning: {exc}", file=sys.stderr)
            indexed_for = last


def incremental_rebuilder(
    project: Path, options_for: Callable[[Path], BuildOptions], workdir: Path
) -> Rebuilder:
    return IncrementalRebuilder(project, options_for, workdir)


def serve_options(
    base_url: str, drafts: bool, epoch: dt.datetime | None
) -> Callable[[Path], BuildOptions]:
    """Build options for serve: links point at the server, "today" is asked at each build
    (a server left running overnight publishes the next day's articles)."""

    def options_for(out: Path) -> BuildOptions:
        today = epoch.date() if epoch else dt.date.today()
        return BuildOptions(out, today, base_url=base_url, drafts=drafts, epoch=epoch)

    return options_for


def _workers() -> Executor:
    # Ingest parses in worker processes; a fork of this threaded server could copy a held
    # lock, so workers start from a clean interpreter.
    return ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=get_context("forkserver"))


def reingest(project: Path) -> Report:
    """``newsgen ingest`` of the whole ``seeds/`` folder: records are written only when they
    change, and records edited by hand are kept, exactly as on the command line."""
    config = load_config(fs.read_config_text(project))
    seeds = project / "seeds"
    many = len(discover([seeds])[0]) >= PARALLEL_THRESHOLD
    return ingest(
        [seeds], project / "articles", rules=config.topic_rules, executor=_workers if many else None
    )
