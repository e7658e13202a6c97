"""An archive with some articles swapped for new versions, and page contexts moved onto it.

For the incremental builder's short way (``newsgen.incremental``): when an edit keeps every
field the archive and the plan read (all but ``plan.TEMPLATE_ONLY``), ``make_archive`` of the
edited articles would give the same archive with the new article objects in place of the old
ones. ``swap`` makes that archive without grouping or ranking anything again, and
``Rebinder`` gives a page planned from an older archive its context on the new one. Both are
pure; anything they do not know gives ``None`` (then the builder takes the full way).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from markupsafe import Markup

from newsgen.archive import Archive, QuoteRef, Taxonomy, Term
from newsgen.model import Article
from newsgen.plan import TEMPLATE_ONLY, Page, Pager
from newsgen.timeline import Timeline

# Every field of Archive and how ``swap`` treats it; a field added later and not listed here
# turns the short way off rather than being carried over unchanged.
_SWAPPED = frozenset(
    {
        "articles", "taxonomies", "years", "months", "undated", "quotes", "quotes_by_speaker",
        "related", "previous", "next", "originals",
    }
)  # fmt: skip
_DERIVED_FROM_SHAPE = frozenset({"updated", "health", "warnings"})
_KNOWN = frozenset(f.name for f in dataclasses.fields(Archive)) == _SWAPPED | _DERIVED_FROM_SHAPE


def shape(article: Article) -> tuple[str, ...]:
    """What the archive and the plan read of an article: two versions with the same shape
    group, order, date and link alike. ``repr`` tells a date from a midnight datetime."""
    return tuple(
        repr(getattr(article, f.name))
        for f in dataclasses.fields(article)
        if f.name not in TEMPLATE_ONLY
    )


def swap(archive: Archive, swaps: Mapping[int, Article]) -> Archive | None:
    """``archive`` with each article whose ``id`` is a key of ``swaps`` replaced by its value,
    everywhere it appears. Every new article must have the old one's ``shape``."""
    if not _KNOWN:
        return None
    ids = swaps.keys()

    def one(article: Article) -> Article:
        return swaps.get(id(article), article)

    def many(articles: tuple[Article, ...]) -> tuple[Article, ...]:
        return articles if ids.isdisjoint(map(id, articles)) else tuple(map(one, articles))

    terms: dict[int, Term] = {}

    def term(old: Term) -> Term:
        new = terms.get(id(old))
        if new is None:
            members = many(old.articles)
            new = old if members is old.articles else dataclasses.replace(old, articles=members)
            terms[id(old)] = new
        return new

    def taxonomy(old: Taxonomy) -> Taxonomy:
        new_terms = tuple(map(term, old.terms))
        if all(a is b for a, b in zip(new_terms, old.terms, strict=True)):
            return old
        by_name = {name: term(t) for name, t in old.by_name.items()}
        return dataclasses.replace(old, terms=new_terms, by_name=by_name)

    refs: dict[int, QuoteRef] = {}

    def ref(old: QuoteRef) -> QuoteRef:
        if id(old.article) not in ids:
            return old
        new = refs.get(id(old))
        if new is None:
            new = refs[id(old)] = QuoteRef(old.quote, one(old.article))
        return new

    def quoted(old: tuple[QuoteRef, ...]) -> tuple[QuoteRef, ...]:
        if ids.isdisjoint(id(r.article) for r in old):
            return old
        return tuple(map(ref, old))

    return dataclasses.replace(
        archive,
        articles=many(archive.articles),
        taxonomies={kind: taxonomy(t) for kind, t in archive.taxonomies.items()},
        years=tuple(map(term, archive.years)),
        months={year: tuple(map(term, months)) for year, months in archive.months.items()},
        undated=many(archive.undated),
        quotes=quoted(archive.quotes),
        quotes_by_speaker={k: quoted(v) for k, v in archive.quotes_by_speaker.items()},
        related={k: many(v) for k, v in archive.related.items()},
        previous={k: one(v) for k, v in archive.previous.items()},
        next={k: one(v) for k, v in archive.next.items()},
        originals={k: one(v) for k, v in archive.originals.items()},
    )


class Unknown(Exception):
    """A context value ``Rebinder`` does not know how to move."""


# Values that hold no entity: a context keeps them as they are.
_PLAIN = frozenset(
    {str, Markup, int, float, bool, type(None), dt.date, dt.datetime, Pager, Timeline}
)


class Rebinder:
    """Moves page contexts onto ``archive``: each entity is found there by its key (slug,
    kind and slug), so a context planned from any earlier archive of the same shape works."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.articles = {a.slug: a for a in archive.articles}
        self.terms = {
            (t.kind, t.slug): t
            for terms in (
                *(x.terms for x in archive.taxonomies.values()),
                archive.years,
                *archive.months.values(),
            )
            for t in terms
        }

    def page(self, page: Page) -> Page:
        context = self.value(page.context)
        assert isinstance(context, Mapping)
        return dataclasses.replace(page, context=context)

    def pages(self, pages: Iterable[Page]) -> list[Page]:
        return [self.page(p) for p in pages]

    def value(self, value: object) -> object:
        kind = type(value)
        if kind in _PLAIN:
            return value
        try:
            if kind is Article:
                return self.articles[value.slug]  # type: ignore[attr-defined]
            if kind is Term:
                return self.terms[(value.kind, value.slug)]  # type: ignore[attr-defined]
            if kind is Taxonomy:
                return self.archive.taxonomies[value.kind]  # type: ignore[attr-defined]
        except KeyError:
            raise Unknown(repr(value)[:80]) from None
        if kind is tuple or kind is list:
            return kind(map(self.value, value))  # type: ignore[call-overload]
        if kind is QuoteRef:
            quote, article = value.quote, value.article  # type: ignore[attr-defined]
            return QuoteRef(quote, self.value(article))  # type: ignore[arg-type]
        if kind is Archive:
            return self.archive
        if kind is MappingProxyType or kind is dict:
            moved = {k: self.value(v) for k, v in value.items()}  # type: ignore[attr-defined]
            return MappingProxyType(moved) if kind is MappingProxyType else moved
        raise Unknown(kind.__name__)
