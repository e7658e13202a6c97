"""Suspect people: one-word names, and names holding a title, office or department word.

    .venv/bin/python bench/people_audit.py [--labels FILE] [--all]

Parses the fakenews sample and the gold and holdout sets (each folder with its own site
furniture, as ``newsgen ingest`` of it would) and lists every person that is a single word
or holds a word such as "Prosecutor", "Interior" or "Dept", with the sentence it came from.
Each becomes a page of the site, so a false one is a visible defect. The gold and holdout
files are copies of sample files, so an (article, person) pair is counted once, by the file's
name. The hand verdicts in ``bench/people_audit_labels.tsv`` (file, person, true|false|titled) turn
the list into counts: false people found, true people found, and the true people no longer
found (a rule that loses them). Unlabelled suspects are printed for a verdict; ``--all``
prints every suspect. The listings (``people.tsv`` has every person, to diff two revisions)
go to a fresh temporary folder, whose path is printed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from newsgen.errors import NewsgenError
from newsgen.parse import lexicon, parse_raw
from newsgen.parse.boilerplate import article_lines, find_boilerplate

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data"
FOLDERS = [
    HERE.parent.parent / "shared" / "corpora" / "fakenews-sample" / "txt",
    DATA / "gold",
    *(DATA / f"holdout{n}" for n in ("", "2", "3", "4", "5", "6")),
]
LABELS = HERE / "people_audit_labels.tsv"
# A verdict: a real person, no person at all, or a real person named with a title
# ("Madam Pelosi"): the page is real, its name wrong.
VERDICTS = ("true", "false", "titled")

# Words of an office or a department, beside lexicon's titles: a name that holds one is
# suspect (the list only picks what to look at; the verdicts are by hand).
OFFICE_WORDS = frozenset(
    [
        "Affairs",
        "Agency",
        "Bureau",
        "Commerce",
        "Defence",
        "Defense",
        "Department",
        "Dept",
        "Division",
        "Dollar",
        "Education",
        "Energy",
        "Health",
        "Intelligence",
        "Interior",
        "Justice",
        "Labor",
        "Ministry",
        "Office",
        "Prosecutor",
        "Pres",
        "Madame",
        "Madam",
        "Billionaire",
        "Mufti",
        "Security",
        "Service",
        "Services",
        "Staff",
        "State",
        "Summary",
        "Treasury",
        "Unit",
        "Welfare",
    ]
)


def suspect(name: str) -> bool:
    words = name.split()
    return len(words) == 1 or any(
        lexicon.is_title_word(part) or part.strip(".") in OFFICE_WORDS
        for word in words
        for part in word.split("-")  # "Commander-in-Chief"
    )


_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|$)")


def sentence_of(text: str, name: str) -> str:
    """The first sentence that names ``name`` (the first word of it, failing that)."""
    for needle in (name, name.split()[0]):
        match = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text)
        if match:
            start = max(text.rfind(".", 0, match.start()), text.rfind("\n", 0, match.start()))
            ends = [
                i for i in (text.find(".", match.end()), text.find("\n", match.end())) if i >= 0
            ]
            end = min(ends) if ends else len(text)
            return " ".join(text[start + 1 : end + 1].split())[:240]
    return "?"


def people() -> Iterator[tuple[str, str]]:
    """(file, person) for every person of every article, in corpus order."""
    for folder in FOLDERS:
        files = sorted(folder.glob("*.txt"))
        texts = [f.read_text(encoding="utf-8") for f in files]
        furniture = find_boilerplate(article_lines(t) for t in texts)
        for path, text in zip(files, texts, strict=True):
            try:
                article = parse_raw(text, path.name, boilerplate=furniture)
            except NewsgenError:  # an unparseable file names no one
                continue
            where = path.name
            for person in article.entities.people:
                yield where, person


def suspects(everyone: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(file, person, sentence) for every suspect person, each pair once."""
    texts = {path.name: path for folder in FOLDERS for path in folder.glob("*.txt")}
    found = []
    for where, person in dict.fromkeys(everyone):
        if suspect(person):
            text = texts[where].read_text(encoding="utf-8")
            found.append((where, person, sentence_of(text, person)))
    return found


def read_labels(path: Path) -> dict[tuple[str, str], str]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            where, person, verdict = line.split("\t")[:3]
            labels[(where, person)] = verdict.strip()
    return labels


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--all", action="store_true", help="print every suspect")
    args = parser.parse_args(argv)
    labels = read_labels(args.labels) if args.labels.exists() else {}
    out = Path(tempfile.mkdtemp(prefix="people-audit-"))
    everyone = list(people())
    with (out / "people.tsv").open("w", encoding="utf-8") as f:  # to diff two revisions'
        f.writelines(f"{where}\t{person}\n" for where, person in sorted(set(everyone)))
    found = suspects(everyone)
    seen = {(where, person) for where, person, _ in found}
    listing = out / "suspects.tsv"
    with listing.open("w", encoding="utf-8") as f:
        for where, person, sentence in found:
            verdict = labels.get((where, person), "?")
            f.write(f"{where}\t{person}\t{verdict}\t{sentence}\n")
            if args.all or verdict == "?":
                print(f"{verdict:5} {where:8} {person!r:28} {sentence}")
    counts = {verdict: sum(1 for key in seen if labels.get(key) == verdict) for verdict in VERDICTS}
    named = set(everyone)  # a true person may be no suspect once a title leaves the name
    lost = sorted(key for key, verdict in labels.items() if verdict == "true" and key not in named)
    for where, person in lost:
        print(f"LOST  {where:8} {person!r}")
    print(f"suspect people       {len(seen)}  (listing: {listing})")
    print(f"false people         {counts['false']}")
    print(f"true people          {counts['true']}")
    print(f"titled (real person, a title in the name) {counts['titled']}")
    print(f"true people lost     {len(lost)}")
    print(f"unlabelled           {len(seen) - sum(counts.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
