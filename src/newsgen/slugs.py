"""Names to URL path segments: one function, so every slug in the site follows the same rules.

A slug comes from text off the open web, so it must be safe as a folder name on any host:
no traversal, no separators, no Windows device names, bounded length, never empty.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
import urllib.parse

from slugify import slugify

MAX_SLUG = 80  # well under the 255-byte name limit, and short enough to read in a URL

# Folder names Windows refuses whatever the extension; a site may be published from there.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


@functools.lru_cache(maxsize=1 << 17)
def make_slug(text: str, fallback: str = "item") -> str:
    """A lowercase ASCII slug of ``text``; idempotent: ``make_slug(make_slug(x)) == make_slug(x)``.

    Percent-encoding is undone first (twice, for double-encoded input) so that ``..%2F`` cannot
    smuggle a separator past the slugifier; NFC first so that NFD and NFC titles agree.
    """
    decoded = urllib.parse.unquote(urllib.parse.unquote(text))
    normal = unicodedata.normalize("NFC", decoded)
    slug = slugify(normal, max_length=MAX_SLUG, word_boundary=True, save_order=True)
    if not slug:
        # Emoji-only or punctuation-only names still need a stable, distinct folder.
        return f"{fallback}-{_digest(normal)}"
    if len(slug) > MAX_SLUG:  # word_boundary can give up on one long word
        slug = slug[: MAX_SLUG - 9].rstrip("-") + "-" + _digest(normal)
    if slug in _RESERVED:
        slug += "-1"
    return slug
