"""The incremental builder (what ``newsgen serve`` uses): one edit to a rebuilt site.

    .venv/bin/python bench/incremental.py 10000 [--edits 5]

Writes N articles (bench/corpus.py), builds them once with ``newsgen.incremental.Builder``,
then appends a sentence to one article at a time and times ``rebuild([that file])`` in this
process: wall and CPU seconds, and how many pages were rendered again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

from corpus import write_records
from newsgen.build import BuildOptions
from newsgen.incremental import Builder


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--edits", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        write_records(project, options.n)
        epoch = dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)
        builder = Builder(project, BuildOptions(project / "site", epoch.date(), epoch=epoch))

        def timed(label: str, changed: list[Path]) -> None:
            wall, used = time.perf_counter(), cpu()
            result = builder.rebuild(changed)
            assert result.ok, result.errors
            print(
                f"{label:<14} {time.perf_counter() - wall:>7.2f} s wall {cpu() - used:>7.2f} s CPU"
                f" {result.rendered:>6} of {result.files} pages rendered",
                flush=True,
            )

        timed("first build", [])
        for k in range(options.edits):
            path = project / "articles" / f"story-{(k * 1237 + 11) % options.n:06d}.md"
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"\nCorrection {k}: a name was misspelt.\n")
            timed("one edit", [path])
        timed("no change", [])
        builder.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
