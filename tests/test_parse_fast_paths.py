"""The parser's shortcuts give exactly what the slow, obvious code gives, for any text."""

from __future__ import annotations

import hashlib
import pickle
import re
import unicodedata
from collections import Counter

import ftfy
import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import dedupe
from newsgen.parse import entities, glue, quotes, trailers
from newsgen.parse.entities import MENTION, _capitalised_runs, headline_case
from newsgen.parse.guards import ending_guard, guards, may_search
from newsgen.parse.text import _CONTROL, _FTFY, _ODD_SPACE, _SPACES, clean, fix_mojibake

# Plain text, typography, mojibake, entities, tags, odd widths, controls and line breaks.
pieces = st.sampled_from(
    [
        " ",
        "\n",
        "\n\n",
        "\t",
        "it",
        "’s",
        "“quoted”",
        "‘single’",
        " – ",
        "—",
        "…",
        "itâ€™s",
        "â€œ",
        "Ã©",
        "Â ",
        "&amp;",
        "&lt;b&gt;",
        "AT&T",
        "Q&A;",
        "&#",
        "&#8217;",
        "&AMP;",
        "& x;",
        "<b>",
        "ﬁ",
        "ＡＢ",
        "\x1b[1m",
        "\x85",
        "\u2028",
        "\x00",
        "\ufeff",
        "café",
        "Москва",
        "Ð¼Ð¾",
        "£5",
        "\ufffd",
    ]
)
texts = st.lists(pieces, max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_ftfy_is_skipped_only_where_it_would_change_nothing(text: str) -> None:
    assert fix_mojibake(text) == ftfy.fix_text(text, _FTFY)


words = st.sampled_from(
    [
        "the",
        "ukrainewarned",
        "TimesKim",
        "McDonald",
        "iPhone",
        "NATO",
        "Washington",
        "x",
        "(quoted),",
        "“Hello",
        "end.Next",
        "e.g.",
        "well-known",
        "it’s",
        "_x_",
        "’90s",
        "café",
    ]
)
paragraphs = st.lists(st.lists(words, max_size=12).map(" ".join), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(paragraphs)
def test_glue_repair_decides_each_token_as_the_token_by_token_rewrite_would(
    texts: list[str],
) -> None:
    vocabulary = glue.Vocabulary.of(texts)
    one_by_one = [
        glue._TOKEN.sub(lambda m: glue._repair_token(m.group(0), vocabulary), text)
        for text in texts
    ]
    assert glue.repair(texts) == one_by_one


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=20).map(" ".join))
def test_strip_shortcut_matches_the_pattern(text: str) -> None:
    for token in text.split():
        match = glue._CORE.match(token)
        assert match is not None
        assert glue._strip(token) == (match["lead"], match["core"], match["trail"])


names = st.sampled_from(
    [
        *("Jake Sullivan", "Mr. Sullivan", "U.S.", "G20", "the", "of", "New York Times"),
        *("O’Brien", "said", "’s", "-", ".", ", ", "@Kim", "#Tag", "x.Y", "McDonald", "A"),
        *(" ", "\n", "é"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(names, max_size=20).map(" ".join))
def test_capitalised_runs_are_what_the_mention_pattern_finds(text: str) -> None:
    expected = [(m.start(), m.group(0)) for m in MENTION.finditer(text)]
    assert list(_capitalised_runs(text)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(names, names.map("“{}”".format)), max_size=20).map(" ".join))
def test_headline_case_reads_word_initials_as_splitting_would(text: str) -> None:
    # each word's first letter after any opening quote mark or bracket
    words = [w.lstrip("“‘\"'(") for w in text.split()]
    words = [w for w in words if w[:1].isalpha()]
    expected = len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)
    assert headline_case(text) == expected


speech = st.sampled_from(
    [
        *("Jake Sullivan", "Mr. Sullivan", "the spokesman", "he", "She", "Trump’s", "Obama's"),
        *("said", "told reporters", "added", "warned", "said in a statement that", "recent"),
        *("commentary", "words", "tweet", "that", "read", "put it", "summed it up", "this way"),
        *("As", "as", ",", ":", ".", "!", "“", "”", '"', " ", "  ", "\n", "quickly", "é"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(speech, max_size=16).map(" ".join))
def test_guarded_quote_patterns_find_what_searching_them_finds(text: str) -> None:
    assert quotes._LEFT_GUARDS, "the slow left-hand patterns lost their guards"
    for pattern in quotes._LEFT_PATTERNS:
        found, expected = may_search(pattern, text, quotes._LEFT_GUARDS), pattern.search(text)
        assert (found and found.span(), found and found.groupdict()) == (
            expected and expected.span(),
            expected and expected.groupdict(),
        )


def test_guards_are_found_by_the_patterns_identity_and_read_as_a_mapping() -> None:
    said = re.compile(r"(?P<who>\w+) said$")
    wrote = re.compile(r"(?P<who>\w+) wrote$")
    table = guards([said, wrote, re.compile(r"x| said$")], [r" said$", r" wrote$"])
    assert dict(table) == {said: re.compile(r" said$"), wrote: re.compile(r" wrote$")}
    assert table.guard_for(said) is table[said]
    assert table.guard_for(re.compile(r"(?P<who>\w+) told$")) is None
    assert may_search(said, "Ann wrote", table) is None
    found = may_search(said, "Ann said", table)
    assert found is not None and found.group("who") == "Ann"


def test_a_guard_is_the_patterns_own_ending_joined_as_a_plain_sequence() -> None:
    assert ending_guard(re.compile(r"(?P<who>\w+) said$"), [r" said$"]) is not None
    assert ending_guard(re.compile(r"[(|]\w+ said$"), [r" said$"]) is not None
    # "x|y said" matches "x" at the end without "said": no guard may rule it out.
    assert ending_guard(re.compile(r"x| said$"), [r" said$"]) is None
    assert ending_guard(re.compile(r"(?:x| said)$"), [r" said)$"]) is None
    assert ending_guard(re.compile(r"x said$"), [r"told$"]) is None
    # Cut inside an escape, or an ending that refers to a group it would no longer have.
    assert ending_guard(re.compile(r"x\s+said$"), [r"s+said$"]) is None
    assert ending_guard(re.compile(r"(?P<w>\w+) (?P=w)$"), [r" (?P=w)$"]) is None
    assert ending_guard(re.compile(r"(\w+) \1$"), [r" \1$"]) is None
    guard = ending_guard(re.compile(r"(?i:according to) (?P<who>\w+)$", re.M), [r" (?P<who>\w+)$"])
    assert guard is not None and guard.flags == re.compile("", re.M).flags


def _plain_shingle_value(trigram: tuple[str | None, ...]) -> int:
    """``dedupe.shingle_values`` for one trigram, spelled out with Python's integers (a
    missing word of a body shorter than three words hashes to 0)."""
    mask = (1 << 64) - 1
    first, second, third = (
        0
        if w is None
        else int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little")
        for w in trigram
    )
    x = (first * 0x9E3779B97F4A7C15 + second * 0xC2B2AE3D27D4EB4F + third) & mask
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & mask
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & mask
    x ^= x >> 31
    return x >> 32


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=40).map(" ".join))
def test_fingerprints_hash_each_shingle_as_the_plain_definition_would(body: str) -> None:
    found: list[str | None] = list(re.findall(r"\w+", body.casefold()))
    padded = found + [None] * (3 - len(found))
    trigrams = set(zip(padded, padded[1:], padded[2:], strict=False))
    expected = MinHash(num_perm=dedupe.NUM_PERM, seed=1, hashfunc=int)
    expected.update_batch([_plain_shingle_value(t) for t in trigrams])
    found_signature = dedupe.fingerprint(body)
    assert found_signature == expected
    # A whole MinHash, as update_batch leaves one: it copies, pickles, compares and merges.
    assert vars(found_signature).keys() == vars(expected).keys()
    assert found_signature.hashvalues.dtype == expected.hashvalues.dtype
    assert np.array_equal(found_signature.permutations, expected.permutations)
    assert pickle.loads(pickle.dumps(found_signature)) == expected == found_signature.copy()
    assert found_signature.jaccard(expected) == 1.0


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=4))
def test_glue_tokens_are_what_the_token_pattern_finds(paragraphs: list[str]) -> None:
    expected = Counter(glue._TOKEN.findall("\n".join(paragraphs)))
    assert list(glue._tokens(paragraphs).items()) == list(expected.items())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "\t", "\u00a0", "\u2003", "\u3000", "a", "\n"]), max_size=20))
def test_space_runs_become_one_space_as_the_plain_pattern_would_make_them(chars: list[str]) -> None:
    text = "".join(chars)
    expected = re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text)
    assert _SPACES.sub(" ", text) == expected


def _clean_every_pass(text: str) -> str:
    """``text.clean`` with every pass run on every text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", fix_mojibake(text)))
    text = re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")


# Plain characters (ASCII and the typography the plain test admits) and each kind that is not:
# controls, zero-width and bidi marks, odd spaces, a combining accent, mojibake, an entity.
clean_pieces = st.sampled_from(
    ["a", "Z", " ", "  ", "\t", "\n", "\r\n", "\r", "‘", "’", "“", "”", "–", "—", "…", "&",
     "&amp;", "AT&T", "\x00", "\x07", "\x1b", "\x85", "\x9f", "\u200b", "\u202e", "\ufeff",
     "\u00a0", "\u2003", "\u3000", "e\u0301", "é", "itâ€™s", "Ã©", "<b>"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(clean_pieces, max_size=24).map("".join))
def test_clean_skips_only_passes_that_would_change_nothing(text: str) -> None:
    assert clean(text) == _clean_every_pass(text)


# Every character Unicode or a pattern here calls a space, and a letter.
every_space = sorted({c for c in map(chr, range(0x3100)) if c.isspace()} | {"\u200b", "a"})


def test_text_with_no_double_space_or_odd_space_has_no_space_run_to_replace() -> None:
    # A match of ``_SPACES`` is one or two characters at its shortest: every pair decides it.
    for text in (a + b for a in every_space for b in every_space):
        if "  " not in text and not _ODD_SPACE.search(text):
            assert _SPACES.search(text) is None, repr(text)


# Lines near the guarded junk patterns: their words, in odd cases and with the letters that
# match an ASCII letter only under IGNORECASE.
junk_pieces = st.sampled_from(
    ["click", "here", "Click Here", "CLİCK", "clıck", "reſerved", "All rights reserved", ".",
     "…", "..", "read more", "Read More", "(", ")", "/", "REUTERS", "|", "2017", "54 min",
     "is a post from", "The post", "appeared first on", "share this", "comment & share",
     "youtube", "Vimeo", "from", "on", "button", "like", "Kelvin", " ", "  ", "the", "x",
     "Let us KNOW", "in the comments", "HR2899-", "https://x.org/a", "fair use", "Sec. 107",
     "TITLE 17", "Filed under:", "@", "@https://x.org/a", "Click here to", "see all."]
)  # fmt: skip


def _junk_by_the_whole_patterns(line: str) -> bool:
    if len(line) > 400:
        return trailers.LONG_JUNK_LINE.fullmatch(line) is not None
    if trailers.JUNK_LINE.fullmatch(line) is not None:
        return True
    return any(pattern.fullmatch(line) is not None for _, pattern in trailers.GUARDED_JUNK)


@settings(max_examples=500, deadline=None)
@given(st.lists(junk_pieces, max_size=14).map(" ".join))
def test_junk_guards_find_every_line_the_whole_pattern_finds(line: str) -> None:
    assert trailers.is_junk(line) == _junk_by_the_whole_patterns(line)


def test_junk_guards_fold_every_letter_that_matches_an_ascii_one() -> None:
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(128, 0x110000):
        char = chr(code)
        if ascii_letter.fullmatch(char):
            folded = trailers._ascii_folded(char.lower())
            assert folded.isascii() and re.fullmatch(folded, char, re.IGNORECASE), char


# Lines near the offer patterns: their words in odd cases, the letters that match an ASCII
# one only under IGNORECASE, and the rest of what the patterns ask for.
offer_pieces = st.sampled_from(
    ["free", "FREE", "Free", "fre", "e-book", "ebook", "shipping", "chapter", "trial", "50%",
     "% off", "OFF", "off", "download", "the", "guide", "learn how with a", "For more information",
     "I", "we", "You", "our", "lightning", "Lightning Deals", "deals", "DEALS", "deaſs", "amazon",
     "on", "Amazon", "ſhipping", "fre\u0307e", ".", "!", " ", "x" * 40]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(offer_pieces, max_size=14).map(" ".join))
def test_offer_guards_find_every_line_the_whole_patterns_find(line: str) -> None:
    assert all(words for _, words in trailers._OFFERS), "an offer pattern lost its guard"
    whole = trailers.PROMOTION.fullmatch(line) or trailers.DEALS_PLUG.fullmatch(line)
    assert trailers._is_offer(line) == bool(whole)


role_words = st.sampled_from(
    ["President", "president", "leader", "Korean", "North", "senior", "the", "of", "Jane",
     "O’Brien", "vice-president", "Minister", "prime", "said", "xleader", "X", "a", "chief"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(role_words, max_size=16), st.sampled_from([" ", "  ", "\n", " \t"]))
def test_a_role_before_a_name_is_found_from_the_last_words_as_from_the_start(
    words: list[str], space: str
) -> None:
    before = space.join(words) + " "
    head = before.rsplit(None, entities._ROLE_WORDS)
    start = len(head[0]) if len(head) > entities._ROLE_WORDS else 0
    found, expected = (
        entities._ROLE_BEFORE.search(before, start),
        entities._ROLE_BEFORE.search(before),
    )
    assert (found and found.group(1)) == (expected and expected.group(1))


glue_parts = st.sampled_from(
    [
        *("ukraine", "warned", "times", "Times", "Kim", "new", "york", "road", "map", "over"),
        *("reach", "Mc", "Donald", "i", "Phone", "NATO", "in", "said", "the", "x", "é"),
        *(".", ",", "(", ")", "-", "’", "'", "7", "/", "www", "“", "_"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(glue_parts, min_size=1, max_size=5), st.lists(glue_parts, max_size=8), st.data())
def test_tokens_kept_whatever_the_article_are_kept_by_every_article(
    token_parts: list[str], other_words: list[str], data: st.DataObject
) -> None:
    """``glue.repair`` skips, in every article, the tokens ``_kept_anywhere`` settles: for any
    article, even one that writes the token's own parts apart or the token twice, the
    per-article rules would have kept them too."""
    token = "".join(token_parts)
    repeats = data.draw(st.integers(0, 2))
    text = " ".join([*token_parts, *other_words, *[token] * repeats])
    vocabulary = glue.Vocabulary.of([text])
    if glue._kept_anywhere(token, glue._core(token)):
        assert glue._repair_token(token, vocabulary) == token


def test_the_per_process_memos_forget_past_their_bound_and_decide_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = ["the ukrainewarned TimesKim said", "end.Next officials, ukrainewarned the"]
    glued = [glue.repair([text]) for text in texts]
    fingerprints = [dedupe.fingerprint(text) for text in texts]
    monkeypatch.setattr(glue, "_MEMO", ({}, set()))
    monkeypatch.setattr(glue, "_MAX_TOKENS", 2)
    monkeypatch.setattr(dedupe, "_WORD_HASHES", {})
    monkeypatch.setattr(dedupe, "_MAX_WORD_HASHES", 2)
    for _ in range(2):
        assert [glue.repair([text]) for text in texts] == glued
        assert [dedupe.fingerprint(text) for text in texts] == fingerprints
    # Each article brought new words past the bound: what is kept is the last article's.
    assert set(glue._MEMO[0]) == set(texts[-1].split())
    assert set(dedupe._WORD_HASHES) == set(re.findall(r"\w+", texts[-1].casefold()))
