"""CPU ms per article of the entity recogniser alone, and against another revision of it.

    .venv/bin/python bench/recogniser.py [--corpus DIR | --variations N] [--against FILE]

Parses the corpus once (default: the fakenews sample in ../shared/corpora) to record what
``parse_raw`` gives ``entities.build_registry``, then replays those inputs: a first pass
with the recogniser's memos empty (the tables it loads lazily are loaded first) and warm
passes after it. ``--against`` names another revision's ``entities.py`` (e.g. a copy of the
base commit's ``src``): it is loaded beside this one, its results must be the same, and the
two are timed in alternation in this one process, so that the machine's other work weighs
on both alike; ``--changed`` times them even when they find different entities.
docs/ingest-speed.md (Round 6) has the figures measured with it.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import wordfreq

import newsgen.parse as parse_module
from newsgen.ingest import parse_file, site_furniture
from newsgen.parse import entities, gender, glue, lexicon

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest_stages import corpus_folder, corpus_options  # noqa: E402  (beside this script)

Inputs = list[tuple[list[str], list[entities.Range]]]


def recorded_inputs(root: Path) -> Inputs:
    """What ``parse_raw`` passes to the recogniser for every file under ``root``."""
    seen: Inputs = []
    real = entities.build_registry  # what newsgen.parse imported and calls

    def recording(
        paragraphs: Sequence[str],
        speakers: Sequence[str] = (),
        quoted: Sequence[entities.Range] = (),
    ) -> entities.Registry:
        seen.append((list(paragraphs), list(quoted)))
        return real(paragraphs, speakers, quoted)

    setattr(parse_module, "build_registry", recording)  # noqa: B010  (not exported)
    try:
        files = sorted(root.rglob("*.txt"))
        furniture = site_furniture(files)
        for path in files:
            parse_file(path, root, {}, None, furniture)
    finally:
        setattr(parse_module, "build_registry", real)  # noqa: B010
    return seen


def load_other(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("other_entities", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def outcome(registry: entities.Registry) -> str:
    """Everything a registry tells the rest of the parser, as comparable text."""
    mentions = [
        (m.paragraph, m.start, m.end, m.text, m.kind, m.role, m.honorific, m.subject, m.quoted)
        for m in registry.mentions
    ]
    by_part = sorted((k, sorted(v)) for k, v in registry._by_part.items())
    return repr(
        (
            sorted(registry.kinds.items()),
            sorted(registry.roles.items()),
            mentions,
            by_part,
            sorted(registry._by_key.items()),
            registry.entities(),
        )
    )


def per_article(module: ModuleType, inputs: Inputs) -> tuple[float, list[entities.Registry]]:
    start = time.process_time()
    found = [module.build_registry(p, quoted=q) for p, q in inputs]
    return (time.process_time() - start) / len(inputs) * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    corpus_options(parser, synthetic=False)
    parser.add_argument("--against", type=Path, help="another revision's entities.py")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--changed", action="store_true", help="time a revision that finds other entities"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = corpus_folder(args, tmp)
        inputs = recorded_inputs(root)
    # What the recogniser loads on first use, loaded before the clock starts.
    lexicon.places()
    gender._detector()
    wordfreq.zipf_frequency("the", "en")
    glue.rank("the")
    entities._analysed.cache_clear()
    modules = {"this": entities}
    if args.against:
        modules["other"] = load_other(args.against)
    print(f"{len(inputs)} articles from {root if root == args.corpus else 'a generated corpus'}")
    results = {}
    for name, module in modules.items():
        cold, results[name] = per_article(module, inputs)
        print(f"{name:6} first pass (memos empty)  {cold:6.3f} ms/article")
    if args.against:
        differ = sum(
            outcome(a) != outcome(b) for a, b in zip(results["this"], results["other"], strict=True)
        )
        if differ and not args.changed:
            sys.exit("the two revisions find different entities")
        print(f"articles whose entities differ: {differ}")
    warm: dict[str, list[float]] = {name: [] for name in modules}
    for _ in range(args.rounds):
        for name, module in modules.items():
            warm[name].append(per_article(module, inputs)[0])
    for name, times in warm.items():
        times.sort()
        print(
            f"{name:6} warm, {args.rounds} passes:       min {times[0]:6.3f}  "
            f"median {times[len(times) // 2]:6.3f} ms/article"
        )


if __name__ == "__main__":
    main()
