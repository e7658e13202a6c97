"""Two clean builds of the same input are byte-identical, in any time zone (RELIABILITY #11,
#12): with SOURCE_DATE_EPOCH declaring the build time, and without it, when the one timestamp
comes from the newest article and never from the clock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURE, PAGEFIND_UNSTABLE


def _build(project: Path, out: str, tz: str, epoch: str | None) -> dict[str, bytes]:
    env = {**os.environ, "TZ": tz}
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--out", out],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    root = project / out
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("epoch", ["1735603200", None], ids=["SOURCE_DATE_EPOCH", "no epoch"])
def test_builds_are_byte_identical_across_time_zones(tmp_path: Path, epoch: str | None) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURE, project)
    # UTC+14 and UTC-10 (UTC-9 in summer): a day apart for most of every day.
    first = _build(project, "a", "Pacific/Kiritimati", epoch)
    second = _build(project, "b", "America/Adak", epoch)
    assert _stable(first) == _stable(second)
    assert len(_stable(first)) > 50
    assert any(name.startswith("pagefind/fragment/") for name in _stable(first))
    assert len(first) - len(_stable(first)) < 12  # the entry, the meta, a filter file per filter


def test_a_rebuild_over_the_previous_site_is_byte_identical(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURE, project)
    first = _build(project, "site", "UTC", "1735603200")
    again = _build(project, "site", "UTC", "1735603200")
    assert _stable(first) == _stable(again)


def _stable(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not PAGEFIND_UNSTABLE.fullmatch(k)}
