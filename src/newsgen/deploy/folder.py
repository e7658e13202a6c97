"""A folder target (a mounted share, a web server's document root, another checkout): its own
files are the remote state, so no manifest is needed; each copy is written beside its target
and renamed, so a reader never sees half a file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from newsgen.deploy.local import hash_files
from newsgen.errors import NewsgenError
from newsgen.fs import safe_relative

_PARTIAL = ".newsgen-partial-"


class FolderTarget:
    def __init__(self, dest: Path, site: Path) -> None:
        self.dest = dest
        self.site = site
        self._check()

    def __str__(self) -> str:
        return str(self.dest)

    def _check(self) -> None:
        dest, site, home = self.dest.resolve(), self.site.resolve(), Path.home().resolve()
        if dest == Path(dest.anchor) or dest == home:
            raise NewsgenError(f"deploy: refusing to publish into {self.dest}: it is / or $HOME")
        if dest.is_relative_to(site) or site.is_relative_to(dest):
            raise NewsgenError(f"deploy: {self.dest} and the site {self.site} overlap")
        if dest.exists() and not dest.is_dir():
            raise NewsgenError(f"deploy: {self.dest} exists and is not a folder")

    def remote_hashes(self) -> dict[str, str]:
        if not self.dest.is_dir():
            return {}
        names = sorted(
            p.relative_to(self.dest).as_posix()
            for p in self.dest.rglob("*")
            if p.is_file() and not p.is_symlink() and not p.name.startswith(_PARTIAL)
        )
        return hash_files(self.dest, names)

    def _path(self, name: str) -> Path:
        path = self.dest / safe_relative(name)
        # A symlinked folder inside the destination must not carry a write outside it.
        if path.parent.exists() and not path.parent.resolve().is_relative_to(self.dest.resolve()):
            raise NewsgenError(f"deploy: refusing to write outside {self.dest}: {name}")
        return path

    def put(self, name: str, data: bytes) -> None:
        path = self._path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{_PARTIAL}{path.name}")
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError as exc:
            raise NewsgenError(f"deploy: cannot write {name}: {exc.strerror or exc}") from None

    def remove(self, name: str) -> None:
        path = self._path(name)
        try:
            path.unlink(missing_ok=True)
            for parent in path.parents:
                if parent == self.dest or not parent.is_relative_to(self.dest):
                    break
                if any(parent.iterdir()):
                    break
                parent.rmdir()
        except OSError as exc:
            raise NewsgenError(f"deploy: cannot delete {name}: {exc.strerror or exc}") from None

    def commit(self, manifest: Mapping[str, str]) -> None:
        """Nothing to record: the folder's own files are its state."""
