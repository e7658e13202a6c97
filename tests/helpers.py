"""What several test modules share: the fixture project and how to build it."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import re
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgen import fs
from newsgen.build import BuildOptions, BuildResult, build

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "site-fixture"
EXPECTED = DATA / "site-expected"
# The fixture's clock: a fixed "today", so its one future-dated article stays in the future.
TODAY = dt.date(2024, 12, 31)


# Pagefind 1.5 writes its filter index in hash-map order (Pagefind issue #638), so these files
# differ from build to build; the pages, feeds, the index's words and fragments do not.
PAGEFIND_UNSTABLE = re.compile(r"pagefind/(filter/.*|pagefind-entry\.json|pagefind\..*\.pf_meta)")


def build_fixture(out: Path, project: Path = FIXTURE, **options: Any) -> BuildResult:
    return build(project, BuildOptions(out=out, today=TODAY, **options))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """``root`` over real HTTP on 127.0.0.1 (an ephemeral port) for the block: yields the URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


def record_stagings(monkeypatch: pytest.MonkeyPatch) -> list[fs.Staging]:
    """Every staging folder ``fs.Staging.begin`` makes from now on, in order."""
    made: list[fs.Staging] = []
    begin = fs.Staging.begin

    def recorded(*args: Any) -> fs.Staging:
        made.append(begin(*args))
        return made[-1]

    monkeypatch.setattr(fs.Staging, "begin", recorded)
    return made


def record_prunes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each spare cleaned from now on, whether its root alone was (``fs._prune``'s
    ``root_only``: its folders were trusted by their stamps)."""
    walks: list[bool] = []
    prune = fs._prune

    def recorded(root: Path, pages: frozenset[str], root_only: bool = False) -> None:
        walks.append(root_only)
        prune(root, pages, root_only)

    monkeypatch.setattr(fs, "_prune", recorded)
    return walks
