"""Article files the build cache has hashed before, known by their ``stat`` alone.

Reading and hashing every record is most of a rebuild that changes little (80 MB at 10,000
articles). A file whose size, mtime, ctime, inode and device are what they were when the
cache hashed it, under the same newsgen code, holds the same bytes, provided its last change
came well before the hash (git's "racily clean" rule: a write within the same timestamp tick
as the hash could otherwise keep every stamp). A program can set the mtime back, never the
ctime, so an edit that restores size and mtime is still read. Symbolic links are always
read: where one points is not in its target's stamp.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from newsgen import fs
from newsgen.cache import BuildCache
from newsgen.errors import NewsgenError

# More than the coarsest file-timestamp granularity (FAT's 2 s); a file changed this recently
# before it was hashed is hashed again next time.
RACY_NS = 2_000_000_000


def _stamp(code: str, stat: os.stat_result) -> str:
    return (
        f"{code}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}:{stat.st_dev}"
    )


def read_articles(
    project: Path, cache: BuildCache, folder: str = "articles", defer: bool = False
) -> fs.Sources:
    """``fs.read_articles``, with the cache's digest and no read for a file known unchanged.

    ``defer``: a first build (no last site to compare with) needs no digest before it
    parses, so a file the cache has no stamp for is only listed (``Sources.unhashed``). The
    parse workers read and hash it (``newsgen.parsejob``), on every core, where this process
    read and hashed each record of a first build alone: 1.0-1.2 s at 10,000, while the other
    core waited. ``remember`` keeps the stamps once the digests are known."""
    found = fs.Sources()
    root = project / folder
    if not root.is_dir():
        return found
    real_root = root.resolve()
    known = cache.stamps()
    fresh: list[tuple[str, str, str]] = []
    with os.scandir(root) as entries:
        listing = sorted((e.name, e) for e in entries if e.name.endswith(".md"))
    for filename, entry in listing:
        name = f"{folder}/{filename}"
        try:
            stat = None if entry.is_symlink() else entry.stat()
        except OSError:
            stat = None
        stamp = _stamp(cache.code, stat) if stat is not None else None
        row = known.get(name)
        if stamp is not None and row is not None and row[0] == stamp:
            found.texts.append(fs.SourceText(name, "", row[1], entry.path))
            continue
        count = len(found.texts)
        hashed_at = time.time_ns()
        if defer and stamp is not None:
            # Read later, so this is early enough for the racily-clean rule as well.
            found.texts.append(fs.SourceText(name, "", "", entry.path))
            found.unhashed[name] = stamp if _settled(stat, hashed_at) else ""
            continue
        fs.read_article(root / filename, name, real_root, found)
        if len(found.texts) > count:
            text = found.texts[-1].text
            digest = cache.record_digest(name, text)
            # Only the digest is kept: a build needs the text only to parse a record it has
            # not cached, and reads it again then (all the texts of a large archive at once
            # were most of a clean build's memory).
            found.texts[-1] = fs.SourceText(name, "", digest, entry.path)
            if stamp is not None and _settled(stat, hashed_at):
                fresh.append((name, stamp, digest))
    cache.put_stamps(fresh)
    return found


def _settled(stat: os.stat_result | None, hashed_at: int) -> bool:
    """Whether a file was last changed long enough before it was hashed for its stamp to
    vouch for it (git's racily-clean rule)."""
    return stat is not None and max(stat.st_mtime_ns, stat.st_ctime_ns) < hashed_at - RACY_NS


def remember(cache: BuildCache, sources: fs.Sources) -> None:
    """Keep the stamps of the files ``read_articles`` listed without reading, now that the
    parse workers have given their texts' digests, and drop them from ``sources`` (about
    16 MB at 100,000 records, 1.6 MB measured at 10,000, which the build would otherwise
    hold to its end)."""
    cache.put_stamps(
        (t.name, stamp, t.digest)
        for t in sources.texts
        if t.digest and (stamp := sources.unhashed.get(t.name))
    )
    sources.unhashed.clear()


def text_of(source: fs.SourceText, cache: BuildCache) -> str:
    """The text of a source that was not read, which must still have its digest."""
    if source.unread is None:
        return source.text
    again = fs.Sources()
    path = Path(source.unread)
    fs.read_article(path, source.name, path.parent.resolve(), again)
    if again.texts and cache.record_digest(source.name, again.texts[0].text) == source.digest:
        return again.texts[0].text
    raise NewsgenError("changed while the site was being built; build again", source.name)
