"""``newsgen serve`` wired together: bind, build, serve, then rebuild on every batch of changes.

One thread serves HTTP (a thread per request), two watch the files, and the caller's thread
runs the rebuilds one at a time; changes that arrive during a rebuild are merged into the next
one, so a burst of thousands of changes costs one or a few rebuilds.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsgen.build import BuildResult
from newsgen.errors import NewsgenError
from newsgen.serve.rebuild import (
    RebuilderFactory,
    adopt,
    incremental_rebuilder,
    reingest,
    serve_options,
)
from newsgen.serve.reload import BuildState, ReloadHub
from newsgen.serve.server import LiveSite, SiteServer
from newsgen.serve.watch import Changes, ProjectWatcher, classify

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
WORK_FOLDER = Path(".newsgen-cache") / "serve"
# A batch this big is a burst (a git checkout, a copy): wait until the watcher has been
# quiet for BURST_QUIET seconds (at most BURST_MAX_WAIT) and rebuild once for all of it.
BURST_SIZE = 50
BURST_QUIET = 0.3
BURST_MAX_WAIT = 5.0


@dataclass(frozen=True)
class ServeOptions:
    project: Path
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = False
    epoch: dt.datetime | None = None


def site_url(host: str, port: int) -> str:
    """The address pages link to; a wildcard bind is visited on this machine's loopback."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def exposure_warning(host: str) -> str | None:
    if host in LOCAL_HOSTS:
        return None
    return (
        f"warning: serving on {host}, not 127.0.0.1: anyone who can reach this machine can "
        "read the site, drafts included"
    )


def claim_workdir(project: Path) -> Path:
    """This process's folder for builds; folders of serve processes that died are removed."""
    parent = project / WORK_FOLDER
    parent.mkdir(parents=True, exist_ok=True)
    for old in parent.iterdir():
        if old.name.isdigit() and not _alive(int(old.name)):
            shutil.rmtree(old, ignore_errors=True)
    mine = parent / str(os.getpid())
    shutil.rmtree(mine, ignore_errors=True)
    mine.mkdir()
    return mine


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class ServeSession:
    """A running ``newsgen serve``: ``open()``, then ``run()`` until interrupted, ``close()``."""

    def __init__(
        self,
        options: ServeOptions,
        make_rebuilder: RebuilderFactory = incremental_rebuilder,
        say: Callable[[str], None] = print,
    ) -> None:
        self.options = options
        self.project = options.project.absolute()
        self.say = say
        self.hub = ReloadHub()
        self.site = LiveSite()
        self._stopping = threading.Event()
        self._echo: dict[Path, tuple[int, int, int] | None] = {}
        # Raises OSError (EADDRINUSE) before any work is done.
        self.server = SiteServer(options.host, options.port, self.site, self.hub)
        self.url = site_url(options.host, self.server.port)
        self.workdir = claim_workdir(self.project)
        self.rebuilder = make_rebuilder(
            self.project, serve_options(self.url, options.drafts, options.epoch), self.workdir
        )
        self.watcher = ProjectWatcher(self.project)
        self._http = threading.Thread(target=self.server.serve_forever, name="http", daemon=True)

    def open(self) -> BuildState:
        """Watch first (edits made during the first build are not lost), build, serve."""
        self.watcher.start()
        state = self.apply(Changes())
        self._http.start()
        return state

    def run(self) -> None:
        """Rebuild on each batch of changes until ``stop()`` (or Ctrl-C in the caller)."""
        while not self._stopping.is_set():
            try:
                paths = self.watcher.changes.get(timeout=0.2)
            except queue.Empty:
                continue
            changes = self._without_echo(classify(self.project, self._gather(paths)))
            if changes:
                self.apply(changes)

    def _gather(self, first: set[Path]) -> set[Path]:
        """Whatever queued up during the last rebuild goes into this one; and a burst (a git
        checkout, a bulk copy) is waited out, so it costs one rebuild instead of several.
        A single save goes through at once: editors are waiting for it."""
        paths = set(first)
        deadline = time.monotonic() + BURST_MAX_WAIT
        while time.monotonic() < deadline:
            wait = BURST_QUIET if len(paths) >= BURST_SIZE else 0.0
            try:
                paths |= self.watcher.changes.get(timeout=wait)
            except queue.Empty:
                break
        return paths

    def stop(self) -> None:
        self._stopping.set()

    def close(self) -> None:
        self._stopping.set()
        self.watcher.stop()
        self.hub.close()
        if self._http.is_alive():
            self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def apply(self, changes: Changes) -> BuildState:
        """Re-ingest if seeds changed, rebuild, switch to the new site if it is good, and
        tell the open pages. Never raises for bad input: it becomes the error notice."""
        errors: list[str] = []
        changed = set(changes.built)
        if changes.seeds:
            try:
                report = reingest(self.project)
            except NewsgenError as exc:
                errors.append(str(exc))
            else:
                errors.extend(report.errors)
                for line in report.kept_edited:
                    self.say(line)
                written = {Path(name).absolute() for name in report.written}
                changed |= written
                self._echo.update({path: _stat_key(path) for path in written})
        result: BuildResult | None = None
        try:
            result = self.rebuilder.rebuild(changed)
        except NewsgenError as exc:
            errors.append(str(exc))
        except Exception as exc:  # a bug must not stop a preview someone is working in
            traceback.print_exc(file=sys.stderr)
            errors.append(f"newsgen: internal error while building: {exc!r}")
        if result is not None:
            errors.extend(str(error) for error in result.errors)
            if adopt(result, self.site.root is not None):
                self.site.root = result.out
        self._report(result, errors)
        return self.hub.publish(errors)

    def _without_echo(self, changes: Changes) -> Changes:
        """Drop records that re-ingest wrote and the last rebuild already read."""
        if not self._echo:
            return changes
        echoes = {p for p in changes.records if p in self._echo and self._echo[p] == _stat_key(p)}
        for path in changes.records:
            self._echo.pop(path, None)
        return Changes(changes.seeds, changes.records - echoes, changes.site_wide)

    def _report(self, result: BuildResult | None, errors: list[str]) -> None:
        for line in errors:
            self.say(line)
        if result is None:
            self.say("build failed; still serving the last good build")
            return
        warnings = f", {len(result.warnings)} warnings" if result.warnings else ""
        verdict = "built" if result.ok else "build failed (the errors show in the browser)"
        self.say(f"{verdict}: {result.files} files in {result.seconds:.2f} s{warnings}")
