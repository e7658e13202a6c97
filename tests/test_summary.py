"""The summary a build keeps beside its manifest comes back from the cache as it was kept.

Its two folder mappings (177,000 folders each at 100,000 articles) are pickled packed (the
names joined, the stamps as arrays), so that a build does not memoise every name at its
peak; what that saves is measured at 100,000 articles (docs/scaling.md), not here.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.build import BuildResult, Summary, build, summary_of
from newsgen.cache import CACHE_DIR, BuildCache
from newsgen.hashing import code_digest
from newsgen.model import Health
from tests.test_build_cache import _options, prices_project

# Folder names as paths hold them (no NUL); stamps as ``fs.folder_stamps`` makes them (an
# inode shifted 64 bits left, ORed with a ctime in ns), and beyond, which must survive too.
names = st.text(st.characters(blacklist_characters="\x00"), max_size=12)
folders = st.dictionaries(names, st.integers(min_value=-(2**130), max_value=2**130))


def _kept_summary(tmp_path: Path) -> Summary:
    project = prices_project(tmp_path)
    out = tmp_path / "site"
    assert build(project, _options(out)).ok
    cache = BuildCache(project / CACHE_DIR, code_digest())
    try:
        summary = summary_of(cache.site(str(out.absolute())))
    finally:
        cache.close()
    assert summary is not None
    return summary


def test_a_built_sites_summary_survives_the_cache(tmp_path: Path) -> None:
    summary = _kept_summary(tmp_path)
    assert summary.folders and "" in summary.folders
    assert pickle.loads(pickle.dumps(summary)) == summary


@settings(max_examples=200, deadline=None)
@given(live=folders, spare=st.none() | folders)
def test_any_folder_stamps_survive_pickling(
    live: dict[str, int], spare: dict[str, int] | None
) -> None:
    summary = dataclasses.replace(_SUMMARY, folders=live, spare_folders=spare)
    assert pickle.loads(pickle.dumps(summary)) == summary


def test_a_summary_pickled_before_packing_still_loads() -> None:
    old = dataclasses.replace(_SUMMARY, folders={"": 1, "a": 2}, spare_folders=None)
    state = dict(vars(old))  # what pickle wrote before: the mappings as they are
    revived = Summary.__new__(Summary)
    revived.__setstate__(state)
    assert revived == old


_RESULT = BuildResult(
    Path("site"), True, {"article": 1}, (), (), Health(1, 0, 0, 0, 0, 0), 0, 0, 1, 0.1
)
_SUMMARY = Summary(_RESULT, {"": 0})
