"""What several test modules share: the fixture project and how to build it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from newsgen.build import BuildOptions, BuildResult, build

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "site-fixture"
EXPECTED = DATA / "site-expected"
# The fixture's clock: a fixed "today", so its one future-dated article stays in the future.
TODAY = dt.date(2024, 12, 31)


def build_fixture(out: Path, project: Path = FIXTURE, **options: Any) -> BuildResult:
    return build(project, BuildOptions(out=out, today=TODAY, **options))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
