"""All disk access of a build: reading the project, writing the site atomically.

Reading never modifies a source and never follows a symlink out of the content folder.
Writing goes to a temporary folder beside the output and is swapped in only when complete, so
a failed or killed build leaves the previous site as it was; no path escapes the output folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import signal
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from stat import S_ISDIR, S_ISREG
from typing import BinaryIO, TypeVar

from newsgen.errors import NewsgenError
from newsgen.sniff import MAX_BYTES, looks_binary

# One limit for raw texts and records: a news article is kilobytes; megabytes are a mistake.
MAX_ARTICLE_BYTES = MAX_BYTES
_TMP, _OLD = ".tmp-", ".old-"
_T = TypeVar("_T")
# The site a swap replaced, kept beside the output for the next build to patch (``Staging``).
_SPARE = ".spare"
_MIRROR = ".mirror-"
CONFIG_NAME = "newsgen.yaml"  # the project's settings (parsed by newsgen.config)
# Written into every site newsgen builds: only a folder carrying it may be replaced whole.
MARKER = ".newsgen-site"
MARKER_TEXT = b"This folder is built by newsgen; `newsgen build` replaces it whole.\n"


@dataclass(frozen=True)
class SourceText:
    """One article file's text, named as the user sees it (``articles/x.md``)."""

    name: str
    text: str
    digest: str = ""  # the build cache's key for this text, when the reader knows it
    # Set when the file was not read because the build cache knew it (``newsgen.stamps``):
    # ``text`` is then empty, and read from here only if the cache has lost its record. A
    # string, not a ``Path``: a replay makes one for each of 10,000 files and uses none.
    unread: str | None = None

    @property
    def listed(self) -> bool:
        """Listed and neither read nor hashed yet (a first build's, ``Sources.unhashed``)."""
        return self.unread is not None and not self.digest


@dataclass
class Sources:
    texts: list[SourceText] = field(default_factory=list)
    errors: list[NewsgenError] = field(default_factory=list)
    warnings: list[NewsgenError] = field(default_factory=list)
    # Files listed and not read (``newsgen.stamps.read_articles`` for a first build): each is
    # a text with neither text nor digest until the parse workers have read it. Name -> the
    # stamp to keep with its digest then ("" when it changed too recently to keep one).
    unhashed: dict[str, str] = field(default_factory=dict)


def read_config_text(project: Path) -> str | None:
    path = project / CONFIG_NAME
    if not path.exists():
        return None
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise NewsgenError(f"cannot read: {exc}", CONFIG_NAME) from None


def write_file_atomic(path: Path, text: str) -> None:
    """Write one file beside its target, then rename: a reader never sees half of it."""
    temporary = path.with_name(f".{path.name}{_TMP}{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def read_articles(project: Path, folder: str = "articles") -> Sources:
    """Every ``*.md`` in ``project/folder``, sorted by name, with what went wrong per file."""
    found = Sources()
    root = project / folder
    if not root.is_dir():
        return found
    real_root = root.resolve()
    for path in sorted(root.glob("*.md")):
        read_article(path, f"{folder}/{path.name}", real_root, found)
    return found


def read_article(path: Path, name: str, real_root: Path, found: Sources) -> None:
    """Read one article file into ``found`` (its text, or what is wrong with it)."""
    try:
        if path.is_symlink() and not path.resolve(strict=True).is_relative_to(real_root):
            found.warnings.append(NewsgenError("symlink out of the folder skipped", name))
            return
        if not path.is_file():
            return
        data = _read_capped(path)
    except RuntimeError:  # a symlink loop
        found.warnings.append(NewsgenError("symlink loop skipped", name))
        return
    except OSError as exc:
        found.errors.append(NewsgenError(f"cannot read: {exc.strerror or exc}", name))
        return
    if data is None:
        found.errors.append(NewsgenError(f"file larger than {MAX_ARTICLE_BYTES // 2**20} MB", name))
        return
    if looks_binary(data):
        found.warnings.append(NewsgenError("binary file skipped", name))
        return
    try:
        found.texts.append(SourceText(name, data.decode("utf-8-sig")))
    except UnicodeDecodeError as exc:
        found.errors.append(NewsgenError(f"not UTF-8 at byte offset {exc.start}", name))


def _read_capped(path: Path) -> bytes | None:
    with path.open("rb") as handle:
        data = handle.read(MAX_ARTICLE_BYTES + 1)
    return None if len(data) > MAX_ARTICLE_BYTES else data


def check_output(project: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would destroy sources (MkDocs' site_dir rule)."""
    target, home = out.resolve(), Path.home().resolve()
    proj = project.resolve()
    if target == Path(target.anchor) or target == home:
        raise NewsgenError(f"refusing to use {out} as the output folder: it is / or $HOME")
    if proj.is_relative_to(target):
        raise NewsgenError(f"refusing to use {out} as the output folder: it holds the project")
    for name in ("articles", "seeds", "templates"):
        if target.is_relative_to(proj / name):
            raise NewsgenError(f"refusing to write the site into the {name}/ folder ({out})")
    if target.exists() and (target.is_symlink() or not target.is_dir()):
        raise NewsgenError(f"the output path {out} exists and is not a folder")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        # Like MkDocs: a folder newsgen did not build may hold someone's work; never replace it.
        raise NewsgenError(
            f"refusing to replace {out}: it is not empty and was not built by newsgen "
            f"(no {MARKER} file in it); empty it, remove it or choose another --out"
        )


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the lock file beside ``out`` for a whole build; a second build fails fast.

    Two builds writing one output would remove each other's temporary folders and swap in
    turn; with the lock the second stops before any work and the output is one build's.
    The kernel drops an ``flock`` when its process dies, so a killed build leaves no stale lock.
    """
    out = out.absolute()
    lock_path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = lock_path.open("a+b")
    except OSError as exc:
        raise NewsgenError(
            f"cannot write beside the output folder {out}: {exc.strerror or exc}"
        ) from None
    with handle:
        # Listed from before the flock until the file is closed, whatever stops the build:
        # a number left behind would make a later worker close whatever file reuses it.
        _HELD_LOCKS.add(handle.fileno())
        try:
            _lock_and_probe(handle, out, lock_path)
            yield
        finally:
            _HELD_LOCKS.discard(handle.fileno())


def _lock_and_probe(handle: BinaryIO, out: Path, lock_path: Path) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise NewsgenError(
            f"another newsgen build is writing {out} (it holds {lock_path}); "
            "run this one when it has finished"
        ) from None
    # The lock file may predate a change of permissions or a read-only remount: try the
    # temporary folder the swap needs now, so such a build stops before any work.
    probe = out.parent / f".{out.name}{_TMP}{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError as exc:
        raise NewsgenError(
            f"cannot write beside the output folder {out}: {exc.strerror or exc}"
        ) from None


# Lock files this process holds open. A forked render worker inherits them and must let go
# (``release_inherited_locks``): else a worker outliving a killed build would keep its lock.
_HELD_LOCKS: set[int] = set()


def release_inherited_locks() -> None:
    """In a forked worker: close the inherited lock files, and die with the parent (Linux),
    so that a ``kill -9`` of a build frees its output for the next one at once."""
    for fd in list(_HELD_LOCKS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCKS.clear()
    import ctypes  # here, in the rare process that needs it: not for every build's start-up

    with contextlib.suppress(AttributeError, OSError):
        pr_set_pdeathsig = 1  # linux/prctl.h
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if _FORKED_FROM and os.getppid() != _FORKED_FROM:
        os._exit(1)  # the parent died before the line above ran: no signal will ever come


_FORKED_FROM = 0  # the pid of the process that forked this one, set just before the fork


def _note_forking_parent() -> None:
    global _FORKED_FROM
    _FORKED_FROM = os.getpid()


os.register_at_fork(before=_note_forking_parent)


def safe_relative(name: str) -> PurePosixPath:
    """``name`` as a relative path that cannot leave the folder it is joined to."""
    check_relative(name)
    return PurePosixPath(name)


# Relative, "/"-separated, every part non-empty and neither "." nor "..", and no backslash,
# colon or NUL anywhere: a name that cannot leave the folder it is joined to.
_SAFE_PART = r"(?!\.\.?(?:/|\Z))[^/\\:\x00]+"
_SAFE_NAME = re.compile(rf"{_SAFE_PART}(?:/{_SAFE_PART})*")


def check_relative(name: str) -> None:
    """Raise unless ``name`` is a relative path that cannot leave the folder it is joined to
    (one regex: it is called for every page of a site)."""
    if _SAFE_NAME.fullmatch(name) is None:
        raise NewsgenError(f"refusing to write outside the output folder: {name!r}")


def write_site(
    out: Path, files: Mapping[str, bytes], finish: Callable[[Path], None] | None = None
) -> None:
    """Write ``files`` (relative path -> bytes) as the new content of ``out``, atomically.

    ``finish`` runs on the complete staging folder before the swap (the search indexer adds
    its files there); if it raises, the previous site stays as it was.
    """
    staging = Staging.begin(out)
    try:
        for name in sorted(files):
            staging.write(name, files[name])
        staging.commit(finish)
    except BaseException:
        staging.discard()
        raise


# Staging folders already made and checked to be inside their staging root, in this process.
_CHECKED: set[str] = set()


@dataclass(frozen=True)
class PageWriter(ABC):
    """Where a build's render workers write the pages of the site in ``out``: ``target``
    says where a page waits until ``patch`` (or ``Staging.commit``) puts it in place."""

    out: Path

    @abstractmethod
    def target(self, name: str) -> Path: ...

    @abstractmethod
    def patch(self, names: Iterable[str], removed: Iterable[str]) -> None: ...

    @abstractmethod
    def discard(self) -> None: ...

    def destination(self, name: str) -> str:
        """``target`` as a string: a writer that makes one per page can skip ``Path``."""
        return os.fspath(self.target(name))

    def write(self, name: str, data: bytes) -> os.stat_result:
        # Unbuffered, on a descriptor: a file object per page (its buffer, its wrapper and
        # their teardown) was a third of the Python time of writing a page.
        dest = self.destination(name)
        try:
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                done = os.write(fd, data)
                while done < len(data):  # a short write: a signal, or a file size limit
                    done += os.write(fd, data[done:])
                return os.fstat(fd)  # after the last write: the mtime recorded is its own
            finally:
                os.close(fd)
        except OSError as exc:
            reason = write_failure(exc)
            raise NewsgenError(f"{reason} while writing {name}") from None

    def keep(self, name: str) -> bool:
        """Hard-link ``name`` from the current site (a copy where links are not possible);
        False when the current site has no such regular file."""
        source = self.out / safe_relative(name)
        if source.is_symlink() or not source.is_file():
            return False
        dest = self.target(name)
        try:
            os.link(source, dest)
        except OSError:
            try:
                shutil.copy2(source, dest)
            except OSError as exc:
                reason = write_failure(exc)
                raise NewsgenError(f"{reason} while writing {name}") from None
        return True


def write_failure(exc: OSError) -> str:
    """What went wrong writing a file, in a message's words ("disk full" for ENOSPC)."""
    return "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))


def _make_folder(folder: str) -> None:
    """``Path(folder).mkdir(parents=True, exist_ok=True)`` on a string: one ``mkdir`` when
    the parent exists, as it does for all but the first page of a section."""
    try:
        os.mkdir(folder)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise


def spare_of(out: Path) -> Path:
    """Where the site a build replaced waits for the next build: beside ``out``, like the
    staging folder, so on the same file system and never under the output path."""
    return out.parent / f".{out.name}{_SPARE}"


def folder_stamps(root: Path, folders: Iterable[str]) -> dict[str, int] | None:
    """Each folder (relative to ``root``; "" is the root) -> its inode and ctime in one
    number; None when one cannot be read. Adding, removing or renaming anything in a folder
    changes its ctime, which no program can set back; the inode tells it from a folder of
    the same name in another tree."""
    top = str(root)
    found = {}
    try:
        for folder in folders:
            stat = os.stat(f"{top}/{folder}" if folder else top, follow_symlinks=False)
            if not S_ISDIR(stat.st_mode):
                return None
            # One int, not a pair: a pair cost 120 bytes a folder, and a build of 100,000
            # articles holds two mappings of 177,000 folders at its peak.
            found[folder] = stat.st_ino << 64 | stat.st_ctime_ns
    except OSError:
        return None
    return found


def files_as_written(root: Path, written: Iterable[tuple[str, int, int]]) -> bool:
    """Every file of ``written`` (relative name, size, mtime) is in ``root``, a regular file
    of that size and mtime: an ``lstat`` per file."""
    top = str(root)
    try:
        for name, size, mtime in written:
            stat = os.lstat(f"{top}/{name}")
            if stat.st_size != size or stat.st_mtime_ns != mtime or not S_ISREG(stat.st_mode):
                return False
    except OSError:
        return False
    return True


def spare_unchanged(out: Path, known: Mapping[str, int]) -> bool:
    """Every folder below the root of the spare of ``out`` still has the stamp ``known``
    gives it (``folder_stamps``)."""
    return _unchanged(spare_of(out.absolute()), known)


def relink_spare(
    out: Path,
    pages: Iterable[str],
    known: Mapping[str, int],
    folders: Iterable[str] | None = None,
) -> dict[str, int] | None:
    """Make the spare of ``out`` (the site the last swap replaced, with the same pages, its
    folders as ``known`` stamped them while it was live) the live site again by hard links:
    every page of it unlinked and linked to the live one's file. The spare's folders' new
    stamps; None when it is not as ``known`` says or a link fails, and it is left to be
    looked at page by page (``Staging.begin``). ``folders``: ``folders_of(pages)``, when
    the caller has them (at 100,000 articles, 177,000 names)."""
    out = out.absolute()
    spare = spare_of(out)
    if not _unchanged(spare, known):
        return None
    pages = list(pages)
    top, live = str(spare), str(out)
    try:
        for name in pages:
            mine = f"{top}/{name}"
            os.unlink(mine)
            os.link(f"{live}/{name}", mine)
    except OSError:
        return None
    return folder_stamps(spare, folders_of(pages) if folders is None else folders)


def folders_of(names: Iterable[str]) -> set[str]:
    """Every folder that holds one of ``names`` (relative paths), the root ("") included."""
    found = {""}
    for name in names:
        end = name.rfind("/")
        while end > 0 and name[:end] not in found:
            found.add(name[:end])
            end = name.rfind("/", 0, end)
    return found


@dataclass(frozen=True)
class Staging(PageWriter):
    """The next site, built in a folder beside ``out`` and swapped in whole by ``commit``.

    A plain value (two paths and two flags), so worker processes can write into it too.
    Files may be written, or hard-linked from the current site when the build cache knows
    they are unchanged: the old site is renamed away whole, so a link never sees it change.

    Double-buffered (``begin`` given the site's pages): the swap keeps the site it replaced
    as the spare, and the next build starts its staging folder from that spare instead of an
    empty one, so an edit costs the pages that differ, not a folder and a link per page and
    the removal of a whole tree. Nothing in the spare is trusted: files and folders the new
    site has no page for, symlinks and anything else odd are removed first (``_prune``); a
    kept page stays only if it is the very file (inode) the live site has and the build
    cache vouched for; every other page is written as a new file, after unlinking the name
    (most are hard links shared with the live site, which must never change in place).
    """

    root: Path
    keep_spare: bool = False  # the swap keeps the replaced site as the next spare
    reused: bool = False  # the folder started as the spare: names may exist and be links
    # Made from a spare whose folders all kept their stamps: the pages below the root whose
    # file in it is not the live site's very file (those the live site's build wrote anew);
    # every other one is. None: not known, each page is looked at.
    differ: frozenset[str] | None = None
    # With ``differ`` known: every page of the live site was just found as the manifest
    # ``keep`` is given describes it, so a page not in ``differ`` needs no look at all.
    vouched: bool = False
    # Where each page written is also hard-linked, to be the next spare: a site built where
    # there was none leaves no replaced site to keep, and without a spare the first edit
    # after it linked every page into a new tree (2.6 s of a one-edit build at 10,000).
    mirror: Path | None = None

    @classmethod
    def begin(
        cls,
        out: Path,
        pages: Iterable[str] | None = None,
        known: Mapping[str, int] | None = None,
        differ: Iterable[str] | None = None,
        checked: bool = False,
    ) -> Staging:
        """A staging folder for the site in ``out``; with ``pages`` (every path of the new
        site) made from the spare the last swap kept, when there is one.

        ``known``: the spare's folders (``folder_stamps``) as they were when it was the live
        site of exactly ``pages``. If every folder but the root still has that stamp,
        nothing was added to one or taken from it since, and only the root is cleaned of
        what is not a page (newsgen's marker, the search index, strays); else every folder
        is walked. ``differ``: the pages the live site's build wrote as new files; with
        ``known`` holding, every other page below the root in the spare is a hard link of
        the live site's file, and ``keep`` need not look at it. ``checked``: the spare's
        folders were just found as ``known`` has them (``spare_unchanged``), and every page
        of the live site as the manifest has it (``files_as_written``), so ``keep`` need
        not look at a page ``differ`` does not name.

        With ``pages`` and no site in ``out`` yet, each page written is also linked into a
        mirror, which becomes the spare (``mirror``)."""
        out = out.absolute()
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        # Unique per build, so a worker's memory of checked folders never matches a new one.
        unique = f"{os.getpid()}-{time.time_ns()}"
        root = out.parent / f".{out.name}{_TMP}{unique}"
        mirror = None
        if pages is not None and not out.exists():
            mirror = out.parent / f".{out.name}{_MIRROR}{unique}"
            _write_one(mirror, None, b"")
        if pages is not None and _adopt_spare(spare_of(out), root):
            try:
                pages = frozenset(pages)
                trusted = known is not None and (checked or _unchanged(root, known))
                _prune(root, pages, trusted)
                differ = frozenset(differ) if trusted and differ is not None else None
                vouched = checked and differ is not None
                return cls(out, root, True, True, differ, vouched, mirror)
            except OSError:
                # A spare that cannot be cleaned (a read-only folder in it): today's way, in
                # a folder of another name, since this one may not have gone away.
                shutil.rmtree(root, ignore_errors=True)
                root = root.with_name(f"{root.name}-fresh")
        _write_one(root, None, b"")  # a read-only parent fails here, before any work
        return cls(out, root, keep_spare=pages is not None, mirror=mirror)

    def write(self, name: str, data: bytes) -> os.stat_result:
        if self.mirror is None:
            return super().write(name, data)
        # A page's folder new in the staging folder is new in the mirror too (both started
        # empty): made first there, where a link that fails for want of it cost two calls.
        folder = name.rpartition("/")[0]
        if folder and f"{self.root}/{folder}" not in _CHECKED:
            with contextlib.suppress(OSError):  # as in ``_mirror``: never fails the build
                _make_folder(f"{self.mirror}/{folder}")
        written = super().write(name, data)
        self._mirror(name)
        return written

    def _mirror(self, name: str) -> None:
        # Never a reason for the build to fail: a mirror that lacks a page (a full disk, too
        # many links) is found so when the build checks it, and is not trusted.
        source, dest = f"{self.root}/{name}", f"{self.mirror}/{name}"
        with contextlib.suppress(OSError):
            try:
                os.link(source, dest)
            except FileNotFoundError:
                _make_folder(dest.rpartition("/")[0])
                os.link(source, dest)
            except FileExistsError:  # written twice (a retried chunk): the newer file
                os.unlink(dest)
                os.link(source, dest)

    def target(self, name: str) -> Path:
        """Where ``name`` goes in the staging folder; its parent folders are made."""
        return Path(self.destination(name))

    def destination(self, name: str) -> str:
        # On strings: a page's ``Path`` and its parent's were a quarter of writing a page.
        check_relative(name)
        dest = f"{self.root}/{name}"
        folder = dest.rpartition("/")[0]
        if folder not in _CHECKED:
            # No resolve() per folder: the root was made empty by this build and only this
            # build makes folders in it, so no symlink can lead out; check_relative refuses
            # "..", absolute and odd names.
            _make_folder(folder)
            if len(_CHECKED) > 200_000:
                _CHECKED.clear()
            _CHECKED.add(folder)
        if self.reused:
            # A new file, never a write into the spare's: that may be the live site's file.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(dest)
        return dest

    def keep(self, name: str, written: tuple[int, int] | None = None) -> bool:
        """Keep the live site's regular file ``name`` (of the size and mtime ``written``
        gives, when it is given). A page whose file in the spare is the live site's very
        file (the common case) costs two ``lstat`` calls, or one when ``differ`` says so
        and ``written`` is given; any other is linked, on strings,
        its folder made when the link says so (a ``Path`` per page was most of an edit's
        build at 10,000 pages)."""
        if self.vouched and self.differ is not None and "/" in name and name not in self.differ:
            return True  # the spare's file is the live one, found as written just now
        check_relative(name)
        try:
            live = os.lstat(f"{self.out}/{name}")
        except OSError:
            return False
        if not S_ISREG(live.st_mode):
            return False
        if written is not None:
            if written != (live.st_size, live.st_mtime_ns):
                return False
            if self.differ is not None and "/" in name and name not in self.differ:
                # The spare's file is the live one: no folder of the spare (the root's stamp
                # is not known) changed since the build that made the live site linked it,
                # and a write into the file is a write into the live one, just checked.
                return True
        mine = f"{self.root}/{name}"
        if self.reused:
            try:
                found = os.lstat(mine)
            except FileNotFoundError:
                pass
            else:
                # The very file of the live site, which the build cache has just vouched for.
                if (found.st_ino, found.st_dev) == (live.st_ino, live.st_dev):
                    return True
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(mine)  # never written through: it may be the live site's file
        return self._link(f"{self.out}/{name}", mine) or super().keep(name)

    def keep_many(self, names: Iterable[str], written: Mapping[str, tuple[int, int]]) -> bool:
        """``keep`` each of ``names`` as ``written`` (the manifest) describes it; False as
        soon as one is not."""
        return all(self.keep(name, written.get(name, (-1, -1))) for name in names)

    @staticmethod
    def _link(source: str, dest: str) -> bool:
        """Hard-link ``source`` to ``dest`` in a staging folder this build made (no symlink
        in it can lead out, as for ``target``), making its folder; False where ``keep``'s
        own way must do it (another file system: a copy)."""
        try:
            os.link(source, dest)
        except FileNotFoundError:
            try:
                os.makedirs(dest.rpartition("/")[0], exist_ok=True)
                os.link(source, dest)
            except OSError:
                return False
        except OSError:
            return False
        return True

    def commit(self, finish: Callable[[Path], _T] | None = None) -> _T | None:
        """Mark the staged site as newsgen's, let ``finish`` add to it (the search index),
        and swap it in whole. Returns what ``finish`` gave."""
        _write_one(self.root / MARKER, MARKER, MARKER_TEXT)
        finished = None if finish is None else finish(self.root)
        _CHECKED.clear()  # the staging root becomes the site: its folders are no longer ours
        _swap(self.root, self.out, self.keep_spare)
        if self.mirror is not None:
            _keep_as_spare(self.mirror, self.out)
        return finished

    def patch(self, names: Iterable[str], removed: Iterable[str]) -> None:
        """Move ``names`` from the staging folder into the live site file by file, remove
        ``removed`` from it, then drop the staging folder.

        For the incremental builder only: every file is replaced atomically and nothing is
        moved until every page rendered, but for the moment of the moves a reader can see
        some pages new and some old, which a preview server can live with.
        """
        for name in names:
            dest = self.out / safe_relative(name)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / name, dest)
        for name in removed:
            (self.out / safe_relative(name)).unlink(missing_ok=True)
        self.discard()

    def discard(self) -> None:
        _CHECKED.clear()
        if self.mirror is not None:
            shutil.rmtree(self.mirror, ignore_errors=True)
        if self.reused:
            # Still a fine spare: the next build trusts nothing in it either.
            with contextlib.suppress(OSError):
                os.rename(self.root, spare_of(self.out))
                return
        shutil.rmtree(self.root, ignore_errors=True)


def _adopt_spare(spare: Path, root: Path) -> bool:
    """Rename the spare to ``root``; False (and nothing left there) when it is unusable."""
    try:
        found = os.lstat(spare)
    except OSError:
        return False
    if not S_ISDIR(found.st_mode) or found.st_dev != os.stat(root.parent).st_dev:
        _remove(spare)
        return False
    try:
        os.rename(spare, root)
    except OSError:
        _remove(spare)
        return False
    return True


def _unchanged(root: Path, known: Mapping[str, int]) -> bool:
    folders = [f for f in known if f]  # the root's stamp changed when it was renamed
    return folder_stamps(root, folders) == {f: known[f] for f in folders}


def _prune(root: Path, pages: frozenset[str], root_only: bool = False) -> None:
    """Remove from ``root`` everything but regular files named in ``pages`` and the folders
    holding them: strays, the previous build's extras (marker, search index) and anything
    put there by hand, symlinks first of all (never followed). ``root_only``: the folders
    under the root are known to hold only pages."""
    if root_only:  # only the root is looked at: the folders in it that hold pages
        folders = {name.partition("/")[0] for name in pages if "/" in name}
    else:
        folders = folders_of(pages)
    pending = [""]
    top = str(root)
    while pending:
        rel = pending.pop()
        with os.scandir(f"{top}/{rel}" if rel else top) as entries:
            for entry in entries:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if name in folders:
                        if not root_only:
                            pending.append(name)
                    else:
                        shutil.rmtree(entry.path)
                elif name not in pages or not entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def _remove(path: Path) -> None:
    """Remove a spare that cannot be used; never a file system mounted there."""
    if path.is_dir() and not path.is_symlink():
        if os.stat(path).st_dev == os.stat(path.parent).st_dev:
            shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


@dataclass(frozen=True)
class Beside(PageWriter):
    """For the incremental builder's few pages: each is written beside its file in the live
    site (a hidden temporary name in the same folder) and renamed over it by ``patch``, once
    every page is written. No staging tree of folders to make and remove; a failed build
    removes its temporary files and the site is as it was. The folders must exist: it only
    replaces pages the site already has."""

    tag: str = ""
    written: dict[str, None] = field(default_factory=dict, compare=False)

    @classmethod
    def begin(cls, out: Path) -> Beside:
        return cls(out.absolute(), f"{_TMP}{os.getpid()}-{time.time_ns()}")

    def target(self, name: str) -> Path:
        dest = self.out / safe_relative(name)
        self.written[name] = None
        return dest.with_name(f".{dest.name}{self.tag}")

    def patch(self, names: Iterable[str], removed: Iterable[str]) -> None:
        for name in names:
            dest = self.out / safe_relative(name)
            os.replace(dest.with_name(f".{dest.name}{self.tag}"), dest)
            self.written.pop(name, None)
        for name in removed:
            (self.out / safe_relative(name)).unlink(missing_ok=True)
        self.discard()

    def discard(self) -> None:
        for name in self.written:
            dest = self.out / safe_relative(name)
            dest.with_name(f".{dest.name}{self.tag}").unlink(missing_ok=True)
        self.written.clear()


def _write_one(dest: Path, name: str | None, data: bytes) -> None:
    """Write a file (or, with no name, make a folder); any OS error names what was written."""
    try:
        if name is None:
            dest.mkdir(parents=True, exist_ok=True)
            return
        with dest.open("wb") as handle:  # ENOSPC can come at close(): it is inside the try
            handle.write(data)
    except OSError as exc:
        reason = write_failure(exc)
        raise NewsgenError(f"{reason} while writing {name or dest}") from None


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where that is unsupported."""
    import ctypes  # only a build that writes its site needs it

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd = -100
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(tmp: Path, out: Path, keep_spare: bool = False) -> None:
    # One atomic exchange where the kernel offers it: there is no moment without a live site,
    # even for a build killed mid-swap. Elsewhere, two renames (and clean_leftovers restores
    # the old site if a kill lands between them).
    retire = _keep_as_spare if keep_spare else _drop
    if out.exists() and _exchange(tmp, out):
        retire(tmp, out)  # tmp now holds the previous site
        return
    if out.exists():
        old = out.parent / f".{out.name}{_OLD}{os.getpid()}"
        out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            old.rename(out)
            raise
        retire(old, out)
    else:
        tmp.rename(out)


def _drop(previous: Path, out: Path) -> None:
    shutil.rmtree(previous, ignore_errors=True)


def _keep_as_spare(previous: Path, out: Path) -> None:
    """Keep the replaced site for the next build to patch: removing a whole tree costs a
    system call per file and folder, the largest part of a one-edit build on a slow disk."""
    spare = spare_of(out)
    _remove(spare)  # only there when a build did not start from it (an in-place build)
    try:
        previous.rename(spare)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def clean_leftovers(out: Path) -> list[Path]:
    """Remove temporary folders a killed build left beside ``out``; return what was removed."""
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    olds = sorted(out.parent.glob(f".{out.name}{_OLD}*"))
    if not out.exists() and olds and olds[-1].is_dir() and not olds[-1].is_symlink():
        # Killed between the two renames of a swap: the previous site is whole; put it back.
        olds[-1].rename(out)
    for path in sorted(out.parent.glob(f".{out.name}.*-*")):
        temporary = _TMP in path.name or _OLD in path.name or _MIRROR in path.name
        if temporary and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
