"""The gold-set scorer (bench/parse_quality.py) holds each gold quote to its own prediction."""

from __future__ import annotations

import sys
from pathlib import Path

from newsgen.model import Quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

# A bench script: the scorer the figures come from.
from parse_quality import _best


def test_words_quoted_twice_are_held_to_their_own_predictions_in_order() -> None:
    predicted = [
        Quote("a series of roadblocks", "Politico"),
        Quote("something else", "Ann Lee"),
        Quote("a series of roadblocks", None),
    ]
    used: set[int] = set()
    assert _best(predicted, "a series of roadblocks", used) is predicted[0]
    assert _best(predicted, "a series of roadblocks", used) is predicted[2]


def test_a_gold_quote_found_once_is_still_found_when_annotated_twice() -> None:
    predicted = [Quote("a series of roadblocks", "Politico")]
    used: set[int] = set()
    assert _best(predicted, "a series of roadblocks", used) is predicted[0]
    assert _best(predicted, "a series of roadblocks", used) is predicted[0]
    assert _best(predicted, "never said", used) is None
