"""Shared fixtures: the golden fixture project, built once per session into a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import build_fixture


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/data/site-expected/ from the current build (review the diff!)",
    )


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project built with its own settings (base URL https://example.org/news/)."""
    out = tmp_path_factory.mktemp("golden") / "site"
    result = build_fixture(out)
    assert result.written and result.ok, result.errors
    return out
