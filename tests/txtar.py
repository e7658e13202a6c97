"""Small projects written as one text, like Hugo's txtar tests: a header, then files.

    # comment lines and `key: value` lines: the case's expectations (repeatable keys)
    -- articles/a.md --
    the file's text, up to the next `-- path --` line
    -- articles/huge.md (python) --
    "---\\ntitle: x\\n---\\n" + "x" * 50_000_000

A file marked ``(python)`` holds a Python expression giving its ``str`` or ``bytes``: for bytes
no editor keeps (BOMs, NULs, invalid UTF-8, CR) and for sizes no one should read.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

_FILE = re.compile(r"^-- (?P<path>\S+?)(?P<python> \(python\))? --$", re.MULTILINE)


@dataclass(frozen=True)
class Archive:
    header: dict[str, list[str]]
    files: dict[str, bytes]

    def one(self, key: str, default: str = "") -> str:
        values = self.header.get(key, [default])
        assert len(values) == 1, f"{key} is given {len(values)} times"
        return values[0]

    def all(self, key: str) -> list[str]:
        return self.header.get(key, [])


def parse(text: str) -> Archive:
    marks = list(_FILE.finditer(text))
    head = text[: marks[0].start()] if marks else text
    header: dict[str, list[str]] = {}
    for line in head.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        assert sep, f"header line without a colon: {line!r}"
        header.setdefault(key.strip(), []).append(value.strip())
    files: dict[str, bytes] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = text[mark.end() + 1 : following.start() if following else len(text)]
        if mark["python"]:
            value = eval(compile(ast.parse(body, mode="eval"), mark["path"], "eval"))  # test data
            files[mark["path"]] = value if isinstance(value, bytes) else value.encode("utf-8")
        else:
            files[mark["path"]] = body.encode("utf-8")
    return Archive(header, files)


def expand(archive: Archive, root: Path) -> None:
    """Write the archive's files under ``root``."""
    for name, data in archive.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
