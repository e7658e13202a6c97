"""Size and time of the search index on a synthetic archive:

    .venv/bin/python bench/search_index.py [N] [--runs R]     # default 10000, 1

Writes N articles from bench/corpus.py (deterministic) into a temporary project, builds the
site without search, then times Pagefind indexing that site (what search adds to every build)
three ways, alternating: one index of every page (Pagefind's default glob), one index of
the folders of the pages the theme marks for indexing (``search.scope``), and as a build
does (``search.shards``: past 4,000 articles, one run per shard), with the indexer's largest
peak memory; and prints the index's size on disk: what a deploy uploads. A reader
downloads only a small part of it: the entry file, the language's wasm and metadata, and the
index chunks and fragments a search touches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Iterable
from multiprocessing.connection import Connection
from pathlib import Path

from corpus import write_records
from measure import empty_trash, set_aside
from newsgen.build import BuildOptions, Model, build
from newsgen.search import BUNDLE, EVERY_SHARD, Shard, index_site, scope, shards


def _size(folder: Path) -> tuple[int, int]:
    return _size_of(folder.rglob("*"))


def _size_of(paths: Iterable[Path]) -> tuple[int, int]:
    """How many files, and their bytes, every shard's together."""
    files = [p for p in paths if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _index(site: Path, shards: tuple[Shard, ...], answer: Connection) -> None:
    """In a child process, so that its children's usage is the indexer's alone."""
    started = time.perf_counter()
    index_site(site, shards)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    answer.send((time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))


def _timed_index(site: Path, shards: tuple[Shard, ...]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and the largest peak RSS (KiB) of indexing ``site``."""
    if (site / BUNDLE).exists():
        set_aside(site / BUNDLE)  # deleted only at the end: see measure.set_aside
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_index, args=(site, shards, send))
    child.start()
    figures: tuple[float, float, int] = receive.recv()
    child.join()
    return figures


def main(count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        write_records(project, count)
        site = project / "site"
        models: list[Model] = []
        started = time.perf_counter()
        options = BuildOptions(out=site, today=dt.date(2030, 1, 1), search=False)
        result = build(project, options, planned=models.append)
        built = time.perf_counter() - started
        assert result.ok, result.errors[:3]
        html_files, html_bytes = _size(site)
        print(
            f"{count} articles: site of {html_files} files, {html_bytes / 2**20:.1f} MB, "
            f"built in {built:.1f} s without search"
        )
        pages, overrides = models[0].pages, models[0].overrides
        ways = {
            "every page, one index": EVERY_SHARD,
            "scope, one index": (Shard("", scope(pages, overrides)),),
            "as a build does": shards(pages, overrides),
        }
        for run in range(runs):
            for name, way in ways.items():
                wall, cpu, peak = _timed_index(site, way)
                entries = [
                    json.loads((site / BUNDLE / s.folder / "pagefind-entry.json").read_text())
                    for s in way
                ]
                indexed = sum(
                    lang["page_count"] for e in entries for lang in e["languages"].values()
                )
                glob = way[0].glob if len(way) == 1 else f"{len(way)} shards"
                print(
                    f"run {run + 1}, {name} ({glob}): {indexed} pages indexed in {wall:.1f} s, "
                    f"{cpu:.1f} CPU s, indexer peak {peak / 2**10:.0f} MiB "
                    f"(Pagefind {entries[0]['version']})"
                )
        bundle = site / BUNDLE
        files, size = _size(bundle)
        kinds = {sub: _size_of(bundle.rglob(f"{sub}/*")) for sub in ("fragment", "index", "filter")}
        empty_trash(site)
    print(f"index size: {size / 2**20:.1f} MB in {files} files")
    for sub, (n, b) in kinds.items():
        print(f"  {sub + '/':10} {n:6} files {b / 2**20:7.1f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--runs", type=int, default=1, help="alternating pairs (default 1)")
    arguments = parser.parse_args()
    main(arguments.count, arguments.runs)
