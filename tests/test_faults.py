"""Faults from RELIABILITY.md: kill -9 mid-build (#3), disk full (#5), a read-only or forbidden
output parent (#6) and two builds at once (#7). Each runs the real command in a subprocess.

The live site must always be one whole build, old or new; leftovers are cleaned by the next
build. The kill points come from a seeded generator (NEWSGEN_FAULT_SEED to vary them).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from newsgen import fs
from tests.helpers import PAGEFIND_UNSTABLE
from tests.tools import without_dac_override

EPOCH = "1735603200"
TOPICS = ("Politics", "Economy", "Health", "Science", "Sport")


def write_records(articles: Path, count: int, edition: str, body_words: int = 12) -> None:
    """``count`` small records; each ``edition`` changes every title, so every page differs."""
    articles.mkdir(parents=True, exist_ok=True)
    words = " ".join(["word"] * body_words)
    for n in range(count):
        date = f"{2015 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        (articles / f"{n:05d}.md").write_text(
            f"---\ntitle: Article {n} ({edition})\nslug: article-{n}\ndate: {date}\n"
            f"topics: [{TOPICS[n % len(TOPICS)]}]\n---\nParagraph of article {n}: {words}.\n",
            encoding="utf-8",
        )


def digest(site: Path) -> dict[str, str]:
    """Every file of a site by path, as a SHA-256: equal digests mean identical trees.

    The search index's filter files are left out: Pagefind writes them in a different order
    on each run (Pagefind issue #638), so two whole builds of one edition differ there.
    """
    return {
        name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not PAGEFIND_UNSTABLE.fullmatch(name := p.relative_to(site).as_posix())
    }


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsgen", "build", *args]


def run(
    project: Path, *args: str, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [*prefix, *command(*args)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def staging_started(project: Path) -> bool:
    """Whether the build has written into its staging folder. A folder may vanish while it is
    listed (the lock's probe folder is made and removed at once): then not yet."""
    try:
        return any(project.glob(".site.tmp-*/*"))
    except FileNotFoundError:
        return False


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.glob(".site.*-*"))


def test_kill_9_at_random_points_never_damages_the_live_site(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_records(project / "articles", 2000, "first edition")
    started = time.monotonic()
    assert run(project).returncode == 0
    seconds = time.monotonic() - started
    site = project / "site"
    first = digest(site)
    write_records(project / "articles", 2000, "second edition")
    rng = random.Random(int(os.environ.get("NEWSGEN_FAULT_SEED", "7")))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    states, mid_write = [], 0
    for _ in range(10):
        build = subprocess.Popen(
            command(), cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # Anywhere from start-up to just past the expected end, swap included.
        time.sleep(rng.uniform(0.05, 1.05) * seconds)
        build.send_signal(signal.SIGKILL)
        build.wait()
        mid_write += bool(leftovers(project))
        states.append(digest(site))
        assert states[-1], "the live site is missing after a kill"
    left = leftovers(project)
    final = run(project)
    assert final.returncode == 0, final.stderr
    for name in left:
        assert f"removed {project / name}, left by an interrupted build" in final.stdout
    assert leftovers(project) == []
    second = digest(site)
    assert first != second
    for state in states:  # every observed site was one whole build: never a mix, never partial
        assert state in (first, second)
    print(f"\nkill -9: 10 of 10 trials left a whole site; {mid_write} killed while writing")


def test_kill_9_while_writing_and_swapping_never_damages_the_live_site(tmp_path: Path) -> None:
    # The random points above seldom land in the short write phase: here every kill does.
    project = tmp_path / "p"
    write_records(project / "articles", 300, "first edition")
    assert run(project).returncode == 0
    first = digest(project / "site")
    write_records(project / "articles", 300, "second edition")
    rng = random.Random(int(os.environ.get("NEWSGEN_FAULT_SEED", "7")))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    states, in_write = [], 0
    for _ in range(10):
        build = subprocess.Popen(
            command(), cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while build.poll() is None and not staging_started(project):
            time.sleep(0.002)  # until the first files of the new site are written
        time.sleep(rng.uniform(0, 0.15))
        build.send_signal(signal.SIGKILL)
        build.wait()
        in_write += bool(leftovers(project))
        states.append(digest(project / "site"))
    assert run(project).returncode == 0
    assert leftovers(project) == []
    second = digest(project / "site")
    for state in states:
        assert state in (first, second)
    assert in_write >= 5, "too few kills landed while the new site was being written"
    print(f"\nkill -9 in the write phase: 10 of 10 trials left a whole site ({in_write} mid-write)")


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); "
            "test_disk_full_by_file_size_limit covers the unprivileged case"
        )
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def _second_build_fails_and_keeps_the_first(
    project: Path, disk: Path, change: Callable[[], object], *args: str
) -> str:
    """Builds into ``disk`` without the search index (its scripts alone are 700 kB), makes
    ``change``, builds again with ``args``: that build fails, the first site stays whole,
    and no temporary folder is left (the spare is the first build's mirror,
    ``fs.Staging.mirror``). Returns the failed build's stderr."""
    out = str(disk / "site")
    assert run(project, "--out", out, "--no-search").returncode == 0
    before = digest(disk / "site")
    change()
    failed = run(project, "--out", out, *args)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert digest(disk / "site") == before
    assert sorted(p.name for p in disk.iterdir()) == [".site.lock", ".site.spare", "site"]
    return failed.stderr


def test_disk_full_on_a_small_tmpfs_keeps_the_previous_site(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_records(project / "articles", 1, "small")
    with tmpfs(tmp_path / "disk", "300k") as disk:
        # Several MB of pages.
        grow = partial(write_records, project / "articles", 300, "large", body_words=200)
        stderr = _second_build_fails_and_keeps_the_first(project, disk, grow, "--no-search")
        assert "disk full while writing" in stderr, stderr


def test_disk_full_while_indexing_keeps_the_previous_site(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_records(project / "articles", 3, "small")
    with tmpfs(tmp_path / "disk", "300k") as disk:
        # The same pages again: they fit; the index does not.
        stderr = _second_build_fails_and_keeps_the_first(project, disk, lambda: None)
        assert stderr.strip().endswith("search: disk full while writing the index"), stderr


def _limit_file_size() -> None:
    # What `ulimit -f` does; with SIGXFSZ ignored the write fails with EFBIG instead of killing.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_disk_full_by_file_size_limit_keeps_the_previous_site(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_records(project / "articles", 1, "small")
    assert run(project).returncode == 0
    before = digest(project / "site")
    write_records(project / "articles", 1, "large", body_words=10_000)  # a page over 20 kB
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    full = subprocess.run(
        command(), cwd=project, env=env, capture_output=True, text=True, preexec_fn=_limit_file_size
    )
    assert full.returncode == 1
    assert "File too large while writing articles/article-0/index.html" in full.stderr
    assert digest(project / "site") == before
    assert leftovers(project) == []


@pytest.mark.parametrize("how", ["read-only mount", "no write permission"])
def test_an_unwritable_output_parent_fails_before_any_work(tmp_path: Path, how: str) -> None:
    project = tmp_path / "p"
    write_records(project / "articles", 3, "first")
    parent = tmp_path / "parent"
    with contextlib.ExitStack() as stack:
        if how == "read-only mount":
            stack.enter_context(tmpfs(parent, "1m"))
        else:
            parent.mkdir()
        assert run(project, "--out", str(parent / "site")).returncode == 0
        before = digest(parent / "site")
        if how == "read-only mount":
            subprocess.run(["mount", "-o", "remount,ro", str(parent)], check=True)
            prefix: tuple[str, ...] = ()
        else:
            parent.chmod(0o555)
            stack.callback(parent.chmod, 0o755)
            prefix = without_dac_override()
        write_records(project / "articles", 3, "second")
        denied = run(project, "--out", str(parent / "site"), prefix=prefix)
        assert denied.returncode == 1
        reason = "Read-only file system" if how == "read-only mount" else "Permission denied"
        assert f"error: cannot write beside the output folder {parent / 'site'}" in denied.stderr
        assert reason in denied.stderr
        assert "Pages" not in denied.stdout  # stopped before any work
        assert digest(parent / "site") == before


def test_two_builds_at_once_never_mix(tmp_path: Path) -> None:
    # Two projects, one output folder: whatever the timing, the output is one whole build.
    first, second, out = tmp_path / "a", tmp_path / "b", tmp_path / "shared" / "site"
    write_records(first / "articles", 600, "from A")
    write_records(second / "articles", 5, "from B")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    slow = subprocess.Popen(
        command("--out", str(out)), cwd=first, env=env, stdout=subprocess.PIPE, text=True
    )
    lock = out.parent / ".site.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # the lock is taken right after the lock file is opened
    fast = run(second, "--out", str(out))
    assert slow.wait(timeout=600) == 0
    assert fast.returncode == 1
    assert f"another newsgen build is writing {out}" in fast.stderr
    built = digest(out)
    assert "articles/article-599/index.html" in built and fs.MARKER in built
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "from A" in home and "from B" not in home
    assert leftovers(out.parent) == []
    assert run(second, "--out", str(out)).returncode == 0  # the lock is free again
