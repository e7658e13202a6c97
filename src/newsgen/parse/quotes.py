"""Direct quotations and who said them.

Two passes. ``find_spans`` walks the paragraphs and pairs quotation marks (curly and straight,
double and single, a quote running on across paragraphs). ``attribute`` then reads the words
around each span for a speaker: "..., said X", "X said: ...", "according to X", "— X", a
pronoun resolved to the person last named, or the previous quote's speaker when a quote simply
continues. A short phrase that nobody is said to say stays a quote without a speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgen.model import Quote
from newsgen.parse import lexicon
from newsgen.parse.entities import MENTION, Registry, classify

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘‹"
_CLOSE_SINGLE = "’›"
_BEFORE_OPEN = set(" \t([{—–-/:;,") | set(_OPEN_DOUBLE) | set(_OPEN_SINGLE)


@dataclass(frozen=True)
class Span:
    """A quotation: its text, and where it starts and ends (paragraph, offset)."""

    text: str
    start_paragraph: int
    start: int  # offset of the opening mark
    end_paragraph: int
    end: int  # offset just past the closing mark (or the paragraph end)
    closed: bool = True


def find_spans(paragraphs: Sequence[str]) -> list[Span]:
    spans: list[Span] = []
    carried: tuple[int, int, list[str]] | None = None  # an open multi-paragraph quote
    for index, text in enumerate(paragraphs):
        position = 0
        if carried is not None:
            if text[:1] in _OPEN_DOUBLE or text[:1] == '"':
                close = _find_close_double(text, 1)
                start_paragraph, start, parts = carried
                if close is None:
                    carried = (start_paragraph, start, [*parts, text[1:]])
                    continue
                parts = [*parts, text[1:close]]
                spans.append(Span(_join(parts), start_paragraph, start, index, close + 1))
                carried = None
                position = close + 1
            else:  # never closed and not continued: the quote ran to its paragraph's end
                start_paragraph, start, parts = carried
                previous = len(paragraphs[index - 1])
                spans.append(Span(_join(parts), start_paragraph, start, index - 1, previous, False))
                carried = None
        while position < len(text):
            char = text[position]
            if _opens_double(text, position):
                close = _find_close_double(text, position + 1)
                if close is None:
                    carried = (index, position, [text[position + 1 :]])
                    break
                spans.append(Span(_join([text[position + 1 : close]]), index, position, index,
                                  close + 1))
                position = close + 1
            elif _opens_single(text, position):
                close = _find_close_single(text, position + 1)
                if close is None:
                    position += 1  # an apostrophe after all ('90s, 'em)
                    continue
                spans.append(Span(_join([text[position + 1 : close]]), index, position, index,
                                  close + 1))
                position = close + 1
            else:
                position += 1 if char else 1
    if carried is not None:
        start_paragraph, start, parts = carried
        last = len(paragraphs) - 1
        spans.append(Span(_join(parts), start_paragraph, start, last, len(paragraphs[last]),
                          False))
    return [span for span in spans if span.text and any(c.isalnum() for c in span.text)]


def _opens_double(text: str, i: int) -> bool:
    char = text[i]
    if char in _OPEN_DOUBLE:
        return True
    if char == '"' or char == "”":  # straight, or a closing mark used to open
        before_ok = i == 0 or text[i - 1] in _BEFORE_OPEN
        after_ok = i + 1 < len(text) and not text[i + 1].isspace()
        return before_ok and after_ok
    return False


def _find_close_double(text: str, i: int) -> int | None:
    while i < len(text):
        char = text[i]
        if char in _CLOSE_DOUBLE or (char == '"' and i > 0 and not text[i - 1].isspace()):
            return i
        if char == '"' and (i + 1 == len(text) or not text[i + 1].isalnum()):
            return i
        i += 1
    return None


def _opens_single(text: str, i: int) -> bool:
    char = text[i]
    if char not in _OPEN_SINGLE and char != "'":
        return False
    before_ok = i == 0 or text[i - 1] in _BEFORE_OPEN or text[i - 1] in _OPEN_DOUBLE
    after_ok = i + 1 < len(text) and text[i + 1].isalnum()
    return before_ok and after_ok


def _find_close_single(text: str, i: int) -> int | None:
    while i < len(text):
        char = text[i]
        if char in _CLOSE_SINGLE or char == "'":
            after = text[i + 1] if i + 1 < len(text) else " "
            before = text[i - 1]
            if not after.isalnum() and not before.isspace():
                # "leaders’ summit": a plural possessive closes nothing across a long run
                return i
        elif char in "\n" or char in _OPEN_DOUBLE:
            return None
        i += 1
    return None


def _join(parts: Sequence[str]) -> str:
    # The comma before a closing mark is the sentence's, not the speaker's ("...,” he said).
    return " ".join(" ".join(parts).split()).strip().rstrip(",").rstrip()


# --- attribution ------------------------------------------------------------------------

_VERB = "|".join(sorted((v for v in lexicon.REPORTING_VERBS if v.isalpha()), key=len,
                        reverse=True))
_PRONOUN = r"(?:he|she|they|He|She|They)"
_NAME = MENTION.pattern
_DET = r"(?:(?:the|a|an|his|her|their|its)\s+)?"
_ROLE_WORDS = r"(?:[a-z][\w-]*\s+){0,3}"
# A speaker: a pronoun, a (titled) proper name, or "the spokesman" style common noun.
_SPEAKER = rf"(?P<speaker>{_PRONOUN}|{_DET}{_ROLE_WORDS}{_NAME}|{_DET}[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
_ADVERB = r"(?:\w+ly\s+|also\s+|later\s+|then\s+|once\s+|had\s+|has\s+|have\s+|would\s+)?"

_RIGHT_PATTERNS = [
    # ", said National Security Advisor Jake Sullivan" / ", warned the White House"
    re.compile(rf"^[\s,–—-]*(?:{_VERB})\s+{_SPEAKER}"),
    # ", he said" / ", Ding said" / ", the spokesman added"
    re.compile(rf"^[\s,–—-]*{_SPEAKER}(?:,[^,]{{1,80}},)?\s+{_ADVERB}(?:{_VERB})\b"),
    re.compile(rf"^[\s,–—-]*according to\s+{_SPEAKER}", re.IGNORECASE),
    # "— John Adams" signature after a quote
    re.compile(rf"^\s*[–—-]+\s*(?P<speaker>{_NAME})\s*(?:[,.(]|$)"),
]
_LEFT_PATTERNS = [
    # "Jake Sullivan said:" / "Ding said in a statement that" / "Trump told reporters,"
    re.compile(
        rf"{_SPEAKER}(?:,[^,]{{1,80}},)?\s+{_ADVERB}(?:{_VERB})\b[^.!?“”\"]{{0,60}}?"
        r"[,:]?\s*(?:that\s*)?$"
    ),
    # "Sullivan:" interview style
    re.compile(rf"(?:^|[.!?]\s+){_SPEAKER}\s*:\s*$"),
    re.compile(rf"according to\s+{_SPEAKER},?\s*$", re.IGNORECASE),
    # "In the words of X," / "As X put it,"
    re.compile(rf"(?:in the words of|as)\s+{_SPEAKER}\s+(?:put it|wrote|said)?,?\s*$",
               re.IGNORECASE),
]
# A quoted term, not quoted speech: "so-called 'X'", "asked about 'X'", "known as 'X'".
_TERM_BEFORE = re.compile(
    r"\b(?:so-called|called|dubbed|termed|term|word|words|phrase|titled|entitled|named|"
    r"known as|about|as|the|a|an|his|her|their|its|our|my|of|for|with|in|on|from)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
SHORT_QUOTE_WORDS = 4
_TERM = "\x00term"  # marks a quoted term: no speaker, and no continuing of the previous one


def attribute(
    spans: Sequence[Span], paragraphs: Sequence[str], registry: Registry
) -> list[Quote]:
    quotes: list[Quote] = []
    speakers: list[str | None] = []
    for index, span in enumerate(spans):
        speaker = _explicit_speaker(span, paragraphs, registry)
        if speaker is None and len(span.text.split()) > SHORT_QUOTE_WORDS:
            speaker = _continued_speaker(index, spans, speakers, paragraphs)
        elif speaker is _TERM:
            speaker = None
        speakers.append(speaker)
        role = registry.roles.get(speaker) if speaker else None
        quotes.append(Quote(span.text, speaker, role))
    return quotes


def _explicit_speaker(span: Span, paragraphs: Sequence[str], registry: Registry) -> str | None:
    right_text = paragraphs[span.end_paragraph][span.end :]
    left_text = paragraphs[span.start_paragraph][: span.start]
    right = _until_next_quote(right_text)
    left = _since_sentence_start(left_text)
    partial = len(span.text.split()) <= SHORT_QUOTE_WORDS
    if partial and _TERM_BEFORE.search(left):
        return _TERM
    for pattern in _RIGHT_PATTERNS:
        match = pattern.match(right)
        if match and (name := _resolve(match.group("speaker"), span, registry)):
            return name
    for pattern in _LEFT_PATTERNS:
        match = pattern.search(left)
        if match and (name := _resolve(match.group("speaker"), span, registry)):
            return name
    # An embedded quote: the sentence's reporting verb may stand further away, either side.
    sentence_right = _until_sentence_end(right_text)
    match = re.search(rf"\b(?:{_VERB})\s+{_SPEAKER}", sentence_right)
    if match and (name := _resolve(match.group("speaker"), span, registry)):
        return name
    return _subject_speaker(left, span, registry)


def _subject_speaker(left: str, span: Span, registry: Registry) -> str | None:
    """ "John Kirby ... had summoned the regime to 'stop'": the subject of a speech verb."""
    verb = None
    for verb in re.finditer(rf"\b(?:{_VERB}|urged|summoned|calling|demanding)\b", left):
        pass
    if verb is None:
        return None
    found: dict[str, str] = {}
    for mention in MENTION.finditer(left[: verb.start()]):
        name = _resolve(mention.group(0), span, registry, names_only=True)
        kind = registry.kinds.get(name) if name else None
        if name and kind in ("person", "organization"):
            found.setdefault(kind, name)  # the first named is the sentence's subject
    return found.get("person") or found.get("organization")


def _continued_speaker(
    index: int, spans: Sequence[Span], speakers: list[str | None], paragraphs: Sequence[str]
) -> str | None:
    """A quote with no attribution of its own continues the previous speaker's words when it
    stands in the same paragraph, or opens the next paragraph right after theirs."""
    if index == 0:
        return None
    span, previous = spans[index], spans[index - 1]
    speaker = speakers[index - 1]
    if speaker is None:
        return None
    if previous.end_paragraph == span.start_paragraph:
        return speaker
    opens_paragraph = paragraphs[span.start_paragraph][: span.start].strip() == ""
    if opens_paragraph and span.start_paragraph == previous.end_paragraph + 1:
        return speaker
    return None


def _resolve(raw: str, span: Span, registry: Registry, names_only: bool = False) -> str | None:
    """A speaker phrase to a canonical name: pronouns and surnames to the full name."""
    words = raw.split()
    if not words:
        return None
    if words[0].lower() in ("he", "she", "they") and len(words) == 1:
        if names_only:
            return None
        return registry.last_person_before(span.start_paragraph, span.start)
    match = MENTION.search(raw)
    if match is None:
        return None  # "the spokesman", "officials": unnamed
    name = match.group(0)
    if name in ("The", "A", "An", "His", "Her", "Their", "Its") or name.lower() in ("it",):
        rest = raw[match.end() :].strip()
        match = MENTION.search(rest)
        if match is None:
            return None
        name = match.group(0)
    name = re.sub(r"(?:’s|'s)$", "", name)
    for candidate in _name_candidates(name):
        person = registry.resolve_person(candidate)
        if person:
            return person
        canonical = registry.canonical(candidate)
        if canonical and registry.kinds.get(canonical) != "place":
            return canonical
    tokens = _name_candidates(name)[-1].split()
    kind = classify(" ".join(tokens), titled=True)
    if kind in ("person", "organization") and not lexicon.is_title_word(tokens[-1]):
        return " ".join(tokens)
    return None


def _name_candidates(name: str) -> list[str]:
    """ "National Security Advisor Jake Sullivan" -> the name, then it without the title."""
    tokens = name.split()
    candidates = [name]
    while tokens and (lexicon.is_title_word(tokens[0]) or tokens[0] in lexicon.HONORIFICS
                      or tokens[0] in ("The", "US", "U.S.")):
        tokens = tokens[1:]
        if tokens:
            candidates.append(" ".join(tokens))
    titled = [i for i, t in enumerate(tokens) if lexicon.is_title_word(t)]
    if titled and titled[-1] + 1 < len(tokens):
        candidates.append(" ".join(tokens[titled[-1] + 1 :]))
    return candidates


def _until_next_quote(text: str) -> str:
    cut = len(text)
    for mark in _OPEN_DOUBLE + '"':
        position = text.find(mark)
        if position != -1:
            cut = min(cut, position)
    return text[:cut][:200]


def _until_sentence_end(text: str) -> str:
    match = _SENTENCE_END.search(text)
    return text[: match.start()] if match else text[:300]


def _since_sentence_start(text: str) -> str:
    cut = 0
    for match in re.finditer(r"[.!?][”\"’]?\s+(?=[A-Z“\"‘])|[”\"]", text):
        cut = match.end()
    return text[cut:][-250:]
