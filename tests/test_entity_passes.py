"""The entity recogniser's shortcuts find what its plain, per-mention code finds.

``find_mentions`` analyses each distinct capitalised run once (``_analysed``) and builds each
mention once; ``build_registry`` asks which words an article writes in lower case, and which
paragraphs are in Headline Case, only about the words and paragraphs that need it. The plain
code they replaced is kept here, as the specification they are checked against.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsgen.parse as recipe
from newsgen.ingest import parse_file, site_furniture
from newsgen.parse import entities
from newsgen.parse.entities import (
    Mention,
    Range,
    _in_headline_case,
    _most_common,
    _written_lower,
    find_mentions,
    headline_case,
)

DATA = Path(__file__).parent / "data"
CORPORA = ("raw", "gold", "holdout", "holdout2", "holdout3", "holdout4")


def plain_find_mentions(paragraphs: Sequence[str], quoted: Sequence[Range] = ()) -> list[Mention]:
    """``find_mentions`` as it was: every run analysed where it stands, every mention built
    and then rebuilt with what its sentence says about it."""
    mentions: list[Mention] = []
    quote = 0
    surnames: set[str] = set()
    for index, text in enumerate(paragraphs):
        breaks = [m.end() for m in entities._SENTENCE_BREAK.finditer(text)]
        sentence, seen_person = 0, False
        owner_end = -1
        for start, raw in entities._capitalised_runs(text):
            label = entities._interview_label(raw, text, start)  # "Q. Regarding ...": no initial
            raw, start = raw[label:], start + label
            for mention in entities._analyse(index, start, raw, text) if raw else ():
                if (
                    mention.kind == "place"
                    and mention.text in surnames
                    and entities._in_subject_place(text, mention.start, mention.end)
                ):
                    mention = replace(mention, kind="person")
                while sentence < len(breaks) and breaks[sentence] <= mention.start:
                    sentence, seen_person = sentence + 1, False
                here = (index, mention.start)
                while quote < len(quoted) and quoted[quote][2:] <= here:
                    quote += 1
                inside = quote < len(quoted) and quoted[quote][:2] < here
                if mention.kind == "person":
                    role = mention.role
                    if role is None:
                        role = entities._context_role(text, mention.start, mention.end)
                    reported = entities._REPORTED_BY.match(text, mention.end) is not None
                    window = max(0, mention.start - 24)
                    spoken_to = entities._OBJECT_BEFORE.search(text, window, mention.start)
                    since = breaks[sentence - 1] if sentence else 0
                    aside = text.rfind("(", since, mention.start) > text.rfind(
                        ")", since, mention.start
                    )
                    pronoun_led = entities._PRONOUN_OPENS.match(text, since) is not None
                    owned = (
                        owner_end >= 0
                        and entities._OWNED_APPOSITIVE.match(text, owner_end, mention.start)
                        is not None
                    )
                    subject = not inside and (
                        reported or owned or not (seen_person or spoken_to or aside or pronoun_led)
                    )
                    mention = Mention(
                        mention.paragraph,
                        mention.start,
                        mention.end,
                        mention.text,
                        mention.kind,
                        role=role,
                        honorific=mention.honorific,
                        subject=subject,
                        quoted=inside,
                    )
                    opening = breaks[sentence - 1] if sentence else 0
                    lone_opener = (
                        " " not in mention.text
                        and not text[opening : mention.start].strip("“\"‘'( ")
                        and entities._REPORTED_BY.match(text, mention.end) is None
                        and mention.text not in surnames
                    )
                    seen_person = seen_person or not (inside or lone_opener or aside)
                    owner_end = mention.end if text.startswith(("'s ", "’s "), mention.end) else -1
                    surnames.update(mention.text.split()[1:])
                mentions.append(mention)
    return mentions


def registry_inputs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], list[Range]]]:
    """What ``parse_raw`` gives the recogniser for every article of the test corpora."""
    seen: list[tuple[list[str], list[Range]]] = []
    real = entities.build_registry

    def recording(
        paragraphs: Sequence[str], speakers: Sequence[str] = (), quoted: Sequence[Range] = ()
    ) -> entities.Registry:
        seen.append((list(paragraphs), list(quoted)))
        return real(paragraphs, speakers, quoted)

    monkeypatch.setattr(recipe, "build_registry", recording)
    for corpus in CORPORA:
        files = sorted((DATA / corpus).glob("*.txt"))
        furniture = site_furniture(files)
        for path in files:
            parse_file(path, DATA / corpus, {}, None, furniture)
    return seen


def test_mentions_are_what_the_per_mention_code_finds_on_the_test_corpora(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inputs = registry_inputs(monkeypatch)
    assert len(inputs) > 200
    entities._analysed.cache_clear()
    for paragraphs, quoted in inputs:
        assert find_mentions(paragraphs, quoted) == plain_find_mentions(paragraphs, quoted)
    # and again with every run's analysis remembered from the first time
    for paragraphs, quoted in inputs:
        assert find_mentions(paragraphs, quoted) == plain_find_mentions(paragraphs, quoted)


lower_pieces = st.sampled_from(
    [
        *(" ", "\n", "\t", "-", "’", "'", "_", ".", ",", "(", "“", "1", "é", "\u00a0"),
        *("bush", "rice", "the", "a", "Bush", "bushes", "ok", "x2", "Москва", "rice’s"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(lower_pieces, max_size=24).map("".join), st.lists(lower_pieces, max_size=3))
def test_lower_case_words_are_looked_up_as_finding_them_all_would_find_them(
    text: str, asked: list[str]
) -> None:
    found = set(entities._LOWER_WORD.findall(text))
    lower = _written_lower(text)
    for word in [*found, *asked, "".join(asked), *re.findall(r"\S+", text)]:
        assert (word in lower) == (word in found), word
        assert (word in lower) == (word in found), word  # the answer remembered


heads = st.sampled_from(
    [
        *("Jake", "Sullivan", "the", "of", "said", "Says", "i", "É", "élan", "“Why", "‘so"),
        *("(In", "42", "—", "U.S.", " ", "\n", "\t", "\u00a0", "a", "Z", "zebra"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(heads, max_size=24).map(" ".join))
def test_headline_case_counts_initials_as_splitting_into_words_would(text: str) -> None:
    initials = [w.lstrip("“‘\"'(")[:1] for w in text.split()]
    initials = [c for c in initials if c.isalpha()]
    expected = len(initials) >= 4 and sum(c.isupper() for c in initials) >= 0.75 * len(initials)
    assert headline_case(text) == expected


def test_paragraphs_in_headline_case_are_asked_about_one_at_a_time() -> None:
    paragraphs = ["CIA Refuses To Show Evidence", "The CIA refused to show it.", "Trump Says"]
    in_headline_case = _in_headline_case(paragraphs)
    assert [i in in_headline_case for i in range(3)] == [True, False, False]
    assert "0" not in in_headline_case


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["person", "place", "organization", "x"]), min_size=1))
def test_most_common_is_the_first_of_the_most_frequent(kinds: list[str]) -> None:
    counter = Counter(kinds)
    assert _most_common(counter) == counter.most_common(1)[0][0]


apposition = st.sampled_from(
    [
        *(",", ", ", " ", ";", ".", "(", "—", "the", "a", "who is the", "Jr.", "PhD", "MD"),
        *("senior", "investigator", "director", "spokesman", "at", "Gladstone", "said"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(apposition, max_size=12).map(" ".join))
def test_an_apposition_after_a_name_always_opens_with_a_comma(text: str) -> None:
    # _context_role tries the pattern only after a comma
    for start in range(len(text)):
        if entities._APPOSITION_AFTER.match(text[start:]):
            assert text.startswith(",", start)


role_pieces = st.sampled_from(
    [
        *("President", "president", "PRESIDENT", "vice-president", "Secretary-General", "chief"),
        *("leader", "leaders", "xleader", "Korean", "North", "senior", "the", "of", "Jane"),
        *("O’Brien", "Minister", "prime", "said", "X", "a", "of staff", "ſenator", "\u212aing"),
        *("spokesman", "spokesmen", "é", "42"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(role_pieces, max_size=14),
    st.sampled_from([" ", "  ", "\n", " \t"]),
    st.sampled_from([" ", "\n", "  ", "", ","]),
    st.integers(min_value=0, max_value=40),
)
def test_a_role_before_a_name_is_searched_with_only_the_titles_it_can_end_with(
    words: list[str], space: str, end: str, start: int
) -> None:
    before = space.join(words) + end
    found, expected = (
        entities._role_before(before, start),
        entities._ROLE_BEFORE.search(before, start),
    )
    assert (found and (found.span(), found.group(1))) == (
        expected and (expected.span(), expected.group(1))
    )


def plain_capitalised_runs(text: str) -> list[tuple[int, str]]:
    """``_capitalised_runs`` as it was: ``MENTION`` tried at every ASCII capital."""
    runs, position = [], 0
    while (capital := re.compile(r"[A-Z]").search(text, position)) is not None:
        match = entities.MENTION.match(text, capital.start())
        if match is None:
            position = capital.start() + 1
            continue
        end = match.end()
        if match.group(0).rsplit(None, 1)[-1] in entities._BODIES_ON:
            remit = entities._REMIT.match(text, end)
            if remit and (topic := entities.MENTION.match(text, remit.end())):
                end = topic.end()
        runs.append((match.start(), text[match.start() : end]))
        position = end
    return runs


run_pieces = st.sampled_from(
    [
        *(" ", "  ", "\n", "’", "'", "@", "#", "/", ".", "-", "_", "1", ",", "(", "“", "é"),
        *("Jake", "Sullivan", "Mr.", "U.S.", "A.", "G20", "of", "the", "on", "and", "al-"),
        *("Committee", "Council", "Énergie", "Ōsaka", "McDonald", "O’Brien", "iPhone", "x"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(run_pieces, max_size=24).map("".join), st.lists(run_pieces, max_size=12))
def test_capitalised_runs_start_where_trying_every_capital_would_start_them(
    glued: str, spaced: list[str]
) -> None:
    # The pieces glued (a capital after any character) and spaced (runs, remits, asides).
    for text in (glued, " ".join(spaced)):
        assert entities._capitalised_runs(text) == plain_capitalised_runs(text)
