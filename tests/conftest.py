"""Shared test options and fixtures.

``--update-golden`` rewrites expected outputs (parser golden pairs and the golden site) on
purpose; review the diff. The golden fixture project is built once per session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import build_fixture


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden expected files from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project built with its own settings (base URL https://example.org/news/)."""
    out = tmp_path_factory.mktemp("golden") / "site"
    result = build_fixture(out)
    assert result.written and result.ok, result.errors
    return out
