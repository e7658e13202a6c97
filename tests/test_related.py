"""Related articles: the vectorised ranking gives exactly what the plain loop gives."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import archive
from newsgen.archive import RELATED_MAX, RELATED_MIN, _nearest, _rank

Key = tuple[str, str]


def plain_rank(keys: Sequence[Sequence[Key]], max_df: int) -> list[list[int]]:
    """The specification: for each article, add each shared term's weight, one by one in
    the article's key order, to every other article holding it; the top ``RELATED_MAX`` by
    the sum rounded to 9 places, ties to the earlier article; filled up to ``RELATED_MIN``
    with the nearest articles in order."""
    holders: defaultdict[Key, list[int]] = defaultdict(list)
    for i, mine in enumerate(keys):
        for key in mine:
            holders[key].append(i)
    weight = {
        key: archive._WEIGHTS[key[0]] / math.log2(1 + len(found))
        for key, found in holders.items()
        if len(found) <= max_df
    }
    ranking = []
    for i, mine in enumerate(keys):
        sums: dict[int, float] = {}
        for key in mine:
            if key in weight:
                for j in holders[key]:
                    if j != i:
                        sums[j] = sums.get(j, 0.0) + weight[key]
        best = sorted(sums, key=lambda j: (-round(sums[j], 9), j))[:RELATED_MAX]
        for j in _nearest(i, len(keys)):
            if len(best) >= RELATED_MIN:
                break
            if j not in best:
                best.append(j)
        ranking.append(best)
    return ranking


_KEYS = st.tuples(st.sampled_from(sorted(archive._WEIGHTS)), st.sampled_from("abcdefgh"))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(_KEYS, max_size=8).map(lambda ks: tuple(sorted(set(ks)))), max_size=40),
    st.sampled_from([3, 6, 1000]),
)
def test_the_ranking_is_the_plain_loops(keys: list[tuple[Key, ...]], max_df: int) -> None:
    # Small limits on how common a term may be make the skipped-term path common too.
    saved = archive._MAX_RELATED_DF
    archive._MAX_RELATED_DF = max_df
    try:
        assert _rank(keys) == plain_rank(keys, max_df)
    finally:
        archive._MAX_RELATED_DF = saved


def test_ties_go_to_the_earlier_article_and_repeats_are_summed() -> None:
    # Article 0 shares a person with 1-6 (equal sums) and a place with 6 as well.
    keys = [
        (("people", "a"), ("places", "x")),
        *[(("people", "a"),)] * 5,
        (("people", "a"), ("places", "x")),
    ]
    assert _rank(keys)[0] == [6, 1, 2, 3, 4]
    assert _rank(keys) == plain_rank(keys, 1000)


def test_forked_processes_rank_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"p{n}" for n in range(30)]
    keys = [
        tuple(sorted({("people", names[(i * 7 + d) % 30]) for d in range(i % 4)}))
        for i in range(120)
    ]
    monkeypatch.setattr(archive, "RANK_PARALLEL_FROM", 10)
    assert _rank(keys, workers=3) == _rank(keys) == plain_rank(keys, 1000)
