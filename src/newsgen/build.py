"""``newsgen build``: the recipe, top to bottom. Read, load, select, group, plan, render, check,
write. Only the first and last steps touch the disk.

Rendering runs in chunks on a ``concurrent.futures`` executor (worker processes by default,
the caller's if given: a Dask client's executor works the same), and the build cache
(``.newsgen-cache/``) skips parsing, Markdown and rendering that would give the same bytes.
Neither changes the output: serial, parallel, cached and clean builds write identical sites.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import pickle
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgen import fs, stamps
from newsgen.aside import aside
from newsgen.cache import CACHE_DIR, BuildCache, Loaded, PageEntry, SiteEntry
from newsgen.errors import NewsgenError
from newsgen.hashing import blake, code_digest
from newsgen.model import Article, Health, Shared

# The model's and the renderer's modules (YAML, Jinja, the archive, the plan) are imported
# where they are used: a build with nothing to do, the replay, needs none of them, and their
# imports were a fifth of its time.
if TYPE_CHECKING:
    from concurrent.futures import Executor

    from newsgen.archive import Archive
    from newsgen.config import Config
    from newsgen.plan import Page
    from newsgen.renderjob import Job, JobSpec, Outcome
    from newsgen.search import Indexed

# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_FROM = 400


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    today: dt.date  # what counts as "future"; the CLI passes it in, the core never asks
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    epoch: dt.datetime | None = None  # SOURCE_DATE_EPOCH, read by the CLI
    jobs: int | None = None  # worker processes; None: one per core when there is work enough
    cache: bool = True  # use and update .newsgen-cache/ in the project
    search: bool = True  # False: no index and no search page, whatever newsgen.yaml says
    keep_site_on_error: bool = False  # write nothing when a record has errors


@dataclass(frozen=True)
class BuildResult:
    out: Path
    written: bool
    pages: Mapping[str, int]
    errors: tuple[NewsgenError, ...]
    warnings: tuple[NewsgenError, ...]
    health: Health
    drafts_skipped: int
    future_skipped: int
    files: int
    seconds: float
    rendered: int = 0  # pages rendered; the others were kept from the previous site
    cleaned: tuple[str, ...] = ()  # leftovers of an interrupted build, removed
    # "full"; "replayed": nothing had changed; "resumed": an edit patched into the last
    # full build's site (``newsgen.resume``).
    way: str = "full"
    indexed: Indexed | None = None  # what the search index took, when one was made

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Model:
    """Everything the load stage makes: the plan and what went wrong on the way."""

    config: Config
    archive: Archive
    pages: tuple[Page, ...]
    overrides: Path | None
    templates: str  # digest of the project's template overrides
    errors: tuple[NewsgenError, ...]
    warnings: tuple[NewsgenError, ...]
    drafts: int
    future: int
    parsed: tuple[tuple[str, str, Loaded], ...]  # records parsed now (not cached): to store
    # Every record file read, with its digest and what it gave (``newsgen.resume``'s state).
    records: tuple[tuple[str, str, Loaded], ...] = ()


# A folder as it was seen: its inode and ctime (``fs.folder_stamps``). Adding, removing or
# renaming anything in a folder changes its ctime, which no program can set back; the inode
# tells it from a folder of the same name in another tree (on a file system with coarse
# timestamps too).
Stamp = int


@dataclass(frozen=True)
class Summary:
    """What the cache keeps beside the manifest of the site a build wrote (``SiteEntry``)."""

    result: BuildResult
    folders: Mapping[str, Stamp]  # every folder holding a page, after the build
    state: str = ""  # the token of the model kept for a resumed build (``newsgen.resume``)
    edited: tuple[str, ...] = ()  # record files whose text is not the state's
    # The site this build retired as the spare (``fs.Staging``): its paths digest, and its
    # folders as they were when it was live.
    spare_paths: str = ""
    spare_folders: Mapping[str, Stamp] | None = None
    # The pages this build wrote as new files: in the spare, every other page is a hard link
    # of the live site's file (``fs.Staging.differ``). None: not known, or too many to keep.
    fresh: tuple[str, ...] | None = None
    # What every page's fingerprint of this site started from (``pages_base``); "" when the
    # site's pages do not all share one (a resumed edit keeps the others' rows).
    base: str = ""


# A summary is read by every build; a site this many pages anew is walked page by page.
MAX_FRESH = 2_000


def fresh_pages(paths: Iterable[str]) -> tuple[str, ...] | None:
    fresh = tuple(paths)
    return fresh if len(fresh) <= MAX_FRESH else None


@dataclass(frozen=True)
class Previous:
    """The last build of an output folder, as the cache kept it."""

    site: SiteEntry
    summary: Summary
    written: Mapping[str, tuple[int, int]]  # the manifest: each page's size and mtime

    def intact(self, out: Path) -> bool:
        """The output folder ``out`` is still exactly the site this build wrote."""
        return _files_are(out, self.written, self.summary.folders)


def previous_build(
    cache: BuildCache, out: Path, site: SiteEntry | None, summary: Summary | None
) -> Previous | None:
    """The last build of ``out`` (as given: a result names it so), when the cache has one
    with its manifest; ``site`` and ``summary`` are what the cache keeps of it."""
    if site is None or summary is None or summary.result.out != out or not summary.folders:
        return None
    written = cache.written(str(out.absolute()))
    return Previous(site, summary, written) if written else None


def summary_of(site: SiteEntry | None) -> Summary | None:
    if site is None or not site.summary:
        return None
    try:
        summary = pickle.loads(site.summary)
    except Exception:  # a corrupt summary is only a miss
        return None
    # Also a summary another version of newsgen pickled otherwise: its folder stamps are
    # compared with the file system's, and were once given a folder name holding a NUL.
    if not isinstance(summary, Summary) or not isinstance(summary.folders, dict):
        return None
    return summary if isinstance(summary.spare_folders, dict | None) else None


def load(
    project: Path,
    options: BuildOptions,
    cache: BuildCache,
    reader: Callable[[Path], fs.Sources] = fs.read_articles,
    workers: int = 1,
) -> Model:
    """Read the project and plan the site. Raises ``NewsgenError`` when nothing can be built.

    ``reader`` reads the article files (the incremental builder's reads only changed ones);
    records not in the cache are parsed on ``workers`` processes when there are many."""
    from newsgen.archive import make_archive, select
    from newsgen.config import load_config
    from newsgen.dates import zone
    from newsgen.parsejob import FirstRead, parse_records
    from newsgen.plan import plan

    config = load_config(fs.read_config_text(project))
    if options.base_url:
        config = config.with_base_url(options.base_url)
    if not options.search:
        config = config.without_search()
    tz = zone(config.timezone)

    sources = reader(project)
    errors: list[NewsgenError] = []
    warnings: list[NewsgenError] = []
    articles: list[Article] = []
    parsed: list[tuple[str, str, Loaded]] = []
    records: list[tuple[str, str, Loaded]] = []
    found: list[tuple[fs.SourceText, str, Loaded | None]] = []
    for source in sources.texts:
        if source.listed:  # not read yet: the parse workers read and hash it
            found.append((source, "", None))
            continue
        digest = source.digest or (
            cache.record_digest(source.name, source.text) if cache.enabled else ""
        )
        found.append((source, digest, cache.record(source.name, digest) if cache.enabled else None))
    # Records not in the cache are parsed, and read first where the reader left them unread
    # (by the workers: this process never holds every record's text at once).
    fresh = iter(parse_records([s for s, _, got in found if got is None], workers, cache.code))
    shared = Shared()
    texts: list[fs.SourceText] = []  # the sources that gave a text, each with its digest
    for source, digest, loaded in found:
        if loaded is None:
            result = next(fresh)
            if isinstance(result, FirstRead):
                # What reading it found goes where the reader would have put it.
                sources.errors.extend(result.errors)
                sources.warnings.extend(result.warnings)
                if result.parsed is None:
                    continue
                source, result = result.parsed
                digest = source.digest
            texts.append(source)
            if isinstance(result, NewsgenError):
                errors.append(result)
                continue
            # Shared before it is cached: the incremental builder knows an article of its
            # archive by the identity of the cached object.
            loaded = (shared.article(result[0]), result[1])
            parsed.append((source.name, digest, loaded))
        else:
            texts.append(source)
        records.append((source.name, digest, loaded))
        articles.append(loaded[0])
        warnings.extend(loaded[1])
    sources.texts[:] = texts
    # Reading's problems first, then parsing's, as when every file was read before parsing.
    errors = [*sources.errors, *errors]
    warnings = [*sources.warnings, *warnings]

    chosen, drafts, future = select(articles, options.drafts, options.future, options.today, tz)
    archive = make_archive(chosen, tz, options.epoch, workers)
    warnings.extend(archive.warnings)
    overrides = project / "templates"
    overrides_dir = overrides if overrides.is_dir() else None
    return Model(
        config=config,
        archive=archive,
        pages=plan(archive, config),
        overrides=overrides_dir,
        templates=_folder_digest(overrides_dir),
        errors=tuple(errors),
        warnings=tuple(warnings),
        drafts=drafts,
        future=future,
        parsed=tuple(parsed) if cache.enabled else (),
        records=tuple(records) if cache.enabled else (),
    )


def _folder_digest(folder: Path | None) -> str:
    if folder is None:
        return ""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return blake(*(str(p.relative_to(folder)) for p in files), *(p.read_bytes() for p in files))


def make_job(
    spec: JobSpec,
    model: Model,
    previous: dict[str, PageEntry],
    same_paths: bool,
    code: str,
    paths: frozenset[str] | None = None,
) -> Job:
    """``paths``: the site's files as ``Job.paths`` holds them, when the caller knows them
    (the incremental builder's short way: the same files as its last build)."""
    from newsgen.digest import Entities
    from newsgen.render import make_environment
    from newsgen.renderjob import Job

    config, archive = model.config, model.archive
    if paths is None:
        paths = site_paths(model)
    return Job(
        spec=spec,
        pages=model.pages,
        make_env=lambda markdown: make_environment(config, archive, model.overrides, markdown),
        overrides=model.overrides,
        base_url=config.base_url,
        base=pages_base(model, code),
        # Each record's article by identity (alive as long as the model holds the records).
        entities=Entities(archive, {id(a): digest for _, digest, (a, _) in model.records}),
        previous=previous,
        same_paths=same_paths,
        paths=paths,
        code=code,
    )


def pages_base(model: Model, code: str) -> str:
    """What every page's fingerprint starts from: the code, the templates, the configuration
    and the archive's last update."""
    from newsgen.digest import value_digest

    config, archive = model.config, model.archive
    return blake(code, model.templates, value_digest(config), value_digest(archive.updated))


def site_paths(model: Model) -> frozenset[str]:
    """The files of the site a link may point to."""
    from newsgen import search

    # The search index is added after rendering: links to it are not broken.
    search_files = search.ENTRY_POINTS if model.config.search else ()
    return frozenset(p.path for p in model.pages) | frozenset(search_files)


def load_job(spec: JobSpec) -> Job:
    """A worker with no inherited job (a remote one) loads the project itself, once."""
    code = code_digest()
    cache = BuildCache(spec.cache_dir, code)
    model = load(spec.project, spec.options, cache)
    out = str(spec.staging.out)
    previous = cache.pages(out)
    site = cache.site(out)
    same = site is not None and site.paths == _paths_digest(model.pages)
    return make_job(spec, model, previous, same, code)


def _paths_digest(pages: Sequence[Page]) -> str:
    return blake(*sorted(p.path for p in pages))


def build(
    project: Path,
    options: BuildOptions,
    executor: Executor | None = None,
    *,
    cache: BuildCache | None = None,
    reader: Callable[[Path], fs.Sources] = fs.read_articles,
    in_place: bool = False,
    planned: Callable[[Model], None] | None = None,
) -> BuildResult:
    """Build the site of ``project``. Raises ``NewsgenError`` when nothing can be built.

    ``executor`` renders the pages (any ``concurrent.futures.Executor``); by default worker
    processes, one per core, when there are enough pages to be worth it (``options.jobs``).
    ``cache``, ``reader``, ``in_place`` and ``planned`` (given the model once it is planned)
    are for the incremental builder, which keeps the cache and the model in memory, reads
    only changed files and updates its own site file by file.
    """
    # Checked and locked before any work: an output folder that is not newsgen's is refused,
    # and a second build of the same output fails fast instead of mixing with the first.
    fs.check_output(project, options.out)
    with fs.output_lock(options.out):
        cleaned = tuple(str(p) for p in fs.clean_leftovers(options.out.absolute()))
        result = _build(project, options, executor, cache, reader, in_place, planned)
    return dataclasses.replace(result, cleaned=cleaned) if cleaned else result


def _build(
    project: Path,
    options: BuildOptions,
    executor: Executor | None,
    cache: BuildCache | None,
    reader: Callable[[Path], fs.Sources],
    in_place: bool,
    planned: Callable[[Model], None] | None = None,
) -> BuildResult:
    started = time.perf_counter()
    own = cache is None
    if cache is None:
        cache = BuildCache(project / CACHE_DIR if options.cache else None, code_digest())
    # Nearly every object a build makes lives until it ends (the records, the archive, the
    # plan, the pages' outcomes): full collections on the way walked an ever larger heap to
    # free nothing, about six of them in the load stage of 10,000 records, before the workers
    # start. Young objects are still collected; the threshold is put back when the build ends.
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], 1_000_000))
    try:
        out = options.out.absolute()
        # Read once: a summary at 100,000 articles is 70 MiB of folder stamps.
        site = cache.site(str(out)) if cache.enabled else None
        last = summary_of(site)
        previous = previous_build(cache, options.out, site, last)
        # Whether the output folder is still the site the last build wrote is asked by the
        # replay and by an edit's way: a ``stat`` per page and folder, made on the other core
        # while this one reads the inputs (``aside``).
        with aside(None if previous is None else partial(previous.intact, out)) as intact:
            if reader is fs.read_articles and cache.enabled:
                # No read of a file known unchanged; with no last site, no read of any file
                # before the parse workers read it: nothing is compared with the inputs then.
                sources = stamps.read_articles(project, cache, defer=previous is None)
            else:
                sources = reader(project)
            inputs = "" if sources.unhashed else _inputs(project, options, cache, sources)
            replayed = _replay(previous, inputs, intact)
            if replayed is not None:
                seconds = time.perf_counter() - started
                return dataclasses.replace(
                    replayed, seconds=seconds, rendered=0, way="replayed", indexed=None
                )
            state: Callable[[Model], tuple[str, bytes]] | None = None
            if own and cache.enabled:
                # ``newsgen build`` (not the incremental builder, which keeps its model itself):
                # resume from the last full build's model, and leave one for the next build.
                from newsgen import resume
                from newsgen.incremental import build_frame

                resumed = resume.edit(
                    project, options, cache, sources, inputs, started, previous, intact
                )
                if resumed is not None:
                    return resumed
                if len(sources.texts) <= resume.MAX_RECORDS:
                    frame = build_frame(project, options, cache.code)
                    state = lambda model: (frame, resume.state_bytes(model, sources))  # noqa: E731
            # The full way: the manifest's sizes and mtimes (47 MiB at 100,000 articles) were
            # for the replay and the resumed edit only.
            previous = None
            workers = options.jobs or os.cpu_count() or 1
            model = load(project, options, cache, lambda _: sources, workers)
            if sources.unhashed:  # read and hashed by the parse workers
                inputs = _inputs(project, options, cache, sources)
                stamps.remember(cache, sources)
            if state is None and reader is fs.read_articles:
                # Read by nothing after this (the incremental builder keeps its own): 30 MB
                # at 100,000 records, every text with --no-cache, held to the end and
                # inherited by every render worker otherwise.
                sources.texts.clear()
            if planned is not None:
                planned(model)
            return _render_and_write(
                project,
                options,
                executor,
                model,
                cache,
                cache.code,
                started,
                in_place,
                inputs,
                state,
                last_site=(site, last),
            )
    finally:
        gc.set_threshold(*thresholds)
        if own:
            cache.close()


def _inputs(project: Path, options: BuildOptions, cache: BuildCache, sources: fs.Sources) -> str:
    """The digest of everything a build reads; "" when there is no cache to compare it with.

    The sources get their record digests on the way, so they are hashed once per build.
    """
    if not cache.enabled:
        return ""
    sources.texts[:] = [
        t if t.digest else fs.SourceText(t.name, t.text, cache.record_digest(t.name, t.text))
        for t in sources.texts
    ]
    overrides = project / "templates"
    return blake(
        cache.code,
        fs.read_config_text(project) or "",
        _folder_digest(overrides if overrides.is_dir() else None),
        repr((options.today, options.base_url, options.drafts, options.future)),
        repr((options.strict, options.epoch, options.search)),
        *(f"{t.name}={t.digest}" for t in sources.texts),
        *(repr((e.message, e.path, e.line)) for e in [*sources.errors, *sources.warnings]),
    )


def _replay(
    previous: Previous | None, inputs: str, intact: Callable[[], bool]
) -> BuildResult | None:
    """The last build's result, when it read exactly these inputs and its site is intact:
    then there is nothing to parse, plan, render or write."""
    if previous is None or not inputs or previous.site.inputs != inputs or not intact():
        return None
    return previous.summary.result


def _folder_stamps(out: Path, names: Iterable[str]) -> dict[str, Stamp] | None:
    """The ``Stamp`` of every folder holding the site's files, after they were written; None
    when a folder cannot be read."""
    return fs.folder_stamps(out, fs.folders_of(names))


def _files_are(
    out: Path, written: Mapping[str, tuple[int, int]], folders: Mapping[str, Stamp]
) -> bool:
    """The output folder holds exactly the manifest's files, each of the size and mtime
    written (besides newsgen's marker and the search index): a ``stat`` per file, and one per
    folder to tell that nothing was added to it, removed or renamed (its ctime). The same
    mtime-tick caveat as for a file applies: a change within the tick of the last write
    can go unseen, as for git's racily clean files."""
    # The folders were recorded from these very files, in the same transaction.
    files = ((name, size, mtime) for name, (size, mtime) in written.items())
    return fs.folder_stamps(out, folders) == folders and fs.files_as_written(out, files)


def _render_and_write(
    project: Path,
    options: BuildOptions,
    executor: Executor | None,
    model: Model,
    cache: BuildCache,
    code: str,
    started: float,
    in_place: bool = False,
    inputs: str = "",
    state: Callable[[Model], tuple[str, bytes]] | None = None,
    *,
    last_site: tuple[SiteEntry | None, Summary | None],
) -> BuildResult:
    """``state``, when given, makes the state a later build resumes from (``newsgen.resume``):
    it is made while the workers render, and kept with the site's manifest. ``last_site``:
    the cache's entry of the site in the output folder, and its summary."""
    from newsgen import renderjob
    from newsgen.bodies import body_digest
    from newsgen.links import link_problem
    from newsgen.render import page_counts
    from newsgen.renderjob import JobSpec

    out = options.out.absolute()
    site, last = last_site
    base = pages_base(model, code)
    # No page of a site whose fingerprints started from another base (other code, templates
    # or configuration) can be kept: its manifest is not read (176,000 entries at 100,000
    # articles). The incremental builder's in-place update needs it whatever the base.
    stale = not in_place and last is not None and last.base not in ("", base)
    # Its own copy: ``_run`` empties it once checked.
    previous = {} if stale else dict(cache.pages(str(out)))
    in_place = in_place and bool(previous) and out.is_dir()
    paths_digest = _paths_digest(model.pages)
    same_paths = site is not None and site.paths == paths_digest
    # The previous site's spare is patched into the next one, except for the incremental
    # builder's in-place updates, which move their few pages into the live site instead.
    if in_place:
        staging = fs.Staging.begin(out)
    else:
        spare = last.spare_folders if last and last.spare_paths == paths_digest else None
        staging = fs.Staging.begin(out, [p.path for p in model.pages], spare)
    spec = JobSpec(
        f"{os.getpid()}-{time.time_ns()}",
        project.absolute(),
        options,
        staging,
        cache.markdown_folder(),
    )
    renderjob.JOBS[spec.token] = make_job(spec, model, previous, same_paths, code)
    indexed: Indexed | None = None
    try:
        kept: list[tuple[str, bytes]] = []

        def meanwhile() -> None:
            # While the workers render: the records parsed now go to the cache (pickling
            # them was 0.4 s of CPU at 10,000 after the render stage), and the state.
            cache.put_records((n, 0, 0, digest, loaded) for n, digest, loaded in model.parsed)
            if state is not None:
                kept.append(state(model))

        gone = _gone(previous, model.pages)
        outcomes, unchanged = _run(
            spec, model.pages, previous, executor, options, in_place, meanwhile
        )
        problems = [
            link_problem(page.path, link)
            for page, outcome in sorted(
                zip(model.pages, outcomes, strict=True), key=lambda po: po[0].path
            )
            for link in outcome.problems
        ]
        errors, warnings = list(model.errors), list(model.warnings)
        if options.strict:
            # Strict: anything worth a warning is worth stopping for, and the old site stays.
            errors.extend([*warnings, *problems])
            warnings = []
        else:
            warnings.extend(problems)
        # Strict stops for anything; keep_site_on_error stops for errors only (serve keeps
        # showing the last good site while a record is broken).
        written = not ((options.strict or options.keep_site_on_error) and errors)
        if written and not unchanged:
            if in_place:
                staging.patch(
                    [p.path for p, o in zip(model.pages, outcomes, strict=True) if not o.kept],
                    gone,
                )
            else:
                indexed = staging.commit(_indexer(model, out, outcomes))
        else:
            staging.discard()
    except BaseException:
        staging.discard()
        raise
    finally:
        renderjob.JOBS.pop(spec.token, None)
    result = BuildResult(
        out=options.out,
        written=written,
        pages=page_counts(model.pages),
        errors=tuple(errors),
        warnings=tuple(warnings),
        health=model.archive.health,
        drafts_skipped=model.drafts,
        future_skipped=model.future,
        files=len(model.pages),
        seconds=time.perf_counter() - started,
        rendered=sum(not o.kept for o in outcomes),
        indexed=indexed,
    )
    if written:
        # A kept page's manifest row stands as the last build wrote it (its entry was not
        # held: 100 MiB at 100,000 articles); a rendered page's is written anew.
        entries = {
            page.path: outcome.entry
            for page, outcome in zip(model.pages, outcomes, strict=True)
            if outcome.entry is not None
        }
        kept_any = result.rendered < len(outcomes)
        complete = all(o.kept or o.entry is not None for o in outcomes)  # else a replay
        # would skip a page. Named once: the live site's stamps and the mirror's share them.
        paths = [p.path for p in model.pages]
        folder_names = fs.folders_of(paths) if complete and inputs else None
        folders = fs.folder_stamps(out, folder_names) if folder_names is not None else None
        token = ""
        if kept and folders is not None and not errors:
            frame, data = kept[0]
            # The state and the manifest are two rows: the token ties one to the other.
            token = cache.put_state(str(out), frame, data)
        summary = b""
        if folders is not None:
            # The live site this build replaced is the spare now: its stamps, to trust it by.
            retired: tuple[str, Mapping[str, Stamp] | None] = ("", None)
            fresh = None
            if unchanged and last:  # nothing swapped: the spare is the one it was
                retired, fresh = (last.spare_paths, last.spare_folders), last.fresh
            elif staging.mirror is not None:
                # The spare is this site's mirror: trusted to hold every page as the live
                # one's file once each is found there of the size and mtime written.
                mirror = fs.spare_of(out)
                # A generator: a mapping of 178,000 pages cost 30 MB at the build's peak.
                linked = ((path, e.size, e.mtime_ns) for path, e in entries.items())
                whole = not kept_any and fs.files_as_written(mirror, linked)
                spare = fs.folder_stamps(mirror, folder_names) if whole and folder_names else None
                retired, fresh = ((paths_digest, spare), ()) if spare else (("", None), None)
            elif site and last:
                retired = (site.paths, last.folders)
                if not in_place:  # a swap: the new site links the old one's other files
                    changed = zip(model.pages, outcomes, strict=True)
                    fresh = fresh_pages(p.path for p, o in changed if not o.kept)
                    if fresh is None and same_paths:
                        # So many pages are new that the next edit would look at every
                        # page of the spare (3-4 s at 10,000): it is made this site by
                        # links now instead (1.3 s of CPU), and that edit is as quick as
                        # any other.
                        relinked = fs.relink_spare(out, paths, last.folders, folder_names)
                        if relinked is not None:
                            retired, fresh = (paths_digest, relinked), ()
            summary = pickle.dumps(Summary(result, folders, token, (), *retired, fresh, base=base))
        stored = SiteEntry(paths_digest, inputs, summary)
        if kept_any:
            pairs = list(zip(model.pages, outcomes, strict=True))
            uncached = [p.path for p, o in pairs if not o.kept and o.entry is None]
            # A kept page's links were checked again only if the set of files changed.
            links = {} if same_paths else {p.path: o.problems for p, o in pairs if o.kept}
            cache.update_site(str(out), stored, entries, [*gone, *uncached], links)
        else:
            cache.put_site(str(out), stored, entries)
        if complete:
            # The bodies of this site are all the Markdown cache needs to keep.
            cache.keep_markdown(cache.markdown_key(body_digest(a)) for a in model.archive.articles)
    return result


def _indexer(
    model: Model, out: Path, outcomes: Sequence[Outcome]
) -> Callable[[Path], Indexed] | None:
    """What indexes the site of this build, None when it has no index: the shards are worked
    out only for one. Made where it is passed, so that its lists of pages (a few tens of MB
    at 100,000 articles) are freed once the index is written, before the manifest is."""
    if not model.config.search:
        return None
    from newsgen import search

    rendered = {p.path for p, o in zip(model.pages, outcomes, strict=True) if not o.kept}
    return search.indexer(model.pages, model.overrides, out, rendered)


def _gone(previous: Mapping[str, PageEntry], pages: Sequence[Page]) -> list[str]:
    """The pages of the last site that this one does not have. (A set of the new site's
    paths is 8 MiB at 100,000 articles: made only when there is a last site.)"""
    if not previous:
        return []
    paths = {p.path for p in pages}
    return [path for path in previous if path not in paths]


def _run(
    spec: JobSpec,
    pages: Sequence[Page],
    previous: dict[str, PageEntry],
    executor: Executor | None,
    options: BuildOptions,
    in_place: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Outcome], bool]:
    """Every page's outcome, and whether the site in the output folder is already exactly
    this one (then nothing needs writing at all). Workers store new Markdown cache entries.
    ``meanwhile`` is called once while the pages render (in this process, so with worker
    processes it costs no wall time on a machine with a core to spare).

    ``previous``, the last build's manifest, is emptied once it is checked: the entries of
    the pages kept live on in their outcomes, and workers forked with the rest would each
    inherit it (120 MiB at 100,000 articles)."""
    from newsgen import renderjob

    workers = options.jobs or os.cpu_count() or 1
    # Checking what is unchanged is cheap and needs the model's digests: done here, serially.
    found: list[Outcome | None] = [None] * len(pages)
    if previous:
        for chunk, results in _map(None, renderjob.check_chunk, spec, range(len(pages)), 1):
            for i, outcome in zip(chunk, results, strict=True):
                found[i] = outcome
    missing = [i for i, o in enumerate(found) if o is None]
    job = renderjob.JOBS[spec.token]
    if not missing and job.same_paths and _tree_is(spec.staging.out, previous):
        if meanwhile is not None:
            meanwhile()
        return [o for o in found if o is not None], True
    previous.clear()
    for i, outcome in enumerate(found):
        if in_place:
            break  # kept pages stay where they are
        if outcome is not None and not spec.staging.keep(pages[i].path):
            found[i] = None
            missing.append(i)
    own: Executor | None = None
    if executor is None and workers > 1 and (options.jobs or len(missing) >= PARALLEL_FROM):
        # Forked workers inherit the loaded model; nothing is pickled but page numbers. Frozen
        # first: a worker's garbage collections then leave the inherited objects alone, where
        # walking them would copy every page of the model into each worker.
        gc.freeze()
        import multiprocessing  # here: a build that renders a few pages never starts workers
        from concurrent.futures import ProcessPoolExecutor

        from newsgen import heap

        context = multiprocessing.get_context("fork")
        own = executor = ProcessPoolExecutor(
            workers, mp_context=context, initializer=fs.release_inherited_locks
        )
    try:
        parts = _map(executor, renderjob.render_chunk, spec, sorted(missing), workers)
        if meanwhile is not None:
            meanwhile()  # the work is submitted (serially: rendered as it is iterated)
        for chunk, results in parts:
            for i, outcome in zip(chunk, results, strict=True):
                found[i] = renderjob.shared(outcome)
        return [o for o in found if o is not None], False
    finally:
        if own is not None:
            own.shutdown()
            gc.unfreeze()
            heap.give_back()  # what the workers' results took while they arrived


def _map(
    executor: Executor | None, function: Any, spec: JobSpec, indices: Sequence[int], workers: int
) -> Iterable[tuple[list[int], Any]]:
    from newsgen import renderjob

    parts = renderjob.chunks(indices, workers if executor is not None else 1)
    if executor is None:
        return ((part, function(spec, part)) for part in parts)
    return zip(parts, executor.map(function, [spec] * len(parts), parts), strict=True)


def _tree_is(out: Path, previous: Mapping[str, PageEntry]) -> bool:
    """The output folder holds exactly the files of the manifest (no strays, none missing),
    besides newsgen's marker and the search index, which are made after the pages."""
    from newsgen import search

    found = set()
    for folder, dirs, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        if rel == ".":
            dirs[:] = [d for d in dirs if d != search.BUNDLE]
            names = [n for n in names if n != fs.MARKER]
        for name in names:
            found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found == set(previous)
