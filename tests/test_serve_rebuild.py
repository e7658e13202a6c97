"""serve's incremental rebuilder: what an edit changes on disk, and the search refresh."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from newsgen import plan
from newsgen.build import BuildOptions
from newsgen.plan import search_shards
from newsgen.serve import rebuild
from newsgen.serve.rebuild import incremental_rebuilder
from tests.serve_support import copy_fixture, wait_for

WORD = "zyzzogeton"


def _options(out: Path) -> BuildOptions:
    return BuildOptions(out, dt.date(2026, 1, 1), base_url="http://127.0.0.1:8000/")


def _indexed(site: Path, word: str) -> bool:
    """Whether any shard of the index has ``word`` (``pagefind/`` and ``pagefind/shard-N/``)."""
    for fragment in (site / "pagefind").glob("**/fragment/*.pf_fragment"):
        if word.encode() in gzip.decompress(fragment.read_bytes()):
            return True
    return False


def _pages(site: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}


def _some_record(project: Path) -> Path:
    return next(p for p in sorted((project / "articles").glob("*.md")) if "draft" not in p.name)


@pytest.mark.parametrize("shard_pages", [None, 3])  # one index; four shards
def test_an_edit_renders_only_its_pages_and_search_finds_it_once_saves_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shard_pages: int | None
) -> None:
    monkeypatch.setattr(rebuild._Reindexer, "QUIET", 0.2)
    if shard_pages is not None:
        monkeypatch.setattr(plan, "SEARCH_SHARD_PAGES", shard_pages)
    project = copy_fixture(tmp_path)
    builder = incremental_rebuilder(project, _options, tmp_path / "work")
    first = builder.rebuild([])
    assert first.ok and first.written
    site = first.out
    assert not _indexed(site, WORD)

    record = _some_record(project)
    record.write_text(record.read_text(encoding="utf-8") + f"\nA {WORD} was seen.\n")
    again = builder.rebuild([record])
    assert again.ok and again.out == site
    assert 0 < again.rendered < first.files / 2
    assert any(WORD in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    wait_for(lambda: _indexed(site, WORD), timeout=60, what="the search index to have the word")
    shards = search_shards(len(list((site / "articles").glob("*/index.html"))))
    entries = [site / "pagefind/pagefind-entry.json"]
    entries += [site / f"pagefind/shard-{n}/pagefind-entry.json" for n in range(1, shards)]
    assert all(e.is_file() for e in entries) and (shard_pages is None) == (shards == 1)


def test_a_broken_record_changes_nothing_once_a_good_site_is_served(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    builder = incremental_rebuilder(project, _options, tmp_path / "work")
    site = builder.rebuild([]).out
    before = {
        p: p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts
    }
    record = _some_record(project)
    record.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    broken = builder.rebuild([record])
    assert not broken.ok and not broken.written
    after = {
        p: p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts
    }
    assert after == before
