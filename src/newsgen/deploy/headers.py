"""The HTTP headers a published file gets: its Content-Type and how long caches keep it.

Fingerprinted files (a content hash in the name, as Pagefind's index chunks have) never
change, so caches keep them a year. Pages, feeds, sitemaps and the search index's entry points
change with every article, so caches keep them minutes. Other static files (the stylesheet) are
not fingerprinted: a day, so a theme change reaches readers by tomorrow.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
ASSET = "public, max-age=86400"

# A fixed table, not only the machine's /etc/mime.types: the same site gets the same headers
# from any machine.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
}
_SHORT_SUFFIXES = (".html", ".xml", ".txt", ".json")
_FINGERPRINT = re.compile(r"(?:^|[._-])[0-9a-f]{7,64}\.[^/]+$")
_FEED = re.compile(r"(?:^|/)feed\.xml$")
# Pagefind's entry points: they name the fingerprinted chunks of the current index.
# A large archive's index is in shards, each with its own entry points (``search.shards``).
_SEARCH_ENTRY = re.compile(
    r"(?:^|/)pagefind/(?:shard-\d+/)?(?:pagefind[^/]*\.(?:js|css|json)|wasm\.[^/]+)$"
)


def content_type(path: str) -> str:
    if _FEED.search(path):
        return "application/atom+xml"
    suffix = posixpath.splitext(path)[1].lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed = mimetypes.guess_type(path)[0]
    return guessed or "application/octet-stream"


def cache_control(path: str) -> str:
    name = posixpath.basename(path)
    if path.endswith(_SHORT_SUFFIXES) or _SEARCH_ENTRY.search(path) or name.startswith("."):
        return SHORT
    if _FINGERPRINT.search(name):
        return IMMUTABLE
    return ASSET
