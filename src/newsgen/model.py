"""The records every stage passes along: frozen, plain, and free of I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Quote:
    """One direct quotation. ``speaker`` is None for a quote nobody in the text says."""

    text: str
    speaker: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Source:
    """Where the article says it came from: an outlet name, a URL, or both."""

    name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Entities:
    """Canonical names, each list sorted and free of variants."""

    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyRef:
    """Where the body of an article the build holds without it is: its record file and the
    digest of the body it had when the record was parsed (``newsgen.bodies``)."""

    record: str  # the record file, relative to the project: "articles/x.md"
    digest: str  # ``bodies.digest`` of the body text


@dataclass(frozen=True)
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
