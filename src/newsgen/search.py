"""The search index: Pagefind run over a finished site folder, before it goes live.

The theme decides what is indexed (``data-pagefind-body`` on the article, ``-ignore`` on what
is not its title or text, ``-filter`` on its terms); this module only runs the indexer, the
binary that the ``pagefind[extended]`` wheel ships, so nothing is downloaded at build time.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta

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
_GLOB_SYNTAX = re.compile(r"[\\{}\[\]*?,!]")


@dataclass(frozen=True, slots=True)
class Shard:
    """One run of Pagefind: the HTML files it reads (a glob relative to the site) and the
    folder it writes, relative to the index's own (``pagefind/``): "" for the first, whose
    scripts the search page loads and which merges the others in."""

    folder: str
    glob: str


# Pagefind as it runs by default: one index of every page.
EVERY_SHARD = (Shard("", EVERY_PAGE),)


def shards(pages: Sequence[Page], overrides: Path | None) -> tuple[Shard, ...]:
    """The runs that index a site of ``pages``: one over ``scope`` up to
    ``SEARCH_SHARD_PAGES`` articles; past it, ``plan.search_shards`` runs (the number the
    search page merges), each over an equal share of the pages in scope, so that no run
    holds the whole archive's index in memory."""
    folders = _marked_folders(pages, overrides)
    count = search_shards(sum(page.kind == "article" for page in pages))
    if count == 1:
        return (Shard("", _folders_glob(folders)),)
    paths = sorted(
        page.path
        for page in pages
        if page.is_html and (folders is None or page.path.partition("/")[0] in folders)
    )
    # Dealt in turn: as even as can be, and none empty (Pagefind fails on no page), since
    # there are more articles than shards. Every build indexes every shard again.
    return tuple(
        Shard(f"shard-{n}/" if n else "", _paths_glob(paths[n::count])) for n in range(count)
    )


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


def indexer(pages: Sequence[Page], overrides: Path | None) -> Callable[[Path], None]:
    """What indexes a site of these pages once written: ``index_site`` over their shards."""
    return functools.partial(index_site, shards=shards(pages, overrides))


def index_site(site: Path, shards: Sequence[Shard] = EVERY_SHARD) -> None:
    """Write the search index of ``site`` into ``site/pagefind/``, one Pagefind run per
    shard. Raises ``NewsgenError`` on failure."""
    _write(site, site / BUNDLE, shards)


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


def _write(site: Path, index: Path, shards: Sequence[Shard], niceness: int = 0) -> None:
    # Pagefind takes its glob from a config file in its working folder: a shard's list of
    # pages is too long for a command line (128 KiB an argument on Linux).
    work = site / WORKING_FOLDER
    work.mkdir(exist_ok=True)
    try:
        for shard in shards:
            (work / "pagefind.json").write_text(json.dumps({"glob": shard.glob}))
            _pagefind(site, index / shard.folder, work, niceness)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    entries = [f"{shard.folder}pagefind-entry.json" for shard in shards]
    pages = [name.removeprefix(SECTIONS["pagefind"]) for name in ENTRY_POINTS]
    missing = [f"{BUNDLE}/{name}" for name in (*pages, *entries) if not (index / name).is_file()]
    if missing:
        raise NewsgenError(f"search: Pagefind wrote no {', '.join(missing)}")


def _pagefind(site: Path, output: Path, work: Path, niceness: int) -> None:
    command = [
        str(pagefind_binary()),
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
