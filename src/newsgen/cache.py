"""The build cache in ``.newsgen-cache/``: content-addressed, optional, never trusted blindly.

Five tables in one SQLite file: Markdown to HTML by the body's hash, parsed records by name,
size, mtime *and* content hash, per output folder the manifest of the last site written
(each page's fingerprint, the entities it read, the size and mtime of the file written, its
link problems) and the model it was planned from (``newsgen.resume``), and each record
file's stamp and digest (``newsgen.stamps``). Every key
includes the digest of the newsgen code and theme, every value its own checksum. A missing,
locked or corrupt cache is a slower build, never a different one: any SQLite or decoding
error turns the cache off for the rest of the build.
"""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from newsgen.errors import NewsgenError
from newsgen.hashing import blake
from newsgen.model import Article

# A record as the build reads it: the article, and the warnings reading it gave.
Loaded = tuple[Article, tuple[NewsgenError, ...]]
K = TypeVar("K")
V = TypeVar("V")

CACHE_DIR = ".newsgen-cache"
_FILE = "build.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS markdown (key TEXT PRIMARY KEY, html TEXT, check_ TEXT);
CREATE TABLE IF NOT EXISTS records (
    name TEXT PRIMARY KEY, size INT, mtime_ns INT, digest TEXT, article BLOB, check_ TEXT);
CREATE TABLE IF NOT EXISTS pages (
    out TEXT, path TEXT, fingerprint TEXT, keys TEXT, size INT, mtime_ns INT, problems TEXT,
    PRIMARY KEY (out, path));
-- What a replay or a resumed build reads of every page, without the rows' entity keys (most
-- of the table's bytes): SQLite answers from this index alone.
CREATE INDEX IF NOT EXISTS pages_stat ON pages (out, path, size, mtime_ns, problems);
CREATE TABLE IF NOT EXISTS site (out TEXT PRIMARY KEY, paths TEXT, inputs TEXT, summary BLOB);
CREATE TABLE IF NOT EXISTS stamps (name TEXT PRIMARY KEY, stamp TEXT, digest TEXT, check_ TEXT);
CREATE TABLE IF NOT EXISTS states (out TEXT PRIMARY KEY, frame TEXT, data BLOB, check_ TEXT);
"""


def _row_check(*parts: str) -> str:
    """A checksum against a damaged row, for the table every build reads whole (a stamp
    per record file): CRC-32 in C, where a cryptographic digest per row was a fifth of
    reading them. A row that is not what was written only costs a read of its file."""
    return format(zlib.crc32("\x00".join(parts).encode("utf-8", "surrogatepass")), "08x")


def _record_row(
    name: str, size: int, mtime_ns: int, digest: str, loaded: Loaded
) -> tuple[str, int, int, str, bytes, str]:
    article, warnings = loaded
    notes = [(w.message, w.path, w.line, w.column) for w in warnings]
    data = pickle.dumps((article, notes), protocol=pickle.HIGHEST_PROTOCOL)
    return (name, size, mtime_ns, digest, data, blake(digest, data))


@dataclass(frozen=True, slots=True)
class PageEntry:
    """What the last build wrote at one path, and what it depended on. (Slots: a manifest
    read whole holds one per page, 176,000 at 100,000 articles.)"""

    fingerprint: str
    keys: tuple[str, ...]
    size: int
    mtime_ns: int
    problems: tuple[str, ...]  # broken-link messages, "site/x.html: ..." already formatted


@dataclass(frozen=True)
class SiteEntry:
    paths: str  # digest of the set of output paths
    inputs: str  # digest of everything the build read (records, config, templates, code)
    summary: bytes = b""  # the pickled BuildResult, replayed when the inputs are the same


class BuildCache:
    """One build's view of the cache. ``BuildCache(None, code)`` is a cache that is off."""

    def __init__(self, folder: Path | None, code: str) -> None:
        self.code = code
        self.folder = folder
        self._db: sqlite3.Connection | None = None
        if folder is not None:
            self._db = self._connect(folder)

    @staticmethod
    def _connect(folder: Path) -> sqlite3.Connection | None:
        path = folder / _FILE
        for attempt in range(2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=5)
                # Set before the first table is made, so only a new file has it: deleted
                # entries can then give their pages back to the file system.
                db.execute("PRAGMA auto_vacuum = INCREMENTAL")
                db.executescript(_SCHEMA)
                return db
            except (sqlite3.Error, OSError):
                # A corrupt file: remove it once and start empty (it only costs time).
                if attempt == 0:
                    with contextlib.suppress(OSError):
                        path.unlink()
        return None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def markdown_folder(self) -> Path | None:
        """Where worker processes find the Markdown cache (they open their own connection)."""
        return self.folder.absolute() if self.folder is not None and self.enabled else None

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error:
            self.close()
            return []

    def _write(self, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(sql, rows)
        except sqlite3.Error:
            self.close()

    def markdown_key(self, body: str) -> str:
        return blake(self.code, body)

    def markdown(self, key: str) -> str | None:
        for html, check in self._query("SELECT html, check_ FROM markdown WHERE key=?", (key,)):
            if isinstance(html, str) and check == blake(key, html):
                return html
        return None

    def has_markdown(self) -> bool:
        """Whether any body's HTML is cached (none after a clean start: nothing to look up)."""
        return bool(self._query("SELECT 1 FROM markdown LIMIT 1"))

    def put_markdown(self, items: Mapping[str, str]) -> None:
        self._write(
            "INSERT OR REPLACE INTO markdown VALUES (?, ?, ?)",
            ((k, html, blake(k, html)) for k, html in items.items()),
        )

    def keep_markdown(self, keys: Iterable[str]) -> None:
        """Forget the HTML of every body but ``keys`` (those of the site just built): the
        entries of edited bodies and of earlier newsgen versions otherwise pile up without
        end (840 MB and 118,652 entries for 10,000 articles after a day of upgrades)."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
                self._db.execute("DELETE FROM live")
                self._db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((k,) for k in keys))
                self._db.execute("DELETE FROM markdown WHERE key NOT IN (SELECT key FROM live)")
                self._db.execute("DELETE FROM live")
            self._db.execute("PRAGMA incremental_vacuum")  # a cache made since gives pages back
        except sqlite3.Error:
            self.close()

    def record_digest(self, name: str, text: str) -> str:
        return blake(self.code, name, text)

    def record(self, name: str, digest: str) -> Loaded | None:
        """The article parsed from the file ``name`` when it held the text with ``digest``,
        with the warnings reading it gave (they are given again on every build).

        Size and mtime are kept for a person looking at the cache; the key is the content,
        as two edits within one mtime tick (or a restored backup) keep size and mtime.
        """
        rows = self._query("SELECT digest, article, check_ FROM records WHERE name=?", (name,))
        for cached, data, check in rows:
            if cached != digest or not isinstance(data, bytes) or check != blake(digest, data):
                return None
            try:
                article, notes = pickle.loads(data)
                warnings = tuple(NewsgenError(*note) for note in notes)
            except Exception:  # a corrupt value is a miss, whatever unpickling raised
                return None
            return (article, warnings) if isinstance(article, Article) else None
        return None

    def put_records(self, items: Iterable[tuple[str, int, int, str, Loaded]]) -> None:
        # Rows made one at a time as SQLite takes them: a list of every pickled record was
        # 135 MB at 100,000 articles, and the allocator kept most of it after it was freed.
        self._write(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
            (_record_row(*item) for item in items),
        )

    def stamps(self) -> dict[str, tuple[str, str]]:
        """Record file -> (its stamp when it was hashed, its digest); see ``newsgen.stamps``."""
        rows = self._query("SELECT name, stamp, digest, check_ FROM stamps")
        return {
            name: (stamp, digest)
            for name, stamp, digest, check in rows
            if isinstance(name, str)
            and isinstance(stamp, str)
            and isinstance(digest, str)
            and check == _row_check(name, stamp, digest)
        }

    def put_stamps(self, items: Iterable[tuple[str, str, str]]) -> None:
        self._write(
            "INSERT OR REPLACE INTO stamps VALUES (?, ?, ?, ?)",
            (
                (name, stamp, digest, _row_check(name, stamp, digest))
                for name, stamp, digest in items
            ),
        )

    def pages(self, out: str) -> dict[str, PageEntry]:
        return self._entries("WHERE out=?", (out,))

    def page_entries(self, out: str, paths: Iterable[str]) -> dict[str, PageEntry]:
        """``pages``, only for ``paths`` (a few: one indexed query each)."""
        wanted = set(paths)
        if len(wanted) > 500:
            return {path: e for path, e in self.pages(out).items() if path in wanted}
        found: dict[str, PageEntry] = {}
        for path in wanted:
            found.update(self._entries("WHERE out=? AND path=?", (out, path)))
        return found

    def _entries(self, where: str, args: tuple[object, ...]) -> dict[str, PageEntry]:
        # Each entity key once, however many pages read it: at 100,000 articles the manifest
        # holds 3.5 million keys, 99,744 of them different (230 MB as separate strings).
        intern = sys.intern

        def entry(row: tuple[Any, ...]) -> tuple[str, PageEntry]:
            path, fingerprint, keys, size, mtime_ns, problems = row
            return str(path), PageEntry(
                str(fingerprint),
                tuple(map(intern, str(keys).split("\n"))) if keys else (),
                int(size),
                int(mtime_ns),
                tuple(str(problems).split("\n")) if problems else (),
            )

        sql = f"SELECT path, fingerprint, keys, size, mtime_ns, problems FROM pages {where}"
        return self._collect(sql, args, entry)

    def _collect(
        self, sql: str, args: tuple[object, ...], item: Callable[[tuple[Any, ...]], tuple[K, V]]
    ) -> dict[K, V]:
        """The rows of ``sql`` as a dict, made row by row from the cursor: fetched all at
        once, the manifest's rows at 100,000 articles took 75 MiB more, which the heap kept
        after they were freed. Empty when the table cannot be read (only costs time)."""
        if self._db is None:
            return {}
        try:
            return dict(map(item, self._db.execute(sql, args)))
        except sqlite3.Error:
            self.close()
            return {}

    def readers(self, out: str, keys: Iterable[str]) -> set[str]:
        """The pages of ``out`` whose templates read any of ``keys`` (entity keys): SQLite
        finds the rows that mention a key (one scan), Python keeps those that read it."""
        wanted = set(keys)
        if not wanted:
            return set()
        if len(wanted) > 200:  # a query of that many terms: as quick to look at every page
            pages = self.pages(out)
            return {path for path, e in pages.items() if not wanted.isdisjoint(e.keys)}
        mentions = " OR ".join(["instr(keys, ?)"] * len(wanted))
        rows = self._query(
            f"SELECT path, keys FROM pages WHERE out=? AND ({mentions})", (out, *wanted)
        )
        return {str(path) for path, read in rows if not wanted.isdisjoint(str(read).split("\n"))}

    def problems(self, out: str) -> dict[str, tuple[str, ...]]:
        """The broken links of the pages of ``out`` that have any."""
        rows = self._query("SELECT path, problems FROM pages WHERE out=? AND problems!=''", (out,))
        return {str(path): tuple(str(found).split("\n")) for path, found in rows}

    def written(self, out: str) -> dict[str, tuple[int, int]]:
        """``pages`` without the fingerprints: each file's size and mtime, for a replay."""
        # As SQLite gives them (the columns are typed): a value of another type only fails
        # to match the file, as a wrong number does.
        sql = "SELECT path, size, mtime_ns FROM pages WHERE out=?"
        return self._collect(sql, (out,), lambda row: (row[0], (row[1], row[2])))

    def site(self, out: str) -> SiteEntry | None:
        rows = self._query("SELECT paths, inputs, summary FROM site WHERE out=?", (out,))
        for paths, inputs, summary in rows:
            return SiteEntry(
                str(paths), str(inputs), summary if isinstance(summary, bytes) else b""
            )
        return None

    def put_site(self, out: str, site: SiteEntry, pages: Mapping[str, PageEntry]) -> None:
        """Replace the manifest of ``out`` with the site just written there."""
        self._store_site(out, site, pages, whole=True)

    def update_site(
        self,
        out: str,
        site: SiteEntry,
        pages: Mapping[str, PageEntry],
        removed: Iterable[str] = (),
        problems: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        """``put_site`` for a site of which only ``pages`` changed: their rows, and the
        site's; the rows of ``removed`` go, and ``problems`` gives other pages' broken
        links anew. Every other row stands."""
        self._store_site(out, site, pages, False, removed, problems)

    def _store_site(
        self,
        out: str,
        site: SiteEntry,
        pages: Mapping[str, PageEntry],
        whole: bool,
        removed: Iterable[str] = (),
        problems: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        if self._db is None:
            return
        rows = (
            (out, path, e.fingerprint, "\n".join(e.keys), e.size, e.mtime_ns, "\n".join(e.problems))
            for path, e in pages.items()
        )
        try:
            with self._db:
                if whole:
                    self._db.execute("DELETE FROM pages WHERE out=?", (out,))
                self._db.executemany(
                    "DELETE FROM pages WHERE out=? AND path=?", ((out, p) for p in removed)
                )
                self._db.executemany(
                    "UPDATE pages SET problems=? WHERE out=? AND path=?",
                    (("\n".join(found), out, p) for p, found in (problems or {}).items()),
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)", rows
                )
                self._db.execute(
                    "INSERT OR REPLACE INTO site VALUES (?, ?, ?, ?)",
                    (out, site.paths, site.inputs, site.summary),
                )
        except sqlite3.Error:
            self.close()

    def state(self, out: str, frame: str, token: str) -> bytes | None:
        """The model the site in ``out`` was planned from, if planned under ``frame`` and
        kept with the manifest that gives ``token``."""
        rows = self._query("SELECT frame, data, check_ FROM states WHERE out=?", (out,))
        for found, data, check in rows:
            if found == frame and check == token and isinstance(data, bytes):
                return data if blake(frame, data) == token else None
        return None

    def put_state(self, out: str, frame: str, data: bytes) -> str:
        """Keep the model of the site in ``out``; its checksum is its token, which the site's
        manifest keeps: a state is resumed only with the manifest written with it."""
        token = blake(frame, data)
        self._write(
            "INSERT OR REPLACE INTO states VALUES (?, ?, ?, ?)", [(out, frame, data, token)]
        )
        return token if self.enabled else ""

    def forget_site(self, out: str) -> None:
        """Before a site is replaced: a crash mid-swap must not leave a manifest that lies."""
        self._write("DELETE FROM site WHERE out=?", [(out,)])

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
