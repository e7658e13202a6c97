"""``newsgen ingest``: raw ``*.txt`` files to Markdown records, read top to bottom.

discover -> read and parse (in parallel; pure work per file) -> drop exact duplicates ->
mark near duplicates -> give every slug one owner -> write what changed, never a record
edited by hand (unless forced) -> report.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from datasketch import MinHash

from newsgen.dedupe import Candidate, fingerprint, near_duplicates
from newsgen.errors import NewsgenError
from newsgen.fs import write_file_atomic
from newsgen.model import Article
from newsgen.parse import TopicRules, parse_raw
from newsgen.parse.boilerplate import article_lines, find_boilerplate
from newsgen.parse.text import MAX_BYTES, decode
from newsgen.records import dump_article, load_article

MANIFEST_NAME = ".newsgen-ingest.json"
PARALLEL_THRESHOLD = 64  # below this, starting worker processes costs more than it saves
CHUNK_SIZE = 32


@dataclass(frozen=True)
class Parsed:
    """What one worker made of one file."""

    path: str  # as discovered, for messages
    article: Article | None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    fingerprint: MinHash | None = None


@dataclass
class Report:
    read: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_edited: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    near_duplicates: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    furniture_lines: int = 0  # lines the site repeats on every page, removed from bodies

    @property
    def skipped(self) -> int:
        return len(self.errors) + len(self.duplicates)


def discover(sources: Sequence[Path]) -> tuple[list[tuple[Path, Path]], list[str]]:
    """Every ``*.txt`` below each source as (file, its source root), sorted; and warnings.

    Symlinks are followed only when they stay inside the source folder: a link to a secret
    file elsewhere must never end up in a public archive. Directory links are not followed,
    so a link loop cannot hang the walk.
    """
    found: list[tuple[Path, Path]] = []
    warnings: list[str] = []
    for source in sources:
        if source.is_file():
            found.append((source, source.parent))
            continue
        if not source.is_dir():
            warnings.append(f"{source}: no such file or folder")
            continue
        root = source.resolve()
        for folder, dirs, files in os.walk(source):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(".txt"):
                    continue
                path = Path(folder) / name
                if path.is_symlink():
                    target = path.resolve()
                    if not target.is_relative_to(root) or not target.is_file():
                        warnings.append(f"{path}: symlink to outside {source} skipped")
                        continue
                found.append((path, source))
            for name in dirs:
                if (Path(folder) / name).is_symlink():
                    warnings.append(f"{Path(folder) / name}: symlinked folder not followed")
    return found, warnings


def parse_file(
    path: Path, root: Path, rules: TopicRules, boilerplate: frozenset[str] = frozenset()
) -> Parsed:
    """Read and parse one raw file; every problem becomes a message, never an exception."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Parsed(shown, None, error=f"{shown}: cannot read: {exc.strerror or exc}")
    try:
        decoded = decode(data, shown)
        relative = path.relative_to(root)
        folder_topic = relative.parts[0] if len(relative.parts) > 1 else None
        article = parse_raw(decoded.text, relative.as_posix(), folder_topic, rules, boilerplate)
    except NewsgenError as exc:  # name the file as the user gave it, not as the parser saw it
        located = NewsgenError(exc.message, shown, exc.line, exc.column)
        return Parsed(shown, None, error=str(located))
    return Parsed(shown, article, decoded.warnings, fingerprint=fingerprint(article.body))


def _parse_job(job: tuple[Path, Path, TopicRules, frozenset[str]]) -> Parsed:
    return parse_file(*job)


def site_furniture(paths: Iterable[Path]) -> frozenset[str]:
    """The lines a site repeats across these files: a first, cheap pass that parses nothing."""

    def lines(path: Path) -> tuple[str, frozenset[str]]:
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES)
        except OSError:
            return "", frozenset()  # the parsing pass reports it
        return article_lines(data.decode("utf-8", errors="replace"))

    return find_boilerplate(map(lines, paths))


def parse_all(
    files: Sequence[tuple[Path, Path]],
    rules: TopicRules,
    executor: Callable[[], Executor] | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> Iterator[Parsed]:
    """Parse files in order, across processes when there are enough to pay for them."""
    jobs = [(path, root, dict(rules), boilerplate) for path, root in files]
    if len(jobs) < PARALLEL_THRESHOLD and executor is None:
        yield from map(_parse_job, jobs)
        return
    with (executor or ProcessPoolExecutor)() as pool:
        yield from pool.map(_parse_job, jobs, chunksize=CHUNK_SIZE)


def assign_slugs(articles: Sequence[Article]) -> list[Article]:
    """One owner per slug: the first by origin keeps it, later ones get an id suffix.

    Case-insensitive hosts would serve "Storm" and "storm" as one file, so slugs (already
    lowercase) are compared as they are; the id suffix is stable whatever else is ingested.
    """
    owners: dict[str, str] = {}
    result = []
    for article in sorted(articles, key=lambda a: a.origin):
        slug = article.slug
        if owners.setdefault(slug, article.id) != article.id:
            slug = f"{slug[:70]}-{article.id[:8]}"
        owners.setdefault(slug, article.id)
        result.append(replace(article, slug=slug) if slug != article.slug else article)
    return result


def ingest(
    sources: Sequence[Path],
    out: Path,
    rules: TopicRules | None = None,
    force: bool = False,
    progress: Callable[[Iterable[Parsed], int], Iterable[Parsed]] | None = None,
    executor: Callable[[], Executor] | None = None,
) -> Report:
    report = Report()
    files, warnings = discover(sources)
    report.warnings.extend(warnings)
    furniture = site_furniture(path for path, _ in files)
    report.furniture_lines = len(furniture)
    results: Iterable[Parsed] = parse_all(files, rules or {}, executor, furniture)
    if progress is not None:
        results = progress(results, len(files))

    seen_ids: dict[str, str] = {}
    articles: list[Article] = []
    candidates: list[Candidate] = []
    for parsed in results:
        report.read += 1
        report.warnings.extend(parsed.warnings)
        if parsed.error or parsed.article is None:
            report.errors.append(parsed.error or f"{parsed.path}: not parsed")
            continue
        article = parsed.article
        if article.id in seen_ids:
            report.duplicates.append(
                f"{parsed.path}: exact duplicate of {seen_ids[article.id]}, skipped"
            )
            continue
        seen_ids[article.id] = parsed.path
        articles.append(article)
        candidates.append(Candidate(article.origin, article.title, parsed.fingerprint))

    articles = assign_slugs(articles)
    slug_of = {a.origin: a.slug for a in articles}
    originals = near_duplicates(sorted(candidates, key=lambda c: c.key))
    articles = [
        replace(a, duplicate_of=slug_of[originals[a.origin]]) if a.origin in originals else a
        for a in articles
    ]
    report.near_duplicates.extend(
        f"{a.origin}: near duplicate of {a.duplicate_of}" for a in articles if a.duplicate_of
    )
    write_records(articles, out, force, report)
    return report


def write_records(articles: Sequence[Article], out: Path, force: bool, report: Report) -> None:
    """Write each record that changed; keep records edited by hand since ingest wrote them."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST_NAME
    manifest = _read_manifest(manifest_path)
    for article in articles:
        path = out / f"{article.slug}.md"
        text = dump_article(article)
        if path.exists():
            existing = path.read_text(encoding="utf-8", errors="replace")
            if existing == text:
                report.unchanged += 1
                manifest[article.slug] = _digest(text)
                continue
            if manifest.get(article.slug) != _digest(existing):
                if not force:
                    report.kept_edited.append(
                        f"{path}: edited by hand since ingest wrote it; kept (--force overwrites)"
                    )
                    continue
                text = dump_article(_keep_hand_topics(article, existing, str(path)))
        write_file_atomic(path, text)
        manifest[article.slug] = _digest(text)
        report.written.append(str(path))
    write_file_atomic(manifest_path, json.dumps(dict(sorted(manifest.items())), indent=1) + "\n")


def _keep_hand_topics(article: Article, existing: str, path: str) -> Article:
    """Editors curate topics: a forced re-ingest keeps the topics of the edited record."""
    try:
        edited = load_article(existing, path)
    except NewsgenError:
        return article
    return replace(article, topics=edited.topics)


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, Mapping):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
