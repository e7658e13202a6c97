"""Raw articles per second through ``newsgen ingest`` on a generated corpus.

    .venv/bin/python bench/ingest.py [N] [--corpus DIR]

The corpus is N raw files made from the fakenews sample kept in tests/data/gold (or --corpus
DIR of *.txt), each a variation (its own headline number and a changed sentence) so that
none is an exact duplicate. Generated into a temporary folder, never committed.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from newsgen.ingest import ingest

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent / "tests" / "data" / "gold"


def make_corpus(sources: list[Path], n: int, folder: Path) -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sources]
    for i in range(n):
        title, _, body = texts[i % len(texts)].partition("\n")
        topic = folder / f"topic{i % 20:02d}"
        topic.mkdir(exist_ok=True)
        text = f"{title} ({i})\n{body}\nEditor's note: this is variation number {i}.\n"
        (topic / f"{i:06d}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    sources = sorted(args.corpus.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        seeds, out = Path(tmp) / "seeds", Path(tmp) / "articles"
        seeds.mkdir()
        make_corpus(sources, args.n, seeds)
        start = time.perf_counter()
        report = ingest([seeds], out)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        again = ingest([seeds], out)
        warm = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"articles             {args.n} (from {len(sources)} real files, {os.cpu_count()} cores)")
    print(f"first ingest         {cold:.2f} s  = {args.n / cold:,.0f} articles/s")
    print(f"  written/errors     {len(report.written)}/{len(report.errors)}")
    print(f"unchanged re-ingest  {warm:.2f} s  = {args.n / warm:,.0f} articles/s")
    print(f"  unchanged          {again.unchanged}")
    print(f"peak RSS             {rss:.0f} MB main, {children:.0f} MB largest worker")


if __name__ == "__main__":
    main()
