"""Quote precision, recall and speaker accuracy on the hand-annotated gold set.

    .venv/bin/python bench/parse_quality.py [GOLD_DIR] [--verbose]

A predicted quote matches a gold quote when, after normalising case, quote marks and
whitespace, one text contains the other and they share most of their words. Precision counts
predicted quotes *with a speaker* (a quote left without one claims nothing); recall counts
gold quotes found at all; speaker accuracy counts matched gold quotes whose speaker agrees
(same canonical name, or one is the other's surname).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from newsgen.model import Quote
from newsgen.parse import parse_raw
from newsgen.parse.boilerplate import article_lines, find_boilerplate

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold"


def norm(text: str) -> str:
    text = re.sub(r"[“”\"‘’'«»]", "", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def same_text(a: str, b: str) -> bool:
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    # Whole words only: the term 's' (as in "the 's' word") is not inside "disgraceful".
    if f" {na} " in f" {nb} " or f" {nb} " in f" {na} ":
        shorter, longer = sorted((na.split(), nb.split()), key=len)
        return len(shorter) >= 0.6 * len(longer)
    return False


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    # A middle initial does not make another person: "Donald J. Trump" is "Donald Trump".
    p, g = (re.sub(r"(?<=\w) \w(?= \w\w)", "", norm(n)) for n in (predicted, gold))
    return p == g or (p.split()[-1:] == g.split()[-1:] and (p in g or g in p))


@dataclass
class Score:
    predicted_with_speaker: int = 0
    correct_predictions: int = 0
    gold: int = 0
    found: int = 0
    speaker_checked: int = 0
    speaker_right: int = 0
    trailer_lines: int = 0
    trailers_left: int = 0


def score_file(
    txt: Path, gold: dict[str, object], score: Score, verbose: bool, boilerplate: frozenset[str]
) -> None:
    article = parse_raw(txt.read_text(encoding="utf-8"), txt.name, boilerplate=boilerplate)
    gold_quotes = [q for q in gold["quotes"] if isinstance(q, dict)]  # type: ignore[attr-defined]
    predicted = list(article.quotes)
    score.gold += len(gold_quotes)
    for quote in predicted:
        if quote.speaker is None:
            continue
        score.predicted_with_speaker += 1
        if any(same_text(quote.text, g["text"]) for g in gold_quotes):
            score.correct_predictions += 1
        elif verbose:
            print(f"  {txt.name} FALSE+ [{quote.speaker}] {quote.text[:90]!r}")
    used: set[int] = set()
    for g in gold_quotes:
        match = _best(predicted, g["text"], used)
        if match is None:
            if verbose:
                print(f"  {txt.name} MISSED [{g['speaker']}] {g['text'][:90]!r}")
            continue
        score.found += 1
        score.speaker_checked += 1
        if same_speaker(match.speaker, g["speaker"]):
            score.speaker_right += 1
        elif verbose:
            print(f"  {txt.name} SPEAKER {match.speaker!r} != {g['speaker']!r}: {g['text'][:60]!r}")
    body_lines = {line.strip() for line in article.body.splitlines()}
    for line in gold["trailers"]:  # type: ignore[attr-defined]
        score.trailer_lines += 1
        if line.strip() in body_lines or f"## {line.strip()}" in body_lines:
            score.trailers_left += 1
            if verbose:
                print(f"  {txt.name} TRAILER LEFT {line[:80]!r}")


def _best(predicted: list[Quote], text: str, used: set[int]) -> Quote | None:
    """The first predicted quote of this text that no earlier gold quote was matched with,
    else the first of this text at all. Words quoted twice in an article by two speakers are
    two gold quotes and two predictions: each is held to its own, in order (the second was
    held to the first's speaker before)."""
    same = [i for i, q in enumerate(predicted) if same_text(q.text, text)]
    if not same:
        return None
    first = next((i for i in same if i not in used), same[0])
    used.add(first)
    return predicted[first]


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    folder = Path(next((a for a in argv if not a.startswith("--")), GOLD))
    score = Score()
    files = sorted(folder.glob("*.gold.json"))
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    texts = [(folder / gold["file"]).read_text(encoding="utf-8") for gold in golds]
    # As `newsgen ingest` of this folder would: the site furniture its files share.
    boilerplate = find_boilerplate(article_lines(text) for text in texts)
    for gold in golds:
        score_file(folder / gold["file"], gold, score, verbose, boilerplate)
    precision = score.correct_predictions / max(score.predicted_with_speaker, 1)
    recall = score.found / max(score.gold, 1)
    accuracy = score.speaker_right / max(score.speaker_checked, 1)
    print(f"gold articles        {len(files)}")
    print(f"gold quotes          {score.gold}")
    print(f"quote precision      {precision:.3f}  (target >= 0.97)")
    print(f"quote recall         {recall:.3f}  (target >= 0.95)")
    print(f"speaker accuracy     {accuracy:.3f}  (target >= 0.92)")
    print(f"trailer lines left   {score.trailers_left} of {score.trailer_lines}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
