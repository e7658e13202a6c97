"""Records parsed in worker processes: the same articles, errors and warnings, in order."""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen import fs, parsejob
from newsgen.build import BuildResult
from newsgen.cache import BuildCache
from newsgen.errors import NewsgenError
from newsgen.parsejob import PARALLEL_FROM, parse_records, ranges
from tests.helpers import FIXTURE, build_fixture

CODE = "code digest"
BROKEN = {
    "bad-yaml.md": "---\ntitle: a: b\nslug: x\n---\nBody.\n",
    "unclosed.md": "---\ntitle: T\nslug: y\n",
    "nested.md": "---\ntitle: T\nslug: z\n---\n" + "  " * 80 + "- deep\n",
    "typo.md": "---\ntitle: T\nslug: w\ntitel: oops\n---\nBody.\n",  # a warning, not an error
}


def _records() -> list[fs.SourceText]:
    """Enough records for workers: the fixture's, renamed, with broken ones among them."""
    sources = sorted((FIXTURE / "articles").glob("*.md"))
    texts: list[fs.SourceText] = []
    for n in range(PARALLEL_FROM + 50):
        path = sources[n % len(sources)]
        text = path.read_text(encoding="utf-8").replace("slug: ", f"slug: n{n}-", 1)
        texts.append(fs.SourceText(f"articles/{n:04d}-{path.name}", text))
        if n % 97 == 0:
            name, broken = list(BROKEN.items())[n // 97 % len(BROKEN)]
            texts.append(fs.SourceText(f"articles/{n:04d}-{name}", broken))
    return texts


def _comparable(results: Sequence[object]) -> list[object]:
    return [
        ("error", r.message, r.path, r.line, r.column) if isinstance(r, NewsgenError) else r[0]
        for r in results
        if isinstance(r, NewsgenError | tuple)
    ]


def _warnings(results: Sequence[object]) -> list[tuple[str, str | None, int | None]]:
    return [(w.message, w.path, w.line) for r in results if isinstance(r, tuple) for w in r[1]]


def test_records_parsed_by_workers_are_those_parsed_in_the_build_process() -> None:
    texts = _records()
    serial = parse_records(texts, 1, CODE)
    parallel = parse_records(texts, 2, CODE)
    assert _comparable(parallel) == _comparable(serial)
    assert _warnings(parallel) == _warnings(serial)
    errors = [r for r in parallel if isinstance(r, NewsgenError)]
    assert len(errors) >= 3 and all(e.path and e.line for e in errors)  # located, with lines
    assert any("titel" in w[0] for w in _warnings(parallel))


def test_workers_leave_no_process_behind() -> None:
    parse_records(_records(), 2, CODE)
    assert multiprocessing.active_children() == []


@given(st.integers(0, 5000), st.integers(1, 64))
def test_ranges_cover_every_item_once_in_order(count: int, parts: int) -> None:
    cut = ranges(count, parts)
    assert [i for a, b in cut for i in range(a, b)] == list(range(count))
    assert len(cut) <= parts
    sizes = [b - a for a, b in cut]
    assert not sizes or max(sizes) - min(sizes) <= 1


def test_a_build_that_parses_in_workers_writes_the_same_site_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns(".newsgen-cache"))
    for name, text in BROKEN.items():
        (project / "articles" / name).write_text(text, encoding="utf-8")
    serial = build_fixture(tmp_path / "serial", project, jobs=1, cache=False, search=False)
    monkeypatch.setattr(parsejob, "PARALLEL_FROM", 1)
    parallel = build_fixture(tmp_path / "parallel", project, jobs=2, cache=False, search=False)

    def report(result: BuildResult) -> list[tuple[str, str | None, int | None]]:
        return [(e.message, e.path, e.line) for e in (*result.errors, *result.warnings)]

    assert report(parallel) == report(serial) and len(serial.errors) == 3
    files = sorted(p.relative_to(tmp_path / "serial") for p in (tmp_path / "serial").rglob("*"))
    assert files == sorted(
        p.relative_to(tmp_path / "parallel") for p in (tmp_path / "parallel").rglob("*")
    )
    for rel in files:
        if (tmp_path / "serial" / rel).is_file():
            assert (tmp_path / "serial" / rel).read_bytes() == (
                tmp_path / "parallel" / rel
            ).read_bytes()


def test_a_listed_source_is_read_hashed_and_parsed_by_the_worker(tmp_path: Path) -> None:
    """A first build's sources come listed, not read (``Sources.unhashed``): the worker
    reads each, hashes the text it parses, and reports what reading found as the build's
    process would have."""
    files = {
        "good.md": (FIXTURE / "articles" / "02-inflation.md").read_bytes(),
        "bad-yaml.md": BROKEN["bad-yaml.md"].encode(),
        "binary.md": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "latin1.md": "---\ntitle: Caf\xe9\nslug: c\n---\nBody.\n".encode("latin-1"),
    }
    listed = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        listed.append(fs.SourceText(f"articles/{name}", "", "", str(tmp_path / name)))
    good, bad, binary, latin1 = parse_records(listed, 1, CODE)
    text = files["good.md"].decode("utf-8")
    assert isinstance(good, parsejob.FirstRead) and good.parsed is not None
    read, parsed = good.parsed
    assert read.digest == BuildCache(None, CODE).record_digest("articles/good.md", text)
    assert parsed == parsejob.parse_one("articles/good.md", text)
    assert (good.errors, good.warnings) == ((), ())
    assert isinstance(bad, parsejob.FirstRead) and bad.parsed is not None
    assert isinstance(bad.parsed[1], NewsgenError)
    assert bad.parsed[1].path == "articles/bad-yaml.md"
    assert isinstance(binary, parsejob.FirstRead) and binary.parsed is None
    assert [w.message for w in binary.warnings] == ["binary file skipped"]
    assert isinstance(latin1, parsejob.FirstRead) and latin1.parsed is None
    assert [(e.message, e.path) for e in latin1.errors] == [
        ("not UTF-8 at byte offset 14", "articles/latin1.md")
    ]
