"""Two clean builds of the same input are byte-identical, in any time zone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURE

# Pagefind 1.5 writes its filter index in hash-map order (Pagefind issue #638), so these files
# differ from build to build; the pages, feeds, the index's words and fragments do not.
PAGEFIND_UNSTABLE = re.compile(r"pagefind/(filter/.*|pagefind-entry\.json|pagefind\..*\.pf_meta)")


def _build(project: Path, out: str, tz: str) -> dict[str, bytes]:
    env = {**os.environ, "TZ": tz, "SOURCE_DATE_EPOCH": "1735603200"}
    subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--out", out],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    root = project / out
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_builds_are_byte_identical_across_time_zones(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURE, project)
    first = _build(project, "a", "Pacific/Kiritimati")
    second = _build(project, "b", "America/Adak")
    assert _stable(first) == _stable(second)
    assert len(_stable(first)) > 50
    assert any(name.startswith("pagefind/fragment/") for name in _stable(first))
    assert len(first) - len(_stable(first)) < 12  # the entry, the meta, a filter file per filter


def _stable(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not PAGEFIND_UNSTABLE.fullmatch(k)}
