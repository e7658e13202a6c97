"""Articles to ``Archive``: the sorted, grouped, read-only model that plan and templates query.

Everything here is computed once (slugs, sort keys, groupings, related articles) so templates
never recompute it, and everything iterates in sorted order so the output is reproducible.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsgen.dates import local_date, local_datetime, sort_key
from newsgen.errors import NewsgenError
from newsgen.model import Article, Health, Quote
from newsgen.slugs import make_slug

if TYPE_CHECKING:
    # Imported where related articles are ranked: a build that plans nothing (a no-change
    # rebuild replays its report) never pays numpy's 0.1 s import.
    import numpy as np

# Groupings of articles by what they name. Weights rank related articles: sharing a person
# says more about two stories than sharing a broad topic or a country.
ENTITY_KINDS = ("people", "places", "organizations")
TERM_KINDS = ("topics", *ENTITY_KINDS, "sources")
_WEIGHTS = {"people": 3, "organizations": 2, "places": 1, "topics": 1}
# A term shared by very many articles says little and makes ranking quadratic: skip it there.
_MAX_RELATED_DF = 1000
RELATED_MIN, RELATED_MAX = 3, 5
PLAUSIBLE_YEARS = (1800, 2200)  # outside: a typo or a parse error, worth a look

TITLES = {
    "topics": ("Topics", "Topic"),
    "people": ("People", "Person"),
    "places": ("Places", "Place"),
    "organizations": ("Organizations", "Organization"),
    "sources": ("Sources", "Source"),
}


@dataclass(frozen=True, slots=True)
class Term:
    """One group in a taxonomy: a topic, a person, a month. Articles newest first."""

    kind: str
    name: str
    slug: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A way of grouping articles; a new grouping is a new value, not a new code path."""

    kind: str
    title: str
    singular: str
    terms: tuple[Term, ...]  # by name, case-insensitively
    by_name: Mapping[str, Term]

    def find(self, name: str) -> Term | None:
        return self.by_name.get(name)


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A quote with the article it appears in."""

    quote: Quote
    article: Article


@dataclass(frozen=True)
class Archive:
    articles: tuple[Article, ...]  # newest first; undated last
    taxonomies: Mapping[str, Taxonomy]
    years: tuple[Term, ...]  # date archives: newest first; each year's months in ``months``
    months: Mapping[str, tuple[Term, ...]]  # "2024" -> its months, newest first
    undated: tuple[Article, ...]
    quotes: tuple[QuoteRef, ...]
    quotes_by_speaker: Mapping[str, tuple[QuoteRef, ...]]
    related: Mapping[str, tuple[Article, ...]]  # by slug
    previous: Mapping[str, Article]  # the older neighbour, by slug
    next: Mapping[str, Article]  # the newer neighbour, by slug
    originals: Mapping[str, Article]  # slug of a duplicate -> the article it duplicates
    updated: dt.datetime  # the build's one timestamp: declared, never now()
    health: Health
    warnings: tuple[NewsgenError, ...]


def select(
    articles: Iterable[Article], drafts: bool, future: bool, today: dt.date, tz: dt.tzinfo
) -> tuple[list[Article], int, int]:
    """The articles to publish, and how many drafts and future articles were left out."""
    kept, n_drafts, n_future = [], 0, 0
    for article in articles:
        if article.draft and not drafts:
            n_drafts += 1
        elif not future and (day := local_date(article.date, tz)) is not None and day > today:
            n_future += 1
        else:
            kept.append(article)
    return kept, n_drafts, n_future


def make_archive(
    articles: Sequence[Article], tz: dt.tzinfo, epoch: dt.datetime | None = None, workers: int = 1
) -> Archive:
    """Group and rank ``articles``. ``epoch`` (from SOURCE_DATE_EPOCH) overrides ``updated``;
    related articles are ranked on up to ``workers`` processes."""
    unique, clashes = _unique_slugs(articles)
    warnings = clashes + [
        NewsgenError(f"implausible date {a.date.isoformat()}: check the record", a.origin)
        for a in unique
        if a.date is not None and not PLAUSIBLE_YEARS[0] <= a.date.year <= PLAUSIBLE_YEARS[1]
    ]
    ordered = tuple(sorted(unique, key=lambda a: sort_key(a, tz)))
    taxonomies = {kind: _taxonomy(kind, ordered) for kind in TERM_KINDS}
    years, months = _date_terms(ordered, tz)
    quotes = tuple(QuoteRef(q, a) for a in ordered for q in a.quotes)
    by_speaker: defaultdict[str, list[QuoteRef]] = defaultdict(list)
    for ref in quotes:
        if ref.quote.speaker:
            by_speaker[ref.quote.speaker].append(ref)
    by_slug = {a.slug: a for a in ordered}
    by_id = {a.id: a for a in ordered if a.id}
    originals = {
        a.slug: original
        for a in ordered
        if a.duplicate_of
        and (original := by_id.get(a.duplicate_of) or by_slug.get(a.duplicate_of)) is not None
        and original.slug != a.slug
    }
    return Archive(
        articles=ordered,
        taxonomies=taxonomies,
        years=years,
        months=months,
        undated=tuple(a for a in ordered if a.date is None),
        quotes=quotes,
        quotes_by_speaker={k: tuple(v) for k, v in sorted(by_speaker.items())},
        related=_related(ordered, workers),
        previous={a.slug: b for a, b in itertools.pairwise(ordered)},
        next={b.slug: a for a, b in itertools.pairwise(ordered)},
        originals=originals,
        updated=epoch or _newest(ordered, tz),
        health=Health(
            articles=len(ordered),
            undated=sum(a.date is None for a in ordered),
            quotes=len(quotes),
            quotes_without_speaker=sum(not r.quote.speaker for r in quotes),
            without_topic=sum(not a.topics for a in ordered),
            duplicates=sum(bool(a.duplicate_of) for a in ordered) + len(clashes),
        ),
        warnings=tuple(warnings),
    )


def _unique_slugs(articles: Sequence[Article]) -> tuple[list[Article], list[NewsgenError]]:
    """Safe slugs, made unique in a stable order (by origin) with a warning for each clash.

    Slugs come from records a person may have edited, so they are re-made safe here; a clash
    is never a silent overwrite.
    """
    taken: dict[str, Article] = {}
    out, warnings = [], []
    for article in sorted(articles, key=lambda a: (a.origin, a.slug)):
        slug = make_slug(article.slug, fallback="article")
        if slug != article.slug:
            # Traversal, separators, device names, emoji, overlong: made safe, never silently.
            warnings.append(
                NewsgenError(
                    f"slug {article.slug!r} is not a safe URL segment; using '{slug}'",
                    article.origin,
                )
            )
        if slug in taken:
            n = 2
            while f"{slug}-{n}" in taken:
                n += 1
            warnings.append(
                NewsgenError(
                    f"slug '{slug}' is also used by {taken[slug].origin}; "
                    f"published as '{slug}-{n}'",
                    article.origin,
                )
            )
            slug = f"{slug}-{n}"
        if slug != article.slug:
            article = dataclasses.replace(article, slug=slug)
        taken[slug] = article
        out.append(article)
    return out, warnings


def names_of(article: Article, kind: str) -> tuple[str, ...]:
    """The names an article files under ``kind``. Speakers count as people it mentions."""
    if kind == "topics":
        return article.topics
    if kind == "sources":
        source = article.source
        name = source and (source.name or source.url)
        return (name,) if name else ()
    names: tuple[str, ...] = getattr(article.entities, kind)
    if kind == "people":
        speakers = tuple(q.speaker for q in article.quotes if q.speaker)
        return tuple(dict.fromkeys((*names, *speakers)))
    return names


def _taxonomy(kind: str, ordered: Sequence[Article]) -> Taxonomy:
    # Names that slugify alike ("U.S." and "US") are one term: it is shown under its most
    # common spelling, so variants do not split a person's coverage.
    groups: defaultdict[str, list[Article]] = defaultdict(list)
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for article in ordered:
        seen: set[str] = set()
        for name in names_of(article, kind):
            slug = make_slug(name, fallback=kind)
            spellings[slug][name] += 1
            if slug not in seen:
                seen.add(slug)
                groups[slug].append(article)
    terms = []
    by_name: dict[str, Term] = {}
    for slug, members in groups.items():
        name = min(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        term = Term(kind, name, slug, tuple(members))
        terms.append(term)
        for spelling in spellings[slug]:
            by_name[spelling] = term
    terms.sort(key=lambda t: (t.name.casefold(), t.slug))
    title, singular = TITLES[kind]
    return Taxonomy(kind, title, singular, tuple(terms), by_name)


def _date_terms(
    ordered: Sequence[Article], tz: dt.tzinfo
) -> tuple[tuple[Term, ...], dict[str, tuple[Term, ...]]]:
    years: defaultdict[str, list[Article]] = defaultdict(list)
    months: defaultdict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        day = local_date(article.date, tz)
        if day is not None:
            years[f"{day.year:04d}"].append(article)
            months[f"{day.year:04d}-{day.month:02d}"].append(article)
    year_terms = tuple(
        Term("years", y, y, tuple(a)) for y, a in sorted(years.items(), reverse=True)
    )
    by_year: defaultdict[str, list[Term]] = defaultdict(list)
    for m, arts in sorted(months.items(), reverse=True):
        by_year[m[:4]].append(Term("months", m, m, tuple(arts)))
    return year_terms, {y: tuple(t) for y, t in by_year.items()}


def _related(ordered: Sequence[Article], workers: int = 1) -> dict[str, tuple[Article, ...]]:
    """3-5 related articles each, ranked by weighted shared terms through an inverted index."""
    keys = tuple(
        tuple(sorted({(kind, make_slug(n, kind)) for kind in _WEIGHTS for n in names_of(a, kind)}))
        for a in ordered
    )
    if _LAST_RELATED and _LAST_RELATED[0][0] == keys:
        ranking = _LAST_RELATED[0][1]  # a rebuild where no article's terms or place changed
    else:
        ranking = _rank(keys, workers)
        _LAST_RELATED[:] = [(keys, ranking)]
    return {a.slug: tuple(ordered[j] for j in ranking[i]) for i, a in enumerate(ordered)}


# The last ranking, by the terms of every article in order: the incremental builder calls
# make_archive after each edit, and most edits change no article's terms.
_LAST_RELATED: list[tuple[tuple[tuple[tuple[str, str], ...], ...], list[list[int]]]] = []

# Below this many articles, forking a process to rank some of them costs more than it saves.
RANK_PARALLEL_FROM = 2000
# The ranker of the ranking under way: set before a fork, so the children inherit it.
_RANKER: list[_Ranker] = []


def _rank(keys: Sequence[Sequence[tuple[str, str]]], workers: int = 1) -> list[list[int]]:
    """Each article's related articles, by index into ``keys``. With ``workers`` > 1 and many
    articles, forked processes rank ranges of them while this one ranks the first: the
    ranking runs before any page can be rendered, so a second core would otherwise idle."""
    ranker = _Ranker(keys)
    n = len(keys)
    if workers <= 1 or n < RANK_PARALLEL_FROM:
        return ranker.rank(range(n))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from newsgen.fs import release_inherited_locks

    bounds = [n * p // workers for p in range(workers + 1)]
    _RANKER[:] = [ranker]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            workers - 1, mp_context=context, initializer=release_inherited_locks
        ) as pool:
            others = pool.map(_rank_part, bounds[1:-1], bounds[2:])
            ranking = ranker.rank(range(bounds[0], bounds[1]))
            for part in others:
                ranking.extend(part)
        return ranking
    finally:
        _RANKER.clear()


def _rank_part(start: int, stop: int) -> list[list[int]]:
    return _RANKER[0].rank(range(start, stop))


class _Ranker:
    """The inverted index of articles' terms, and the ranking of any article by it."""

    def __init__(self, keys: Sequence[Sequence[tuple[str, str]]]) -> None:
        import numpy as np

        index: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        for i, mine in enumerate(keys):
            for key in mine:
                index[key].append(i)
        self.keys = keys
        self.members = {
            key: np.array(found, dtype=np.int64)
            for key, found in index.items()
            if len(found) <= _MAX_RELATED_DF
        }
        # Rarer shared terms count more (a log-scaled inverse document frequency), one array
        # of a term's weight per member, made once rather than per article sharing the term.
        self.weights = {
            key: np.full(len(found), _WEIGHTS[key[0]] / math.log2(1 + len(found)))
            for key, found in self.members.items()
        }

    def rank(self, articles: Iterable[int]) -> list[list[int]]:
        keys, members, n = self.keys, self.members, len(self.keys)
        scratch = _Scratch(n)
        ranking = []
        for i in articles:
            shared = [k for k in keys[i] if k in members]
            ranked = _best(i, shared, members, self.weights, scratch) if shared else []
            # Too few shared terms: fill with the stories nearest in time, so every page
            # offers some.
            for j in _nearest(i, n):
                if len(ranked) >= RELATED_MIN:
                    break
                if j not in ranked:
                    ranked.append(j)
            ranking.append(ranked)
        return ranking


class _Scratch:
    """Per-article sums kept in one array of every article, zeroed again after each use: no
    sort to find the distinct candidates (``np.unique`` was most of the ranking's time)."""

    def __init__(self, n: int) -> None:
        import numpy as np

        self.sums = np.zeros(n)
        self.seen = np.zeros(n, dtype=np.int64)
        self.positions = np.arange(0)

    def order(self, count: int) -> np.ndarray[Any, np.dtype[np.int64]]:
        import numpy as np

        if len(self.positions) < count:
            self.positions = np.arange(max(count, 2 * len(self.positions)))
        return self.positions[:count]


def _best(
    i: int,
    shared: list[tuple[str, str]],
    members: Mapping[tuple[str, str], np.ndarray[Any, np.dtype[np.int64]]],
    weights: Mapping[tuple[str, str], np.ndarray[Any, np.dtype[np.float64]]],
    scratch: _Scratch,
) -> list[int]:
    """The top articles by summed weight of shared terms, ties to the earlier one.

    Vectorised, but exactly the sums of adding weights one by one in key order (``add.at``
    adds unbuffered, in input order, from 0.0), so the ranking is the same as the plain
    loop's (``tests/test_related.py`` holds it to that loop).
    """
    import numpy as np

    index = np.concatenate([members[k] for k in shared])
    sums, seen = scratch.sums, scratch.seen
    np.add.at(sums, index, np.concatenate([weights[k] for k in shared]))
    # One position of each distinct candidate: whichever of its repeats the assignment kept.
    order = scratch.order(len(index))
    seen[index] = order
    candidates = index[seen[index] == order]
    found = sums[candidates]
    sums[index] = 0.0
    keep = candidates != i
    candidates, found = candidates[keep], found[keep]
    if len(found) > RELATED_MAX:
        # Only those that can reach the top after rounding need the exact comparison.
        cutoff = np.partition(found, -RELATED_MAX)[-RELATED_MAX] - 1e-6
        near = found >= cutoff
        candidates, found = candidates[near], found[near]
    scored = [(-round(s, 9), j) for s, j in zip(found.tolist(), candidates.tolist(), strict=True)]
    return [j for _, j in heapq.nsmallest(RELATED_MAX, scored)]


def _nearest(i: int, n: int) -> Iterable[int]:
    for step in range(1, n):
        for j in (i - step, i + step):
            if 0 <= j < n:
                yield j


def _newest(ordered: Sequence[Article], tz: dt.tzinfo) -> dt.datetime:
    for article in ordered:
        if article.date is not None:
            stamp = local_datetime(article.date, tz)
            assert stamp is not None
            return stamp
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
