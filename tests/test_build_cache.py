"""Parallel, cached and incremental builds: the same bytes as a clean serial build, always.

Every test compares whole trees with a clean build (no cache, one process) of the same
project, and a cache that would be stale (templates, configuration, a record edited within
one mtime tick, a corrupt file, a tampered entry) must never show in the output.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import re
import shutil
import sqlite3
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2.bccache
import pytest

from newsgen import fs, stamps
from newsgen.build import BuildOptions, BuildResult, build
from newsgen.cache import CACHE_DIR, BuildCache, PageEntry
from newsgen.errors import NewsgenError
from newsgen.hashing import code_digest
from newsgen.incremental import Builder
from tests.helpers import FIXTURE, TODAY


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _options(out: Path, **options: object) -> BuildOptions:
    # Without the search index: Pagefind writes its filter files in a different order on
    # each run (Pagefind issue #638), and these tests are about newsgen's own output.
    options.setdefault("search", False)
    return BuildOptions(out=out, today=TODAY, **options)  # type: ignore[arg-type]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return prices_project(tmp_path)


def prices_project(tmp_path: Path) -> Path:
    """A copy of the golden fixture plus a few more articles, so listings have pages."""
    copy = tmp_path / "project"
    shutil.copytree(FIXTURE, copy, ignore=shutil.ignore_patterns(CACHE_DIR))
    source = (copy / "articles" / "02-inflation.md").read_text(encoding="utf-8")
    for n in range(10):
        text = source.replace("inflation-eases-third-month", f"prices-report-{n}")
        text = text.replace("id: f002", f"id: p{n:03d}").replace(
            "2024-03-05", f"2024-0{n % 9 + 1}-1{n % 9}"
        )
        text = text.replace("Food prices fell.", f"Food prices fell in region {n}.")
        (copy / "articles" / f"20-prices-{n:02d}.md").write_text(text, encoding="utf-8")
    return copy


def _clean(project: Path, tmp_path: Path, name: str = "clean") -> dict[str, bytes]:
    out = tmp_path / name
    shutil.rmtree(out, ignore_errors=True)
    result = build(project, _options(out, jobs=1, cache=False))
    assert result.ok, result.errors
    return _tree(out)


def _retitle(path: Path, title: str) -> None:
    """Give the record at ``path`` a new title."""
    old = next(line for line in path.read_text("utf-8").splitlines() if "title:" in line)
    _edit(path, old, f"title: {title}")


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the article files read from now on, in order."""
    reads: list[str] = []
    read_article = fs.read_article

    def counted(path: Path, name: str, real_root: Path, found: fs.Sources) -> None:
        reads.append(name)
        read_article(path, name, real_root, found)

    monkeypatch.setattr(fs, "read_article", counted)
    return reads


def _cached(project: Path, out: Path) -> BuildResult:
    result = build(project, _options(out, jobs=1))
    assert result.ok, result.errors
    return result


def test_serial_parallel_and_cached_builds_are_byte_identical(
    project: Path, tmp_path: Path
) -> None:
    clean = _clean(project, tmp_path)
    assert len(clean) > 80

    forked = build(project, _options(tmp_path / "forked", jobs=2, cache=False))
    assert forked.ok and forked.rendered == forked.files
    assert _tree(tmp_path / "forked") == clean

    # Spawned workers inherit nothing: each loads the project from the job's spec, as a
    # remote (Dask) worker would.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        spawned = build(project, _options(tmp_path / "spawned", cache=False), pool)
    assert spawned.ok
    assert _tree(tmp_path / "spawned") == clean

    out = tmp_path / "cached"
    first = _cached(project, out)
    assert first.rendered == first.files
    again = _cached(project, out)
    assert again.rendered == 0  # every page kept, none rendered
    assert _tree(out) == clean
    assert (project / CACHE_DIR).is_dir()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_rerenders_the_pages_that_show_it_and_no_others(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    first = _cached(project, out)
    path = project / "articles" / "20-prices-03.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA late correction.\n", "utf-8")
    edited = _cached(project, out)
    assert 0 < edited.rendered < first.files / 3
    assert "A late correction." in (out / "articles/prices-report-3/index.html").read_text()
    assert _tree(out) == _clean(project, tmp_path)


def test_a_retitled_article_is_retitled_on_every_listing_that_shows_it(
    project: Path, tmp_path: Path
) -> None:
    # A teaser is rendered once per build and reused on every listing (the ``once`` filter):
    # each listing must still record that it shows the article, or it would keep the old title.
    out = tmp_path / "site"
    _cached(project, out)
    path = project / "articles" / "20-prices-03.md"
    _retitle(path, "A retitled report")
    edited = _cached(project, out)
    listings = [p for p in out.rglob("index.html") if "A retitled report" in p.read_text()]
    assert len(listings) > 3 and edited.rendered >= len(listings)
    assert _tree(out) == _clean(project, tmp_path)


def test_a_cached_build_after_any_kind_of_edit_equals_a_clean_build(
    project: Path, tmp_path: Path
) -> None:
    """``newsgen build`` with the cache of the previous build, after each kind of edit."""
    out = tmp_path / "site"
    _cached(project, out)
    articles = project / "articles"

    def edit(name: str, old: str, new: str) -> None:
        _edit(articles / name, old, new)

    steps: list[Callable[[], object]] = [
        lambda: edit("02-inflation.md", "title: Inflation eases for", "title: Inflation slows for"),
        lambda: edit("20-prices-02.md", "- Economy", "- Markets"),  # a new topic
        lambda: edit("02-inflation.md", "Christine Lagarde", "Isabel Schnabel"),  # a person
        lambda: edit("20-prices-04.md", "date: 2024-05-14", "date: 2023-01-01"),  # moves
        lambda: shutil.copy(articles / "20-prices-07.md", articles / "21-copy.md"),  # a clash
        lambda: edit("21-copy.md", "prices-report-7", "prices-report-new"),
        lambda: (articles / "20-prices-08.md").unlink(),
    ]
    for n, step in enumerate(steps):
        step()
        edited = _cached(project, out)
        assert edited.rendered > 0, f"step {n}"
        assert _tree(out) == _clean(project, tmp_path), f"step {n}"


def test_a_changed_template_is_never_served_from_the_cache(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _cached(project, out)
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}\n'
        "{% block related %}<p>Overridden related block</p>{% endblock %}\n",
        encoding="utf-8",
    )
    _cached(project, out)
    tree = _tree(out)
    assert b"Overridden related block" in tree["articles/prices-report-3/index.html"]
    assert tree == _clean(project, tmp_path)


def test_after_a_template_change_the_last_manifest_is_not_read(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page's fingerprint starts from the code, templates and configuration: once they
    changed, no page of the last site can be kept, and its manifest (176,000 entries at
    100,000 articles) is not read at all."""
    out = tmp_path / "site"
    _cached(project, out)
    reads: list[str] = []
    pages = BuildCache.pages

    def counted(self: BuildCache, out: str) -> dict[str, PageEntry]:
        reads.append(out)
        return pages(self, out)

    monkeypatch.setattr(BuildCache, "pages", counted)
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}\n{% block related %}<p>New</p>{% endblock %}\n',
        encoding="utf-8",
    )
    result = _cached(project, out)
    assert reads == []
    assert result.rendered == result.files
    assert _tree(out) == _clean(project, tmp_path)


def _manifest(project: Path, out: Path) -> dict[str, tuple[object, ...]]:
    """What the cache keeps of each page of ``out``, but the mtime (when it was written)."""
    cache = BuildCache(project / CACHE_DIR, code_digest())
    try:
        pages = cache.pages(str(out.absolute()))
    finally:
        cache.close()
    return {path: (e.fingerprint, e.keys, e.size, e.problems) for path, e in pages.items()}


def test_a_build_that_keeps_pages_leaves_the_manifest_a_whole_build_writes(
    project: Path, tmp_path: Path
) -> None:
    """The rows of kept pages stand, rendered pages' rows are new, removed pages' rows go,
    and a kept page's broken links are those found again when the set of files changed."""
    out = tmp_path / "site"
    weather = project / "articles" / "09-no-topic.md"  # no topic, no entities: kept below
    _edit(weather, "no entities.", "no entities. [A report](../prices-report-3/).")
    _cached(project, out)
    (project / "articles" / "20-prices-03.md").unlink()  # its pages go; the link breaks
    _edit(project / "articles" / "20-prices-04.md", "2024-05-14", "2024-05-15")  # new order
    result = _cached(project, out)
    assert result.way == "full" and 0 < result.rendered < result.files
    assert any("prices-report-3" in str(w) for w in result.warnings)
    assert _manifest(project, out) == _manifest(project, _whole(project, tmp_path))
    assert len(_manifest(project, out)) == result.files


def _whole(project: Path, tmp_path: Path) -> Path:
    """A cached build of ``project`` into a new folder: every page rendered."""
    out = tmp_path / "whole"
    result = _cached(project, out)
    assert result.rendered == result.files
    return out


def test_a_changed_configuration_is_never_served_from_the_cache(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _cached(project, out)
    config = project / "newsgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("The Fixture Times", "The Other Times"),
        encoding="utf-8",
    )
    _cached(project, out)
    tree = _tree(out)
    assert b"The Other Times" in tree["index.html"]
    assert tree == _clean(project, tmp_path)


def test_a_record_edited_within_one_mtime_tick_is_read_again(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _cached(project, out)
    path = project / "articles" / "20-prices-05.md"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("Food prices fell", "Fuel prices fell")
    assert len(edited) == len(text) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    _cached(project, out)
    page = (out / "articles/prices-report-5/index.html").read_text(encoding="utf-8")
    assert "Fuel prices fell" in page
    assert _tree(out) == _clean(project, tmp_path)


def test_a_corrupt_cache_file_only_costs_time(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _cached(project, out)
    (project / CACHE_DIR / "build.sqlite").write_bytes(b"not a database" * 100)
    result = _cached(project, out)
    assert result.rendered == result.files
    assert _tree(out) == _clean(project, tmp_path)
    assert _cached(project, out).rendered == 0  # and the cache works again


def test_tampered_cache_entries_and_output_files_are_not_trusted(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _cached(project, out)
    with sqlite3.connect(project / CACHE_DIR / "build.sqlite") as db:
        db.execute("UPDATE markdown SET html = '<p>tampered</p>'")
        db.execute("UPDATE records SET article = x'00'")
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    shutil.rmtree(out / "articles")  # these pages must be rendered again, from their bodies
    _cached(project, out)
    tree = _tree(out)
    assert not any(b"tampered" in data for data in tree.values())
    assert tree == _clean(project, tmp_path)


def test_a_summary_of_another_shape_is_only_a_miss(project: Path, tmp_path: Path) -> None:
    """A summary pickled by another version of newsgen, its folder stamps packed as a
    tuple (one of them once held folder names joined by NUL), is not trusted, not a crash."""
    out = tmp_path / "site"
    _cached(project, out)
    with sqlite3.connect(project / CACHE_DIR / "build.sqlite") as db:
        ((data,),) = db.execute("SELECT summary FROM site").fetchall()
        summary = pickle.loads(data)
        packed = ("\0".join(summary.folders), b"", b"")
        other = dataclasses.replace(summary, folders=packed, spare_folders=packed)
        db.execute("UPDATE site SET summary=?", (pickle.dumps(other),))
    _retitle(project / "articles" / "02-inflation.md", "Inflation, retitled")
    _cached(project, out)
    assert _tree(out) == _clean(project, tmp_path)


@pytest.mark.parametrize(
    "change",
    ["a stray file", "a stray folder", "a page removed", "a page edited", "a page as a symlink"],
)
def test_a_no_change_build_replays_only_an_intact_site(
    project: Path, tmp_path: Path, change: str
) -> None:
    """With nothing changed the last build's report is replayed and nothing is written, but
    only while the output folder holds exactly what that build wrote."""
    out = tmp_path / "site"
    _cached(project, out)
    page = out / "articles/prices-report-3/index.html"
    again = _cached(project, out)
    assert again.rendered == 0 and again.seconds < 5
    clean = _clean(project, tmp_path)
    if change == "a stray file":
        (out / "articles/prices-report-3/notes.txt").write_text("mine", encoding="utf-8")
    elif change == "a stray folder":
        (out / "people/new").mkdir()
        (out / "people/new/index.html").write_text("mine", encoding="utf-8")
    elif change == "a page removed":
        page.unlink()
    elif change == "a page edited":
        page.write_bytes(page.read_bytes().replace(b"<html", b"<HTML", 1))
    else:
        moved = tmp_path / "elsewhere.html"
        page.rename(moved)
        page.symlink_to(moved)
    _cached(project, out)
    assert _tree(out) == clean, change  # a replay would have left the change in place
    assert not page.is_symlink()


def test_deleting_the_cache_changes_nothing(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _cached(project, out)
    shutil.rmtree(project / CACHE_DIR)
    shutil.rmtree(out)
    _cached(project, out)
    assert _tree(out) == _clean(project, tmp_path)


def test_the_incremental_builder_matches_a_clean_build_after_every_edit(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    builder = Builder(project, _options(out, jobs=1))
    first = builder.rebuild()
    assert first.ok and first.rendered == first.files
    articles = project / "articles"

    def edit(name: str, old: str, new: str) -> list[Path]:
        _edit(articles / name, old, new)
        return [articles / name]

    def add() -> list[Path]:
        shutil.copy(articles / "20-prices-07.md", articles / "21-copy.md")
        return edit("21-copy.md", "prices-report-7", "prices-report-new")

    def delete() -> list[Path]:
        (articles / "20-prices-08.md").unlink()
        return [articles / "20-prices-08.md"]

    def unreported() -> list[Path]:
        edit("20-prices-09.md", "Food prices fell", "Food prices rose sharply")
        return []  # not reported: the changed size and mtime are still noticed

    steps = [
        lambda: edit("20-prices-01.md", "Food prices fell", "Bread prices fell"),
        lambda: edit("20-prices-02.md", "- Economy", "- Markets"),  # a new topic
        lambda: edit("20-prices-04.md", "date: 2024-05-14", "date: 2023-01-01"),  # moves
        lambda: edit("02-inflation.md", "Christine Lagarde", "Isabel Schnabel"),  # a person
        add,
        delete,
        unreported,
    ]
    for n, step in enumerate(steps):
        result = builder.rebuild(step())
        assert result.ok, result.errors
        if step in (steps[0], unreported):  # a body edit: only the pages that show it
            assert 0 < result.rendered < result.files / 3
        assert _tree(out) == _clean(project, tmp_path), f"after step {n}"
    builder.close()


def test_a_complete_list_of_changes_is_all_the_builder_reads(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``complete`` (serve's watcher names every saved record) the builder reads the
    named records, drops the deleted ones and adds the new ones, and looks at no other."""
    out = tmp_path / "site"
    builder = Builder(project, _options(out, jobs=1))
    assert builder.rebuild().ok
    articles = project / "articles"
    reads = _count_reads(monkeypatch)
    _edit(articles / "20-prices-01.md", "Food prices fell", "Bread prices fell")
    assert builder.rebuild([articles / "20-prices-01.md"], complete=True).ok
    assert reads == ["articles/20-prices-01.md"] and builder.short
    assert _tree(out) == _clean(project, tmp_path)
    shutil.copy(articles / "20-prices-07.md", articles / "21-copy.md")
    _edit(articles / "21-copy.md", "prices-report-7", "prices-report-new")
    (articles / "20-prices-08.md").unlink()
    reads.clear()
    changed = [articles / "21-copy.md", articles / "20-prices-08.md"]
    assert builder.rebuild(changed, complete=True).ok
    assert reads == ["articles/21-copy.md"]
    assert _tree(out) == _clean(project, tmp_path)
    # A change to anything but records (here the configuration) looks at every record
    # again: one saved at the same time and not named is still noticed.
    reads.clear()
    config = project / "newsgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _edit(articles / "20-prices-02.md", "Food prices fell", "Rent fell")
    assert builder.rebuild([config], complete=True).ok
    assert reads == ["articles/20-prices-02.md"]
    assert _tree(out) == _clean(project, tmp_path)
    builder.close()


def test_the_first_save_finds_templates_compiled_and_readers_indexed(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full way renders in workers; the builder then compiles the templates in its own
    process and indexes the pages' readers, so serve's first save does neither. A template
    that no page uses and that does not compile stops nothing."""
    from newsgen import render

    monkeypatch.setattr(render._COMPILED, "_code", {})  # as in a new serve process
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "unused.html").write_text("{% if %}", encoding="utf-8")
    out = tmp_path / "site"
    builder = Builder(project, _options(out, jobs=2))
    assert builder.rebuild().ok
    compiled: list[str] = []
    dump = render._COMPILED.dump_bytecode

    def counted(bucket: jinja2.bccache.Bucket) -> None:
        compiled.append(bucket.key)
        dump(bucket)

    monkeypatch.setattr(render._COMPILED, "dump_bytecode", counted)
    articles = project / "articles"
    _edit(articles / "20-prices-01.md", "Food prices fell", "Bread prices fell")
    assert builder.rebuild([articles / "20-prices-01.md"], complete=True).ok
    assert builder.short and compiled == []
    assert _tree(out) == _clean(project, tmp_path)
    builder.close()


def _notes(result: BuildResult) -> list[tuple[str, str | None, int | None]]:
    return [(w.message, w.path, w.line) for w in result.warnings]


def test_edits_only_templates_read_take_the_short_way_and_match_a_clean_build(
    project: Path, tmp_path: Path
) -> None:
    """Title, kicker, byline, summary and body reach other pages only through templates:
    the builder renders the pages that read the article, without planning again. Anything
    the archive groups or orders by (a quote, a date) takes the full way. Either way the
    site, and the warnings, are a clean build's."""
    out = tmp_path / "site"
    builder = Builder(project, _options(out, jobs=1))
    builder.rebuild()
    articles = project / "articles"

    def edit(name: str, old: str, new: str) -> list[Path]:
        _edit(articles / name, old, new)
        return [articles / name]

    def one(name: str, old: str, new: str) -> Callable[[], list[Path]]:
        return lambda: edit(name, old, new)

    steps = [
        # In listings, feeds, related articles and the reposted duplicate's page.
        (one("02-inflation.md", "title: Inflation eases for", "title: Inflation slows for"), True),
        (one("01-summit.md", "Leaders meet in Vladivostok", "Leaders gather in Vladivostok"), True),
        (one("08-undated.md", "byline: Unknown", "byline: A. Reader"), True),
        (one("02-inflation.md", "summary: Consumer prices", "summary: Shop prices"), True),
        (one("20-prices-05.md", "Food prices fell", "Fuel prices fell"), True),
        # Two records in one save, one of them a draft that no page shows.
        (
            lambda: (
                edit("10-draft.md", "title: A draft", "title: Still a draft")
                + edit("12-duplicate.md", "(reposted)", "(syndicated)")
            ),
            True,
        ),
        # The same article in other bytes: nothing to render, and the next edit still short.
        (one("20-prices-05.md", "slug: prices-report-5", "slug: prices-report-5  # kept"), True),
        (one("20-prices-05.md", "title: ", "title: Revised "), True),
        (one("20-prices-05.md", "title: Revised ", "title: "), True),  # back as it was
        (one("02-inflation.md", "not declaring victory", "not yet declaring victory"), False),
        (one("20-prices-06.md", "kicker: Prices", "kicker: Costs"), True),  # after the full way
        (one("20-prices-06.md", "date: 2024-07-16", "date: 2024-07-17"), False),  # a new order
    ]
    for n, (changed, short) in enumerate(steps):
        result = builder.rebuild(changed())
        assert result.ok, result.errors
        assert builder.short is short, f"step {n}"
        assert (result.rendered == 0) is (n == 6), f"step {n}"
        clean = build(project, _options(tmp_path / "clean", jobs=1, cache=False))
        assert _notes(result) == _notes(clean), f"step {n}"
        assert _tree(out) == _tree(tmp_path / "clean"), f"step {n}"
        assert not list(out.rglob("*.tmp-*")), "a temporary file left in the site"
    builder.close()


def test_a_short_way_rebuild_that_fails_leaves_the_site_as_it_was(
    project: Path, tmp_path: Path
) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}{% block main %}'
        '{% if article.title == "Boom" %}{{ no_such_value }}{% endif %}{{ super() }}'
        "{% endblock %}",
        encoding="utf-8",
    )
    out = tmp_path / "site"
    builder = Builder(project, _options(out, jobs=1))
    assert builder.rebuild().ok
    before = _tree(out)
    path = project / "articles" / "20-prices-02.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("\ntitle: ", "\ntitle: Fresh ", 1), encoding="utf-8")
    assert builder.rebuild([path]).ok and builder.short
    assert _tree(out) != before
    before = _tree(out)
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Boom", good), encoding="utf-8")
    with pytest.raises(NewsgenError, match="no_such_value"):
        builder.rebuild([path])
    assert _tree(out) == before  # not a page changed, and no temporary file left
    path.write_text(good, encoding="utf-8")
    builder.rebuild([path])
    assert _tree(out) == _clean(project, tmp_path)
    builder.close()


def test_a_record_known_by_its_stamp_is_not_read_and_any_edit_is(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Size, mtime, ctime, inode and device tell an unchanged record without reading it; an
    edit that puts size and mtime back still changes the ctime."""
    monkeypatch.setattr(stamps, "RACY_NS", 0)  # trust stamps of files written just now
    out = tmp_path / "site"
    _cached(project, out)
    reads = _count_reads(monkeypatch)
    _cached(project, out)
    assert reads == []
    path = project / "articles" / "20-prices-05.md"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Food prices fell", "Fuel prices fell"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    _cached(project, out)
    assert set(reads) == {"articles/20-prices-05.md"}  # read to hash it, then to parse it
    assert _tree(out) == _clean(project, tmp_path)
    # The cache lost its parsed records (and the model a build resumes from, which holds
    # them too): the files it knew are read after all.
    with sqlite3.connect(project / CACHE_DIR / "build.sqlite") as db:
        db.execute("UPDATE records SET article = x'00'")
        db.execute("DELETE FROM states")
    path.write_text(text, encoding="utf-8")
    reads.clear()
    _cached(project, out)
    assert len(set(reads)) == len(list((project / "articles").glob("*.md")))
    assert _tree(out) == _clean(project, tmp_path)


def test_a_first_build_reads_each_record_once_and_leaves_what_the_next_build_needs(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no last site, the records are only listed before the parse workers read and
    hash them: each file is read once, bad files are reported as a build that reads them
    first reports them, and the next build knows every record by its stamp and replays."""
    monkeypatch.setattr(stamps, "RACY_NS", 0)
    (project / "articles" / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (project / "articles" / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\nBody.\n")
    uncached = build(project, _options(tmp_path / "uncached", jobs=1, cache=False))

    def report(result: BuildResult) -> list[tuple[str, str | None, int | None]]:
        return [(e.message, e.path, e.line) for e in (*result.errors, *result.warnings)]

    reads = _count_reads(monkeypatch)
    out = tmp_path / "site"
    first = build(project, _options(out, jobs=1))
    records = sorted(f"articles/{p.name}" for p in (project / "articles").glob("*.md"))
    assert sorted(reads) == records  # once each: listed, then read by the parse step
    assert report(first) == report(uncached) and len(first.errors) == 1
    assert _tree(out) == _tree(tmp_path / "uncached")
    reads.clear()
    again = build(project, _options(out, jobs=1))
    assert again.way == "replayed" and report(again) == report(first)
    assert reads == ["articles/binary.md", "articles/latin1.md"]  # no digest: read again


def test_a_damaged_stamp_row_only_costs_a_read_of_its_file(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stamp row whose digest is not what was written (its checksum tells) is not trusted:
    the file is read and hashed again, never taken for another text."""
    monkeypatch.setattr(stamps, "RACY_NS", 0)
    out = tmp_path / "site"
    _cached(project, out)
    with sqlite3.connect(project / CACHE_DIR / "build.sqlite") as db:
        db.execute("UPDATE stamps SET digest = 'x' || substr(digest, 2) WHERE name LIKE '%-05.md'")
    reads = _count_reads(monkeypatch)
    result = _cached(project, out)
    assert reads == ["articles/20-prices-05.md"] and result.way == "replayed"
    assert _tree(out) == _clean(project, tmp_path)


def test_a_record_changed_after_its_stamp_was_trusted_is_an_error(
    project: Path, tmp_path: Path
) -> None:
    path = project / "articles" / "20-prices-05.md"
    cache = BuildCache(None, "code")
    unread = fs.SourceText("articles/20-prices-05.md", "", "another digest", str(path))
    with pytest.raises(NewsgenError, match="changed while the site was being built"):
        stamps.text_of(unread, cache)
    text = path.read_text(encoding="utf-8")
    known = fs.SourceText(unread.name, "", cache.record_digest(unread.name, text), str(path))
    assert stamps.text_of(known, cache) == text


def test_a_whole_build_leaves_the_markdown_cache_only_its_own_bodies(
    project: Path, tmp_path: Path
) -> None:
    """Entries of bodies edited away (or of another newsgen version) do not pile up."""

    def bodies_cached() -> int:
        with sqlite3.connect(project / CACHE_DIR / "build.sqlite") as db:
            return int(db.execute("SELECT count(*) FROM markdown").fetchone()[0])

    out = tmp_path / "site"
    first = _cached(project, out)
    kept = bodies_cached()
    assert 0 < kept <= first.health.articles
    articles = project / "articles"
    for n in range(3):  # three bodies edited, and a date that moves: the whole way
        path = articles / f"20-prices-0{n}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\nEdit {n}.\n", encoding="utf-8")
    _edit(articles / "20-prices-04.md", "date: 2024-05-14", "date: 2023-01-01")
    assert _cached(project, out).way == "full"
    assert bodies_cached() == kept
    assert _tree(out) == _clean(project, tmp_path)
