"""One-edit `newsgen build` times, before and after a change, in alternating pairs.

    .venv/bin/python bench/edit_pairs.py 10000 --before main --pairs 4

Two projects of N articles (bench/corpus.py), one per code version (``--before`` is a git
revision, extracted with ``git archive`` and run with ``PYTHONPATH``; after is this
checkout). Each is built clean and edited once (so a build that keeps a spare has one), then
each pair edits one article in both and builds both, the order alternating: the machine is
shared, and a pair run side by side sees the same neighbours. Builds use ``--no-search``:
Pagefind indexes the whole site again on any change, which is not what is compared here.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build import edit_one
from corpus import write_records
from measure import Run, run

EPOCH = "1700000000"
SOURCE = Path(__file__).resolve().parent.parent / "src"


def build(code: Path, project: Path) -> Run:
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "newsgen", "build", "--out", "site", "--no-search"]
    return run(command, project, env)


def load() -> str:
    return Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument("--pairs", type=int, default=4)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", options.before, "src"], cwd=SOURCE.parent, capture_output=True
        )
        archive.check_returncode()
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        codes = {"before": Path(tmp) / "src", "after": SOURCE}
        projects = {code: Path(tmp) / f"project-{code}" for code in codes}
        for code, project in projects.items():
            write_records(project, options.n)
            build(codes[code], project)
            edit_one(project, options.n, 1000)
            build(codes[code], project)
        times: dict[str, list[Run]] = {code: [] for code in codes}
        print(f"{'pair':>4} {'code':<7} {'wall s':>7} {'CPU s':>7} {'load':>5}")
        for pair in range(options.pairs):
            order = list(codes) if pair % 2 == 0 else list(reversed(codes))
            for code in order:
                edit_one(projects[code], options.n, pair)
                before_load = load()
                figure = build(codes[code], projects[code])
                times[code].append(figure)
                cells = f"{figure.seconds:>7.2f} {figure.cpu:>7.2f} {before_load:>5}"
                print(f"{pair:>4} {code:<7} {cells}")
        for code, figures in times.items():
            wall = statistics.median(f.seconds for f in figures)
            cpu = statistics.median(f.cpu for f in figures)
            print(f"median {code:<7} wall {wall:.2f} s, CPU {cpu:.2f} s")


if __name__ == "__main__":
    main()
