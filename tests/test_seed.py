"""The real sample article: what it must come out as, field by field (issue #2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.model import Article, Quote
from newsgen.parse import parse_raw
from newsgen.parse.text import decode

SEED = Path(__file__).parent.parent / "seeds" / "000_52a0e9229e61a72c.txt"


@pytest.fixture(scope="module")
def seed() -> Article:
    return parse_raw(decode(SEED.read_bytes(), SEED.name).text, SEED.name)


def quote_starting(article: Article, start: str) -> Quote:
    matches = [q for q in article.quotes if q.text.startswith(start)]
    assert len(matches) == 1, f"expected one quote starting {start!r}, got {matches}"
    return matches[0]


def test_title_is_the_headline_as_written(seed: Article) -> None:
    assert seed.title == (
        "War in Ukraine: Washington warns North Korea against delivering arms to Russia"
    )


def test_kicker_and_topic(seed: Article) -> None:
    assert seed.kicker == "War in Ukraine"
    assert "War in Ukraine" in seed.topics


def test_undated(seed: Article) -> None:
    assert seed.date is None


def test_body_has_no_trailers(seed: Article) -> None:
    assert "Source link" not in seed.body
    assert "Leave a Reply" not in seed.body


def test_body_glued_words_repaired(seed: Article) -> None:
    assert "Ukraine warned the White House" in seed.body
    assert "New York Times Kim Jong Un" in seed.body


def test_body_subheading(seed: Article) -> None:
    assert "\n## An interested visit\n" in seed.body


def test_quote_by_the_white_house(seed: Article) -> None:
    assert quote_starting(seed, "will pay a price").speaker == "White House"


def test_quote_by_sullivan_with_role(seed: Article) -> None:
    quote = quote_starting(seed, "It will not reflect well")
    assert (quote.speaker, quote.role) == ("Jake Sullivan", "National Security Advisor")


def test_he_said_resolves_to_sullivan(seed: Article) -> None:
    assert quote_starting(seed, "It remains an open question").speaker == "Jake Sullivan"


def test_continued_quote_keeps_speaker(seed: Article) -> None:
    assert quote_starting(seed, "that says a lot about Russia").speaker == "Jake Sullivan"


def test_said_after_quote(seed: Article) -> None:
    assert quote_starting(seed, "as long as it takes").speaker == "Jake Sullivan"


def test_kirby_stop(seed: Article) -> None:
    assert quote_starting(seed, "stop").speaker == "John Kirby"


def test_scare_quote_has_no_speaker(seed: Article) -> None:
    assert quote_starting(seed, "discussions active").speaker is None


def test_people(seed: Article) -> None:
    people = seed.entities.people
    for name in ("Jake Sullivan", "John Kirby", "Vladimir Putin", "Joe Biden", "Kim Jong Un"):
        assert name in people
    assert [p for p in people if p.startswith("Kim")] == ["Kim Jong Un"]


def test_places(seed: Article) -> None:
    for place in ("North Korea", "Russia", "Ukraine", "Moscow", "Pyongyang", "Vladivostok"):
        assert place in seed.entities.places
    assert not set(seed.entities.places) & set(seed.entities.people)


def test_organizations(seed: Article) -> None:
    for org in ("White House", "New York Times"):
        assert org in seed.entities.organizations


def test_committed_record_matches_the_parser(seed: Article) -> None:
    """``articles/`` is what ``newsgen ingest`` makes of ``seeds/``: kept in step."""
    record = Path(__file__).parent.parent / "articles" / f"{seed.slug}.md"
    from newsgen.records import dump_article

    assert record.read_text(encoding="utf-8") == dump_article(seed)


def test_committed_archive_is_what_ingest_makes_of_the_seeds_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file of ``articles/``, the ingest manifest included (it names the parser's
    version): a parser change that does not re-ingest the seeds fails here."""
    from click.testing import CliRunner

    from newsgen.cli import main

    root = Path(__file__).parent.parent
    monkeypatch.chdir(root)
    out = tmp_path / "articles"
    result = CliRunner().invoke(main, ["ingest", "seeds", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output

    def files(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}

    assert files(out) == files(root / "articles")
