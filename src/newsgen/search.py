"""The search index: Pagefind run over a finished site folder, before it goes live.

The theme decides what is indexed (``data-pagefind-body`` on the article, ``-ignore`` on what
is not its title or text, ``-filter`` on its terms); this module only runs the indexer, the
binary that the ``pagefind[extended]`` wheel ships, so nothing is downloaded at build time.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
import jinja2.meta

from newsgen.errors import NewsgenError
from newsgen.plan import SECTIONS, Page
from newsgen.render import template_loader

BUNDLE = SECTIONS["pagefind"].rstrip("/")  # the index folder inside the site
# The files the search page loads; the link check counts them as built.
ENTRY_POINTS = (SECTIONS["pagefind_ui"], SECTIONS["pagefind_css"])
# Indexing 10,000 articles takes seconds; a hung indexer must not hang the build.
TIMEOUT_SECONDS = 600
EVERY_PAGE = "**/*.{html}"  # Pagefind's own default glob
MARK = "data-pagefind-body"  # once a page carries it, Pagefind indexes only pages that do
_GLOB_SYNTAX = re.compile(r"[\\{}\[\]*?,!]")


def scope(pages: Iterable[Page], overrides: Path | None) -> str:
    """The glob of the HTML files Pagefind reads. Pagefind parses every page it is given,
    and once any carries ``data-pagefind-body`` indexes only those that do. A page whose
    template, with all it extends, includes and imports, never writes that attribute cannot
    carry it, so its top folder is left out: at 10,000 articles the listings, the term and
    quote pages were 45% of the HTML and of Pagefind's time. What is indexed is the same;
    with no marking template Pagefind indexes every page, so the glob is its default."""
    marks = _marking(template_loader(overrides))
    folders: set[str] = set()
    for page in pages:
        if page.is_html and marks(page.template):
            top, nested, _ = page.path.partition("/")
            if not nested or _GLOB_SYNTAX.search(top):
                return EVERY_PAGE  # a marked page at the root, or a folder a glob cannot name
            folders.add(top)
    if not folders:
        return EVERY_PAGE
    names = sorted(folders)
    return f"{names[0] if len(names) == 1 else '{' + ','.join(names) + '}'}/**/*.{{html}}"


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


def indexer(pages: Iterable[Page], overrides: Path | None) -> Callable[[Path], None]:
    """What indexes a site of these pages once written: ``index_site`` over their scope."""
    return functools.partial(index_site, glob=scope(pages, overrides))


def index_site(site: Path, glob: str = EVERY_PAGE) -> None:
    """Write the search index of the pages ``glob`` names into ``site/pagefind/``. Raises
    ``NewsgenError`` on failure."""
    _pagefind(site, ["--glob", glob, "--output-subdir", BUNDLE])
    missing = [name for name in ENTRY_POINTS if not (site / name).is_file()]
    if missing:
        raise NewsgenError(f"search: Pagefind wrote no {', '.join(missing)}")


def reindex_site(site: Path, glob: str = EVERY_PAGE) -> None:
    """Refresh the index of a site being served (``newsgen serve`` updates pages in place):
    the new index is written beside the old one and swapped in, so a search never finds
    none. Raises ``NewsgenError`` on failure, leaving the old index."""
    fresh, old, live = site / f".{BUNDLE}-next", site / f".{BUNDLE}-old", site / BUNDLE
    shutil.rmtree(fresh, ignore_errors=True)
    _pagefind(site, ["--glob", glob, "--output-path", str(fresh)], niceness=19)
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    fresh.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def _pagefind(site: Path, output: list[str], niceness: int = 0) -> None:
    command = [str(pagefind_binary()), "--site", str(site), *output, "--quiet"]
    nice = shutil.which("nice")
    if niceness and nice:  # in the background of a rebuild: the next rebuild goes first
        command = [nice, "-n", str(niceness), *command]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
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
