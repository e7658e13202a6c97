"""``newsgen ingest``: raw ``*.txt`` files to Markdown records, read top to bottom.

discover -> read and parse (in parallel; pure work per file) -> drop exact duplicates ->
mark near duplicates -> give every slug one owner -> write what changed, never a record
edited by hand (unless forced) -> report.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import wordfreq
from datasketch import MinHash

from newsgen.dedupe import (
    Candidate,
    fingerprint,
    fingerprint_from_text,
    fingerprint_to_text,
    near_duplicates,
)
from newsgen.errors import NewsgenError
from newsgen.fs import write_file_atomic
from newsgen.model import Article
from newsgen.parse import TopicRules, gender, lexicon, parse_raw
from newsgen.parse.boilerplate import article_lines, find_boilerplate, line_key
from newsgen.parse.text import decode
from newsgen.records import dump_article, load_article
from newsgen.sniff import MAX_BYTES

MANIFEST_NAME = ".newsgen-ingest.json"
# Bump whenever parse_raw's output can change (a parser rule, a word list, a dependency
# upgrade that changes results): every cached parse in every manifest is then redone.
PARSER_VERSION = "26"
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
    source_hash: str | None = None  # sha256 of the raw bytes (and the site furniture in them)
    origin: str = ""  # the path relative to its source folder
    cached: bool = False  # the bytes are those the manifest knows: not parsed again


@dataclass(frozen=True)
class Known:
    """What the manifest keeps of a file ingest parsed: enough for slug assignment and
    duplicate detection, and the record it led to, so that an unchanged file whose record
    is untouched is not parsed again."""

    source_hash: str
    parser: str  # PARSER_VERSION and the topic rules it was parsed with
    id: str
    parsed_slug: str
    title: str
    fingerprint: str
    warnings: tuple[str, ...]
    slug: str  # the record's name, after slug assignment
    duplicate_of: str | None
    record: str  # sha256 of the record text written

    def to_json(self) -> dict[str, object]:
        data = dict(vars(self))  # its fields, all plain values (asdict copies them deeply)
        data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_json(cls, data: object) -> Known | None:
        """The entry ``to_json`` wrote, or None for an old or damaged one (parsed again)."""
        if not isinstance(data, Mapping):
            return None
        try:
            warnings = data["warnings"]
            duplicate_of = data["duplicate_of"]
            if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
                raise ValueError("warnings")
            known = cls(
                source_hash=_text(data, "source_hash"),
                parser=_text(data, "parser"),
                id=_text(data, "id"),
                parsed_slug=_text(data, "parsed_slug"),
                title=_text(data, "title"),
                fingerprint=_text(data, "fingerprint"),
                warnings=tuple(warnings),
                slug=_text(data, "slug"),
                duplicate_of=None if duplicate_of is None else _text(data, "duplicate_of"),
                record=_text(data, "record"),
            )
            fingerprint_from_text(known.fingerprint)
        except (KeyError, ValueError):
            return None
        return known


def _text(data: Mapping[str, object], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(key)
    return value


@dataclass
class Manifest:
    """``articles/.newsgen-ingest.json``: the digest of every record ingest wrote (to tell
    hand edits) and what it knows of every raw file it parsed (by origin)."""

    records: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Known] = field(default_factory=dict)


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
    path: Path,
    root: Path,
    rules: TopicRules,
    known_hash: str | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> Parsed:
    """Read and parse one raw file; every problem becomes a message, never an exception.

    When the file's hash is ``known_hash``, it is not parsed: the manifest knows it.
    ``boilerplate``: the site furniture found across the whole ingest (``site_furniture``).
    """
    shown, origin = str(path), origin_of(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Parsed(shown, None, error=f"{shown}: cannot read: {exc.strerror or exc}")
    source_hash = _source_hash(data, boilerplate)
    if source_hash == known_hash:
        return Parsed(shown, None, source_hash=source_hash, origin=origin, cached=True)
    try:
        decoded = decode(data, shown)
        article = parse_raw(decoded.text, origin, _folder_topic(path, root), rules, boilerplate)
    except NewsgenError as exc:  # name the file as the user gave it, not as the parser saw it
        located = NewsgenError(exc.message, shown, exc.line, exc.column)
        return Parsed(shown, None, error=str(located))
    return Parsed(
        shown,
        article,
        decoded.warnings,
        fingerprint=fingerprint(article.body),
        source_hash=source_hash,
        origin=origin,
    )


def _source_hash(data: bytes, boilerplate: frozenset[str]) -> str:
    """What a file's record depends on: its bytes, and which of its lines are furniture (a
    new file elsewhere can make a line furniture, and so change this file's record)."""
    digest = hashlib.sha256(data)
    if boilerplate:
        text = data[:MAX_BYTES].decode("utf-8", errors="replace")
        furniture = sorted({key for key in map(line_key, text.splitlines()) if key in boilerplate})
        for key in furniture:
            digest.update(b"\n" + key.encode("utf-8"))
    return digest.hexdigest()


def site_furniture(paths: Sequence[Path], pool: Executor | None = None) -> frozenset[str]:
    """The lines a site repeats across these files: a first, cheap pass that parses nothing
    (in the workers, if there are any: alone, it kept the other cores idle)."""
    return find_boilerplate(_map(pool, _furniture_lines, paths))


def _furniture_lines(path: Path) -> tuple[str, frozenset[str]]:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES)
    except OSError:
        return "", frozenset()  # the parsing pass reports it
    return article_lines(data.decode("utf-8", errors="replace"))


def origin_of(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _folder_topic(path: Path, root: Path) -> str | None:
    relative = path.relative_to(root)
    return relative.parts[0] if len(relative.parts) > 1 else None


Job = tuple[Path, Path, TopicRules, str | None, frozenset[str]]
J = TypeVar("J")
R = TypeVar("R")


def _parse_job(job: Job) -> Parsed:
    return parse_file(*job)


def parse_jobs(
    files: Sequence[tuple[Path, Path]],
    rules: TopicRules,
    known: Mapping[str, str],
    boilerplate: frozenset[str] = frozenset(),
) -> list[Job]:
    """One job per file. ``known`` maps an origin to the hash of the bytes the manifest
    knows for it: such a file comes back ``cached`` instead of parsed."""
    plain_rules = dict(rules)
    return [
        (path, root, plain_rules, known.get(origin_of(path, root)), boilerplate)
        for path, root in files
    ]


@contextmanager
def _workers(
    count: int, executor: Callable[[], Executor] | None, parsing: bool = True
) -> Iterator[Executor | None]:
    """Worker processes when there are enough files to pay for starting them. ``parsing``:
    whether they will parse (some file is new to the manifest), so the parser's tables are
    worth loading before they fork."""
    if count < PARALLEL_THRESHOLD and executor is None:
        yield None
        return
    with executor() if executor else _process_pool(parsing) as pool:
        yield pool


def _map(pool: Executor | None, function: Callable[[J], R], jobs: Sequence[J]) -> Iterator[R]:
    """``function`` over ``jobs``, results in order, in the workers if there are any."""
    if pool is None:
        return map(function, jobs)
    return pool.map(function, jobs, chunksize=CHUNK_SIZE)


def _process_pool(parsing: bool = True) -> Executor:
    """Workers forked from this process, where the parser's word lists and tables are
    already loaded when they will parse (a spawned worker would spend a second or two
    loading them again)."""
    if parsing:
        load_parser_tables()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(mp_context=context)


def load_parser_tables() -> None:
    """What the parser loads on first use: the gazetteer (0.35 s of CPU), the given names'
    genders (0.25 s) and English word frequencies (0.15 s). Loaded before the workers fork,
    they are loaded once and shared; left to the first article that needs them, each worker
    loaded its own copy (at 2,000 articles on two workers, 0.2 ms an article). An unchanged
    re-ingest parses nothing and loads none of them."""
    lexicon.places()
    gender.load_table()
    wordfreq.zipf_frequency("the", "en")


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


def _parser_key(rules: TopicRules) -> str:
    """What a cached parse depends on besides the raw bytes and the origin."""
    spelled = json.dumps({k: list(v) for k, v in sorted(rules.items())}, ensure_ascii=False)
    return f"{PARSER_VERSION}:{hashlib.sha256(spelled.encode('utf-8')).hexdigest()[:16]}"


def ingest(
    sources: Sequence[Path],
    out: Path,
    rules: TopicRules | None = None,
    force: bool = False,
    progress: Callable[[Iterable[Parsed], int], Iterable[Parsed]] | None = None,
    executor: Callable[[], Executor] | None = None,
) -> Report:
    report = Report()
    rules = rules or {}
    files, warnings = discover(sources)
    report.warnings.extend(warnings)
    manifest = read_manifest(out / MANIFEST_NAME)
    parser = _parser_key(rules)
    known = {o: k.source_hash for o, k in manifest.sources.items() if k.parser == parser}
    file_of = {origin_of(path, root): (path, root) for path, root in files}
    parsing = not known.keys() >= file_of.keys()  # some file is new: the workers will parse
    with _workers(len(files), executor, parsing) as pool:
        furniture = site_furniture([path for path, _ in files], pool)
        report.furniture_lines = len(furniture)
        jobs = parse_jobs(files, rules, known, furniture)
        results: Iterable[Parsed] = _map(pool, _parse_job, jobs)
        if progress is not None:
            results = progress(results, len(files))
        kept = _collect(results, manifest, report)
        articles = _place(kept, report)

        def reparse(origin: str) -> Parsed:
            return parse_file(*file_of[origin], rules, None, furniture)

        writes = _write_jobs(articles, kept, manifest, out, reparse, report)
        out.mkdir(parents=True, exist_ok=True)
        outcomes = _map(pool, _write_job, [(a, out, force, r) for a, r in writes])
        for (article, _), outcome in zip(writes, outcomes, strict=True):
            if outcome.record is None:
                report.kept_edited.append(outcome.message)
                manifest.sources.pop(article.origin, None)
                continue
            if outcome.written:
                report.written.append(outcome.message)
            else:
                report.unchanged += 1
            record = manifest.records[article.slug] = outcome.record
            manifest.sources[article.origin] = _known(kept[article.id], article, parser, record)
    write_file_atomic(out / MANIFEST_NAME, manifest_text(manifest))
    return report


def _collect(results: Iterable[Parsed], manifest: Manifest, report: Report) -> dict[str, Parsed]:
    """Each file's parse (or its stub from the manifest) by article id, exact duplicates and
    errors reported and left out."""
    seen_ids: dict[str, str] = {}
    kept: dict[str, Parsed] = {}
    for parsed in results:
        report.read += 1
        if parsed.cached:
            parsed = _from_manifest(parsed, manifest)
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
        kept[article.id] = parsed
    return kept


def _place(kept: Mapping[str, Parsed], report: Report) -> list[Article]:
    """Every article with its final slug, and the original it copies, if any."""
    articles = assign_slugs([p.article for p in kept.values() if p.article is not None])
    slug_of = {a.origin: a.slug for a in articles}
    candidates = [Candidate(a.origin, a.title, kept[a.id].fingerprint) for a in articles]
    originals = near_duplicates(sorted(candidates, key=lambda c: c.key))
    articles = [
        replace(a, duplicate_of=slug_of[originals[a.origin]]) if a.origin in originals else a
        for a in articles
    ]
    report.near_duplicates.extend(
        f"{a.origin}: near duplicate of {a.duplicate_of}" for a in articles if a.duplicate_of
    )
    return articles


def _write_jobs(
    articles: Sequence[Article],
    kept: dict[str, Parsed],
    manifest: Manifest,
    out: Path,
    reparse: Callable[[str], Parsed],
    report: Report,
) -> list[tuple[Article, str | None]]:
    """The records to write (or compare), each with the digest ingest last wrote for its
    slug. A cached file whose record would come out the same and is untouched is done."""
    jobs = []
    for article in articles:
        parsed = kept[article.id]
        if parsed.cached:
            if _untouched(article, manifest.sources[article.origin], out, manifest.records):
                report.unchanged += 1
                continue
            # Its record must change (a new slug or original, or edited by hand): parse it.
            parsed = reparse(article.origin)
            if parsed.article is None:
                report.errors.append(parsed.error or f"{parsed.path}: not parsed")
                continue
            kept[article.id] = parsed
            article = replace(parsed.article, slug=article.slug, duplicate_of=article.duplicate_of)
        jobs.append((article, manifest.records.get(article.slug)))
    return jobs


@dataclass(frozen=True)
class Outcome:
    record: str | None  # sha256 of the record on disk now; None when a hand edit was kept
    written: bool = False
    message: str = ""  # the record's path, or why it was kept


def _write_job(job: tuple[Article, Path, bool, str | None]) -> Outcome:
    """Write a record if it changed, never one edited by hand since ingest wrote it (its
    digest is not ``recorded``), unless forced."""
    article, out, force, recorded = job
    path = out / f"{article.slug}.md"
    text = dump_article(article)
    if path.exists():
        existing = path.read_text(encoding="utf-8", errors="replace")
        if existing == text:
            return Outcome(_digest(text))
        if recorded != _digest(existing):
            if not force:
                return Outcome(
                    None,
                    message=f"{path}: edited by hand since ingest wrote it; kept (--force "
                    "overwrites)",
                )
            text = dump_article(_keep_hand_topics(article, existing, str(path)))
    write_file_atomic(path, text)
    return Outcome(_digest(text), written=True, message=str(path))


def _from_manifest(parsed: Parsed, manifest: Manifest) -> Parsed:
    """A file the manifest knows, as a stub article: what slugs and duplicates need."""
    known = manifest.sources[parsed.origin]
    stub = Article(known.id, known.parsed_slug, known.title, body="", origin=parsed.origin)
    signature = fingerprint_from_text(known.fingerprint) if known.fingerprint else None
    return replace(parsed, article=stub, warnings=known.warnings, fingerprint=signature)


def _untouched(article: Article, known: Known, out: Path, records: Mapping[str, str]) -> bool:
    """Whether the record written for a cached file would be written the same and is still
    on disk as ingest wrote it."""
    if (article.slug, article.duplicate_of) != (known.slug, known.duplicate_of):
        return False
    if records.get(article.slug) != known.record:
        return False
    try:
        data = (out / f"{article.slug}.md").read_bytes()
    except OSError:
        return False
    return hashlib.sha256(data).hexdigest() == known.record


def _known(parsed: Parsed, article: Article, parser: str, record: str) -> Known:
    assert parsed.article is not None and parsed.source_hash is not None
    return Known(
        source_hash=parsed.source_hash,
        parser=parser,
        id=article.id,
        parsed_slug=parsed.article.slug,
        title=article.title,
        fingerprint=fingerprint_to_text(parsed.fingerprint) if parsed.fingerprint else "",
        warnings=parsed.warnings,
        slug=article.slug,
        duplicate_of=article.duplicate_of,
        record=record,
    )


def _keep_hand_topics(article: Article, existing: str, path: str) -> Article:
    """Editors curate topics: a forced re-ingest keeps the topics of the edited record."""
    try:
        edited = load_article(existing, path)
    except NewsgenError:
        return article
    return replace(article, topics=edited.topics)


def read_manifest(path: Path) -> Manifest:
    """The manifest, or an empty one. The first format was a flat map of record digests."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, Mapping):
        return Manifest()
    if not isinstance(data.get("records"), Mapping):
        return Manifest(records={str(k): str(v) for k, v in data.items()})
    sources = data.get("sources")
    manifest = Manifest(records={str(k): str(v) for k, v in data["records"].items()})
    for origin, entry in sources.items() if isinstance(sources, Mapping) else []:
        known = Known.from_json(entry)
        if known is not None:
            manifest.sources[str(origin)] = known
    return manifest


def manifest_text(manifest: Manifest) -> str:
    data = {
        "records": dict(sorted(manifest.records.items())),
        "sources": {o: k.to_json() for o, k in sorted(manifest.sources.items())},
    }
    return indented_json(data) + "\n"


def indented_json(value: object) -> str:
    """``json.dumps(value, indent=1, ensure_ascii=False)``, the same text: with an indent,
    json encodes in Python a generator per value, and for ten thousand sources that was
    most of an unchanged re-ingest. Here only containers are walked in Python; strings and
    numbers go to the C encoder."""
    out: list[str] = []
    _indented(value, "\n", out)
    return "".join(out)


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode


def _indented(value: object, newline: str, out: list[str]) -> None:
    inner = newline + " "
    if isinstance(value, dict) and value:
        opening = "{"
        for key, item in value.items():
            out += (opening, inner, _SCALAR(_key(key)), ": ")
            _indented(item, inner, out)
            opening = ","
        out += (newline, "}")
    elif isinstance(value, list | tuple) and value:
        opening = "["
        for item in value:
            out += (opening, inner)
            _indented(item, inner, out)
            opening = ","
        out += (newline, "]")
    else:
        out.append(_SCALAR(value))


def _key(key: object) -> object:
    """A dict key as json writes it: text, with numbers, booleans and None spelled out."""
    if isinstance(key, str):
        return key
    return json.dumps(key)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
