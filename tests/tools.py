"""Finding external tools for the validity and browser tests: skip locally, fail under CI."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# Flags for a quiet, offline headless run: no sandbox (root in CI), no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require(found: bool, what: str) -> None:
    """Skip with a reason when a tool is missing; under CI a missing tool is a failure."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing, and CI is set: `make test` should have installed it")
    pytest.skip(f"{what} is missing (run `make test` as root to install it)")


def require_java() -> None:
    require(shutil.which("java") is not None, "java (for the Nu HTML validator)")


def require_chromium() -> None:
    require(os.path.exists(CHROMIUM), f"Debian chromium at {CHROMIUM}")


@contextlib.contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian chromium, headless, driven by Playwright (never a downloaded browser); skips
    (or fails under CI) when either is missing. Yields a ``playwright`` ``Browser``."""
    require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - installed by `make test`
        require(False, "the playwright package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def without_dac_override() -> tuple[str, ...]:
    """A command prefix under which permission bits bind even for root: root ignores them
    while it holds CAP_DAC_OVERRIDE, so the prefix drops it (setpriv, from util-linux)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    require(setpriv is not None, "setpriv (util-linux), to drop root's file capabilities")
    assert setpriv is not None
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")
