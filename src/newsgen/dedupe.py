"""Exact and near duplicates among ingested articles (syndicated copies of one story).

Exact: the same text after normalisation (same ``Article.id``). Near: the same headline, or
most of the body shared, estimated with MinHash LSH (datasketch) so that ten thousand articles
are compared in near-linear time instead of pairwise.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE_WORDS = 3  # the shingles below are written out as trigrams: faster than slicing


def fingerprint(body: str) -> MinHash:
    """A MinHash of the body's word trigrams (computed in the parsing worker)."""
    words = _WORD.findall(body.casefold())
    trigrams = zip(words, words[1:], words[2:], strict=False)  # the shorter lists end it
    shingles = set(map(" ".join, trigrams)) or {" ".join(words)}
    signature = _empty_signature().copy()
    # datasketch would call ``_sha1_hash32`` once a shingle; the same values come cheaper in
    # bulk: one encode (shingles are words and spaces, never a line break), and the digests'
    # first four bytes read in one unpack. ``int`` then hands each value on unchanged.
    encoded = "\n".join(shingles).encode("utf-8").split(b"\n")
    digests = b"".join([h.digest() for h in map(hashlib.sha1, encoded)])
    values = struct.unpack(f"<{5 * len(encoded)}I", digests)[::5]  # a digest is 5 words
    signature.hashfunc = int
    signature.update_batch(values)  # a minimum: any order
    signature.hashfunc = _sha1_hash32
    return signature


_WORD = re.compile(r"\w+")


@cache
def _empty_signature() -> MinHash:
    # Drawing the permutations costs more than hashing a short article's shingles: once.
    return MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_sha1_hash32)


def _sha1_hash32(data: bytes) -> int:
    """datasketch's default hash (the first four bytes of SHA-1, little-endian), without
    its ``struct`` call: the same values, a little faster for every shingle."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


def fingerprint_to_text(signature: MinHash) -> str:
    """A fingerprint as a short string, to keep in the ingest manifest."""
    values = [int(v) for v in signature.hashvalues]
    return base64.b64encode(struct.pack(f"<{len(values)}Q", *values)).decode("ascii")


def fingerprint_from_text(text: str) -> MinHash:
    """The fingerprint ``fingerprint_to_text`` wrote (ValueError when it is not one)."""
    data = base64.b64decode(text, validate=True)
    if len(data) != 8 * NUM_PERM:
        raise ValueError("not a fingerprint of this size")
    signature = _empty_signature().copy()
    signature.hashvalues[:] = struct.unpack(f"<{NUM_PERM}Q", data)
    return signature


@dataclass(frozen=True)
class Candidate:
    key: str  # a unique name for the article (its origin)
    title: str
    fingerprint: MinHash | None


def near_duplicates(candidates: Sequence[Candidate]) -> dict[str, str]:
    """Map each near duplicate's key to the key of the first (in the given order) it copies."""
    lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
    by_title: dict[str, str] = {}
    originals: dict[str, str] = {}
    order = {c.key: i for i, c in enumerate(candidates)}
    for candidate in candidates:
        title_key = " ".join(re.findall(r"\w+", candidate.title.casefold()))
        original = by_title.get(title_key) if title_key else None
        if original is None and candidate.fingerprint is not None:
            similar = sorted(lsh.query(candidate.fingerprint), key=order.__getitem__)
            original = similar[0] if similar else None
        if original is not None:
            originals[candidate.key] = original
        else:
            by_title.setdefault(title_key, candidate.key)
            if candidate.fingerprint is not None:
                lsh.insert(candidate.key, candidate.fingerprint)
    return originals
