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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from newsgen.model import Quote
from newsgen.parse import lexicon
from newsgen.parse.entities import MENTION, Registry, classify
from newsgen.parse.gender import Pronoun, fits
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
            marked = text[:1] in _OPEN_DOUBLE or text[:1] == '"'
            start_paragraph, start, parts = carried
            follows_quote = bool(spans) and spans[-1].end_paragraph == start_paragraph
            if marked and follows_quote and _credited_anew(text):
                # "'...,' explains StockCharts. '[It] contains ... / '...,' says SocGen’s
                # note": the open quote went on with the words credited before it; one
                # credited anew is someone else's (unlike "He spoke. '... / '...,' said Lopez")
                previous = len(paragraphs[index - 1])
                spans.append(Span(_join(parts), start_paragraph, start, index - 1, previous, False))
                carried = None
            elif marked or _closes_unmarked(paragraphs, index):
                skip = 1 if marked else 0
                close = _find_close_double(text, skip)
                if close is None:
                    carried = (start_paragraph, start, [*parts, text[skip:]])
                    continue
                parts = [*parts, text[skip:close]]
                spans.append(Span(_join(parts), start_paragraph, start, index, close + 1))
                carried = None
                position = close + 1
            else:  # never closed and not continued: the quote ran to its paragraph's end
                previous = len(paragraphs[index - 1])
                spans.append(Span(_join(parts), start_paragraph, start, index - 1, previous, False))
                carried = None
        while (mark := _MARK.search(text, position)) is not None:
            position = mark.start()
            if _opens_double(text, position):
                close = _find_close_double(text, position + 1)
                if text[position] == "“" and "“" in text[position + 1 : close]:
                    # Another opening mark before this one closes: quotes inside a quote,
                    # kept within it, if the marks pair up or the last one closes both;
                    # else this one never closes (a stray mark, an echo left open).
                    outer = _nested_close(text, position)
                    if outer is None and not text[:position].strip():
                        outer = _shared_close(text, position)
                    if outer is None:
                        position += 1
                        continue
                    spans.append(
                        Span(_join([text[position + 1 : outer]]), index, position, index, outer + 1)
                    )
                    position = outer + 1
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


def _credited_anew(text: str) -> bool:
    """Whether a paragraph opens with a quote credited at once to someone named, verb first
    (", says Barclays"): a continuing quote is credited where it began, or to "he"."""
    close = _find_close_double(text, 1)
    if close is None:
        return False
    credit = _RIGHT_PATTERNS[0].match(text[close + 1 :])
    return credit is not None and re.fullmatch(_PRONOUN, credit.group("speaker")) is None


_UNMARKED_RUN = 30  # paragraphs a quote may run on with no marks (a prayer, a letter)
_DOUBLE_MARK = re.compile("[" + re.escape(_OPEN_DOUBLE + _CLOSE_DOUBLE + '"') + "]")


def _closes_unmarked(paragraphs: Sequence[str], index: int) -> bool:
    """An open quote whose next paragraphs carry no marks runs on to the first closing mark,
    as when a writer quotes a prayer or a letter and marks only its start and end. A mark that
    opens another quote first means the open one was a stray and ends with its paragraph."""
    for text in paragraphs[index : index + _UNMARKED_RUN]:
        mark = _DOUBLE_MARK.search(text)
        if mark is not None:
            return not _opens_double(text, mark.start())
    return False


_CURLY_DOUBLE = re.compile("[“”]")


def _nested_close(text: str, start: int) -> int | None:
    """The mark that closes the quote opened at ``start`` when its inner quotes pair up:
    "“Hannity said it was “ugly” and “vicious.” He said, “Law and order.””"."""
    depth = 0
    for mark in _CURLY_DOUBLE.finditer(text, start):
        depth += 1 if mark.group() == "“" else -1
        if depth == 0:
            return mark.start()
    return None


def _shared_close(text: str, start: int) -> int | None:
    """A paragraph-long quote whose last inner quote's mark closes it too, as its speaker's
    name after that mark shows: "“... Comey said it was “the capper,” Farrell noted."."""
    last = text.rfind("”")
    if last <= start:
        return None
    after = _until_next_quote(text[last + 1 :])
    return last if any(p.match(after) for p in _RIGHT_PATTERNS[:2]) else None


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
_PRONOUN = r"(?:he|she|they|He|She|They)\b"
_NAME = MENTION.pattern
_DET = r"(?:(?:the|a|an|his|her|their|its)\s+)?"
# A word that cannot open a speaker's phrase: "by Donald Trump reported", "but called his"
_NOT_OPENING = (
    r"(?!(?:by|to|of|for|from|with|about|at|on|in|into|against|and|but|or|as|than|that|"
    r"which|who|whose|if|when|while|because)\b)"
)
_ROLE_WORDS = rf"(?:{_NOT_OPENING}[a-z][\w-]*\s+(?:[a-z][\w-]*\s+){{0,2}})?"
# A speaker: a pronoun, a (titled) proper name, a name and what of it speaks ("the Venezuelan
# government", "FBI officials"), or "the spokesman" style common noun.
_SPEAKER = (
    rf"(?P<speaker>{_PRONOUN}|{_DET}{_ROLE_WORDS}{_NAME}|{_DET}{_NAME}(?:\s+[a-z][\w()-]*){{1,2}}|"
    rf"{_DET}{_NOT_OPENING}(?:\d{{1,3}}-year-old|[a-z][\w-]*)"
    r"(?:\s+[a-z][\w-]*|\s+[A-Z][a-z][\w-]*\s+[a-z][\w-]*)?)"
)  # "the spokesman", "the loving father", "the esteemed Argentinian evangelist", "the 71-year-old"
# ", Dana Whitfield," or ", the agency's spokesman," between a speaker and the verb
# (after an age: "Maria Gonzalez, 63, of Riverside, said")
_APPOSITIVE = r"(?:,\s*\d{1,3}(?=,))?(?:,\s*(?P<appositive>[^,]{1,80}),)?"
_ADVERB = r"(?:\w+ly\s+|also\s+|later\s+|then\s+|once\s+|had\s+|has\s+|have\s+|would\s+)?"

# "— John Adams" signing a quote that stands alone
# (or an embedded tweet, "— Donald J. Trump (@realDonaldTrump)", wherever it stands)
# "— Strauss & Howe – The Fourth Turning": co-authors, then the book the words are from
_SIGNATURE = re.compile(
    rf"^\s*[–—-]+\s*(?P<speaker>{_NAME}(?:\s*&\s*{_NAME})?)\s*(?P<handle>\(@\w+\))?"
    r"\s*(?:[,.(–—-]|$|from\s+[A-Z])"  # "— Martin Seligman from Learned Optimism"
)
_CREDIT_LINE = re.compile(
    rf"^\s*(?P<speaker>{_NAME}?)(?:\s+(?:Website|website|Blog|blog))?\s*$"
    # "“...” (Bill Cosby)1": a name in brackets, a footnote number after it
    rf"|^\s*\((?P<bracketed>{_NAME})\)\s*\d{{0,2}}\s*$"
    # "“...” Marc and Angel Chernoff.": two who write as one, under one surname
    r"|^\s*(?P<first>[A-Z][a-z]+)\s+(?:and|&)\s+(?P<joint>[A-Z][a-z]+\s+[A-Z][a-z]+)\.?\s*$"
)
_DOCUMENTS = (
    "statement|report|release|letter|post|tweet|message|memo|filing|study|press release|"
    "note|notes|analysis|briefing|bulletin|survey|newsletter|outlook|forecast|commentary|update"
)
# ", says a new commodities note from US investment bank ... Goldman Sachs": the body last
# named in the phrase after "from" wrote it.
_DOCUMENT_FROM = re.compile(
    rf"^[\s,–—-]*(?:{_VERB})\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}(?:{_DOCUMENTS})\s+"
    r"(?:from|by|of)\s+(?P<author>[^.;:!?“”\"]{1,160})"
)
# ", agrees French bank Societe Generale's technical analysis team": the body whose desk,
# team or analysts are credited speaks
_DESK_OF = re.compile(
    rf"^[\s,–—-]*(?:{_VERB})\s+(?P<owner>[^.;:!?“”\"]{{1,120}}?)(?:’s|'s)\s+(?:[\w-]+\s+){{0,3}}"
    r"(?:desk|team|analysts|strategists|economists|researchers|note|outlook|research)\b"
)
_OWNED_ROLE = (
    r"(?:(?:the|a|an)\s+[a-z][\w-]*(?:’s|'s)|his|her|their|its)\s+"
    r"(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*"
)  # "the agency's director", "his lawyer"
_ACCORDING_TO_AFTER = re.compile(rf"^[\s,–—-]*(?i:according to)\s+{_SPEAKER}")
_RIGHT_PATTERNS = [
    # ", said National Security Advisor Jake Sullivan" / ", warned the White House"
    re.compile(rf"^[\s,–—-]*(?:{_VERB})\s+{_SPEAKER}"),
    # ", he said" / ", Ding said" / ", the spokesman added"
    re.compile(rf"^[\s,–—-]*{_SPEAKER}{_APPOSITIVE}\s+{_ADVERB}(?:{_VERB})\b"),
    # ", former Clinton campaign spokesman Brian Fallon told", ", Planned Parenthood president
    # Cecile Richards said": a role naming other names, then the speaker's own
    re.compile(
        rf"^[\s,–—-]*(?:(?:the|a|an)\s+)?{_NOT_OPENING}(?:(?![a-z]+[.!?]\s)[\w.&’'-]+\s+){{1,5}}?(?P<speaker>{_NAME})\s+"
        rf"{_ADVERB}(?:{_VERB})\b"
    ),
    # ", according to a statement released by the Coastal Command": the author of the text
    re.compile(
        rf"^[\s,–—-]*(?i:according to)\s+(?:a|an|the)\s+(?:[a-z][\w-]*\s+)?(?:{_DOCUMENTS})\s+"
        rf"(?:(?:released|issued|published|posted|sent|put out)\s+)?(?:by|from)\s+{_SPEAKER}"
    ),
    _ACCORDING_TO_AFTER,
    _SIGNATURE,
    # "“Be a light unto yourself”, as the Buddha said": a saying, then whose it is
    re.compile(
        rf"^[\s,–—-]*(?i:as)\s+{_SPEAKER}\s+(?:once\s+)?"
        r"(?:said|says|put it|puts it|wrote|writes|taught|teaches)\b"
    ),
]
# ", the agency’s director, Paul Greene, said" / ", said the agency’s director, Paul Greene":
# tried first, as the others take "the agency" for the speaker
_OWNED_ROLE_PATTERNS = (
    re.compile(rf"^[\s,–—-]*{_OWNED_ROLE},\s+(?P<speaker>{_NAME}),\s+{_ADVERB}(?:{_VERB})\b"),
    re.compile(rf"^[\s,–—-]*(?:{_VERB})\s+{_OWNED_ROLE},\s+(?P<speaker>{_NAME})"),
)
_STATEMENT_NOUNS = (
    "statement|statements|comment|comments|commentary|remark|remarks|words|tweet|tweets|post|"
    "message|claim|assertion|warning|promise|response|reply|answer|letter|speech"
)
_STATEMENT_WORDS = frozenset(_STATEMENT_NOUNS.split("|"))
_ISSUED = (
    r"(?:released|issued|published|posted|put out|sent out)\s+(?:a|an|the|this|its|their)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:statement|release|press release|note|letter|notice)"
    r"(?:\s+(?:on|last|this|late|early)\s+\w+)?(?:\s+that)?\s*[,:]?\s*$"  # "... on Tuesday:"
)
# "-ing" words that are no participle of the speaker's: "Smith during the debate said"
_NOT_A_PARTICIPLE = (
    r"(?!(?:including|during|according|regarding|concerning|following|notwithstanding|"
    r"nothing|something|anything|everything|morning|evening|building|thing|king|spring)\b)"
)
_LEFT_PATTERNS = [
    # "Jake Sullivan said:" / "Ding said in a statement that" / "Trump told reporters,"
    re.compile(  # a whole word: not "ho" in "History, who wrote:"
        rf"(?<![\w’'-]){_SPEAKER}{_APPOSITIVE}\s+{_ADVERB}(?:{_VERB})\b[^.!?“”\"]{{0,60}}?"
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
    # "As President Ronald Reagan put it, in the constitutions of most governments, '...'"
    re.compile(
        rf"\b(?i:as)\s+{_SPEAKER}\s+(?:put it|said|wrote|noted|explained|observed)"
        r"(?:\s+\w+)?,[^.!?“”\"]{0,120}$"
    ),
    # "The agency released this comforting statement:", "The company issued a statement that"
    re.compile(rf"{_SPEAKER}\s+{_ADVERB}{_ISSUED}"),
]
# Patterns that name a source outright: one we cannot resolve still speaks, not the one before.
_SOURCE_PATTERNS = frozenset(_LEFT_PATTERNS[4:])
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
        _ISSUED,
    ],
)
# "the poet Juvenal describing the politics of his day said,": a name opening its clause,
# what the speaker was doing (no commas), then the verb, whose nearest noun ("his day") is not
# who speaks
_PARTICIPLE_SUBJECT = re.compile(
    rf"(?:^|[,;:.!?]\s+)(?:(?:[Tt]he|[Aa]n?)\s+)?(?P<role>(?:[a-z][\w-]*\s+){{1,2}})?"
    rf"(?P<speaker>{_NAME})\s+{_NOT_A_PARTICIPLE}[a-z]+ing\s+(?:[\w’'-]+\s+){{1,8}}?"
    rf"{_ADVERB}(?:{_VERB})\b[^.!?“”\"]{{0,60}}?[,:]?\s*(?:that\s*)?$"
)
_PARTICIPLE_GUARD = guards(
    [_PARTICIPLE_SUBJECT], [rf"(?:{_VERB})\b[^.!?“”\"]{{0,60}}?[,:]?\s*(?:that\s*)?$"]
)
# Verbs whose object is the listener, not the speaker: "... told Reuters", "asked Obama".
_LISTENER_VERBS = frozenset(
    ["told", "tells", "tell", "asked", "asks", "urged", "urges", "summoned", "summons"]
)
_NON_LISTENER_VERB = "|".join(v for v in _VERB.split("|") if v not in _LISTENER_VERBS)
# Inside the quote's sentence, further right: "The best 'antidote' ..., he stated, but ..."
_EMBEDDED_AFTER = re.compile(rf"[,–—]\s*{_SPEAKER}\s+{_ADVERB}(?:{_VERB})\b(?!\s+(?:that|to)\b)")
_EMBEDDED_VERB_FIRST = re.compile(rf"\b(?:{_NON_LISTENER_VERB})\s+{_SPEAKER}")
_NOT_PASSIVE = "".join(
    rf"(?<!\b{aux} )" for aux in ("is", "are", "was", "were", "be", "been", "being", "widely")
)
_SPEECH_VERB = re.compile(
    rf"\b(?:{_VERB}|urged|summoned|calling|demanding|talked|spoke|saying|telling|writing|"
    r"adding|noting|arguing|claiming|explaining|warning|insisting|stating|observing|"
    r"declaring|describing|asking|tweeting|promising|vowing|suggesting|calling|compared|"
    r"reminded|reminds|reminding|observing|report|declare|call|"
    r"declined\s+to|refused\s+to|declines\s+to|refuses\s+to|"  # "Hayden declined to '...'"
    r"disclosed|revealed|encouraged|encourage|encouraging|"
    r"accuse|accused|accuses|accusing|recalling|"  # "accused the creditors of hidden 'motives'"
    r"credited|credits|crediting|"  # "credited the group with sparing 'dozens of lives'"
    r"touts|touted|touting|hails|hailed|hailing|portrays|portrayed|portraying|"  # "touts X as"
    r"notified|notifies|informed|informs|"  # "the agency notified Astorino that ... 'X'"
    # what someone came to hold, in their words ("the EU considered this an infringement on
    # '...'"), never a passive ("he is considered 'a hero'": others' words about him)
    r"(?:became|become|becomes|was|were|grew|remained)\s+convinced|"
    rf"{_NOT_PASSIVE}(?:believed|believes|considered|considers)|"
    r"blamed|blames|blaming)\b"  # "The NRA blamed Democrats for blocking ..., which 'X'"
)
_SAYING_VERB = re.compile(
    rf"\b(?:{_NON_LISTENER_VERB}|vowed|promised|saying|writing|compared|disclosed|revealed|"
    r"told|tells|tell|reminded|reminds|observing|"
    r"declared|declaring|claiming|insisting|warning|noting|stating|describing|arguing|classifying|"
    r"accused|accuses|accusing)\b"
)
_SUBJECT_PRONOUN = re.compile(
    r"(?:^|[\s,;])(?P<pronoun>he|she|He|She)\s+(?:(?:\w+ly|also|later|then|had|has|would|"
    r"could|will|himself|herself)\s+){0,3}$"  # "he himself would later call it"
)
# A quoted term, not quoted speech. Naming words make it a term whoever speaks: "so-called
# 'X'", "known as 'X'", "calling Kim 'rocket man'", "labeled the plan a 'disaster'".
_NAMING_BEFORE = re.compile(
    r"\b(?:so-called|called|dubbed|termed|term|word|words|phrase|titled|entitled|named|"
    r"known as)\s*$"
    r"|\b(?:call|calls|called|calling|dub|dubs|dubbed|dubbing|label|labels|labeled|labelled|"
    r"brand|brands|branded|nicknamed|classify|classifies|classified|classifying)\s+"
    r"(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
# What an acronym stands for: "(CRISPR, or 'clusters of ...')", "short for 'Gross ...'"
_GLOSS = re.compile(r"\b[A-Z]{2,}s?\b,?\s+or\s*$|\b(?i:stands|short|acronym) for\s*$")
_CALLING = re.compile(
    r"(?i)(?:call|calls|called|calling|label|labels|labeled|labelled|classify|classifies|"
    r"classified|classifying)\b"
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$")
# "calling Kim 'rocket man'": a name for a person is a nickname, not words they said
_NICKNAME = re.compile(rf"\b(?:call|calls|called|calling|dubbed|nicknamed)\s+{_NAME}\s*$")
_DESCRIBING_AS = re.compile(
    r"\b(?:(?:described|describes|describing|characterized|characterizes|characterizing|"
    r"touts|touted|touting|hails|hailed|hailing|portrays|portrayed|portraying)\s+"
    r"(?:it|them|this|that|him|her|"
    r"(?:the|his|her|their|its|this|that|these|those)\s+[\w-]+(?:\s+[\w-]+)?)\s+as"
    r"|(?:call|calls|called|calling|declare|declares|declared|declaring)\s+"
    r"(?:it|them|this|that|(?:the|his|her|their|its)\s+[\w-]+))\s+$"
)
# "accuse her of creating a “toxic” climate": the accusers' word for it
_ACCUSING_OF = re.compile(
    r"\b(?:accuse|accuses|accused|accusing)\s+[^.!?;:“”\"]{1,40}?\s+of\s+(?:[\w-]+\s+){0,3}$"
)
_SPOKEN_TO = re.compile(
    r"\b(?:explains?|explained|says?|said|speaks?|spoke|talks?|talked|writes?|wrote|"
    r"preaches|preached|appeals?|appealed)\s+to\s*$"
)
_MODIFIES_NOUN = re.compile(r"\s([a-z]+)\b(?![’'-])")
_MODIFIER_END = re.compile(r"[a-z](?<!ly)$")  # not "“repeatedly” used", nor a sentence
_NOT_A_NOUN = frozenset(
    [
        *lexicon.AUXILIARIES,
        *(w.lower() for w in lexicon.SENTENCE_WORDS),
        *(w.lower() for w in lexicon.TIME_WORDS),
        *lexicon.FUNCTION_WORDS,
    ]
)
# "the difference between optimism and the (much in vogue) “positive thinking”": things set
# side by side are the narrative's terms, whoever's words they first were.
_CONTRASTED = re.compile(
    r"\bbetween\s+(?:[^.!?;:“”\"]{1,60}?\s+and\s+)?(?:(?:the|a|an)\s+)?(?:\([^()]{1,40}\)\s+)?$"
)
# A modal, then in the same clause the verb of saying right before the marks
_HYPOTHETICAL = re.compile(
    r"\b(?:could|might|should|may|can)\s+(?:[^.!?;:“”\"]{0,80}?\s)?(?:say|tell|ask)\s*[,:]?\s*$"
)
# A court's finding quotes its words about what it judged: "found all six ..."
_VERDICT = re.compile(rf"(?P<speaker>{_NAME})\s+found\s+(?:[\w-]+\s+){{1,5}}(?:to\s+be\s+)?$")
# A court's ruling quotes its wording: "the High Court ruled that the claim was “unfounded”"
_RULING_VERB = re.compile(r"\b(?:ruled|decided|held)\b")
_RULED = re.compile(
    rf"(?P<speaker>{_NAME})\s+(?:\w+ly\s+)?(?:ruled|decided|held),?\s+(?:that\s+)?"
    r"[^.!?“”\"]{0,160}$"
)


def _judge_named(phrase: str, span: Span, registry: Registry) -> str | None:
    """The judge or court a capitalised run ends with ("On Thursday the Court of Appeal")."""
    words = phrase.split()
    named = [_resolve(" ".join(words[i:]), span, registry, True) for i in range(len(words))]
    judicial = [n for n in named if n and _JUDICIAL.search(f"{n} {registry.roles.get(n, '')}")]
    # One the article names as an entity first: not the run's "Thursday the Court of Appeal"
    return next((n for n in judicial if n in registry.kinds), judicial[0] if judicial else None)


_JUDICIAL = re.compile(r"\b(?:Judge|judge|Justice|justice|Court|court|Magistrate|magistrate)\b")
_CALLED = re.compile(r"\b(?:called|named)\s*$")
_DEFINITE_LABEL = re.compile(r"the\s+[a-z][\w-]*[.,]?")
# A naming verb and its object, right before the marks: "calling that $1350 level "
_CALLS_OBJECT = re.compile(
    r"\b(?:call|calls|called|calling|dub|dubs|dubbed|dubbing|label|labels|labeled|labelled|"
    r"labeling|labelling)\s+(?:[\w’'$.,-]+\s+){1,4}$"
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
# A quote, then only the date it appeared, closing the paragraph: a cited headline
_DATED_CITATION = re.compile(
    r"\s*,\s*(?:"
    + "|".join(sorted((w.rstrip(".") for w in lexicon.TIME_WORDS), key=len, reverse=True))
    + r"|May)\.?\s+\d{1,2}(?:,?\s+\d{4})?\s*\.?\s*$"
)
# A reporting verb that also means "keeps": with a short phrase for object and no clause,
# it keeps the thing named
_KEEPS = re.compile(r"\bmaintain(?:s|ed)?\s+$")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
SHORT_QUOTE_WORDS = 4
_TERM = "\x00term"  # marks a quoted term: no speaker, and no continuing of the previous one
# "he said": resolved once the previous quotes are known, to someone the pronoun fits
# ("\x00she@120": she, standing at offset 120 of the quote's paragraph, before the quote)
_PRONOUNS: dict[str, Pronoun] = {"\x00he": "he", "\x00she": "she", "\x00they": "they"}
_NAME_OF = "\x00name"  # the name of a book, show or post: no speaker, and no interruption
_UNNAMED = "\x00unnamed"  # "a reporter asked", "the official said": someone, but nobody named
_SAME_SPEAKER = "\x00same"  # "the author added": the one quoted just before, if anyone
_EPITHET = "\x00epithet"  # "the actor-turned-candidate said": the one quoted before, or the subject
_EPITHET_REACH = 2  # paragraphs back: further, "the platoon commander" is someone new
# "the man said", "the grandmother said": an epithet that says whether a man or a woman
_EPITHET_HE = "\x00epithet@he"
_EPITHET_SHE = "\x00epithet@she"
_EPITHETS: dict[str, Pronoun] = {_EPITHET: "they", _EPITHET_HE: "he", _EPITHET_SHE: "she"}
_MALE_NOUNS = frozenset(
    [
        "man",
        "boy",
        "father",
        "husband",
        "son",
        "brother",
        "grandfather",
        "uncle",
        "gentleman",
    ]
)
_FEMALE_NOUNS = frozenset(
    [
        "woman",
        "girl",
        "mother",
        "wife",
        "daughter",
        "sister",
        "grandmother",
        "aunt",
        "lady",
    ]
)
_SAME_SOURCE = "\x00source"  # "the statement reads": whoever's text was quoted just before
_PAIR = "\x00pair"  # "the lawmakers wrote": the two named together just before, or nobody named
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
# "Researchers reported" (with or without "the"): the laboratory or university named just before
_RESEARCHERS = frozenset(["researchers", "investigators", "scientists", "authors", "study authors"])
_RESEARCH_BODY = re.compile(
    r"\b(?:University|Laboratory|Lab|Institute|College|School|Hospital|Center|Centre|Clinic)\b"
)
# "the group said", "the team found": the organisation named just before
_NEWSPAPER = re.compile(
    r"\b(?:Times|Post|Journal|Herald|Tribune|Gazette|Telegraph|Guardian|Independent|News|"
    r"Chronicle|Observer|Globe|Mail|Express|Mirror|Star|Sun|Inquirer|Courier|Examiner)$"
)
_GENERIC_ORG_NOUNS = frozenset(
    ["group", "company", "firm", "organization", "organisation", "team", "agency"]
)
_ORG_REACH = 2  # paragraphs back: "the group" means one named just before
_ORG_NOUNS = frozenset(w.lower() for w in lexicon.ORG_LAST_WORDS) | _GENERIC_ORG_NOUNS


def attribute(spans: Sequence[Span], paragraphs: Sequence[str], registry: Registry) -> list[Quote]:
    quotes: list[Quote] = []
    speakers: list[str | None] = []  # who is speaking at each span, for the quotes that follow
    terms = _repeated_phrases(spans)
    turns = _transcript_turns(paragraphs)
    authors: dict[str, str] = {}  # "report": who wrote the report the article goes on quoting
    texts: set[int] = set()  # the spans quoted from a text ("the statement said")
    for index, span in enumerate(spans):
        speaker = _explicit_speaker(span, paragraphs, registry)
        if speaker is not None and speaker.partition("@")[0] in _PRONOUNS:
            marker, _, offset = speaker.partition("@")
            where = int(offset) if offset else span.start
            before_pronoun = paragraphs[span.start_paragraph][:where]
            speaker = (
                _group_named(before_pronoun, span, registry) if marker == "\x00they" else None
            ) or (
                _who_clause_head(before_pronoun, registry, _PRONOUNS[marker])
                or _pronoun_speaker(index, spans, speakers, registry, _PRONOUNS[marker], where)
            )
            if speaker is None and marker != "\x00they":
                speaker = _UNNAMED  # "he said" with no man named: never the firm quoted before
        elif speaker == _SAME_SPEAKER and _ONE_UNNAMED.search(
            paragraphs[span.start_paragraph], 0, span.start
        ):
            speaker = _UNNAMED  # "A Russian official said .... '...,' the official said"
        elif speaker == _SAME_SPEAKER:
            speaker = _previous_speaker(index, spans, speakers, registry) or _UNNAMED
        elif speaker in _EPITHETS:
            # "the actor-turned-congressional candidate said": the one speaking, or else the
            # one the article is about, its last named subject; "the man told" is a man.
            pronoun = _EPITHETS[speaker]
            subjects = [
                subject
                for subject in registry.subjects_between(
                    (span.start_paragraph - _EPITHET_REACH, 0), (span.start_paragraph, span.start)
                )
                if fits(subject, pronoun)
            ]
            speaker = _previous_speaker(index, spans, speakers, registry, pronoun=pronoun) or (
                subjects[-1] if subjects else _UNNAMED
            )
        elif speaker == _SAME_SOURCE:
            # "the report said", pages on: the report whose author the article has given,
            # else the text quoted just before, else the report's author named near
            noun = _document_noun(span, paragraphs)
            previous = _previous_speaker(index, spans, speakers, registry, any_kind=True)
            if previous and registry.kinds.get(previous) == "person" and index - 1 not in texts:
                previous = None  # "Reed said they were 'out of date.' ... the statement said"
            # (The author of a report found near is not the author of a statement.)
            finding = noun is None or noun in _FINDINGS.split("|")
            speaker = (
                (authors.get(noun) if noun else None)
                or previous
                or (_document_author(span, paragraphs, registry) if finding else None)
                or (_issuer(noun, span, paragraphs, registry) if noun and not finding else None)
            )
            if speaker and noun:
                authors.setdefault(noun, speaker)
            elif noun and not finding:
                speaker = _UNNAMED  # "the statement said": a text, not the speaker before
            texts.add(index)
        elif speaker == _PAIR:
            speaker = _last_pair(span, paragraphs, registry) or _UNNAMED
        if speaker is None:
            speaker = _continued_speaker(index, spans, speakers, paragraphs, registry)
        if speaker is None and _lists_on(paragraphs[span.start_paragraph][: span.start]):
            speaker = _last_named_speaker(index, spans, speakers)
        elif speaker == _NAME_OF:
            speakers.append(_NAME_OF)  # passed over by the quotes that follow
            quotes.append(Quote(span.text, None, None))
            continue
        elif speaker == _TERM and (
            joined := _joined_to_previous(index, spans, speakers, paragraphs)
        ):
            speakers.append(joined)  # "announced his 'separation' and his 'dependence'"
            quotes.append(Quote(span.text, joined, registry.roles.get(joined)))
            continue
        elif speaker == _TERM:
            speakers.append(_TERM)  # the narrative's word: passed over like a name
            quotes.append(Quote(span.text, None, None))
            continue
        elif speaker == _UNNAMED:
            speaker = None
        if (
            speaker
            and " " not in span.text
            and _joined_to_unattributed(index, spans, speakers, paragraphs)
        ):
            speaker = None  # "“being offended” or “triggered”": a term, as the one before
        if speaker and _completes_term(index, spans, speakers, paragraphs):
            speaker = None  # "“the neckline” of a “large ... pattern”": the term's own part
        if speaker and registry.kinds.get(speaker) == "person":
            speaker = _joint_speaker(speaker, span, paragraphs, registry)
        label = turns.get(span.start_paragraph)
        if speaker and label and speaker == _resolve(label, span, registry, names_only=True):
            # "Questioner: ... / Guide: “I should know better.”": a transcript's turns are
            # the speech; marks inside one quote someone else's words, or made-up ones.
            speaker = None
        speakers.append(speaker)
        if _phrase_key(span.text) in terms:
            speaker = None  # "'fake news'" quoted all through: the article's term, not words
        role = registry.roles.get(speaker) if speaker else None
        quotes.append(Quote(span.text, speaker, role))
    return quotes


_THE_DOCUMENT = re.compile(
    r"\b(?:the|The)\s+(?:[a-z][\w-]*\s+)?(?P<noun>"
    + "|".join(sorted(_DOCUMENT_NOUNS, key=len, reverse=True))
    + r")\b"
)


def _document_noun(span: Span, paragraphs: Sequence[str]) -> str | None:
    """The text "the report said" names as the quote's source: the noun of the phrase that
    credits the quote, right after it or before it in its sentence."""
    right = _until_next_quote(paragraphs[span.end_paragraph][span.end :])[:_CREDIT_REACH]
    found = _THE_DOCUMENT.search(right)
    if found is None:
        left = _since_sentence_start(paragraphs[span.start_paragraph][: span.start])
        found = _THE_DOCUMENT.search(left)
    return found.group("noun") if found else None


_CREDIT_REACH = 60  # characters after the quote: "," then "the committee report said"

_FINDINGS = "report|study|analysis|findings|investigation|review|audit|inquiry"
# Who wrote the report "the report said" quotes: "A 2011 HUD report revealed", "a study by
# the Gladstone Institute", "The select committee discovered" (its findings are the report).
_AUTHORED = re.compile(
    rf"(?P<name>{_NAME})(?:’s|'s)?\s+(?:[a-z\d][\w-]*\s+)?(?:{_FINDINGS})\b"
    rf"|\b(?:{_FINDINGS})\s+(?:[\w-]+\s+){{0,3}}?(?:by|from|of)\s+(?:the\s+)?(?P<by>{_NAME})"
    r"|\b(?:the|The)\s+(?:[a-z][\w-]*\s+)?(?P<noun>[a-z]+)(?:’s|'s)?\s+"
    rf"(?:{_FINDINGS}|[a-z]+ed)\b"  # "The committee focused on", "the committee's report"
    # "Senator Maria Lopez released a report": who put it out
    rf"|(?P<issuer>{_NAME})\s+(?:released|published|issued|unveiled|commissioned)\s+"
    rf"(?:a|an|the|its|her|his|their)\s+(?:[\w-]+\s+){{0,3}}?(?:{_FINDINGS})\b"
)
_AUTHOR_REACH = 3  # paragraphs back: the report an article goes on quoting was named near


def _document_author(span: Span, paragraphs: Sequence[str], registry: Registry) -> str | None:
    """The body (or person) last named as a report's author before the quote, for "the
    report said" when no quote before it says whose report it is."""
    found = None
    first = max(0, span.start_paragraph - _AUTHOR_REACH)
    for index in range(first, span.start_paragraph + 1):
        text = paragraphs[index]
        if index == span.start_paragraph:
            text = text[: span.start]
        for match in _AUTHORED.finditer(text):
            if match.group("noun"):
                noun = match.group("noun")
                if noun not in _ORG_NOUNS:
                    continue
                author = registry.last_org_ending(noun, index, match.start("noun"))
            else:
                named = match.group("name") or match.group("by") or match.group("issuer")
                name = _resolve(named, span, registry, True)
                kind = registry.kinds.get(name) if name else None
                author = name if kind in ("organization", "person") else None
            found = author or found
    return found


# "Niamh Carroll, the chief executive, issued a statement": whose statement "the statement" is
_ISSUED_TEXT = re.compile(
    rf"(?P<issuer>{_NAME}),?(?:\s+[^,.!?“”\"]{{1,60}},)?\s+(?:\w+ly\s+)?"
    r"(?:issued|released|put out|sent|posted|published|wrote)\s+"
    r"(?:a|an|the|its|her|his|their)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[a-z]+)\b"
)


def _issuer(noun: str, span: Span, paragraphs: Sequence[str], registry: Registry) -> str | None:
    """Who the article said put out the statement (letter, memo ...) "the statement said"
    quotes: in the quote's paragraph, or the one before."""
    found = None
    for index in range(max(0, span.start_paragraph - 1), span.start_paragraph + 1):
        text = (
            paragraphs[index][: span.start] if index == span.start_paragraph else paragraphs[index]
        )
        for match in _ISSUED_TEXT.finditer(text):
            if match.group("noun") != noun:
                continue
            who = _resolve(match.group("issuer"), span, registry, names_only=True)
            if who and registry.kinds.get(who) in ("person", "organization"):
                found = who
    return found


_JOINED = re.compile(r"[,\s]*(?:and|or|as well as)\s+(?:(?:his|her|their|its|the|a|an)\s+)?")


def _joined_to_previous(
    index: int, spans: Sequence[Span], speakers: list[str | None], paragraphs: Sequence[str]
) -> str | None:
    """The speaker of the quote just before, when this one is joined to it by "and": two
    phrases the sentence gives the one speaker ("his 'separation' and his 'dependence'")."""
    if index == 0:
        return None
    span, previous, speaker = spans[index], spans[index - 1], speakers[index - 1]
    if not speaker or speaker.startswith("\x00") or previous.end_paragraph != span.start_paragraph:
        return None
    between = paragraphs[span.start_paragraph][previous.end : span.start]
    return speaker if _JOINED.fullmatch(between) else None


def _joined_to_unattributed(
    index: int, spans: Sequence[Span], speakers: list[str | None], paragraphs: Sequence[str]
) -> bool:
    """Whether the quote just before, in the same paragraph and joined to this one by "or"
    or "and", has no speaker: a word coordinated with a term is a term too."""
    if index == 0 or speakers[index - 1] not in (None, _TERM):
        return False
    span, previous = spans[index], spans[index - 1]
    if previous.end_paragraph != span.start_paragraph:
        return False
    between = paragraphs[span.start_paragraph][previous.end : span.start]
    return _ONLY_JOINED.fullmatch(between) is not None


_ONLY_JOINED = re.compile(r"[,\s]*(?:and|or)\s+")


def _completes_term(
    index: int, spans: Sequence[Span], speakers: list[str | None], paragraphs: Sequence[str]
) -> bool:
    """Whether this short quote is the complement of the quoted term just before it, in the
    same sentence: "“the neckline” of a “large ... pattern”" is one name in two parts."""
    if index == 0 or speakers[index - 1] != _TERM:
        return False
    span, previous = spans[index], spans[index - 1]
    if previous.end_paragraph != span.start_paragraph or len(span.text.split()) > _TERM_PART_WORDS:
        return False
    between = paragraphs[span.start_paragraph][previous.end : span.start]
    return _OF_A.fullmatch(between) is not None


# "Also sought are “...”": a sentence with no subject of its own goes on with the list the
# one before began ("Congress demanded ... “...”"), so with the same speaker
_ALSO_LISTED = re.compile(
    r"^\s*(?:Also|Further|Additionally|In addition,?)\s+(?:[a-z]+ly\s+)?"
    r"(?:sought|requested|demanded|required|included|listed|named|cited|proposed|recommended|"
    r"mentioned|wanted|asked for)\s+(?:is|are|was|were)\s*:?\s*$"
)


def _lists_on(before: str) -> bool:
    """Whether the quote's sentence opens "Also sought are" (the words looked for first)."""
    tail = before[-_ALSO_REACH:]
    return any(w in tail for w in _ALSO_WORDS) and bool(
        _ALSO_LISTED.search(_since_sentence_start(before))
    )


_ALSO_REACH = 60
_ALSO_WORDS = ("Also", "Further", "Additionally", "addition")


def _last_named_speaker(
    index: int, spans: Sequence[Span], speakers: list[str | None]
) -> str | None:
    """The speaker of the last quote with one, in this paragraph or the one before."""
    paragraph = spans[index].start_paragraph
    for before in range(index - 1, -1, -1):
        if spans[before].end_paragraph < paragraph - 1:
            return None
        speaker = speakers[before]
        if speaker and not speaker.startswith("\x00"):
            return speaker
    return None


_OF_A = re.compile(r"\s+of\s+(?:a|an|the)\s+")
_TERM_PART_WORDS = 8


# "Jim Jordan (R-OH) and Ron DeSantis wrote", "said Smith and Jones": two people named
# together as who speaks are the speaker, both of them ("X and Y", the annotation convention).
_PAIRED = re.compile(r"(?:\s*\([^()]{1,40}\))?,?\s+and\s+(?:[\w.-]+,?\s+){0,4}?$")
_AFTER_PAIR = re.compile(
    rf"(?:\s*\([^()]{{1,40}}\))?,?\s+(?:(?:also|jointly|have|has|had|\w+ly)\s+)?"
    rf"(?:{_VERB}|released|issued|published|signed|sent)\b"
)
_BEFORE_PAIR = re.compile(rf"\b(?:{_VERB}|from|by)\s+(?:[\w.-]+\s+){{0,3}}?$")


def _joint_speaker(speaker: str, span: Span, paragraphs: Sequence[str], registry: Registry) -> str:
    """The speaker, or the pair they speak with when the quote's sentence names the two
    together as its speaker: "X and Y said", "said X and Y", "a letter from X and Y"."""
    before = paragraphs[span.start_paragraph][: span.start]
    after = _until_sentence_end(paragraphs[span.end_paragraph][span.end :])
    sentence_start = len(before) - len(_since_sentence_start(before, True))
    for text, start in ((before, sentence_start), (after, 0)):
        if " and " not in text[start:]:
            continue
        names = list(_names_in(text, start))
        # Only names with "and" between them are looked up: most sentences have none.
        for index, (first, end, name) in enumerate(names):
            for begin, last, next_name in names[index + 1 : index + 1 + _PAIR_GAP]:
                if not _PAIRED.match(text[end:begin] + " "):
                    continue
                one = _person_named(name, span, registry)
                other = _person_named(next_name, span, registry)
                if not one or not other or one == other or speaker not in (one, other):
                    continue
                if _AFTER_PAIR.match(text, last) or _BEFORE_PAIR.search(text, 0, first):
                    return f"{one} and {other}"
    return speaker


_PAIR_GAP = 3  # names between "DNI Clapper and" and "Homeland security Secretary Jeh Johnson"


_CREDIT_BELOW = re.compile(
    rf"^\s*(?:[–—-]+\s*|[^–—\n]{{1,80}}?\s[–—]\s*)(?P<speaker>{_NAME}(?:\s*&\s*{_NAME})?)"
    r"\s*(?:[,(–—-][^.!?]*)?$"
)
_CREDIT_WORDS = 12  # a credit line names an author and a work, no more

_PAIR_REACH = 2  # paragraphs back: "the lawmakers" are the two named just before


def _last_pair(span: Span, paragraphs: Sequence[str], registry: Registry) -> str | None:
    """The last two people named together ("Reps. X (R-OH) and Y (R-FL)") shortly before."""
    first = max(0, span.start_paragraph - _PAIR_REACH)
    for index in range(span.start_paragraph, first - 1, -1):
        text = paragraphs[index]
        if index == span.start_paragraph:
            text = text[: span.start]
        if " and " not in text:
            continue
        people = [
            (begin, end, person)
            for begin, end, name in _names_in(text, 0)
            if (person := _person_named(name, span, registry))
        ]
        pairs = [
            f"{one} and {other}"
            for (_, end, one), (begin, _, other) in pairwise(people)
            if one != other and _PAIRED.match(text[end:begin] + " ")
        ]
        if pairs:
            return pairs[-1]
    return None


# "said Goldman Sachs chief economist Jan Hatzius": a body, a role in it, then who speaks
_BODY_ROLE_NAME = re.compile(
    rf"(?:(?:the|a|an)\s+)?{_NAME}(?:’s|'s)?(?P<role>(?:\s+[a-z][\w-]*){{1,4}}?)"
    rf",?\s+(?P<name>{_NAME})"  # "said Meta's head of research, Ida Brandt"
)
# "said a spokeswoman for Delta Air Lines, Karen Ruiz": a role in a body, then who holds it
_ROLE_FOR_BODY_NAME = re.compile(
    rf"(?:(?:a|an|the)\s+)?(?P<role>(?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*)\s+(?:for|of|at|with)\s+"
    rf"(?:the\s+)?{_NAME},\s+(?P<name>{_NAME})"
)
_SOMEONE_SAID = re.compile(
    rf"^[\s,–—-]*(?:a|an|one|two|three|several)\s+(?:[^.;:!?“”\"]|\.(?=\S)){{1,80}}?\s+"
    rf"(?:{_VERB})\b"
)


def _member_named(right: str, start: int, span: Span, registry: Registry) -> str | None:
    """The person named after a body and their role in it, at ``start`` of ``right``."""
    found = _BODY_ROLE_NAME.match(right, start) or _ROLE_FOR_BODY_NAME.match(right, start)
    if found is None or not any(map(lexicon.is_title_word, found.group("role").split())):
        return None
    person = _resolve(found.group("name"), span, registry, names_only=True)
    return person if person and registry.kinds.get(person) == "person" else None


def _coauthors(names: str, span: Span, registry: Registry) -> str:
    """ "Strauss & Howe": each by the fullest name the article gives, joined as written."""
    return " & ".join(
        _resolve(name.strip(), span, registry, names_only=True) or name.strip()
        for name in names.split("&")
    )


def _person_named(name: str, span: Span, registry: Registry) -> str | None:
    """The person a name refers to, past a title we do not know ("DNI Clapper")."""
    person = _resolve(name, span, registry, names_only=True)
    if person and registry.kinds.get(person) == "person":
        return person
    tokens = name.split()
    return next(
        (p for i in range(1, len(tokens)) if (p := registry.resolve_person(" ".join(tokens[i:])))),
        None,
    )


def _names_in(text: str, start: int) -> Iterator[tuple[int, int, str]]:
    """Each capitalised name from ``start`` on, a run joined by "and" taken as two."""
    for mention in MENTION.finditer(text, start):
        offset = mention.start()
        for part in re.split(r"( and )", mention.group(0)):
            if part != " and ":
                yield offset, offset + len(part), part
            offset += len(part)


_TURN = re.compile(r"(?P<label>[A-Z][\w.’' -]{0,40}?):\s+(?P<first>\S)")
_TURNS_OF_A_TRANSCRIPT = 4  # unmarked turns, by at least two speakers taking turns


def _transcript_turns(paragraphs: Sequence[str]) -> dict[int, str]:
    """The speaker's label of each turn, when the article is a transcript: paragraphs that
    open "Name: " and go on unmarked, by two or more names, each speaking more than once."""
    found = {i: m for i, p in enumerate(paragraphs) if (m := _TURN.match(p))}
    labels = Counter(m.group("label") for m in found.values())
    speaking = {label for label, count in labels.items() if count > 1}
    unmarked = [m for m in found.values() if m.group("first") not in _OPENING]
    if len(speaking) < 2 or len(unmarked) < _TURNS_OF_A_TRANSCRIPT:
        return {}
    return {i: m.group("label") for i, m in found.items() if m.group("label") in speaking}


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
    if _DEFINITE_LABEL.fullmatch(span.text) and _CALLS_OBJECT.search(left):
        # "calling that level “the neckline”": "the" and one noun name the thing (a term of
        # the trade); "called Russia “an aggressor”", "called it “cruel”" judge it
        return _TERM
    # "“The ground is saturated,” meteorologist Ian Brooks said": a comma inside the marks
    # ends the words; only a bare phrase modifies the noun after it
    bare = not paragraphs[span.end_paragraph][: span.end - 1].endswith(_CLAUSE_ENDS)
    modifier = _MODIFIES_NOUN.match(right_text) if partial and bare else None
    noun = modifier.group(1) if modifier else ""
    if (
        noun
        and noun not in _NOT_A_NOUN
        and noun not in lexicon.REPORTING_VERBS  # "'forms after a downtrend,' explains X"
        and not noun.endswith("ed")
        and _MODIFIER_END.search(span.text)
    ):
        return _TERM  # "NATO's Article V “collective defense” provision": a noun's modifier
    bracketed = left_text.endswith("(") and right_text.startswith(")")
    if bracketed and len(span.text.split()) <= SHORT_QUOTE_WORDS:
        return _NAME_OF  # "the journalist Ralf Schuler (“Bild”) reported": his paper's name
    if _CALLED.search(left) and _is_title(span.text.rstrip("!?")):
        return _NAME_OF  # "an exhibition called “Islam, It’s Our History!”": a name, however loud
    if _is_name_word(span.text) and left.strip() and not left.rstrip().endswith(_CLAUSE_ENDS):
        # "information on operations 'Titan' and 'Perseus'": names, not words; nor do they
        # let a later quote continue the words of one before them ("says 'Dixie' as ...")
        return _UNNAMED
    if _DATED_CITATION.match(right_text):
        return _NAME_OF  # "“Computers are making generalists of us all”, December 6.": a column
    if _is_title(span.text) or _TITLED.search(left) or _GLOSS.search(left):
        return _NAME_OF  # "a post titled, 'We Don't ...'", "CRISPR, or 'clusters of ...'"
    verdict = _VERDICT.search(left) if partial and "found" in left else None
    if verdict is None and _RULING_VERB.search(left):
        verdict = _RULED.search(left)  # "the High Court decided, that ... “should take precedence”"
    judge = _judge_named(verdict.group("speaker"), span, registry) if verdict else None
    if judge:
        return judge  # "Judge Shelleyanne Chang found all six “false and misleading.”"
    if partial and not spoken_phrase and "between" in left and _CONTRASTED.search(left):
        return (
            _TERM  # "the difference between optimism and the (much in vogue) “positive thinking”"
        )
    if partial and _SPOKEN_TO.search(left):
        return _TERM  # "Levin explains to 'the rising generation'": who listens, not words
    if (
        partial
        and span.text[:1].islower()  # not "He maintained 'I am innocent'"
        and _KEEPS.search(left)
        and not span.text.endswith(_CLAUSE_ENDS)
    ):
        return _TERM  # "the SEC maintains “circuit breakers” to cut off trading": keeps them
    naming = _NAMING_BEFORE.search(left)
    if partial and not spoken_phrase and (naming or _FUNCTION_BEFORE.search(left)):
        # A quoted term, unless its sentence says who used it: "due to the 'unregulated
        # nature' of the market, spokeswoman Afroditi Kellberg said".
        if len(span.text.split()) < 2:
            # A single quoted word is a term whoever is speaking, unless the sentence says
            # whose word it is: "criticized NATO, describing it as 'warmongering'".
            if (_DESCRIBING_AS.search(left) or _ACCUSING_OF.search(left)) and not _PASSIVE.search(
                left
            ):
                return _subject_speaker(sentence, span, registry) or _TERM
            word = re.fullmatch(r"[A-Za-z][a-z’'-]*[.!?,]?", span.text)  # not "@state.gov"
            opened = None if naming or not word else _earlier_quote_start(sentence, left)
            if opened is not None:
                # "writing that his 'personal mistake' would not detract from his 'mission.'":
                # the sentence already quotes its speaker; this word is theirs as well
                head = replace(span, start=span.start - (len(sentence) - opened))
                return _subject_speaker(sentence[:opened], head, registry, True) or _TERM
            return _TERM
        # "This pattern 'forms after a downtrend,' explains StockCharts": credited right after
        after = _until_sentence_end(right_text)
        match = _EMBEDDED_AFTER.search(after) or _RIGHT_PATTERNS[0].match(right)
        if match:
            return _resolve(match.group("speaker"), span, registry) or _TERM
        if naming:
            # "He called the decision 'cruel and heartless'": a person calling something so
            # said those words; "calling Kim 'rocket man'", "was called a 'messiah'" name.
            calling = _CALLING.match(naming.group(0))
            if not calling or _PASSIVE.search(left, 0, naming.start()) or _NICKNAME.search(left):
                return _TERM
            return _subject_speaker(sentence, span, registry) or _TERM
        return _subject_speaker(sentence, span, registry, saying_only=True) or _TERM
    # "... 'arrested.' He said, 'Law and order ...'": that attribution opens the next quote.
    introduces_next = (
        span.text.endswith((".", "!", "?"))
        and right.strip()[:1].isupper()
        and right.rstrip().endswith((",", ":"))
    ) or _ends_narrative_sentence(span, left, right)
    if _HYPOTHETICAL.search(left):
        return _UNNAMED  # "Trump could ... and say “I’m ...”": words nobody has said yet
    document = None if introduces_next else _DOCUMENT_FROM.match(right)
    if document and (name := _last_named(document.group("author"), span, registry)):
        return name
    desk = None if introduces_next else _DESK_OF.match(right)
    if desk and (person := _member_named(right, desk.start("owner"), span, registry)):
        return person  # "..., said Westmark Capital's head of research, Ida Brandt"
    if desk and (name := _last_named(desk.group("owner"), span, registry)):
        return name  # "..., reckons Swiss refining group MKS Pamp's Asian trading desk"
    for pattern in () if introduces_next else (*_OWNED_ROLE_PATTERNS, *_RIGHT_PATTERNS):
        match = pattern.match(right)
        if match and pattern is _SIGNATURE and left.strip() and not match.group("handle"):
            continue  # "..., Walker said. '...' — Jane Doe": a section's byline, not a speaker
        if match and pattern is _SIGNATURE and "&" in match.group("speaker"):
            return _coauthors(match.group("speaker"), span, registry)
        if (
            match
            and pattern is _RIGHT_PATTERNS[0]
            and (person := _member_named(right, match.start("speaker"), span, registry))
        ):
            return person
        if (
            match
            and pattern is _ACCORDING_TO_AFTER
            and (said := _subject_speaker(left, span, registry, saying_only=True))
            and registry.kinds.get(said) == "person"
        ):
            return said  # "Xi said they should be “partners,” according to Xinhua": Xi's words
        if match and (name := _speaker_of(match, span, registry)):
            return name
    below = span.end_paragraph + 1
    if not left.strip() and not right_text.strip(" .,;") and below + 1 < len(paragraphs):
        # A quote standing as its own paragraph, then a line crediting it ("— Mark Twain",
        # "The Gilded Age – Mark Twain"): an epigraph's author, however the line is laid out.
        # (Not the last paragraph: a sign-off there is the writer's.)
        signed = _CREDIT_BELOW.match(paragraphs[below])
        if signed and len(paragraphs[below].split()) <= _CREDIT_WORDS:
            author = signed.group("speaker")
            if "&" in author:
                return _coauthors(author, span, registry)
            if name := _resolve(author, span, registry, names_only=True):
                return name
    # "'...,' reckons <someone we cannot name>": a source of its own, not the one quoted before
    # (or "'...,' <a name we cannot resolve> said": still not the one quoted before)
    # ("'...,' a spokeswoman for the company said": someone, unnamed)
    credited = not introduces_next and (
        any(p.match(right) for p in _RIGHT_PATTERNS[:2]) or _SOMEONE_SAID.match(right) is not None
    )
    credit = _CREDIT_LINE.match(right_text) if not left.strip() else None
    if credit and credit.group("joint"):
        partner = _resolve(credit.group("joint"), span, registry, names_only=True)
        if partner and registry.kinds.get(partner) == "person":
            return f"{credit.group('first')} and {partner}"
    elif credit and (
        name := _resolve(
            credit.group("speaker") or credit.group("bracketed"), span, registry, names_only=True
        )
    ):
        # A paragraph that is a quote and then a bare name: "“...” Newshound", "“...” Global
        # Citizen Website": web writers credit a passage so.
        return name
    described = _BEING_BEFORE_COLON.search(left) if left.rstrip().endswith(":") else None
    who = _resolve(described.group("name"), span, registry, True) if described else None
    if who and registry.kinds.get(who) == "person":
        return who  # "Leach was self-effacing: “...”": how the words came, then them
    dashed = _NAME_DASH.match(left_text) if left_text[-3:].strip() in "–—-" else None
    if dashed and (name := _resolve(dashed.group("name"), span, registry, names_only=True)):
        return name  # "Thomas Jefferson – “...”": a list of sayings, each led by its author
    which = _WHICH_SAYS.search(sentence) if "which" in sentence else None
    if which:
        # "He quoted Proverbs 15, which says, '...'", "the University of Chicago's policies
        # which say '...'": the text speaks, or its owner; not the one who quotes it
        text_of = _resolve(_POSSESSIVE.split(which.group("owner"))[0], span, registry, True)
        speaks = text_of and registry.kinds.get(text_of) in ("person", "organization")
        return text_of if text_of and speaks else _UNNAMED
    doing = may_search(_PARTICIPLE_SUBJECT, left, _PARTICIPLE_GUARD) if "ing " in left else None
    who = _resolve(doing.group("speaker"), span, registry, True) if doing else None
    kind = registry.kinds.get(who) if who else None
    if who and (
        kind == "person" or (kind is None and doing and doing.group("role") and " " not in who)
    ):
        return who  # an unknown single name counts only with its role: "the poet Juvenal"
    text_by = _READ_FROM.search(left) if "read" in left else None
    if text_by and (author := _last_named(text_by.group("author"), span, registry)):
        return author  # "A statement from Halden Motors read: “...”": the text's author
    mission = _MISSION.search(left) if _MISSION_WORD.search(left) else None
    aim = mission.group("of") or mission.group("owner") if mission else None
    named = _resolve(aim, span, registry, names_only=True) if aim else None
    if named and registry.kinds.get(named) in ("organization", "person"):
        return named  # "the stated goal of the TC was to create “a new ... order”": its words
    if _PROMISED_END.search(left) and (promiser := _promise_owner(left, span, registry)):
        return promiser  # "Russia’s clear reaction ... that it would “respond asymmetrically”"
    for pattern in _LEFT_PATTERNS:
        match = may_search(pattern, left, _LEFT_GUARDS)
        if match and _WORK_OF.match(match.group("speaker")):
            # "Mihaly Csikszentmihalyi, author of Finding Flow, ... wrote:": the book is
            # what he wrote, he is who
            author = _NAME_BEFORE_ASIDE.search(left, 0, match.start("speaker"))
            who = _resolve(author.group("name"), span, registry, True) if author else None
            return who if who and registry.kinds.get(who) == "person" else _UNNAMED
        if match and pattern is _LEFT_PATTERNS[0]:
            match = _inner_named(match, left)
            if _members_of(left, match, registry):
                return _UNNAMED  # "Republicans on the committee noted": some of it, unnamed
            relative = _RELATIVE_SUBJECT.search(left, 0, match.start("speaker"))
            if relative and (who := _resolve(relative.group("speaker"), span, registry, True)):
                return who  # "Tim Harford, who has blocked me on Twitter writes:": Harford
        if (
            match
            and _ROLE_OF.match(match.group("speaker"))
            and (named := _subject_speaker(sentence, span, registry))
        ):
            # "Rodriguez, ... and the president of the National Hispanic Christian Leadership
            # Conference noted that": the person described, named before, not the body.
            return named
        if match and (name := _speaker_of(match, span, registry)):
            return name
        if match and pattern in _SOURCE_PATTERNS:
            return _UNNAMED  # "As the Times put it": a source, though not one we can name
    # An embedded quote: the sentence's reporting verb may stand further away, either side.
    sentence_right = _until_sentence_end(right_text)
    if span.text.endswith((".", "!", "?")) and right_text.lstrip()[:1].isupper():
        sentence_right = ""  # "same-sex 'marriage.' In 2010, Ploumen called": a new sentence
    for pattern in (_EMBEDDED_AFTER, _EMBEDDED_VERB_FIRST):
        match = pattern.search(sentence_right)
        if match and (name := _resolve(match.group("speaker"), span, registry)):
            return name
    if name := _introducer(left, span, registry):
        return name
    if "ccording to" in left and (name := _according_to_earlier(left, span, registry)):
        return name
    if not left.strip() or left.rstrip().endswith((".", "!", "?")):
        # The quote opens its sentence, after one that says whose words follow: "The words
        # of General Cleburne are becoming true. '...'", "... a quote from Dostoevsky."
        before = left_text
        if not before.strip() and span.start_paragraph > 0:
            before = paragraphs[span.start_paragraph - 1]
        last = _last_sentence(before)
        match = _WORDS_OF.search(last)
        if match and (name := _resolve(match.group("speaker"), span, registry, names_only=True)):
            return name
        work = _WORK_BY.search(last) if _WORK_NOUN.search(last) else None
        author = work.group("author") or work.group("owner") if work else None
        name = _resolve(author, span, registry, names_only=True) if author else None
        if name and registry.kinds.get(name) in ("person", "organization"):
            return name  # "The Matt Taibbi article “Tea & Crackers” had ... . “...”": his
    ending = left.rstrip().endswith((":", ",", "of", "was", "that"))
    owner = _OWN_WORDS.search(left) if ending else None
    if owner:
        # "in his Memoirs (2003):", "His vision was of '...'", "an email he had sent ... was
        # published:": words that are the pronoun's own
        said_by = owner.group("pronoun") or owner.group("writer")
        pronoun: Pronoun = "he" if said_by.lower() in ("his", "he") else "she"
        # "answered by David Rockefeller himself, ..., in his Memoirs": the sentence's own
        in_sentence = [
            person
            for mention in MENTION.finditer(left, 0, owner.start())
            if (person := _resolve(mention.group(0), span, registry, names_only=True))
            and registry.kinds.get(person) == "person"
            and fits(person, pronoun)
        ]
        if in_sentence:
            return in_sentence[-1]
        offset = max(0, span.start - len(left) + owner.start(1 if owner.group(1) else 2))
        return f"{_pronoun_marker(pronoun)}@{offset}"
    if subject := _subject_speaker(left, span, registry):
        return subject
    if (
        "that" in left
        and _GUIDANCE_NOUN.search(left)
        and not _SPEECH_VERB.search(left)  # "Critics of the FDA's guidance argue that": theirs
        and (advised_by := _guidance_owner(left, span, registry))
    ):
        return advised_by
    return _UNNAMED if credited else None


_GUIDANCE_NOUNS = (
    r"(?:guidelines|guidance|recommendations|advice|advisories|advisory|literature|brochures?|"
    r"pamphlets?|leaflets?|advertising|advertisements|ads|labels|labelling|labeling|website|"
    r"web site)"
)
_GUIDANCE_NOUN = re.compile(rf"\b{_GUIDANCE_NOUNS}\b")
# A body's published advice, then what it has people believe: "deceived by the USDA's
# nutritional guidelines into believing ... that “...”": the body's words, in its text.
_GUIDANCE = re.compile(
    rf"(?P<owner>{_NAME})(?:’s|'s)\s+(?:[a-z][\w-]*\s+){{0,2}}{_GUIDANCE_NOUNS}\b"
    r"[^.!?;“”\"]{0,160}\bthat\s*$"
)


def _guidance_owner(left: str, span: Span, registry: Registry) -> str | None:
    match = _GUIDANCE.search(left)
    if match is None:
        return None
    owner = _resolve(match.group("owner"), span, registry, names_only=True)
    return owner if owner and registry.kinds.get(owner) == "organization" else None


# "A statement from X read:", "a sign carried by the AFL-CIO Local #1 reads:"
_READ_FROM = re.compile(
    rf"\b(?:{_DOCUMENTS}|sign|banner|placard|poster)\b[^.!?“”\"]{{0,30}}?\b(?:from|by)\s+"
    r"(?P<author>[^.!?“”\"]{1,80}?)\s+(?:read|reads)\s*[,:]?\s*$"
)
_AIMS = r"(?:stated\s+)?(?:goal|aim|mission|purpose|objective|mission statement|motto)"
_MISSION_WORD = re.compile(r"\b(?:goal|aim|mission|purpose|objective|motto)\b")
# A body's stated goal, in its own words: "the stated goal of the TC was to create “...”",
# "the group's mission is to “...”"
_MISSION = re.compile(
    rf"(?:\b{_AIMS}\s+of\s+(?:the\s+)?(?P<of>{_NAME})|(?P<owner>{_NAME})(?:’s|'s)\s+{_AIMS})"
    r"\s+(?:is|was|has\s+been|had\s+been)\s+(?:to\s+)?(?:[a-z][\w-]*\s+){0,2}$"
)
_PROMISED_END = re.compile(
    r"\bthat\s+(?P<pronoun>it|he|she|they)\s+(?:would|will|could|might|must|should)\s+$"
)
_PROMISE_NOUNS = f"{_STATEMENT_NOUNS}|reaction|threat|threats|vow|pledge|insistence|position"
_PROMISE = re.compile(
    rf"(?P<owner>{_NAME})(?:’s|'s)\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_PROMISE_NOUNS})\b"
    r"[^.!?“”\"]{0,80}?\bthat\s+(?:it|he|she|they)\s+\w+\s+$"
)


def _promise_owner(left: str, span: Span, registry: Registry) -> str | None:
    """Whose statement, reaction or threat "that it would" goes on in the quote's words: the
    one it belongs to ("Russia’s reaction ... that it would"), a country speaking as one."""
    match = _PROMISE.search(left)
    if match is None:
        return None
    owner = _resolve(match.group("owner"), span, registry, names_only=True)
    place = registry.canonical(match.group("owner"))
    it = _PROMISED_END.search(left)
    if owner and registry.kinds.get(owner) in ("person", "organization"):
        return owner
    if place and registry.kinds.get(place) == "place" and it and it.group("pronoun") == "it":
        return place
    return None


# Ways web writing hands over to someone's words without a verb of saying. Each needs a
# person or body named right before it; a description ("the site defines") is left alone.
_INTRODUCERS = (
    # "Wikipedia defines happiness as “...”": a definition is its source's words
    (
        "defin",
        re.compile(rf"(?P<speaker>{_NAME})\s+(?:defines|defined)\s+[^.!?“”\"]{{1,60}}?\s+as\s*$"),
    ),
    # "John Eliot, author of ..., has a very interesting expression: “...”"
    (
        "has",
        re.compile(
            rf"(?P<speaker>{_NAME})(?:,[^,;:“”\"]{{1,100}},)?\s+(?:has|had)\s+(?:a|an)\s+"
            r"(?:[\w-]+\s+){0,3}(?:expression|saying|phrase|motto|maxim)\s*:\s*$"
        ),
    ),
    # "Ronald Inglehart, found that once ..., the link “is surprisingly weak”": the finding
    # goes on in his words
    ("found", re.compile(rf"(?P<speaker>{_NAME}),?\s+found\s+that\s+[^.!?;“”\"]{{1,200}}$")),
)


def _introducer(left: str, span: Span, registry: Registry) -> str | None:
    for cue, pattern in _INTRODUCERS:
        match = pattern.search(left) if cue in left else None
        name = _resolve(match.group("speaker"), span, registry, True) if match else None
        if name and registry.kinds.get(name) in ("person", "organization"):
            return name
    return None


_WORK_OF = re.compile(r"(?:(?:the|an?)\s+)?(?:co-)?(?:author|writer|editor)\s+of\s+[A-Z]")
_NAME_BEFORE_ASIDE = re.compile(rf"(?P<name>{_NAME}),\s*$")


def _ends_narrative_sentence(span: Span, left: str, right: str) -> bool:
    """ "Maria Silva called the offer 'an insult.' Jorge Lima said ...": a quote inside the
    narrative's sentence that ends it; what follows is the next sentence's, not its credit."""
    before = left.rstrip()
    return (
        span.text.endswith((".", "!", "?"))
        and right.strip()[:1].isupper()
        and bool(before)
        and not before.endswith((".", "!", "?", "”", '"', "’", "'", "–", "—", "-"))
        and _SPEECH_VERB.search(before) is not None
    )


_WHICH_SAYS = re.compile(
    rf"(?P<owner>{_NAME})(?:\s+(?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*|\s+\d+)?,?\s+which\s+"
    r"(?:says?|said|reads?|states?|stated|declares?|declared)\b[^.!?]*$"
)


# "According to Isabelle Benoit, a historian at the institute, “...”", "According to
# SourceWatch, the centre “was founded ...”": the source opens the sentence, a clause between.
_ACCORDING_TO = re.compile(
    rf"\b(?i:according to)\s+(?:(?:a|an|the)\s+(?:[a-z][\w-]*\s+)?(?:{_DOCUMENTS})\s+"
    r"(?:(?:released|issued|published)\s+)?(?:by|from)\s+)?"  # "according to a report from X:"
    # "According to Australian nurse Bronnie Ware,": who she is, then her name
    rf"(?:the\s+)?(?:(?:[A-Z][a-z]+\s+)?[a-z][\w-]*\s+(?=[A-Z]))?(?P<name>{_NAME})"
)
_CLAUSE_REACH = 200  # characters between the source and the quote: one sentence's worth
_SOURCE_END = re.compile(r"(?:\s+[a-z][\w-]*){0,4}[,:]")  # "According to X during that time,"


def _according_to_earlier(left: str, span: Span, registry: Registry) -> str | None:
    """The source an "according to" earlier in the quote's sentence names, unless someone
    else is said to speak between it and the quote."""
    matches = list(_ACCORDING_TO.finditer(left))
    match = matches[-1] if matches else None
    document = _ACCORDING_TO_DOCUMENT.search(left, match.end() if match else 0)
    if document and _source_holds(left[document.end() :]):
        return _SAME_SOURCE  # "according to the analysis, after 15 years, the project '...'"
    if match is None or not _source_holds(left[match.end() :]):
        return None
    name = _resolve(match.group("name"), span, registry, names_only=True)
    return name if name and registry.kinds.get(name, "person") != "place" else None


_ACCORDING_TO_DOCUMENT = re.compile(rf"\b(?i:according to)\s+the\s+(?:{_FINDINGS})\b")


def _source_holds(between: str) -> bool:
    """Whether a source named ``between`` before the quote is still its source: near, its
    phrase closed by a comma, and nobody else said to speak since."""
    return (
        len(between) <= _CLAUSE_REACH
        and _SOURCE_END.match(between) is not None
        and _SPEECH_VERB.search(between) is None
    )


_BEING_BEFORE_COLON = re.compile(
    rf"(?P<name>{_NAME})\s+(?:was|is|were|are|seemed|seems|remained|remains|sounded|sounds)\s+"
    r"(?:\w+\s+)?[\w-]+\s*:\s*$"
)
_NAME_DASH = re.compile(rf"\s*(?P<name>{_NAME})\s*[–—-]\s*$")
_OWN_NOUNS = (
    "book|memoir|memoirs|autobiography|diary|letter|column|essay|speech|testimony|vision|view|"
    "answer|reply|response|message|advice|verdict|explanation|words|motto|credo"
)
_OWN_WORDS = re.compile(
    rf"(?:\b(?P<pronoun>his|her|His|Her)\s+(?:[\w-]+\s+){{0,2}}?(?i:{_OWN_NOUNS})\b"
    r"(?:\s+(?:to|for)(?:\s+[\w-]+){1,3}?)?"  # "her advice to young officers was that"
    r"\s*(?:\(\d{4}\)\s*)?(?:(?:was|is)(?:\s+(?:of|that))?)?"
    r"|\b(?:email|e-mail|letter|note|message|memo)\s+(?:that\s+)?(?P<writer>he|she)\s+"
    r"(?:had\s+)?(?:sent|written|wrote)\b[^.!?“”\"]{0,80})\s*[:,]?\s*$"
)
_WORDS_OF = re.compile(
    r"\b(?:words|quote|quotation|saying|line|lines|prayer|motto|maxim|advice|warning)\s+"
    rf"(?:of|from|by)\s+{_SPEAKER}"
)


_WORKS = "article|column|essay|book|op-ed|piece|paper|editorial|blog post|memoir"
_WORK_NOUN = re.compile(rf"\b(?:{_WORKS})\b")
# The sentence before a quote opens with someone's piece of writing: "The Matt Taibbi
# article ... had some surprising areas of agreement.", "Kessler's column is blunt."
_WORK_BY = re.compile(
    rf"^\s*(?:[Tt]he\s+(?P<author>{_NAME})|(?P<owner>{_NAME})(?:’s|'s))\s+"
    rf"(?:(?:new|latest|recent|last)\s+)?(?:{_WORKS})\b"
)


def _last_sentence(text: str) -> str:
    return _since_sentence_start(text.rstrip().rstrip(".!?:"), across_quotes=True)


def _inner_named(match: re.Match[str], left: str) -> re.Match[str]:
    """ "He shared 2 Timothy 4 where the apostle Paul says, '...'": a named speaker with a
    verb of their own, between the first speaker's verb and the quote, is the one quoted."""
    inner = match.re.search(left, match.end("speaker") + 1)
    while inner is not None:
        if MENTION.search(inner.group("speaker")):
            return inner
        inner = match.re.search(left, inner.end("speaker") + 1)
    return match


_ROLE_OF = re.compile(r"(?:the|a|an)\s+(?:[a-z][\w-]*\s+){1,2}(?:of|for|at)\s+(?:the\s+)?[A-Z]")
_MODIFIER_BEFORE = re.compile(r"(?:’s|'s|\b(?:the|a|an|his|her|their|its|this|that))\s+$")
# "Herman Graml, a prominent historian at the institute, who wrote:": the one described
_RELATIVE_SUBJECT = re.compile(
    rf"(?P<speaker>{_NAME})(?:,\s+(?:a|an|the)\s+[^,;:“”\"]{{1,120}})?,\s+who\s+[^,.;:]*$"
)
# "a letter to Congress", "sponsored by the prestigious Harvard Program": a preposition's
# object (the word between the article and the name, if any, describes it)
_OBJECT_OF = re.compile(
    r"\b(?:to|with|for|from|at|by|against|on|into|about)\s+(?:the\s+(?:[a-z][\w-]*\s+)?)?$"
)
_DESCRIBED_SUBJECT = re.compile(r"\b(?P<who>(?:the|The) [a-z][\w-]+)(?=,?\s+(?:\w+ly\s+)?$)")
_TITLED_SUBJECT = re.compile(r"^\s*(?:the|The) (?P<title>[A-Z][a-z-]+)\s+(?:\w+ly\s+)?$")
_OPENING_SUBJECT = re.compile(rf"^\s*(?P<who>(?:the|The) [a-z][\w-]+)\s+(?:\w+ly\s+)?(?:{_VERB})\b")
# A sentence's described subject, then its own predicates joined by "and"/"but" up to the verb
_COORDINATED_SUBJECT = re.compile(
    r"^\s*(?P<who>(?:the|The)\s+[a-z][\w-]+|(?i:researchers|investigators|scientists|authors))"
    r"\s+[^.;:!?“”\"]{1,160}?,?\s+(?:and|but)\s+"
    r"(?:\w+ly\s+|also\s+|then\s+|later\s+)?$"
)
_ADJACENT = re.compile(r"[\s,]*(?:\w+ly\s+|also\s+|then\s+|later\s+)?")


_RELATIVE = re.compile(r"\s*(?:who|whom|whose|which|that|where|when)\b")


def _speaker_of(match: re.Match[str], span: Span, registry: Registry) -> str | None:
    """ "A spokesman for the agency, Dana Whitfield, said": a name in apposition is who."""
    appositive = match.groupdict().get("appositive")
    if appositive and not _RELATIVE.match(appositive):  # ", who spoke at Trump's ...,": no name
        person = _resolve(appositive, span, registry, names_only=True)
        if person and registry.kinds.get(person) == "person":
            return person
    return _resolve(match.group("speaker"), span, registry)


def _subject_speaker(
    left: str, span: Span, registry: Registry, saying_only: bool = False
) -> str | None:
    """ "John Kirby ... had summoned the regime to 'stop'": the subject of a speech verb.
    ``saying_only``: a verb that reports words ("claimed"), not one that names ("calling")."""
    verbs = [
        found_verb  # not "Trump's alleged use", where the verb is an adjective
        for found_verb in (_SAYING_VERB if saying_only else _SPEECH_VERB).finditer(left)
        if not _MODIFIER_BEFORE.search(left, 0, found_verb.start())
    ]
    if saying_only:
        # "what the Journal calls 'a wave of austerity,' with executives skipping the usual
        # 'hired sedan'": a verb whose object is an earlier quote has had its words.
        verbs = [v for v in verbs if left[v.end() : v.end() + 2].strip()[:1] not in _OPENING]
        # "A HUD report revealed the program did reduce the incidence of 'extreme obesity'":
        # a verb whose clause runs on for many words has reported the clause, not the phrase;
        # "vowed that ... will be met with 'fire and fury'" reports speech all the way.
        verbs = [
            v
            for v in verbs
            if len(left[v.end() :].split()) <= _SAYING_REACH
            or _THAT.match(left, v.end())
            or _NAMING_SINCE.search(left, v.start())  # "says, calling the sources 'Y'"
        ]
    if not verbs:
        return None
    verb = verbs[-1]
    pronoun = _SUBJECT_PRONOUN.search(left[: verb.start()])
    if pronoun:  # "he claimed that what children needed was 'above all' ..."
        # Who "he" is must be found before "he": in "He called Trump's decision 'cruel'",
        # Trump is named after the pronoun.
        offset = max(0, span.start - len(left) + pronoun.start("pronoun"))
        return f"{_pronoun_marker(pronoun.group('pronoun'))}@{offset}"
    relative = _RELATIVE_SUBJECT.search(left, 0, verb.start())
    if relative and (who := _resolve(relative.group("speaker"), span, registry, names_only=True)):
        return who  # "Senator Dick Durbin, who went to the media to report ...": Durbin
    for earlier in reversed(verbs):
        # "Podesta (a top Obama adviser) emailed Mills ... to suggest that": the person
        # right before a speech verb, an aside in brackets between, is who speaks.
        before = left[: earlier.start()]
        voiced = _ALIAS.search(before)
        if voiced:
            before = before[: voiced.start()] + before[voiced.end() :]
        if adjacent := _adjacent_person(_PARENTHESIS.sub("", before), span, registry):
            return adjacent
        if voiced and earlier is verb:
            return None  # a character we cannot name for sure: never the actor instead
    found: dict[str, str] = {}
    before_verb = left[: verb.start()]
    coordinated = _COORDINATED_SUBJECT.match(before_verb)
    if coordinated:
        # "The team was horrified and described '...'", "Authors also tested X, but reported
        # that it was '...'": the sentence's subject speaks through a later verb of its own.
        who = _resolve(coordinated.group("who"), span, registry)
        if who not in (None, _UNNAMED, _SAME_SPEAKER, _SAME_SOURCE, _PAIR, *_EPITHETS):
            return who
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
    # "the president vowed that ... 'fire and fury'"; "The commission said the analysis was
    # flawed, saying it 'is not just'": the sentence's own subject speaks on.
    described = _DESCRIBED_SUBJECT.search(before_verb) or _OPENING_SUBJECT.match(before_verb)
    titled = None if found or described else _TITLED_SUBJECT.match(before_verb)
    if titled and lexicon.is_title_word(titled.group("title")):
        # "The President touts the program as 'fundamental'": an office with its capital,
        # whoever holds it in the article, as "the president" would be
        office = _describe(["the", titled.group("title").lower()], span, registry)
        return office if office not in (_UNNAMED, _SAME_SPEAKER, *_EPITHETS) else None
    if not found and described:
        who = _describe(described.group("who").split(), span, registry)
        # "The report credited the group with sparing 'dozens of lives'": the report's author
        return who if who not in (_UNNAMED, _SAME_SPEAKER, *_EPITHETS) else None
    clause = _CLAUSE_PRONOUN.search(before_verb) if verb.group().endswith("ing") else None
    if not found and clause and _PARTICIPLE_AFTER_COMMA.search(before_verb):
        # "he helped found the fund, recalling later: '...'": the clause's subject speaks
        offset = max(0, span.start - len(left) + clause.start("pronoun"))
        return f"{_pronoun_marker(clause.group('pronoun'))}@{offset}"
    return found.get("person") or found.get("organization")


_SAYING_REACH = 7  # words from a verb that reports words to the short phrase it reports
# "vowed that ...", "told the committee he did not learn ...": a clause of reported speech
_THAT = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:that|he|she)\s")
# A verb naming a thing so ("classifying the country's quest a 'suicide mission'"), not
# asking for it ("has called for the banning of ...").
_NAMING_SINCE = re.compile(
    r"\b(?:call|calls|called|calling|label|labels|labeled|labelled|labeling|labelling|classify|"
    r"classifies|classified|classifying|describe|describes|described|describing)\b"
    r"(?!\s+(?:for|on|upon|in|off|out|up)\b)",
    re.IGNORECASE,
)

# The subject of a clause: at the sentence's start, or after a colon or semicolon.
_CLAUSE_PRONOUN = re.compile(r"(?:^|[:;]\s*)(?P<pronoun>he|she|He|She)\s+(?:\w+ly\s+)?[a-z]+\b")
_PARTICIPLE_AFTER_COMMA = re.compile(r",\s*(?:\w+ly\s+)?$")


_OPENING = tuple(_OPEN_DOUBLE + _OPEN_SINGLE + "\"'")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)(?=\s*$)")
# "a voice-over by Luke (Mark Hamill), saying": the actor in brackets lends the voice; the
# character named before him speaks
_ALIAS = re.compile(r"(?<=[a-z])\s*\([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}\)(?=[\s,]*$)")
_LAST_NAMED = re.compile(
    rf"(?P<name>{_NAME})[\s,]*(?:\w+ly\s+|also\s+|then\s+|later\s+|to\s+)?$"  # "Reid to declare"
)


_ORG_NOUN_BEFORE = re.compile(
    r"\b(?:group|bank|firm|company|lender|insurer|broker|brokerage|agency|consultancy)\s+$"
)


def _last_named(phrase: str, span: Span, registry: Registry) -> str | None:
    """The last person or organisation named in a phrase."""
    found = None
    for mention in MENTION.finditer(phrase):
        name = _resolve(mention.group(0), span, registry, names_only=True)
        if name and registry.kinds.get(name) in ("person", "organization"):
            found = name
        elif _ORG_NOUN_BEFORE.search(phrase, 0, mention.start()):
            found = mention.group(0)  # "financial services group Commerzbank"
    return found


_NAME_REACH = 100  # characters: a role and a name before a verb are shorter


def _adjacent_person(before_verb: str, span: Span, registry: Registry) -> str | None:
    """The person named right before a verb ("..., Clinton advocate Michael Morell, compared")."""
    # A pattern ending in "$" is tried at every position: only the last words can hold the
    # name (cut at a space, so a name is never cut in two).
    start = before_verb.rfind(" ", 0, max(0, len(before_verb) - _NAME_REACH)) + 1
    match = _LAST_NAMED.search(before_verb, start)
    if match is None:
        return None
    name = _resolve(match.group("name"), span, registry, names_only=True)
    return name if name and registry.kinds.get(name) == "person" else None


def _is_title(text: str) -> bool:
    """ "Fire and Fury", "Stop Chris Christie": a short Title Case phrase with no sentence
    ending is the name of a book, film, group or campaign, not someone's words. The period
    or comma American style puts inside the marks ("Swamp Creatures.") does not count."""
    words = text.removesuffix(".").removesuffix(",").split()
    if not 2 <= len(words) <= 10 or text.endswith(("!", "?")):
        return False
    minor = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with"}
    return all(w[:1].isupper() or w in minor for w in words) and words[-1][:1].isupper()


_CLAUSE_ENDS = (".", "!", "?", ":", ",")


def _is_name_word(text: str) -> bool:
    """ "Titan", "Bild": one capitalised word with no sentence mark is a name in quotes."""
    return " " not in text and text[:1].isupper() and text[-1:].isalnum() and text != "I"


def _is_sentence(span: Span, paragraphs: Sequence[str]) -> bool:
    """ "I think it's ridiculous." standing as a sentence of its own is speech, however short."""
    text = span.text
    before = paragraphs[span.start_paragraph][: span.start].rstrip()
    return (
        text[:1].isupper()
        and text.endswith((".", "!", "?"))
        and (not before or before.endswith((".", "!", "?", "”", '"', ":")))
    )


def _pronoun_marker(pronoun: str) -> str:
    return f"\x00{pronoun.lower()}"


def _pronoun_speaker(
    index: int,
    spans: Sequence[Span],
    speakers: list[str | None],
    registry: Registry,
    pronoun: Pronoun,
    offset: int,
) -> str | None:
    """ "'...,' he continued": the one speaking just before, when the narrative has named no
    one else since; otherwise the person last named as a sentence's subject. Either way,
    someone the pronoun fits ("she said" skips back past Donald Trump), named before
    ``offset``, where the pronoun stands in the quote's paragraph."""
    span = spans[index]
    # "They concluded": a group speaking on, such as the laboratory quoted just before
    return _previous_speaker(
        index, spans, speakers, registry, any_kind=pronoun == "they", pronoun=pronoun, until=offset
    ) or registry.last_person_before(
        span.start_paragraph, offset, accept=lambda person: fits(person, pronoun)
    )


# "Todd Akin—the former congressman who tried to ... what he called": the name a relative
# clause hangs on, directly or through a noun phrase set beside it
_WHO_HEAD = re.compile(
    rf"(?P<name>{_NAME})[”\"’]?(?:\s*[,—–]\s*(?:the|a|an)\s+[^,;:!?“”\"]{{1,80}}?)?,?\s+who\s"
)


# "Analysts at Goldman Sachs raised their forecast": a group of some body, whom "they" means
_GROUP_AT = re.compile(
    r"\b(?P<group>(?i:analysts|strategists|economists|researchers|scientists|investigators|"
    r"officials|sources|aides|staffers|employees|members|agents|lawyers|insiders|"
    r"representatives|executives|leaders|lawmakers|experts))\s+"
    rf"(?:at|of|from|with|for|on)\s+(?:the\s+)?(?P<body>{_NAME})"
)


def _group_named(before: str, span: Span, registry: Registry) -> str | None:
    """Who "they" are when the paragraph, before the pronoun, names a group of a body: the
    body for its research desk ("analysts at Barclays", as the notes convention credits it),
    else someone unnamed ("officials at the agency")."""
    found = None
    for match in _GROUP_AT.finditer(before):
        body = _resolve(match.group("body"), span, registry, names_only=True)
        if body and registry.kinds.get(body) == "organization":
            found = body if match.group("group").lower() in _DESK_NOUNS else _UNNAMED
    return found


def _who_clause_head(before: str, registry: Registry, pronoun: Pronoun) -> str | None:
    """The person a pronoun in a relative clause of its own sentence means: the clause's head,
    not whoever was named last before the sentence."""
    sentence = before[_sentence_start(before) :]
    if " who " not in sentence:
        return None
    head = None  # the nearest clause's, when clauses nest
    for match in _WHO_HEAD.finditer(sentence):
        person = registry.resolve_person(match.group("name"))
        if person and registry.kinds.get(person) == "person" and fits(person, pronoun):
            head = person
    return head


def _previous_speaker(
    index: int,
    spans: Sequence[Span],
    speakers: list[str | None],
    registry: Registry,
    any_kind: bool = False,
    pronoun: Pronoun = "they",
    until: int | None = None,
) -> str | None:
    """The person (or, ``any_kind``, the body) quoted just before, if near, if ``pronoun``
    fits them, and if nobody else it could refer to has been named since."""
    previous_speaker = speakers[index - 1] if index > 0 else None
    if not previous_speaker or previous_speaker.startswith("\x00"):
        return None
    if not any_kind and registry.kinds.get(previous_speaker, "person") != "person":
        return None
    if not fits(previous_speaker, pronoun):
        return None
    span, previous = spans[index], spans[index - 1]
    near = span.start_paragraph - previous.end_paragraph <= 2
    end = span.start if until is None else until
    since = (previous.end_paragraph, previous.end), (span.start_paragraph, end)
    others = [
        name
        for name in registry.subjects_between(*since)
        if name != previous_speaker and fits(name, pronoun)
    ]
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
    # A name in marks between ("on Newsmax TV's 'America Talks Live.'") interrupts nobody.
    before = index - 1
    while before >= 0 and speakers[before] in (_NAME_OF, _TERM):
        before -= 1
    if before < 0:
        return None
    span, previous = spans[index], spans[before]
    speaker = speakers[before]
    if speaker is None:
        return None
    between = registry.subjects_between(
        (previous.end_paragraph, previous.end), (span.start_paragraph, span.start)
    )
    if between:
        speaker = between[-1]
    if previous.end_paragraph == span.start_paragraph:
        # Words in the narrative's own sentence ("it was dedicated as 'a nursery of ...'")
        # continue nobody once a sentence has ended since the last quote.
        # A connector ("But '...'", "But in the end, '...'") still hands them to the speaker.
        paragraph = paragraphs[span.start_paragraph]
        since_previous = paragraph[max(previous.start, previous.end - 2) : span.start]
        in_narrative = _since_sentence_start(since_previous, across_quotes=True).strip()
        words = len(in_narrative.split())
        connector = words <= 1 or (words <= _CONNECTOR_WORDS and in_narrative.endswith((",", ":")))
        if not connector and _SENTENCE_START_ONLY.search(since_previous):
            return None
        return speaker
    before_quote = paragraphs[span.start_paragraph][: span.start]
    opens_paragraph = before_quote.strip() == ""
    # A long quote goes on with its speaker, unless the narrative's own sentence holds it
    # as a part ("the administration's effort to '...'").
    embedded = _EMBEDDING_WORD.search(before_quote, max(0, span.start - 12)) is not None
    long_quote = len(span.text.split()) > SHORT_QUOTE_WORDS and not embedded
    if span.start_paragraph != previous.end_paragraph + 1:
        return None
    if opens_paragraph:
        return speaker
    sentence_start = _sentence_start(before_quote)
    if (
        speaker != speakers[before]
        and not _HE_OR_SHE.search(before_quote, sentence_start)
        and not registry.subjects_between(
            (span.start_paragraph, sentence_start), (span.start_paragraph, span.start)
        )
    ):
        # "X was accused of .... In 2017, a migrant was jailed for rape—'because when he is
        # drunk, ...'": words in a sentence that neither names X nor goes on about him are
        # not X's; the sentence's own subject, if anyone, says them.
        return None
    # A quote inside the narrative's sentence goes on with the last speaker only when their
    # paragraph ended with their words: after sentences of its own that name nobody new,
    # the narrative speaks.
    tail = paragraphs[previous.end_paragraph][previous.end :]
    moved_on = not between and _NARRATIVE_AFTER.search(tail) is not None
    return speaker if long_quote and not moved_on else None


_HE_OR_SHE = re.compile(r"\b(?:he|she|He|She)\b")
_EMBEDDING_WORD = re.compile(r"\b(?:to|of|the|a|an|for|with|that|as|from|by|about)\s*$")
_CONNECTOR_WORDS = 5  # "But in the end," leads on; a longer clause is the narrative's own


_MEMBER_WORDS = (
    r"(?:official|officials|official\(s\)|spokesman|spokeswoman|spokesperson|aide|aides|"
    r"source|sources|staff|staffer|staffers|employee|employees|member|members|agent|agents|"
    r"lawyer|lawyers|insider|insiders|representative|representatives)"
)
_MEMBER_NOUN = re.compile(rf"\s+{_MEMBER_WORDS}\b")
# "A Russian official, who declined to be named, said": someone new, whom "the official"
# then goes on quoting
_ONE_UNNAMED = re.compile(rf"\b(?:[Aa]n?|[Oo]ne)\s+(?:[\w-]+\s+){{0,2}}?{_MEMBER_WORDS}\b")


# "Republicans on the committee", "lawyers for Delta Air Lines": what comes before the body
# and its preposition is who speaks
_GROUP_OF = re.compile(
    r"\b(?P<group>[A-Za-z][a-z-]+)\s+(?:on|of|at|in|from|for|within|inside|close\s+to)\s+"
    r"(?:the\s+)?(?:[A-Z][\w.&’'-]*\s+)*$"
)


_DESK_NOUNS = frozenset(
    ["analysts", "strategists", "economists", "researchers", "scientists", "investigators"]
)
_GROUP_OPENING = re.compile(
    r"(?:the\s+)?(?P<group>[A-Za-z][a-z-]+)\s+(?:on|of|at|in|from|for|within|inside)\s+"
)


def _members_of(left: str, match: re.Match[str], registry: Registry) -> bool:
    """Whether the speaker phrase matched names a body some of whose members speak, not
    the body itself; also when the sentence's capital joined them into one phrase ("Lawyers
    for Delta Air Lines"), unless that is a name the article knows ("Friends of the Earth")."""
    start, phrase = match.start("speaker"), match.group("speaker")
    found = _GROUP_OF.search(left, max(0, start - _NAME_REACH), start)
    if found is None and registry.canonical(phrase) is None:
        found = _GROUP_OPENING.match(phrase)
    if found is None:
        return False
    group = found.group("group").lower()
    if group in _DESK_NOUNS:
        return False  # "Analysts at Barclays wrote": the bank's research, credited to the bank
    plural = group.endswith("s") and not group.endswith("ss") and group not in _NOT_A_NOUN
    if match.groupdict().get("appositive") and not plural:
        return False  # "A spokesman for the agency, Dana Whitfield, said": named after all
    # (One holding a role, "the president of the Conference noted", is named elsewhere;
    # "Supporters of the mayor, Jan Novak, said": the name is the mayor's, not theirs.)
    return plural or _MEMBER_NOUN.match(" " + group) is not None


_ONE_WORD = re.compile(r"\s+[a-z][\w()-]*")
_ENDS_IN_DETERMINER = re.compile(r"\s(?:the|a|an|his|her|its|their|this|that)$")
_INSTITUTION = re.compile(
    r"\s+(government|military|army|navy|embassy|ministry|foreign ministry|defense ministry|"
    r"authorities|regime|parliament|police|presidency|administration)\b"
)


def _resolve(raw: str, span: Span, registry: Registry, names_only: bool = False) -> str | None:
    """A speaker phrase to a canonical name: pronouns and surnames to the full name."""
    words = raw.split()
    if not words:
        return None
    if not names_only and " ".join(words).lower().removeprefix("the ") in _RESEARCHERS:
        # "Researchers reported": the laboratory or university named just before
        found = registry.last_org_before(
            span.start_paragraph, span.start, _ORG_REACH, accept=_RESEARCH_BODY.search
        )
        return found or _UNNAMED
    if words[0].lower() in ("he", "she", "they") and len(words) == 1:
        return None if names_only else _pronoun_marker(words[0])
    capitalised = [w for w in words[1:] if w[:1].isupper()]
    if (
        not names_only
        and words[0].lower() in _DETERMINERS
        and words[-1].islower()
        and capitalised
        and all(w in lexicon.DEMONYMS for w in capitalised)
        and not _INSTITUTION.search(raw)  # "the Venezuelan government" speaks for a country
    ):
        return _describe(words, span, registry)  # "the esteemed Argentinian evangelist"
    possessed = _POSSESSED_ROLE.fullmatch(raw)
    if (
        possessed
        and not names_only
        and _INSTITUTION.search(" " + possessed.group("role"))
        and lexicon.canonical_place(_POSSESSIVE.split(raw)[0].strip())
    ):
        # "Ukraine's foreign ministry said": that country's, never a ministry named before
        return raw.strip()
    if possessed and not names_only:  # "Germany’s top diplomat added": a description
        return _describe(["the", *possessed.group("role").split()], span, registry)
    match = MENTION.search(raw)
    if match is None:
        if names_only or words[0].lower() not in _DETERMINERS or len(words) < 2:
            return None
        return _describe(words, span, registry)
    name = match.group(0)
    rest = raw[match.end() :]
    if not names_only and name in _CAPITAL_DETERMINERS and MENTION.search(rest) is None:
        # "The agency released this statement:" opening a sentence, as "the agency" would
        return _describe([name.lower(), *words[1:]], span, registry) if rest.strip() else None
    if _MEMBER_NOUN.search(rest):
        return _UNNAMED  # "FBI officials wrote", "a White House spokesman said": nobody named
    if _ONE_WORD.fullmatch(rest) and not _INSTITUTION.match(rest):
        return None  # "the Trump plan": a name, then something that speaks for nobody
    if _ENDS_IN_DETERMINER.search(rest):
        return None  # "Standard Chartered settled the charges": a clause, not a speaker
    if name in ("The", "A", "An", "His", "Her", "Their", "Its") or name.lower() in ("it",):
        rest = raw[match.end() :].strip()
        match = MENTION.search(rest)
        if match is None:
            return None
        name = match.group(0)
    whole = registry.canonical(name) if _POSSESSIVE.search(name) else None
    if whole and registry.kinds.get(whole) == "organization":
        return whole  # "Moody’s Investors Service says": one name, not Moody and a service
    owner, *owned = _POSSESSIVE.split(name, maxsplit=1)
    # "Dostoevsky’s the Brothers Karamazov" is Dostoevsky; "The Atlantic’s Conor Friedersdorf"
    # is the person the possessive introduces.
    person = registry.resolve_person(owned[0].strip()) if owned and owned[0].strip() else None
    name = person or owner
    parts = name.split()
    while len(parts) > 1 and parts[0] in lexicon.SENTENCE_WORDS:  # "As Giesers explained"
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("A", "An"):
        parts = parts[1:]  # "A DEA statement said": an article is never part of a name
    for cut, part in enumerate(parts[1:], start=1):
        if part in lexicon.TIME_WORDS:  # "said Timmermans Friday"
            parts = parts[:cut]
            break
    name = " ".join(parts)
    if name == "I" or name in lexicon.SENTENCE_WORDS:
        return None  # "In her remarks", "I said": a capital that names nobody
    if all(t in lexicon.DEMONYMS for t in parts):
        institution = _INSTITUTION.match(raw[match.end() :])
        if institution:  # "the Venezuelan government said": a country speaking
            return f"{name} {institution.group(1)}"
        return None  # "Americans", "North Korean": a people, not a speaker
    office = _OFFICE.fullmatch(name)
    if office and lexicon.is_title_word(office.group("title")):
        # "the Secretary of State said": an office, not a name; whoever holds it in the article
        return None if names_only else _office_holder(office.group(0), span, registry) or _UNNAMED
    halves = name.split(" and ")
    pair = [_person_named(h, span, registry) for h in halves] if len(halves) == 2 else []
    if pair and pair[0] and pair[1] and pair[0] != pair[1]:
        return f"{pair[0]} and {pair[1]}"  # "said Ana Ruiz and Lee Chen": the two together
    if registry.canonical(name) is None and (clipped := _clipped_from(name, registry)):
        return clipped
    for candidate in _name_candidates(name):
        person = registry.resolve_person(candidate)
        if person:
            return person
        canonical = registry.canonical(candidate)
        if canonical and canonical.isupper() and registry.kinds.get(canonical) == "organization":
            return _fuller_org(canonical, registry)
        if canonical and registry.kinds.get(canonical) != "place":
            return canonical
    tokens = _name_candidates(name)[-1].split()
    if not names_only and all(lexicon.is_title_word(t) for t in tokens):  # "the Pope said"
        return (
            registry.last_person_with_role(tokens[-1], span.start_paragraph, span.start) or _UNNAMED
        )
    if len(tokens) == 1 and tokens[0] in lexicon.ORG_LAST_WORDS:
        # "the Journal calls", "As the Times put it": the Wall Street Journal named before
        return registry.last_org_ending(tokens[0].lower(), span.start_paragraph, span.start)
    if len(tokens) == 1 and (
        firm := registry.last_org_before(
            span.start_paragraph,
            span.start,
            _ORG_REACH,
            accept=lambda org: org.split()[0] == tokens[0] and " " in org,
        )
    ):
        return firm  # "Koch Supply & Trading is ... Koch also says": its first word clips it
    kind = classify(" ".join(tokens), titled=True)
    if kind in ("person", "organization") and not lexicon.is_title_word(tokens[-1]):
        return " ".join(tokens)
    return None


_OFFICE = re.compile(
    r"(?:(?:Former|former|Then|then)\s+)?(?P<title>[A-Z][a-z]+)\s+(?:of|for)\s+(?:the\s+)?"
    r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?"
)


def _office_holder(office: str, span: Span, registry: Registry) -> str | None:
    """The person last named before the quote with ``office`` as their role."""
    wanted = office.lower().removeprefix("former ").removeprefix("then ")
    found = None
    for mention in registry.mentions:
        if (mention.paragraph, mention.start) >= (span.start_paragraph, span.start):
            break
        person = registry.resolve_person(mention.text) if mention.kind == "person" else None
        role = mention.role or (registry.roles.get(person) if person else None)
        if person and role and role.lower().endswith(wanted):
            found = person
    return found


def _fuller_org(short: str, registry: Registry) -> str:
    """ "TD's latest note" after "TD Securities": the one body whose name the acronym opens
    (not "Congress" for a "Congress Party": a word may be a name of its own)."""
    fuller = [
        name
        for name, kind in registry.kinds.items()
        if kind == "organization" and name.startswith(short + " ")
    ]
    return fuller[0] if len(fuller) == 1 else short


_CAPITAL_DETERMINERS = frozenset(["The", "A", "An", "His", "Her", "Their", "Its"])
_POSSESSED_ROLE = re.compile(rf"{_NAME}(?:’s|'s)\s+(?P<role>(?:[a-z][\w-]*\s+){{0,2}}[a-z][\w-]*)")
_POSSESSIVE = re.compile(r"(?:’s|'s)(?=\s|$)")


def _describe(words: list[str], span: Span, registry: Registry) -> str | None:
    """ "the spokesman", "the agency", "a reporter": a description, resolved when it points
    back to someone named before ("the president" -> the last person with that role)."""
    determiner, noun = words[0].lower(), words[-1].lower()
    if noun in _STATEMENT_WORDS and noun not in _DOCUMENT_NOUNS:
        return None  # "called his comments": what was said, not who said it
    if noun in _DOCUMENT_NOUNS and len(words) > 2 and words[-2].lower() in _ORG_NOUNS:
        # "the committee report said": the committee named before speaks through it
        owner = registry.last_org_ending(words[-2].lower(), span.start_paragraph, span.start)
        if owner:
            return owner
    if noun in ("paper", "newspaper") and determiner == "the":
        # "the paper reports from London that": the newspaper named just before
        paper = registry.last_org_before(
            span.start_paragraph, span.start, _ORG_REACH, accept=_NEWSPAPER.search
        )
        if paper:
            return paper
    if noun in _DOCUMENT_NOUNS:
        # "the statement reads": the text quoted just before, if any; "a letter said" and
        # others may still have their author named elsewhere in the sentence.
        return _SAME_SOURCE if determiner == "the" else None
    if determiner in ("a", "an"):
        return _UNNAMED  # "a reporter asked", "an official said": someone new, unnamed
    if lexicon.is_title_word(noun):
        # "the author added": someone named before with that role, else the one speaking
        named = registry.last_person_with_role(noun, span.start_paragraph, span.start)
        if named or determiner != "the":
            return named or _UNNAMED
        if introduced := _introduced_after(noun, span, registry):
            return introduced
        if _MEMBER_NOUN.match(" " + noun):
            return _SAME_SPEAKER
        plural = noun.endswith("s") and lexicon.is_title_word(noun[:-1])
        return _PAIR if plural else _EPITHET  # "the senators": not one of them alone
    if noun in _ORG_NOUNS:
        named = registry.last_org_ending(noun, span.start_paragraph, span.start)
        if named is None and noun in _GENERIC_ORG_NOUNS:  # "the group said": the NRA, named
            named = registry.last_org_before(span.start_paragraph, span.start, _ORG_REACH)
        return named or _UNNAMED
    if determiner != "the" or (noun.endswith("s") and not noun.endswith("ss")):
        return _UNNAMED  # "officials", "his aides": a group, nobody named
    if noun in _MALE_NOUNS or noun in _FEMALE_NOUNS:
        return _EPITHET_HE if noun in _MALE_NOUNS else _EPITHET_SHE
    return _EPITHET  # "the loving father maintained": who spoke before, or the subject


_INTRODUCED_REACH = 1  # paragraphs on: the next sentence may name who "the minister" was


def _introduced_after(word: str, span: Span, registry: Registry) -> str | None:
    """ "'...,' the minister said. Foreign Minister Hans Vogel had ...": the first person
    named after the quote, when their role is the one the quote's speaker was given."""
    end = (span.end_paragraph, span.end)
    for mention in registry.mentions:
        if (mention.paragraph, mention.start) < end or mention.kind != "person":
            continue
        if mention.paragraph > span.end_paragraph + _INTRODUCED_REACH or mention.quoted:
            return None
        person = registry.resolve_person(mention.text)
        role = mention.role or (registry.roles.get(person) if person else None)
        return person if person and role and word in role.lower().split() else None
    return None


# Parts of three letters or more: "McDonald", "DeSantis", "LaGuardia" are surnames, not clips
_CLIPPED = re.compile(r"(?!Mac)(?:[A-Z][a-z]{2,}){2,4}")


def _clipped_from(name: str, registry: Registry) -> str | None:
    """The one name the article gives in full whose words each begin with a part of ``name``:
    "SocGen" is Societe Generale, as a newsroom clips it."""
    if not _CLIPPED.fullmatch(name):
        return None
    parts = re.findall(r"[A-Z][a-z]+", name)
    if registry.resolve_person(name):
        return None
    found = {
        full
        for full, kind in registry.kinds.items()
        if kind != "place"
        and len(words := full.split()) == len(parts)
        and all(w.startswith(p) and w != p for w, p in zip(words, parts, strict=True))
    }
    return found.pop() if len(found) == 1 else None


def _earlier_quote_start(sentence: str, left: str) -> int | None:
    """Where the sentence opens its last quote of several words before this quote's clause."""
    earlier = sentence[: len(sentence) - len(left)]
    starts = [
        q.start() for q in re.finditer(r"[“\"]([^”\"]+)[”\"]", earlier) if len(q[1].split()) >= 2
    ]
    return starts[-1] if starts else None


def _name_candidates(name: str) -> list[str]:
    """ "National Security Advisor Jake Sullivan" -> the name, then it without the title."""
    head, of, tail = name.partition(" of ")
    # "Sen. John McCain of Arizona" is McCain; "the University of Chicago" is not a university
    if of and lexicon.canonical_place(tail) and head.split()[-1:][0] not in lexicon.ORG_LAST_WORDS:
        name = head
    tokens = name.split()
    candidates = [name]
    while tokens and (
        lexicon.is_title_word(tokens[0])
        or tokens[0] in lexicon.HONORIFICS
        or tokens[0] in ("The", "US", "U.S.")
    ):
        tokens = tokens[1:]
        if tokens[:1] == ["of"]:
            # "President of France Emmanuel Macron": the office's place goes with the title
            tokens = tokens[_place_after_of(tokens) :]
        if tokens:
            candidates.append(" ".join(tokens))
    titled = [i for i, t in enumerate(tokens) if lexicon.is_title_word(t)]
    if titled and titled[-1] + 1 < len(tokens):
        rest = tokens[titled[-1] + 1 :]
        candidates.append(" ".join(rest))
        if rest[:1] == ["of"] and (place := _place_after_of(rest)) and place < len(rest):
            # "Interior Minister of Austria Karl Brenner": a title led by a word that is none
            candidates.append(" ".join(rest[place:]))
    if tokens[:1] in (["of"], ["for"]):
        # "Secretary of State Antony Blinken", "Minister for Foreign Affairs Penny Wong": where
        # the office ends, the registry tells: each shorter ending is a candidate
        candidates += [" ".join(tokens[i:]) for i in range(2, len(tokens))]
    if of and tail.startswith("the ") and name != head:
        # "Dr. Lucia Ferrante of the University of Padua": a person, then where they work
        candidates += _name_candidates(head)
    things = [i for i, t in enumerate(tokens[:-1]) if t in _THING_LAST_WORDS]
    if things:
        # "When he read the 1992 Maastricht Treaty Leach became convinced": a comma left out
        # after an opening phrase runs the name of a thing into the speaker's
        candidates.append(" ".join(tokens[things[-1] + 1 :]))
    return candidates


# Words that end the name of a thing (a treaty, a law, a plan), never a person's name
_THING_LAST_WORDS = frozenset(
    [
        "Treaty",
        "Act",
        "Agreement",
        "Accord",
        "Accords",
        "Convention",
        "Charter",
        "Declaration",
        "Constitution",
        "Amendment",
        "Plan",
        "Deal",
        "Bill",
        "Protocol",
        "Report",
        "Initiative",
    ]
)


def _place_after_of(tokens: list[str]) -> int:
    """How many of ``tokens`` ("of", then words) are "of" and a place: the longest such."""
    start = 2 if tokens[1:2] == ["the"] else 1  # "of the United States"
    for end in range(len(tokens) - 1, start, -1):
        if lexicon.canonical_place(" ".join(tokens[start:end])):
            return end
    return 0


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


_SENTENCE_REACH = 400  # characters: further back is another sentence, for our purposes


def _sentence_start(text: str) -> int:
    """Where the last sentence in ``text`` starts."""
    start = 0
    for match in _SENTENCE_START_ONLY.finditer(text):
        start = match.end()
    return start


def _since_sentence_start(text: str, across_quotes: bool = False) -> str:
    # Only the last stretch can hold the answer; the pattern's lookbehinds still see before it.
    cut = window = max(0, len(text) - _SENTENCE_REACH - 8)
    pattern = _SENTENCE_START_ONLY if across_quotes else _SENTENCE_OR_QUOTE
    for match in pattern.finditer(text, window):
        cut = match.end()
    return text[cut:][-_SENTENCE_REACH:]


# A period ends a sentence unless it ends an initial or an honorific: "Patrick R. Cleburne",
# "Gen. Lee" (each lookbehind must be of fixed width, hence one per abbreviation).
# The dot comes first so that the lookbehinds run only where there is one.
_ABBREVIATION_DOT = "".join(
    rf"(?<!\b{re.escape(word)}\.)" for word in sorted({h.rstrip(".") for h in lexicon.HONORIFICS})
)
_FULL_STOP = rf"(?:\.(?<!\b[A-Z]\.){_ABBREVIATION_DOT}|[!?])"
_SENTENCE_START_ONLY = re.compile(rf"{_FULL_STOP}[”\"’]?\s+(?=[A-Z“\"‘])")
_SENTENCE_OR_QUOTE = re.compile(rf"{_FULL_STOP}[”\"’]?\s+(?=[A-Z“\"‘])|[”\"]")

# A sentence ending, then another of some length: "... compliance.” Notably, the SEC ..."
_NARRATIVE_AFTER = re.compile(rf"{_FULL_STOP}[”\"’]?\s+[A-Z“\"‘][^.!?]*?(?:\s+\S+){{8}}")
