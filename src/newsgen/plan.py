"""``Archive`` to ``Page``s: the build plan, and the one place every URL is decided.

A URL here is site-relative ("", "articles/x/", "feed.xml"); the renderer prefixes the base
path or base URL. Two pages at one URL is an error, never a silent overwrite.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from newsgen.archive import Archive, QuoteRef, Taxonomy, Term
from newsgen.config import Config
from newsgen.dates import local_date, month_name, zone
from newsgen.errors import NewsgenError
from newsgen.model import Article
from newsgen.timeline import Timeline, month_key, timeline_of

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, the protocol's limit
# Article fields that reach a page only through its templates (which the build cache
# traces), never through the archive or a page's context, bar the title of the article's own
# page (``article_page``). The incremental builder relies on it: an edit to these fields
# alone leaves every other page's context as it was.
# ``body_ref`` stands for the body where the build holds an article without it.
TEMPLATE_ONLY = frozenset(
    {"title", "body", "body_ref", "kicker", "byline", "summary", "word_count"}
)

# Template names come only from this allow-list, never from data (RELIABILITY rule 39).
TEMPLATES = frozenset(
    {
        "article.html",
        "listing.html",
        "terms.html",
        "archive.html",
        "quotes.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "sitemap-index.xml",
        "robots.txt",
        "nojekyll.txt",
        "search.html",
        "static/style.css",
        "static/search.js",
    }
)

# The most pages one Pagefind run indexes: its memory grows with them (1.55 GiB at the peak
# for 10,000 articles, about 155 KiB a page), so a larger archive's search index is split.
SEARCH_SHARD_PAGES = 4_000

# The fixed URLs of the site; templates link to them by name (``urls.topics``), never by path.
SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        "home": "",
        "topics": "topics/",
        "people": "people/",
        "places": "places/",
        "organizations": "organizations/",
        "sources": "sources/",
        "quotes": "quotes/",
        "archive": "archive/",
        "undated": "archive/undated/",
        "feed": "feed.xml",
        "sitemap": "sitemap.xml",
        "robots": "robots.txt",
        "stylesheet": "assets/style.css",
        "nojekyll": ".nojekyll",
        "not_found": "404.html",
        "search": "search/",
        "search_script": "assets/search.js",
        # Written by the indexer after rendering (search.py), loaded by the search page.
        "pagefind": "pagefind/",
        "pagefind_ui": "pagefind/pagefind-ui.js",
        "pagefind_css": "pagefind/pagefind-ui.css",
    }
)


@dataclass(frozen=True, slots=True)
class Page:
    """One planned output file."""

    url: str  # site-relative; "" is the home page
    kind: str  # what the report counts it as: "article", "topic", "feed", ...
    template: str
    context: Mapping[str, Any]

    @property
    def path(self) -> str:
        """The file the page is written to: clean URLs end in a folder's index.html."""
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url

    @property
    def is_html(self) -> bool:
        return self.path.endswith(".html")


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a listing sits among its siblings."""

    number: int
    urls: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


class Urls:
    """Site-relative URLs of everything a page can link to."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.tz = zone(config.timezone)

    def article(self, article: Article) -> str:
        day = local_date(article.date, self.tz)
        url = self.config.article_url.format(
            slug=article.slug,
            year=f"{day.year:04d}" if day else "undated",
            month=f"{day.month:02d}" if day else "undated",
        )
        return url.lstrip("/")

    def term(self, term: Term) -> str:
        if term.kind == "years":
            return f"{SECTIONS['archive']}{term.slug}/"
        if term.kind == "months":
            return f"{SECTIONS['archive']}{term.slug[:4]}/{term.slug[5:]}/"
        return f"{SECTIONS[term.kind]}{term.slug}/"

    def taxonomy(self, kind: str) -> str:
        return SECTIONS[kind]

    def quotes(self, person: Term) -> str:
        """Every quote of a person, paginated: their own page shows only the latest."""
        return self.term(person) + "quotes/"

    def feed(self, term: Term | None = None) -> str:
        return SECTIONS["feed"] if term is None else self.term(term) + "feed.xml"

    def of(self, target: Article | Term | str) -> str:
        """The URL of an article, a term, or a site-relative URL given as is."""
        if isinstance(target, Article):
            return self.article(target)
        if isinstance(target, Term):
            return self.term(target)
        return target


def paginate(base: str, count: int, per_page: int) -> tuple[str, ...]:
    """The URLs of a listing's pages: the first at ``base``, then ``base/page/N/``."""
    pages = max(1, math.ceil(count / per_page))
    return (base, *(f"{base}page/{n}/" for n in range(2, pages + 1)))


def plan(archive: Archive, config: Config) -> tuple[Page, ...]:
    """Every page of the site, in a stable order. Raises if two pages share a URL."""
    urls = Urls(config)
    html = [
        *_listing(config, "home", SECTIONS["home"], archive.articles, {"title": config.title}),
        *_articles(archive, urls),
        *_taxonomies(archive, config, urls),
        *_quotes(archive, config),
        *_date_archives(archive, config, urls),
        Page(SECTIONS["not_found"], "404", "404.html", _ctx(title="Page not found")),
    ]
    pages = [
        *html,
        *_feeds(archive, config, urls),
        *_sitemaps([p for p in html if p.kind != "404"], archive, urls),
        Page(SECTIONS["robots"], "robots", "robots.txt", _ctx()),
        # GitHub Pages would otherwise run Jekyll over the site and hide files.
        Page(SECTIONS["nojekyll"], "meta", "nojekyll.txt", _ctx()),
        Page(SECTIONS["stylesheet"], "asset", "static/style.css", _ctx()),
        *_search(config, len(archive.articles)),
    ]
    _check_unique(pages)
    return tuple(pages)


def _ctx(**values: Any) -> Mapping[str, Any]:
    return MappingProxyType(values)


def _check_unique(pages: Sequence[Page]) -> None:
    # Compared case-folded: a site is often served from a case-insensitive file system.
    seen: dict[str, Page] = {}
    clashes = []
    for page in pages:
        key = page.path.casefold()
        if key in seen:
            clashes.append(f"{page.path} ({seen[key].kind} and {page.kind})")
        seen[key] = page
    if clashes:
        raise NewsgenError("two pages at one URL: " + "; ".join(clashes))


def _listing(
    config: Config,
    kind: str,
    base: str,
    items: Sequence[Any],
    extra: Mapping[str, Any],
    template: str = "listing.html",
) -> Iterator[Page]:
    """A paginated list (of articles or quotes): one code path for every listing."""
    page_urls = paginate(base, len(items), config.per_page)
    for number, url in enumerate(page_urls, start=1):
        start = (number - 1) * config.per_page
        yield Page(
            url,
            kind,
            template,
            _ctx(
                **extra,
                items=tuple(items[start : start + config.per_page]),
                pager=Pager(number, page_urls),
                total=len(items),
            ),
        )


def _articles(archive: Archive, urls: Urls) -> Iterator[Page]:
    for article in archive.articles:
        yield article_page(archive, urls, article)


def article_page(archive: Archive, urls: Urls, article: Article) -> Page:
    """The page of one article of ``archive``.

    Its title is the one ``TEMPLATE_ONLY`` field a context holds as a plain value: the
    incremental builder plans this page again after an edit to such fields, and re-uses
    every other page's context (``newsgen.incremental``).
    """
    original = archive.originals.get(article.slug)
    url = urls.article(article)
    return Page(
        url,
        "article",
        "article.html",
        _ctx(
            title=article.title,
            article=article,
            # A duplicate points search engines at the article it repeats.
            canonical=urls.article(original) if original else url,
            topics=_terms(archive.taxonomies["topics"], article.topics),
            entities={
                kind: _terms(archive.taxonomies[kind], getattr(article.entities, kind))
                for kind in ("people", "places", "organizations")
            },
            source=_source_term(archive, article),
            related=archive.related.get(article.slug, ()),
            previous=archive.previous.get(article.slug),
            next=archive.next.get(article.slug),
        ),
    )


def _terms(taxonomy: Taxonomy, names: Sequence[str]) -> tuple[Term, ...]:
    found = (taxonomy.find(n) for n in names)
    # Keyed by slug: two spellings of one name are one link, and slugs hash cheaply.
    return tuple({t.slug: t for t in found if t is not None}.values())


def _source_term(archive: Archive, article: Article) -> Term | None:
    source = article.source
    name = source and (source.name or source.url)
    return archive.taxonomies["sources"].find(name) if name else None


def _taxonomies(archive: Archive, config: Config, urls: Urls) -> Iterator[Page]:
    tz = zone(config.timezone)
    # Each article's month, worked out once: an article is in several terms' timelines.
    months = {a.slug: month_key(a.date, tz) for a in archive.articles}
    for kind, taxonomy in archive.taxonomies.items():
        yield Page(
            urls.taxonomy(kind),
            f"{kind}-index",
            "terms.html",
            _ctx(title=taxonomy.title, taxonomy=taxonomy),
        )
        for term in taxonomy.terms:
            extra: dict[str, Any] = {"title": term.name, "term": term, "taxonomy": taxonomy}
            if kind in ("topics", "people"):
                dated = (months[a.slug] for a in term.articles)
                extra["timeline"] = _timeline(tuple(m for m in dated if m is not None))
            if kind == "topics":
                extra["feed"] = urls.feed(term)
            quotes: tuple[QuoteRef, ...] = ()
            if kind == "people":
                quotes = archive.quotes_by_speaker.get(term.name, ())
                # The latest quotes only: a person quoted thousands of times would otherwise
                # make one huge page, rendered again whenever any of their articles changes.
                extra["quotes"] = quotes[: config.per_page]
                if len(quotes) > config.per_page:
                    extra["all_quotes"] = urls.quotes(term)
                    extra["quotes_total"] = len(quotes)
            yield from _listing(
                config, taxonomy.singular.lower(), urls.term(term), term.articles, extra
            )
            if len(quotes) > config.per_page:
                yield from _person_quotes(config, urls, term, quotes)


@functools.lru_cache(maxsize=4096)
def _timeline(months: tuple[str, ...]) -> Timeline | None:
    # A rebuild after one edit plans every term again; most terms' months did not change.
    return timeline_of(months)


def _person_quotes(
    config: Config, urls: Urls, person: Term, quotes: Sequence[QuoteRef]
) -> Iterator[Page]:
    extra = {"title": f"Quotes by {person.name}", "term": person}
    yield from _listing(config, "person-quotes", urls.quotes(person), quotes, extra, "quotes.html")


def _quotes(archive: Archive, config: Config) -> Iterator[Page]:
    people = archive.taxonomies["people"]
    extra = {"title": "Who said what", "people": people}
    yield from _listing(config, "quotes", SECTIONS["quotes"], archive.quotes, extra, "quotes.html")


def _date_archives(archive: Archive, config: Config, urls: Urls) -> Iterator[Page]:
    yield Page(
        SECTIONS["archive"],
        "archive-index",
        "archive.html",
        _ctx(title="Archive", years=archive.years, months=archive.months, undated=archive.undated),
    )
    for year in archive.years:
        extra = {
            "title": f"Articles from {year.name}",
            "term": year,
            "months": archive.months[year.name],
        }
        yield from _listing(config, "archive-year", urls.term(year), year.articles, extra)
        for month in archive.months[year.name]:
            extra = {"title": f"Articles from {month_name(month.name)}", "term": month}
            yield from _listing(config, "archive-month", urls.term(month), month.articles, extra)
    yield from _listing(
        config,
        "archive-undated",
        SECTIONS["undated"],
        archive.undated,
        {"title": "Undated articles"},
    )


def search_shards(articles: int) -> int:
    """How many Pagefind indexes the search of an archive of ``articles`` is split into
    (merged again by the search page): a power of two, each of at most about
    ``SEARCH_SHARD_PAGES`` pages."""
    shards = 1
    while articles > shards * SEARCH_SHARD_PAGES:
        shards *= 2
    return shards


def _search(config: Config, articles: int) -> Iterator[Page]:
    # Not in the sitemap: a search page has nothing of its own for a search engine to read.
    if config.search:
        context = _ctx(title="Search", shards=search_shards(articles))
        yield Page(SECTIONS["search"], "search", "search.html", context)
        yield Page(SECTIONS["search_script"], "asset", "static/search.js", _ctx())


def _feeds(archive: Archive, config: Config, urls: Urls) -> Iterator[Page]:
    yield Page(
        urls.feed(),
        "feed",
        "feed.xml",
        _ctx(
            title=config.title,
            entries=archive.articles[: config.feed_size],
            html_url=SECTIONS["home"],
        ),
    )
    for term in archive.taxonomies["topics"].terms:
        yield Page(
            urls.feed(term),
            "feed",
            "feed.xml",
            _ctx(
                title=f"{term.name} · {config.title}",
                entries=term.articles[: config.feed_size],
                html_url=urls.term(term),
            ),
        )


def _sitemaps(html: Sequence[Page], archive: Archive, urls: Urls) -> Iterator[Page]:
    dated = {urls.article(a): a.date for a in archive.articles if a.date is not None}
    entries = [(p.url, dated.get(p.url)) for p in html]
    parts = [entries[i : i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)]
    names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    for name, part in zip(names, parts, strict=True):
        yield Page(name, "sitemap", "sitemap.xml", _ctx(entries=tuple(part)))
    yield Page(SECTIONS["sitemap"], "sitemap", "sitemap-index.xml", _ctx(parts=tuple(names)))
