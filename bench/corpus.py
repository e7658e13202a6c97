"""A deterministic synthetic news corpus for the benchmarks (generated, never committed).

    write_records(folder, n, seed=0)  # folder/articles/*.md, the record format build reads
    write_raw(folder, n, seed=0)      # folder/<topic>/*.txt, raw texts for ingest
    write_hugo(folder, n, seed=0)     # folder/content/articles/*.md, the same records for Hugo

The same (n, seed) always gives the same bytes. Articles have 400-1,200-word bodies with
subheadings and quotes, 20 topics, and 500 named entities (250 people, 100 places, 150
organizations) drawn from Zipf-like skewed distributions, as real coverage is: a few names are
in every other story, most in a handful. The record model has no free "tags": its tag-like
groupings are the topics and the three entity kinds, so those 500 entities stand for the
benchmark's 500 tags (and become Hugo's people/places/organizations taxonomies).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import random
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsgen.model import Article, Entities, Quote, Source
from newsgen.records import dump_article

TOPICS = (
    "Politics", "Economy", "Health", "Science", "Sport", "Culture", "World", "Climate",
    "Technology", "Education", "Business", "Crime", "Transport", "Housing", "Energy",
    "Agriculture", "Defence", "Media", "Religion", "Travel",
)  # fmt: skip
N_PEOPLE, N_PLACES, N_ORGS = 250, 100, 150
FIRST = (
    "Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jakob",
    "Kemi", "Liam", "Maria", "Nils", "Olga", "Pedro", "Qing", "Rosa", "Samir", "Tara",
    "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia",
)  # fmt: skip
LAST = (
    "Adler", "Banerjee", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quinn", "Rossi", "Schmidt", "Tanaka",
)  # fmt: skip
PLACE_ROOTS = (
    "North", "South", "East", "West", "New", "Port", "Lake", "Fort", "Saint", "Upper",
)  # fmt: skip
PLACE_STEMS = (
    "Arden", "Bramley", "Calder", "Dunmore", "Elmsford", "Fairhaven", "Glenrock", "Harlow",
    "Ivybridge", "Kestrel",
)  # fmt: skip
ORG_KINDS = (
    "Ministry", "Council", "Institute", "Union", "Bank", "Agency", "Foundation", "Party",
    "Court", "Authority",
)  # fmt: skip
ORG_FIELDS = (
    "Finance", "Health", "Transport", "Energy", "Justice", "Labour", "Trade", "Science",
    "Water", "Housing", "Culture", "Defence", "Farming", "Media", "Education",
)  # fmt: skip
ROLES = ("spokesperson", "minister", "director", "mayor", "analyst", "chair", "professor")
OUTLETS = tuple(f"{w} {k}" for w in ("Daily", "Evening", "Weekly") for k in ("Post", "Herald"))
WORDS = (
    "government", "officials", "said", "report", "budget", "plan", "city", "residents",
    "week", "year", "people", "new", "after", "before", "during", "vote", "council",
    "project", "prices", "workers", "announced", "committee", "local", "national", "support",
    "change", "policy", "data", "study", "months", "increase", "decline", "percent", "public",
    "minister", "market", "leaders", "agreement", "talks", "crisis", "response", "impact",
    "community", "school", "hospital", "river", "energy", "funding", "cost", "review",
    "investigation", "court", "ruling", "election", "campaign", "survey", "network",
    "company", "industry", "region", "border", "security", "program", "the", "a", "of", "in",
    "and", "to", "for", "with", "on", "by", "that", "was", "were", "has", "had", "would",
)  # fmt: skip
START = dt.date(2012, 1, 1)
DAYS = 365 * 12  # dates spread over 2012-2023


def _people() -> list[str]:
    names = [f"{f} {last}" for last, f in itertools.product(LAST, FIRST)]
    return names[:N_PEOPLE]


def _places() -> list[str]:
    return [f"{r} {s}" for r, s in itertools.product(PLACE_ROOTS, PLACE_STEMS)][:N_PLACES]


def _orgs() -> list[str]:
    return [f"{k} of {f}" for k, f in itertools.product(ORG_KINDS, ORG_FIELDS)][:N_ORGS]


class _Zipf:
    """Draws from ``items`` with weight 1/rank: a few very common, a long tail of rare ones."""

    def __init__(self, items: Sequence[str], rng: random.Random) -> None:
        self.items = list(items)
        rng.shuffle(self.items)
        self.cum = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(items))))

    def sample(self, rng: random.Random, k: int) -> tuple[str, ...]:
        chosen: dict[str, None] = {}
        while len(chosen) < min(k, len(self.items)):
            at = bisect.bisect(self.cum, rng.random() * self.cum[-1])
            chosen[self.items[min(at, len(self.items) - 1)]] = None
        return tuple(sorted(chosen))


def _sentences(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(9, 24))
        out.append(" ".join(words).capitalize() + ".")
    return out


def articles(n: int, seed: int = 0) -> Iterator[Article]:
    """The corpus's articles, in order; the same (n, seed) always gives the same ones."""
    rng = random.Random(seed)
    pool = _sentences(rng, 3000)
    people, places, orgs = _Zipf(_people(), rng), _Zipf(_places(), rng), _Zipf(_orgs(), rng)
    topics = _Zipf(TOPICS, rng)
    for i in range(n):
        yield _article(i, rng, pool, people, places, orgs, topics)


def _article(
    i: int,
    rng: random.Random,
    pool: list[str],
    people: _Zipf,
    places: _Zipf,
    orgs: _Zipf,
    topics: _Zipf,
) -> Article:
    who = people.sample(rng, rng.randint(1, 5))
    where = places.sample(rng, rng.randint(1, 3))
    what = orgs.sample(rng, rng.randint(1, 3))
    subjects = topics.sample(rng, rng.choice((1, 1, 2, 2, 3)))
    quotes = tuple(
        Quote(
            " ".join(rng.choices(WORDS, k=rng.randint(6, 18))).capitalize(),
            speaker,
            rng.choice(ROLES),
        )
        for speaker in rng.sample(who, min(len(who), rng.randint(0, 3)))
    )
    target = rng.randint(400, 1200)
    paragraphs, words = [], 0
    lead = (
        f"{who[0]} of the {what[0]} spoke in {where[0]} on story {i}, "
        f"as {' and '.join(subjects).lower()} stayed on the agenda."
    )
    paragraphs.append(lead)
    words += len(lead.split())
    quoted = iter(quotes)
    while words < target:
        if len(paragraphs) % 6 == 5:
            paragraphs.append("## " + " ".join(rng.choice(pool).rstrip(".").split()[:6]))
        text = " ".join(rng.choices(pool, k=rng.randint(2, 5)))
        quote = next(quoted, None) if rng.random() < 0.4 else None
        if quote is not None:
            text += f" “{quote.text},” said {quote.speaker}, the {quote.role}."
        paragraphs.append(text)
        words += len(text.split())
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    title = " ".join(rng.choice(pool).rstrip(".").split()[:9]) + f" in {where[0]} ({i})"
    return Article(
        id=hashlib.sha256(f"{i}".encode()).hexdigest()[:16],
        slug=f"story-{i:06d}",
        title=title,
        body="\n\n".join(paragraphs) + "\n",
        origin=f"{subjects[0].lower()}/{i:06d}.txt",
        kicker=subjects[0],
        date=day,
        byline=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        source=Source(rng.choice(OUTLETS)),
        topics=subjects,
        quotes=quotes,
        entities=Entities(who, where, what),
        summary=paragraphs[1][:200].rsplit(" ", 1)[0] + ".",
        word_count=words,
    )


def write_records(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``folder/articles/story-NNNNNN.md`` for N articles; returns the paths written."""
    out = folder / "articles"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in articles(n, seed):
        path = out / f"{article.slug}.md"
        path.write_text(dump_article(article), encoding="utf-8")
        paths.append(path)
    return paths


def let_settle() -> None:
    """Wait until the records just written are older than newsgen's racily-clean margin.

    A record changed within 2 s of being hashed is read and hashed again by every build
    until one hashes it later (``newsgen.stamps.RACY_NS``, git's rule): without the wait,
    the first builds of a benchmark measure that, not a rebuild of an archive that existed
    before it was built."""
    time.sleep(2.1)


def write_raw(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``folder/<topic>/NNNNNN.txt``: headline, dateline, paragraphs, as a scraper saves them."""
    paths = []
    for i, article in enumerate(articles(n, seed)):
        topic = folder / article.topics[0].lower()
        topic.mkdir(parents=True, exist_ok=True)
        assert article.date is not None
        body = article.body.replace("## ", "")
        text = (
            f"{article.title}\n\nBy {article.byline} | {article.date:%d %B %Y}\n\n{body}"
            "\nShare this:\n"
        )
        path = topic / f"{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def hugo_front_matter(article: Article) -> str:
    """The same record as Hugo front matter (YAML), with one taxonomy per grouping."""

    def items(key: str, values: Sequence[str]) -> str:
        return f"{key}:\n" + "".join(f"  - {_q(v)}\n" for v in values) if values else ""

    assert article.date is not None
    return (
        "---\n"
        f"title: {_q(article.title)}\n"
        f"date: {article.date.isoformat()}\n"
        f"slug: {article.slug}\n"
        f"summary: {_q(article.summary)}\n"
        f"byline: {_q(article.byline or '')}\n"
        + items("topics", article.topics)
        + items("people", article.entities.people)
        + items("places", article.entities.places)
        + items("organizations", article.entities.organizations)
        + "---\n"
    )


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_hugo(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``folder/content/articles/story-NNNNNN.md``: the records of ``write_records`` for Hugo."""
    out = folder / "content" / "articles"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in articles(n, seed):
        path = out / f"{article.slug}.md"
        path.write_text(hugo_front_matter(article) + "\n" + article.body, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic corpus.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kind", choices=("records", "raw", "hugo"), default="records")
    args = parser.parse_args()
    writer = {"records": write_records, "raw": write_raw, "hugo": write_hugo}[args.kind]
    print(f"{len(writer(args.folder, args.n, args.seed))} files in {args.folder}")
