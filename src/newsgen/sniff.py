"""Is this file an article at all? Size and binary checks shared by ingest and build.

Kept apart from ``newsgen.parse`` so that ``newsgen build`` does not import the parser (its
word-splitting model alone takes a second to load).
"""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024  # a news article is kilobytes; megabytes mean a wrong file

# Magic numbers of the binary formats that turn up in scraped folders.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"%PDF",
    b"\x7fELF",
    b"\x1f\x8b",
    b"RIFF",
)


def looks_binary(data: bytes) -> bool:
    """A known binary format's magic number, or NUL bytes that text never has so many of."""
    return data.startswith(_BINARY_MAGIC) or data[:8192].count(b"\x00") > 8
