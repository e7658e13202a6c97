"""Two versions of newsgen's render stage in one process, page by page, in alternating batches:

    .venv/bin/python bench/render_ab.py OLD_SRC [N] [--every 1] [--keep DIR] [--flip]
    # OLD_SRC: the src/ folder of another checkout (git archive <commit> | tar -x -C DIR)

On a shared machine a process's CPU seconds move by 15-20% between identical runs (the
other processes' load), more than most single changes to the render code, so comparing two
runs of ``bench/render_stage.py`` tells little. Here both versions load one corpus in one
process (the old package copied under the name ``newsgen_old``, its imports rewritten) and
take the same pages in batches of 50, old first and new first in turn, each page timed with
``time.thread_time``: whatever the load does, it does to both. Per page, as
``bench/render_stage.py``: render with the dependency tracer, check the links, work out the
fingerprint (no writes, no Markdown cache). Both versions are warmed first on every 97th page
(imports made on first use, compiled templates, the shared regex cache).

Prints each version's CPU seconds, in all and by kind of page, and how many pages' text
differs between them (0, for a change that keeps the output). The first batches, home pages,
carry one-time costs that fall on one version or the other depending on which goes first in
them (the sign of the home pages' difference flips with the order): read the totals without
the home pages, and run again with ``--flip`` (the other version first in batch 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corpus import write_records

EPOCH = dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)  # bench/build.py's build time
BATCH = 50
# Imports of the package, and module names in strings (``importlib``), in the old copy.
_IMPORTS = re.compile(r"(?<=from )newsgen\b|(?<=import )newsgen\b|(?<=\")newsgen(?=\.)")


def copy_as_old(src: Path, folder: Path) -> None:
    """``src``'s newsgen package as ``folder/newsgen_old``, importing itself by that name."""
    target = folder / "newsgen_old"
    shutil.copytree(src / "newsgen", target)
    for path in target.rglob("*.py"):
        path.write_text(_IMPORTS.sub("newsgen_old", path.read_text("utf-8")), "utf-8")


def load(package: str, project: Path, every: int) -> tuple[Sequence[Any], Callable[[Any], str]]:
    """The pages of ``project`` as ``package`` plans them, and its render step for one page."""

    def module(name: str) -> Any:
        return importlib.import_module(f"{package}.{name}")

    build, render, links = module("build"), module("render"), module("links")
    options = build.BuildOptions(
        out=project / "site", today=EPOCH.date(), epoch=EPOCH, search=False
    )
    code = module("hashing").code_digest()
    model = build.load(project, options, module("cache").BuildCache(None, code))
    staging = module("fs").Staging(options.out, project / "unused")  # nothing is written
    spec = module("renderjob").JobSpec("ab", project, options, staging, None)
    job = build.make_job(spec, model, {}, False, code)
    env = job.env

    def step(page: Any) -> str:
        text, keys = render.render_traced(page, env, None)
        if page.is_html:
            links.broken_links(text, page.path, job.paths, job.base_url)
        base = job.page_base(page)
        if base is not None:
            job.entities.fingerprint(base, keys)
        return str(text)

    print(f"{package}: {render.__file__}, {len(model.pages)} pages", flush=True)
    return model.pages[::every], step


def compare(
    versions: dict[str, tuple[Sequence[Any], Callable[[Any], str]]], flip: bool
) -> tuple[dict[str, dict[str, list[float]]], int]:
    """CPU seconds by version and kind (``[pages, seconds]``), and pages whose text differs."""
    for pages, step in versions.values():
        for page in pages[::97]:
            step(page)
    names = ["old", "new"]
    spent: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    differ = 0
    clock = time.thread_time
    count = len(versions["new"][0])
    for start in range(0, count, BATCH):
        first = (start // BATCH + flip) % 2
        texts: dict[str, list[str]] = {}
        for name in (names[first], names[1 - first]):
            pages, step = versions[name]
            done = texts[name] = []
            for page in pages[start : start + BATCH]:
                began = clock()
                done.append(step(page))
                kind = spent[name].setdefault(page.kind, [0, 0.0])
                kind[0] += 1
                kind[1] += clock() - began
        differ += sum(a != b for a, b in zip(texts["old"], texts["new"], strict=True))
    return spent, differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old", type=Path, help="the src/ folder of the other version")
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--every", type=int, default=1, help="take every k-th page")
    parser.add_argument("--keep", type=Path, help="make (or reuse) the project in this folder")
    parser.add_argument("--flip", action="store_true", help="the new version first in batch 1")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy_as_old(options.old, Path(tmp))
        sys.path.insert(0, tmp)
        project = options.keep / str(options.n) if options.keep else Path(tmp) / "project"
        if not (project / "articles").is_dir():
            write_records(project, options.n)
        versions = {
            "old": load("newsgen_old", project, options.every),
            "new": load("newsgen", project, options.every),
        }
        if [p.path for p in versions["old"][0]] != [p.path for p in versions["new"][0]]:
            raise SystemExit("the two versions plan different pages: nothing to compare")
        spent, differ = compare(versions, options.flip)
    print(f"N = {options.n}, load average {os.getloadavg()[0]:.1f}; pages that differ: {differ}")

    def total(name: str, skip: str = "") -> float:
        return sum(s for kind, (_, s) in spent[name].items() if kind != skip)

    for label, skip in (("all pages", ""), ("all but home pages", "home")):
        old, new = total("old", skip), total("new", skip)
        print(f"{label}: old {old:.2f} s, new {new:.2f} s CPU ({100 * (new / old - 1):+.1f}%)")
    for kind, (count, old) in sorted(spent["old"].items(), key=lambda item: -item[1][1]):
        new = spent["new"][kind][1]
        each = f"old {1000 * old / count:.3f} ms, new {1000 * new / count:.3f} ms a page"
        print(f"  {kind}: {int(count)} pages, {each} ({100 * (new / old - 1):+.1f}%)")


if __name__ == "__main__":
    main()
