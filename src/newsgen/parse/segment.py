"""Clean text to the parts of an article: headline, metadata lines and body blocks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from newsgen.model import Source
from newsgen.parse import lexicon, meta
from newsgen.parse.boilerplate import remove_boilerplate
from newsgen.parse.trailers import is_slogan_under_headline, strip_trailers

_END_PUNCT = tuple(".!?:;,…\"”’'»)]")
_QUOTE_OPEN = tuple("\"“‘'«")
_URLISH = re.compile(r"https?://|www\.|\.com\b|@", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """A body paragraph (``p``) or a subheading (``h``)."""

    kind: Literal["p", "h"]
    text: str


@dataclass(frozen=True)
class Segmented:
    title: str
    blocks: tuple[Block, ...]
    byline: str | None = None
    date: dt.date | None = None
    source: Source | None = None
    dateline_place: str | None = None


def segment(text: str, boilerplate: frozenset[str] = frozenset()) -> Segmented:
    """Split clean text (one paragraph per line, as scrapers write it) into its parts.
    ``boilerplate``: line keys the site repeats on every page (see ``boilerplate.py``)."""
    lines = [line for line in text.split("\n") if line]
    if not lines:
        return Segmented(title="", blocks=())
    title, lines = lines[0], lines[1:]
    # Scrapers repeat the headline: under it, and as a page crumb or "related" link further
    # down. An article never needs its own headline as a paragraph.
    headline = _squash(title)
    near = range(len(title) // 2, 2 * len(title) + 8)  # only such lines can squash the same

    def is_headline(line: str) -> bool:
        return len(line) in near and _squash(line) == headline

    lines = [
        line
        for index, line in enumerate(lines)
        if not is_headline(line) and not is_slogan_under_headline(lines, index, is_headline)
    ]
    lines = strip_trailers(remove_boilerplate(lines, boilerplate, keep=_is_metadata))

    byline: str | None = None
    date: dt.date | None = None
    source: Source | None = None
    body: list[str] = []
    for index, line in enumerate(lines):
        near_top = index < 4
        near_end = index >= len(lines) - 4
        if byline is None and near_top and (found := meta.find_byline(line)):
            byline = found
        elif byline is None and near_top and (signed_on := meta.find_byline_on_date(line)):
            byline, date = signed_on[0], date or signed_on[1]
        elif near_top and (strip := meta.find_meta_strip(line)):
            byline, date, source = byline or strip[0], date or strip[1], source or strip[2]
        elif (near_top or near_end) and (credit := meta.find_credit(line)):
            byline, source = byline or credit[0], source or credit[1]
        elif date is None and (near_top or near_end) and (day := meta.find_date(line)):
            date = day
        elif source is None and (found_source := meta.find_source(_unwrapped(line))):
            source = found_source  # "Source: AFP", "(Source: PIB/GR)"
        elif near_end and meta.find_source(_unwrapped(line)):
            continue  # a second credit at the end: the page's, and the source is known
        elif source is None and near_end and (url_source := meta.source_from_url_line(line)):
            source = url_source
        elif near_end and meta.source_from_url_line(line):
            continue  # further bare addresses at the end: link lists, not prose
        else:
            body.append(line)

    # The writer's sign-off, not a paragraph: the last line, or one followed only by their
    # bio ("Jim-Kouri", then "Jim Kouri, CPP, is founder of ...").
    for index in range(len(body) - 1, max(len(body) - 3, 0), -1):
        signed = meta.find_sign_off(body[index])
        if signed and all(signed.split()[-1] in line for line in body[index + 1 :]):
            del body[index]
            byline = byline or signed
            break

    place = None
    if body:
        first, place, agency = meta.split_dateline(body[0])
        body[0] = first
        if agency and source is None:
            source = Source(name=agency)
    return Segmented(title, _blocks(body), byline, date, source, place)


# The summary is the first paragraph that reads as prose: not a label ("Posterity:", "Part 1"),
# a time or date ("6:45 PM", "4-13-16"), a divider or a bare address.
_SUMMARY_MIN_WORDS = 5
_WORD = re.compile(r"[^\W\d_]{2,}")


def summary_of(blocks: tuple[Block, ...]) -> str:
    """The first real paragraph, else the first paragraph."""
    paragraphs = [b.text for b in blocks if b.kind == "p"]
    real = (
        p
        for p in paragraphs
        if len(_WORD.findall(p)) >= _SUMMARY_MIN_WORDS and not _URLISH.match(p)
    )
    return next(real, paragraphs[0] if paragraphs else "")


def _unwrapped(line: str) -> str:
    return line[1:-1] if line.startswith("(") and line.endswith(")") else line


def _is_metadata(line: str) -> bool:
    return bool(
        meta.find_byline(line)
        or meta.find_date(line)
        or meta.find_source(line)
        or meta.find_byline_on_date(line)
    )


def _blocks(lines: list[str]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for index, line in enumerate(lines):
        is_last = index == len(lines) - 1
        prev_is_heading = bool(blocks) and blocks[-1].kind == "h"
        if not is_last and not prev_is_heading and is_subheading(line):
            blocks.append(Block("h", line.rstrip(":")))
        else:
            blocks.append(Block("p", line))
    return tuple(blocks)


def is_subheading(line: str) -> bool:
    """A bare short line with no closing punctuation, that is not a quote, link or list item."""
    words = line.split()
    return (
        1 <= len(words) <= 12
        and len(line) <= 90
        and line[0].isupper()
        and (not line.endswith(_END_PUNCT) or (line.endswith(":") and len(words) <= 6))
        and not (line.endswith(":") and _introduces_speech(words))
        and not line.startswith(_QUOTE_OPEN)
        and not _URLISH.search(line)
        and not line[0].isdigit()
    )


def _introduces_speech(words: list[str]) -> bool:
    """ "She said:", "Mr Harding told the BBC:": a sentence that opens the quote below it."""
    return any(w.lower().strip(":,") in lexicon.REPORTING_VERBS for w in words[1:])


def _squash(text: str) -> str:
    return _NON_WORD.sub("", text).casefold()


_NON_WORD = re.compile(r"\W+")
