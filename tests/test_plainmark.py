"""The plain-body fast path gives exactly what Python-Markdown gives, or declines.

``plain_html`` stands in for the Markdown parser on bodies of prose paragraphs and ``##``
headings. Its one promise: whenever it answers, the answer is Python-Markdown's own output
(with the extensions ``markup`` uses). These tests hold it to that on generated bodies
crowded with every character Markdown treats specially, and on every record in the test data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import frontmatter
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsgen import markup
from newsgen.plainmark import _HEADING, _PARAGRAPH, plain_html

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))

# Prose, and every character that starts some Markdown syntax, block or inline.
_PROSE = "abcXYZéß   .,;?!'\"“”‘’()-–—#"
_SYNTAX = "*_`[]<>&\\|{}:=~^+0123456789\t\n\xa0!"
_blocks = st.lists(
    st.one_of(
        st.text(alphabet=_PROSE, min_size=1, max_size=40),
        st.text(alphabet=_PROSE + _SYNTAX, min_size=1, max_size=40),
        st.text(alphabet=_PROSE, min_size=1, max_size=30).map(lambda t: "## " + t),
        st.text(alphabet=_PROSE + _SYNTAX, max_size=30).map(lambda t: "#" + t),
    ),
    min_size=1,
    max_size=6,
)


# Near misses: prose with at most one syntax character somewhere.
_near_miss = st.builds(
    lambda text, char, at: "W" + text[:at] + char + text[at:] + "s",
    st.text(alphabet=_PROSE, min_size=1, max_size=40),
    st.sampled_from(["", *_SYNTAX]),
    st.integers(min_value=0, max_value=40),
)
_plainish_blocks = st.lists(
    st.one_of(_near_miss, _near_miss.map(lambda t: "## " + t)), min_size=1, max_size=6
)


def _markdown(body: str) -> str:
    return markup._new_markdown().convert(body)


@settings(max_examples=600, deadline=None)
@given(blocks=_blocks, newline=st.booleans())
@example(blocks=["Plain words here."], newline=True)
@example(blocks=["## A heading", "“Quoted,” she said."], newline=True)
@example(blocks=["Trailing space "], newline=False)
@example(blocks=["Term", ":   definition"], newline=True)
@example(blocks=["## Closed heading ##"], newline=True)
@example(blocks=["A\xa0B"], newline=True)
def test_an_answer_is_always_python_markdowns_own(blocks: list[str], newline: bool) -> None:
    body = "\n\n".join(blocks) + ("\n" if newline else "")
    plain = plain_html(body)
    if plain is not None:
        assert plain == _markdown(body)


@settings(max_examples=600, deadline=None)
@given(blocks=_plainish_blocks, newline=st.booleans())
def test_near_misses_are_answered_right_or_declined(blocks: list[str], newline: bool) -> None:
    body = "\n\n".join(blocks) + ("\n" if newline else "")
    plain = plain_html(body)
    if plain is not None:
        assert plain == _markdown(body)


@pytest.mark.parametrize(
    "body",
    [
        "Plain words here.\n",
        "## A heading\n\nA paragraph.\n",
        "“Quoted,” said Jane Doe, the mayor.\n\n(An aside in brackets.)\n",
        "We're #1, the team said.\n",
    ],
)
def test_prose_and_headings_take_the_fast_path(body: str) -> None:
    assert plain_html(body) == _markdown(body)


@pytest.mark.parametrize(
    "body",
    [
        "Some *emphasis* here.\n",
        "A [link](https://example.org).\n",
        "AT&T said so.\n",
        "1. a list\n",
        "- a list\n",
        "> a quote\n",
        "    code\n",
        "Two lines\nin one paragraph.\n",
        "Line break  \n",
        "Term\n\n:   definition\n",
        "## Heading {: #id }\n",
        "a | b\n",
        "",
    ],
)
def test_anything_else_is_left_to_the_parser(body: str) -> None:
    assert plain_html(body) is None


def _record_bodies() -> list[str]:
    paths = sorted(DATA.glob("**/*.md"))
    return [frontmatter.loads(p.read_text(encoding="utf-8")).content for p in paths]


def test_every_record_in_the_test_data_renders_the_same_either_way() -> None:
    bodies = _record_bodies()
    fast = 0
    for body in bodies:
        plain = plain_html(body)
        if plain is not None:
            fast += 1
            assert plain == _markdown(body)
    assert fast > len(bodies) // 2  # most records ingest writes are plain


def test_body_html_is_the_same_with_and_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import corpus

    bodies = [a.body for a in corpus.articles(60)] + _record_bodies()[:60]
    fast = [markup.body_html(b) for b in bodies]
    monkeypatch.setattr(markup, "plain_html", lambda body: None)
    assert fast == [markup.body_html(b) for b in bodies]


# Text plain_html may pass on: anything but syntax and control characters, from every plane.
_plain_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="*_`[]<>&\\|{}\ufffe\uffff"
    ),
    min_size=1,
    max_size=40,
).map(lambda t: "W" + t.strip() + "s")


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_plain_text, _plain_text.map(lambda t: "## " + t)), min_size=1))
@example(["A\xa0B", "## C\xa0\xa0D"])
@example(["“Quoted,” she said — in 中文 and 🙂."])
def test_a_plain_body_is_sanitised_as_nh3_would(blocks: list[str]) -> None:
    plain = plain_html("\n\n".join(blocks) + "\n")
    if plain is not None:
        assert markup.plain_sanitised(plain) == markup.sanitised(plain)


def _by_pattern(body: str) -> str | None:
    """``plain_html`` as its patterns define it, each block matched whole."""
    out = []
    for block in body.removesuffix("\n").split("\n\n"):
        if (heading := _HEADING.fullmatch(block)) is not None:
            out.append(f"<h2>{heading[1]}</h2>")
        elif _PARAGRAPH.fullmatch(block) is not None:
            out.append(f"<p>{block}</p>")
        else:
            return None
    return "\n".join(out)


# Blocks from every plane (letters, digits, marks, spaces of every kind, surrogates), with
# each syntax character, newline and heading marker, so both answers are often "plain".
_any_text = st.text(
    alphabet=st.one_of(
        st.characters(), st.sampled_from(_PROSE + _SYNTAX + "\r\x0b\x0c\x1c\x85\u2028\u3000")
    ),
    max_size=30,
)
_any_blocks = st.lists(
    st.one_of(
        _any_text,
        _any_text.map(lambda t: "W" + t + "s"),
        _any_text.map(lambda t: "## " + t),
        _plain_text,
        _plain_text.map(lambda t: "## " + t),
        st.text(alphabet=_PROSE, max_size=20).map(lambda t: "## W" + t + "s"),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=1000, deadline=None)
@given(blocks=_any_blocks, newline=st.sampled_from(["", "\n", "\n\n"]))
@example(blocks=["## "], newline="")
@example(blocks=["A", ""], newline="\n")
@example(blocks=["\ud800bc", "## A\u3000"], newline="")
@example(blocks=["A\nB"], newline="")
@example(blocks=["## We're #1"], newline="\n")
def test_the_fast_check_answers_as_the_patterns_do(blocks: list[str], newline: str) -> None:
    body = "\n\n".join(blocks) + newline
    assert plain_html(body) == _by_pattern(body)
