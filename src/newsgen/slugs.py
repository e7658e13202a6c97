"""URL- and file-system-safe slugs, the same on every operating system."""

from __future__ import annotations

import hashlib
import unicodedata

from slugify import slugify as _slugify

MAX_SLUG_LENGTH = 80
# Names Windows refuses as file names, whatever the extension.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def slugify(text: str, fallback: str | None = None) -> str:
    """ "War in Ukraine: ..." -> "war-in-ukraine-...". Idempotent; never empty."""
    normalised = unicodedata.normalize("NFC", text)
    slug: str = _slugify(normalised, max_length=MAX_SLUG_LENGTH, word_boundary=True)
    if not slug:
        digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:8]
        slug = fallback or f"item-{digest}"
        slug = _slugify(slug, max_length=MAX_SLUG_LENGTH)
    if slug.split(".")[0] in _RESERVED:
        slug = f"{slug}-1"
    return slug
