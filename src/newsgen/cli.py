"""The ``newsgen`` command. Each subcommand is a thin wrapper over a recipe module."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click
from rich.console import Console

from newsgen import __version__
from newsgen.errors import NewsgenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgen")
def main() -> None:
    """Turn raw, scraped news articles into a browsable, searchable static archive.

    \b
    Typical session:
      newsgen init my-archive   # a new, empty archive
      newsgen ingest            # seeds/**/*.txt  ->  articles/*.md
      newsgen build             # articles/*.md   ->  site/
    """


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("articles"),
    show_default=True,
    help="Folder for the Markdown records.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite records edited by hand (keeps their topics)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no report.")
def ingest(sources: tuple[Path, ...], out: Path, force: bool, quiet: bool) -> None:
    """Turn raw article text (SOURCES, default seeds/) into Markdown records.

    \b
    Examples:
      newsgen ingest                        # seeds/**/*.txt -> articles/
      newsgen ingest scraped/ --out records/
      newsgen ingest seeds/politics/a.txt --force
    """
    from newsgen import ingest as recipe
    from newsgen.ingest_report import print_ingest_report, progress_bar

    report = recipe.ingest(
        list(sources) or [Path("seeds")],
        out,
        rules=_topic_rules(),
        force=force,
        progress=None if quiet else progress_bar,
    )
    print_ingest_report(report, quiet=quiet)
    if report.errors:
        raise SystemExit(1)


def _topic_rules() -> Mapping[str, tuple[str, ...]]:
    """Topic rules from ``newsgen.yaml`` (topic name -> keywords), if the file has any."""
    from newsgen.config import load_config
    from newsgen.fs import read_config_text

    try:
        return load_config(read_config_text(Path("."))).topic_rules
    except NewsgenError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


def _epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH, the reproducible-builds convention for "the time of this build"."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return dt.datetime.fromtimestamp(int(raw), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise NewsgenError(f"SOURCE_DATE_EPOCH must be whole seconds, not {raw!r}") from None


@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site to (replaced whole, atomically).",
)
@click.option("--base-url", help="Where the site will live, e.g. https://example.org/news/.")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated after today.")
@click.option(
    "--strict", is_flag=True, help="Treat warnings (broken links, slug clashes) as errors."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for rendering (default: one per core on large sites).",
)
@click.option(
    "--no-cache", is_flag=True, help="Neither use nor update .newsgen-cache/ (a clean build)."
)
def build(
    out: Path,
    base_url: str | None,
    drafts: bool,
    future: bool,
    strict: bool,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Build the site from articles/*.md and newsgen.yaml into site/.

    Bad records are reported as FILE:LINE: message and the other articles still build;
    the exit code is then 1. The previous site is replaced only by a complete new one.

    \b
    Examples:
      newsgen build
      newsgen build --out public --base-url https://example.org/news/
      newsgen build --drafts --future        # preview everything
      SOURCE_DATE_EPOCH=1700000000 newsgen build --strict
      newsgen build --jobs 4 --no-cache      # four workers, ignore the build cache

    Unchanged pages are kept from the previous site (.newsgen-cache/ records what each page
    was made from); deleting that folder only makes the next build slower.
    """
    from newsgen.build import BuildOptions
    from newsgen.build import build as run_build
    from newsgen.report import print_report

    try:
        epoch = _epoch()
        # "Future" is relative to the declared build time when there is one, else today.
        today = epoch.date() if epoch else dt.date.today()
        options = BuildOptions(
            out, today, base_url, drafts, future, strict, epoch, jobs=jobs, cache=not no_cache
        )
        result = run_build(Path("."), options)
    except NewsgenError as exc:
        click.echo(f"error: {exc}" if "\n" not in str(exc) else str(exc), err=True)
        sys.exit(1)
    print_report(result, Console(highlight=False), Console(stderr=True, highlight=False))
    if not result.ok:
        sys.exit(1)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
def init(directory: Path) -> None:
    """Start a new archive in DIRECTORY (default: here).

    Writes a commented newsgen.yaml with every setting at its default, empty seeds/ and
    articles/ folders, templates/README.md on overriding the theme, and a .gitignore.
    Refuses to overwrite existing files.

    \b
    Examples:
      newsgen init my-archive && cd my-archive
      newsgen init
    """
    from newsgen.scaffold import scaffold

    try:
        made = scaffold(directory)
    except NewsgenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for path in made:
        click.echo(f"created {path}")
    click.echo(f"Next: put raw .txt files in {directory / 'seeds'}, then run newsgen ingest")
    click.echo("and newsgen build.")
