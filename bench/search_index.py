"""Size and time of the search index on a synthetic archive:

    .venv/bin/python bench/search_index.py [N] [--runs R]     # default 10000, 1

Writes N articles from bench/corpus.py (deterministic) into a temporary project, builds the
site without search, then times Pagefind indexing that site (what search adds to every build)
twice, alternating: reading every page (Pagefind's default glob) and reading the folders of
the pages the theme marks for indexing (``search.scope``, what a build does), with the
indexer's peak memory; and prints the index's size on disk: what a deploy uploads. A reader
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
from multiprocessing.connection import Connection
from pathlib import Path

from corpus import write_records
from measure import empty_trash, set_aside
from newsgen.build import BuildOptions, Model, build
from newsgen.search import BUNDLE, EVERY_PAGE, index_site, scope


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _index(site: Path, glob: str, answer: Connection) -> None:
    """In a child process, so that its children's usage is the indexer's alone."""
    started = time.perf_counter()
    index_site(site, glob)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    answer.send((time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))


def _timed_index(site: Path, glob: str) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of indexing ``site`` over ``glob``."""
    if (site / BUNDLE).exists():
        set_aside(site / BUNDLE)  # deleted only at the end: see measure.set_aside
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_index, args=(site, glob, send))
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
        globs = {"every page": EVERY_PAGE, "scope": scope(models[0].pages, models[0].overrides)}
        for run in range(runs):
            for name, glob in globs.items():
                wall, cpu, peak = _timed_index(site, glob)
                entry = json.loads((site / BUNDLE / "pagefind-entry.json").read_text())
                pages = sum(lang["page_count"] for lang in entry["languages"].values())
                print(
                    f"run {run + 1}, {name} ({glob}): {pages} pages indexed in {wall:.1f} s, "
                    f"{cpu:.1f} CPU s, indexer peak {peak / 2**10:.0f} MiB "
                    f"(Pagefind {entry['version']})"
                )
        bundle = site / BUNDLE
        files, size = _size(bundle)
        kinds = {sub: _size(bundle / sub) for sub in ("fragment", "index", "filter")}
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
