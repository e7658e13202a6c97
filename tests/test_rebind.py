"""The incremental builder's short way, as pure functions: ``swap`` gives the archive that
``make_archive`` gives, and ``Rebinder`` the contexts that ``plan`` gives, for an edit to the
fields only templates read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from newsgen.archive import make_archive
from newsgen.build import BuildOptions, Model, load
from newsgen.cache import BuildCache
from newsgen.dates import zone
from newsgen.model import Article
from newsgen.plan import TEMPLATE_ONLY, Urls, article_page, plan
from newsgen.rebind import Rebinder, Unknown, shape, swap
from tests.helpers import FIXTURE, TODAY

SLUGS = ["inflation-eases-third-month", "leaders-meet-in-vladivostok", "letter-from-the-archives"]


def _model() -> Model:
    return load(FIXTURE, BuildOptions(out=Path("unused"), today=TODAY), BuildCache(None, "code"))


def _edited(article: Article) -> Article:
    return dataclasses.replace(
        article,
        title=article.title + " (updated)",
        body=article.body + "\n\nA correction.",
        kicker="Update",
        byline="A. Reader",
        summary="Shorter.",
        word_count=article.word_count + 2,
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_swap_gives_the_archive_make_archive_gives(slug: str) -> None:
    model = _model()
    old = next(a for a in model.archive.articles if a.slug == slug)
    new = _edited(old)
    assert shape(new) == shape(old)
    articles = [new if a is old else a for a in model.archive.articles]
    rebuilt = make_archive(articles, zone(model.config.timezone))
    swapped = swap(model.archive, {id(old): new})
    assert swapped == rebuilt  # dataclass equality: every article, term and mapping by value
    assert swapped is not None and all(
        a is not old for t in swapped.taxonomies["topics"].terms for a in t.articles
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_moved_contexts_are_the_plan_of_the_new_archive(slug: str) -> None:
    model = _model()
    old = next(a for a in model.archive.articles if a.slug == slug)
    new = _edited(old)
    swapped = swap(model.archive, {id(old): new})
    assert swapped is not None
    planned = plan(swapped, model.config)
    own = article_page(swapped, Urls(model.config), new)
    moved = Rebinder(swapped).pages(model.pages)
    assert [p.path for p in moved] == [p.path for p in planned]
    for before, after in zip(moved, planned, strict=True):
        if after.path == own.path:
            assert after == own  # the one context the short way plans again
            assert before != after  # its title is a plain value in the context
        else:
            assert before == after


def test_a_field_outside_the_templates_changes_the_shape() -> None:
    article = next(a for a in _model().archive.articles if a.quotes)
    for name in ("date", "topics", "quotes", "slug", "draft", "duplicate_of", "entities"):
        assert name not in TEMPLATE_ONLY
    assert shape(dataclasses.replace(article, topics=("Other",))) != shape(article)
    assert shape(dataclasses.replace(article, quotes=())) != shape(article)
    midnight = dt.datetime(2024, 3, 5)  # equal to no date, but a datetime is not a date
    assert shape(dataclasses.replace(article, date=midnight.date())) != shape(
        dataclasses.replace(article, date=midnight)
    )


def test_an_unknown_context_value_is_refused() -> None:
    model = _model()
    page = dataclasses.replace(model.pages[0], context={"odd": object()})
    with pytest.raises(Unknown):
        Rebinder(model.archive).page(page)
