"""The digests every cache key is made of, in a module of its own: a build with nothing to do
(``build._replay``) needs them and nothing of the model ``newsgen.digest`` knows."""

from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).parent


def blake(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def code_digest() -> str:
    """The newsgen code and theme: a cache written by other code is never trusted."""
    names = sorted(
        p for p in _PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".pyc", ".pyo")
    )
    return blake(*(str(p.relative_to(_PACKAGE)) for p in names), *(p.read_bytes() for p in names))
