"""Disk access: the atomic swap, containment, and reading untrusted content folders."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen import fs
from newsgen.errors import NewsgenError


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_write_replaces_the_whole_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    fs.write_site(out, {"index.html": b"one", "old/index.html": b"stale"})
    fs.write_site(out, {"index.html": b"two"})
    # files that no longer belong are gone; the marker says newsgen may replace the folder
    assert _tree(out) == {"index.html": b"two", fs.MARKER: fs.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temp folder left


@contextlib.contextmanager
def _file_size_limit(size: int) -> Iterator[None]:
    """What `ulimit -f` does, in this process: a write past ``size`` bytes fails (EFBIG,
    with SIGXFSZ ignored), as one on a full disk fails with ENOSPC."""
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, limits[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)


def test_a_failed_write_keeps_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    fs.write_site(out, {"index.html": b"good", "a/index.html": b"a"})
    with (
        _file_size_limit(4096),
        pytest.raises(NewsgenError, match=r"File too large while writing b\.html"),
    ):
        # Written in name order: a/index.html, then b.html, past the limit.
        fs.write_site(out, {"index.html": b"new", "a/index.html": b"new", "b.html": b"x" * 8192})
    assert _tree(out) == {"index.html": b"good", "a/index.html": b"a", fs.MARKER: fs.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@dataclass(frozen=True)
class _FullDisk(fs.PageWriter):
    """Writes every page to /dev/full, where each write fails with ENOSPC."""

    out: Path = Path("/dev")

    def target(self, name: str) -> Path:
        return Path("/dev/full")

    def patch(self, names: Iterable[str], removed: Iterable[str]) -> None: ...

    def discard(self) -> None: ...


def test_a_write_to_a_full_disk_says_so() -> None:
    with pytest.raises(NewsgenError, match=r"^disk full while writing a/index\.html$"):
        _FullDisk().write("a/index.html", b"page")


@pytest.mark.parametrize(
    "name", ["../x", "/etc/passwd", "a/../../x", "C:\\x", "\\\\server\\share", "a//b", "", "a\x00"]
)
def test_nothing_is_written_outside_the_output(tmp_path: Path, name: str) -> None:
    with pytest.raises(NewsgenError, match="outside the output folder"):
        fs.write_site(tmp_path / "site", {name: b"x"})
    assert not (tmp_path / "x").exists()


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".site.tmp-999").mkdir()
    (tmp_path / ".site.old-998").mkdir()
    fs.write_site(tmp_path / "site", {"index.html": b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_output_folder_rules(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    for bad in [tmp_path, tmp_path.parent, tmp_path / "articles" / "site", Path("/"), Path.home()]:
        with pytest.raises(NewsgenError, match="refusing"):
            fs.check_output(tmp_path, bad)
    fs.check_output(tmp_path, tmp_path / "site")


def test_reading_skips_what_is_not_an_article(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (articles / "a.md").write_bytes(b"\xef\xbb\xbf---\ntitle: a\n---\n")
    (articles / "bin.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (articles / "latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    os.symlink(tmp_path / "secret.txt", articles / "link.md")
    os.symlink(articles / "loop.md", articles / "loop.md")
    found = fs.read_articles(tmp_path)
    assert [t.name for t in found.texts] == ["articles/a.md"]
    assert found.texts[0].text.startswith("---")  # the BOM is gone
    assert [str(e) for e in found.errors] == ["articles/latin1.md: not UTF-8 at byte offset 14"]
    assert sorted(str(w) for w in found.warnings) == [
        "articles/bin.md: binary file skipped",
        "articles/link.md: symlink out of the folder skipped",
        "articles/loop.md: symlink loop skipped",
    ]


def test_a_swap_killed_between_its_renames_is_undone_by_the_next_build(tmp_path: Path) -> None:
    # Where the kernel has no atomic exchange, a kill between the two renames of the swap
    # leaves only .site.old-PID: the next build puts that previous site back first.
    old = tmp_path / ".site.old-4242"
    fs.write_site(old, {"index.html": b"previous"})
    fs.clean_leftovers(tmp_path / "site")
    assert (tmp_path / "site/index.html").read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_newsgen_did_not_build_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(NewsgenError, match=r"refusing to replace .*not built by newsgen"):
        fs.check_output(tmp_path, out)
    fs.write_site(tmp_path / "site", {"index.html": b"x"})
    fs.check_output(tmp_path, tmp_path / "site")  # newsgen's own site: replaced
    (tmp_path / "empty").mkdir()
    fs.check_output(tmp_path, tmp_path / "empty")  # an empty folder holds nothing to lose


def test_a_second_build_of_one_output_fails_fast(tmp_path: Path) -> None:
    with (
        fs.output_lock(tmp_path / "site"),
        pytest.raises(NewsgenError, match="another newsgen build is writing"),
        fs.output_lock(tmp_path / "site"),
    ):
        pass
    with fs.output_lock(tmp_path / "site"):  # released when the first build ends
        pass


def _worker_survives(parent_dies_first: bool) -> bool:
    """Fork a parent that forks a worker; the worker runs ``release_inherited_locks`` after
    the parent has exited (or while it lives) and says on a pipe whether it is still going."""
    read_end, write_end = os.pipe()
    parent = os.fork()
    if parent == 0:  # the would-be build process
        os.close(read_end)
        worker = os.fork()
        if worker == 0:
            if parent_dies_first:
                while os.getppid() == fs._FORKED_FROM:  # wait until the parent is gone
                    time.sleep(0.01)
            fs.release_inherited_locks()
            os.write(write_end, b"alive")
            os._exit(0)
        if not parent_dies_first:
            os.waitpid(worker, 0)
        os._exit(0)
    os.close(write_end)
    os.waitpid(parent, 0)
    with os.fdopen(read_end, "rb") as pipe:
        return pipe.read() == b"alive"  # EOF once every writer has gone


def test_a_worker_whose_parent_died_before_it_set_up_stops_at_once() -> None:
    # PR_SET_PDEATHSIG only covers a parent that dies after the call; before it, the worker
    # would be orphaned and hold its work (and the build's output) forever.
    assert not _worker_survives(parent_dies_first=True)


def test_a_worker_whose_parent_lives_goes_on() -> None:
    assert _worker_survives(parent_dies_first=False)


def test_a_refused_lock_leaves_no_file_number_for_workers_to_close(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with fs.output_lock(out):
        held = set(fs._HELD_LOCKS)
        with pytest.raises(NewsgenError, match="another newsgen build"), fs.output_lock(out):
            pass
        assert held == fs._HELD_LOCKS
    assert not fs._HELD_LOCKS


def _refused_by_parts(name: str) -> bool:
    """The obvious rule ``check_relative``'s one regex must give, part by part."""
    return (
        not name
        or name.startswith("/")
        or any(c in name for c in "\\:\x00")
        or any(part in ("", ".", "..") for part in name.split("/"))
    )


@given(st.text(alphabet=st.sampled_from("ab./\\:\x00 \né"), max_size=12))
def test_check_relative_refuses_exactly_what_the_rule_refuses(name: str) -> None:
    try:
        fs.check_relative(name)
    except NewsgenError:
        refused = True
    else:
        refused = False
    assert refused == _refused_by_parts(name)
