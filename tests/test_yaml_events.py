"""Front matter written from events is the text ``yaml.dump`` writes, byte for byte."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.records import _SafeDumper
from newsgen.yaml_events import dump_mapping

OPTIONS: dict[str, Any] = {"allow_unicode": True, "width": 100}

# Texts YAML must quote, fold, escape or read as another type, beside ordinary prose.
tricky = st.sampled_from(
    [
        *("", " ", "yes", "No", "on", "null", "~", "true", "123", "-1", "0x1F", "1_000", "1e3"),
        *(".5", ".inf", ".NaN", "2024-01-02", "2024-01-02 10:00:00", "12:30", "<<", "=", "-"),
        *("- item", "? q", "a: b", "a #b", "#tag", "&a", "*a", "!x", "|", ">", "'", '"', "%"),
        *("@x", "`x", "[x]", "{x}", "x,", "x:", " lead", "trail ", "two\nlines", "\ttab"),
        *("\x85", "\u2028", "\ufeff", "\x07", "é", "“quoted”", "日本", "\U0001f600", "O’Brien"),
    ]
)
words = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=12
) | st.sampled_from(["the", "said", "President", "of", "a", "U.S.", "—"])
prose = st.lists(words | tricky, max_size=40).map(" ".join)
strings = tricky | prose | st.text(max_size=30)
scalars = strings | st.integers(-(10**12), 10**12) | st.booleans() | st.none()
metadata = st.dictionaries(
    st.sampled_from(["title", "kicker", "slug", "date", "word_count", "draft", "x y", "1"]),
    scalars
    | st.lists(strings, max_size=4)
    | st.dictionaries(strings, strings | st.none(), max_size=3)
    | st.lists(st.dictionaries(strings, strings | st.none(), max_size=3), max_size=3)
    | st.dictionaries(strings, st.lists(strings, max_size=3), max_size=3),
    max_size=8,
)


def _unused() -> str:
    raise AssertionError("the fallback is only for data the events cannot say")


@settings(max_examples=400, deadline=None)
@given(metadata)
def test_front_matter_from_events_is_what_yaml_dump_writes(data: dict[str, object]) -> None:
    # libyaml's dumper (what records use) and PyYAML's own (where libyaml is missing) differ
    # on a few texts ("\U00010000" is escaped by one only): each is matched with itself.
    for dumper in (_SafeDumper, yaml.SafeDumper):
        expected = yaml.dump(data, Dumper=dumper, sort_keys=False, **OPTIONS)
        assert dump_mapping(data, dumper, _unused, **OPTIONS) == expected


def test_a_list_reached_twice_or_another_type_goes_to_the_fallback() -> None:
    shared = ["a"]
    assert dump_mapping({"a": shared, "b": shared}, _SafeDumper, lambda: "fell back") == (
        "fell back"
    )
    assert dump_mapping({"a": 1.5}, _SafeDumper, lambda: "fell back") == "fell back"
    assert dump_mapping({"a": ("t",)}, _SafeDumper, lambda: "fell back") == "fell back"
