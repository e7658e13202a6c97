"""Parser golden pairs: each ``tests/data/raw/NAME.txt`` beside ``NAME.expected.md``.

One small fixture per real-world quirk. The raw file is read as bytes, as ingest reads it,
so encodings, BOMs and line endings are part of the fixture. Regenerate on purpose with
``pytest --update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.parse import parse_raw
from newsgen.parse.text import decode
from newsgen.records import dump_article

RAW = Path(__file__).parent / "data" / "raw"
CASES = sorted(RAW.glob("*.txt"))


@pytest.mark.parametrize("raw", CASES, ids=[p.stem for p in CASES])
def test_raw_article_parses_to_expected_record(raw: Path, update_golden: bool) -> None:
    decoded = decode(raw.read_bytes(), raw.name)
    record = dump_article(parse_raw(decoded.text, raw.name))
    expected = raw.with_suffix(".expected.md")
    if update_golden or not expected.exists():
        expected.write_text(record, encoding="utf-8")
    assert record == expected.read_text(encoding="utf-8")


def test_there_is_a_fixture_per_quirk() -> None:
    assert len(CASES) >= 20
