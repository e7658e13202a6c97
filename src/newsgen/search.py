"""The search index: Pagefind run over a finished site folder, before it goes live.

The theme decides what is indexed (``data-pagefind-body`` on the article, ``-ignore`` on what
is not its title or text, ``-filter`` on its terms); this module only runs the indexer, the
binary that the ``pagefind[extended]`` wheel ships, so nothing is downloaded at build time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta

from newsgen import fs
from newsgen.errors import NewsgenError
from newsgen.plan import SECTIONS, Page, search_shards
from newsgen.render import template_loader

BUNDLE = SECTIONS["pagefind"].rstrip("/")  # the index folder inside the site
# The files the search page loads; the link check counts them as built.
ENTRY_POINTS = (SECTIONS["pagefind_ui"], SECTIONS["pagefind_css"])
# Indexing 10,000 articles takes seconds; a hung indexer must not hang the build.
TIMEOUT_SECONDS = 600
EVERY_PAGE = "**/*.{html}"  # Pagefind's own default glob
MARK = "data-pagefind-body"  # once a page carries it, Pagefind indexes only pages that do
WORKING_FOLDER = ".newsgen-search"  # in the site while Pagefind runs: its config file
STAMP = "newsgen-shard.txt"  # in each shard's folder: what it indexed (``index_site``)
# What Pagefind's globs (the wax crate) read as syntax; "\\" before each makes it a letter
# ("!" is no syntax there, and an escaped one no glob).
_GLOB_SYNTAX = re.compile(r"[\\{}\[\]*?,<>:]")


@dataclass(frozen=True, slots=True)
class Shard:
    """One run of Pagefind: the HTML files it reads (a glob relative to the site) and the
    folder it writes, relative to the index's own (``pagefind/``): "" for the first, whose
    scripts the search page loads and which merges the others in."""

    folder: str
    glob: str
    paths: tuple[str, ...] = ()  # the pages it covers; () when not known (never kept)


@dataclass(frozen=True, slots=True)
class Indexed:
    """What a build did to the search index: shards indexed, and kept from the last site."""

    made: int
    kept: int


# Pagefind as it runs by default: one index of every page.
EVERY_SHARD = (Shard("", EVERY_PAGE),)


def shards(pages: Sequence[Page], overrides: Path | None) -> tuple[Shard, ...]:
    """The runs that index a site of ``pages``: one over ``scope`` up to
    ``SEARCH_SHARD_PAGES`` articles; past it, ``plan.search_shards`` runs (the number the
    search page merges), each over the pages in scope whose path hashes to it, so that no
    run holds the whole archive's index in memory."""
    folders = _marked_folders(pages, overrides)
    count = search_shards(sum(page.kind == "article" for page in pages))
    paths = sorted(
        page.path
        for page in pages
        if page.is_html and (folders is None or page.path.partition("/")[0] in folders)
    )
    if count == 1:
        return (Shard("", _folders_glob(folders), tuple(paths)),)
    # By a hash of the path: a page stays in its shard as the archive changes (until the
    # count doubles), so an edit re-indexes one shard. Were one empty (Pagefind fails on no
    # page; with thousands a shard, a theoretical case), they are dealt in turn instead.
    shares: list[list[str]] = [[] for _ in range(count)]
    for path in paths:
        shares[_hash(path) % count].append(path)
    if not all(shares):
        shares = [paths[n::count] for n in range(count)]
    return tuple(
        Shard(f"shard-{n}/" if n else "", _paths_glob(share), tuple(share))
        for n, share in enumerate(shares)
    )


def _hash(path: str) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big")


def scope(pages: Iterable[Page], overrides: Path | None) -> str:
    """The glob of the HTML files Pagefind reads. Pagefind parses every page it is given,
    and once any carries ``data-pagefind-body`` indexes only those that do. A page whose
    template, with all it extends, includes and imports, never writes that attribute cannot
    carry it, so its top folder is left out: at 10,000 articles the listings, the term and
    quote pages were 45% of the HTML and of Pagefind's time. What is indexed is the same;
    with no marking template Pagefind indexes every page, so the glob is its default."""
    return _folders_glob(_marked_folders(pages, overrides))


def _marked_folders(pages: Iterable[Page], overrides: Path | None) -> frozenset[str] | None:
    """The top folders of the pages a template marks; None for every page."""
    marks = _marking(template_loader(overrides))
    folders: set[str] = set()
    for page in pages:
        if page.is_html and marks(page.template):
            top, nested, _ = page.path.partition("/")
            if not nested or _GLOB_SYNTAX.search(top):
                return None  # a marked page at the root, or a folder a glob cannot name
            folders.add(top)
    return frozenset(folders) or None


def _folders_glob(folders: frozenset[str] | None) -> str:
    if folders is None:
        return EVERY_PAGE
    names = sorted(folders)
    return f"{names[0] if len(names) == 1 else '{' + ','.join(names) + '}'}/**/*.{{html}}"


def _paths_glob(paths: Sequence[str]) -> str:
    """A glob naming exactly ``paths``."""
    return "{" + ",".join(_GLOB_SYNTAX.sub(lambda m: "\\" + m[0], p) for p in paths) + "}"


def _marking(loader: jinja2.BaseLoader) -> Callable[[str], bool]:
    """Whether a template, or one it names, holds ``MARK``. A name worked out when the
    page renders (``{% include name %}``) may be any template: it counts as marking. A
    template that is missing or broken counts as not: rendering the page reports it."""
    env = jinja2.Environment(loader=loader)

    @functools.cache
    def names(template: str) -> tuple[str | None, ...] | None:
        """The templates ``template`` names, or None when it holds the mark itself."""
        try:
            source = loader.get_source(env, template)[0]
            if MARK in source:
                return None
            return tuple(jinja2.meta.find_referenced_templates(env.parse(source)))
        except (jinja2.TemplateError, NewsgenError):
            return ()

    def marks(template: str) -> bool:
        seen, todo = {template}, [template]
        while todo:
            found = names(todo.pop())
            if found is None or None in found:
                return True
            todo.extend(n for n in found if n is not None and n not in seen)
            seen.update(n for n in found if n is not None)
        return False

    return marks


def pagefind_binary() -> Path:
    """The Pagefind executable: ``PAGEFIND_BINARY_PATH``, else the one in the wheel."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = None
    else:
        found = get_executable()
    if found is None or not found.is_file():
        raise NewsgenError(
            "search: the Pagefind indexer is not installed; "
            "pip install 'pagefind[extended]', or build with --no-search"
        )
    return found


def indexer(
    pages: Sequence[Page],
    overrides: Path | None,
    last: Path | None = None,
    written: Set[str] = frozenset(),
) -> Callable[[Path], Indexed]:
    """What indexes a site of these pages once written: ``index_site`` over their shards,
    keeping those of the ``last`` site that no page ``written`` since belongs to."""
    return functools.partial(
        index_site, shards=shards(pages, overrides), last=last, written=written
    )


def index_site(
    site: Path,
    shards: Sequence[Shard] = EVERY_SHARD,
    last: Path | None = None,
    written: Set[str] = frozenset(),
) -> Indexed:
    """Write the search index of ``site`` into ``site/pagefind/``, one Pagefind run per
    shard. A shard of the ``last`` site (the one this one replaces) is linked instead when
    it indexed the same pages with the same Pagefind (its ``STAMP`` says so) and each of
    them is the last site's file or, if ``written`` since, holds the same bytes: a page
    that reads an edited article is rendered again, mostly to the same text. Raises
    ``NewsgenError`` on failure."""
    return _write(site, site / BUNDLE, shards, last=last, written=written)


def reindex_site(site: Path, shards: Sequence[Shard] = EVERY_SHARD) -> None:
    """Refresh the index of a site being served (``newsgen serve`` updates pages in place):
    the new index is written beside the old one and swapped in, so a search never finds
    none. Raises ``NewsgenError`` on failure, leaving the old index."""
    fresh, old, live = site / f".{BUNDLE}-next", site / f".{BUNDLE}-old", site / BUNDLE
    shutil.rmtree(fresh, ignore_errors=True)
    _write(site, fresh, shards, niceness=19)
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    fresh.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def _write(
    site: Path,
    index: Path,
    shards: Sequence[Shard],
    niceness: int = 0,
    last: Path | None = None,
    written: Set[str] = frozenset(),
) -> Indexed:
    # Pagefind takes its glob from a config file in its working folder: a shard's list of
    # pages is too long for a command line (128 KiB an argument on Linux).
    work = site / WORKING_FOLDER
    binary = pagefind_binary()
    kept = 0
    try:
        work.mkdir(exist_ok=True)
        for shard in shards:  # the first first: Pagefind may clear the folder it writes
            stamp = _stamp(shard, binary)
            if last is not None and _kept(shard, stamp, site, last, written):
                _link_tree(last / BUNDLE / shard.folder, index / shard.folder)
                kept += 1
                continue
            (work / "pagefind.json").write_text(json.dumps({"glob": shard.glob}))
            _pagefind(binary, site, index / shard.folder, work, niceness)
            if shard.paths:
                # Written last: Pagefind 1.5 exits with 0 when a disk fills under it.
                (index / shard.folder / STAMP).write_text(stamp)
    except OSError as exc:
        raise NewsgenError(f"search: {fs.write_failure(exc)} while writing the index") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    entries = [f"{shard.folder}pagefind-entry.json" for shard in shards]
    pages = [name.removeprefix(SECTIONS["pagefind"]) for name in ENTRY_POINTS]
    missing = [f"{BUNDLE}/{name}" for name in (*pages, *entries) if not (index / name).is_file()]
    if missing:
        raise NewsgenError(f"search: Pagefind wrote no {', '.join(missing)}")
    return Indexed(len(shards) - kept, kept)


def _stamp(shard: Shard, binary: Path) -> str:
    """What a shard's index was made from: its pages (which a page written since changes
    in content, not in name) and the indexer, down to its file."""
    found = binary.resolve().stat()
    made_by = f"{binary.resolve()} {found.st_size} {found.st_mtime_ns}"
    return hashlib.blake2b("\n".join((made_by, shard.glob, *shard.paths)).encode()).hexdigest()


def _kept(shard: Shard, stamp: str, site: Path, last: Path, written: Set[str]) -> bool:
    """Whether ``last``'s index of ``shard`` is the one ``site`` would get."""
    folder = last / BUNDLE / shard.folder
    try:
        if (folder / STAMP).read_text() != stamp or not (folder / "pagefind-entry.json").is_file():
            return False
    except OSError:
        return False
    return bool(shard.paths) and all(
        _same_bytes(site / path, last / path) for path in shard.paths if path in written
    )


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        return one.stat().st_size == other.stat().st_size and one.read_bytes() == other.read_bytes()
    except OSError:
        return False


def _link_tree(source: Path, target: Path) -> None:
    """Hard links of the files of a shard's folder (the first's without the others in it),
    copies where links are not possible, as ``fs.Staging.keep`` keeps a page."""
    for folder, subfolders, files in os.walk(source):
        here = Path(folder)
        if here == source:
            subfolders[:] = [s for s in subfolders if not s.startswith("shard-")]
        there = target / here.relative_to(source)
        there.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(here / name, there / name)
            except OSError:
                shutil.copy2(here / name, there / name)


def _pagefind(binary: Path, site: Path, output: Path, work: Path, niceness: int) -> None:
    command = [
        str(binary),
        *("--site", str(site.absolute()), "--output-path", str(output.absolute()), "--quiet"),
    ]
    nice = shutil.which("nice")
    if niceness and nice:  # in the background of a rebuild: the next rebuild goes first
        command = [nice, "-n", str(niceness), *command]
    try:
        done = subprocess.run(
            command,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except OSError as exc:
        raise NewsgenError(f"search: cannot run {command[0]}: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired:
        raise NewsgenError(f"search: Pagefind did not finish in {TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        raise NewsgenError(f"search: Pagefind failed: {_reason(done.stderr or done.stdout)}")


def _reason(output: str) -> str:
    # Pagefind repeats its error line; one copy, on one line, is the message.
    lines = list(dict.fromkeys(line.strip() for line in output.splitlines() if line.strip()))
    return " ".join(lines[-3:]) or "no message"
