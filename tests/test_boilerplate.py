"""Site furniture found across the files of one ingest (parse/boilerplate.py)."""

from __future__ import annotations

from pathlib import Path

from newsgen.ingest import ingest
from newsgen.parse import parse_raw
from newsgen.parse.boilerplate import article_lines, find_boilerplate, line_key

PROMO = "Bitcoin Searches Exceed Trump! Blockchain Stocks Are Next!"


def article(title: str, *body: str) -> str:
    return "\n".join([title, *body]) + "\n"


def test_a_line_in_three_differently_headlined_articles_is_furniture() -> None:
    texts = [article(f"Story {n}", PROMO, f"Body of story {n}.") for n in range(3)]
    assert find_boilerplate(map(article_lines, texts)) == {line_key(PROMO)}


def test_two_articles_sharing_a_line_are_not_enough() -> None:
    texts = [article(f"Story {n}", PROMO, f"Body {n}.") for n in range(2)]
    assert find_boilerplate(map(article_lines, texts)) == frozenset()


def test_syndicated_copies_with_one_headline_share_nothing_that_counts() -> None:
    texts = [article("Same story", PROMO, "The same body.") for _ in range(5)]
    assert find_boilerplate(map(article_lines, texts)) == frozenset()


def test_case_and_spacing_do_not_hide_a_repeated_line() -> None:
    texts = [
        article("A", PROMO),
        article("B", PROMO.upper()),
        article("C", "  ".join(PROMO.split())),
    ]
    assert find_boilerplate(map(article_lines, texts)) == {line_key(PROMO)}


def test_furniture_is_dropped_from_the_body_but_a_repeated_byline_is_kept() -> None:
    furniture = find_boilerplate(
        map(article_lines, [article(f"S{n}", "By Lisa Haven", PROMO, "x.") for n in range(3)])
    )
    parsed = parse_raw(
        article("Storm hits coast", "By Lisa Haven", PROMO, "The storm hit the coast."),
        "a.txt",
        boilerplate=furniture,
    )
    assert PROMO not in parsed.body
    assert parsed.byline == "Lisa Haven"
    assert "The storm hit the coast." in parsed.body


def test_furniture_never_empties_an_article() -> None:
    furniture = frozenset({line_key("Line one."), line_key("Line two.")})
    parsed = parse_raw(
        article("Title here", "Line one.", "Line two."), "a.txt", boilerplate=furniture
    )
    assert "Line one." in parsed.body


def test_ingest_leaves_the_sites_furniture_out_of_every_record(tmp_path: Path) -> None:
    seeds, out = tmp_path / "seeds", tmp_path / "articles"
    seeds.mkdir()
    for n, title in enumerate(["Storm hits coast", "Council votes", "Team wins cup"]):
        (seeds / f"{n}.txt").write_text(article(title, PROMO, f"Story number {n} is here."))
    report = ingest([seeds], out)
    assert report.furniture_lines == 1
    records = [p.read_text(encoding="utf-8") for p in sorted(out.glob("*.md"))]
    assert len(records) == 3
    assert all("Blockchain" not in record for record in records)


def test_a_new_file_that_makes_a_line_furniture_updates_the_cached_records(
    tmp_path: Path,
) -> None:
    seeds, out = tmp_path / "seeds", tmp_path / "articles"
    seeds.mkdir()
    titles = ["Storm hits coast", "Council votes", "Team wins cup"]
    for n, title in enumerate(titles[:2]):
        (seeds / f"{n}.txt").write_text(article(title, PROMO, f"Story number {n} is here."))
    ingest([seeds], out)
    assert all("Blockchain" in p.read_text(encoding="utf-8") for p in out.glob("*.md"))

    (seeds / "2.txt").write_text(article(titles[2], PROMO, "Story number 2 is here."))
    report = ingest([seeds], out)
    assert report.furniture_lines == 1
    assert len(report.written) == 3  # the two cached records were parsed again
    assert all("Blockchain" not in p.read_text(encoding="utf-8") for p in out.glob("*.md"))
