"""An incremental builder for ``newsgen serve``: the archive stays in memory between edits.

    builder = Builder(project, options)
    builder.rebuild()                      # the first call builds everything
    builder.rebuild([Path("articles/x.md")])  # then: only what the edit touched

Between rebuilds it keeps every article file's text and parsed record, and the manifest of
the site it wrote (each page's fingerprint and the entities it read). A rebuild re-reads the
files it is told about and any whose size or mtime changed (an editor that saves by renaming
is still seen), re-parses only those, re-plans, and renders only pages whose fingerprint
changed; the others are kept from the site already written. The output is the same as a
clean ``newsgen build`` of the same files.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from newsgen import fs
from newsgen.build import BuildOptions, BuildResult, build
from newsgen.cache import CACHE_DIR, BuildCache, Loaded, PageEntry, SiteEntry
from newsgen.digest import code_digest


@dataclass(frozen=True)
class _Seen:
    size: int
    mtime_ns: int
    found: fs.Sources  # what reading the file gave: its text, or its problem


class MemoryCache(BuildCache):
    """The build cache held in memory; Markdown still comes from (and goes to) the disk."""

    def __init__(self, disk: BuildCache) -> None:
        super().__init__(None, disk.code)
        self.disk = disk
        self.folder = disk.folder
        self._records: dict[tuple[str, str], Loaded] = {}
        self._pages: dict[str, dict[str, PageEntry]] = {}
        self._sites: dict[str, SiteEntry] = {}

    @property
    def enabled(self) -> bool:
        return True

    def markdown_folder(self) -> Path | None:
        return self.disk.markdown_folder()

    def markdown(self, key: str) -> str | None:
        return self.disk.markdown(key)

    def put_markdown(self, items: Mapping[str, str]) -> None:
        self.disk.put_markdown(items)

    def record(self, name: str, digest: str) -> Loaded | None:
        return self._records.get((name, digest))

    def put_records(self, items: Iterable[tuple[str, int, int, str, Loaded]]) -> None:
        for name, _, _, digest, loaded in items:
            self._records[(name, digest)] = loaded

    def pages(self, out: str) -> dict[str, PageEntry]:
        return self._pages.get(out, {})

    def site(self, out: str) -> SiteEntry | None:
        return self._sites.get(out)

    def put_site(self, out: str, site: SiteEntry, pages: Mapping[str, PageEntry]) -> None:
        self._pages[out] = dict(pages)
        self._sites[out] = site

    def prune(self, live: set[tuple[str, str]]) -> None:
        """Forget records of file versions that no longer exist."""
        for key in [k for k in self._records if k not in live]:
            del self._records[key]


class Builder:
    """Rebuilds the site of ``project`` after edits, re-rendering only what changed."""

    def __init__(self, project: Path, options: BuildOptions) -> None:
        self.project = project
        self.options = options
        self._disk = BuildCache(project / CACHE_DIR if options.cache else None, code_digest())
        self._cache = MemoryCache(self._disk)
        self._seen: dict[str, _Seen] = {}

    def rebuild(self, changed: Collection[Path] = ()) -> BuildResult:
        """Bring the site up to date; ``changed`` names files known to have changed."""
        forced = {self._name(p) for p in changed}
        return build(
            self.project,
            self.options,
            cache=self._cache,
            reader=lambda project: self._read(project, forced),
            in_place=True,
        )

    def close(self) -> None:
        self._disk.close()

    def _name(self, path: Path) -> str:
        path = path if path.is_absolute() else self.project / path
        try:
            return path.relative_to(self.project).as_posix()
        except ValueError:
            return path.as_posix()

    def _read(self, project: Path, forced: set[str], folder: str = "articles") -> fs.Sources:
        """``fs.read_articles``, re-reading only files that changed since the last rebuild."""
        found = fs.Sources()
        root = project / folder
        seen: dict[str, _Seen] = {}
        if root.is_dir():
            real_root = root.resolve()
            with os.scandir(root) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(".md"))
            for filename in names:
                name = f"{folder}/{filename}"
                path = root / filename
                try:
                    stat = path.stat()
                except OSError:
                    stat = None
                before = self._seen.get(name)
                if (
                    stat is not None
                    and before is not None
                    and name not in forced
                    and (before.size, before.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
                ):
                    one = before.found
                else:
                    one = fs.Sources()
                    fs.read_article(path, name, real_root, one)
                    one.texts[:] = [
                        fs.SourceText(t.name, t.text, self._cache.record_digest(t.name, t.text))
                        for t in one.texts
                    ]
                if stat is not None:
                    seen[name] = _Seen(stat.st_size, stat.st_mtime_ns, one)
                found.texts.extend(one.texts)
                found.errors.extend(one.errors)
                found.warnings.extend(one.warnings)
        self._seen = seen
        self._cache.prune({(t.name, t.digest) for t in found.texts})
        return found
