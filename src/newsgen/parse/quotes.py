"""Direct quotations and who said them.

Two passes. ``find_spans`` walks the paragraphs and pairs quotation marks (curly and straight,
double and single, a quote running on across paragraphs). ``attribute`` then reads the words
around each span for a speaker: "..., said X", "X said: ...", "according to X", "— X", a
pronoun resolved to the person last named, or the previous quote's speaker when a quote simply
continues. A short phrase that nobody is said to say stays a quote without a speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsgen.model import Quote
from newsgen.parse import lexicon
from newsgen.parse.entities import MENTION, Registry, classify
from newsgen.parse.guards import guards, may_search

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘‹"
_CLOSE_SINGLE = "’›"
_BEFORE_OPEN = set(" \t([{—–-/:;,") | set(_OPEN_DOUBLE) | set(_OPEN_SINGLE)
# Every character that can open a quotation: the scan jumps from one to the next.
_MARK = re.compile("[" + re.escape(_OPEN_DOUBLE + _OPEN_SINGLE + "\"”'") + "]")
_CLOSE_DOUBLE_MARK = re.compile("[" + re.escape(_CLOSE_DOUBLE + '"') + "]")
_CLOSE_SINGLE_MARK = re.compile("[" + re.escape(_CLOSE_SINGLE + "'\n" + _OPEN_DOUBLE) + "]")


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
        while (mark := _MARK.search(text, position)) is not None:
            position = mark.start()
            if _opens_double(text, position):
                close = _find_close_double(text, position + 1)
                if text[position] == "“" and "“" in text[position + 1 : close]:
                    # Another opening mark before this one closes: this one never closes
                    # (a block quote's stray mark, an echo left open); the next one may.
                    position += 1
                    continue
                if close is None:
                    carried = (index, position, [text[position + 1 :]])
                    break
                spans.append(
                    Span(_join([text[position + 1 : close]]), index, position, index, close + 1)
                )
                position = close + 1
            elif _opens_single(text, position):
                close = _find_close_single(text, position + 1)
                if close is None:
                    position += 1  # an apostrophe after all ('90s, 'em)
                    continue
                spans.append(
                    Span(_join([text[position + 1 : close]]), index, position, index, close + 1)
                )
                position = close + 1
            else:
                position += 1
    if carried is not None:
        start_paragraph, start, parts = carried
        last = len(paragraphs) - 1
        spans.append(Span(_join(parts), start_paragraph, start, last, len(paragraphs[last]), False))
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
    for mark in _CLOSE_DOUBLE_MARK.finditer(text, i):
        i = mark.start()
        if text[i] in _CLOSE_DOUBLE or (i > 0 and not text[i - 1].isspace()):
            return i
        if i + 1 == len(text) or not text[i + 1].isalnum():
            return i
    return None


def _opens_single(text: str, i: int) -> bool:
    char = text[i]
    if char not in _OPEN_SINGLE and char != "'":
        return False
    before_ok = i == 0 or text[i - 1] in _BEFORE_OPEN or text[i - 1] in _OPEN_DOUBLE
    after_ok = i + 1 < len(text) and text[i + 1].isalnum()
    return before_ok and after_ok


def _find_close_single(text: str, i: int) -> int | None:
    for mark in _CLOSE_SINGLE_MARK.finditer(text, i):
        i = mark.start()
        if text[i] not in _CLOSE_SINGLE and text[i] != "'":
            return None  # a line break or a double quote: this was an apostrophe
        after = text[i + 1] if i + 1 < len(text) else " "
        if not after.isalnum() and not text[i - 1].isspace():
            # "leaders’ summit": a plural possessive closes nothing across a long run
            return i
    return None


def _join(parts: Sequence[str]) -> str:
    # The comma before a closing mark is the sentence's, not the speaker's ("...,” he said).
    return " ".join(" ".join(parts).split()).strip().rstrip(",").rstrip()


# --- attribution ------------------------------------------------------------------------

_VERB = "|".join(sorted((v for v in lexicon.REPORTING_VERBS if v.isalpha()), key=len, reverse=True))
_PRONOUN = r"(?:he|she|they|He|She|They)"
_NAME = MENTION.pattern
_DET = r"(?:(?:the|a|an|his|her|their|its)\s+)?"
_ROLE_WORDS = r"(?:[a-z][\w-]*\s+){0,3}"
# A speaker: a pronoun, a (titled) proper name, a name and what of it speaks ("the Venezuelan
# government", "FBI officials"), or "the spokesman" style common noun.
_SPEAKER = (
    rf"(?P<speaker>{_PRONOUN}|{_DET}{_ROLE_WORDS}{_NAME}|{_DET}{_NAME}(?:\s+[a-z][\w()-]*){{1,2}}|"
    rf"{_DET}[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
)
# ", Dana Whitfield," or ", the agency's spokesman," between a speaker and the verb
_APPOSITIVE = r"(?:,\s*(?P<appositive>[^,]{1,80}),)?"
_ADVERB = r"(?:\w+ly\s+|also\s+|later\s+|then\s+|once\s+|had\s+|has\s+|have\s+|would\s+)?"

# "— John Adams" signing a quote that stands alone
# (or an embedded tweet, "— Donald J. Trump (@realDonaldTrump)", wherever it stands)
_SIGNATURE = re.compile(rf"^\s*[–—-]+\s*(?P<speaker>{_NAME})\s*(?P<handle>\(@\w+\))?\s*(?:[,.(]|$)")
_RIGHT_PATTERNS = [
    # ", said National Security Advisor Jake Sullivan" / ", warned the White House"
    re.compile(rf"^[\s,–—-]*(?:{_VERB})\s+{_SPEAKER}"),
    # ", he said" / ", Ding said" / ", the spokesman added"
    re.compile(rf"^[\s,–—-]*{_SPEAKER}{_APPOSITIVE}\s+{_ADVERB}(?:{_VERB})\b"),
    re.compile(rf"^[\s,–—-]*(?i:according to)\s+{_SPEAKER}"),
    _SIGNATURE,
]
_STATEMENT_NOUNS = (
    "statement|statements|comment|comments|commentary|remark|remarks|words|tweet|tweets|post|"
    "message|claim|assertion|warning|promise|response|reply|answer|letter|speech"
)
_LEFT_PATTERNS = [
    # "Jake Sullivan said:" / "Ding said in a statement that" / "Trump told reporters,"
    re.compile(
        rf"{_SPEAKER}{_APPOSITIVE}\s+{_ADVERB}(?:{_VERB})\b[^.!?“”\"]{{0,60}}?"
        r"[,:]?\s*(?:that\s*)?$"
    ),
    # "Trump's recent commentary that", "Obama's words:", "a tweet from President Trump that read,"
    re.compile(
        rf"{_SPEAKER}(?:’s|'s)\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_STATEMENT_NOUNS})"
        r"(?:\s+(?:that|was|read|reads|said))?\s*[,:]?\s*$"
    ),
    re.compile(
        rf"\b(?:{_STATEMENT_NOUNS})\b[^.!?“”\"]{{0,40}}?\bfrom\s+{_SPEAKER}\s+"
        r"(?:that|which)\s+(?:read|reads|said|says)\s*[,:]?\s*$"
    ),
    # "Sullivan:" interview style
    re.compile(rf"(?:^|[.!?]\s+){_SPEAKER}\s*:\s*$"),
    re.compile(rf"\b(?i:according to)\s+{_SPEAKER},?\s*$"),
    # "In the words of X," / "As X put it," / "Patrick Henry put it this way,"
    re.compile(rf"\b(?i:in the words of)\s+{_SPEAKER},?\s*$"),
    re.compile(
        rf"(?:\b(?i:as)\s+)?{_SPEAKER}\s+(?:put it|said it|wrote it|summed it up|described it)"
        r"(?:\s+(?:this way|best|like this|so))?\s*[,:]?\s*$"
    ),
]
# Searched with a speaker phrase tried at every position, these were most of the quote
# finder's time; each cannot match a text without its ending (see guards.py).
_LEFT_GUARDS = guards(
    _LEFT_PATTERNS,
    [
        rf"(?:{_VERB})\b[^.!?“”\"]{{0,60}}?[,:]?\s*(?:that\s*)?$",
        rf"(?:’s|'s)\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_STATEMENT_NOUNS})"
        r"(?:\s+(?:that|was|read|reads|said))?\s*[,:]?\s*$",
        r"(?:put it|said it|wrote it|summed it up|described it)"
        r"(?:\s+(?:this way|best|like this|so))?\s*[,:]?\s*$",
    ],
)
# Verbs whose object is the listener, not the speaker: "... told Reuters", "asked Obama".
_LISTENER_VERBS = frozenset(
    ["told", "tells", "tell", "asked", "asks", "urged", "urges", "summoned", "summons"]
)
_NON_LISTENER_VERB = "|".join(v for v in _VERB.split("|") if v not in _LISTENER_VERBS)
# Inside the quote's sentence, further right: "The best 'antidote' ..., he stated, but ..."
_EMBEDDED_AFTER = re.compile(rf"[,–—]\s*{_SPEAKER}\s+{_ADVERB}(?:{_VERB})\b(?!\s+(?:that|to)\b)")
_EMBEDDED_VERB_FIRST = re.compile(rf"\b(?:{_NON_LISTENER_VERB})\s+{_SPEAKER}")
_SPEECH_VERB = re.compile(
    rf"\b(?:{_VERB}|urged|summoned|calling|demanding|talked|spoke|saying|telling|writing|"
    r"adding|noting|arguing|claiming|explaining|warning|insisting|stating|observing|"
    r"declaring|describing|asking|tweeting|promising|vowing|suggesting|calling|compared|"
    r"disclosed|revealed|encouraged|encourage|encouraging)\b"
)
_SAYING_VERB = re.compile(
    rf"\b(?:{_NON_LISTENER_VERB}|vowed|promised|saying|writing|compared|disclosed|revealed|"
    r"declared|declaring|claiming|insisting|warning|noting|stating|describing|arguing)\b"
)
_SUBJECT_PRONOUN = re.compile(
    r"(?:^|[\s,;])(?:he|she|He|She)\s+(?:\w+ly\s+|also\s+|later\s+|"
    r"then\s+|had\s+|has\s+|would\s+)?$"
)
# A quoted term, not quoted speech. Naming words make it a term whoever speaks: "so-called
# 'X'", "known as 'X'", "calling Kim 'rocket man'", "labeled the plan a 'disaster'".
_NAMING_BEFORE = re.compile(
    r"\b(?:so-called|called|dubbed|termed|term|word|words|phrase|titled|entitled|named|"
    r"known as)\s*$"
    r"|\b(?:call|calls|called|calling|dub|dubs|dubbed|dubbing|label|labels|labeled|labelled|"
    r"brand|brands|branded|nicknamed)\s+(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
_TITLED = re.compile(r"\b(?:titled|entitled|headlined|headline|captioned)[,:]?\s*$", re.IGNORECASE)
# A function word before a short phrase ("asked about 'X'", "the new 'messiah'") makes it a
# term too, unless its sentence says who used the words: "he claimed that children needed
# 'above all' ...".
_FUNCTION_BEFORE = re.compile(
    r"\b(?:about|as|the|a|an|his|her|their|its|our|my|of|for|with|in|on|from)\s*$"
    r"|\b(?:the|a|an|his|her|their|its|our|my|this|that|these|those)\s+"
    rf"(?:(?!{'|'.join(lexicon.AUXILIARIES)}\b)[a-z][\w-]*\s+){{1,2}}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
SHORT_QUOTE_WORDS = 4
_TERM = "\x00term"  # marks a quoted term: no speaker, and no continuing of the previous one
_PRONOUN = "\x00pronoun"  # "he said": resolved once the previous quotes are known
_UNNAMED = "\x00unnamed"  # "a reporter asked", "the official said": someone, but nobody named
_SAME_SPEAKER = "\x00same"  # "the author added": the one quoted just before, if anyone
_DETERMINERS = ("the", "a", "an", "his", "her", "their", "its")
# Nouns that are a text, not a speaker: "the statement said" names nobody.
_DOCUMENT_NOUNS = frozenset(
    [
        "statement",
        "report",
        "letter",
        "release",
        "study",
        "article",
        "post",
        "document",
        "tweet",
        "message",
        "sign",
        "memo",
        "complaint",
        "lawsuit",
        "filing",
        "ruling",
        "order",
        "book",
        "website",
        "site",
        "poll",
        "survey",
        "paper",
        "editorial",
        "story",
        "piece",
        "headline",
        "caption",
        "note",
        "email",
        "e-mail",
        "text",
        "video",
        "bill",
        "law",
        "decision",
        "verdict",
        "analysis",
        "review",
        "column",
        "essay",
        "blog",
        "page",
    ]
)
_ORG_NOUNS = frozenset(w.lower() for w in lexicon.ORG_LAST_WORDS) | {"company", "firm", "group"}


def attribute(spans: Sequence[Span], paragraphs: Sequence[str], registry: Registry) -> list[Quote]:
    quotes: list[Quote] = []
    speakers: list[str | None] = []  # who is speaking at each span, for the quotes that follow
    terms = _repeated_phrases(spans)
    for index, span in enumerate(spans):
        speaker = _explicit_speaker(span, paragraphs, registry)
        if speaker == _PRONOUN:
            speaker = _pronoun_speaker(index, spans, speakers, registry)
        elif speaker == _SAME_SPEAKER:
            speaker = _previous_speaker(index, spans, speakers, registry) or _UNNAMED
        if speaker is None and (
            len(span.text.split()) > SHORT_QUOTE_WORDS or _is_sentence(span, paragraphs)
        ):
            speaker = _continued_speaker(index, spans, speakers, paragraphs, registry)
        elif speaker in (_TERM, _UNNAMED):
            speaker = None
        speakers.append(speaker)
        if _phrase_key(span.text) in terms:
            speaker = None  # "'fake news'" quoted all through: the article's term, not words
        role = registry.roles.get(speaker) if speaker else None
        quotes.append(Quote(span.text, speaker, role))
    return quotes


_TERM_REPEATS = 3  # twice may be a lead and its echo; three times is how the article names it


def _phrase_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _repeated_phrases(spans: Sequence[Span]) -> set[str]:
    """Short phrases quoted more than once: the article's terms ("fake news", "Dreamers")."""
    counts = Counter(_phrase_key(s.text) for s in spans if len(s.text.split()) <= SHORT_QUOTE_WORDS)
    return {key for key, count in counts.items() if count >= _TERM_REPEATS and key}


def _explicit_speaker(span: Span, paragraphs: Sequence[str], registry: Registry) -> str | None:
    right_text = paragraphs[span.end_paragraph][span.end :]
    left_text = paragraphs[span.start_paragraph][: span.start]
    if not left_text.strip() and span.start_paragraph > 0:
        introduction = paragraphs[span.start_paragraph - 1].rstrip()
        if introduction.endswith(":"):  # "As Giesers explained in a release:" then the quote
            left_text = introduction + " "
    right = _until_next_quote(right_text)
    left = _since_sentence_start(left_text)
    # The whole sentence so far, earlier quotes included: "he claimed that children needed
    # 'above all' the 'religion of ...'" has its subject before the first quote.
    sentence = _since_sentence_start(left_text, across_quotes=True)
    partial = len(span.text.split()) <= SHORT_QUOTE_WORDS
    spoken_phrase = span.text.split()[0].lower() in ("a", "an", "the")  # "an aggressor"
    if _is_title(span.text) or _TITLED.search(left):
        return _TERM  # "a post titled, 'We Don't Negotiate ...'": a title, however long
    naming = _NAMING_BEFORE.search(left)
    if partial and not spoken_phrase and (naming or _FUNCTION_BEFORE.search(left)):
        # A quoted term, unless its sentence says who used it: "due to the 'unregulated
        # nature' of the market, spokeswoman Afroditi Kellberg said".
        if len(span.text.split()) < 2:
            return _TERM  # a single quoted word is a term whoever is speaking
        match = _EMBEDDED_AFTER.search(_until_sentence_end(right_text))
        if match:
            return _resolve(match.group("speaker"), span, registry) or _TERM
        if naming:
            return _TERM
        return _subject_speaker(sentence, span, registry, saying_only=True) or _TERM
    # "... 'arrested.' He said, 'Law and order ...'": that attribution opens the next quote.
    introduces_next = (
        span.text.endswith((".", "!", "?"))
        and right.strip()[:1].isupper()
        and right.rstrip().endswith((",", ":"))
    )
    for pattern in () if introduces_next else _RIGHT_PATTERNS:
        match = pattern.match(right)
        if match and pattern is _SIGNATURE and left.strip() and not match.group("handle"):
            continue  # "..., Walker said. '...' — Jane Doe": a section's byline, not a speaker
        if match and (name := _speaker_of(match, span, registry)):
            return name
    for pattern in _LEFT_PATTERNS:
        match = may_search(pattern, left, _LEFT_GUARDS)
        if match and (name := _speaker_of(match, span, registry)):
            return name
    # An embedded quote: the sentence's reporting verb may stand further away, either side.
    sentence_right = _until_sentence_end(right_text)
    for pattern in (_EMBEDDED_AFTER, _EMBEDDED_VERB_FIRST):
        match = pattern.search(sentence_right)
        if match and (name := _resolve(match.group("speaker"), span, registry)):
            return name
    return _subject_speaker(left, span, registry)


_OBJECT_OF = re.compile(r"\b(?:to|with|for|from|at|by|against|on|into|about)\s+(?:the\s+)?$")
_DESCRIBED_SUBJECT = re.compile(r"\b(?:the|The) [a-z][\w-]+(?=,?\s+(?:\w+ly\s+)?$)")
_ADJACENT = re.compile(r"[\s,]*(?:\w+ly\s+|also\s+|then\s+|later\s+)?")


def _speaker_of(match: re.Match[str], span: Span, registry: Registry) -> str | None:
    """ "A spokesman for the agency, Dana Whitfield, said": a name in apposition is who."""
    appositive = match.groupdict().get("appositive")
    if appositive:
        person = _resolve(appositive, span, registry, names_only=True)
        if person and registry.kinds.get(person) == "person":
            return person
    return _resolve(match.group("speaker"), span, registry)


def _subject_speaker(
    left: str, span: Span, registry: Registry, saying_only: bool = False
) -> str | None:
    """ "John Kirby ... had summoned the regime to 'stop'": the subject of a speech verb.
    ``saying_only``: a verb that reports words ("claimed"), not one that names ("calling")."""
    verb = None
    for found_verb in (_SAYING_VERB if saying_only else _SPEECH_VERB).finditer(left):
        verb = found_verb
    if verb is None:
        return None
    pronoun = _SUBJECT_PRONOUN.search(left[: verb.start()])
    if pronoun:  # "he claimed that what children needed was 'above all' ..."
        return _PRONOUN
    found: dict[str, str] = {}
    before_verb = left[: verb.start()]
    for mention in MENTION.finditer(before_verb):
        name = _resolve(mention.group(0), span, registry, names_only=True)
        kind = registry.kinds.get(name) if name else None
        if name and kind == "person" and _ADJACENT.fullmatch(before_verb[mention.end() :]):
            return name  # "..., Clinton advocate Michael Morell, compared": next to the verb
        if _MEMBER_NOUN.match(before_verb[mention.end() :]):
            continue  # "FBI officials write": someone of the FBI, not the FBI
        if _OBJECT_OF.search(before_verb[: mention.start()]):
            continue  # "a letter to Congress describing ...": Congress is not who describes
        if name and kind in ("person", "organization"):
            found.setdefault(kind, name)  # else the first named is the sentence's subject
    described = _DESCRIBED_SUBJECT.search(before_verb)
    if not found and described:  # "the president vowed that ... 'fire and fury'"
        who = _describe(described.group(0).split(), span, registry)
        return who if who not in (_UNNAMED, _SAME_SPEAKER) else None
    return found.get("person") or found.get("organization")


def _is_title(text: str) -> bool:
    """ "Fire and Fury", "Stop Chris Christie": a short Title Case phrase with no sentence
    ending is the name of a book, film, group or campaign, not someone's words. The period
    or comma American style puts inside the marks ("Swamp Creatures.") does not count."""
    words = text.removesuffix(".").removesuffix(",").split()
    if not 2 <= len(words) <= 10 or text.endswith(("!", "?")):
        return False
    minor = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with"}
    return all(w[:1].isupper() or w in minor for w in words) and words[-1][:1].isupper()


def _is_sentence(span: Span, paragraphs: Sequence[str]) -> bool:
    """ "I think it's ridiculous." standing as a sentence of its own is speech, however short."""
    text = span.text
    before = paragraphs[span.start_paragraph][: span.start].rstrip()
    return (
        text[:1].isupper()
        and text.endswith((".", "!", "?"))
        and (not before or before.endswith((".", "!", "?", "”", '"', ":")))
    )


def _pronoun_speaker(
    index: int, spans: Sequence[Span], speakers: list[str | None], registry: Registry
) -> str | None:
    """ "'...,' he continued": the one speaking just before, when the narrative has named no
    one else since; otherwise the person last named as a sentence's subject."""
    span = spans[index]
    return _previous_speaker(index, spans, speakers, registry) or registry.last_person_before(
        span.start_paragraph, span.start
    )


def _previous_speaker(
    index: int, spans: Sequence[Span], speakers: list[str | None], registry: Registry
) -> str | None:
    """The person quoted just before, if near and nobody else has been named since."""
    previous_speaker = speakers[index - 1] if index > 0 else None
    if not previous_speaker or registry.kinds.get(previous_speaker, "person") != "person":
        return None
    span, previous = spans[index], spans[index - 1]
    near = span.start_paragraph - previous.end_paragraph <= 2
    since = (previous.end_paragraph, previous.end), (span.start_paragraph, span.start)
    others = [name for name in registry.subjects_between(*since) if name != previous_speaker]
    return previous_speaker if near and not others else None


def _continued_speaker(
    index: int,
    spans: Sequence[Span],
    speakers: list[str | None],
    paragraphs: Sequence[str],
    registry: Registry,
) -> str | None:
    """A quote with no attribution of its own continues the previous speaker's words when it
    stands in the same paragraph, or opens the next paragraph right after theirs; unless the
    narrative in between turns to someone else ("Obama had a good response. '...'")."""
    if index == 0:
        return None
    span, previous = spans[index], spans[index - 1]
    speaker = speakers[index - 1]
    if speaker is None:
        return None
    between = registry.subjects_between(
        (previous.end_paragraph, previous.end), (span.start_paragraph, span.start)
    )
    if between:
        speaker = between[-1]
    if previous.end_paragraph == span.start_paragraph:
        return speaker
    opens_paragraph = paragraphs[span.start_paragraph][: span.start].strip() == ""
    if opens_paragraph and span.start_paragraph == previous.end_paragraph + 1:
        return speaker
    return None


_MEMBER_NOUN = re.compile(
    r"\s+(?:official|officials|official\(s\)|spokesman|spokeswoman|spokesperson|aide|aides|"
    r"source|sources|staff|staffer|staffers|employee|employees|member|members|agent|agents|"
    r"lawyer|lawyers|insider|insiders|representative|representatives)\b"
)


_ONE_WORD = re.compile(r"\s+[a-z][\w()-]*")
_INSTITUTION = re.compile(
    r"\s+(government|military|army|navy|embassy|ministry|foreign ministry|defense ministry|"
    r"authorities|regime|parliament|police|presidency|administration)\b"
)


def _resolve(raw: str, span: Span, registry: Registry, names_only: bool = False) -> str | None:
    """A speaker phrase to a canonical name: pronouns and surnames to the full name."""
    words = raw.split()
    if not words:
        return None
    if words[0].lower() in ("he", "she", "they") and len(words) == 1:
        return None if names_only else _PRONOUN
    match = MENTION.search(raw)
    if match is None:
        if names_only or words[0].lower() not in _DETERMINERS or len(words) < 2:
            return None
        return _describe(words, span, registry)
    name = match.group(0)
    rest = raw[match.end() :]
    if _MEMBER_NOUN.search(rest):
        return _UNNAMED  # "FBI officials wrote", "a White House spokesman said": nobody named
    if _ONE_WORD.fullmatch(rest) and not _INSTITUTION.match(rest):
        return None  # "the Trump plan": a name, then something that speaks for nobody
    if name in ("The", "A", "An", "His", "Her", "Their", "Its") or name.lower() in ("it",):
        rest = raw[match.end() :].strip()
        match = MENTION.search(rest)
        if match is None:
            return None
        name = match.group(0)
    name = re.sub(r"(?:’s|'s)$", "", name)
    parts = name.split()
    while len(parts) > 1 and parts[0] in lexicon.SENTENCE_WORDS:  # "As Giesers explained"
        parts = parts[1:]
    name = " ".join(parts)
    if name == "I" or name in lexicon.SENTENCE_WORDS:
        return None  # "In her remarks", "I said": a capital that names nobody
    if all(t in lexicon.DEMONYMS for t in parts):
        institution = _INSTITUTION.match(raw[match.end() :])
        if institution:  # "the Venezuelan government said": a country speaking
            return f"{name} {institution.group(1)}"
        return None  # "Americans", "North Korean": a people, not a speaker
    for candidate in _name_candidates(name):
        person = registry.resolve_person(candidate)
        if person:
            return person
        canonical = registry.canonical(candidate)
        if canonical and registry.kinds.get(canonical) != "place":
            return canonical
    tokens = _name_candidates(name)[-1].split()
    if not names_only and all(lexicon.is_title_word(t) for t in tokens):  # "the Pope said"
        return (
            registry.last_person_with_role(tokens[-1], span.start_paragraph, span.start) or _UNNAMED
        )
    kind = classify(" ".join(tokens), titled=True)
    if kind in ("person", "organization") and not lexicon.is_title_word(tokens[-1]):
        return " ".join(tokens)
    return None


def _describe(words: list[str], span: Span, registry: Registry) -> str | None:
    """ "the spokesman", "the agency", "a reporter": a description, resolved when it points
    back to someone named before ("the president" -> the last person with that role)."""
    determiner, noun = words[0].lower(), words[-1].lower()
    if noun in _DOCUMENT_NOUNS:
        return None  # "the statement said": the sentence may still name who
    if determiner in ("a", "an"):
        return _UNNAMED  # "a reporter asked", "an official said": someone new, unnamed
    if lexicon.is_title_word(noun):
        # "the author added": someone named before with that role, else the one speaking
        return registry.last_person_with_role(noun, span.start_paragraph, span.start) or (
            _SAME_SPEAKER if determiner == "the" else _UNNAMED
        )
    if noun in _ORG_NOUNS:
        return registry.last_org_ending(noun, span.start_paragraph, span.start) or _UNNAMED
    if determiner != "the" or (noun.endswith("s") and not noun.endswith("ss")):
        return _UNNAMED  # "officials", "his aides": a group, nobody named
    return registry.last_person_before(span.start_paragraph, span.start)


def _name_candidates(name: str) -> list[str]:
    """ "National Security Advisor Jake Sullivan" -> the name, then it without the title."""
    head, of, tail = name.partition(" of ")
    if of and lexicon.canonical_place(tail):  # "Sen. John McCain of Arizona"
        name = head
    tokens = name.split()
    candidates = [name]
    while tokens and (
        lexicon.is_title_word(tokens[0])
        or tokens[0] in lexicon.HONORIFICS
        or tokens[0] in ("The", "US", "U.S.")
    ):
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


def _since_sentence_start(text: str, across_quotes: bool = False) -> str:
    cut = 0
    for match in (_SENTENCE_START_ONLY if across_quotes else _SENTENCE_OR_QUOTE).finditer(text):
        cut = match.end()
    return text[cut:][-250:]


_SENTENCE_START_ONLY = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"‘])")
_SENTENCE_OR_QUOTE = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"‘])|[”\"]")
