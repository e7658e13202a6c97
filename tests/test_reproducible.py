"""Two clean builds of the same input are byte-identical, in any time zone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURE


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
    assert first == second
    assert len(first) > 50
