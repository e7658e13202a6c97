"""Live reload in a real browser (Debian chromium): the test opens an article once, then only
edits files on disk; the page shows each new state by itself, the failed-build notice
included, without the test navigating."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve_support import ARTICLE_RECORD, ARTICLE_URL, copy_fixture, running
from tests.tools import chromium_browser


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium_browser() as chromium:
        yield chromium


def test_an_open_article_follows_edits_on_disk_by_itself(browser: object, tmp_path: Path) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    project = copy_fixture(tmp_path)
    record = project / ARTICLE_RECORD
    good = record.read_text(encoding="utf-8")
    with running(project) as serve:
        page = browser.new_page()
        navigations: list[str] = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        page.goto(f"http://127.0.0.1:{serve.port}{ARTICLE_URL}")
        heading = page.locator("main h1")
        expect(heading).to_have_text("Leaders meet in Vladivostok as arms talks stall")

        record.write_text(good.replace("arms talks stall", "arms talks resume"), "utf-8")
        expect(heading).to_have_text(
            "Leaders meet in Vladivostok as arms talks resume", timeout=30_000
        )

        # a broken save: the notice covers the page, which stays the last good one
        record.write_text(good.replace("date: 2024-03-12", "date: [2024-03-12"), "utf-8")
        notice = page.locator("#newsgen-error")
        expect(notice).to_be_visible(timeout=30_000)
        expect(notice).to_contain_text("articles/01-summit.md:7:")
        expect(page.locator("main h1")).to_contain_text("arms talks resume")

        record.write_text(good.replace("arms talks stall", "arms talks recover"), "utf-8")
        expect(heading).to_have_text(
            "Leaders meet in Vladivostok as arms talks recover", timeout=30_000
        )
        expect(notice).to_have_count(0)
        # every page load after the first was the script's own reload of the same address
        assert len(navigations) >= 4
        assert set(navigations) == {f"http://127.0.0.1:{serve.port}{ARTICLE_URL}"}
        page.close()
