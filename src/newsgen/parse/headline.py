"""The headline's kicker: "War in Ukraine: Washington warns ..." has the label "War in Ukraine"."""

from __future__ import annotations

from newsgen.parse import lexicon
from newsgen.parse.entities import Registry, given_name
from newsgen.parse.glue import rank

MAX_KICKER_WORDS = 5
SURNAME_MIN_RANK = 2000


def split_kicker(title: str, registry: Registry) -> tuple[str | None, str | None]:
    """(kicker, headline speaker). A name before the colon ("Pence: ...") is a speaker."""
    label, colon, rest = title.partition(":")
    label, rest = label.strip(), rest.strip()
    if not colon or not label or not rest:
        return None, None
    words = label.split()
    if len(words) > MAX_KICKER_WORDS or len(words) >= len(rest.split()):
        return None, None
    if label[0] in "\"“‘'" or label.endswith(("?", "!")) or any(c.isdigit() for c in label[:1]):
        return None, None
    if _is_clause(words):
        return None, None
    # "DNC's Tom Perez: ...": a person named with their organisation is still a speaker
    owner, mark, named = label.rpartition("'s ") if "'s " in label else label.rpartition("’s ")
    person = registry.resolve_person(label) or (
        registry.resolve_person(named) if owner and mark and " " not in owner else None
    )
    if person is not None:
        return None, person
    if _looks_like_name(words):
        return None, label
    return label, None


# Verbs that make a headline's first part a clause ("Russia Responds to US Provocation",
# "Michael Wolff rejects Trump claim"), besides those that report speech.
_CLAUSE_VERBS = frozenset(
    {"responds", "rejects", "slams", "denies", "vows", "blasts", "urges", "accuses", "defends"}
)


def _is_clause(words: list[str]) -> bool:
    """A verb between a subject and an object: a sentence, not a label ("Field Notes" is one:
    its last word is no verb with an object)."""
    inner = {w.casefold() for w in words[1:-1]}
    return bool(inner & (_CLAUSE_VERBS | lexicon.REPORTING_VERBS))


def _looks_like_name(words: list[str]) -> bool:
    """Capitalised words that are neither label words nor places: a person ("Pence")."""
    if len(words) > 3 or not all(
        w[:1].isupper() and w.isalpha() and not w.isupper() for w in words
    ):
        return False
    name = " ".join(words)
    if lexicon.canonical_place(name) or name in lexicon.KNOWN_ORGS:
        return False
    if len(words) > 1 and not given_name(words[0]):
        return False  # "Economic Warning", "Media Critic": a label; "Sarah Sanders" a name
    surname_rank = rank(words[-1])  # surnames are rare words; labels ("Latest") are common
    return surname_rank is None or surname_rank >= SURNAME_MIN_RANK
