"""A title before one word makes a person only when the word can be a name (issue 2).

Every person becomes a page of the site, so "Chief Prosecutor" must not give a person
"Prosecutor". Real surnames are everyday words too (Bush, Rice, Price, Baker, Young, Black):
a title that is only a title keeps them, and a title that doubles as a modifier ("General",
"Chief", "King") keeps them when the article names the person otherwise.
"""

from __future__ import annotations

import pytest

from newsgen.parse import parse_raw


def people(body: str) -> tuple[str, ...]:
    return parse_raw(f"A headline for the test\n\n{body}\n", "test.txt").entities.people


@pytest.mark.parametrize(
    "body",
    [
        "In the end, the Chief Prosecutor dropped the charges on Friday.",
        "In the end, the Secretary of the Interior signed the order on Friday.",
        "It was a briefing from the Director of National Intelligence on Friday.",
        "They cited the General Welfare clause again in the debate on Friday.",
        "The Executive Summary runs to forty pages and was published on Friday.",
        "They say King Dollar will not last for ever, whatever the bank says.",
        "He is formerly Fifth Vice-President of the association and writes a column.",
        "The photo showed the Grand Mufti with a delegation in 1941.",
        "The book is out now. It is published by Rethink Pres.",
    ],
)
def test_an_office_or_an_everyday_word_after_a_title_is_no_person(body: str) -> None:
    assert people(body) == ()


def test_the_field_of_a_professor_is_no_person() -> None:
    body = "Ana Ruiz, Professor of Cognitive Neuroscience, led the study on memory."
    assert people(body) == ("Ana Ruiz",)


@pytest.mark.parametrize(
    ("body", "person"),
    [
        ("On Monday, President Bush spoke to reporters about the budget.", "Bush"),
        ("On Monday, Secretary Rice flew to Cairo to meet the envoy.", "Rice"),
        ("On Monday, Dr. Price did not answer the question from reporters.", "Price"),
        ("On Monday, Secretary Baker met the envoy in Cairo.", "Baker"),
        ("On Monday, Mr. Young did not answer the question from reporters.", "Young"),
        ("In the end, Justice Black wrote the opinion for the court.", "Black"),
        ("In the end, General Mattis was not consulted about the plan.", "Mattis"),
        ("In the end, Prince Harry was not consulted about the plan.", "Harry"),
        ("The road stays shut until Friday, Chief Black said on Monday.", "Black"),
        ("The plan is sound, Secretary of Defense Mattis said on Monday.", "Mattis"),
        ("In the end, Vice-President Pence was not consulted about the plan.", "Pence"),
    ],
)
def test_a_surname_that_is_an_everyday_word_stays_a_person(body: str, person: str) -> None:
    assert people(body) == (person,)


def test_a_modifier_title_vouches_for_a_name_the_article_gives_otherwise() -> None:
    named = "Margaret Rice mapped the forts. By June, General Rice had mapped every trench."
    assert people(named) == ("Margaret Rice",)
    alone = "The survey was slow. By June, General Rice had mapped every trench on the river."
    assert people(alone) == ()
