"""Invariants every built site keeps: links resolve, pages parse and have titles, feeds,
sitemaps and JSON-LD parse, and nothing from an article body can run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsgen.links import links_of, target_file
from tests.helpers import build_fixture, html_pages

BASE = "https://example.org/news/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Page(HTMLParser):
    """Collects the title, JSON-LD blocks and script tags, and checks tags balance."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
        | {"track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.title = ""
        self.json_ld: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs.extend((tag, k, v) for k, v in attrs)
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)
        self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert not page.stack, f"{path}: unclosed {page.stack}"
    return page


def test_every_internal_link_and_asset_resolves(fixture_site: Path) -> None:
    files = {p.relative_to(fixture_site).as_posix() for p in fixture_site.rglob("*") if p.is_file()}
    checked = 0
    for page in html_pages(fixture_site):
        rel = page.relative_to(fixture_site).as_posix()
        # Links read by a real HTML parser, independently of the build's own link check.
        links = [v for _, name, v in _parse(page).attrs if name in ("href", "src") and v]
        assert len(links) == len(links_of(page.read_text(encoding="utf-8")))
        for link in links:
            target = target_file(link, rel, BASE)
            if target is not None:
                assert target in files, f"{rel}: {link}"
                checked += 1
    assert checked > 500


def test_every_page_parses_and_has_a_title(fixture_site: Path) -> None:
    for path in html_pages(fixture_site):
        page = _parse(path)
        assert page.title.strip(), path


def test_json_ld_parses_and_no_article_script_reaches_a_page(fixture_site: Path) -> None:
    search_scripts = [
        {"src": "/news/pagefind/pagefind-ui.js", "defer": None},
        {"src": "/news/assets/search.js", "defer": None},
    ]
    for path in html_pages(fixture_site):
        page = _parse(path)
        if path.relative_to(fixture_site).as_posix() == "search/index.html":
            # The search page loads Pagefind's UI and ours, from files, and nothing else.
            assert page.scripts == search_scripts
            continue
        # The only script any other page may carry is our JSON-LD data block.
        assert all(s.get("type") == "application/ld+json" for s in page.scripts), path
        for block in page.json_ld:
            data = json.loads(block)
            assert data["@type"] == "NewsArticle"
            assert data["url"].startswith(BASE)
        for tag, name, value in page.attrs:
            assert not name.startswith("on"), f"{path}: {tag} {name}"
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), path


def test_hostile_title_is_escaped_in_every_context(fixture_site: Path) -> None:
    article = (fixture_site / "articles/officials-no-comment/index.html").read_text()
    assert "</script> leak" not in article
    assert "\\u003c/script\\u003e leak" in article  # JSON-LD
    assert 'content="Officials say &#34;no comment&#34; &amp; &lt;more&gt;' in article  # OG
    assert "<script>alert" not in article
    feed = (fixture_site / "feed.xml").read_text()
    assert "<script>" not in feed and "onerror" not in feed


def test_feeds_are_atom_with_full_content(fixture_site: Path) -> None:
    feeds = [fixture_site / "feed.xml", *sorted(fixture_site.glob("topics/*/feed.xml"))]
    assert len(feeds) == 3
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}updated")
        entries = root.findall(f"{ATOM}entry")
        assert 0 < len(entries) <= 5  # feed_size in the fixture
        for entry in entries:
            assert entry.findtext(f"{ATOM}id", "").startswith(BASE)
            assert re.match(r"\d{4}-\d\d-\d\dT", entry.findtext(f"{ATOM}updated", ""))
            assert "<p>" in entry.findtext(f"{ATOM}content", "")


def test_sitemap_index_lists_parts_that_list_every_page(fixture_site: Path) -> None:
    index = ET.parse(fixture_site / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    locs = [loc.text or "" for loc in index.iter(f"{SITEMAP}loc")]
    urls: list[str] = []
    for loc in locs:
        part = ET.parse(fixture_site / loc.removeprefix(BASE)).getroot()
        urls += [u.text or "" for u in part.iter(f"{SITEMAP}loc")]
    pages = {p.relative_to(fixture_site).as_posix() for p in html_pages(fixture_site)}
    # All but 404.html and the search page, which has nothing of its own to index.
    assert len(urls) == len(pages - {"404.html", "search/index.html"})
    for url in urls:
        rel = url.removeprefix(BASE)
        assert (rel + "index.html" if rel == "" or rel.endswith("/") else rel) in pages


def test_robots_points_to_the_sitemap(fixture_site: Path) -> None:
    assert f"Sitemap: {BASE}sitemap.xml" in (fixture_site / "robots.txt").read_text()


def test_canonical_and_feed_urls_are_absolute_under_the_base(fixture_site: Path) -> None:
    html = (fixture_site / "index.html").read_text()
    assert f'<link rel="canonical" href="{BASE}">' in html
    assert 'href="/news/assets/style.css"' in html


def test_duplicate_points_its_canonical_at_the_original(fixture_site: Path) -> None:
    html = (fixture_site / "articles/inflation-eases-repost/index.html").read_text()
    assert f'rel="canonical" href="{BASE}articles/inflation-eases-third-month/"' in html


def test_person_page_lists_their_quotes_and_a_timeline(fixture_site: Path) -> None:
    html = (fixture_site / "people/jake-sullivan/index.html").read_text()
    assert "It will not reflect well on them" in html
    assert '<title id="coverage-title">' in html and '<desc id="coverage-desc">' in html


def test_a_person_page_shows_the_latest_quotes_and_links_to_all(fixture_site: Path) -> None:
    # per_page is 4 in the fixture and Jake Sullivan has 5 quotes: the oldest is left out.
    html = (fixture_site / "people/jake-sullivan/index.html").read_text()
    assert html.count("<blockquote>") == 4
    assert "No comment" not in html
    assert 'href="/news/people/jake-sullivan/quotes/">All 5 quotes by Jake Sullivan</a>' in html
    first = (fixture_site / "people/jake-sullivan/quotes/index.html").read_text()
    second = (fixture_site / "people/jake-sullivan/quotes/page/2/index.html").read_text()
    assert first.count("<blockquote>") == 4 and second.count("<blockquote>") == 1
    assert "No comment" in second
    # Someone quoted no more than a page's worth has everything on their own page.
    assert "All " not in (fixture_site / "people/marie-dubois/index.html").read_text()
    assert not (fixture_site / "people/marie-dubois/quotes").exists()


def test_undated_articles_sort_last(fixture_site: Path) -> None:
    last = (fixture_site / "page/3/index.html").read_text()
    assert "Notes on a quiet harbour" in last or "A letter from the archives" in last
    undated = (fixture_site / "archive/undated/index.html").read_text()
    assert "Notes on a quiet harbour" in undated and "A letter from the archives" in undated


@pytest.mark.parametrize("base", ["https://example.org/", "http://127.0.0.1:8123/deep/sub/"])
def test_links_resolve_under_any_base_url(tmp_path: Path, base: str) -> None:
    result = build_fixture(tmp_path / "site", base_url=base)
    assert result.ok and not result.warnings, result.warnings
    html = (tmp_path / "site/index.html").read_text()
    path = base.split("/", 3)[3]
    assert f'href="/{path}assets/style.css"' in html


def test_extreme_dates_and_control_characters_keep_feeds_valid(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "articles").mkdir(parents=True)
    records = {
        "old.md": "---\ntitle: Old\nslug: old\ndate: 0001-01-01\ntopics: [A]\n---\nx\n",
        "new.md": "---\ntitle: New\nslug: new\ndate: 9999-12-31T23:59:00+00:00\n---\nx\n",
        "ctl.md": '---\ntitle: "bell \\x07 title"\nslug: "!!!"\ntopics: [A]\n---\nx\x01y\n',
    }
    for name, text in records.items():
        (project / "articles" / name).write_text(text)
    result = build_fixture(project / "site", project, future=True)
    assert result.ok
    assert sorted(str(w).split(":")[0] for w in result.warnings) == [
        "articles/ctl.md",  # slug "!!!" replaced
        "articles/new.md",
        "articles/old.md",
    ]
    site = project / "site"
    for xml in [site / "feed.xml", site / "topics/a/feed.xml", site / "sitemap-1.xml"]:
        ET.parse(xml)
    for path in site.rglob("*"):
        # The search index (pagefind/) is compressed binary data, not text we wrote.
        if path.is_file() and not path.relative_to(site).as_posix().startswith("pagefind/"):
            assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", path.read_bytes()), path
