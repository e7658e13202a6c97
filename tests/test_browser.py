"""What a reader gets in a real browser: axe-core finds no violation on any page kind at a
phone and a desktop width, in light and dark mode; nothing from an article runs; screenshots
of the home, an article and a topic page are saved for a person to look at."""

from __future__ import annotations

import functools
import http.server
import os
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import build_fixture
from tests.tools import chromium_browser

WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}
# One page of every kind the site makes.
PAGES = {
    "home": "",
    "home-page-2": "page/2/",
    "article": "articles/leaders-meet-in-vladivostok/",
    "article-hostile": "articles/officials-no-comment/",
    "topics": "topics/",
    "topic": "topics/politics/",
    "people": "people/",
    "person": "people/jake-sullivan/",
    "places": "places/",
    "place": "places/vladivostok/",
    "organizations": "organizations/",
    "organization": "organizations/european-central-bank/",
    "sources": "sources/",
    "source": "sources/daily-ledger/",
    "quotes": "quotes/",
    "archive": "archive/",
    "archive-year": "archive/2024/",
    "archive-month": "archive/2024/03/",
    "archive-undated": "archive/undated/",
    "not-found": "404.html",
    "search": "search/?q=inflation",
}
SCREENSHOTS = ("home", "article", "topic", "search")
REPO = Path(__file__).resolve().parents[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture built for, and served at, http://127.0.0.1:PORT/news/."""
    root = tmp_path_factory.mktemp("served")
    handler = functools.partial(_Quiet, directory=str(root))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}/news/"
        result = build_fixture(root / "news", base_url=base)
        assert result.ok and not result.warnings
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield base
        server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium_browser() as chromium:
        yield chromium


def _shots_folder() -> Path:
    folder = Path(os.environ.get("NEWSGEN_SCREENSHOTS", REPO / "build" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_axe_finds_no_violations_on_any_page_kind(
    browser: object, served: str, width: str, scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Dialog

    assert isinstance(browser, Browser)
    axe = Axe()
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    shots = _shots_folder()
    problems = []
    for kind, url in PAGES.items():
        response = page.goto(served + url)
        assert (response is not None and response.ok) or kind == "not-found", url
        results = axe.run(page)
        if results.violations_count:
            problems.append(f"{kind} ({url}):\n{results.generate_report()}")
        if kind in SCREENSHOTS and scheme == "light":
            page.screenshot(path=str(shots / f"{kind}-{width}.png"), full_page=True)
        # Nothing overflows sideways: the layout fits a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{kind} scrolls sideways at {w}px"
    context.close()
    assert not dialogs, f"article script ran: {dialogs}"
    assert not problems, "\n".join(problems)
    if scheme == "light":
        with capsys.disabled():
            print(f"\nscreenshots ({width}): {shots}")
