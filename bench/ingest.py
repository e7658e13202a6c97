"""Raw articles per second through ``newsgen ingest`` on a generated corpus.

    .venv/bin/python bench/ingest.py [N] [--corpus DIR]

The corpus is N raw files made from the fakenews sample kept in tests/data/gold (or --corpus
DIR of *.txt), each a variation (its own headline number and a changed sentence) so that
none is an exact duplicate. Generated into a temporary folder, never committed.

Two ingests are timed: the first (everything parsed and written) and an unchanged re-ingest
(nothing parsed: the manifest knows every file). Each prints wall-clock articles/s and the
CPU seconds of the main process and its workers: on a machine shared with other work the
wall clock measures the neighbours, and CPU ms/article is the figure to compare.
docs/ingest-speed.md has the profile per stage and the figures measured with it.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path
from resource import RUSAGE_CHILDREN, RUSAGE_SELF

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
        start, cpu_start = time.perf_counter(), _cpu()
        report = ingest([seeds], out)
        cold, cold_cpu = time.perf_counter() - start, _cpu(cpu_start)
        start, cpu_start = time.perf_counter(), _cpu()
        again = ingest([seeds], out)
        warm, warm_cpu = time.perf_counter() - start, _cpu(cpu_start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"articles             {args.n} (from {len(sources)} real files, {os.cpu_count()} cores)")
    print(f"first ingest         {cold:.2f} s  = {args.n / cold:,.0f} articles/s")
    _print_cpu(cold_cpu, args.n)
    print(f"  written/errors     {len(report.written)}/{len(report.errors)}")
    print(f"unchanged re-ingest  {warm:.2f} s  = {args.n / warm:,.0f} articles/s")
    _print_cpu(warm_cpu, args.n)
    print(f"  unchanged          {again.unchanged}")
    print(f"peak RSS             {rss:.0f} MB main, {children:.0f} MB largest worker")


def _cpu(since: tuple[float, float] = (0.0, 0.0)) -> tuple[float, float]:
    """CPU seconds (this process, its finished workers): on a shared machine wall time
    says more about the neighbours than about ingest."""
    main, workers = (resource.getrusage(w) for w in (RUSAGE_SELF, RUSAGE_CHILDREN))
    return (
        main.ru_utime + main.ru_stime - since[0],
        workers.ru_utime + workers.ru_stime - since[1],
    )


def _print_cpu(cpu: tuple[float, float], n: int) -> None:
    main, workers = cpu
    per_article = (main + workers) / n * 1000
    print(
        f"  CPU                {main:.2f} s main + {workers:.2f} s workers = "
        f"{per_article:.2f} ms/article ({2000 / per_article:,.0f} articles/s on 2 idle cores "
        f"if all of it ran in parallel)"
    )


if __name__ == "__main__":
    main()
