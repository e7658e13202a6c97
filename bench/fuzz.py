"""Long fuzz runs of everything that reads untrusted text: ``python bench/fuzz.py [COUNT]``.

Each input goes to one target: the raw-text decoder and parser (``newsgen ingest``), the
record reader (``newsgen build``), the Markdown renderer and the slug maker. The only
acceptable outcomes are a result or a ``NewsgenError``; anything else is a crash, and an input
that runs past the time limit is a hang. Findings are written to ``--findings`` (one file
per input, with the traceback) and the run exits 1.

Inputs are random unicode, control characters, huge lines, unbalanced quotes and brackets,
pathological Markdown, and mutations (byte flips, splices, truncations) of the raw test
articles and of valid records. Seeded: the same seed and count give the same inputs.

    python bench/fuzz.py 10000 --seed 1 --workers 2
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from newsgen.deadline import TimeLimitExceeded, run_with_limit
from newsgen.errors import NewsgenError
from newsgen.markup import body_html
from newsgen.parse import parse_raw
from newsgen.parse.text import decode
from newsgen.records import load_article_checked
from newsgen.slugs import make_slug

RAW = sorted((Path(__file__).parent.parent / "tests" / "data" / "raw").glob("*.txt"))
RECORDS = sorted((Path(__file__).parent.parent / "tests" / "data" / "site-fixture").rglob("*.md"))
LIMIT_SECONDS = 30.0
PIECES = [
    "\n", "\n\n", "\r\n", "\r", "\t", " ", "\x00", "\x07", "\x1b[31m", "\u200b", "\u202e",
    "\ufeff", "\ufffd", "“", "”", "‘", "’", '"', "'", "«", "»", "said", "he said", "Mr.",
    "By Jane Doe", "WASHINGTON (Reuters) - ", "Source link", "Share this:", "---", "title:",
    "slug:", "date: 2024-02-30", ": ", "- ", "> ", "* ", "1. ", "#", "##", "[", "]", "(", ")",
    "![", "](", "`", "```", "~~~", "<", ">", "<![", "<!--", "-->", "<div>", "</div>", "<script>",
    "&", "&#", "&amp;", "{:", "}", "*", "_", "**", "__", "|", "|---|", "\\", "&x", "*a", "é",
    "e\u0301", "🔥", "\U0001f9d1\u200d\U0001f4bb", "ß", "İ", "\ud7ff", "\uffff",
]  # fmt: skip


def _random_text(rng: random.Random, size: int) -> str:
    kind = rng.random()
    if kind < 0.3:  # any code point but surrogates, which no decoded file can hold
        return "".join(
            chr(rng.choice([rng.randrange(0xD800), rng.randrange(0xE000, 0x110000)]))
            for _ in range(size)
        )
    if kind < 0.45:  # control characters and whitespace
        return "".join(chr(rng.randrange(0x00, 0x21)) for _ in range(size))
    return "".join(rng.choice(PIECES) for _ in range(size // 3 + 1))


def _pathological(rng: random.Random) -> str:
    n = rng.choice([100, 1000, 5000, 20_000])
    shapes = [
        lambda: "[" * n + "]" * n,
        lambda: "[link](x)" * n,
        lambda: "<![" * n,
        lambda: ">" * n + " x",
        lambda: "".join("  " * i + "- x\n" for i in range(min(n, 3000))),
        lambda: "> - " * min(n, 2000) + "x",
        lambda: "*a **" * n,
        lambda: "`" * n,
        lambda: "<div>" * n,
        lambda: "_" * n + "a",
        lambda: "![" * n,
        lambda: "[a](" + "(" * n,
        lambda: "x" * (n * 50),  # one huge line
        lambda: '"' * n + "said" + "“" * n,
    ]
    return rng.choice(shapes)()


def _mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randrange(1, 8)):
        op = rng.random()
        where = rng.randrange(len(out) + 1)
        if op < 0.3 and out:
            out[min(where, len(out) - 1)] = rng.randrange(256)
        elif op < 0.6:
            out[where:where] = rng.choice(PIECES).encode("utf-8", "surrogatepass")
        elif op < 0.8:
            del out[where : where + rng.randrange(1, 200)]
        else:
            out[where:where] = out[: rng.randrange(1, 400)] * rng.randrange(1, 4)
    return bytes(out)


def make_input(seed: int) -> tuple[str, bytes | str]:
    """The target name and the input of one seed."""
    rng = random.Random(seed)
    target = rng.choice(["raw", "record", "markdown", "slug"])
    source = rng.random()
    if source < 0.35:
        corpus = RAW if target in ("raw", "slug") else RECORDS
        data: bytes | str = _mutate(rng, rng.choice(corpus).read_bytes())
    elif source < 0.55:
        data = _pathological(rng)
    elif source < 0.65:
        data = "---\ntitle: " + _random_text(rng, 50) + "\nslug: x\n---\n" + _pathological(rng)
    else:
        data = _random_text(rng, rng.choice([1, 10, 100, 1000, 10_000]))
    if target == "raw" and isinstance(data, str):
        data = data.encode("utf-8")
    if target != "raw" and isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    return target, data


def _run_raw(data: bytes | str) -> object:
    assert isinstance(data, bytes)
    return parse_raw(decode(data, "fuzz.txt").text, "fuzz.txt")


def _run_record(data: bytes | str) -> object:
    assert isinstance(data, str)
    return load_article_checked(data, "fuzz.md")


def _run_markdown(data: bytes | str) -> object:
    assert isinstance(data, str)
    return body_html(data)


def _run_slug(data: bytes | str) -> object:
    assert isinstance(data, str)
    slug = make_slug(data)
    assert slug and make_slug(slug) == slug, slug
    return slug


TARGETS: dict[str, Callable[[bytes | str], object]] = {
    "raw": _run_raw,
    "record": _run_record,
    "markdown": _run_markdown,
    "slug": _run_slug,
}


def run_one(seed: int) -> tuple[int, str, str, float, str]:
    """(seed, target, outcome, seconds, details): outcome is ok, refused, crash or hang."""
    target, data = make_input(seed)
    started = time.perf_counter()
    try:
        run_with_limit(LIMIT_SECONDS, lambda: TARGETS[target](data))
        outcome, details = "ok", ""
    except NewsgenError:
        outcome, details = "refused", ""
    except TimeLimitExceeded:
        outcome, details = "hang", f"no result after {LIMIT_SECONDS} s"
    except Exception:
        outcome, details = "crash", traceback.format_exc()
    return seed, target, outcome, time.perf_counter() - started, details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--findings", type=Path, default=Path("build/fuzz-findings"))
    args = parser.parse_args()
    seeds = range(args.seed * 10_000_000, args.seed * 10_000_000 + args.count)
    started = time.perf_counter()
    outcomes: Counter[tuple[str, str]] = Counter()
    slowest = (0.0, 0, "")
    findings = 0
    with ProcessPoolExecutor(args.workers) as pool:
        for done, (seed, target, outcome, seconds, details) in enumerate(
            pool.map(run_one, seeds, chunksize=16), start=1
        ):
            outcomes[target, outcome] += 1
            slowest = max(slowest, (seconds, seed, target))
            if outcome in ("crash", "hang"):
                findings += 1
                args.findings.mkdir(parents=True, exist_ok=True)
                _, data = make_input(seed)
                raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
                (args.findings / f"{seed}.{target}.input").write_bytes(raw)
                (args.findings / f"{seed}.{target}.txt").write_text(details, encoding="utf-8")
                print(f"{outcome}: seed {seed} ({target}): {details.strip().splitlines()[-1]}")
            if done % 1000 == 0:
                print(f"{done} inputs, {findings} findings, {time.perf_counter() - started:.0f} s")
    total = sum(outcomes.values())
    print(f"\n{total} inputs in {time.perf_counter() - started:.1f} s (seed {args.seed})")
    for target in TARGETS:
        row = {o: outcomes[target, o] for o in ("ok", "refused", "crash", "hang")}
        print(f"  {target:9} " + "  ".join(f"{k} {v:5}" for k, v in row.items()))
    print(f"  slowest input: {slowest[0]:.2f} s (seed {slowest[1]}, {slowest[2]})")
    print(f"  crashes and hangs: {findings}" + (f" (in {args.findings})" if findings else ""))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
