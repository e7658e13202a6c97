"""Properties over generated input: slugs are safe and stable; no two pages share a URL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsgen.archive import make_archive
from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.links import _target_file, _worked_out, broken_links, links_of, target_file
from newsgen.markup import clean_text
from newsgen.model import Article, Entities, Quote, Source
from newsgen.plan import Page, _check_unique, plan
from newsgen.slugs import MAX_SLUG, make_slug

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
names = st.text(min_size=0, max_size=40)
dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))


@given(st.text(max_size=300))
def test_slugs_are_url_safe_and_idempotent(text: str) -> None:
    slug = make_slug(text)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= MAX_SLUG
    assert make_slug(slug) == slug


@st.composite
def articles(draw: st.DrawFn) -> Article:
    people = tuple(draw(st.lists(names, max_size=3)))
    return Article(
        id=draw(st.text(max_size=4)),
        slug=draw(names),
        title=draw(names) or "t",
        body="",
        origin=f"articles/{draw(st.integers(0, 10**6))}.md",
        date=draw(dates),
        topics=tuple(draw(st.lists(names, max_size=3))),
        source=draw(st.one_of(st.none(), st.builds(Source, names, st.none()))),
        quotes=tuple(
            draw(st.lists(st.builds(Quote, names, st.one_of(st.none(), names)), max_size=2))
        ),
        entities=Entities(people, tuple(draw(st.lists(names, max_size=2))), ()),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(articles(), max_size=25), st.integers(1, 5))
def test_no_two_pages_share_a_url(items: list[Article], per_page: int) -> None:
    config = Config(per_page=per_page)
    pages = plan(make_archive(items, dt.UTC), config)  # raises on a clash
    paths = [p.path.casefold() for p in pages]
    assert len(paths) == len(set(paths))
    for page in pages:
        assert ".." not in page.path.split("/") and not page.path.startswith("/")


def test_a_clash_is_an_error_naming_both_pages() -> None:
    pages = [Page("topics/", "topics-index", "terms.html", {}), Page("topics/", "article", "", {})]
    with pytest.raises(NewsgenError, match=r"two pages at one URL: topics/index.html"):
        _check_unique(pages)


def test_an_article_url_pattern_over_a_section_is_caught() -> None:
    article = Article(id="1", slug="topics", title="t", body="", origin="a.md")
    with pytest.raises(NewsgenError, match=r"topics/index.html \(article and topics-index\)"):
        plan(make_archive([article], dt.UTC), Config(article_url="/{slug}/"))


# Pieces that make links, near-links and broken markup (a link inside another's value).
_LINK_PIECES = (' href="', ' src="', '\thref="', '\nsrc="', 'xhref="', "a", '"', " ", "src=", "=")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_LINK_PIECES), max_size=16).map("".join))
def test_links_are_found_as_one_plain_pattern_finds_them(html: str) -> None:
    # The reference: every whitespace-led href or src value, leftmost first (the fast
    # search in newsgen.links must find the same, in the same order, also in broken markup).
    expected = [link for link in re.findall(r'\s(?:href|src)="([^"]*)"', html) if link]
    assert links_of(html) == expected


# Links as a theme writes them: root-relative, page-relative, escaped, to a folder, external.
_LINK_TARGETS = (
    "https://example.org/a/",
    "https://example.org",
    "https://other.org/x",
    "#main",
    "/a/",
    "/a",
    "/b/x.css",
    "b/",
    "../a/",
    "/a/&amp;q",
    "/#top",
    "//h/a/",
    "#top",
    "c",
)
_FILE_SETS = (frozenset({"a/index.html", "b/x.css"}), frozenset({"b/index.html", "c"}))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(("index.html", "a/index.html", "b/c/index.html")),
            st.lists(st.sampled_from(_LINK_TARGETS), max_size=6),
            st.sampled_from(range(len(_FILE_SETS))),
        ),
        max_size=8,
    )
)
def test_broken_links_are_those_a_plain_check_finds(
    pages: list[tuple[str, list[str], int]],
) -> None:
    # Pages checked one after another against one set of files or another, as the workers of
    # a build and then of the next do: a verdict remembered for one page or set of files
    # must never answer for another.
    for path, links, which in pages:
        files = _FILE_SETS[which]
        html = "".join(f' href="{link}"' for link in links)
        expected = []
        for link in links_of(html):
            target = target_file(link, path, "https://example.org/")
            if not (target is None or target in files or target + "/index.html" in files):
                expected.append(link)
        assert broken_links(html, path, files, "https://example.org/") == expected


# Link pieces: plain segments and everything a URL treats specially (dot segments, empty
# segments, escapes, queries, fragments, characters urlsplit strips), and site URLs spelled
# plainly or not (a folder, none, a dot segment, an upper-case scheme, a query, a port).
_URL_PIECES = (
    "/",
    "a",
    "b.css",
    ".",
    "..",
    "%2F",
    "%41",
    "?q",
    "#f",
    " ",
    "\t",
    "\n",
    ":",
    "\\",
    "é",
    "//",
)
_SITES = (
    "http://localhost:8000/",
    "https://example.org/news/",
    "https://example.org",
    "HTTPS://example.org/",
    "https://example.org/a/./",
    "https://example.org/?x",
    "https://example.org:8443/a b/",
)


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(_SITES),
    st.sampled_from(("", "/", "SITE", "https://other.org/", "//example.org/", "mailto:")),
    st.lists(st.sampled_from(_URL_PIECES), max_size=8).map("".join),
    st.sampled_from(("", "index.html", "a/index.html", "b/c/x.html")),
)
@example(
    "https://example.org", "SITE", "a", ""
)  # no folder: "https://example.orga" is no link of ours
@example("https://example.org/news/", "/", "news/../a/", "")
def test_a_link_names_the_file_the_whole_way_finds(
    site: str, prefix: str, rest: str, page: str
) -> None:
    # The short way for the plain links a theme writes must agree with working the URL out.
    link = (site if prefix == "SITE" else prefix) + rest
    assert _target_file(link, page, site) == _worked_out(link, page, site)


_CONTROL_REFERENCE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from("ab \n\t\r“é中🙂\x00\x01\x1f\x7f\x85\ufffe\uffff"), max_size=600),
    st.text(max_size=40),
)
def test_clean_text_removes_exactly_the_control_characters(text: str, more: str) -> None:
    # Short texts and long ones (a macro's output) are checked in different ways.
    for candidate in (text, more, text + more, more * 20):
        assert clean_text(candidate) == _CONTROL_REFERENCE.sub("", candidate)
