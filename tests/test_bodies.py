"""Bodies left in their record files: the build holds metadata, and reads a body where a page
prints it; a record changed in between is an error naming it, never a stale page."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen import bodies, fs, renderjob
from newsgen.build import BuildOptions, Model, build
from newsgen.cache import BuildCache
from newsgen.errors import NewsgenError
from newsgen.model import Article
from newsgen.parsejob import parse_records
from newsgen.records import body_of, load_article
from tests.helpers import FIXTURE, TODAY, build_fixture

RECORD = "articles/02-inflation.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(FIXTURE, copy, ignore=shutil.ignore_patterns(".newsgen-cache"))
    return copy


def test_body_of_is_the_body_load_article_reads_for_every_fixture_record() -> None:
    for path in sorted((FIXTURE / "articles").glob("*.md")):
        text = path.read_bytes().decode("utf-8-sig")
        assert body_of(text) == load_article(text, path.name).body, path.name


@given(
    st.text(st.sampled_from("ab -\n\r\t#>*[]\ufeff"), max_size=80),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_body_of_agrees_with_load_article_on_any_body(body: str, newline: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + newline.join(["---", "title: T", "slug: s", "---", body])
    try:
        expected = load_article(text, "x.md").body
    except NewsgenError:
        return  # not a record (a '---' line in the body may close the front matter oddly)
    assert body_of(text) == expected


def test_an_article_without_its_body_reads_it_from_its_record(project: Path) -> None:
    text = (project / RECORD).read_text(encoding="utf-8")
    article = load_article(text, RECORD)
    held = bodies.without_body(article, RECORD)
    assert held.body == "" and held.body_ref is not None and held.body_ref.record == RECORD
    assert bodies.body_text(held, project) == article.body
    assert bodies.body_digest(held) == bodies.body_digest(article)


def test_a_record_changed_since_it_was_parsed_is_an_error_naming_it(project: Path) -> None:
    path = project / RECORD
    held = bodies.without_body(load_article(path.read_text(encoding="utf-8"), RECORD), RECORD)
    path.write_text(path.read_text(encoding="utf-8") + "\nA late correction.\n", encoding="utf-8")
    with pytest.raises(NewsgenError, match="changed while the site was being built") as caught:
        bodies.body_text(held, project)
    assert caught.value.path == RECORD
    path.unlink()
    with pytest.raises(NewsgenError) as caught:
        bodies.body_text(held, project)
    assert caught.value.path == RECORD


def test_parse_workers_read_unread_sources_and_refuse_changed_ones(project: Path) -> None:
    cache = BuildCache(None, "code")
    held, unread = [], []
    for path in sorted((project / "articles").glob("*.md")):
        name, text = f"articles/{path.name}", path.read_text(encoding="utf-8")
        held.append(fs.SourceText(name, text))
        unread.append(fs.SourceText(name, "", cache.record_digest(name, text), str(path)))
    # The first one's digest is not its text's: it changed after it was hashed.
    unread[0] = dataclasses.replace(unread[0], digest="a stale digest")
    from_texts = parse_records(held, 1, cache.code)
    from_files = parse_records(unread, 1, cache.code)
    assert [_plain(r) for r in from_files[1:]] == [_plain(r) for r in from_texts[1:]]
    stale = from_files[0]
    assert isinstance(stale, NewsgenError) and stale.path == unread[0].name
    assert "changed while the site was being built" in stale.message
    articles = [r[0] for r in from_texts if isinstance(r, tuple)]
    assert articles and all(a.body == "" and a.body_ref is not None for a in articles)


def _plain(result: object) -> object:
    if isinstance(result, NewsgenError):
        return (result.message, result.path, result.line)
    assert isinstance(result, tuple)
    return result[0], [(w.message, w.path, w.line) for w in result[1]]


def test_the_planned_model_holds_no_bodies(project: Path, tmp_path: Path) -> None:
    seen: list[Article] = []

    def planned(model: Model) -> None:
        seen.extend(model.archive.articles)

    result = build(project, BuildOptions(out=tmp_path / "site", today=TODAY), planned=planned)
    assert result.ok and seen
    assert all(a.body == "" and a.body_ref is not None for a in seen)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_body_changed_between_planning_and_rendering_fails_the_build_naming_it(
    project: Path, tmp_path: Path, jobs: int
) -> None:
    out = tmp_path / "site"
    first = build_fixture(out, project, search=False)
    assert first.ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    shutil.rmtree(project / ".newsgen-cache")  # no cached HTML: every body is read again
    path = project / RECORD

    def edit(model: Model) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Food prices fell", "Fuel prices fell"), encoding="utf-8")

    options = BuildOptions(out=out, today=TODAY, search=False, jobs=jobs)
    with pytest.raises(NewsgenError, match="changed while the site was being built") as caught:
        build(project, options, planned=edit)
    assert caught.value.path == RECORD
    # The previous site stays as it was: no page with the old title and the new body.
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_body_whose_html_is_cached_is_not_read_again(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_fixture(tmp_path / "one", project, search=False, jobs=1).ok
    reads: list[str] = []
    body_text = bodies.body_text

    def counted(article: Article, root: Path) -> str:
        reads.append(article.slug)
        return body_text(article, root)

    monkeypatch.setattr(renderjob, "body_text", counted)
    # Another output folder: every page is rendered, and every body's HTML is in the cache.
    again = build_fixture(tmp_path / "two", project, search=False, jobs=1)
    assert again.ok and again.rendered == again.files
    assert reads == []
    for page in (tmp_path / "one").rglob("*.html"):
        assert (tmp_path / "two" / page.relative_to(tmp_path / "one")).read_bytes() == (
            page.read_bytes()
        )
