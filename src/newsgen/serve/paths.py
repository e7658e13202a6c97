"""Which file a request path names, decided so that nothing outside the site folder is served.

Parsing is pure and refuses every ambiguous form outright (``..``, ``.``, empty segments such
as ``//abs/path``, backslashes, NUL, undecodable bytes) instead of normalising it: a path that
needs normalising is not one the site links to. Locating then joins only the vetted segments
to the site folder and checks the real path once more, which also stops symlinks out.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote


@dataclass(frozen=True)
class SitePath:
    """A vetted request path: its segments, and whether the URL ended with a slash."""

    segments: tuple[str, ...]
    trailing_slash: bool

    @property
    def url(self) -> str:
        """The canonical, re-encoded URL path (safe to put in a Location header)."""
        path = "/" + "/".join(quote(part) for part in self.segments)
        return path + "/" if self.trailing_slash and self.segments else path


@dataclass(frozen=True)
class Refused:
    status: int  # 400 malformed, 403 a path trying to leave the site, 404 hidden files
    reason: str


@dataclass(frozen=True)
class Found:
    file: Path


@dataclass(frozen=True)
class Redirect:
    location: str


@dataclass(frozen=True)
class Missing:
    pass


Located = Found | Redirect | Missing | Refused


def parse_path(target: str) -> SitePath | Refused:
    """The request target (as sent, query and all) as site-relative segments, or a refusal."""
    raw = target.split("#", 1)[0].split("?", 1)[0]
    if not raw.startswith("/"):
        return Refused(400, "not an origin-form path")
    if "\\" in raw:
        return Refused(403, "backslash in path")
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return Refused(400, "path is not UTF-8")
    if "\x00" in decoded or "\\" in decoded:
        return Refused(403, "NUL or backslash in path")
    # Decoding first means %2e%2e and ..%2f are judged as the ".." they stand for.
    parts = decoded[1:].split("/")
    trailing = parts[-1] == ""
    if trailing:
        parts.pop()
    if any(part in ("", ".", "..") for part in parts):
        return Refused(403, "relative or empty path segment")
    if any(part.startswith(".") for part in parts):
        return Refused(404, "hidden file")
    return SitePath(tuple(parts), trailing)


def locate(root: Path, path: SitePath) -> Located:
    """What ``path`` names inside the site folder ``root``: a file, a redirect, or nothing."""
    candidate = root.joinpath(*path.segments)
    try:
        real = Path(os.path.realpath(candidate))
        real_root = Path(os.path.realpath(root))
    except (OSError, ValueError):
        return Missing()
    if not real.is_relative_to(real_root):
        return Refused(403, "resolves outside the site folder")
    if real.is_dir():
        if not path.trailing_slash and path.segments:
            return Redirect(SitePath(path.segments, True).url)
        real = Path(os.path.realpath(real / "index.html"))  # it may be a link out, too
        if not real.is_relative_to(real_root):
            return Refused(403, "resolves outside the site folder")
        return Found(real) if real.is_file() else Missing()
    if path.trailing_slash or not real.is_file():
        return Missing()
    return Found(real)


# The types a news site serves, fixed here so the answer does not depend on the machine's
# /etc/mime.types; anything else falls back to the standard table.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
}


def content_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name, strict=True)
    return guessed or "application/octet-stream"
