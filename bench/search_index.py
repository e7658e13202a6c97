"""Size and time of the search index on a synthetic archive:

    .venv/bin/python bench/search_index.py [N]      # default 10000

Writes N articles from bench/corpus.py (deterministic) into a temporary project, builds the
site without search, then times Pagefind indexing that site (what search adds to every build)
and prints the index's size on disk: what a deploy uploads. A reader downloads only a small
part of it: the entry file, the language's wasm and metadata, and the index chunks and
fragments a search touches.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_records
from newsgen.build import BuildOptions, build
from newsgen.search import BUNDLE, index_site


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        write_records(project, count)
        site = project / "site"
        started = time.perf_counter()
        result = build(project, BuildOptions(out=site, today=dt.date(2030, 1, 1), search=False))
        built = time.perf_counter() - started
        assert result.ok, result.errors[:3]
        html_files, html_bytes = _size(site)

        started = time.perf_counter()
        index_site(site)
        seconds = time.perf_counter() - started

        bundle = site / BUNDLE
        files, size = _size(bundle)
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        pages = sum(lang["page_count"] for lang in entry["languages"].values())
        kinds = {}
        for sub in ("fragment", "index", "filter"):
            kinds[sub] = _size(bundle / sub)
    print(
        f"{count} articles: site of {html_files} files, {html_bytes / 2**20:.1f} MB, "
        f"built in {built:.1f} s without search"
    )
    print(f"search index: {pages} pages indexed in {seconds:.1f} s (Pagefind {entry['version']})")
    print(f"index size: {size / 2**20:.1f} MB in {files} files")
    for sub, (n, b) in kinds.items():
        print(f"  {sub + '/':10} {n:6} files {b / 2**20:7.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
