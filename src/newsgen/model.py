"""The records every stage passes along: frozen, plain, and free of I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import TypeVar

from newsgen.byfields import pickled_by_fields

T = TypeVar("T")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Quote:
    """One direct quotation. ``speaker`` is None for a quote nobody in the text says."""

    text: str
    speaker: str | None = None
    role: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """Where the article says it came from: an outlet name, a URL, or both."""

    name: str | None = None
    url: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Entities:
    """Canonical names, each list sorted and free of variants."""

    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class BodyRef:
    """Where the body of an article the build holds without it is: its record file and the
    digest of the body it had when the record was parsed (``newsgen.bodies``)."""

    record: str  # the record file, relative to the project: "articles/x.md"
    digest: str  # ``bodies.digest`` of the body text


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as ingest writes it and build reads it.

    ``date`` is a ``datetime.date`` or, when the text gives a time, a ``datetime.datetime``;
    None means undated, never "the file's modification time".

    The build keeps articles without their bodies: ``body`` is then "" and ``body_ref`` says
    where the body is and what it was, and the page that shows it reads it again
    (``newsgen.bodies``). Ingest, and anything that makes articles itself, holds the body.
    """

    id: str
    slug: str
    title: str
    body: str
    origin: str
    kicker: str | None = None
    date: dt.date | None = None
    byline: str | None = None
    source: Source | None = None
    topics: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    entities: Entities = field(default_factory=Entities)
    summary: str = ""
    word_count: int = 0
    duplicate_of: str | None = None
    draft: bool = False
    body_ref: BodyRef | None = None


class Shared:
    """One object for each repeated value of the articles a build holds: the same person,
    topic, outlet or day named by thousands of articles is then one object, not thousands
    (a record parsed in a worker process, or loaded from the cache, comes with copies of
    its own). Equal values only: nothing an article says changes."""

    def __init__(self) -> None:
        self._values: dict[object, object] = {}

    def one(self, value: T) -> T:
        return self._values.setdefault(value, value)  # type: ignore[return-value]

    def names(self, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(map(self.one, names))

    def article(self, article: Article) -> Article:
        one, names = self.one, self.names
        entities = article.entities
        return dataclasses.replace(
            article,
            date=one(article.date),
            byline=one(article.byline),
            source=one(article.source),
            topics=one(names(article.topics)),  # a few hundred combinations of 20 topics
            quotes=tuple(Quote(q.text, one(q.speaker), one(q.role)) for q in article.quotes),
            entities=Entities(
                names(entities.people), names(entities.places), names(entities.organizations)
            ),
        )


@dataclass(frozen=True)
class Health:
    """What an editor should look at: the archive's gaps, counted. (Here, not in
    ``newsgen.archive``: every build's report carries one, and a replay needs no more.)"""

    articles: int
    undated: int
    quotes: int
    quotes_without_speaker: int
    without_topic: int
    duplicates: int
