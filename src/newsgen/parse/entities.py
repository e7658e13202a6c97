"""People, places and organisations named in an article, with variants merged.

A rule-based recogniser: capitalised phrases are found, titles and courtesy words split off,
and each phrase classified by gazetteer (places), organisation words, and the shape of a
person's name. The result is a ``Registry`` the quote finder uses to resolve "Mr. Sullivan"
and "he" to the full name introduced earlier.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from newsgen.model import Entities
from newsgen.parse import lexicon
from newsgen.parse.glue import rank

Kind = Literal["person", "place", "organization"]

_HONORIFIC = r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|St|Jr|Sr|Rev)\."
_TOKEN = (
    rf"(?:{_HONORIFIC}|(?:[A-Z]\.){{2,}}|[A-Z]\.(?=\s+[A-Z])"
    r"|[A-Z][A-Za-z]*\d+[A-Za-z]*"  # G20, F35
    r"|(?:Mc|Mac|O’|O'|D’|D')?[A-Z][a-zA-Z’'\-]*[a-zA-Z]|[A-Z])"
)
_CONNECT = r"(?:of|the|for|de|del|da|di|du|la|le|van|von|der|den|bin|al|y)"
MENTION = re.compile(rf"(?<![\w’'@#/.-]){_TOKEN}(?:\s+(?:{_CONNECT}\s+)*{_TOKEN})*")
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[“\"‘(—–-]\s*)$")
VERY_COMMON_RANK = 150
RARE_RANK = 1000


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
        return None

    def canonical(self, name: str) -> str | None:
        return self._by_key.get(merge_key(name))

    def entities(self) -> Entities:
        def of(kind: Kind) -> tuple[str, ...]:
            return tuple(sorted({n for n, k in self.kinds.items() if k == kind}, key=str.lower))

        return Entities(people=of("person"), places=of("place"), organizations=of("organization"))

    def last_person_before(self, paragraph: int, offset: int) -> str | None:
        best: tuple[int, int] | None = None
        found = None
        for mention in self.mentions:
            position = (mention.paragraph, mention.start)
            if position < (paragraph, offset) and (best is None or position > best):
                person = self.resolve_person(mention.text) if mention.kind == "person" else None
                if person:
                    best, found = position, person
        return found


def merge_key(name: str) -> str:
    return re.sub(r"[\s\-‐.]+", " ", name.replace("’", "'")).strip().casefold()


_TITLE_ALT = "|".join(
    re.escape(t) for t in sorted(lexicon.TITLE_WORDS, key=len, reverse=True) if "." not in t
)
# "North Korean leader Jake Doe", "senior investigator Jane Doe": a role right before a name.
_ROLE_BEFORE = re.compile(
    rf"((?:[A-Z][\w’'-]*\s+){{0,3}}(?:[a-z][\w-]*\s+){{0,2}}(?i:{_TITLE_ALT}))\s+$"
)
# "the chief spokesman of the National Security Council, John Kirby": apposition before.
_APPOSITION_BEFORE = re.compile(
    rf"(?:^|[,;(]\s*|\b)(?:the|a|an|its|his|her|their)\s+((?:[\w’'-]+\s+){{0,3}}"
    rf"(?i:{_TITLE_ALT})\b[^,;:“”\"]{{0,60}}),\s*$"
)
# "Sheng Ding, PhD, a senior investigator at the Gladstone Institute,": apposition after.
_APPOSITION_AFTER = re.compile(
    rf"^(?:,\s*(?:Jr\.|Sr\.|PhD|MD|Ph\.D\.|Esq\.))*,\s*(?:the|a|an|who is the|who is a)\s+"
    rf"((?:[\w’'-]+\s+){{0,3}}(?i:{_TITLE_ALT})\b[^,;:“”\"]{{0,60}}?)\s*(?:[,;.)]|$)"
)


def find_mentions(paragraphs: Sequence[str]) -> list[Mention]:
    mentions: list[Mention] = []
    for index, text in enumerate(paragraphs):
        for match in MENTION.finditer(text):
            for mention in _analyse(index, match.start(), match.group(0), text):
                if mention.kind == "person" and mention.role is None:
                    role = _context_role(text, mention.start, mention.end)
                    mention = replace(mention, role=role)
                mentions.append(mention)
    return mentions


def _context_role(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - 120) : start]
    for pattern in (_ROLE_BEFORE, _APPOSITION_BEFORE):
        match = pattern.search(before)
        if match:
            return match.group(1).strip()
    match = _APPOSITION_AFTER.match(text[end : end + 160])
    return match.group(1).strip() if match else None


def _analyse(paragraph: int, start: int, raw: str, text: str) -> list[Mention]:
    """Split one capitalised run into mentions, strip titles, and classify each."""
    raw = _POSSESSIVE.sub("", raw)
    tokens = raw.split()
    at_sentence_start = bool(_SENTENCE_START.search(text[:start]))
    # "New York Times Kim Jong Un": an organisation word ends a name mid-run.
    for cut in range(1, len(tokens) - 1):
        if tokens[cut - 1] in lexicon.ORG_LAST_WORDS and not _is_org_word(tokens[-1]):
            head = " ".join(tokens[:cut])
            tail_start = start + raw.index(tokens[cut], len(head))
            return [
                *_analyse(paragraph, start, head, text),
                *_analyse(paragraph, tail_start, " ".join(tokens[cut:]), text),
            ]
    if tokens and tokens[0] in ("The", "the") and len(tokens) > 1:
        tokens = tokens[1:]
        at_sentence_start = False
    role, name_tokens, honorific = _split_title(tokens)
    if not name_tokens:
        return []
    name = " ".join(name_tokens)
    kind = classify(name, honorific or role is not None)
    if kind is None:
        return []
    if at_sentence_start and len(name_tokens) == 1 and kind == "person" and not honorific:
        kind = "person"  # kept, but only as evidence: single words never create a person
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
    rest = tokens[end:]
    if not rest or _is_org_word(rest[-1]):
        return None, tokens, honorific
    while rest and rest[0] in lexicon.HONORIFICS:
        rest = rest[1:]
        honorific = True
    return " ".join(tokens[:end]), rest, honorific


def _is_org_word(token: str) -> bool:
    return token in lexicon.ORG_LAST_WORDS


def classify(name: str, titled: bool = False) -> Kind | None:
    """What a capitalised name is, or None when it is not an entity we can vouch for."""
    tokens = name.split()
    if lexicon.canonical_place(name):
        return "place"
    if name in lexicon.KNOWN_ORGS or tokens[-1] in lexicon.ORG_LAST_WORDS:
        return "organization"
    if tokens[0] in lexicon.ORG_FIRST_WORDS and "of" in tokens:
        return "organization"
    if len(tokens) == 1 and _is_acronym(name):
        return "organization"
    if titled:
        return "person" if len(tokens) <= 4 else None
    if any(t in lexicon.DEMONYMS or t in ("of", "the", "for") for t in tokens):
        return None
    if len(tokens) == 1:
        return "person"  # a candidate only: it counts once it matches a full name
    if len(tokens) > 4 or any(t.isupper() and len(t) > 3 for t in tokens):
        return None
    ranks = [rank(t.strip(".")) for t in tokens]
    if any(r is not None and r < VERY_COMMON_RANK for r in ranks):
        return None
    if all(r is not None and r < RARE_RANK for r in ranks):
        return None
    return "person"


def _is_acronym(token: str) -> bool:
    letters = token.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha() or (
        any(c.isdigit() for c in token) and token[0].isupper()
    )


def build_registry(paragraphs: Sequence[str], speakers: Iterable[str] = ()) -> Registry:
    """All mentions in ``paragraphs`` merged into canonical entities."""
    mentions = find_mentions(paragraphs)
    registry = Registry(mentions=mentions)
    forms: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[Kind]] = {}
    first_seen: dict[str, int] = {}
    speaker_keys = {merge_key(s) for s in speakers}

    full_names = [m for m in mentions if m.kind == "person" and len(m.text.split()) > 1]
    for order, mention in enumerate(mentions):
        if mention.kind is None:
            continue
        key = merge_key(mention.text)
        if mention.kind == "place":
            key = merge_key(lexicon.canonical_place(mention.text) or mention.text)
        single = len(mention.text.split()) == 1
        if mention.kind == "person" and single and not (mention.honorific or key in speaker_keys):
            continue  # "Putin" alone is evidence for "Vladimir Putin", not a person by itself
        if mention.kind == "person" and single and _part_of(mention.text, full_names):
            continue
        forms.setdefault(key, Counter())[mention.text] += 1
        kinds.setdefault(key, Counter())[mention.kind] += 1
        first_seen.setdefault(key, order)

    for key, counter in forms.items():
        kind = kinds[key].most_common(1)[0][0]
        if kind == "place":
            name = lexicon.canonical_place(counter.most_common(1)[0][0]) or ""
        else:
            # Most frequent spelling; on a tie the one introduced with a role ("leader Kim
            # Jong Un"), as a writer spells a name in full when introducing it; then the first.
            titled = {m.text for m in mentions if m.role}
            name = max(
                counter, key=lambda f: (counter[f], f in titled, -_first_index(mentions, f))
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
    for mention in mentions:
        if mention.kind == "person" and mention.role:
            person = registry.resolve_person(mention.text)
            if person and person not in registry.roles:
                registry.roles[person] = mention.role
    return registry


def _part_of(token: str, full_names: list[Mention]) -> bool:
    key = merge_key(token)
    return any(key in merge_key(m.text).split() for m in full_names)


def _first_index(mentions: list[Mention], form: str) -> int:
    return next(i for i, m in enumerate(mentions) if m.text == form)
