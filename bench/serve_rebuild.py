"""The rebuild half of ``bench/serve_latency.py``, timed in CPU seconds as well as wall.

    .venv/bin/python bench/serve_rebuild.py [N] [--edits 7]

On the same project (the fixture's records, copied and varied to N), makes the same title
edit as serve_latency.py, one save at a time, and times ``Builder.rebuild`` in this process
with serve's options (one process, ``jobs=1``; no search index, which serve refreshes in the
background). On a shared machine the wall time of serve_latency.py moves with the
neighbours' load; the CPU time of the rebuild is the steadier figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from newsgen.build import BuildOptions
from newsgen.incremental import Builder
from serve_load import RECORD, TITLE, make_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="?", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsgen-serve-rebuild-") as tmp:
        project = make_project(Path(tmp), max(0, args.articles - 13))
        options = BuildOptions(
            project / "site",
            dt.date.today(),
            base_url="http://127.0.0.1:8000/",
            jobs=1,
            search=False,
        )
        builder = Builder(project, options)
        builder.rebuild()
        record = project / RECORD
        original = record.read_text(encoding="utf-8")
        walls, cpus, rendered = [], [], 0
        for edit in range(1, args.edits + 1):
            record.write_text(original.replace(TITLE, f"{TITLE} (edit {edit})"), "utf-8")
            wall, cpu = time.perf_counter(), time.process_time()
            result = builder.rebuild([record], complete=True)  # as serve does
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert result.ok, result.errors
            rendered = result.rendered
        builder.close()
    print(
        f"{args.articles} articles, {args.edits} title edits, {rendered} pages rendered each: "
        f"wall median {statistics.median(walls):.3f} s, CPU median {statistics.median(cpus):.3f} s"
        f" (min {min(cpus):.3f} s)"
    )


if __name__ == "__main__":
    main()
