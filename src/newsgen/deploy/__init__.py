"""``newsgen deploy``: publish the built site to a folder or an S3 bucket, sending only what
changed. The recipe: hash the site, read the target's state, plan, then upload everything,
delete only when every upload succeeded, and record the new state last. A run that fails
anywhere leaves a state the same command simply completes."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from newsgen.config import DeploySettings
from newsgen.deploy.local import hash_files, site_files
from newsgen.deploy.plan import DeployPlan, make_plan
from newsgen.errors import NewsgenError

UPLOAD_THREADS = 8  # S3 latency, not bandwidth, bounds a deploy of many small pages


class Target(Protocol):
    def remote_hashes(self) -> Mapping[str, str]: ...
    def put(self, name: str, data: bytes) -> None: ...
    def remove(self, name: str) -> None: ...
    def commit(self, manifest: Mapping[str, str]) -> None: ...


@dataclass(frozen=True)
class DeployResult:
    target: str
    plan: DeployPlan
    dry_run: bool


def open_target(target: str, site: Path, settings: DeploySettings) -> Target:
    """``s3://bucket/prefix`` or a folder path."""
    if target.startswith("s3://"):
        from newsgen.deploy.s3 import S3Target, parse_s3_url

        return S3Target(parse_s3_url(target), settings)
    if "://" in target:
        raise NewsgenError(f"deploy: unknown target {target!r}: a folder or s3://bucket/prefix")
    from newsgen.deploy.folder import FolderTarget

    return FolderTarget(Path(target), site)


def deploy(
    site: Path,
    target: Target,
    *,
    delete: bool = False,
    dry_run: bool = False,
    progress: Callable[[str, str], None] | None = None,
) -> DeployResult:
    """Publish ``site`` to ``target``; ``progress(action, name)`` follows each step."""
    names = site_files(site)
    remote = target.remote_hashes()
    plan = make_plan(hash_files(site, names), remote, delete)
    if dry_run:
        return DeployResult(str(target), plan, dry_run)
    try:
        _upload(site, target, plan.uploads, progress)
    except NewsgenError as exc:
        raise NewsgenError(
            f"{exc.message}; nothing was deleted and the target's record is unchanged: "
            "run the same command again to finish."
        ) from None
    for name in plan.deletes:
        target.remove(name)
        if progress:
            progress("delete", name)
    if plan.manifest != remote:
        target.commit(plan.manifest)
    return DeployResult(str(target), plan, dry_run)


def _upload(
    site: Path,
    target: Target,
    names: tuple[str, ...],
    progress: Callable[[str, str], None] | None,
) -> None:
    def send(name: str) -> str:
        try:
            data = (site / name).read_bytes()
        except OSError as exc:
            raise NewsgenError(f"deploy: cannot read {name}: {exc.strerror}") from None
        target.put(name, data)
        return name

    with concurrent.futures.ThreadPoolExecutor(UPLOAD_THREADS) as pool:
        futures = [pool.submit(send, name) for name in names]
        try:
            for future in concurrent.futures.as_completed(futures):
                done = future.result()
                if progress:
                    progress("upload", done)
        except BaseException:
            # Stop at the first failure: the rest would fail the same way, and the state
            # stays re-runnable (nothing deleted, the manifest unchanged).
            pool.shutdown(wait=True, cancel_futures=True)
            raise
