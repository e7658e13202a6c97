"""What serve watches, and what a batch of changed paths means for the site.

``classify`` is pure: it sorts changed paths into seeds (re-ingest), records (rebuild what
depends on them) and site-wide inputs (templates, ``newsgen.yaml``: rebuild everything), and
drops what editors and tools leave behind (swap files, backups, vim's ``4913`` probe, atomic
save temporaries). ``ProjectWatcher`` feeds batches from watchfiles, which already groups a
burst such as a ``git checkout`` into one batch, into a queue.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

import watchfiles

from newsgen.fs import CONFIG_NAME

CONTENT_FOLDERS = ("seeds", "articles", "templates")
# watchfiles yields a batch once no change came for ``step`` ms, or after ``debounce`` ms of
# non-stop changes. A long debounce keeps a burst that lasts seconds (a big checkout on a
# busy machine) in one batch; a single save still comes after ``step``.
WATCH_DEBOUNCE_MS = 10_000
_NOISE_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", ".part", ".crdownload")


@dataclass(frozen=True)
class Changes:
    seeds: frozenset[Path] = frozenset()
    records: frozenset[Path] = frozenset()
    site_wide: frozenset[Path] = frozenset()  # templates and the config

    def __bool__(self) -> bool:
        return bool(self.seeds or self.records or self.site_wide)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.seeds | other.seeds,
            self.records | other.records,
            self.site_wide | other.site_wide,
        )

    @property
    def built(self) -> frozenset[Path]:
        """The changed build inputs (seeds only reach the build through their records)."""
        return self.records | self.site_wide


def is_noise(name: str) -> bool:
    """A file no build reads: hidden and lock files, editor swap, backup and temporary files."""
    return (
        name.startswith((".", "#"))
        or name.endswith(("~", "#"))
        or name.endswith(_NOISE_SUFFIXES)
        or name.isdigit()  # vim's "can I write here" probe, 4913
        or "___jb_" in name  # JetBrains safe-write temporaries
    )


def classify(project: Path, paths: Iterable[PurePath]) -> Changes:
    """Sort changed absolute ``paths`` under ``project`` by what they ask to be redone."""
    seeds: set[Path] = set()
    records: set[Path] = set()
    site_wide: set[Path] = set()
    for path in paths:
        try:
            parts = PurePath(path).relative_to(project).parts
        except ValueError:
            continue
        if not parts or any(is_noise(part) for part in parts):
            continue
        name, top = parts[-1], parts[0]
        if parts in ((CONFIG_NAME,), ("templates",), ("articles",)) or top == "templates":
            # A content folder itself came or went: what it holds changed, all of it.
            site_wide.add(Path(path))
        elif top == "articles" and len(parts) == 2 and name.endswith(".md"):
            records.add(Path(path))
        elif top == "seeds" and (name.endswith(".txt") or len(parts) == 1):
            seeds.add(Path(path))
    return Changes(frozenset(seeds), frozenset(records), frozenset(site_wide))


class _Either:
    """Stops a watch when either event is set (watchfiles polls ``is_set``)."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


class ProjectWatcher:
    """Watches the content folders (recursively) and the project folder itself (for
    ``newsgen.yaml`` and content folders coming and going) and queues changed paths."""

    def __init__(self, project: Path, step_ms: int = 50) -> None:
        self.project = project.absolute()
        self.changes: queue.Queue[set[Path]] = queue.Queue()
        self.step_ms = step_ms
        self._stop = threading.Event()
        self._regroup = threading.Event()  # a content folder appeared or went
        self._threads = [
            threading.Thread(target=self._watch_top, name="watch-project", daemon=True),
            threading.Thread(target=self._watch_content, name="watch-content", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def _watch(self, folders: list[Path], recursive: bool, until: _Either) -> Iterable[set[Path]]:
        for batch in watchfiles.watch(
            *folders,
            watch_filter=None,
            step=self.step_ms,
            debounce=WATCH_DEBOUNCE_MS,
            stop_event=until,
            recursive=recursive,
            raise_interrupt=False,
            ignore_permission_denied=True,
        ):
            yield {Path(name) for _, name in batch}

    def _watch_top(self) -> None:
        content = {self.project / name for name in CONTENT_FOLDERS}
        for paths in self._watch([self.project], False, _Either(self._stop)):
            if paths & content:
                self._regroup.set()
            self.changes.put(paths)

    def _watch_content(self) -> None:
        first = True
        while not self._stop.is_set():
            self._regroup.clear()
            folders = [self.project / n for n in CONTENT_FOLDERS if (self.project / n).is_dir()]
            if not folders:
                self._stop.wait(0.2)
                continue
            if not first:
                # Files written while the watch was being set up again were not seen: once
                # it is up, report the folders themselves, which rebuilds from all they hold.
                later = threading.Timer(0.2, self.changes.put, [set(folders)])
                later.daemon = True
                later.start()
            first = False
            for paths in self._watch(folders, True, _Either(self._stop, self._regroup)):
                self.changes.put(paths)
