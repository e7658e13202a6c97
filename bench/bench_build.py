"""Time ``newsgen build`` on a synthetic archive: ``python bench/bench_build.py [N]``.

Writes N generated records into a temporary project, builds it once, and prints the build
time and the page counts, so a change that slows the build shows up in numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

from newsgen.build import BuildOptions, build
from newsgen.model import Article, Entities, Quote, Source
from newsgen.records import dump_article

TOPICS = ["Politics", "Economy", "Health", "Science", "Sport", "Culture", "World", "Climate"]
PEOPLE = [f"Person {n}" for n in range(400)]
PLACES = [f"Place {n}" for n in range(150)]
ORGS = [f"Organization {n}" for n in range(200)]


def synthetic(n: int, rng: random.Random) -> Article:
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    people = tuple(sorted(rng.sample(PEOPLE, 3)))
    return Article(
        id=f"b{n:06d}",
        slug=f"article-{n}",
        title=f"Synthetic article number {n}",
        body="\n\n".join(f"Paragraph {i} of article {n}, with some words." for i in range(8)),
        origin=f"bench/{n}.txt",
        date=None if n % 50 == 0 else day,
        byline=f"Reporter {n % 30}",
        source=Source(f"Outlet {n % 12}"),
        topics=tuple(sorted(rng.sample(TOPICS, 2))),
        quotes=(Quote(f"Quote {n}.", people[0], "official"),),
        entities=Entities(
            people, tuple(sorted(rng.sample(PLACES, 2))), tuple(sorted(rng.sample(ORGS, 2)))
        ),
        summary=f"Summary of article {n}.",
    )


def main(count: int) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "articles").mkdir()
        for n in range(count):
            text = dump_article(synthetic(n, rng))
            (project / "articles" / f"{n:06d}.md").write_text(text, encoding="utf-8")
        result = build(project, BuildOptions(out=project / "site", today=dt.date(2030, 1, 1)))
    print(f"{count} articles: {sum(result.pages.values())} pages in {result.seconds:.2f} s")
    for kind, pages in result.pages.items():
        print(f"  {kind:20} {pages}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
