"""Search: every build indexes the article titles and bodies with Pagefind before the new site
goes live; a reader finds an article by a word only it contains and narrows by topic, in
Debian's chromium over real HTTP, with the site under a subpath."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgen import plan as plan_module
from newsgen.build import BuildOptions, build, load
from newsgen.cache import BuildCache
from newsgen.cli import main
from newsgen.errors import NewsgenError
from newsgen.incremental import Builder
from newsgen.plan import SEARCH_SHARD_PAGES, Page, search_shards
from newsgen.search import (
    EVERY_PAGE,
    WORKING_FOLDER,
    Indexed,
    Shard,
    index_site,
    scope,
    shards,
)
from tests.helpers import FIXTURE, TODAY, build_fixture, serve_folder
from tests.test_build_cache import prices_project
from tests.tools import chromium_browser

SEED = "articles/leaders-meet-in-vladivostok/"
ONLY_IN_SEED = "deliveries"
# "Arms deliveries, mostly." appears in no other article
WORD = "zyzzogeton"  # in no article until a test writes it


def _fake_pagefind(folder: Path, script: str) -> Path:
    """An indexer that behaves as a broken Pagefind would: a real program, failing."""
    path = folder / "pagefind"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_only_articles_are_indexed_and_copies_are_not(fixture_site: Path) -> None:
    entry = json.loads((fixture_site / "pagefind/pagefind-entry.json").read_text())
    # 11 articles in the fixture, one a syndicated copy: listing pages are not indexed.
    assert entry["languages"]["en"]["page_count"] == 10
    article = (fixture_site / SEED / "index.html").read_text()
    assert '<article class="story" data-pagefind-body>' in article
    copy = (fixture_site / "articles/inflation-eases-repost/index.html").read_text()
    assert "data-pagefind-body" not in copy


def _pages(*pairs: tuple[str, str]) -> list[Page]:
    return [Page(url, "page", template, {}) for url, template in pairs]


def _templates(folder: Path, **sources: str) -> Path:
    for name, source in sources.items():
        (folder / name.replace("_", ".")).write_text(source)
    return folder


def test_pagefind_reads_only_the_folders_of_pages_the_theme_marks() -> None:
    model = load(FIXTURE, BuildOptions(out=Path("unused"), today=TODAY), BuildCache(None, "c"))
    assert {p.kind for p in model.pages} > {"article", "home", "topic", "person", "quotes"}
    # The theme marks the article page alone: listings, terms and quotes are not read.
    assert scope(model.pages, model.overrides) == "articles/**/*.{html}"


def test_a_mark_reached_through_extends_include_or_import_counts(tmp_path: Path) -> None:
    folder = _templates(
        tmp_path,
        mark_html="<main data-pagefind-body>{% block x %}{% endblock %}</main>",
        child_html='{% extends "mark.html" %}',
        grandchild_html='{% extends "child.html" %}',
        includer_html='{% include "mark.html" %}',
        importer_html='{% from "mark.html" import x %}',
        chosen_html="{% include name %}",  # any template may be chosen when it renders
        loop_html='{% include "loop.html" %}<p>no mark</p>',
        plain_html='{% extends "default/base.html" %}',
    )
    for template, folder_name in [
        ("grandchild.html", "a"),
        ("includer.html", "b"),
        ("importer.html", "c"),
        ("chosen.html", "d"),
    ]:
        pages = _pages((f"{folder_name}/x/", template), ("other/", "plain.html"))
        assert scope(pages, folder) == f"{folder_name}/**/*.{{html}}", template
    # A template that includes itself ends the walk; it and the theme's base mark nothing,
    # and with nothing marked Pagefind indexes every page, as its default glob says.
    assert scope(_pages(("a/", "loop.html"), ("b/", "plain.html")), folder) == EVERY_PAGE


def test_several_marked_folders_and_the_cases_only_the_default_glob_covers(
    tmp_path: Path,
) -> None:
    folder = _templates(tmp_path, mark_html="<p data-pagefind-body>x</p>")
    two = _pages(("people/p/", "mark.html"), ("articles/a/", "article.html"), ("topics/", "x"))
    assert scope(two, folder) == "{articles,people}/**/*.{html}"
    assert scope(_pages(("", "mark.html")), folder) == EVERY_PAGE  # the home page itself
    assert scope(_pages(("a{b}/", "mark.html")), folder) == EVERY_PAGE  # glob syntax
    # A missing or broken template marks nothing here: rendering its page reports it.
    broken = _templates(tmp_path, broken_html="{% if %}")
    assert scope(_pages(("a/", "gone.html"), ("b/", "broken.html")), broken) == EVERY_PAGE


def test_serve_refreshes_the_index_over_the_same_folders(tmp_path: Path) -> None:
    project = shutil.copytree(FIXTURE, tmp_path / "project")
    builder = Builder(project, BuildOptions(out=tmp_path / "site", today=TODAY, jobs=1))
    assert builder.search_shards() == ()  # no site yet: nothing is known of its pages
    assert builder.rebuild().ok
    assert [(s.folder, s.glob) for s in builder.search_shards()] == [("", "articles/**/*.{html}")]


def test_an_archive_past_the_shard_size_is_split_in_powers_of_two() -> None:
    assert [search_shards(n) for n in (0, 1, SEARCH_SHARD_PAGES)] == [1, 1, 1]
    assert search_shards(SEARCH_SHARD_PAGES + 1) == 2
    assert search_shards(2 * SEARCH_SHARD_PAGES + 1) == 4
    assert search_shards(25 * SEARCH_SHARD_PAGES) == 32


def test_each_page_in_scope_is_in_exactly_one_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "SEARCH_SHARD_PAGES", 3)
    model = load(FIXTURE, BuildOptions(out=Path("unused"), today=TODAY), BuildCache(None, "c"))
    split = shards(model.pages, model.overrides)
    in_scope = sorted(p.path for p in model.pages if p.path.startswith("articles/"))
    assert len(in_scope) == 11  # ten articles and a syndicated copy: 11 > 3 * 2, so 4 shards
    assert [s.folder for s in split] == ["", "shard-1/", "shard-2/", "shard-3/"]
    named = [s.glob.strip("{}").split(",") for s in split]
    assert named == [list(s.paths) for s in split]
    assert sorted(path for paths in named for path in paths) == in_scope
    assert all(named)  # by a hash of the path: 4, 3, 2 and 2 here
    # A page stays in its shard when another goes: an edit re-indexes the shards it touched.
    gone = split[1].paths[0]
    fewer = shards([p for p in model.pages if p.path != gone], model.overrides)
    assert [set(s.paths) for s in fewer] == [set(s.paths) - {gone} for s in split]
    # The search page merges as many as the indexer writes.
    search_page = next(p for p in model.pages if p.kind == "search")
    assert search_page.context["shards"] == len(split)


def test_a_shard_names_paths_that_are_glob_syntax_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_module, "SEARCH_SHARD_PAGES", 3)
    site = tmp_path / "site"
    names = ["a,b/", "c{d}/", "e[f]*/", "g<h>:i/", "!j/", "k/"]
    for name in [*names, "z/"]:
        (site / name).mkdir(parents=True)
        body = f"<main data-pagefind-body><h1>{name}</h1><p>words</p></main>"
        (site / name / "index.html").write_text(f"<html lang=en><body>{body}</body></html>")
    marked = _templates(tmp_path, mark_html="<main data-pagefind-body></main>")
    split = shards([Page(name, "article", "mark.html", {}) for name in names], marked)
    assert len(split) == 2
    index_site(site, split)
    counts = [
        json.loads((site / "pagefind" / s.folder / "pagefind-entry.json").read_text())
        for s in split
    ]
    # Every page named once, and "z/", named by no shard, in none.
    assert sum(c["languages"]["en"]["page_count"] for c in counts) == len(names)
    assert not (site / WORKING_FOLDER).exists()


def test_a_large_archive_is_indexed_in_shards_the_search_page_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_module, "SEARCH_SHARD_PAGES", 3)
    out = tmp_path / "site"
    assert build_fixture(out).ok
    bundles = [out / "pagefind", *(out / f"pagefind/shard-{n}" for n in (1, 2, 3))]
    entries = [json.loads((b / "pagefind-entry.json").read_text()) for b in bundles]
    assert sum(e["languages"]["en"]["page_count"] for e in entries) == 10
    assert 'data-shards="4"' in (out / "search/index.html").read_text()
    assert not (out / WORKING_FOLDER).exists()


def _inodes(out: Path, paths: Iterable[str]) -> dict[str, int]:
    return {path: (out / path).stat().st_ino for path in paths}


def _reword(project: Path) -> None:
    """One word of an article's body changed: the resumed way."""
    path = project / "articles/20-prices-03.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("prices were flat.", f"prices were {WORD}."), encoding="utf-8")


def _add(project: Path) -> None:
    """A new article, undated, on a topic of its own: the full way."""
    (project / "articles/30-harbour.md").write_text(
        "---\ntitle: The harbour reopens\nslug: harbour-reopens\nid: n001\n"
        f"topics:\n- Harbours\n---\nThe harbour {WORD} reopened on time.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(("edit", "way"), [(_reword, "resumed"), (_add, "full")])
def test_an_edit_indexes_again_only_the_shards_whose_pages_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], None], way: str
) -> None:
    monkeypatch.setattr(plan_module, "SEARCH_SHARD_PAGES", 6)
    project, out = prices_project(tmp_path), tmp_path / "site"
    options = BuildOptions(out=out, today=TODAY, jobs=1)
    assert build(project, options).ok
    folders = [s.folder for s in _split(project, options)]
    assert folders == ["", "shard-1/", "shard-2/", "shard-3/"]
    entries = [f"pagefind/{folder}pagefind-entry.json" for folder in folders]
    before = {p: p.read_bytes() for p in (out / "articles").rglob("*.html")}
    indexes = _inodes(out, entries)

    edit(project)
    result = build(project, options)
    assert result.ok and result.way == way
    assert result.rendered > 2  # pages that read the article are rendered again, too

    split = _split(project, options)
    assert [s.folder for s in split] == folders  # 21 or 22 pages, by hash: none empty
    changed = {
        p.relative_to(out).as_posix()
        for p in (out / "articles").rglob("*.html")
        if p.read_bytes() != before.get(p)
    }
    indexed = {e for e, s in zip(entries, split, strict=True) if not changed.isdisjoint(s.paths)}
    assert changed and indexed and indexed != set(entries)
    # The shards with no page changed are the last site's, linked: the same files.
    assert {e for e, i in _inodes(out, entries).items() if i != indexes[e]} == indexed
    assert result.indexed == Indexed(made=len(indexed), kept=4 - len(indexed))
    edited = next(s for s in split if any(WORD in (out / p).read_text() for p in s.paths))
    assert _indexed(out / "pagefind" / edited.folder, WORD)
    counts = [json.loads((out / e).read_text()) for e in entries]
    assert sum(c["languages"]["en"]["page_count"] for c in counts) == 20 + (way == "full")
    assert not (out / WORKING_FOLDER).exists()


def _split(project: Path, options: BuildOptions) -> tuple[Shard, ...]:
    model = load(project, options, BuildCache(None, "c"))
    return shards(model.pages, model.overrides)


def _indexed(bundle: Path, word: str) -> bool:
    return any(
        word.encode() in gzip.decompress(fragment.read_bytes())
        for fragment in (bundle / "fragment").glob("*.pf_fragment")
    )


@pytest.mark.parametrize("shard_pages", [None, 3])  # one index; four shards
def test_the_report_says_what_the_search_index_took(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shard_pages: int | None
) -> None:
    """Indexing can be most of a build: its last line says what was indexed again."""
    if shard_pages is not None:
        monkeypatch.setattr(plan_module, "SEARCH_SHARD_PAGES", shard_pages)
    project = shutil.copytree(FIXTURE, tmp_path / "project")
    monkeypatch.chdir(project)

    def last_line(*args: str) -> str:
        result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "site"), *args])
        assert result.exit_code == 0, result.output
        line: str = result.output.strip().splitlines()[-1]
        return line[line.index("(") : line.index(")") + 1]

    whole, edit = (
        ("; search index made)", "; search index made)")  # one index: made again
        if shard_pages is None
        else (
            "; search index: 4 of 4 shards made, 0 kept)",
            "; search index: 1 of 4 shards made, 3 kept)",
        )
    )
    assert last_line().endswith(" pages rendered" + whole)
    assert last_line() == "(nothing changed)"  # nothing written, nothing indexed
    record = project / "articles" / "02-inflation.md"
    record.write_text(record.read_text(encoding="utf-8").replace("were flat.", "were low."))
    assert last_line().endswith(" pages rendered" + edit)
    record.write_text(record.read_text(encoding="utf-8").replace("were low.", "were flat."))
    assert "search index" not in last_line("--no-search")


def test_a_page_kind_an_override_marks_is_indexed_too(tmp_path: Path) -> None:
    project = shutil.copytree(FIXTURE, tmp_path / "project")
    (project / "templates").mkdir()
    _templates(
        project / "templates",
        terms_html='{% extends "default/terms.html" %}{% block main %}'
        "<div data-pagefind-body>{{ super() }}</div>{% endblock %}",
    )
    out = tmp_path / "site"
    assert build_fixture(out, project).ok
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    terms = [p for p in out.rglob("*.html") if "data-pagefind-body" in p.read_text()]
    assert len(terms) > 10  # the 10 articles and the term pages of every taxonomy
    assert entry["languages"]["en"]["page_count"] == len(terms)


def test_a_failing_indexer_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    assert build_fixture(out).ok
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    broken = _fake_pagefind(tmp_path, 'echo "Error: the index is on fire" >&2\nexit 3')
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(NewsgenError, match="search: Pagefind failed: Error: the index is on fire"):
        build_fixture(out, cache=False)  # a cached build of unchanged input indexes nothing
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert not list(tmp_path.glob(".site.tmp-*")), "the staging folder is cleaned up"


def test_a_missing_indexer_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    # A copy: a build may leave a cache beside the project; the fixture stays as it is.
    monkeypatch.chdir(shutil.copytree(FIXTURE, tmp_path / "project"))
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: search: the Pagefind indexer is not installed; "
        "pip install 'pagefind[extended]', or build with --no-search"
    )
    assert not (tmp_path / "site").exists()


def test_an_indexer_that_writes_nothing_is_an_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>x</p></body></html>")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, "exit 0")))
        with pytest.raises(NewsgenError, match=r"Pagefind wrote no pagefind/pagefind-ui\.js"):
            index_site(site)


def test_no_search_builds_no_index_no_page_and_no_link(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build_fixture(out, search=False)
    assert result.ok and not result.warnings
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert not (out / "assets/search.js").exists()
    assert "/search/" not in (out / "index.html").read_text()


def test_the_no_search_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy: a build may leave a cache beside the project; the fixture stays as it is.
    monkeypatch.chdir(shutil.copytree(FIXTURE, tmp_path / "project"))
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", "--no-search", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and not (out / "pagefind").exists()


def test_search_false_in_the_config_turns_it_off(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "articles").mkdir(parents=True)
    (project / "articles/a.md").write_text("---\ntitle: A\nslug: a\n---\nSome text.\n")
    (project / "newsgen.yaml").write_text("search: false\n")
    assert build_fixture(project / "site", project).ok
    assert not (project / "site/pagefind").exists()


# In a real browser, over HTTP, with the site under /news/.


@pytest.fixture(scope="module", params=["one index", "four shards"])
def site_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    root = tmp_path_factory.mktemp("search-served")
    with serve_folder(root) as url, pytest.MonkeyPatch.context() as patch:
        # 10 articles, 3 a shard: the seed article is in shard-3, the two "Monday" articles
        # in the first and shard-1, so every search below reads a merged shard.
        if request.param == "four shards":
            patch.setattr(plan_module, "SEARCH_SHARD_PAGES", 3)
        base = url + "news/"
        result = build_fixture(root / "news", base_url=base)
        assert result.ok and not result.warnings
        yield base


@pytest.fixture(scope="module")
def page(site_url: str) -> Iterator[object]:
    with chromium_browser() as browser:
        yield browser.new_page()


def _search(page: object, site_url: str, words: str) -> list[str]:
    """Type ``words`` into the search page as a reader would; the result links, in order."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(site_url)
    page.get_by_role("link", name="Search").click()
    page.wait_for_url(site_url + "search/")
    page.get_by_role("textbox").fill(words)
    # "Searching for Monday..." then "2 results for Monday"; each result then loads its data.
    done = re.compile(r"^(\d+) results? for " + re.escape(words))
    message = page.locator(".pagefind-ui__message").filter(has_text=done)
    count = int(message.inner_text().split()[0])
    expect(page.locator(".pagefind-ui__result-link")).to_have_count(count)
    return _results(page)


def _results(page: object) -> list[str]:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    links = page.locator(".pagefind-ui__result-link")
    return [links.nth(i).get_attribute("href") or "" for i in range(links.count())]


def test_a_word_only_the_seed_article_has_finds_that_article(page: object, site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    assert _search(page, site_url, ONLY_IN_SEED) == ["/news/" + SEED]
    page.locator(".pagefind-ui__result-link").click()
    page.wait_for_url(site_url + SEED)
    assert page.title().startswith("Leaders meet in Vladivostok")


def test_a_topic_filter_narrows_the_results(page: object, site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    # "Monday" is in one Politics article and one Economy article.
    both = _search(page, site_url, "Monday")
    assert sorted(both) == [
        "/news/articles/election-date-set/",
        "/news/articles/rail-strike-north/",
    ]
    page.locator("summary", has_text="Topic").click()
    page.get_by_label("Economy").check()
    links = page.locator(".pagefind-ui__result-link")
    expect(links).to_have_count(1)
    assert _results(page) == ["/news/articles/rail-strike-north/"]


def test_a_search_can_be_linked_to(page: object, site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(site_url + "search/?q=" + ONLY_IN_SEED)
    expect(page.locator(".pagefind-ui__result-link")).to_have_count(1)
    assert _results(page) == ["/news/" + SEED]
