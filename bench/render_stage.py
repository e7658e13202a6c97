"""CPU seconds of the render stage, without the writes, in this process on one core:

    .venv/bin/python bench/render_stage.py [N] [--every 3] [--keep DIR] [--kinds]
    PYTHONPATH=OLD/src .venv/bin/python bench/render_stage.py 10000   # other code, same corpus

Loads a synthetic project of N articles (bench/corpus.py) with the build cache off, then for
every ``--every``-th page of the plan does what ``renderjob._render`` does but write the file:
render it with the dependency tracer, check its links, and work out its cache fingerprint.
Every body is rendered (no Markdown cache). Prints the CPU seconds of each part: the steadiest
figure for the render code on a shared machine, where whole builds' wall and CPU times move
by a factor of two between identical runs. Run old and new code alternately on one corpus
(``--keep``) to compare them. ``--kinds``: the same parts for each kind of page as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from corpus import write_records
from newsgen import render
from newsgen.build import BuildOptions, load, make_job
from newsgen.cache import BuildCache
from newsgen.fs import Staging
from newsgen.hashing import code_digest
from newsgen.links import broken_links
from newsgen.renderjob import JobSpec

EPOCH = dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)  # bench/build.py's build time


def measure(
    project: Path, every: int, kinds: dict[str, dict[str, float]] | None = None
) -> dict[str, float]:
    options = BuildOptions(out=project / "site", today=EPOCH.date(), epoch=EPOCH, search=False)
    code = code_digest()
    model = load(project, options, BuildCache(None, code))
    staging = Staging(options.out, project / "unused")  # nothing is written
    job = make_job(JobSpec("bench", project, options, staging, None), model, {}, False, code)
    env = job.env
    parts = {"pages": 0.0, "Jinja and bodies": 0.0, "link check": 0.0, "fingerprints": 0.0}
    clock = time.process_time
    for page in model.pages[::every]:
        started = clock()
        text, keys = render.render_traced(page, env, None)
        rendered = clock()
        if page.is_html:
            broken_links(text, page.path, job.paths, job.base_url)
        checked = clock()
        base = job.page_base(page)
        if base is not None:
            job.entities.fingerprint(base, keys)
        done = clock()
        for split in (parts, *([] if kinds is None else [kinds.setdefault(page.kind, {})])):
            split["pages"] = split.get("pages", 0.0) + 1
            split["Jinja and bodies"] = split.get("Jinja and bodies", 0.0) + rendered - started
            split["link check"] = split.get("link check", 0.0) + checked - rendered
            split["fingerprints"] = split.get("fingerprints", 0.0) + done - checked
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--every", type=int, default=3, help="render every k-th page")
    parser.add_argument("--keep", type=Path, help="make (or reuse) the project in this folder")
    parser.add_argument("--kinds", action="store_true", help="also split by kind of page")
    options = parser.parse_args()
    kinds: dict[str, dict[str, float]] | None = {} if options.kinds else None
    with tempfile.TemporaryDirectory() as tmp:
        project = options.keep / str(options.n) if options.keep else Path(tmp)
        if not (project / "articles").is_dir():
            write_records(project, options.n)
        parts = measure(project, options.every, kinds)
    code = Path(render.__file__).parents[2]
    pages = int(parts.pop("pages"))
    figures = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in parts.items())
    print(f"N = {options.n}, code in {code}, load average {os.getloadavg()[0]:.1f}")
    print(f"{pages} pages, CPU: {figures}, total {sum(parts.values()):.2f} s")
    for kind, split in sorted(
        (kinds or {}).items(), key=lambda item: item[1]["pages"] - sum(item[1].values())
    ):
        count = int(split.pop("pages"))
        total = sum(split.values())
        each = ", ".join(f"{name} {seconds:.2f}" for name, seconds in split.items())
        per_page = 1000 * total / count
        print(f"  {kind}: {count} pages, {each}, total {total:.2f} s, {per_page:.2f} ms a page")


if __name__ == "__main__":
    main()
