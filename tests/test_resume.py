"""``newsgen build`` after an edit resumes from the last full build's model (``newsgen.resume``).

Each build here is a new ``build()`` with a new cache connection, as a new process has: all it
knows of the last build is what the cache and the output folder hold. Whatever way a build
takes, its site is the clean build's, byte for byte.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from newsgen import fs, render, resume
from newsgen.build import BuildResult, build
from newsgen.cache import CACHE_DIR
from newsgen.errors import NewsgenError
from tests.helpers import record_stagings
from tests.test_build_cache import _clean, _edit, _options, _retitle, _tree, prices_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return prices_project(tmp_path)


def _build(project: Path, out: Path) -> BuildResult:
    result = build(project, _options(out, jobs=1))
    assert result.ok, result.errors
    return result


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_an_edited_body_renders_only_the_pages_that_show_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = _build(project, out)
    assert first.way == "full"
    _append(project / "articles" / "20-prices-03.md", "A late correction.")
    edited = _build(project, out)
    assert edited.way == "resumed"
    assert 0 < edited.rendered < first.files / 3
    assert "A late correction." in (out / "articles/prices-report-3/index.html").read_text()
    assert _tree(out) == _clean(project, tmp_path)
    assert _build(project, out).way == "replayed"


def test_a_retitled_article_is_retitled_everywhere_without_planning_again(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _build(project, out)
    path = project / "articles" / "20-prices-03.md"
    _retitle(path, "A retitled report")
    edited = _build(project, out)
    assert edited.way == "resumed"
    listings = [p for p in out.rglob("index.html") if "A retitled report" in p.read_text()]
    assert len(listings) > 3 and edited.rendered >= len(listings)
    assert _tree(out) == _clean(project, tmp_path)


def test_edits_one_after_another_and_one_undone_equal_clean_builds(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _build(project, out)
    articles = project / "articles"
    original = (articles / "20-prices-01.md").read_text(encoding="utf-8")
    steps: list[Callable[[], object]] = [
        lambda: _append(articles / "20-prices-01.md", "First correction."),
        lambda: _edit(articles / "02-inflation.md", "title: Inflation eases", "title: Prices ease"),
        lambda: _append(articles / "20-prices-06.md", "Second correction."),
        lambda: (articles / "20-prices-01.md").write_text(original, encoding="utf-8"),
    ]
    for n, step in enumerate(steps):
        step()
        edited = _build(project, out)
        assert edited.way == "resumed", f"step {n}"
        assert _tree(out) == _clean(project, tmp_path), f"step {n}"


def test_an_edit_undone_is_undone_on_every_page(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(project, out)
    path = project / "articles" / "20-prices-03.md"
    original = path.read_text(encoding="utf-8")
    _retitle(path, "A retitled report")
    assert _build(project, out).way == "resumed"
    path.write_text(original, encoding="utf-8")  # the record as the state holds it
    undone = _build(project, out)
    assert undone.way == "resumed" and undone.rendered > 3
    assert not [p for p in out.rglob("*.html") if "A retitled report" in p.read_text()]
    assert _tree(out) == _clean(project, tmp_path)


def test_an_edit_that_moves_an_article_takes_the_full_way_and_leaves_a_new_state(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _build(project, out)
    articles = project / "articles"
    _edit(articles / "20-prices-04.md", "date: 2024-05-14", "date: 2023-01-01")
    moved = _build(project, out)
    assert moved.way == "full"
    assert _tree(out) == _clean(project, tmp_path)
    _append(articles / "20-prices-04.md", "Now in 2023.")
    edited = _build(project, out)
    assert edited.way == "resumed"
    assert _tree(out) == _clean(project, tmp_path)


@pytest.mark.parametrize(
    ("touch", "way"),
    [
        pytest.param(
            lambda site: (site / "index.html").write_text("mine"), "full", id="page-rewritten"
        ),
        pytest.param(lambda site: (site / "robots.txt").unlink(), "full", id="page-removed"),
        # The new site is made of the pages alone: a stray never reaches it either way.
        pytest.param(
            lambda site: (site / "articles" / "extra.html").write_text("x"), "resumed", id="stray"
        ),
    ],
)
def test_an_output_folder_changed_by_hand_is_never_trusted(
    project: Path, tmp_path: Path, touch: Callable[[Path], object], way: str
) -> None:
    out = tmp_path / "site"
    _build(project, out)
    touch(out)
    _append(project / "articles" / "20-prices-02.md", "An edit.")
    edited = _build(project, out)
    assert edited.way == way
    assert _tree(out) == _clean(project, tmp_path)


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*.html")}


def _first_edit(project: Path, out: Path) -> set[str]:
    """A whole build, then an edit (no spare yet): the pages that edit wrote anew."""
    _build(project, out)
    before = _inodes(out)
    _append(project / "articles" / "20-prices-01.md", "First correction.")
    assert _build(project, out).way == "resumed"
    after = _inodes(out)
    return {page for page, inode in after.items() if before.get(page) != inode}


def test_an_edit_after_an_edit_looks_only_at_the_spares_pages_the_last_one_wrote(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare is the site before the last edit, every other page of it a hard link of the
    live one: with its folders as they were, only the pages that edit wrote are relinked."""
    out = tmp_path / "site"
    wrote = _first_edit(project, out)
    made = record_stagings(monkeypatch)
    _append(project / "articles" / "20-prices-05.md", "Second correction.")
    assert _build(project, out).way == "resumed"
    assert made and made[-1].differ is not None
    assert {p for p in made[-1].differ if p.endswith(".html")} == wrote
    assert _tree(out) == _clean(project, tmp_path)
    assert _build(project, out).way == "replayed"  # the folders' stamps it kept are right


@pytest.mark.parametrize(
    ("damage", "way"),
    [
        # Not the live file (the last edit wrote a new one): linked again from the live site.
        pytest.param(lambda spare, wrote, kept: (spare / wrote).write_text("x"), "resumed"),
        # The live file too (a hard link): the live site is not the manifest's any more.
        pytest.param(lambda spare, wrote, kept: (spare / kept).write_text("x"), "full"),
        # A folder's stamp changed: every page of the spare is looked at.
        pytest.param(
            lambda spare, wrote, kept: ((spare / kept).unlink(), (spare / kept).write_text("x")),
            "resumed",
        ),
        pytest.param(
            lambda spare, wrote, kept: (spare / kept).with_name("x.html").touch(), "resumed"
        ),
    ],
    ids=["written-page-edited", "kept-page-edited", "kept-page-replaced", "stray"],
)
def test_a_spare_changed_after_an_edit_never_reaches_the_site(
    project: Path, tmp_path: Path, damage: Callable[[Path, str, str], object], way: str
) -> None:
    out = tmp_path / "site"
    wrote = _first_edit(project, out)
    article = "articles/prices-report-1/index.html"
    kept = "articles/officials-no-comment/index.html"  # shows no prices report
    assert article in wrote and kept not in wrote
    damage(fs.spare_of(out), article, kept)
    _append(project / "articles" / "20-prices-05.md", "Second correction.")
    assert _build(project, out).way == way
    assert _tree(out) == _clean(project, tmp_path)


def test_a_new_configuration_is_a_new_frame(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(project, out)
    config = project / "newsgen.yaml"
    _edit(config, "The Fixture Times", "The Other Times")
    _append(project / "articles" / "20-prices-02.md", "An edit.")
    assert _build(project, out).way == "full"
    assert _tree(out) == _clean(project, tmp_path)


def test_a_damaged_state_is_only_a_miss(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(project, out)
    with sqlite3.connect(project / CACHE_DIR / "build.sqlite") as db:
        db.execute("UPDATE states SET data = substr(data, 1, 1000)")
    _append(project / "articles" / "20-prices-02.md", "An edit.")
    assert _build(project, out).way == "full"
    assert _tree(out) == _clean(project, tmp_path)


def test_a_resumed_build_that_fails_leaves_the_site_as_it_was(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out" / "site"
    _build(project, out)
    before = _tree(out)
    path = project / "articles" / "20-prices-03.md"
    _retitle(path, "A retitled report")
    written: list[str] = []
    real_write = fs.PageWriter.write

    def fail_third(writer: fs.PageWriter, name: str, data: bytes) -> os.stat_result:
        if len(written) == 2:
            raise NewsgenError(f"disk full while writing {name}")
        written.append(name)
        return real_write(writer, name, data)

    monkeypatch.setattr(fs.PageWriter, "write", fail_third)
    with pytest.raises(NewsgenError, match="disk full"):
        build(project, _options(out, jobs=1))
    monkeypatch.undo()
    assert len(written) == 2
    assert _tree(out) == before
    assert {p.name for p in out.parent.iterdir()} <= {".site.lock", ".site.spare", "site"}
    mended = _build(project, out)
    assert mended.way == "resumed"
    assert _tree(out) == _clean(project, tmp_path)


def test_a_draft_edited_changes_no_page(project: Path, tmp_path: Path) -> None:
    articles = project / "articles"
    shutil.copy(articles / "20-prices-05.md", articles / "30-draft.md")
    _edit(articles / "30-draft.md", "prices-report-5", "a-draft")
    _edit(articles / "30-draft.md", "id: p005", "id: d001\ndraft: true")
    out = tmp_path / "site"
    _build(project, out)
    _append(articles / "30-draft.md", "Not yet.")
    edited = _build(project, out)
    assert edited.way == "resumed" and edited.rendered == 0
    assert _tree(out) == _clean(project, tmp_path)


def test_a_resumed_build_finds_its_templates_compiled_by_the_build_before(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are kept in the cache for the next process; a damaged one is
    compiled again, never a failure."""
    out = tmp_path / "site"
    _build(project, out)
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counted(env: jinja2.Environment, source: str, name: str | None = None, *a: Any) -> Any:
        compiled.append(name or "")
        return compile_(env, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    monkeypatch.setattr(render._COMPILED, "_code", {})  # as in a new process
    _append(project / "articles" / "20-prices-03.md", "A late correction.")
    assert _build(project, out).way == "resumed"
    assert compiled == []
    monkeypatch.setattr(render._COMPILED, "_code", {})
    for kept in (project / CACHE_DIR / "templates").iterdir():
        kept.write_bytes(kept.read_bytes()[:40])  # cut short: the format holds, the code not
    _append(project / "articles" / "20-prices-03.md", "Another correction.")
    assert _build(project, out).way == "resumed"
    assert "article.html" in compiled
    assert _tree(out) == _clean(project, tmp_path)


def test_an_archive_past_the_state_limit_keeps_no_state(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resume, "MAX_RECORDS", 5)  # the memory a state costs: see resume.py
    out = tmp_path / "site"
    _build(project, out)
    _append(project / "articles" / "20-prices-03.md", "A late correction.")
    assert _build(project, out).way == "full"
    assert _tree(out) == _clean(project, tmp_path)


def test_newsgen_build_in_new_processes_says_what_it_did(project: Path, tmp_path: Path) -> None:
    """The real thing: each build its own process, and the report's last line tells a
    whole build, an edit and a build with nothing to do apart."""

    def newsgen_build() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "newsgen", "build", "--out", "site", "--no-search"],
            cwd=project,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1735603200"},  # all but one published
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert re.search(r"\((\d+) of \1 pages rendered\)", newsgen_build())
    _append(project / "articles" / "20-prices-03.md", "A late correction.")
    assert re.search(r"\(an edit: [1-9]\d* of \d+ pages rendered\)", newsgen_build())
    assert "(nothing changed)" in newsgen_build()
