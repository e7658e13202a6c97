"""The 40 bad-input cases of RELIABILITY.md, one specification file each.

Each ``tests/data/reliability/NN-name.txtar`` is a small project and, in its header, what must
happen when it is built (or ingested):

    command: build | ingest        what to run (default build)
    args: --strict                 extra arguments; repeat the key to run the case once each
    exit: 1                        the exit code
    says: articles/x.md:3:9: ...   text the output must contain (repeatable)
    site: kept | replaced          the previous site (a newsgen site at site/) afterwards
    has: articles/x/index.html     a file the new site must have (repeatable)
    lacks: SECRET                  text no built file may contain (repeatable)
    parses: feed.xml               a built XML file that must parse
    seconds: 2                     the run must finish within this (hangs, bombs)
    symlink: articles/a.md -> ../secret.txt
    chmod: articles/a.md 000
    privileges: dropped            run without CAP_DAC_OVERRIDE, so chmod binds even root

In ``says`` and ``lacks``, Python escapes (``\\r``, ``\\x00``, ``\\ufeff``) stand for characters.

Every case also checks what no case may do: change a source file, write outside the project
(a canary file one level above the output folder, and one above the project, stay as they
were), or leave temporary folders. A build that reports any problem is run again with
``--strict``, which must keep the previous site byte for byte.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgen import fs
from newsgen.cli import main
from tests import txtar
from tests.tools import without_dac_override

CASES = sorted((Path(__file__).parent / "data" / "reliability").glob("*.txtar"))
PREVIOUS = {"index.html": b"<p>the previous site</p>\n", "old/index.html": b"old page\n"}
EPOCH = "1735603200"  # 2024-12-31: the cases' "today"


@dataclass(frozen=True)
class Run:
    exit_code: int
    output: str
    seconds: float


def _tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in skip or path.is_symlink() or not path.is_file():
            continue
        try:
            found[rel] = path.read_bytes()
        except OSError:  # the case's unreadable file: compared by its mode below
            found[rel] = oct(path.stat().st_mode).encode()
    return found


def _run(project: Path, args: list[str], dropped: bool, monkeypatch: pytest.MonkeyPatch) -> Run:
    started = time.monotonic()
    if dropped:
        # As root, permission bits bind only without CAP_DAC_OVERRIDE: drop it for this run.
        prefix = without_dac_override()
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "newsgen", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return Run(done.returncode, done.stdout + done.stderr, time.monotonic() - started)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash is a failure, whatever the case expects
    return Run(result.exit_code, result.output, time.monotonic() - started)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = txtar.parse(case.read_text(encoding="utf-8"))
    project = tmp_path / "project"
    project.mkdir()
    txtar.expand(spec, project)
    for link in spec.all("symlink"):
        name, target = (part.strip() for part in link.split("->"))
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, project / name)
    for change in spec.all("chmod"):
        name, mode = change.split()
        os.chmod(project / name, int(mode, 8))
    command = spec.one("command", "build")
    site = project / "site"
    fs.write_site(site, PREVIOUS)
    previous = _tree(site)
    canaries = {tmp_path / "canary.txt": b"above the project\n", project / "canary.txt": b"c\n"}
    for path, data in canaries.items():
        path.write_bytes(data)
    outputs = ("site", "articles") if command == "ingest" else ("site",)
    # The build lock and the previous site kept for the next build (the spare) live beside
    # the output; the build cache (issue 6) in the project.
    outputs = (*outputs, ".site.lock", ".site.spare", ".newsgen-cache")
    sources = _tree(project, skip=outputs)
    top_level = {p.name for p in project.iterdir()}
    try:
        for extra in spec.all("args") or [""]:
            args = [command, *shlex.split(extra)]
            dropped = spec.one("privileges") == "dropped"
            run = _run(project, args, dropped, monkeypatch)
            _check(spec, run, site, previous)
            reported = re.search(r"^(error|warning): ", run.output, re.MULTILINE)
            if command == "build" and spec.one("site") == "replaced" and reported:
                before = _tree(site)
                strict = _run(project, [*args, "--strict"], dropped, monkeypatch)
                assert strict.exit_code == 1, strict.output
                assert _tree(site) == before, "--strict replaced the site despite problems"
    finally:
        for change in spec.all("chmod"):
            os.chmod(project / change.split()[0], 0o644)
    # What no case may do.
    after = _tree(project, skip=outputs)
    changed = sorted(k for k in after.keys() | sources.keys() if after.get(k) != sources.get(k))
    assert not changed, f"source files changed: {changed}"
    for path, data in canaries.items():
        assert path.read_bytes() == data, f"{path} changed"
    assert {p.name for p in tmp_path.iterdir()} == {"project", "canary.txt"}
    new = {p.name for p in project.iterdir()} - top_level
    assert new <= {"site", ".site.lock", *outputs}, f"written beside the output: {new}"
    assert not list(project.glob(".site.*-*")), "a temporary folder was left behind"


def _check(spec: txtar.Archive, run: Run, site: Path, previous: dict[str, bytes]) -> None:
    assert run.exit_code == int(spec.one("exit", "0")), run.output
    for text in map(_unescape, spec.all("says")):
        assert text in run.output, f"{text!r} not in:\n{run.output}"
    if spec.header.get("seconds"):
        assert run.seconds < float(spec.one("seconds")), f"took {run.seconds:.1f} s"
    expected_site = spec.one("site")
    built = _tree(site)
    if expected_site == "kept":
        assert built == previous, "the previous site changed"
    elif expected_site == "replaced":
        assert built != previous and fs.MARKER in built, run.output
        assert "old/index.html" not in built
    for name in spec.all("has"):
        assert name in built, f"{name} not built; built: {sorted(built)[:20]}"
    for text in map(_unescape, spec.all("lacks")):
        leaks = [n for n, data in built.items() if text.encode() in data and not _is_index(n)]
        assert not leaks, f"{text!r} found in {leaks}"
    for name in spec.all("parses"):
        ET.fromstring(built[name])


def _unescape(value: str) -> str:
    return value.encode("ascii", "backslashreplace").decode("unicode_escape")


def _is_index(name: str) -> bool:
    """Pagefind's index files are compressed bytes: a short text may occur in them by chance."""
    return name.startswith("pagefind/")
