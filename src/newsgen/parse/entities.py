"""People, places and organisations named in an article, with variants merged.

A rule-based recogniser: capitalised phrases are found, titles and courtesy words split off,
and each phrase classified by gazetteer (places), organisation words, and the shape of a
person's name. The result is a ``Registry`` the quote finder uses to resolve "Mr. Sullivan"
and "he" to the full name introduced earlier.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, Literal, TypeVar

import wordfreq

from newsgen.model import Entities
from newsgen.parse import lexicon
from newsgen.parse.gender import usual_pronoun
from newsgen.parse.glue import rank
from newsgen.parse.guards import ending_guard

Kind = Literal["person", "place", "organization"]
_T = TypeVar("_T")

_HONORIFIC = r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|St|Jr|Sr|Rev)\."
_TOKEN = (
    rf"(?:{_HONORIFIC}|(?:[A-Z]\.){{2,}}|[A-Z]\.(?=\s+[A-Z])"
    r"|[A-Z][A-Za-z]*\d+[A-Za-z]*"  # G20, F35
    # Any script's letters after a capital: "Göttingen", "José Martí", "Đoković"
    r"|(?:Mc|Mac|O’|O'|D’|D')?[A-ZÀ-ÖØ-ÞĀ-ſ](?:[^\W\d_]|[’'\-])*[^\W\d_]|[A-Z])"
)
_CONNECT = r"(?:of|the|for|and|de|del|da|di|du|la|le|van|von|der|den|bin|al|y)"
# Within a name, an Arabic article joined to the next part: "Abdel Fattah el-Sisi"
# ("al-Qaeda" on its own stays unnamed: it opens nobody's name).
MENTION = re.compile(rf"(?<![\w’'@#/.-]){_TOKEN}(?:\s+(?:{_CONNECT}\s+)*(?:al-|el-)?{_TOKEN})*")
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
VERY_COMMON_RANK = 150
RARE_RANK = 1000


_MIN_TYPO_LENGTH = 6  # shorter names are too close to each other to guess at
_TYPO_SIMILARITY = 0.88  # "rodriquez" ~ "rodriguez" (0.89), not "clifton" ~ "clinton" (0.86)


@dataclass(frozen=True)
class Mention:
    """One capitalised phrase in a paragraph, and what we made of it."""

    paragraph: int
    start: int
    end: int
    text: str  # the name without titles or possessive
    kind: Kind | None
    role: str | None = None
    honorific: bool = False
    subject: bool = False  # the first person named in its sentence: its likely subject
    quoted: bool = False  # named inside quotation marks: someone's words, not the narrative


@dataclass
class Registry:
    """Canonical names for everyone and everything an article names.

    ``canonical`` maps a mention's merge key to its canonical name; people are also indexed
    by each part of their name, so that "Sullivan" and "Mr. Sullivan" find "Jake Sullivan".
    """

    kinds: dict[str, Kind] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    _by_part: dict[str, set[str]] = field(default_factory=dict)
    _by_key: dict[str, str] = field(default_factory=dict)
    _surnames: tuple[int, dict[str, str]] = (-1, {})
    _typos: dict[str, str | None] = field(default_factory=dict)

    def resolve_person(self, name: str) -> str | None:
        """The full name of the one person ``name`` can refer to, if any."""
        tokens = name.split()
        while len(tokens) > 1 and tokens[0] in lexicon.HONORIFICS:
            tokens = tokens[1:]
        key = merge_key(" ".join(tokens))
        if key in self._by_key and self.kinds.get(self._by_key[key]) == "person":
            return self._by_key[key]
        candidates = self._by_part.get(key, set())
        if len(candidates) == 1:
            return next(iter(candidates))
        if not candidates and len(tokens) == 1 and len(key) >= _MIN_TYPO_LENGTH:
            return self._misspelt_surname(key)
        return None

    def _misspelt_surname(self, key: str) -> str | None:
        """ "Rodriquez" for Sedelia Rodriguez: one letter off a surname the article gives in
        full, when no one else's name is as close."""
        known, people = self._surnames
        if known != len(self.kinds):  # built once the registry is complete, not per question
            people = {
                name.split()[-1].casefold(): name
                for name, kind in self.kinds.items()
                if kind == "person" and " " in name
            }
            self._surnames = (len(self.kinds), people)
            self._typos.clear()
        if key in self._typos:
            return self._typos[key]
        close = difflib.get_close_matches(key, list(people), n=2, cutoff=_TYPO_SIMILARITY)
        found = self._typos[key] = people[close[0]] if len(close) == 1 else None
        return found

    def canonical(self, name: str) -> str | None:
        return self._by_key.get(merge_key(name))

    def entities(self, speakers: Collection[str] = ()) -> Entities:
        """The article's entities. A would-be person of everyday words ("Border Protection",
        "Capitol Hill", "Golden Age") is left out unless a title or a quote vouches for it
        ("Sen. Rand Paul"); it still served to resolve names while quotes were attributed."""

        def of(kind: Kind) -> tuple[str, ...]:
            return tuple(sorted({n for n, k in self.kinds.items() if k == kind}, key=str.lower))

        people = tuple(
            n for n in of("person") if n in speakers or n in self.roles or not _everyday_words(n)
        )
        return Entities(people=people, places=of("place"), organizations=of("organization"))

    def last_person_before(
        self,
        paragraph: int,
        offset: int,
        subject_only: bool = True,
        accept: Callable[[str], bool] = lambda person: True,
    ) -> str | None:
        """The person a pronoun at a position refers to: the last named as a sentence's
        subject ("Wolff said he spoke to Trump. 'I ...,' he added" is Wolff), or failing
        that the last named at all."""
        found = fallback = None
        for mention in self.mentions:
            if (mention.paragraph, mention.start) >= (paragraph, offset):
                continue  # the title comes last, so the list is not wholly in order
            person = self.resolve_person(mention.text) if mention.kind == "person" else None
            if person and not mention.quoted and accept(person):
                fallback = person
                if mention.subject or not subject_only:
                    found = person
        return found or fallback

    def subjects_between(self, start: tuple[int, int], end: tuple[int, int]) -> list[str]:
        """The people named as a sentence's subject, outside quotes, between two positions."""
        found = []
        for mention in self.mentions:
            here = (mention.paragraph, mention.start)
            if start <= here < end and mention.kind == "person" and mention.subject:
                person = self.resolve_person(mention.text)
                if person:
                    found.append(person)
        return found

    def last_person_with_role(self, word: str, paragraph: int, offset: int) -> str | None:
        """The person last named before a position whose role includes ``word``."""
        word = word.lower()
        found = None
        for mention in self.mentions:
            if (mention.paragraph, mention.start) >= (paragraph, offset):
                break
            if mention.kind != "person":
                continue
            person = self.resolve_person(mention.text)
            role = mention.role or (self.roles.get(person) if person else None)
            if person and role and word in role.lower().split():
                found = person
        return found

    def last_org_before(
        self,
        paragraph: int,
        offset: int,
        reach: int,
        accept: Callable[[str], object] = lambda name: True,
    ) -> str | None:
        """The organisation last named before a position, no more than ``reach``
        paragraphs back, that ``accept`` takes."""
        found = None
        for mention in self.mentions:
            if (mention.paragraph, mention.start) >= (paragraph, offset):
                break
            if mention.kind == "organization" and paragraph - mention.paragraph <= reach:
                name = self.canonical(mention.text)
                found = name if name and accept(name) else found
        return found

    def last_org_ending(self, word: str, paragraph: int, offset: int) -> str | None:
        """The organisation last named before a position whose name ends with ``word``
        ("the commission": the Federal Energy Regulatory Commission), or failing that, holds
        it as a word of its name ("the agency": Advanced Research Projects Agency-Energy)."""
        word = word.lower()
        ending = holding = None
        for mention in self.mentions:
            if (mention.paragraph, mention.start) >= (paragraph, offset):
                break
            name = self.canonical(mention.text) if mention.kind == "organization" else None
            if not name:
                continue
            words = re.split(r"[\s‐-]+", name.lower())
            if name.lower().split()[-1:] == [word]:
                ending = name
            elif word in words:
                holding = name
        return ending or holding


@lru_cache(maxsize=1 << 16)  # the same names are keyed again and again, in every article
def merge_key(name: str) -> str:
    key = re.sub(r"[\s\-‐.]+", " ", name.replace("’", "'")).strip().casefold()
    # "Donald J. Trump" is "Donald Trump": a middle initial is not part of the identity.
    return _MIDDLE_INITIAL.sub(" ", key)


_MIDDLE_INITIAL = re.compile(r"(?<=\w) [a-z](?= \w\w)")


_TITLES = [t for t in sorted(lexicon.TITLE_WORDS, key=len, reverse=True) if "." not in t]
_TITLE_ALT = "|".join(re.escape(t) for t in _TITLES)
_TITLES_LOWER = [(t, t.lower()) for t in _TITLES]
# "North Korean leader Jake Doe", "senior investigator Jane Doe": a role right before a name.
# The lowercase words of a role describe it ("former", "veteran"): never a preposition or a
# verb of the sentence ("Reporters spoke with economist Ola Berg" names an economist)
_NOT_ROLE_WORD = "|".join(
    sorted({*lexicon.FUNCTION_WORDS, *lexicon.AUXILIARIES, *lexicon.REPORTING_VERBS, "spoke"})
)
_ROLE_BEFORE_SOURCE = (
    r"(?<![\w’'-])((?:[A-Z][\w’'-]*\s+){{0,3}}(?:(?!(?:"
    + _NOT_ROLE_WORD.replace("{", "{{").replace("}", "}}")
    + r")\s)[a-z][\w-]*\s+){{0,2}}(?i:{titles}))\s+$"
)
_ROLE_BEFORE = re.compile(_ROLE_BEFORE_SOURCE.format(titles=_TITLE_ALT))
# Words _ROLE_BEFORE can span: three capitalised, two lowercase, a title (with a margin).
_ROLE_WORDS = 3 + 2 + 1 + max(t.count(" ") for t in lexicon.TITLE_WORDS) + 2
# "the chief spokesman of the National Security Council, John Kirby": apposition before.
_APPOSITION_BEFORE = re.compile(
    rf"(?:^|[,;(]\s*|\b)(?i:the|a|an|its|his|her|their)\s+((?:[\w’'-]+\s+){{0,3}}"
    rf"(?i:{_TITLE_ALT})\b(?![’']s\b)[^,;:“”\"]{{0,60}}),\s*$"  # not "the governor's remarks"
)
# "Sheng Ding, PhD, a senior investigator at the Gladstone Institute,": apposition after.
_APPOSITION_AFTER = re.compile(
    rf"^(?:,\s*(?:Jr\.|Sr\.|PhD|MD|Ph\.D\.|Esq\.))*,\s*(?:the|a|an|who is the|who is a)\s+"
    rf"((?:[\w’'-]+\s+){{0,3}}(?i:{_TITLE_ALT})\b[^,;:“”\"]{{0,60}}?)\s*(?:[,;.)]|$)"
)


_REPORTED_BY = re.compile(
    r",?\s+(?:\w+ly\s+|also\s+|then\s+|later\s+)?(?:"
    + "|".join(sorted((v for v in lexicon.REPORTING_VERBS if v.isalpha()), key=len, reverse=True))
    + r")\b"
)
# "said Monday to Miranda Khan", "told Bild": the one spoken to is no subject
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|with|for|from|at|by|against|into|about|told|tells|asked|asks|urged)\s+(?:the\s+)?$"
)
_OWNED_APPOSITIVE = re.compile(r"(?:'s|’s)\s+(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*,\s+$")
_PRONOUN_OPENS = re.compile(r"[“\"‘(]*(?:He|She)\s")
_SENTENCE_BREAK = re.compile(r"[.!?][”\"’)]*\s+(?=[A-Z“\"‘(])")


def find_mentions(paragraphs: Sequence[str], quoted: Sequence[Range] = ()) -> list[Mention]:
    mentions: list[Mention] = []
    quote = 0
    surnames: set[str] = set()  # later words of the people named so far: "Sabato" is a name
    for index, text in enumerate(paragraphs):
        breaks: list[int] | None = None  # found once a paragraph names a person
        sentence, seen_person = 0, False
        owner_end = -1  # where the last person named as an owner ("Trump's") ends
        for run_start, raw in _capitalised_runs(text):
            if raw.startswith("Q") and (label := _interview_label(raw, text, run_start)):
                raw, run_start = raw[label:], run_start + label
                if not raw:
                    continue
            for offset, end_offset, name, kind, role, honorific in _analysed(raw):
                start, end = run_start + offset, run_start + end_offset
                if kind == "place" and name in surnames and _in_subject_place(text, start, end):
                    # "Rosa Moreno ... Moreno said", "Thornton, speaking to reporters, was
                    # defiant": the one named before, not the town
                    kind = "person"
                if kind != "person":
                    mentions.append(Mention(index, start, end, name, kind, role, honorific))
                    continue
                if breaks is None:
                    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
                while sentence < len(breaks) and breaks[sentence] <= start:
                    sentence, seen_person = sentence + 1, False
                here = (index, start)
                while quote < len(quoted) and quoted[quote][2:] <= here:
                    quote += 1
                inside = quote < len(quoted) and quoted[quote][:2] < here
                if role is None:
                    role = _context_role(text, start, end)
                # The first person of a sentence is its subject; so is anyone a
                # reporting verb follows ("Referring to ..., Ploumen stated that").
                reported = _REPORTED_BY.match(text, end) is not None
                spoken_to = _OBJECT_BEFORE.search(text, max(0, start - 24), start)
                # "(before David Cameron’s renegotiation) Leach spoke": an aside's name
                # is not the sentence's subject
                since = breaks[sentence - 1] if sentence else 0  # asides stay in a sentence
                aside = text.rfind("(", since, start) > text.rfind(")", since, start)
                # "He elected his son, Kevin, to ...": a pronoun opening the sentence is its
                # subject, and the names after it are not
                pronoun_led = _PRONOUN_OPENS.match(text, since) is not None
                # "Trump's lawyer, Rudy Giuliani, said": the one named beside the owner's
                # role is the subject, as much as the owner
                owned = (
                    owner_end >= 0 and _OWNED_APPOSITIVE.match(text, owner_end, start) is not None
                )
                subject = not inside and (
                    reported or owned or not (seen_person or spoken_to or aside or pronoun_led)
                )
                mentions.append(
                    Mention(index, start, end, name, kind, role, honorific, subject, inside)
                )
                # A lone capitalised word opening a sentence ("Discomfited by ...,
                # Rev. Rodriguez noted") may be no name at all: it leaves the subject
                # to the next name.
                lone_opener = (
                    " " not in name
                    and not reported  # "Wolff said"
                    and not text[since:start].strip("“\"‘'( ")
                    and name not in surnames
                )
                seen_person = seen_person or not (inside or lone_opener or aside)
                owner_end = end if text.startswith(("'s ", "’s "), end) else -1
                surnames.update(name.split()[1:])
    return mentions


Analysed = tuple[tuple[int, int, str, Kind | None, str | None, bool], ...]


def _in_subject_place(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` opens its sentence or a reporting verb follows it."""
    if _REPORTED_BY.match(text, end):
        return True
    before = text[:start].rstrip().rstrip('“”"‘’()').rstrip()
    return not before or before.endswith((".", "!", "?"))


@lru_cache(maxsize=1 << 15)  # names recur: within an article, and from one to the next
def _analysed(raw: str) -> Analysed:
    """``_analyse`` of one capitalised run, its mentions' offsets relative to the run: what
    it finds depends on the run's text alone."""
    return tuple(
        (m.start, m.end, m.text, m.kind, m.role, m.honorific) for m in _analyse(0, 0, raw, "")
    )


# A capital that MENTION's look-behind admits. The capital comes first, and the look-behind
# (over it and the character before) after it: a pattern that opens with a character set is
# scanned for in C, one that opens with a look-behind is tried at every character.
_RUN_START = re.compile(r"[A-Z](?<![\w’'@#/.-].)")


_BODIES_ON = frozenset(["Committee", "Subcommittee", "Commission", "Council", "Institute", "Panel"])
_REMIT = re.compile(r"\s+on\s+(?:the\s+)?(?=[A-Z])")


def _capitalised_runs(text: str) -> list[tuple[int, str]]:
    """What ``MENTION.finditer`` finds, found faster: every match starts with a capital that
    ``MENTION``'s look-behind admits, so the pattern is tried only there (``_RUN_START``
    finds them in one scan of the regex engine) instead of at every character."""
    runs = []
    search, match = _RUN_START.search, MENTION.match
    position = 0
    ampersand = "&" in text  # "Koch Supply & Trading": rare, asked for once a paragraph
    while (capital := search(text, position)) is not None:
        start = capital.start()
        found = match(text, start)
        if found is None:
            position = start + 1
            continue
        end, run = found.end(), found.group()
        if run.rsplit(None, 1)[-1] in _BODIES_ON:
            # "the House Select Committee on Benghazi", "the Council on Foreign Relations":
            # "on" joins a body to its remit (elsewhere "Trump on Monday" is two names).
            remit = _REMIT.match(text, end)
            if remit and (topic := match(text, remit.end())):
                end = topic.end()
                run = text[start:end]
        firm = _AMPERSAND.match(text, end) if ampersand else None
        if (
            firm
            and (tail := match(text, firm.end()))
            and _firm_with_ampersand(run, tail.group(), text[tail.end() : tail.end() + 1])
        ):
            end = tail.end()  # "Koch Supply & Trading", "NM Rothschild & Sons": one firm
            run = text[start:end]
        runs.append((start, run))
        position = end
    return runs


_AMPERSAND = re.compile(r"\s*&\s*(?=[A-Z])")


def _firm_with_ampersand(head: str, tail: str, after: str) -> bool:
    """Whether "head & tail" is one organisation's name: the tail ends in an organisation
    word ("Gilmour & Company", "Food & Drug Administration"; not "Obama & Co. have", his
    circle), or a trade in one everyday word follows a name of two words or more that opens
    with no given name ("Koch Supply & Trading", "United States Lime & Minerals"). Two names
    side by side ("Since Strauss & Howe", "Lebanon & Syria") and a possessive's headline
    phrases ("Iraq’s Oil History & Outlook") stay apart."""
    head_tokens, tail_tokens = head.split(), tail.split()
    if tail_tokens[-1] in lexicon.ORG_LAST_WORDS:
        return not (tail == "Co" and after == ".")
    return (
        len(head_tokens) >= 2
        and len(tail_tokens) == 1
        and head_tokens[0] not in lexicon.GIVEN_NAMES
        and head_tokens[0] not in lexicon.SENTENCE_WORDS
        and not any(_POSSESSIVE.search(t) or lexicon.canonical_place(t) for t in head_tokens)
        and not lexicon.canonical_place(tail)
        and wordfreq.zipf_frequency(tail.lower(), "en") >= _TRADE_WORD_ZIPF
    )


_TRADE_WORD_ZIPF = 3.8  # "Trading" 4.6, "Minerals" 3.9; a surname such as "Howe" 3.5


def _context_role(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - 120) : start]
    # Cheap tests first: the patterns end in a title word or a comma, and searching them
    # through every paragraph's every name is most of the recogniser's time otherwise.
    last_word = before.rstrip().rsplit(None, 1)[-1:]
    if last_word and before[-1:].isspace() and lexicon.is_title_word(last_word[0]):
        # A match ends at the end and spans at most _ROLE_WORDS words: searching from the
        # last of them on finds the same leftmost match, without trying every earlier start.
        cut = before.rsplit(None, _ROLE_WORDS)
        match = _role_before(before, len(cut[0]) if len(cut) > _ROLE_WORDS else 0)
        if match:
            words = match.group(1).split()
            while len(words) > 1 and (
                words[0] in lexicon.SENTENCE_WORDS or words[0] in lexicon.REPORTING_VERBS
            ):
                words = words[1:]  # "As President Ronald Reagan put it", "said chief X"
            return " ".join(words)
    head, _, last = before.rstrip().rpartition(" ")
    if last in lexicon.HONORIFICS:  # "The Vice-President of India, Mr. Naidu"
        before = head + " "
    if before.rstrip().endswith(","):
        match = _APPOSITION_BEFORE.search(before)
        if match:
            return match.group(1).strip()
    if not text.startswith(",", end):  # every _APPOSITION_AFTER opens with a comma
        return None
    match = _APPOSITION_AFTER.match(text[end : end + 160])
    return match.group(1).strip() if match else None


def _role_before(before: str, start: int) -> re.Match[str] | None:
    """``_ROLE_BEFORE.search(before, start)``, its hundred titles cut to the few ``before``
    ends with: the title is followed by nothing but space, so no other can match, and trying
    them all at every position was a tenth of a millisecond a call."""
    end = before.rstrip().lower()
    if not end.isascii():  # a case-blind title may match a non-ASCII letter ("ſ", "K")
        return _ROLE_BEFORE.search(before, start)
    titles = tuple(t for t, low in _TITLES_LOWER if end.endswith(low))
    return _role_before_pattern(titles).search(before, start) if titles else None


@lru_cache(maxsize=256)
def _role_before_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_ROLE_BEFORE_SOURCE.format(titles="|".join(re.escape(t) for t in titles)))


_INTERVIEW_LABELS = frozenset(["Q."])  # "A." is as often an initial: "A. Philip Randolph"
_LABEL_AFTER = frozenset(["", ".", "?", "!"])  # it opens a paragraph or a sentence


def _interview_label(raw: str, text: str, start: int) -> int:
    """How much of the run ``raw`` (at ``start`` in ``text``) is an interviewer's label, not
    an initial: "Q. Regarding the storm ...", "... untouchable. Q. Why is ...". Looked at
    here, by the run's place, since ``_analysed`` knows the run's text alone."""
    tokens = raw.split(None, 1)
    if tokens[0] not in _INTERVIEW_LABELS or text[max(0, start - 2) : start].strip() not in (
        _LABEL_AFTER
    ):
        return 0
    return len(raw) if len(tokens) == 1 else raw.index(tokens[1], len(tokens[0]))


def _analyse(paragraph: int, start: int, raw: str, text: str) -> list[Mention]:
    """Split one capitalised run into mentions, strip titles, and classify each."""
    raw = _POSSESSIVE.sub("", raw)
    tokens = raw.split()
    # "Fyodor Dostoevsky’s the Brothers Karamazov", "NASA’s Jet Propulsion Laboratory": a
    # possessive after a full name, an acronym or a place ends it; after one plain word it
    # may be part of the name ("Moody’s Investors Service", "St. Peter’s University").
    for cut, token in enumerate(tokens[:-1]):
        if (
            token.endswith(("’s", "'s"))
            and len(token) > 2
            # "AlterNet’s Steven Rosenfeld": a given name and a surname after it are a person
            and (
                _owner(tokens[: cut + 1]) or (given_name(tokens[cut + 1]) and len(tokens) > cut + 2)
            )
            and tokens[cut + 1 :] != ["Office"]  # "the District Attorney’s Office" is one
        ):
            head = " ".join(tokens[: cut + 1])
            tail_start = start + raw.index(tokens[cut + 1], len(head))
            return [
                *_analyse(paragraph, start, head, text),
                *_analyse(paragraph, tail_start, " ".join(tokens[cut + 1 :]), text),
            ]
    # "NBC Friday", "In August Trump": a day or month ends (or starts) a name.
    for cut, token in enumerate(tokens):
        if token in lexicon.TIME_WORDS and not _month_in_name(tokens, cut):
            head = " ".join(tokens[:cut])
            found = _analyse(paragraph, start, head, text) if head else []
            if cut + 1 < len(tokens):
                tail_start = start + raw.index(tokens[cut + 1], len(head) + len(token))
                found += _analyse(paragraph, tail_start, " ".join(tokens[cut + 1 :]), text)
            return found
    # "New York Times Kim Jong Un": an organisation word ends a name mid-run; after a name of
    # three words or more, even before the run's last word ("New York Times Dealbook": the
    # paper and its section).
    # ("Senate Select Committee on Flood Preparedness" is one body and its remit.)
    body_with_remit = any(a in _BODIES_ON and b == "on" for a, b in itertools.pairwise(tokens))
    for cut in range(1, len(tokens) - 1 if len(tokens) < 4 else len(tokens)):
        if (
            tokens[cut - 1] in lexicon.ORG_LAST_WORDS
            and tokens[cut][:1].isupper()  # "University of Göttingen" goes on: one name
            and not _is_org_word(tokens[-1])
            and not body_with_remit
            and not _follows_and(tokens, cut - 1)
        ):
            head = " ".join(tokens[:cut])
            tail_start = start + raw.index(tokens[cut], len(head))
            return [
                *_analyse(paragraph, start, head, text),
                *_analyse(paragraph, tail_start, " ".join(tokens[cut:]), text),
            ]
    # "According to Shinzo Abe Japan will ...": a country right after a full name (a comma
    # lost) is no part of it. A given name ("Michael B. Jordan") or an initial before it is.
    if (
        len(tokens) >= 3
        and tokens[-1] in lexicon.regions()
        and tokens[-1] not in lexicon.GIVEN_NAMES
        and not tokens[-2].endswith(".")
        and classify(" ".join(tokens[:-1])) == "person"
    ):
        head = " ".join(tokens[:-1])
        tail_start = start + raw.rindex(tokens[-1])
        return [
            *_analyse(paragraph, start, head, text),
            *_analyse(paragraph, tail_start, tokens[-1], text),
        ]
    # "Marwood Plc and Trentfield Limited": a legal form ends a firm's name mid-run.
    for cut, token in enumerate(tokens[:-2]):
        if token in lexicon.LEGAL_FORMS and tokens[cut + 1] == "and":
            head = " ".join(tokens[: cut + 1])
            tail_start = start + raw.index(tokens[cut + 2], len(head) + 4)
            return [
                *_analyse(paragraph, start, head, text),
                *_analyse(paragraph, tail_start, " ".join(tokens[cut + 2 :]), text),
            ]
    # "Jake Sullivan and John Kirby" is two names; "Food and Drug Administration" is one.
    if "and" in tokens and not _is_org_word(tokens[-1]) and not _org_with_and(tokens):
        cut = tokens.index("and")
        head = " ".join(tokens[:cut])
        found = _analyse(paragraph, start, head, text) if head else []
        if cut + 1 < len(tokens):
            tail_start = start + raw.index(tokens[cut + 1], len(head) + 4)
            found += _analyse(paragraph, tail_start, " ".join(tokens[cut + 1 :]), text)
        return found
    # "Devin Nunes of California", "Benjamin Giesers of the University of Göttingen": a
    # person and where they come from or work.
    if "of" in tokens[2:-1] or (tokens[-2:-1] == ["of"] and len(tokens) > 2):
        cut = tokens.index("of")
        head, tail = " ".join(tokens[:cut]), " ".join(tokens[cut + 1 :])
        where = lexicon.canonical_place(tail) or (tokens[cut + 1] == "the" and cut >= 2)
        if where and classify(head) == "person":
            tail_start = start + raw.index(tail, len(head))
            return [
                *_analyse(paragraph, start, head, text),
                *_analyse(paragraph, tail_start, tail, text),
            ]
    with_article = bool(tokens) and tokens[0] in ("The", "the") and len(tokens) > 1
    if with_article:
        tokens = tokens[1:]
    if len(tokens) > 1 and (
        tokens[0] in lexicon.SENTENCE_WORDS  # "As Giesers explained"
        or _POSSESSIVE.sub("", tokens[0]) in lexicon.SENTENCE_WORDS  # "Today’s Rome"
        # "Aiding Trump provided that objective", "Maybe Matt is ...", not "Reading Council"
        or (
            _not_a_name(tokens[0])
            and tokens[0] not in lexicon.HONORIFICS  # "Mr. Young": _split_title's
            and not _title_of_no_one(tokens)
            and classify(" ".join(tokens)) == "person"
        )
    ):
        head = tokens[0]
        return _analyse(
            paragraph, start + raw.index(tokens[1], len(head)), " ".join(tokens[1:]), text
        )
    role, name_tokens, honorific = _split_title(tokens)
    if not name_tokens:
        return []
    name = " ".join(name_tokens)
    if len(name) == 1 or name in lexicon.SENTENCE_WORDS or name in lexicon.NAME_SUFFIXES:
        return []  # "I", "A": a capital letter, not a name; "PhD" (of "Sheng Ding, PhD,")
    kind = classify(name, honorific or role is not None)
    if kind is None:
        return []
    saint = tokens[0] == "St." and not role
    if saint and (kind == "organization" or lexicon.canonical_place(f"St. {name}")):
        # "St. Mary's Hospital", "St. Louis": a saint's name is the institution's or town's
        name, honorific = f"St. {name}", False
        kind = "organization" if kind == "organization" else "place"
    if kind == "place" and honorific:
        kind = "person"  # "Rev. Rodriguez" is a man, whatever towns share his name
    if kind == "person" and with_article and not (honorific or role or given_name(name_tokens[0])):
        return []  # "the Brothers Karamazov", "the Rolling Stones", not "the Matt Taibbi article"
    # A single word is kept even at a sentence start, but only as evidence: single words
    # never create a person (build_registry).
    return [Mention(paragraph, start, start + len(raw), name, kind, role, honorific)]


def _split_title(tokens: list[str]) -> tuple[str | None, list[str], bool]:
    """ "National Security Advisor Jake Sullivan" -> ("National Security Advisor", [...])."""
    honorific = False
    while tokens and tokens[0] in lexicon.HONORIFICS:
        honorific = True
        tokens = tokens[1:]
    last_title = -1
    for index, token in enumerate(tokens[:-1]):
        if lexicon.is_title_word(token):
            last_title = index
    if last_title < 0:
        return None, tokens, honorific
    end = last_title + 1
    if end + 1 < len(tokens) and tokens[end] == "of":  # "Secretary of State Mike Pompeo"
        end += 2
        # "Director of National Intelligence James Clapper": the office runs on to the name
        # (capitalised words only: "of the Office of Science" is an office, not a name)
        office_end = end
        while len(tokens) - office_end > 2 and not given_name(tokens[office_end]):
            office_end += 1
        if all(t[:1].isupper() for t in tokens[end : office_end + 1]):
            end = office_end
    rest = tokens[end:]
    if not rest or _is_org_word(rest[-1]):
        return _office_of_body(tokens, honorific)
    if _remit_of_the(tokens, end):
        return None, [], honorific  # an office, no name: not a body either
    if len(rest) == 1 and _office_word(rest[0]):
        return None, [], honorific  # "The Chief Prosecutor", "Director of National Intelligence"
    if len(rest) == 1 and not honorific and _vouches_for_no_one(tokens[:end], rest[0]):
        return None, rest, honorific  # "General Welfare": the word alone, evidence at most
    while rest and rest[0] in lexicon.HONORIFICS:
        rest = rest[1:]
        honorific = True
    return " ".join(tokens[:end]), rest, honorific


def _title_of_no_one(tokens: list[str]) -> bool:
    """ "Chief Prosecutor", "General Welfare" at a sentence's start: a title and one word
    that ``_split_title`` tells is no name (the title is no mere capitalised opener)."""
    return (
        len(tokens) == 2
        and lexicon.is_title_word(tokens[0])
        and (_office_word(tokens[1]) or _vouches_for_no_one(tokens[:1], tokens[1]))
    )


def _vouches_for_no_one(title: list[str], word: str) -> bool:
    """Whether ``title`` alone leaves ``word`` no name: an everyday word after a title that
    doubles as a modifier ("General Welfare", "Executive Summary", "King Dollar"), or any
    English word after an office of something ("Professor of Cognitive Neuroscience") or a
    plural title, which names a group ("Professors Berate"). "President Obama", "General
    Mattis" and "Prince Harry" stay people; a surname that is an everyday word ("General
    Grant") then needs the article to name its bearer otherwise, as a bare surname does."""
    if given_name(word):
        return False
    word_rank = rank(word)
    last = title[-1].lower()
    plural = (
        last not in lexicon.TITLE_WORDS and last[-1:] == "s" and last[:-1] in lexicon.TITLE_WORDS
    )
    if "of" in title or plural:
        return word_rank is not None
    return last in lexicon.MODIFIER_TITLES and (word_rank or COMMON_WORD_RANK) < COMMON_WORD_RANK


def _office_word(token: str) -> bool:
    """A word that names an office or a department, never a surname."""
    return token in lexicon.OFFICE_WORDS or lexicon.is_title_word(token)


def _remit_of_the(tokens: list[str], end: int) -> bool:
    """ "Secretary of the Interior", "Director of the Census": one word after an office's
    "of the" is what the office is of, not a name (two may be one: "President of the
    United States")."""
    return end == len(tokens) - 1 and tokens[end - 1] == "the" and tokens[end - 2] == "of"


def _office_of_body(tokens: list[str], honorific: bool) -> tuple[str | None, list[str], bool]:
    """ "Chair of the Senate Banking Committee": an office, then the body it is of (the body
    is the name). A title inside a body's name stays ("Office of the Director of ...")."""
    if len(tokens) > 3 and lexicon.is_title_word(tokens[0]) and tokens[1] == "of":
        start = 3 if tokens[2] == "the" else 2
        body = tokens[start:]
        if (
            len(body) >= 2
            and not any(lexicon.is_title_word(t) for t in body)  # "Professor of Law and Director"
            and classify(" ".join(body)) == "organization"
        ):
            return " ".join(tokens[:start]), body, honorific
    return None, tokens, honorific


_GIVEN_MONTHS = frozenset(["Jan", "April", "May", "June", "August"])


def _month_in_name(tokens: list[str], cut: int) -> bool:
    """ "Jan Hatzius", "April Ryan", "Theresa May", "Prime Minister May": a month that is
    someone's given name (opening a two-word run) or surname (after a given name or title)."""
    if cut == 0:
        return len(tokens) == 2 and tokens[0] in _GIVEN_MONTHS and tokens[1].isalpha()
    before, month = tokens[cut - 1], tokens[cut]
    return (
        cut == len(tokens) - 1
        and month.isalpha()
        and not month.endswith("day")  # "Jake Sullivan Tuesday": a day is never a surname
        and (given_name(before) or lexicon.is_title_word(before) or before in lexicon.HONORIFICS)
    )


def _owner(tokens: list[str]) -> bool:
    owner = _POSSESSIVE.sub("", " ".join(tokens))
    named = [t for t in tokens if t not in lexicon.HONORIFICS]  # "St. Peter’s" is one word
    return len(named) > 1 or _is_acronym(owner) or lexicon.canonical_place(owner) is not None


@lru_cache(maxsize=1 << 14)
def _not_a_name(token: str) -> bool:
    """ "Aiding", "Discomfited", "Maybe", "Another": a verb form or a very common word,
    capitalised only by a sentence start, and nobody's given name."""
    if not token[1:].islower() or given_name(token):
        return False
    if "-" in token[1:-1] and token.split("-", 1)[1][:1].islower():
        return True  # "Astro-imager Damian Peach", "Ex-president": a descriptor ("Jean-Luc" not)
    verb_form = len(token) > 4 and token.endswith(("ing", "ed"))
    if verb_form and (rank(token) or COMMON_VERB_RANK) < COMMON_VERB_RANK:
        return True
    return wordfreq.zipf_frequency(token.lower(), "en") >= EVERYDAY_WORD_ZIPF


COMMON_VERB_RANK = 60_000
EVERYDAY_WORD_ZIPF = 5.0  # "maybe", "another", "above": words seen 100 times per million


def given_name(token: str) -> bool:
    return token in lexicon.GIVEN_NAMES or usual_pronoun(token) is not None


def _follows_and(tokens: list[str], index: int) -> bool:
    """ "Mayor Ana Ruiz and Police Chief Tom Hale": an organisation word right after "and"
    opens the second name's title; it ends no name, the "and" splits the run."""
    return index > 0 and tokens[index - 1] == "and"


def _org_with_and(tokens: list[str]) -> bool:
    """ "Centers for Disease Control and Prevention", "Bureau of Alcohol, Tobacco and
    Firearms": an institution word and a "for"/"of" before the "and" keep the name whole."""
    head = tokens[: tokens.index("and")]
    return (
        len(head) >= 3
        and any(t in ("for", "of") for t in head)
        and any(
            t in lexicon.ORG_FIRST_WORDS
            or t in lexicon.ORG_LAST_WORDS
            or t.rstrip("s") in lexicon.ORG_LAST_WORDS
            for t in head[:2]
        )
    )


def _is_org_word(token: str) -> bool:
    return token in lexicon.ORG_LAST_WORDS


_CONTINENTS = frozenset(["Africa", "Asia", "Europe", "Oceania", "Antarctica"])
_FUNCTION_WORDS = frozenset(["for", "of", "and", "on", "in", "to", "at", "by", "with", "from"])


def classify(name: str, titled: bool = False) -> Kind | None:
    """What a capitalised name is, or None when it is not an entity we can vouch for."""
    tokens = name.split()
    if "&" in tokens:
        return "organization"  # only a firm's name holds one (``_firm_with_ampersand``)
    if lexicon.canonical_place(name):
        return "place"
    if len(tokens) == 1 and name in lexicon.ORG_LAST_WORDS and name not in lexicon.STANDALONE_ORGS:
        return None  # "Council", "Sun", "Magazine": a word of a name, not a name
    last = tokens[-1].split("-")[0]  # "Advanced Research Projects Agency-Energy"
    if (
        name in lexicon.KNOWN_ORGS
        or tokens[-1] in lexicon.ORG_LAST_WORDS
        or (len(tokens) > 1 and last in lexicon.ORG_LAST_WORDS)
    ):
        return "organization"
    pairs = itertools.pairwise(tokens)
    if any(
        (t in lexicon.ORG_LAST_WORDS and n in ("of", "for")) or (t in _BODIES_ON and n == "on")
        for t, n in pairs
    ):
        return "organization"  # "Queen Mary University of London", "Council on Foreign ..."
    if (tokens[0] in lexicon.ORG_FIRST_WORDS and ("of" in tokens or "for" in tokens)) or (
        "and" in tokens and _org_with_and(tokens)
    ):
        return "organization"
    if len(tokens) == 1 and _is_acronym(name):
        return None if _shouted_word(name) else "organization"
    if not titled and any(_CAMEL_BRAND.match(t) for t in tokens):
        return None  # "CounterThink Cartoons", "Juno’s JunoCam": a brand, nobody's name
    if len(tokens) > 1 and tokens[0] in _CONTINENTS:
        return "place"  # "Asia Pacific", "Africa South": a region, nobody's name
    if len(tokens) > 1 and (
        tokens[-1] in lexicon.PLACE_LAST_WORDS or tokens[0] in lexicon.PLACE_FIRST_WORDS
    ):
        return "place"  # "Pacific Ocean", "Mississippi Valley": no gazetteer lists them all
    if tokens[0] in _FUNCTION_WORDS:
        return None  # "for Foreign Trade" (of an "Under Secretary for ..."): no one's name
    if tokens[0] == "the" or tokens[-1] in lexicon.NOT_NAME_LAST_WORDS:
        return None  # "the FOMC" starts mid-sentence; "Affordable Care Act" is a law
    if all(lexicon.is_title_word(t) for t in tokens) or "I" in tokens[1:]:
        return None  # "Inspectors General" is an office; "Note I said" is the writer
    if _office_named(tokens):
        return None  # "formerly Fifth Vice-President": an office, not "Angus King"
    if titled:
        return "person" if len(tokens) <= 4 else None
    if any(t in lexicon.DEMONYMS or t in ("of", "the", "for") for t in tokens):
        return None
    if len(tokens) == 1:
        return "person"  # a candidate only: it counts once it matches a full name
    if len(tokens) > 4 or any(t.isupper() and len(t.strip(".")) > 1 for t in tokens):
        return None
    # A particle ("Pieter de Vries", "Carlos de la Cruz") is an everyday word; the name's
    # capitalised parts say whether it is one
    ranks = [rank(t.strip(".")) for t in tokens if not t.islower()]
    if any(r is not None and r < VERY_COMMON_RANK for r in ranks):
        return None
    if all(r is not None and r < RARE_RANK for r in ranks) and tokens[0] not in lexicon.GIVEN_NAMES:
        return None
    return "person"


def _office_named(tokens: list[str]) -> bool:
    """A title word last, after words that open no name (no given name, no initial): an
    office ("Fifth Vice-President"). A surname may be a title word ("Angus King")."""
    return (
        len(tokens) > 1
        and lexicon.is_title_word(tokens[-1])
        and not given_name(tokens[0])
        and not tokens[0].endswith(".")
    )


# An everyday word in capitals is shouted ("GOLD UP $25", "AND now", "RESULT:"), no acronym
# ("WHO", "NASA", "ICE": known, or rarer as words).
_SHOUTED_WORD_ZIPF = 5.1


def _shouted_word(token: str) -> bool:
    return (
        token not in lexicon.KNOWN_ORGS
        and wordfreq.zipf_frequency(token.lower(), "en") >= _SHOUTED_WORD_ZIPF
    )


# A capital after three lower-case letters: "CounterThink", "CoinDesk". A name's prefix is
# shorter ("McConnell", "MacKenzie", "LeBron", "DeShawn").
_CAMEL_BRAND = re.compile(r"[A-Z][a-z]{3,}[A-Z][a-z]")


def _is_acronym(token: str) -> bool:
    letters = token.replace(".", "")
    return (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()) or (
        not token.isalpha() and any(c.isdigit() for c in token) and token[0].isupper()
    )


Range = tuple[int, int, int, int]  # start paragraph, start offset, end paragraph, end offset


def build_registry(
    paragraphs: Sequence[str], speakers: Iterable[str] = (), quoted: Sequence[Range] = ()
) -> Registry:
    """All mentions in ``paragraphs`` merged into canonical entities. ``quoted`` are the
    quotations (in order): names inside them are someone's words, not the narrative's."""
    mentions = find_mentions(paragraphs, quoted)
    registry = Registry(mentions=mentions)
    # Counted in plain dicts: a Counter's constructor and its += on a new key run in Python.
    forms: dict[str, dict[str, int]] = {}
    kinds: dict[str, dict[Kind, int]] = {}
    first_seen: dict[str, int] = {}
    speaker_keys = {merge_key(s) for s in speakers}
    in_headline_case = _in_headline_case(paragraphs)
    lower = _written_lower(" ".join(paragraphs))

    full_names = [m for m in mentions if m.kind == "person" and len(m.text.split()) > 1]
    full_keys = [merge_key(m.text).split() for m in full_names]
    titled = {m.text for m in mentions if m.role}
    first_index: dict[str, int] = {}
    for index, mention in enumerate(mentions):
        first_index.setdefault(mention.text, index)
    spoken_titles: dict[int, str] = {}  # "Chief Black said": the mention's index, "Chief"
    for order, mention in enumerate(mentions):
        if mention.kind is None:
            continue
        key = merge_key(mention.text)
        if mention.kind == "place":
            key = merge_key(lexicon.canonical_place(mention.text) or mention.text)
        single = len(mention.text.split()) == 1
        has_title = mention.honorific or mention.role is not None
        if single and not has_title and mention.kind == "person":
            title = _title_of_speaker(paragraphs, mention)
            if title:
                has_title, spoken_titles[order] = True, title
        if mention.kind == "person" and single and not (has_title or key in speaker_keys):
            continue  # "Putin" alone is evidence for "Vladimir Putin", not a person by itself
        if mention.kind == "person" and single and _part_of(mention.text, full_keys, has_title):
            continue
        if (
            mention.kind == "person"
            and single
            and not mention.honorific
            and key not in speaker_keys
            and _common_in_lower_case(mention.text, lower)
        ):
            continue  # "Executive Order", "General Electric": a title word, then a word the
            # article writes in lower case ("an order", "electric cars"); not "President Trump"
        if mention.kind == "person" and mention.paragraph in in_headline_case and not has_title:
            continue  # "CIA Refuses To Show Evidence": every word is capitalised in a headline
        if mention.kind == "person" and not has_title and _has_common_word(mention.text, lower):
            continue  # "Obama Fights Back", "Free Gift": words the article writes in lower case
        _count(forms.setdefault(key, {}), mention.text)
        _count(kinds.setdefault(key, {}), mention.kind)
        first_seen.setdefault(key, order)

    for name in _shared_surnames(paragraphs, full_keys):
        key = merge_key(name)
        _count(forms.setdefault(key, {}), name)
        _count(kinds.setdefault(key, {}), "person")
    folded = _fold_shorter_names(forms, kinds)

    for key, counter in forms.items():
        kind = _most_common(kinds[key])
        if kind == "place":
            form = _most_common(counter)
            # The gazetteer's name, or a feature's own ("Pacific Ocean": no gazetteer has all;
            # not "Battle of the Coral Sea" or "Law of the Sea")
            words = form.split()
            feature = (
                words[-1] in lexicon.PLACE_LAST_WORDS or words[0] in lexicon.PLACE_FIRST_WORDS
            ) and all(w[:1].isupper() for w in words)
            name = lexicon.canonical_place(form) or (form if feature else "")
        else:
            # Most frequent spelling; on a tie the one introduced with a role ("leader Kim
            # Jong Un"), as a writer spells a name in full when introducing it; then the first.
            name = max(
                counter, key=lambda f: (counter[f], f in titled, -first_index.get(f, len(mentions)))
            )
        if not name:
            continue
        registry.kinds[name] = kind
        registry._by_key[key] = name
        for form in counter:
            registry._by_key[merge_key(form)] = name
        if kind == "person":
            for part in name.split():
                if part not in lexicon.NAME_SUFFIXES:
                    registry._by_part.setdefault(merge_key(part), set()).add(name)
                if part.startswith(("al-", "el-")):  # "Assad" is "Bashar al-Assad"
                    registry._by_part.setdefault(merge_key(part[3:]), set()).add(name)
    for form, key in folded.items():
        while key in folded and folded[key] != key:  # "Leach" -> "Rodney Leach" -> ...
            key = folded[key]
        if key in registry._by_key:
            registry._by_key[form] = registry._by_key[key]
    _merge_acronyms(registry)
    for order, mention in enumerate(mentions):
        role = mention.role or spoken_titles.get(order)
        if mention.kind == "person" and role:
            person = registry.resolve_person(mention.text)
            if person and person not in registry.roles:
                registry.roles[person] = role
    return registry


def _title_of_speaker(paragraphs: Sequence[str], mention: Mention) -> str | None:
    """ "Chief Black said", "Secretary of Defense Mattis said": a title that alone vouches
    for no one (``_vouches_for_no_one``: "Chief Prosecutor") does when the word after it
    speaks. Returns the title."""
    if mention.end - mention.start <= len(mention.text):
        return None  # the run is the name alone, as for most names: no title in it
    text = paragraphs[mention.paragraph]
    title, _, name = text[mention.start : mention.end].rpartition(" ")
    if name != mention.text or not any(lexicon.is_title_word(w) for w in title.split()):
        return None
    return title if _REPORTED_BY.match(text, mention.end) else None


def _count(counts: dict[_T, int], value: _T) -> None:
    counts[value] = counts.get(value, 0) + 1


def _most_common(counter: Mapping[_T, int]) -> _T:
    """``counter.most_common(1)[0][0]``, the first of the most frequent, without the call
    into ``heapq`` (which, for one, takes this same ``max``)."""
    return max(counter, key=counter.__getitem__)


def _fold_shorter_names(
    forms: dict[str, dict[str, int]], kinds: dict[str, dict[Kind, int]]
) -> dict[str, str]:
    """ "Rodney Leach" and "Lord Leach of Fairford" are "Charles Guy Rodney Leach", whom an
    obituary names in full only once: a person's name that ends another, longer one (its
    peerage's "of Fairford" aside) is that person, when it ends just one. Kept apart, the
    two would make the bare "Leach" ambiguous, and every "Leach said" nobody's. Returns the
    merge keys of the shorter names' forms, each to the key of the name it ends."""
    folded: dict[str, str] = {}
    people = [k for k, kind in kinds.items() if _most_common(kind) == "person"]
    words = {key: key.split() for key in people}
    for key in sorted(people, key=lambda k: len(words[k])):
        tokens = words[key]
        core = tokens[: tokens.index("of")] if "of" in tokens[1:] else tokens
        if len(core) < 2 and core is tokens:
            continue  # a single word is only evidence (build_registry), never folded
        longer = [
            other
            for other in people
            if other in forms
            and len(words[other]) > len(core)
            and other != key
            and (
                words[other][-len(core) :] == core
                or _opens_with_given_names(words[other], core)
                or _middle_name_left_out(words[other], core)
            )
        ]
        if len(longer) == 1:
            kinds.pop(key)
            for form in forms.pop(key):
                folded[merge_key(form)] = longer[0]
    return folded


def _opens_with_given_names(longer: list[str], core: list[str]) -> bool:
    """ "Mary Ann" (of "the children of Mary Ann, Sabine and Jamiel") is Mary Ann Mendoza:
    given names only, opening one longer name."""
    return longer[: len(core)] == core and all(word.title() in lexicon.GIVEN_NAMES for word in core)


def _middle_name_left_out(longer: list[str], core: list[str]) -> bool:
    """ "Wendy Gramm" is Wendy Lee Gramm: the same given name and surname, a middle name
    left out."""
    return len(core) == 2 and longer[0] == core[0] and longer[-1] == core[-1]


# "Kevin, Andrew, and Luis Palau", "Bill and Hillary Clinton": first names sharing a surname.
_SHARED_SURNAME = re.compile(
    r"(?<![\w’'.-])((?:[A-Z][a-z]+,\s+)*[A-Z][a-z]+),?\s+and\s+([A-Z][a-z]+)\s+([A-Z][a-z]+)\b"
)


# Every match ends so: the guard, searched from its literal "and", rules most paragraphs out.
_SHARED_SURNAME_GUARD = ending_guard(_SHARED_SURNAME, [r"and\s+([A-Z][a-z]+)\s+([A-Z][a-z]+)\b"])


def _shared_surnames(paragraphs: Sequence[str], full_names: Sequence[Sequence[str]]) -> list[str]:
    """ "Bill and Hillary Clinton": both Clintons. A given name the article gives in full
    with another surname keeps it ("Luke and Han Solo" beside "Luke Skywalker": Luke is no
    Solo). ``full_names``: the merge keys of the people named in full, split in words."""
    found = []
    for text in paragraphs:
        if _SHARED_SURNAME_GUARD is not None and _SHARED_SURNAME_GUARD.search(text) is None:
            continue
        for match in _SHARED_SURNAME.finditer(text):
            last_first, surname = match.group(2), match.group(3)
            if lexicon.is_title_word(last_first) or classify(f"{last_first} {surname}") != "person":
                continue  # "General Mattis and Prince Harry": a title, not a first name
            before = text[: match.start(1)]
            previous = before.rsplit(None, 1)[-1] if before.endswith(" ") and before.strip() else ""
            titled = previous.lower() in lexicon.TITLE_WORDS  # "President Bill and Hillary ..."
            if previous[:1].isupper() and not titled and previous not in lexicon.SENTENCE_WORDS:
                continue  # "Jane Miller and Tom Baker": a surname, then another whole name
            firsts = [f.strip() for f in match.group(1).split(",")]
            if all(_first_name_like(f) for f in firsts):
                found += [
                    f"{first} {surname}"
                    for first in firsts
                    if not _named_otherwise(first, surname, full_names)
                ]
    return found


def _named_otherwise(first: str, surname: str, full_names: Sequence[Sequence[str]]) -> bool:
    given, family = merge_key(first), merge_key(surname)
    return any(len(n) > 1 and n[0] == given and n[-1] != family for n in full_names)


def _first_name_like(token: str) -> bool:
    return (
        token not in lexicon.SENTENCE_WORDS
        and not lexicon.canonical_place(token)
        and token not in lexicon.ORG_LAST_WORDS
        and (rank(token) or VERY_COMMON_RANK) >= VERY_COMMON_RANK
    )


_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z]+(?![\w’'-])")
_LOWER_WORD_SHAPE = re.compile(r"[a-z][a-z]+")


class _AskedOnce(Generic[_T]):
    """A set whose members ``test`` tells, each value asked about once and only when it is:
    an article asks about a few words or paragraphs, and finding every member at the start
    is a slow pass over the whole text."""

    def __init__(self, kind: type[_T], test: Callable[[_T], bool]) -> None:
        self._kind, self._test = kind, test
        self._answers: dict[_T, bool] = {}

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, self._kind):
            return False
        found = self._answers.get(value)
        if found is None:
            found = self._answers[value] = self._test(value)
        return found


def _written_lower(text: str) -> _AskedOnce[str]:
    """The words ``_LOWER_WORD`` finds in ``text`` (its pattern opens with a look-behind, so
    it is tried at every character). Its matches cannot overlap (each is bounded by
    characters it cannot hold), so a word is among them wherever it stands so bounded."""

    def stands_alone(word: str) -> bool:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not (at and _in_word(text[at - 1])) and not (
                end < len(text) and _in_word(text[end])
            ):
                return True
            at = text.find(word, at + 1)
        return False

    return _AskedOnce(
        str, lambda word: _LOWER_WORD_SHAPE.fullmatch(word) is not None and stands_alone(word)
    )


def _in_word(char: str) -> bool:
    """Whether ``_LOWER_WORD``'s look-arounds reject ``char`` (``\\w`` is ``str.isalnum`` and
    the underscore, as the regex engine defines it)."""
    return char.isalnum() or char in "_’'-"


COMMON_WORD_RANK = 20_000


def _has_common_word(name: str, lower: Container[str]) -> bool:
    """Whether a would-be name holds an English word the article also writes in lower case:
    surnames such as "Bush" or "Rice" rarely stand lower-cased beside the person they name."""
    tokens = name.split()
    return len(tokens) > 1 and any(
        t[:1].isupper() and _common_in_lower_case(t, lower)
        for t in tokens  # "bin" in "Osama bin Laden" is lower case in the name itself
    )


def _everyday_words(name: str) -> bool:
    """Two or more English words, none of them rare enough to be a surname, the first no
    given name: "Border Protection", "Capitol Hill" (and "Rand Paul", whom a title or a
    quote must vouch for)."""
    tokens = name.split()
    return (
        len(tokens) > 1
        and not given_name(tokens[0])
        and all((rank(t.strip(".")) or COMMON_WORD_RANK) < COMMON_WORD_RANK for t in tokens)
    )


def _common_in_lower_case(word: str, lower: Container[str]) -> bool:
    """An English word (not a rare one) that the article also writes in lower case."""
    return word.lower() in lower and (rank(word) or COMMON_WORD_RANK) < COMMON_WORD_RANK


def headline_case(text: str) -> bool:
    """A line in Headline Case, where capitals say nothing about names."""
    # Most lines are prose, and this rules them out without reading every word: a word that
    # starts straight after a space with a lower-case letter is one initial not capitalised,
    # and three of four initials must be; there are no more initials than words.
    if len(text.split()) < 4 * (len(_LOWER_INITIAL.findall(text)) + ("a" <= text[:1] <= "z")):
        return False
    # the first letter of each word, after any opening quote mark
    initials = [c[-1] for c in _WORD_START.findall(text) if c[-1].isalpha()]
    if len(initials) < 4:
        return False
    capitalised = sum(1 for c in initials if c.isupper())
    return capitalised >= 0.75 * len(initials)


def _in_headline_case(paragraphs: Sequence[str]) -> _AskedOnce[int]:
    """The indexes of the paragraphs in Headline Case: only a paragraph with a name that got
    this far needs the pass over its words."""
    return _AskedOnce(int, lambda index: headline_case(paragraphs[index]))


_LOWER_INITIAL = re.compile(r"\s[a-z]")
_WORD_START = re.compile(r"(?<!\S)[“‘\"'(]*\S")  # each word's start: no split needed


def _merge_acronyms(registry: Registry) -> None:
    """ "FERC" is the "Federal Energy Regulatory Commission" the article also names: an
    organisation's acronym merges into its full name when the initials match just one."""
    orgs = [n for n, k in registry.kinds.items() if k == "organization" and " " in n]
    initials = {name: _initials(name) for name in orgs}
    for acronym in [n for n, k in registry.kinds.items() if k == "organization"]:
        letters = acronym.replace(".", "")
        if not (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()):
            continue
        exact = [n for n in orgs if initials[n] == letters]
        prefixed = [n for n in orgs if len(letters) >= 3 and initials[n].startswith(letters)]
        matches = exact or prefixed
        if len(matches) == 1:
            del registry.kinds[acronym]
            registry._by_key[merge_key(acronym)] = matches[0]
            for key, name in list(registry._by_key.items()):
                if name == acronym:
                    registry._by_key[key] = matches[0]


def _initials(name: str) -> str:
    words = re.split(r"[\s-]+", name)
    return "".join(w[0] for w in words if w[:1].isupper() and w not in ("The",))


def _part_of(token: str, full_names: list[list[str]], titled: bool = False) -> bool:
    """Whether a single name belongs to a full one. A titled name ("Pope Francis", "President
    Trump") is a surname, so it only belongs to a full name that ends with it."""
    key = merge_key(token)
    if titled:
        # "EU Commissioner Timmermanns" is Frans Timmermans misspelt, not someone else
        surnames = [words[-1] for words in full_names if words]
        return key in surnames or (
            len(key) >= _MIN_TYPO_LENGTH
            and bool(difflib.get_close_matches(key, surnames, n=1, cutoff=_TYPO_SIMILARITY))
        )
    return any(key in words for words in full_names)
