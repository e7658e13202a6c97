"""The render stage: pages to files in the staging folder, in chunks, on any executor.

Work is split into chunks of page numbers. A chunk names its job by a small picklable
``JobSpec``; a worker finds the job's model in this process (a forked worker inherits it, a
thread shares it) or, on a machine of its own (a Dask worker), loads the project from the
spec once and keeps it. Every worker renders the same pages to the same bytes, so the site
does not depend on which executor ran, or in which order.

Per page: if the cache's manifest says the file already in the output folder was made from
the same fingerprint (template set, configuration, context and every entity the templates
read) and the file is still the one written, it is hard-linked into the staging folder;
otherwise the page is rendered and written there.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgen.bodies import body_digest, body_text
from newsgen.cache import BuildCache, PageEntry
from newsgen.digest import Entities, value_digest
from newsgen.fs import PageWriter
from newsgen.hashing import blake
from newsgen.links import broken_links
from newsgen.model import Article
from newsgen.plan import Page

if TYPE_CHECKING:
    # Jinja and Markdown are imported when a page is rendered: a build that renders nothing
    # (a no-change rebuild) starts faster without them.
    from newsgen.render import TracingEnvironment

# New Markdown cache entries a worker holds before storing them: 2 MB of HTML or so. Each
# store is a SQLite transaction (a sync to disk, while the other workers wait for the lock):
# 64 a time made 150 of them in a clean build of 10,000 articles.
MARKDOWN_BATCH = 256


@dataclass(frozen=True)
class JobSpec:
    """What a worker needs to find, or rebuild, one build's render job."""

    token: str  # unique per build: the job's name in a worker's registry
    project: Path
    options: Any  # newsgen.build.BuildOptions (typed loosely: build imports this module)
    staging: PageWriter
    cache_dir: Path | None


@dataclass
class Job:
    """One build's render state in one process."""

    spec: JobSpec
    pages: Sequence[Page]
    make_env: Callable[[Callable[[Article], str]], TracingEnvironment]
    overrides: Path | None
    base_url: str
    base: str  # digest of the code, templates, configuration and build time
    entities: Entities
    previous: dict[str, PageEntry]
    same_paths: bool  # the same set of files as the site in the output folder
    paths: frozenset[str]
    code: str
    _env: TracingEnvironment | None = None
    _cache: BuildCache | None = None
    _cache_pid: int = 0
    new_markdown: dict[str, str] = field(default_factory=dict)
    _cached_pid: int = 0
    _has_cached: bool = True

    @property
    def cache(self) -> BuildCache:
        # SQLite connections must not cross a fork: each process opens its own.
        if self._cache is None or self._cache_pid != os.getpid():
            self._cache = BuildCache(self.spec.cache_dir, self.code)
            self._cache_pid = os.getpid()
        return self._cache

    @property
    def env(self) -> TracingEnvironment:
        if self._env is None:
            from newsgen.render import keep_compiled_in

            folder = self.spec.cache_dir
            keep_compiled_in(folder / "templates" if folder is not None else None)
            self._env = self.make_env(self._markdown)
        return self._env

    def _markdown(self, article: Article) -> str:
        """The body's HTML: from the Markdown cache, by the body's digest (so a cached body
        is not even read), or rendered from the body, read again from its record file."""
        from newsgen.markup import body_html

        if not self.cache.enabled:
            return body_html(body_text(article, self.spec.project))
        key = self.cache.markdown_key(body_digest(article))
        html = self.new_markdown.get(key) or (self.cache.markdown(key) if self._cached() else None)
        if html is None:
            html = self.new_markdown[key] = body_html(body_text(article, self.spec.project))
            if len(self.new_markdown) >= MARKDOWN_BATCH:
                self.store_markdown()
        return html

    def _cached(self) -> bool:
        """Whether this process may find bodies in the Markdown cache: asked once per process.
        A clean build starts with none, and asking for each of 10,000 bodies in vain was 2%
        of its workers' time. Entries another worker stores meanwhile are of bodies that
        worker renders; missing one costs a render, never a stale page."""
        if self._cached_pid != os.getpid():
            self._cached_pid = os.getpid()
            self._has_cached = self.cache.has_markdown()
        return self._has_cached

    def store_markdown(self) -> None:
        """New cache entries go to the cache from the process that rendered them: sent back
        to the build's process, every body's HTML was there at once."""
        if self.new_markdown:
            self.cache.put_markdown(self.new_markdown)
            self.new_markdown = {}

    def page_base(self, page: Page) -> str | None:
        try:
            context = value_digest(page.context)
        except TypeError:
            return None  # a context value with no digest: this page is always rendered
        return blake(self.base, page.url, page.kind, page.template, context)


@dataclass(frozen=True, slots=True)
class Outcome:
    index: int
    # A rendered page's new manifest row (None: not cacheable, always rendered); None for a
    # kept page, whose row stands as the last build wrote it.
    entry: PageEntry | None
    kept: bool  # linked from the previous site rather than rendered
    problems: tuple[str, ...]


# This process's jobs by token: filled by the build before it forks, or by a worker on demand.
JOBS: dict[str, Job] = {}


def job_for(spec: JobSpec) -> Job:
    job = JOBS.get(spec.token)
    if job is None:
        from newsgen.build import load_job  # a worker that did not inherit the job loads it

        JOBS.clear()  # one job per worker at a time: an old model is only memory
        job = JOBS[spec.token] = load_job(spec)
    return job


def check_chunk(spec: JobSpec, indices: Sequence[int]) -> list[Outcome | None]:
    """For each page: an ``Outcome`` if the file in the output folder can be kept, else None."""
    job = job_for(spec)
    return [_check(job, i) for i in indices]


def _check(job: Job, index: int) -> Outcome | None:
    page = job.pages[index]
    entry = job.previous.get(page.path)
    if entry is None:
        return None
    base = job.page_base(page)
    if base is None or job.entities.fingerprint(base, entry.keys) != entry.fingerprint:
        return None
    try:
        # Not followed: a symlink put in a page's place is never kept, wherever it points.
        stat = os.stat(job.spec.staging.out / page.path, follow_symlinks=False)
    except OSError:
        return None
    if stat.st_size != entry.size or stat.st_mtime_ns != entry.mtime_ns:
        return None  # changed or replaced since the last build wrote it
    problems = entry.problems
    if not job.same_paths and page.is_html:
        # Links are checked against the set of files, which changed: check them again.
        text = (job.spec.staging.out / page.path).read_text(encoding="utf-8")
        problems = tuple(broken_links(text, page.path, job.paths, job.base_url))
    # No entry: the manifest's row stands (the build does not hold 176,000 of them).
    return Outcome(index, None, True, problems)


def render_chunk(spec: JobSpec, indices: Sequence[int]) -> list[Outcome]:
    """Render and write each page, and store the new Markdown cache entries."""
    job = job_for(spec)
    try:
        return [_render(job, i) for i in indices]
    finally:
        job.store_markdown()


def _render(job: Job, index: int) -> Outcome:
    from newsgen.render import render_traced

    page = job.pages[index]
    text, keys = render_traced(page, job.env, job.overrides)
    stat = job.spec.staging.write(page.path, text.encode("utf-8"))
    problems = tuple(broken_links(text, page.path, job.paths, job.base_url)) if page.is_html else ()
    base = job.page_base(page)
    fingerprint = None if base is None else job.entities.fingerprint(base, keys)
    entry = (
        None
        if fingerprint is None
        else PageEntry(fingerprint, _keys(keys), stat.st_size, stat.st_mtime_ns, problems)
    )
    return Outcome(index, entry, False, problems)


def _keys(keys: Iterable[str]) -> tuple[str, ...]:
    # Interned: one string per entity, not one per page that read it (pickled once a chunk).
    return tuple(sorted(map(sys.intern, keys)))


def shared(outcome: Outcome) -> Outcome:
    """An outcome received from a worker, its entity keys interned in this process: the
    manifest of a large site names each article on dozens of pages, and the build's process
    holds every page's entry until it stores the manifest."""
    entry = outcome.entry
    if entry is None or outcome.kept:
        return outcome
    # Sorted by the worker already (``_keys``): interned here, not sorted again.
    keys = tuple(map(sys.intern, entry.keys))
    return dataclasses.replace(outcome, entry=dataclasses.replace(entry, keys=keys))


def chunks(indices: Sequence[int], workers: int, smallest: int = 25) -> list[list[int]]:
    """About four chunks per worker (so a slow one evens out), none tiny."""
    count = max(1, min(workers * 4, len(indices) // smallest))
    # Striped, not cut in runs: page kinds are planned in runs and cost unequal time.
    return [list(indices[i::count]) for i in range(count) if indices[i::count]]
