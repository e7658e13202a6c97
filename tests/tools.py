"""Finding external tools for the validity and browser tests: skip locally, fail under CI."""

from __future__ import annotations

import os
import shutil

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
