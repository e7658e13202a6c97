"""Scraper junk: the lines that came with the page but are not the article.

Two kinds: a *junk line* is dropped wherever it stands ("Advertisements", "Share this:");
a *cut marker* ends the article, and everything after it is page furniture ("Leave a Reply"
is followed by the comment form, "Related posts" by other headlines).
"""

from __future__ import annotations

import re

_WORDS = r"[\w’'.,&@:/-]*"

# Each pattern must match the whole line (after stripping), case-insensitively.
_JUNK_LINES = [
    r"source link",
    r"advertisements?",
    r"sponsored( content)?",
    r"share( this( article| story| post)?)?( on \w+)?:?",
    r"share on (facebook|twitter|whatsapp|linkedin|reddit|pinterest|email)",
    r"(tweet|pin it|email|print|whatsapp|facebook|twitter|reddit|linkedin|pinterest)",
    r"like this:?",
    r"loading\.*",
    r"click (here|to) .{0,80}",
    r"continue reading\W*.{0,60}",
    r"read (more|the full (story|article)|the rest)\b.{0,100}",
    r"(subscribe|sign up|join)\b.{0,100}",
    r"follow (us|me|@\w+)\b.{0,80}",
    r"(please )?(like|share|comment)\b.{0,40}(this|below|share|comment).{0,80}",
    r"spread the word!?.{0,160}",
    r"listen to the podcast.{0,60}",
    r"expand \| collapse",
    r"% of readers think this story is fact\..{0,40}",
    r"add your two cents\.?",
    r"\(?(photo|image|picture|video)( credit)?s?:.{0,120}\)?",
    r"(featured|header) image.{0,120}",
    r"(comment policy|please adhere to our commenting policy)\b.*",
    r"we (reserve|encourage you)\b.{0,200}",
    r"(view|see) (the )?(comments|gallery|video)\W*",
    r"filed under:?.{0,100}",
    r"tags?:.{0,200}",
    r"(posted|published) in:?.{0,80}",
    r"\[\w+( \w+)?\]: ?https?://\S+",  # "[WEBSITE]: http://..." link lists
    r"(main error mes+age here|more detailed message would go here.*)",
]

_CUT_MARKERS = [
    r"leave a (reply|comment)\W*.{0,40}",
    r"(\d+ )?(comments?|responses?|replies)( \(\d+\))?:?",
    r"related( posts| articles| stories| news)?:?",
    r"you (may|might) also (like|enjoy)\W*",
    r"more (from|stories|on this)\b.{0,60}",
    r"post navigation",
    r"about the author:?",
    r"(previous|next) (post|article)\b.{0,100}",
    r"what do you think\?.{0,80}",
    r"share this:?",
]

JUNK_LINE = re.compile("|".join(f"(?:{p})" for p in _JUNK_LINES), re.IGNORECASE)
CUT_MARKER = re.compile("|".join(f"(?:{p})" for p in _CUT_MARKERS), re.IGNORECASE)


def is_junk(line: str) -> bool:
    """A line to drop wherever it stands. Long lines are prose, never junk."""
    return len(line) <= 240 and JUNK_LINE.fullmatch(line) is not None


def is_cut_marker(line: str) -> bool:
    return len(line) <= 80 and CUT_MARKER.fullmatch(line) is not None


def strip_trailers(lines: list[str]) -> list[str]:
    """The article's own lines: junk removed, and nothing after a cut marker.

    A cut marker only counts in the last third of the text (or the last few lines), so an
    article that happens to contain a heading "Comments" near its top keeps its body.
    """
    kept: list[str] = []
    tail_start = min(len(lines) * 2 // 3, max(len(lines) - 5, 0))
    for index, line in enumerate(lines):
        if index >= tail_start and is_cut_marker(line):
            break
        if not is_junk(line):
            kept.append(line)
    return kept
