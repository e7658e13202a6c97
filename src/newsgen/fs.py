"""All disk access of a build: reading the project, writing the site atomically.

Reading never modifies a source and never follows a symlink out of the content folder.
Writing goes to a temporary folder beside the output and is swapped in only when complete, so
a failed or killed build leaves the previous site as it was; no path escapes the output folder.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from newsgen.config import CONFIG_NAME
from newsgen.errors import NewsgenError
from newsgen.sniff import MAX_BYTES, looks_binary

# One limit for raw texts and records: a news article is kilobytes; megabytes are a mistake.
MAX_ARTICLE_BYTES = MAX_BYTES
_TMP, _OLD = ".tmp-", ".old-"


@dataclass(frozen=True)
class SourceText:
    """One article file's text, named as the user sees it (``articles/x.md``)."""

    name: str
    text: str
    digest: str = ""  # the build cache's key for this text, when the reader knows it


@dataclass
class Sources:
    texts: list[SourceText] = field(default_factory=list)
    errors: list[NewsgenError] = field(default_factory=list)
    warnings: list[NewsgenError] = field(default_factory=list)


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


def safe_relative(name: str) -> PurePosixPath:
    """``name`` as a relative path that cannot leave the folder it is joined to."""
    rel = PurePosixPath(name)
    if (
        not name
        or rel.is_absolute()
        or "\\" in name
        or "\x00" in name
        or ":" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise NewsgenError(f"refusing to write outside the output folder: {name!r}")
    return rel


def write_site(out: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) as the new content of ``out``, atomically."""
    staging = Staging.begin(out)
    try:
        for name in sorted(files):
            staging.write(name, files[name])
        staging.commit()
    except BaseException:
        staging.discard()
        raise


# Staging folders already made and checked to be inside their staging root, in this process.
_CHECKED: set[Path] = set()


@dataclass(frozen=True)
class Staging:
    """The next site, built in a folder beside ``out`` and swapped in whole by ``commit``.

    A plain value (two paths), so worker processes can write into it too. Files may be
    written, or hard-linked from the current site when the build cache knows they are
    unchanged: the old site is renamed away whole, so a link never sees it change.
    """

    out: Path
    root: Path

    @classmethod
    def begin(cls, out: Path) -> Staging:
        out = out.absolute()
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        # Unique per build, so a worker's memory of checked folders never matches a new one.
        root = out.parent / f".{out.name}{_TMP}{os.getpid()}-{time.time_ns()}"
        root.mkdir()
        return cls(out, root)

    def target(self, name: str) -> Path:
        """Where ``name`` goes in the staging folder; its parent folders are made."""
        dest = self.root / safe_relative(name)
        folder = dest.parent
        if folder not in _CHECKED:
            # No resolve() per folder: the root was made empty by this build and only this
            # build makes folders in it, so no symlink can lead out; safe_relative refuses
            # "..", absolute and odd names.
            folder.mkdir(parents=True, exist_ok=True)
            if len(_CHECKED) > 200_000:
                _CHECKED.clear()
            _CHECKED.add(folder)
        return dest

    def write(self, name: str, data: bytes) -> os.stat_result:
        dest = self.target(name)
        try:
            with dest.open("wb") as handle:
                handle.write(data)
                handle.flush()  # the mtime recorded must be that of the last write
                return os.fstat(handle.fileno())
        except OSError as exc:
            reason = "disk full" if exc.errno == 28 else (exc.strerror or str(exc))
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
                reason = "disk full" if exc.errno == 28 else (exc.strerror or str(exc))
                raise NewsgenError(f"{reason} while writing {name}") from None
        return True

    def commit(self) -> None:
        _CHECKED.clear()  # the staging root becomes the site: its folders are no longer ours
        _swap(self.root, self.out)

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
        shutil.rmtree(self.root, ignore_errors=True)


def _swap(tmp: Path, out: Path) -> None:
    # Two renames in one folder: the live path is always either the old or the new site.
    if out.exists():
        old = out.parent / f".{out.name}{_OLD}{os.getpid()}"
        out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            old.rename(out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


def clean_leftovers(out: Path) -> list[Path]:
    """Remove temporary folders a killed build left beside ``out``; return what was removed."""
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    for path in sorted(out.parent.glob(f".{out.name}.*-*")):
        if (_TMP in path.name or _OLD in path.name) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
