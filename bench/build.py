"""Build times and peak memory of ``newsgen build`` on a synthetic archive.

    .venv/bin/python bench/build.py 10000            # N = 10,000
    .venv/bin/python bench/build.py 1000 --huge      # also N = 100,000
    .venv/bin/python bench/build.py 1000 --keep DIR  # keep the project for a look

For each N, in a temporary project (bench/corpus.py): a clean build (no output, no cache), a
rebuild with nothing changed, a rebuild after one article's body was edited, and one after a
second edit (the steady state of editing: it starts from the spare the first one kept). Every build
is its own ``newsgen build`` process, timed from the outside (start-up included), and reports
wall time, CPU time (all its processes), the peak RSS of its largest process, and the largest
sums of RSS and of PSS over all its processes sampled together (``bench/measure.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from corpus import let_settle, write_records
from measure import Run, empty_trash, run, set_aside

EPOCH = "1700000000"  # a fixed build time: every run builds the same site


def run_build(project: Path, *args: str) -> Run:
    """One ``newsgen build`` in ``project``, as its own process."""
    command = [sys.executable, "-m", "newsgen", "build", "--out", "site", *args]
    return run(command, project, {"SOURCE_DATE_EPOCH": EPOCH})


def clean(project: Path) -> None:
    """No output, no cache and no spare (the site the last swap replaced, ``.site.spare``):
    a spare left from an earlier run, with no cache to vouch for it, is looked at page by
    page by the next build."""
    for name in ("site", ".newsgen-cache", ".site.spare"):
        set_aside(project / name)


def edit_one(project: Path, n: int, round_: int = 0) -> Path:
    """Append a sentence to one article in the middle of the archive, as an editor would."""
    path = project / "articles" / f"story-{n // 2:06d}.md"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nCorrection {round_}: an earlier version misspelt a name.\n")
    return path


def measure(project: Path, n: int, build_args: tuple[str, ...] = ()) -> dict[str, Run]:
    clean(project)
    figures = {"clean build": run_build(project, *build_args)}
    figures["no-change rebuild"] = run_build(project, *build_args)
    edit_one(project, n)
    figures["one article edited"] = run_build(project, *build_args)
    # The first edit finds no spare (the previous site kept by a swap, newsgen.fs.Staging):
    # from the second on, an edit patches the spare instead of linking a whole new tree.
    edit_one(project, n, 1)
    figures["another edit"] = run_build(project, *build_args)
    empty_trash(project)
    # SERVE: "serve edit-to-visible" goes here. bench/serve_latency.py (branch serve) times an
    # edit to the reload event of a running `newsgen serve`; join it as one more row.
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10_000])
    parser.add_argument("--huge", action="store_true", help="also N = 100,000")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--args", default="", help="extra `newsgen build` arguments")
    options = parser.parse_args()
    sizes = [*options.sizes, *([100_000] if options.huge else [])]
    print(f"{os.cpu_count()} cores; each figure is one `newsgen build` process")
    head = f"{'seconds':>8} {'CPU s':>8} {'RSS MB':>8} {'sum RSS':>8} {'sum PSS':>8}"
    print(f"{'N':>8}  {'figure':<20} {head}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = options.keep / str(n) if options.keep else Path(tmp)
            if not (project / "articles").is_dir():
                write_records(project, n)
                let_settle()
            figures = measure(project, n, tuple(options.args.split()))
            for name, figure in figures.items():
                cells = (
                    f"{figure.seconds:>8.2f} {figure.cpu:>8.2f} {figure.rss_mb:>8.0f}"
                    f" {figure.rss_sum_mb:>8.0f} {figure.pss_sum_mb:>8.0f}"
                )
                print(f"{n:>8}  {name:<20} {cells}")


if __name__ == "__main__":
    main()
