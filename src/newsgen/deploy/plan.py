"""What a deploy does, decided without touching anything: local hashes and the remote manifest
in, uploads, unchanged files and deletes out. Pure, so every case is a one-line test."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

MANIFEST = ".newsgen-manifest.json"  # beside the site's files on the target; written last


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class DeployPlan:
    uploads: tuple[str, ...]  # new or changed, by content hash
    unchanged: tuple[str, ...]
    deletes: tuple[str, ...]  # on the target, gone from the site; only with --delete
    kept: tuple[str, ...]  # gone from the site but left in place (no --delete)
    # What the target holds once the plan is carried out: the next deploy's "remote".
    manifest: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def changes(self) -> bool:
        return bool(self.uploads or self.deletes)


def make_plan(local: Mapping[str, str], remote: Mapping[str, str], delete: bool) -> DeployPlan:
    """``local`` and ``remote`` map site-relative paths to content hashes."""
    uploads = tuple(sorted(p for p, h in local.items() if remote.get(p) != h))
    unchanged = tuple(sorted(p for p, h in local.items() if remote.get(p) == h))
    stale = tuple(sorted(p for p in remote if p not in local))
    deletes, kept = (stale, ()) if delete else ((), stale)
    # Kept files stay in the manifest, so a later --delete still knows they are ours.
    manifest = {**{p: remote[p] for p in kept}, **local}
    return DeployPlan(
        uploads, unchanged, deletes, kept, MappingProxyType(dict(sorted(manifest.items())))
    )
