"""``newsgen build``: the recipe, top to bottom. Read, load, select, group, plan, render, check,
write. Only the first and last steps touch the disk."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from newsgen import fs, search
from newsgen.archive import Health, make_archive, select
from newsgen.config import load_config
from newsgen.dates import zone
from newsgen.errors import NewsgenError
from newsgen.links import check_links
from newsgen.markup import check_markdown
from newsgen.model import Article
from newsgen.plan import plan
from newsgen.records import load_article_checked
from newsgen.render import make_environment, page_counts, render_pages


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    today: dt.date  # what counts as "future"; the CLI passes it in, the core never asks
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    epoch: dt.datetime | None = None  # SOURCE_DATE_EPOCH, read by the CLI
    search: bool = True  # False: no index and no search page, whatever newsgen.yaml says


@dataclass(frozen=True)
class BuildResult:
    out: Path
    written: bool
    pages: Mapping[str, int]
    errors: tuple[NewsgenError, ...]
    warnings: tuple[NewsgenError, ...]
    health: Health
    drafts_skipped: int
    future_skipped: int
    files: int
    seconds: float
    cleaned: tuple[str, ...] = ()  # leftovers of an interrupted build, removed

    @property
    def ok(self) -> bool:
        return not self.errors


def build(project: Path, options: BuildOptions) -> BuildResult:
    """Build the site of ``project``. Raises ``NewsgenError`` when nothing can be built.

    Checked and locked before any work: an output folder that is not newsgen's is refused,
    and a second build of the same output fails fast instead of mixing with the first.
    """
    fs.check_output(project, options.out)
    with fs.output_lock(options.out):
        cleaned = tuple(str(p) for p in fs.clean_leftovers(options.out.absolute()))
        result = _build(project, options)
    return dataclasses.replace(result, cleaned=cleaned) if cleaned else result


def _build(project: Path, options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    config = load_config(fs.read_config_text(project))
    if options.base_url:
        config = config.with_base_url(options.base_url)
    if not options.search:
        config = config.without_search()
    tz = zone(config.timezone)

    sources = fs.read_articles(project)
    errors, warnings = list(sources.errors), list(sources.warnings)
    articles: list[Article] = []
    for source in sources.texts:
        try:
            # The whole file is checked, so a line number is the file's line.
            check_markdown(source.text)
            article, noted = load_article_checked(source.text, source.name)
            articles.append(article)
            warnings.extend(noted)
        except NewsgenError as exc:
            errors.append(exc.located(source.name))

    chosen, drafts, future = select(articles, options.drafts, options.future, options.today, tz)
    archive = make_archive(chosen, tz, options.epoch)
    warnings.extend(archive.warnings)
    pages = plan(archive, config)
    overrides = project / "templates"
    overrides_dir = overrides if overrides.is_dir() else None
    env = make_environment(config, archive, overrides_dir)
    files = render_pages(pages, env, overrides_dir)
    broken = check_links(files, config.base_url, search.ENTRY_POINTS if config.search else ())

    if options.strict:
        # Strict: anything worth a warning is worth stopping for, and the old site stays.
        errors.extend([*warnings, *broken])
        warnings = []
    else:
        warnings.extend(broken)
    written = not (options.strict and errors)
    if written:
        fs.write_site(options.out, files, search.index_site if config.search else None)
    return BuildResult(
        out=options.out,
        written=written,
        pages=page_counts(pages),
        errors=tuple(errors),
        warnings=tuple(warnings),
        health=archive.health,
        drafts_skipped=drafts,
        future_skipped=future,
        files=len(files),
        seconds=time.perf_counter() - started,
    )
