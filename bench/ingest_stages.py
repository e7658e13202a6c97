"""CPU ms per article for each stage of parsing one raw file, in one process.

    .venv/bin/python bench/ingest_stages.py [--corpus DIR | --synthetic N | --variations N]

Each stage of ``parse_file`` (and the record's YAML) is wrapped with a CPU timer where
``newsgen.parse`` and ``newsgen.ingest`` call it, and every file is parsed once after a
warm-up of 20. The default corpus is the fakenews sample in ../shared/corpora; ``--synthetic``
is bench/corpus.py's raw corpus, ``--variations`` the gold variations bench/ingest.py makes.
The stages under ``parse_raw`` add up to a little less than it (the glue between them).
docs/ingest-speed.md has the tables measured with it.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import newsgen.ingest as ingest_module
import newsgen.parse as parse_module
from newsgen.parse import glue, lexicon
from newsgen.records import dump_article

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py, beside this script)
from ingest import make_corpus  # noqa: E402  (bench/ingest.py)

FAKENEWS = HERE.parent.parent / "shared" / "corpora" / "fakenews-sample" / "txt"
GOLD = HERE.parent / "tests" / "data" / "gold"

# (module, attribute, label): the name the caller looks up, so the wrapper is what runs.
STAGES = (
    (ingest_module, "_source_hash", "source hash (bytes, furniture lines)"),
    (ingest_module, "decode", "decode"),
    (ingest_module, "parse_raw", "parse_raw"),
    (parse_module, "clean", "  clean (ftfy, controls, spaces)"),
    (parse_module, "segment", "  segment (metadata, trailers, blocks)"),
    (glue, "repair", "  glued words (glue.repair)"),
    (parse_module, "find_spans", "  quote spans (quotes.find_spans)"),
    (parse_module, "build_registry", "  entities (entities.build_registry)"),
    (parse_module, "attribute", "  quote attribution (quotes.attribute)"),
    (parse_module, "split_kicker", "  kicker"),
    (parse_module, "render_body", "  body"),
    (parse_module, "make_slug", "  slug"),
    (parse_module, "content_id", "  id"),
    (parse_module, "_topics", "  topics"),
    (ingest_module, "fingerprint", "MinHash (dedupe.fingerprint)"),
)


def timed(module: ModuleType, name: str, label: str, totals: dict[str, float]) -> None:
    function: Callable[..., Any] = getattr(module, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] += time.process_time() - start

    setattr(module, name, wrapper)


def corpus_options(parser: argparse.ArgumentParser, synthetic: bool = True) -> None:
    """The raw texts to time: a folder (the fakenews sample by default), ``bench/corpus.py``'s
    synthetic texts, or variations of the gold set's articles."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--corpus", type=Path, default=FAKENEWS)
    if synthetic:
        group.add_argument("--synthetic", type=int, metavar="N")
    group.add_argument("--variations", type=int, metavar="N")


def corpus_folder(args: argparse.Namespace, tmp: str) -> Path:
    """The folder ``corpus_options`` named, a generated corpus written into ``tmp``."""
    if getattr(args, "synthetic", None):
        corpus.write_raw(Path(tmp), args.synthetic)
        return Path(tmp)
    if args.variations:
        make_corpus(sorted(GOLD.glob("*.txt")), args.variations, Path(tmp))
        return Path(tmp)
    return Path(args.corpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    corpus_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = corpus_folder(args, tmp)
        files = sorted(root.rglob("*.txt"))
        totals: dict[str, float] = defaultdict(float)
        for module, name, label in STAGES:
            timed(module, name, label, totals)
        lexicon.places()
        furniture = ingest_module.site_furniture(files)
        for path in files[:20]:
            ingest_module.parse_file(path, root, {}, None, furniture)
        totals.clear()
        start = time.process_time()
        for path in files:
            parsed = ingest_module.parse_file(path, root, {}, None, furniture)
            before_yaml = time.process_time()
            if parsed.article is not None:
                dump_article(parsed.article)
            totals["record YAML (records.dump_article)"] += time.process_time() - before_yaml
        whole = time.process_time() - start
    count = len(files)
    print(f"{count} files from {root if args.corpus == root else 'a generated corpus'}")
    print(f"{'whole file: read, hash, parse, MinHash, YAML':44} {whole / count * 1000:6.2f} ms")
    for label in [label for _, _, label in STAGES] + ["record YAML (records.dump_article)"]:
        print(f"{label:44} {totals[label] / count * 1000:6.2f}")


if __name__ == "__main__":
    main()
