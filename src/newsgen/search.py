"""The search index: Pagefind run over a finished site folder, before it goes live.

The theme decides what is indexed (``data-pagefind-body`` on the article, ``-ignore`` on what
is not its title or text, ``-filter`` on its terms); this module only runs the indexer, the
binary that the ``pagefind[extended]`` wheel ships, so nothing is downloaded at build time.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from newsgen.errors import NewsgenError
from newsgen.plan import SECTIONS

BUNDLE = SECTIONS["pagefind"].rstrip("/")  # the index folder inside the site
# The files the search page loads; the link check counts them as built.
ENTRY_POINTS = (SECTIONS["pagefind_ui"], SECTIONS["pagefind_css"])
# Indexing 10,000 articles takes seconds; a hung indexer must not hang the build.
TIMEOUT_SECONDS = 600


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


def index_site(site: Path) -> None:
    """Write the search index into ``site/pagefind/``. Raises ``NewsgenError`` on failure."""
    _pagefind(site, ["--output-subdir", BUNDLE])
    missing = [name for name in ENTRY_POINTS if not (site / name).is_file()]
    if missing:
        raise NewsgenError(f"search: Pagefind wrote no {', '.join(missing)}")


def reindex_site(site: Path) -> None:
    """Refresh the index of a site being served (``newsgen serve`` updates pages in place):
    the new index is written beside the old one and swapped in, so a search never finds
    none. Raises ``NewsgenError`` on failure, leaving the old index."""
    fresh, old, live = site / f".{BUNDLE}-next", site / f".{BUNDLE}-old", site / BUNDLE
    shutil.rmtree(fresh, ignore_errors=True)
    _pagefind(site, ["--output-path", str(fresh)], niceness=19)
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
