"""Words glued together where a scraper stripped a hyperlink: "ukrainewarned", "TimesKim".

The rules are deliberately cautious, because splitting a real word is worse than leaving a
glued one: a token is split only when it is unknown as a whole and known in its parts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import wordfreq
import wordninja

from newsgen.parse import lexicon

# wordninja's word list is ordered by frequency in English text (names and brands included).
_RANKS: dict[str, int] = {
    word: rank for rank, word in enumerate(wordninja.DEFAULT_LANGUAGE_MODEL._wordcost)
}
COMMON_RANK = 30_000  # about where everyday vocabulary ends and rare words and typos begin
SHORT_WORD_RANK = 300  # two-letter halves must be very common ("in", "of"), not noise ("ob")

_TOKEN = re.compile(r"\S+")
_CORE = re.compile(r"^(?P<lead>\W*)(?P<core>.*?)(?P<trail>\W*)$", re.DOTALL)
_CASE_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_NAME_PREFIX = re.compile(r"^(?:Mc|Mac|O’|O'|De|Di|Da|La|Le|Van|Von|Du)[A-Z]|^[a-z]{1,2}[A-Z]")
_SENTENCE_GLUE = re.compile(r"(?<=[a-z]{2})([.!?])(?=[A-Z][a-z])")
_NOT_PROSE = re.compile(r"[\d@#/_=&]|\.\w+\.|www|https?", re.IGNORECASE)


# Prefixes that make one word of what follows: a split after them breaks a real word.
_PREFIXES = frozenset(
    {"mis", "in", "un", "re", "dis", "non", "pre", "over", "under", "out", "sub", "co"}
    | {"counter", "inter", "super", "anti", "semi", "multi", "post", "mid", "self", "cross"}
    | {"fore", "with", "up", "down", "off"}
)


def rank(word: str) -> int | None:
    return _RANKS.get(word.lower())


@dataclass(frozen=True)
class Vocabulary:
    """What the article itself writes: each word as spelled and how often, in order of
    appearance, and the words it knows in lowercase."""

    counts: Counter[str]
    text: str = ""  # the article itself, for the rare question of which phrases it writes

    @cached_property
    def lowered(self) -> frozenset[str]:
        # Asked only for a token with a case break ("TimesKim"): most articles never do.
        return frozenset(map(str.lower, self.counts))

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        texts = list(texts)
        return cls.of_tokens(_tokens(texts), "\n".join(texts))

    @classmethod
    def of_tokens(
        cls, tokens: Counter[str], text: str = "", cores: dict[str, str] | None = None
    ) -> Vocabulary:
        """From the article's whitespace-separated tokens counted (in order of appearance):
        words repeat, so each distinct token is stripped once (``cores``: already done)."""
        # A plain dict: a Counter's ``+=`` on a new key calls ``__missing__`` in Python.
        counts: dict[str, int] = {}
        count = counts.get
        for token, n in tokens.items():
            core = cores[token] if cores is not None else _core(token)
            if core.isalpha():
                counts[core] = count(core, 0) + n
        return cls(Counter(counts), text)

    def writes_phrase(self, words: Sequence[str]) -> bool:
        """Whether the article writes these words apart somewhere ("New York" beside a
        glued "newyork")."""
        return (
            re.search(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", self.text, re.I)
            is not None
        )

    def knows(self, word: str) -> bool:
        return word.lower() in self.lowered

    def cased(self, word: str) -> str:
        """The article's preferred spelling of ``word`` (asked only for the few words split)."""
        lower = word.lower()
        forms = Counter({form: n for form, n in self.counts.items() if form.lower() == lower})
        return _preferred(forms) if forms else word


def _tokens(texts: Iterable[str]) -> Counter[str]:
    # ``str.split`` splits where ``_TOKEN`` does (both use Unicode's whitespace), faster.
    return Counter("\n".join(texts).split())


def _preferred(forms: Counter[str]) -> str:
    # Prefer a capitalised form when the article ever capitalises the word mid-sentence;
    # counting is good enough because sentence-initial capitals are rare per word.
    capitalised = [form for form in forms if form[:1].isupper() and not form.isupper()]
    lower = forms.get(next(iter(forms)).lower(), 0)
    if capitalised and sum(forms[f] for f in capitalised) > lower:
        return max(capitalised, key=lambda f: (forms[f], f))
    return forms.most_common(1)[0][0]


def repair(paragraphs: Sequence[str], extra_context: Sequence[str] = ()) -> list[str]:
    """Each paragraph with its glued words split, cased as the article cases them."""
    text = "\n".join([*paragraphs, *extra_context])
    # ``str.split`` splits where ``_TOKEN`` does (both use Unicode's whitespace).
    tokens = text.split()
    distinct = set(tokens)
    global _MEMO
    word_of, settled = _MEMO
    new = distinct.difference(word_of)
    if new:
        if len(word_of) + len(new) > _MAX_TOKENS:
            # A bound on memory (forgetting costs only this work again). New objects, not
            # ``clear()``: a thread still using the old pair keeps every token it learned.
            word_of, settled = _MEMO = ({}, set())
            new = distinct
        _learn(new, word_of, settled)
    # Nine in ten of an article's distinct tokens are kept whatever the article says; the
    # few left (two an article) are decided against its vocabulary, as before.
    unsettled = sorted(distinct.difference(settled))
    if not unsettled:
        return list(paragraphs)
    # Counted token by token in C; a Counter keeps first appearances in order, as the
    # article's own order of words (``Vocabulary.cased`` breaks ties by it).
    counts = Counter(map(word_of.__getitem__, tokens))
    counts.pop("", None)
    vocabulary = Vocabulary(counts, text)
    # A token's repair depends on the token and the article only: decide each distinct one
    # once, and rewrite only the paragraphs that hold one that changes (few do).
    changes: dict[str, str] = {}
    for token in unsettled:
        fixed = _repair_token(token, vocabulary)
        if fixed != token:
            changes[token] = fixed
    if not changes:
        return list(paragraphs)
    changed = re.compile(rf"(?<!\S)(?:{'|'.join(map(re.escape, changes))})(?!\S)")
    return [changed.sub(lambda m: changes[m.group(0)], p) for p in paragraphs]


def _learn(tokens: Iterable[str], word_of: dict[str, str], settled: set[str]) -> None:
    """What ``repair`` needs of each token whatever the article: the word it adds to the
    vocabulary (``word_of``, "" for none) and whether ``_repair_token`` keeps it in every
    article (``settled``). Remembered per process (``_MEMO``): a worker sees the same tokens
    ("said,", "officials") in article after article."""
    for token in tokens:
        core = _core(token)
        word_of[token] = core if core.isalpha() else ""
        if _kept_anywhere(token, core):
            settled.add(token)


_MEMO: tuple[dict[str, str], set[str]] = ({}, set())
_MAX_TOKENS = 1 << 17


def _kept_anywhere(token: str, core: str) -> bool:
    """True only when ``_repair_token`` returns the token unchanged for every vocabulary:
    the tests that do not look at the article, in its order (a token left False is decided
    per article, as before)."""
    if len(token) < 5 or (core.isalpha() and _plain_word(core)):
        return True  # the common cases ("said", "officials,"), never split
    if len(core) < 5 or "-" in core or "’" in core or "'" in core or _NOT_PROSE.search(core):
        return True
    if _SENTENCE_GLUE.search(core):
        return False
    if _CASE_BREAK.search(core):
        return rank(core) is not None or _NAME_PREFIX.match(core) is not None
    if core.isalpha() and core.islower():
        if rank(core) is not None or len(core) > _MAX_GLUED:
            return True
        parts = _ninja(core)  # not two parts, or a prefix first: kept by any vocabulary
        return len(parts) != 2 or parts[0] in _PREFIXES
    return True


def _repair_token(token: str, vocabulary: Vocabulary) -> str:
    lead, core, trail = _strip(token)
    if len(core) < 5 or "-" in core or "’" in core or "'" in core or _NOT_PROSE.search(core):
        return token
    fixed = _SENTENCE_GLUE.sub(r"\1 ", core)
    if fixed != core:
        return lead + " ".join(_repair_token(part, vocabulary) for part in fixed.split()) + trail
    if _CASE_BREAK.search(core):
        return lead + _split_case_break(core, vocabulary) + trail
    if core.isalpha() and core.islower():
        return lead + _split_lowercase(core, vocabulary) + trail
    return token


def _split_case_break(core: str, vocabulary: Vocabulary) -> str:
    """ "TimesKim" -> "Times Kim", unless the token is a name or brand written that way."""
    if (
        rank(core) is not None
        or _NAME_PREFIX.match(core)
        or vocabulary.counts[core] > 1  # written the same way twice: a name, not an accident
    ):
        return core
    parts = _CASE_BREAK.split(core)
    if _is_camel_brand(parts, vocabulary):
        return core
    if all(_is_word(part, vocabulary) for part in parts):
        return " ".join(parts)
    return core


# The commonest words ("The", "He", "In") open the sentence a link was glued to.
_OPENER_RANK = 100


def _is_camel_brand(parts: Sequence[str], vocabulary: Vocabulary) -> bool:
    """ "StockCharts", "BlackRock": every part capitalised, none a sentence's opening word,
    and the article never writes a later part on its own. A link glued to the next name
    ("TimesKim" before "Kim Jong Un has ...") leaves that name written apart elsewhere."""
    return all(part[:1].isupper() for part in parts) and not any(
        (rank(part) or _OPENER_RANK) < _OPENER_RANK or vocabulary.counts[part] > 0
        for part in parts[1:]
    )


def _split_lowercase(core: str, vocabulary: Vocabulary) -> str:
    """ "ukrainewarned" -> "Ukraine warned": unknown whole, two common halves."""
    if rank(core) is not None or vocabulary.counts[core] > 1 or len(core) > _MAX_GLUED:
        return core
    parts = _ninja(core)
    if len(parts) != 2 or not all(_is_common(part, vocabulary) for part in parts):
        return core
    if parts[0] in _PREFIXES:
        return core  # "misbranded", "indwelling", "overreach": a prefixed word, not two
    if _english_word(core) and not vocabulary.writes_phrase(parts):
        return core  # "roadmap", "capper": a word wordninja's list lacks, not two glued
    if not (
        any(part in _SMALL_WORDS for part in parts)
        or any(vocabulary.cased(part) != part for part in parts)
        or vocabulary.writes_phrase(parts)
    ):
        # Two lowercase content words ("parliament arianism", "con founders", "prop pants",
        # "well heads") are most often one rare word, compound or inflection wordninja's
        # list lacks. A link stripped between two words leaves a small word on one side
        # ("thegrowing", "toresolve"), a name the article writes capitalised
        # ("ukrainewarned"), or words the article also writes apart.
        return core

    return " ".join(vocabulary.cased(part) for part in parts)


# The small words a stripped link leaves glued to its neighbour.
_SMALL_WORDS = lexicon.FUNCTION_WORDS | frozenset(lexicon.AUXILIARIES)


# wordfreq knows how often a word occurs across many sources of edited English; a glued pair
# of words ("ukrainewarned") almost never occurs. About once in 10 million words is a word.
_ENGLISH_WORD_ZIPF = 2.0


def _english_word(word: str) -> bool:
    return wordfreq.zipf_frequency(word, "en") >= _ENGLISH_WORD_ZIPF


def _plain_word(word: str) -> bool:
    """A word of letters that ``_repair_token`` would keep: a known lowercase word, or one
    with no lowercase letter right before a capital ("Washington", "NATO": ``istitle`` and
    ``isupper`` rule that out), which leaves nothing to split."""
    if word.islower():
        return word in _RANKS
    return word.istitle() or word.isupper()


# Two glued English words are rarely longer than this; wordninja's cost grows with the token
# (a 50 kB run of letters took 40 s), and such a run is not prose to repair anyway.
_MAX_GLUED = 40


@cache
def _ninja(word: str) -> tuple[str, ...]:
    return tuple(wordninja.split(word))


def _is_common(word: str, vocabulary: Vocabulary) -> bool:
    word_rank = rank(word)
    if len(word) == 1 and word not in ("a", "i"):
        return False  # "crypto s", "polite d": an inflection cut off, never a word
    if len(word) <= 2:
        return word_rank is not None and word_rank < SHORT_WORD_RANK
    return (word_rank is not None and word_rank < COMMON_RANK) or vocabulary.counts[word] > 0


def _is_word(word: str, vocabulary: Vocabulary) -> bool:
    return len(word) >= 2 and (rank(word) is not None or vocabulary.knows(word))


def _core(token: str) -> str:
    """The word in a token without its punctuation: "(Reuters)," -> "Reuters"."""
    if token.isalpha():
        return token  # a plain word is its core
    core = _CORES.get(token)
    if core is None:
        core = _strip(token)[1]
        if len(_CORES) < _MAX_CORES:  # "said," and "(Reuters)" recur in every article
            _CORES[token] = core
    return core


_CORES: dict[str, str] = {}
_MAX_CORES = 1 << 16


def _strip(token: str) -> tuple[str, str, str]:
    if _is_word_char(token[:1]) and _is_word_char(token[-1:]):
        return "", token, ""  # most tokens: nothing to strip, no regex needed
    match = _CORE.match(token)
    assert match is not None  # the pattern matches any string
    return match.group("lead"), match.group("core"), match.group("trail")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\w`` matches
