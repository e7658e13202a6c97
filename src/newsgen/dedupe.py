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

import numpy as np
from datasketch import MinHash, MinHashLSH
from numpy.typing import NDArray

NUM_PERM = 64
NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE_WORDS = 3


def fingerprint(body: str) -> MinHash:
    """A MinHash of the body's word trigrams (computed in the parsing worker)."""
    words = _WORD.findall(body.casefold())
    empty = _empty_signature()
    values = shingle_values(_word_hashes(words))
    if getattr(empty, "scheme", None) == _AFFINE32:
        return _with_hashvalues(empty, _permuted_minima(values))
    # another datasketch's scheme: its own (slower, per-value) path
    signature = empty.copy()
    # A value repeated (a trigram twice in the body) changes no minimum: no set needed.
    signature.update_batch(values.tolist())
    return signature


def _with_hashvalues(empty: MinHash, minima: NDArray[np.uint32]) -> MinHash:
    """``empty.copy()`` with ``minima`` as its values (``update`` would take the minimum with
    the empty values, the largest 32-bit number: the minima themselves). ``copy`` builds it
    through ``MinHash.__init__``, which checks the permutations and values again (a tenth of
    the fingerprint's time); the new one shares everything else with ``empty``, as a copy
    does (the permutations array included)."""
    signature: MinHash = MinHash.__new__(MinHash)
    signature.__dict__.update(empty.__dict__)
    signature.hashvalues = minima
    return signature


_WORD = re.compile(r"\w+")


def _word_hashes(words: list[str]) -> NDArray[np.uint64]:
    """Each word's ``_word_hash``. Words recur (nine in ten of a news article's words were in
    an earlier article), trigrams rarely (one in twelve): each distinct word is hashed once per
    process and looked up in a plain dict after that (an ``lru_cache`` hit costs four times a
    dict's)."""
    global _WORD_HASHES
    known = _WORD_HASHES
    new = set(words).difference(known)
    if new:
        if len(known) + len(new) > _MAX_WORD_HASHES:
            # A bound on memory (forgetting costs only the hashing again). A new dict, not
            # ``clear()``: a thread still reading the old one keeps every word it added.
            known = _WORD_HASHES = {}
            new = set(words)
        known.update(zip(new, map(_word_hash, new), strict=True))
    return np.fromiter(map(known.__getitem__, words), dtype=np.uint64, count=len(words))


_WORD_HASHES: dict[str, int] = {}
_MAX_WORD_HASHES = 1 << 18


def _word_hash(word: str) -> int:
    """64 bits of BLAKE2b of a word: hashing each distinct word once and combining three in
    numpy took MinHash from 1.4 to 0.3 ms an article, where SHA-1 of every trigram's text was
    most of it."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


# datasketch 2's default permutation scheme, done here for the whole article at once:
# ``update_batch`` calls ``hashfunc`` once per value in Python and builds a list (0.2 ms for
# an article's 600 shingles; this is 0.03). The same arithmetic: MurmurHash3's 32-bit
# finaliser, then ``a * h + b`` modulo 2**32 per permutation, and the minimum.
_AFFINE32 = "affine32"
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


def _permuted_minima(values: NDArray[np.uint64]) -> NDArray[np.uint32]:
    shift1, multiplier1, shift2, multiplier2 = _FMIX32
    hv = values.astype(np.uint32)  # the values are 32-bit already
    hv ^= hv >> shift1
    hv *= multiplier1
    hv ^= hv >> shift2
    hv *= multiplier2
    hv ^= hv >> shift1
    a, b = _permutation_columns()
    # One row per permutation: each row's minimum is then a reduction over contiguous
    # memory (a third faster than the column minima of the shingles-by-permutations array).
    minima: NDArray[np.uint32] = (a * hv + b).min(axis=1)
    return minima


@cache
def _permutation_columns() -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:
    a, b = _empty_signature().permutations
    return a.reshape(-1, 1), b.reshape(-1, 1)


# Order matters ("a b c" is not "c b a"): each position has its own odd multiplier.
_FIRST, _SECOND = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def shingle_values(words: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """One 32-bit value per word trigram, from the words' 64-bit hashes. Fewer than three
    words make one shingle, padded with zeros."""
    if len(words) < SHINGLE_WORDS:
        words = np.concatenate([words, np.zeros(SHINGLE_WORDS - len(words), np.uint64)])
    # uint64 arrays wrap on overflow: arithmetic modulo 2**64, as intended.
    mixed = words[:-2] * _FIRST + words[1:-1] * _SECOND + words[2:]
    # splitmix64's finaliser: every input bit moves about half the output bits, so the top
    # 32 bits of two different trigrams are as unrelated as two SHA-1 prefixes.
    mixed ^= mixed >> np.uint64(30)
    mixed *= _MIX1
    mixed ^= mixed >> np.uint64(27)
    mixed *= _MIX2
    mixed ^= mixed >> np.uint64(31)
    return mixed >> np.uint64(32)


@cache
def _empty_signature() -> MinHash:
    # Drawing the permutations costs more than hashing a short article's shingles: once.
    # The values given to it are hashed already (``shingle_values``): ``int`` passes them on.
    return MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int)


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
