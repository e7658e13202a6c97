"""Page furniture a site repeats on every article, found across the files of one ingest.

A scraper copies what the page showed: a promoted headline, a "Subscribe to ..." box, a comment
policy. One file cannot tell such a line from the article, but a pile of files can: the same
line in many articles with different headlines is the site's, not the writer's. (Boilerplate
removers such as jusText and trafilatura use the same cross-document signal.)

Syndicated copies of one article share all their lines, so a line counts only when it stands
in articles with different headlines, and it is never allowed to empty an article.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

MIN_ARTICLES = 3  # lines shared by two articles may be a quote both carry
MAX_LINE_CHARS = 300  # furniture is short; a shared long paragraph is syndicated prose
MAX_SHARE_OF_ARTICLE = 0.5  # above this, the "furniture" is the article: keep it all


def line_key(line: str) -> str:
    """A line as compared across files: whitespace, case and unicode form do not count."""
    return unicodedata.normalize("NFC", " ".join(line.split())).casefold()


def article_lines(text: str) -> tuple[str, frozenset[str]]:
    """One raw text as (its headline's key, the keys of its other short lines)."""
    lines = [key for key in map(line_key, text.splitlines()) if key]
    if not lines:
        return "", frozenset()
    return lines[0], frozenset(k for k in lines[1:] if len(k) <= MAX_LINE_CHARS)


def find_boilerplate(articles: Iterable[tuple[str, frozenset[str]]]) -> frozenset[str]:
    """The line keys that stand in at least ``MIN_ARTICLES`` differently headlined articles."""
    headlines_by_line: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for headline, lines in articles:
        for key in lines:
            counts[key] += 1
            if counts[key] <= 4 * MIN_ARTICLES:  # enough evidence; stop collecting
                headlines_by_line.setdefault(key, set()).add(headline)
    return frozenset(key for key, heads in headlines_by_line.items() if len(heads) >= MIN_ARTICLES)


def remove_boilerplate(
    lines: list[str], boilerplate: frozenset[str], keep: Callable[[str], bool]
) -> list[str]:
    """``lines`` without the site's furniture, unless that would take most of the article.
    ``keep`` spares lines that repeat for a reason, such as a byline ("By Lisa Haven")."""
    if not boilerplate:
        return lines
    kept = [line for line in lines if line_key(line) not in boilerplate or keep(line)]
    if len(kept) < (1 - MAX_SHARE_OF_ARTICLE) * len(lines):
        return lines
    return kept
