"""Whether a pronoun can refer to a person: "she said" is never Donald Trump.

Given names and their usual gender come from gender-guesser's table (about 40,000 names
across many countries); a name it does not know, or holds for both, fits any pronoun.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import gender_guesser.detector

Pronoun = Literal["he", "she", "they"]

_GENDER_OF = {"male": "he", "mostly_male": "he", "female": "she", "mostly_female": "she"}


_COUNTRIES = (None, "usa", "great_britain")


@cache
def _detector() -> gender_guesser.detector.Detector:
    # Loading the table takes about 0.4 s: only once, and only when a pronoun needs it.
    return gender_guesser.detector.Detector(case_sensitive=False)


def load_table() -> None:
    """Load the table now (before forking workers, so that they share it)."""
    _detector()


@cache
def usual_pronoun(full_name: str) -> Pronoun | None:
    """ "he" or "she" when the first given name of ``full_name`` usually takes it."""
    given = full_name.split()[0].strip(".") if full_name.split() else ""
    if len(given) < 2 or not given.isalpha():
        return None  # an initial ("J. Smith") or an organisation's word says nothing
    # The table's world-wide answer and its answers for the two largest English-speaking
    # countries must agree ("Juli" is a man's name in some countries, a woman's in the US).
    answers = {_GENDER_OF.get(_detector().get_gender(given, country)) for country in _COUNTRIES}
    answers.discard(None)
    found = answers.pop() if len(answers) == 1 else None
    return "he" if found == "he" else "she" if found == "she" else None


def fits(full_name: str, pronoun: Pronoun) -> bool:
    """Whether ``pronoun`` may refer to the person named ``full_name``."""
    if pronoun == "they" or " " not in full_name.strip():
        return True  # a name alone may be a surname: "Mrs Ahmed" is no man for "Ahmed"
    usual = usual_pronoun(full_name)
    return usual is None or usual == pronoun
