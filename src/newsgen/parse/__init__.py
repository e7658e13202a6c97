"""Raw article text to an ``Article``: pure functions, one concern a module.

``parse_raw`` is the whole recipe; each step is a module of its own:
``text`` (decode, repair, normalise) -> ``segment`` (headline, metadata, blocks, trailers) ->
``glue`` (glued words) -> ``entities`` -> ``quotes`` -> ``headline`` (kicker) -> ``Article``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

from newsgen.errors import NewsgenError
from newsgen.model import Article, Quote
from newsgen.parse import glue
from newsgen.parse.entities import build_registry, headline_case
from newsgen.parse.headline import split_kicker
from newsgen.parse.quotes import attribute, find_spans
from newsgen.parse.segment import Block, segment, summary_of
from newsgen.parse.text import clean
from newsgen.slugs import make_slug

TopicRules = Mapping[str, Sequence[str]]


def parse_raw(
    text: str,
    origin: str,
    folder_topic: str | None = None,
    topic_rules: TopicRules | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> Article:
    """Parse one raw article. Raises ``NewsgenError`` naming ``origin`` when there is none.
    ``boilerplate``: the site's repeated lines, found across a whole ingest."""
    cleaned = clean(text)
    if not cleaned.strip():
        raise NewsgenError("empty article: the file has no text", origin)
    parts = segment(cleaned, boilerplate)
    if not parts.blocks:
        raise NewsgenError("no article body: only a headline (or only scraper junk)", origin, 1)
    repaired = glue.repair([b.text for b in parts.blocks], [parts.title])
    blocks = [Block(b.kind, t) for b, t in zip(parts.blocks, repaired, strict=True)]
    paragraphs = [b.text for b in blocks]

    # The title goes last so that paragraph indexes match between entities and quotes.
    spans = find_spans(paragraphs)
    quoted = [(s.start_paragraph, s.start, s.end_paragraph, s.end) for s in spans]
    # In a Title Case headline every word is capitalised, so capitals there name nobody.
    title_names = "" if headline_case(parts.title) else parts.title
    registry = build_registry([*paragraphs, title_names], quoted=quoted)
    quotes = attribute(spans, paragraphs, registry)
    kicker, headline_speaker = split_kicker(parts.title, registry)
    if headline_speaker:
        quotes = [*_headline_quote(parts.title, headline_speaker, registry.roles), *quotes]
    entities = registry.entities(speakers={q.speaker for q in quotes if q.speaker})

    body = render_body(blocks)
    topics = _topics(kicker, folder_topic, topic_rules or {}, body, entities.people)
    return Article(
        id=content_id(cleaned),
        slug=make_slug(parts.title, fallback="article"),
        title=parts.title,
        body=body,
        origin=origin,
        kicker=kicker,
        date=parts.date,
        byline=parts.byline,
        source=parts.source,
        topics=topics,
        quotes=tuple(quotes),
        entities=entities,
        summary=summary_of(tuple(blocks)),
        word_count=sum(len(p.split()) for p in paragraphs),
    )


def content_id(cleaned: str) -> str:
    """A stable id: the hash of the normalised text, so re-encoding a file keeps its id."""
    return hashlib.sha256(cleaned.encode("utf-8")).hexdigest()[:16]


_MARKDOWN_SPECIAL = re.compile(r"^(\s*)([#>*+-]|\d+[.)])(\s)")


def render_body(blocks: Sequence[Block]) -> str:
    """Blocks as Markdown. Text that would read as Markdown syntax is escaped, not obeyed."""
    out = []
    for block in blocks:
        text = _MARKDOWN_SPECIAL.sub(r"\1\\\2\3", block.text)
        out.append(f"## {block.text}" if block.kind == "h" else text)
    return "\n\n".join(out) + "\n"


def _headline_quote(title: str, speaker: str, roles: Mapping[str, str]) -> list[Quote]:
    """ "Pence: 'We will prevail'" and "Pence: We will not back down" quote Pence; "Byron
    York: U.S. ran out of ammo" is a columnist's label on a headline: unmarked words count
    as speech only when they speak in the first or second person."""
    rest = title.partition(":")[2].strip()
    words = rest.strip("\"“”‘’'")
    marked = len(rest) > 1 and rest[0] in "\"“‘'" and rest[-1] in "\"”’'"
    if not marked and not _SPEAKING.search(words):
        return []
    # Unmarked words are the speaker's own only as written: words recapitalised in Headline
    # Case, or marks around a part ("We Should Be 'Frightened' by ..."), are the desk's gloss.
    if not marked and (headline_case(rest) or _INNER_MARK.search(words)):
        return []
    return [Quote(words, speaker, roles.get(speaker))] if words else []


_INNER_MARK = re.compile(r"[\"“”]|(?<!\w)[‘’']|[‘’'](?!\w)")  # not an apostrophe
_SPEAKING = re.compile(r"\b(?:I|I'm|I’m|we|We|we're|We’re|my|My|our|Our|us|me|you|You)\b")


def _topics(
    kicker: str | None,
    folder_topic: str | None,
    rules: TopicRules,
    body: str,
    people: Sequence[str],
) -> tuple[str, ...]:
    topics: list[str] = []
    for topic in (kicker, folder_topic):
        if topic and topic not in topics:
            topics.append(topic)
    lowered = body.casefold()
    for topic, keywords in sorted(rules.items()):
        if topic not in topics and any(_mentions(lowered, k.casefold()) for k in keywords):
            topics.append(topic)
    return tuple(topics)


def _mentions(lowered_body: str, keyword: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", lowered_body) is not None
