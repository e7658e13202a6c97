"""The built site as the deploy sees it: every regular file, by site-relative path, hashed."""

from __future__ import annotations

from pathlib import Path

from newsgen.deploy.plan import MANIFEST, content_hash
from newsgen.errors import NewsgenError


def site_files(site: Path) -> list[str]:
    """Every regular file under ``site`` as a sorted POSIX path; symlinks are not followed."""
    if not site.is_dir():
        raise NewsgenError(f"deploy: no built site at {site} (run newsgen build first)")
    names = []
    for path in site.rglob("*"):
        if path.is_file() and not path.is_symlink():
            name = path.relative_to(site).as_posix()
            if name != MANIFEST:
                names.append(name)
    if not names:
        raise NewsgenError(f"deploy: {site} is empty (run newsgen build first)")
    return sorted(names)


def hash_files(root: Path, names: list[str]) -> dict[str, str]:
    try:
        return {name: content_hash((root / name).read_bytes()) for name in names}
    except OSError as exc:
        raise NewsgenError(f"deploy: cannot read {exc.filename}: {exc.strerror}") from None
