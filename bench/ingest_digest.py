"""One digest per corpus of everything ``newsgen ingest`` writes: a speed-up must not move it.

    .venv/bin/python bench/ingest_digest.py [--keep DIR] [--bench N]

Ingests, each into a folder of its own: the fakenews sample in ../shared/corpora (if there),
tests/data/raw, gold and every holdout set, N raw files of bench/corpus.py and N
variations of the gold set as bench/ingest.py makes them (default 2,000 each). Prints, per
corpus, the number of records, errors and near duplicates, a SHA-256 over every record's name
and bytes, and one of the manifest (which holds the MinHash fingerprints): two revisions agree
when the lines agree. A new shingle hash changes the manifest's column alone.
``--keep DIR`` leaves the outputs in DIR for a ``diff -r`` when they do not.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

from newsgen.ingest import MANIFEST_NAME, ingest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py, beside this script)
from ingest import make_corpus  # noqa: E402  (bench/ingest.py)

DATA = HERE.parent / "tests" / "data"
FAKENEWS = HERE.parent.parent / "shared" / "corpora" / "fakenews-sample" / "txt"
# Every held-out set in tests/data (holdout, holdout2, ...), however many there are by now.
HOLDOUTS = sorted(p.name for p in DATA.glob("holdout*") if p.is_dir())


def digest(files: list[Path], folder: Path) -> str:
    """One hash of the files' names (relative to ``folder``) and bytes."""
    total = hashlib.sha256()
    for path in sorted(files):
        total.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        total.update(hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="leave the outputs in this folder")
    parser.add_argument("--bench", type=int, default=2000, help="generated files per corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        generated = Path(tmp) / "generated"
        corpus.write_raw(generated / "synthetic", args.bench)
        variations = generated / "gold-variations"
        variations.mkdir()
        make_corpus(sorted((DATA / "gold").glob("*.txt")), args.bench, variations)
        sources = {
            "fakenews-sample": FAKENEWS,
            **{name: DATA / name for name in ("raw", "gold", *HOLDOUTS)},
            "bench-synthetic": generated / "synthetic",
            "bench-gold-variations": variations,
        }
        for name, source in sources.items():
            if not source.is_dir():
                print(f"{name:24} missing: {source}")
                continue
            out = work / name
            report = ingest([source], out)
            records = sorted(out.glob("*.md"))
            manifest = digest([out / MANIFEST_NAME], out)
            print(
                f"{name:22} {len(records):5} records {len(report.errors):2} errors "
                f"{len(report.near_duplicates):4} near-dup  records {digest(records, out)}  "
                f"manifest {manifest}"
            )


if __name__ == "__main__":
    main()
