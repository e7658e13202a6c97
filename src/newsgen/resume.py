"""``newsgen build`` after a small edit, in a new process: the incremental builder's short
way, resumed from the model the last full build left in the cache.

A full build keeps its planned model (archive, pages, every record as it loaded) in the
cache, under its *frame*: the digest of the code, configuration, templates and options. The
next build in a new process, when the replay finds the inputs changed, resumes from it if
the frame is the same and the output folder is exactly the site the manifest describes
(each page is checked as it is linked). Then the edit is read as the incremental builder
reads it (``incremental.read_edit``): if every changed record keeps its article's shape,
the pages to look at are the edited articles' own pages and the pages whose templates read
them (the manifest records what each page read); of those, the pages whose fingerprint
changed are rendered into a new site made from the spare, every other page linked from the
live site, and the new site is swapped in whole, as the full way's is: a failed or killed
build leaves the site as it was. Nothing is planned, and no other page is fingerprinted.

Anything else takes the full way, which writes a new state. The state stays that of the last
full build: a later edit is read against it again, and the pages of earlier edits are found
unchanged by their fingerprints, not rendered again.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from newsgen import fs, renderjob, search, snapshot, stamps
from newsgen.archive import Archive
from newsgen.aside import aside
from newsgen.build import (
    BuildOptions,
    BuildResult,
    Model,
    Previous,
    Stamp,
    Summary,
    _folder_digest,
    _folder_stamps,
    _paths_digest,
    fresh_pages,
    make_job,
)
from newsgen.cache import BuildCache, Loaded, PageEntry, SiteEntry
from newsgen.config import Config
from newsgen.incremental import build_frame, read_edit, repage, source_notes
from newsgen.links import link_problem
from newsgen.plan import Page
from newsgen.renderjob import JobSpec, Outcome

# Writing the state costs the build's process about 8 KB a record while it is pickled (the
# pickler's memo of every object, and the bytes): 80 MB at 10,000. Beyond this many records
# it is not kept, so that the build's process stays well under 1 GB (it holds about 0.8 GB
# at 100,000 already); an editor of such an archive has ``newsgen serve``.
MAX_RECORDS = 50_000


@dataclass(frozen=True)
class State:
    """What a full build planned, as the short way needs it."""

    config: Config
    archive: Archive
    pages: tuple[Page, ...]
    paths: str  # the digest of the pages' paths (``SiteEntry.paths``)
    loaded: Mapping[str, tuple[str, Loaded]]  # every record file -> (its digest, what it gave)
    notes: tuple[str, ...]  # the problems reading the article files gave


def state_bytes(model: Model, sources: fs.Sources) -> bytes:
    loaded = {name: (digest, record) for name, digest, record in model.records}
    paths = _paths_digest(model.pages)
    return snapshot.dumps(
        State(model.config, model.archive, model.pages, paths, loaded, source_notes(sources))
    )


def edit(
    project: Path,
    options: BuildOptions,
    cache: BuildCache,
    sources: fs.Sources,
    inputs: str,
    started: float,
    previous: Previous | None,
    intact: Callable[[], bool],
) -> BuildResult | None:
    """The build of an edit that keeps every article's shape, from the last full build's
    state (``previous``, its site in the output folder as ``intact`` says); None when there
    is none to resume from, or the edit needs the full way. Called with the output lock
    held."""
    if options.strict or not inputs or previous is None or not previous.summary.state:
        return None
    out = options.out.absolute()
    last = previous.summary
    spare = last.spare_folders if last.spare_paths == previous.site.paths else None
    # The spare's folders are looked at on the other core, while this one loads the state
    # and renders (``aside``).
    with aside(None if spare is None else partial(fs.spare_unchanged, out, spare)) as kept:
        try:
            before = Last(previous, spare, intact, kept)
            return _edit(project, options, cache, sources, inputs, started, before)
        finally:
            gc.unfreeze()  # the state's objects can go once garbage (the full way needs the room)


@dataclass(frozen=True)
class Last:
    """The last build of the site, and what the file system says of it."""

    previous: Previous
    spare: Mapping[str, Stamp] | None  # the spare's folders' stamps, when it is that site's
    intact: Callable[[], bool]  # whether the live site is the manifest's
    spare_kept: Callable[[], bool]  # whether the spare's folders keep those stamps


def _edit(
    project: Path,
    options: BuildOptions,
    cache: BuildCache,
    sources: fs.Sources,
    inputs: str,
    started: float,
    before: Last,
) -> BuildResult | None:
    out = options.out.absolute()
    key = str(out)
    site, last, written = before.previous.site, before.previous.summary, before.previous.written
    spare = before.spare
    result = last.result
    data = cache.state(key, build_frame(project, options, cache.code), last.state)
    if data is None:
        return None
    try:
        state = snapshot.loads(data)
    except Exception:  # a corrupt or old value is only a miss
        return None
    # Millions of objects that live as long as this edit: never walked by the collector (the
    # first collection after the load walked them all, a tenth of an edit's build).
    gc.freeze()
    if not isinstance(state, State):
        return None
    if source_notes(sources) != state.notes or state.paths != site.paths:
        return None
    overrides = project / "templates"
    overrides_dir = overrides if overrides.is_dir() else None
    model = Model(
        config=state.config,
        archive=state.archive,
        pages=state.pages,
        overrides=overrides_dir,
        templates=_folder_digest(overrides_dir),
        errors=(),
        warnings=(),
        drafts=result.drafts_skipped,
        future=result.future_skipped,
        parsed=(),
    )
    members = frozenset(map(id, state.archive.articles))
    found = read_edit(
        state.loaded,
        members,
        sources,
        lambda text: cache.record(text.name, text.digest),
        lambda text: stamps.text_of(text, cache),
        options,
        model,
    )
    if found is None:
        return None
    index = {page.path: i for i, page in enumerate(state.pages)}
    swapped = list(found.swaps.values())
    # The pages of a record edited before and now as it was in the state show the edit:
    # they are looked at again too (with the state's own article, they render as before).
    undone = [state.loaded[name][1][0] for name in last.edited if name in state.loaded]
    keys = {f"a:{a.slug}" for a in swapped} | {f"a:{a.slug}" for a in undone if id(a) in members}
    readers = cache.readers(key, keys)
    replanned = repage(model, index, found.archive, swapped, readers)
    if replanned is None or not cache.enabled:  # a cache that failed may have found no reader
        return None
    wanted = [replanned[i] for i in sorted(replanned)]
    # Articles are digested by their records' digests (``digest.Entities``): as the full
    # build did, and the edited ones by their new records'.
    records = [(name, digest, loaded) for name, (digest, loaded) in state.loaded.items()]
    records += [
        (name, digest, loaded)
        for name, (digest, loaded) in found.loaded.items()
        if loaded[0] is not state.loaded[name][1][0]
    ]
    model = dataclasses.replace(
        model, archive=found.archive, pages=tuple(wanted), records=tuple(records)
    )
    entries = cache.page_entries(key, (p.path for p in wanted))
    paths = frozenset(written)
    if state.config.search:
        paths |= frozenset(search.ENTRY_POINTS)
    made = _render(project, options, cache, model, entries, paths, before, last.fresh, state.pages)
    if made is None:
        return None
    outcomes, staging, indexed = made
    if staging is None and not before.intact():
        return None  # no new site was made: the live one must be the manifest's
    cache.put_records((name, 0, 0, digest, loaded) for name, digest, loaded in found.parsed)
    changed = {
        wanted[o.index].path: o.entry for o in outcomes if not o.kept and o.entry is not None
    }
    problems = cache.problems(key)
    problems.update({wanted[o.index].path: o.problems for o in outcomes})
    warnings = [
        *sources.warnings,
        *(w for _, (_, noted) in found.loaded.values() for w in noted),
        *found.archive.warnings,
        *(link_problem(path, link) for path in sorted(problems) for link in problems[path]),
    ]
    result = dataclasses.replace(
        result,
        warnings=tuple(warnings),
        health=found.archive.health,
        seconds=time.perf_counter() - started,
        rendered=sum(not o.kept for o in outcomes),
        cleaned=(),
        way="resumed",
        indexed=indexed,
    )
    folders = _folders_after(out, written, staging, spare, changed)
    if folders is None or len(changed) != result.rendered:
        # A page that cannot be cached: no manifest may vouch for this site.
        cache.forget_site(key)
        return result
    edited = tuple(n for n, (digest, _) in found.loaded.items() if state.loaded[n][0] != digest)
    if staging is None:  # nothing swapped: the spare is the one it was
        retired, fresh = (last.spare_paths, last.spare_folders), last.fresh
    else:
        retired, fresh = (site.paths, last.folders), fresh_pages(changed)
    summary = pickle.dumps(Summary(result, folders, last.state, edited, *retired, fresh))
    cache.update_site(key, SiteEntry(site.paths, inputs, summary), changed)
    return result


def _render(
    project: Path,
    options: BuildOptions,
    cache: BuildCache,
    model: Model,
    entries: dict[str, PageEntry],
    paths: frozenset[str],
    before: Last,
    differ: tuple[str, ...] | None,
    site_pages: Sequence[Page],
) -> tuple[list[Outcome], fs.Staging | None, search.Indexed | None] | None:
    """Each of the model's pages kept (its fingerprint unchanged) or rendered, in a new site
    made from the spare (``fs.Staging``; ``differ`` the pages where it is not the live site)
    with every other page of the site (``before.written``: the manifest's size and mtime of
    each) linked from the live one, and swapped in whole: as atomic as the full way's. The
    outcomes, the new site swapped in (None when no page changed) and what its search index
    took (None without one); None if a page of the live site is not the manifest's.
    ``site_pages``: every page of the site (the model's are those the edit may change), for
    the search index's shards."""
    # Checked against the live site first: when no page changed, no new site is made.
    spec = JobSpec(
        f"{os.getpid()}-{time.time_ns()}",
        project.absolute(),
        options,
        fs.Beside.begin(options.out),
        cache.markdown_folder(),
    )
    job = renderjob.JOBS[spec.token] = make_job(spec, model, entries, True, cache.code, paths)
    rendered: dict[int, Outcome] = {}
    staging, indexed = None, None
    try:
        every = range(len(model.pages))
        checked = renderjob.check_chunk(spec, every)
        missing = [i for i in every if checked[i] is None]
        if missing:
            written = before.previous.written
            as_left = before.spare_kept() and before.intact()
            staging = fs.Staging.begin(options.out, written, before.spare, differ, as_left)
            job.spec = spec = dataclasses.replace(spec, staging=staging)
            try:
                rendered = {o.index: o for o in renderjob.render_chunk(spec, missing)}
                new = {model.pages[i].path for i in missing}
                if not staging.keep_many((p for p in written if p not in new), written):
                    staging.discard()
                    return None
                indexed = staging.commit(
                    search.indexer(site_pages, model.overrides, options.out.absolute(), new)
                    if model.config.search  # the shards are worked out only for an index
                    else None
                )
            except BaseException:
                staging.discard()
                raise
    finally:
        renderjob.JOBS.pop(spec.token, None)
    outcomes = [rendered.get(i) or checked[i] for i in every]
    return [o for o in outcomes if o is not None], staging, indexed


def _folders_after(
    out: Path,
    written: Mapping[str, tuple[int, int]],
    staging: fs.Staging | None,
    spare: Mapping[str, Stamp] | None,
    rendered: Iterable[str],
) -> dict[str, Stamp] | None:
    """The stamps of the live site's folders after the swap. A new site made from a spare
    whose folders all kept their stamps changed only the folders of the pages it linked or
    wrote, and the root: only those are looked at again."""
    if staging is None or staging.differ is None or spare is None:
        return _folder_stamps(out, written)
    touched = fs.folders_of([*staging.differ, *rendered])
    found = fs.folder_stamps(out, touched)
    return None if found is None else {**spare, **found}
