"""Re-ingest parses only what changed: the manifest remembers each raw file by content hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import ingest as recipe
from newsgen.ingest import MANIFEST_NAME, Report, indented_json, ingest
from newsgen.model import Article
from newsgen.parse import parse_raw
from newsgen.records import load_article

STORM = "Harbour reopens after the storm\n\nThe harbour reopened on Monday, officials said.\n"
BRIDGE = "Bridge closed for repairs\n\nThe bridge will be closed until June, the council said.\n"
BODY = " ".join(f"Sentence number {i} tells of the storm and the harbour." for i in range(40))


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The origins parse_raw is called for (ingest parses in-process below 64 files)."""
    calls: list[str] = []
    real = parse_raw

    def counting(text: str, origin: str, *args: object, **kwargs: object) -> Article:
        calls.append(origin)
        return real(text, origin, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(recipe, "parse_raw", counting)
    return calls


def project(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    seeds, out = tmp_path / "seeds", tmp_path / "articles"
    for name, text in files.items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text(text, encoding="utf-8")
    return seeds, out


def records(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.md"))}


def run(seeds: Path, out: Path, parsed: list[str], **options: object) -> Report:
    parsed.clear()
    return ingest([seeds], out, **options)  # type: ignore[arg-type]


def test_unchanged_reingest_parses_nothing_and_rewrites_nothing(
    tmp_path: Path, parsed: list[str]
) -> None:
    seeds, out = project(tmp_path, {"a.txt": STORM, "b.txt": BRIDGE})
    run(seeds, out, parsed)
    assert sorted(parsed) == ["a.txt", "b.txt"]
    before = records(out)

    report = run(seeds, out, parsed)
    assert parsed == []
    assert report.unchanged == 2 and report.written == []
    assert records(out) == before


def test_a_changed_file_is_parsed_again(tmp_path: Path, parsed: list[str]) -> None:
    seeds, out = project(tmp_path, {"a.txt": STORM, "b.txt": BRIDGE})
    run(seeds, out, parsed)
    (seeds / "a.txt").write_text(STORM + "\nShips queued outside all night.\n", encoding="utf-8")

    report = run(seeds, out, parsed)
    assert parsed == ["a.txt"]
    assert len(report.written) == 1 and report.unchanged == 1
    assert "queued outside" in records(out)["harbour-reopens-after-the-storm.md"]


def test_a_new_parser_version_parses_everything_again(
    tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, out = project(tmp_path, {"a.txt": STORM, "b.txt": BRIDGE})
    run(seeds, out, parsed)
    monkeypatch.setattr(recipe, "PARSER_VERSION", recipe.PARSER_VERSION + "-next")

    report = run(seeds, out, parsed)
    assert sorted(parsed) == ["a.txt", "b.txt"]
    assert report.unchanged == 2  # parsed again, and the same records came out
    run(seeds, out, parsed)
    assert parsed == []  # and remembered under the new version


def test_new_topic_rules_parse_everything_again(tmp_path: Path, parsed: list[str]) -> None:
    seeds, out = project(tmp_path, {"a.txt": STORM, "b.txt": BRIDGE})
    run(seeds, out, parsed)

    report = run(seeds, out, parsed, rules={"Transport": ["bridge"]})
    assert sorted(parsed) == ["a.txt", "b.txt"]
    assert report.written == [str(out / "bridge-closed-for-repairs.md")]
    topics = load_article(records(out)["bridge-closed-for-repairs.md"], "x").topics
    assert topics == ("Transport",)


def test_a_deleted_record_is_parsed_and_written_again(tmp_path: Path, parsed: list[str]) -> None:
    seeds, out = project(tmp_path, {"a.txt": STORM, "b.txt": BRIDGE})
    run(seeds, out, parsed)
    before = records(out)
    (out / "bridge-closed-for-repairs.md").unlink()

    report = run(seeds, out, parsed)
    assert parsed == ["b.txt"]
    assert report.written == [str(out / "bridge-closed-for-repairs.md")]
    assert records(out) == before


def test_a_hand_edited_record_is_still_noticed_and_kept(tmp_path: Path, parsed: list[str]) -> None:
    seeds, out = project(tmp_path, {"a.txt": STORM})
    run(seeds, out, parsed)
    record = out / "harbour-reopens-after-the-storm.md"
    edited = record.read_text(encoding="utf-8").replace("Monday", "Tuesday")
    record.write_text(edited, encoding="utf-8")

    report = run(seeds, out, parsed)
    assert parsed == ["a.txt"]
    assert "edited by hand" in report.kept_edited[0]
    assert record.read_text(encoding="utf-8") == edited


def test_a_cached_article_learns_of_a_new_original(tmp_path: Path, parsed: list[str]) -> None:
    seeds, out = project(tmp_path, {"b.txt": f"Harbour shut by storm\n\n{BODY} More.\n"})
    run(seeds, out, parsed)
    (seeds / "a.txt").write_text(f"Storm closes harbour\n\n{BODY}\n", encoding="utf-8")

    report = run(seeds, out, parsed)
    assert parsed == ["a.txt", "b.txt"]  # b unchanged, but its record must now say more
    copy = load_article(records(out)["harbour-shut-by-storm.md"], "x")
    assert copy.duplicate_of == "storm-closes-harbour"
    assert len(report.written) == 2


def test_a_damaged_manifest_means_parsing_again(tmp_path: Path, parsed: list[str]) -> None:
    seeds, out = project(tmp_path, {"a.txt": STORM})
    run(seeds, out, parsed)
    manifest = out / MANIFEST_NAME
    manifest.write_text(manifest.read_text().replace('"fingerprint": "', '"fingerprint": "!'))

    report = run(seeds, out, parsed)
    assert parsed == ["a.txt"]
    assert report.unchanged == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_the_manifest_is_written_as_json_with_one_space_of_indent(value: object) -> None:
    assert indented_json(value) == json.dumps(value, indent=1, ensure_ascii=False)


def test_the_parser_tables_are_loaded_before_forking_only_when_something_will_be_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    real = recipe.load_parser_tables

    def recorded() -> None:
        loads.append("loaded")
        real()

    monkeypatch.setattr(recipe, "load_parser_tables", recorded)
    count = recipe.PARALLEL_THRESHOLD  # enough files for forked workers
    files = {
        f"t/{i:03d}.txt": f"Storm number {i} closes the harbour\n\n{BODY}\n" for i in range(count)
    }
    seeds, out = project(tmp_path, files)
    assert len(ingest([seeds], out).written) == count
    assert loads == ["loaded"]  # once, in this process: the workers fork with the tables
    assert ingest([seeds], out).unchanged == count
    assert loads == ["loaded"]  # an unchanged re-ingest parses nothing and loads nothing
    (seeds / "t" / "new.txt").write_text(f"A new storm\n\n{BODY} New.\n", encoding="utf-8")
    assert len(ingest([seeds], out).written) == 1
    assert loads == ["loaded", "loaded"]
