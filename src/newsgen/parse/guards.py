"""Cheap tests that rule a slow pattern out before it is searched.

``pattern.search(text)`` for a pattern that ends in ``$`` tries the whole pattern at every
position of ``text``: with a speaker phrase (names, titles, role words) in front, that is a
tenth of a millisecond or more per call, however short the text. Most texts cannot match,
and the pattern's own ending shows it: "X said:" cannot match a text with no reporting verb
near its end. A guard is that ending, compiled alone; it starts with a literal or a word list,
so searching it is fast.

A guard may only ever say "no" when the pattern would: ``ending_guard`` checks that the
pattern is the guard's source with something in front, joined as a plain sequence (no ``|``
outside a group), so that every match of the pattern ends with a match of the guard on the
same text. A pattern edited so that this no longer holds simply gets no guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

_QUANTIFIER_START = tuple("*+?{")


def ending_guard(pattern: re.Pattern[str], endings: Iterable[str]) -> re.Pattern[str] | None:
    """The first of ``endings`` (pattern sources) that ``pattern`` is made of at its end,
    compiled with the pattern's flags; None when none is."""
    source = pattern.pattern
    for ending in endings:
        head = source[: len(source) - len(ending)]
        if (
            ending
            and source.endswith(ending)
            and not ending.startswith(_QUANTIFIER_START)
            and _top_level_sequence(head)
            and _top_level_sequence(ending)
            and not _REFERENCE.search(ending)
        ):
            return re.compile(ending, pattern.flags)
    return None


# A backreference or conditional would mean another group once the ending stands alone.
_REFERENCE = re.compile(r"\(\?P=|\(\?\(|\\[1-9]|\\g<")


class Guards(Mapping[re.Pattern[str], re.Pattern[str]]):
    """Patterns and their guards, looked up by the pattern's identity. A compiled pattern's
    hash is not cached: every ``hash()`` (so every dict look-up keyed by it) hashes its whole
    compiled code, 5-15 µs for a speaker pattern, as long as the guard's own search."""

    def __init__(self, pairs: Iterable[tuple[re.Pattern[str], re.Pattern[str]]]) -> None:
        # The pattern is kept beside its guard so that its id cannot be reused by another.
        self._by_id = {id(pattern): (pattern, guard) for pattern, guard in pairs}

    def guard_for(self, pattern: re.Pattern[str]) -> re.Pattern[str] | None:
        entry = self._by_id.get(id(pattern))
        return entry[1] if entry is not None and entry[0] is pattern else None

    def __getitem__(self, pattern: re.Pattern[str]) -> re.Pattern[str]:
        guard = self.guard_for(pattern)
        if guard is None:
            raise KeyError(pattern)
        return guard

    def __iter__(self) -> Iterator[re.Pattern[str]]:
        return (pattern for pattern, _ in self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


def guards(patterns: Iterable[re.Pattern[str]], endings: Iterable[str]) -> Guards:
    """``ending_guard`` for each pattern that has one."""
    wanted = list(endings)
    found = [(p, ending_guard(p, wanted)) for p in patterns]
    return Guards((p, guard) for p, guard in found if guard is not None)


def may_search(pattern: re.Pattern[str], text: str, table: Guards) -> re.Match[str] | None:
    """``pattern.search(text)``, skipped when the pattern's guard finds no match."""
    guard = table.guard_for(pattern)
    if guard is not None and guard.search(text) is None:
        return None
    return pattern.search(text)


def _top_level_sequence(source: str) -> bool:
    """Whether a pattern source is balanced and has no ``|`` outside its groups (escapes and
    character classes skipped)."""
    depth = 0
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            if index + 1 == len(source):
                return False  # an escape cut in two: the ending would start mid-token
            index += 2
            continue
        if char == "[":
            index = _class_end(source, index)
            if index < 0:
                return False
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return False
        elif char == "|" and depth == 0:
            return False
        index += 1
    return depth == 0


def _class_end(source: str, start: int) -> int:
    """The index just past the character class opening at ``start``, or -1."""
    index = start + 1
    if source[index : index + 1] == "^":
        index += 1
    if source[index : index + 1] == "]":  # a "]" first in a class is a literal
        index += 1
    while index < len(source):
        if source[index] == "\\":
            index += 2
            continue
        if source[index] == "]":
            return index + 1
        index += 1
    return -1
