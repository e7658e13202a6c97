"""``newsgen ingest`` end to end through Click's CliRunner, on small projects in tmp folders."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsgen.cli import main
from newsgen.dedupe import fingerprint
from newsgen.ingest import parse_file
from newsgen.records import load_article

ARTICLE = "Harbour reopens after the storm\n\nThe harbour reopened on Monday, officials said.\n"


def run(project: Path, *args: str) -> Result:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, ["ingest", *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def records(project: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (project / "articles").glob("*.md")}


def test_defaults_seeds_to_articles(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "a.txt", ARTICLE)
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert list(records(tmp_path)) == ["harbour-reopens-after-the-storm.md"]
    assert "1 written" in result.output


def test_second_run_rewrites_nothing(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "a.txt", ARTICLE)
    run(tmp_path)
    record = tmp_path / "articles" / "harbour-reopens-after-the-storm.md"
    before = record.stat().st_mtime_ns
    result = run(tmp_path)
    assert "0 written, 1 unchanged" in result.output
    assert record.stat().st_mtime_ns == before


def test_folder_gives_topic(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "politics" / "a.txt", ARTICLE)
    run(tmp_path)
    record = tmp_path / "articles" / "harbour-reopens-after-the-storm.md"
    assert load_article(record.read_text(encoding="utf-8"), "x").topics == ("politics",)


def test_hand_edited_record_is_kept_unless_forced(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "a.txt", ARTICLE)
    run(tmp_path)
    record = tmp_path / "articles" / "harbour-reopens-after-the-storm.md"
    edited = record.read_text(encoding="utf-8").replace("topics: []", "topics:\n- Weather")
    record.write_text(edited, encoding="utf-8")
    write(tmp_path / "seeds" / "a.txt", ARTICLE + "\nA second paragraph was added later.\n")

    result = run(tmp_path)
    assert "edited by hand" in result.output
    assert record.read_text(encoding="utf-8") == edited

    run(tmp_path, "--force")
    forced = load_article(record.read_text(encoding="utf-8"), "x")
    assert "second paragraph" in forced.body
    assert forced.topics == ("Weather",)


def test_exact_duplicate_is_reported_and_skipped(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "a.txt", ARTICLE)
    write(tmp_path / "seeds" / "b.txt", ARTICLE.replace("\n", "\r\n"))
    result = run(tmp_path)
    assert "b.txt: exact duplicate of" in result.output
    assert len(records(tmp_path)) == 1


def test_near_duplicate_points_to_the_original(tmp_path: Path) -> None:
    body = " ".join(f"Sentence number {i} tells of the storm and the harbour." for i in range(40))
    write(tmp_path / "seeds" / "a.txt", f"Storm closes harbour\n\n{body}\n")
    write(tmp_path / "seeds" / "b.txt", f"Harbour shut by storm\n\n{body} One more line.\n")
    run(tmp_path)
    copy = load_article(records(tmp_path)["harbour-shut-by-storm.md"], "x")
    assert copy.duplicate_of == "storm-closes-harbour"


def test_fingerprints_estimate_the_share_of_trigrams_two_bodies_have_in_common() -> None:
    # Pairs of 300-word bodies whose true trigram Jaccard runs from 0.2 to 1: with 64
    # permutations one estimate is off by about 0.05, the mean of 60 by far less, and a
    # hash that clusters (or ignores word order) would be off by far more.
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(3000)]
    errors, order_blind = [], []
    for pair in range(60):
        first = rng.choices(vocabulary, k=300)
        second = [w if rng.random() > pair / 100 else rng.choice(vocabulary) for w in first]
        truth = _jaccard(_trigrams(first), _trigrams(second))
        estimate = fingerprint(" ".join(first)).jaccard(fingerprint(" ".join(second)))
        errors.append(abs(estimate - truth))
        shuffled = first[1::2] + first[::2]  # the same words, every trigram new
        order_blind.append(fingerprint(" ".join(first)).jaccard(fingerprint(" ".join(shuffled))))
    assert sum(errors) / len(errors) < 0.05
    assert max(order_blind) < 0.1


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    return set(zip(words, words[1:], words[2:], strict=False))


def _jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b)


def test_same_headline_gets_a_distinct_slug(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "a.txt", ARTICLE)
    write(tmp_path / "seeds" / "b.txt", ARTICLE.replace("Monday", "Tuesday, a day late"))
    run(tmp_path)
    names = sorted(records(tmp_path))
    assert len(names) == 2
    assert "harbour-reopens-after-the-storm.md" in names  # the first by origin keeps it


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "binary file skipped"),
        ("empty.txt", b"   \n\n", "empty article"),
        ("huge.txt", b"Headline\n\n" + b"word " * 2_200_000, "file too large"),
        ("only-title.txt", b"Just a headline\n", "no article body"),
    ],
)
def test_bad_file_gets_one_clear_line_and_others_still_ingest(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    write(tmp_path / "seeds" / "good.txt", ARTICLE)
    write(tmp_path / "seeds" / name, content)
    result = run(tmp_path)
    assert result.exit_code == 1
    assert f"seeds/{name}" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert len(records(tmp_path)) == 1


def test_invalid_utf8_is_read_as_cp1252_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "a.txt", b"Caf\xe9 opens\n\nThe caf\xe9 opened today.\n")
    result = run(tmp_path)
    assert result.exit_code == 0
    assert "a.txt:1: not valid UTF-8" in result.output
    assert "café opened" in records(tmp_path)["cafe-opens.md"]


def test_symlink_outside_sources_is_skipped(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", "Secret headline\n\nThe password is hunter2.\n")
    write(tmp_path / "seeds" / "good.txt", ARTICLE)
    (tmp_path / "seeds" / "link.txt").symlink_to(secret)
    result = run(tmp_path)
    assert "link.txt: symlink to outside" in result.output
    assert not any("hunter2" in text for text in records(tmp_path).values())


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "good.txt", ARTICLE)
    (tmp_path / "seeds" / "loop").symlink_to(tmp_path / "seeds")
    result = run(tmp_path)
    assert result.exit_code == 0
    assert len(records(tmp_path)) == 1


def test_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 000 does not stop root (CI runs as root), so the read itself is made to fail.
    locked = write(tmp_path / "seeds" / "locked.txt", ARTICLE)
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    parsed = parse_file(locked, tmp_path / "seeds", {})
    assert parsed.error == f"{locked}: cannot read: Permission denied"


def test_sources_are_never_modified(tmp_path: Path) -> None:
    source = write(tmp_path / "seeds" / "a.txt", b"\xef\xbb\xbfTitle\r\n\r\nBody text here.\r\n")
    before = source.read_bytes()
    run(tmp_path)
    assert source.read_bytes() == before


def test_output_is_deterministic(tmp_path: Path) -> None:
    seeds = Path(__file__).parent / "data" / "raw"
    outputs = []
    for name in ("one", "two"):
        project = tmp_path / name
        for raw in seeds.glob("*.txt"):
            write(project / "seeds" / raw.name, raw.read_bytes())
        run(project)
        outputs.append(records(project))
    assert outputs[0] == outputs[1]


def test_version_and_help() -> None:
    runner = CliRunner()
    assert "newsgen" in runner.invoke(main, ["--version"]).output
    assert "Examples" in runner.invoke(main, ["ingest", "--help"]).output
