"""An incremental builder for ``newsgen serve``: the archive stays in memory between edits.

    builder = Builder(project, options)
    builder.rebuild()                      # the first call builds everything
    builder.rebuild([Path("articles/x.md")])  # then: only what the edit touched

Between rebuilds it keeps every article file's text and parsed record, and the manifest of
the site it wrote (each page's fingerprint and the entities it read). A rebuild re-reads the
files it is told about and any whose size, mtime or ctime changed (an editor that saves by
renaming is still seen), re-parses only those, re-plans, and renders only pages whose fingerprint
changed; the others are kept from the site already written. The output is the same as a
clean ``newsgen build`` of the same files.

The common edit takes a short way (``Builder._edit``): when the edited records keep every
field the archive and the plan read (all but ``plan.TEMPLATE_ONLY``: dates, topics, names,
quotes, slugs...) and nothing else changed (configuration, templates, options, the set of files),
every page's context is what it was, with the new article objects in place of the old. Then
nothing is planned again and no fingerprint is re-checked: the pages to render are the
edited articles' own pages and the pages whose templates read an edited article (the
manifest records what each page read), rendered beside their files and renamed over them.
Anything else (a moved date, a new topic, a broken record, a slug clash) takes the full
way. The short way trusts the output folder to hold what this builder wrote last: it is
meant for a folder the builder owns, as ``newsgen serve``'s is.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsgen import fs, renderjob, search
from newsgen.archive import Archive, select
from newsgen.build import (
    BuildOptions,
    BuildResult,
    Model,
    _folder_digest,
    build,
    make_job,
    site_paths,
)
from newsgen.cache import CACHE_DIR, BuildCache, Loaded, PageEntry, SiteEntry
from newsgen.dates import zone
from newsgen.digest import article_digest
from newsgen.errors import NewsgenError
from newsgen.hashing import blake, code_digest
from newsgen.links import link_problem
from newsgen.markup import check_markdown
from newsgen.model import Article
from newsgen.plan import Page, Urls, article_page
from newsgen.rebind import Rebinder, Unknown, shape, swap
from newsgen.records import load_article_checked
from newsgen.renderjob import JobSpec


def _is_record(name: str) -> bool:
    folder, _, filename = name.partition("/")
    return folder == "articles" and "/" not in filename and filename.endswith(".md")


@dataclass(frozen=True)
class _Seen:
    # Size, mtime and ctime: an edit that restores size and mtime still changes the ctime.
    stamp: tuple[int, int, int]
    found: fs.Sources  # what reading the file gave: its text, or its problem


@dataclass(frozen=True)
class _Site:
    """The site this builder wrote last, as much of it as the short way needs."""

    frame: str  # digest of the code, configuration, templates and options it was built with
    model: Model  # the pages' contexts may be of an older archive of the same shape
    loaded: Mapping[str, tuple[str, Loaded]]  # record file -> (its digest, what it gave)
    notes: tuple[str, ...]  # the problems reading the article files gave
    members: frozenset[int]  # ids of the article objects in the archive
    index: Mapping[str, int]  # page path -> its number in the plan
    problems: Mapping[str, tuple[str, ...]]  # page path -> its broken links, where any
    result: BuildResult
    paths: frozenset[str]  # the site's files (``build.site_paths``): the short way keeps them
    # Entity key -> the pages that read it (from the manifest), made at the first short way.
    readers: dict[str, set[str]] = field(default_factory=dict, compare=False)


def source_notes(sources: fs.Sources) -> tuple[str, ...]:
    """The problems reading the article files gave, comparably."""
    return tuple(repr((e.message, e.path, e.line)) for e in [*sources.errors, *sources.warnings])


def build_frame(project: Path, options: BuildOptions, code: str) -> str:
    """Everything but the records that a build reads (``keep_site_on_error`` and ``jobs``
    change nothing in a site written without errors): a model planned under one frame is
    good for another build under the same frame."""
    options = dataclasses.replace(options, keep_site_on_error=False, jobs=None)
    templates = project / "templates"
    return blake(
        code,
        fs.read_config_text(project) or "",
        _folder_digest(templates if templates.is_dir() else None),
        repr(options),
    )


@dataclass(frozen=True)
class Edit:
    """What an edit of some records makes of a site's model, when it keeps its shape."""

    loaded: dict[str, tuple[str, Loaded]]  # every record file -> (its digest, what it gave)
    parsed: list[tuple[str, str, Loaded]]  # records parsed now: for the cache
    swaps: dict[int, Article]  # id of a published article -> its new version
    archive: Archive  # the archive with the new versions in place


def read_edit(
    loaded: Mapping[str, tuple[str, Loaded]],
    members: frozenset[int],
    sources: fs.Sources,
    cached: Callable[[fs.SourceText], Loaded | None],
    text_of: Callable[[fs.SourceText], str],
    options: BuildOptions,
    model: Model,
) -> Edit | None:
    """The records in ``sources`` against those a site was built from (``loaded``, whose
    published articles are ``members``, by ``id``): None unless the same files are there
    and every changed record keeps its article's ``shape`` (else the plan may change: the
    full way). ``cached`` gives a record already parsed, ``text_of`` a file's text."""
    if [t.name for t in sources.texts] != list(loaded):
        return None  # a record added, removed or unreadable
    tz = zone(model.config.timezone)
    now = dict(loaded)
    parsed: list[tuple[str, str, Loaded]] = []
    swaps: dict[int, Article] = {}
    for text in sources.texts:
        if now[text.name][0] == text.digest:
            continue
        new = cached(text)
        if new is None:
            try:
                body = text_of(text)
                check_markdown(body)
                article, noted = load_article_checked(body, text.name)
            except NewsgenError:
                return None  # the full way reports it
            new = (article, tuple(noted))
            parsed.append((text.name, text.digest, new))
        old = now[text.name][1][0]
        if shape(old) != shape(new[0]):
            return None
        published = id(old) in members
        if not published and select([old], options.drafts, options.future, options.today, tz)[0]:
            return None  # published under another slug (a clash): the full way
        if article_digest(old) == article_digest(new[0]):
            new = (old, new[1])  # the same article (a comment, a reordered key): keep it
        elif published:
            swaps[id(old)] = new[0]
        now[text.name] = (text.digest, new)
    archive = swap(model.archive, swaps) if swaps else model.archive
    return None if archive is None else Edit(now, parsed, swaps, archive)


def repage(
    model: Model,
    index: Mapping[str, int],
    archive: Archive,
    swapped: Iterable[Article],
    readers: Iterable[str],
) -> dict[int, Page] | None:
    """The pages an edit changes, by their number in ``model.pages`` (``index``: path ->
    number): the edited articles' own pages planned again (the title is in the context)
    and every page whose templates read an edited article (``readers``, paths) with its
    context moved onto ``archive``. None when a context cannot be moved."""
    urls = Urls(model.config)
    rebinder = Rebinder(archive)
    try:
        own = {index[p.path]: p for p in (article_page(archive, urls, a) for a in swapped)}
        moved = {
            i: rebinder.page(model.pages[i]) for i in {index[path] for path in readers} - own.keys()
        }
    except (Unknown, KeyError):
        return None
    return {**moved, **own}


class MemoryCache(BuildCache):
    """The build cache held in memory; Markdown still comes from (and goes to) the disk."""

    def __init__(self, disk: BuildCache) -> None:
        super().__init__(None, disk.code)
        self.disk = disk
        self.folder = disk.folder
        self._records: dict[tuple[str, str], Loaded] = {}
        self._pages: dict[str, dict[str, PageEntry]] = {}
        self._sites: dict[str, SiteEntry] = {}

    @property
    def enabled(self) -> bool:
        return True

    def markdown_folder(self) -> Path | None:
        return self.disk.markdown_folder()

    def markdown(self, key: str) -> str | None:
        return self.disk.markdown(key)

    def put_markdown(self, items: Mapping[str, str]) -> None:
        self.disk.put_markdown(items)

    def record(self, name: str, digest: str) -> Loaded | None:
        return self._records.get((name, digest))

    def put_records(self, items: Iterable[tuple[str, int, int, str, Loaded]]) -> None:
        for name, _, _, digest, loaded in items:
            self._records[(name, digest)] = loaded

    def pages(self, out: str) -> dict[str, PageEntry]:
        return self._pages.get(out, {})

    def site(self, out: str) -> SiteEntry | None:
        return self._sites.get(out)

    def put_site(self, out: str, site: SiteEntry, pages: Mapping[str, PageEntry]) -> None:
        self._pages[out] = dict(pages)
        self._sites[out] = site

    def update_site(
        self,
        out: str,
        site: SiteEntry,
        pages: Mapping[str, PageEntry],
        removed: Iterable[str] = (),
        problems: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        entries = self._pages.setdefault(out, {})
        for path in removed:
            entries.pop(path, None)
        for path, found in (problems or {}).items():
            if path in entries:
                entries[path] = dataclasses.replace(entries[path], problems=found)
        entries.update(pages)
        self._sites[out] = site

    def prune(self, live: set[tuple[str, str]]) -> None:
        """Forget records of file versions that no longer exist."""
        for key in [k for k in self._records if k not in live]:
            del self._records[key]


class Builder:
    """Rebuilds the site of ``project`` after edits, re-rendering only what changed."""

    def __init__(self, project: Path, options: BuildOptions) -> None:
        self.project = project
        self.options = options
        self._disk = BuildCache(project / CACHE_DIR if options.cache else None, code_digest())
        self._cache = MemoryCache(self._disk)
        self._seen: dict[str, _Seen] = {}
        self._site: _Site | None = None
        self.short = False  # whether the last rebuild took the short way

    def rebuild(self, changed: Collection[Path] = (), *, complete: bool = False) -> BuildResult:
        """Bring the site up to date; ``changed`` names files known to have changed, and
        with ``complete`` it names every record file that changed (a watcher's batch), so
        the others are not looked at again."""
        forced = {self._name(p) for p in changed}
        started = time.perf_counter()
        frame = build_frame(self.project, self.options, self._cache.code)
        done: list[fs.Sources] = []  # what the short way read, when it gave up: not read again
        if self._site is not None and self._site.frame == frame:
            fs.check_output(self.project, self.options.out)
            with fs.output_lock(self.options.out):
                if not fs.clean_leftovers(self.options.out.absolute()):
                    if complete and forced and all(map(_is_record, forced)):
                        sources = self._read_named(self.project, forced)
                    else:
                        sources = self._read(self.project, forced)
                    done.append(sources)
                    result = self._edit(self._site, sources, started)
                    self.short = result is not None
                    if result is not None:
                        return result
        self._site = None
        self.short = False
        models: list[Model] = []
        read: list[fs.Sources] = []

        def reader(project: Path) -> fs.Sources:
            read[:] = [done.pop() if done else self._read(project, forced)]
            return read[0]

        result = build(
            self.project,
            self.options,
            cache=self._cache,
            reader=reader,
            in_place=True,
            planned=models.append,
        )
        if models and read and result.ok and result.written:
            self._site = self._remember(frame, models[0], read[0], result)
            if self._site is not None:
                self._warm(self._site)
        return result

    def search_shards(self) -> tuple[search.Shard, ...]:
        """The runs of Pagefind that index the last site (``newsgen.search.shards``)."""
        site = self._site
        return search.shards(site.model.pages, site.model.overrides) if site else ()

    def _warm(self, site: _Site) -> None:
        """Make now what the short way's first edit would otherwise make (the readers index;
        the templates, which the full way compiled in its workers only), so the first save
        is as quick as the next."""
        from newsgen.render import compile_templates

        for path, entry in self._cache.pages(str(self.options.out.absolute())).items():
            for key in entry.keys:
                site.readers.setdefault(key, set()).add(path)
        compile_templates(site.model.config, site.model.archive, site.model.overrides)

    def _remember(
        self, frame: str, model: Model, sources: fs.Sources, result: BuildResult
    ) -> _Site | None:
        out = str(self.options.out.absolute())
        entries = self._cache.pages(out)
        loaded = {t.name: (t.digest, self._cache.record(t.name, t.digest)) for t in sources.texts}
        if len(entries) != len(model.pages) or any(v[1] is None for v in loaded.values()):
            return None  # a page that is never cached, or a record that did not load
        return _Site(
            frame=frame,
            model=model,
            loaded={name: (digest, v) for name, (digest, v) in loaded.items() if v is not None},
            notes=source_notes(sources),
            members=frozenset(map(id, model.archive.articles)),
            index={page.path: i for i, page in enumerate(model.pages)},
            problems={path: e.problems for path, e in entries.items() if e.problems},
            result=result,
            paths=site_paths(model),
        )

    def _edit(self, site: _Site, sources: fs.Sources, started: float) -> BuildResult | None:
        """The short way (see the module's docstring), or None when the edit needs the full
        way. Called with the output lock held."""
        if self.options.strict or source_notes(sources) != site.notes:
            return None
        model = site.model

        def record(text: fs.SourceText) -> Loaded | None:
            return self._cache.record(text.name, text.digest)

        edit = read_edit(
            site.loaded, site.members, sources, record, lambda t: t.text, self.options, model
        )
        if edit is None:
            return None
        loaded, parsed, swaps, new_archive = edit.loaded, edit.parsed, edit.swaps, edit.archive
        out = self.options.out.absolute()
        entries = dict(self._cache.pages(str(out)))
        readers = site.readers
        if not readers:
            for path, entry in entries.items():
                for key in entry.keys:
                    readers.setdefault(key, set()).add(path)
        keys = {f"a:{a.slug}" for a in swaps.values()}
        replanned = repage(
            model,
            site.index,
            new_archive,
            swaps.values(),
            {p for k in keys for p in readers.get(k, ())},
        )
        if replanned is None:
            return None
        pages = list(model.pages)
        for i, page in replanned.items():
            pages[i] = page
        wanted = set(replanned)
        warnings = [
            *sources.warnings,
            *(w for _, (_, (_, noted)) in loaded.items() for w in noted),
            *new_archive.warnings,
        ]
        new_model = dataclasses.replace(
            model, archive=new_archive, pages=tuple(pages), warnings=tuple(warnings), parsed=()
        )
        before = {(path := pages[i].path): entries.get(path) for i in wanted}
        rendered, problems = self._render(new_model, sorted(wanted), entries, parsed, site.paths)
        for path, old_entry in before.items():
            for key in old_entry.keys if old_entry is not None else ():
                readers.get(key, set()).discard(path)
            new_entry = entries.get(path)
            for key in new_entry.keys if new_entry is not None else ():
                readers.setdefault(key, set()).add(path)
        all_problems = {**site.problems, **problems}
        all_problems = {path: found for path, found in all_problems.items() if found}
        warnings.extend(
            link_problem(path, link) for path in sorted(all_problems) for link in all_problems[path]
        )
        result = dataclasses.replace(
            site.result,
            warnings=tuple(warnings),
            health=new_archive.health,
            seconds=time.perf_counter() - started,
            rendered=rendered,
            cleaned=(),
        )
        self._site = dataclasses.replace(
            site,
            model=new_model,
            loaded=loaded,
            members=frozenset(map(id, new_archive.articles)) if swaps else site.members,
            problems=all_problems,
            result=result,
        )
        return result

    def _render(
        self,
        model: Model,
        wanted: list[int],
        entries: dict[str, PageEntry],
        parsed: Iterable[tuple[str, str, Loaded]],
        paths: frozenset[str],
    ) -> tuple[int, dict[str, tuple[str, ...]]]:
        """Render pages ``wanted`` beside their files, rename them over the files, and
        record them: how many were rendered, and their broken links."""
        out = self.options.out.absolute()
        cache = self._cache
        problems: dict[str, tuple[str, ...]] = {}
        if wanted:
            staging = fs.Beside.begin(out)
            spec = JobSpec(
                f"{os.getpid()}-{time.time_ns()}",
                self.project.absolute(),
                self.options,
                staging,
                cache.markdown_folder(),
            )
            renderjob.JOBS[spec.token] = make_job(spec, model, entries, True, cache.code, paths)
            try:
                outcomes = renderjob.render_chunk(spec, wanted)
                staging.patch([model.pages[i].path for i in wanted], [])
            except BaseException:
                staging.discard()
                self._site = None
                raise
            finally:
                renderjob.JOBS.pop(spec.token, None)
            for outcome in outcomes:
                path = model.pages[outcome.index].path
                problems[path] = outcome.problems
                if outcome.entry is None:
                    entries.pop(path, None)
                else:
                    entries[path] = outcome.entry
        cache.put_records((name, 0, 0, digest, loaded) for name, digest, loaded in parsed)
        previous = cache.site(str(out))
        digest = previous.paths if previous is not None else ""
        # No inputs digest: the full way never replays a site the short way patched.
        cache.put_site(str(out), SiteEntry(digest, "", b""), entries)
        return len(wanted), problems

    def close(self) -> None:
        self._disk.close()

    def _name(self, path: Path) -> str:
        path = path if path.is_absolute() else self.project / path
        try:
            return path.relative_to(self.project).as_posix()
        except ValueError:
            return path.as_posix()

    def _read_named(self, project: Path, named: set[str]) -> fs.Sources:
        """``_read`` when ``named`` are the only record files that changed: those are read
        again (or dropped, when gone), the others are what they were at the last rebuild.
        Saves a ``stat`` of every record (50 ms at 10,000) on each save."""
        seen = dict(self._seen)
        root = project / "articles"
        real_root = root.resolve()
        for name in named:
            path = project / name
            seen.pop(name, None)
            try:
                stat = path.stat()
            except OSError:
                if path.is_symlink() or os.path.lexists(path):
                    # Unreadable or a dangling link: the full read reports it as it would.
                    return self._read(project, named)
                continue  # deleted
            one = self._read_one(path, name, real_root)
            seen[name] = _Seen((stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns), one)
        return self._gather(seen, (seen[name].found for name in sorted(seen)))

    def _read(self, project: Path, forced: set[str], folder: str = "articles") -> fs.Sources:
        """``fs.read_articles``, re-reading only files that changed since the last rebuild."""
        parts: list[fs.Sources] = []
        root = project / folder
        seen: dict[str, _Seen] = {}
        if root.is_dir():
            real_root = root.resolve()
            with os.scandir(root) as entries:
                listing = sorted((e.name, e) for e in entries if e.name.endswith(".md"))
            for filename, entry in listing:
                name = f"{folder}/{filename}"
                try:
                    stat: os.stat_result | None = entry.stat()  # follows a symlink, as read does
                except OSError:
                    stat = None
                before = self._seen.get(name)
                if (
                    stat is not None
                    and before is not None
                    and name not in forced
                    and before.stamp == (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
                ):
                    one = before.found
                else:
                    one = self._read_one(root / filename, name, real_root)
                if stat is not None:
                    seen[name] = _Seen((stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns), one)
                parts.append(one)
        return self._gather(seen, parts)

    def _read_one(self, path: Path, name: str, real_root: Path) -> fs.Sources:
        one = fs.Sources()
        fs.read_article(path, name, real_root, one)
        one.texts[:] = [
            fs.SourceText(t.name, t.text, self._cache.record_digest(t.name, t.text))
            for t in one.texts
        ]
        return one

    def _gather(self, seen: dict[str, _Seen], parts: Iterable[fs.Sources]) -> fs.Sources:
        """The files read, as one ``Sources``; ``seen`` is remembered for the next rebuild,
        and the cache forgets records of file versions that no longer exist."""
        found = fs.Sources()
        for one in parts:
            found.texts.extend(one.texts)
            found.errors.extend(one.errors)
            found.warnings.extend(one.warnings)
        self._seen = seen
        self._cache.prune({(t.name, t.digest) for t in found.texts})
        return found
