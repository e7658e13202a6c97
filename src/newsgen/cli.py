"""The ``newsgen`` command. Each subcommand is a thin wrapper over a recipe module."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsgen import __version__
from newsgen.errors import NewsgenError

if TYPE_CHECKING:
    from newsgen.deploy import DeployResult


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


def run() -> None:
    """The ``newsgen`` program: ``main``, then an exit without the interpreter's teardown.

    A build's process ends holding its whole model, a million objects at 10,000 articles.
    Freeing them one by one and a last collection over them cost 0.3 s of CPU, a quarter of
    a one-article edit's build, and tell nobody anything. So the process ends at once with
    ``main``'s status, after every exit handler (this one, registered first, runs last) and
    with the standard streams flushed; files are closed by the commands themselves.
    """
    status = [1]  # an exception that escapes ``main``: Python's own status for it
    atexit.register(_end_now, status)
    try:
        main()
    except SystemExit as stop:
        # Python's reading of the status: None is success, a message is printed and fails.
        status[0] = 0 if stop.code is None else stop.code if isinstance(stop.code, int) else 1
        raise


def _end_now(status: list[int]) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(status[0])


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
    help="Folder to write the site to (replaced whole, atomically; a non-empty folder "
    "newsgen did not build is refused).",
)
@click.option("--base-url", help="Where the site will live, e.g. https://example.org/news/.")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated after today.")
@click.option(
    "--strict", is_flag=True, help="Treat warnings (broken links, slug clashes) as errors."
)
@click.option("--no-search", is_flag=True, help="Skip the search index and the search page.")
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
    no_search: bool,
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
      newsgen build --no-search              # faster, without the search index
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
        # "Future" is relative to the declared build time when there is one, else today in
        # UTC, like the epoch: the process's TZ must not change which articles are built.
        today = (epoch or dt.datetime.now(dt.UTC)).date()
        options = BuildOptions(
            out,
            today,
            base_url,
            drafts,
            future,
            strict,
            epoch,
            search=not no_search,
            jobs=jobs,
            cache=not no_cache,
        )
        result = run_build(Path("."), options)
    except NewsgenError as exc:
        click.echo(f"error: {exc}" if "\n" not in str(exc) else str(exc), err=True)
        sys.exit(1)
    print_report(result)
    if not result.ok:
        sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
def serve(host: str, port: int, open_browser: bool, drafts: bool) -> None:
    """Build the site, serve it, and rebuild on every change, reloading open pages.

    Watches seeds/ (re-ingested; records edited by hand are kept), articles/, templates/
    and newsgen.yaml. A failed rebuild shows its errors in the browser while the last good
    build stays served. Listens on 127.0.0.1 only unless --host says otherwise.

    \b
    Examples:
      newsgen serve                 # http://127.0.0.1:8000/
      newsgen serve --port 0 --open
      newsgen serve --drafts
    """
    from newsgen.serve import ServeOptions
    from newsgen.serve import serve as run_serve

    try:
        options = ServeOptions(Path("."), host, port, drafts, _epoch())
        run_serve(options, open_browser, click.echo)
    except NewsgenError as exc:
        click.echo(f"error: {exc}", err=True)
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


@main.command()
@click.argument("target", required=False)
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="The built site to publish.",
)
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
@click.option("--delete", is_flag=True, help="Also remove published files no longer in the site.")
def deploy(target: str | None, site: Path, dry_run: bool, delete: bool) -> None:
    """Publish the built site to TARGET: a folder, or s3://bucket/prefix.

    Only files whose content changed are sent. TARGET defaults to deploy.target in
    newsgen.yaml; S3 credentials come from the usual AWS sources (environment variables,
    ~/.aws, an instance role) and endpoint_url, region and profile from newsgen.yaml's
    deploy section. Uploads come first, deletes (with --delete) only once every upload
    succeeded, and the record of what is published last: a failed run can simply be run again.

    \b
    Examples:
      newsgen deploy /var/www/news --delete
      newsgen deploy s3://my-bucket/news --dry-run
      AWS_PROFILE=publisher newsgen deploy s3://my-bucket/news --delete
    """
    from newsgen import deploy as recipe
    from newsgen.config import load_config
    from newsgen.fs import read_config_text

    try:
        settings = load_config(read_config_text(Path("."))).deploy
        chosen = target or settings.target
        if not chosen:
            raise NewsgenError("deploy: name a TARGET, or set deploy.target in newsgen.yaml")
        where = recipe.open_target(chosen, site, settings)
        result = recipe.deploy(site, where, delete=delete, dry_run=dry_run)
    except NewsgenError as exc:
        click.echo(f"error: {exc}" if "\n" not in str(exc) else str(exc), err=True)
        sys.exit(1)
    _print_deploy(result)


def _print_deploy(result: DeployResult) -> None:
    """The plan's names (uploads and deletes), then one summary line with the counts."""
    plan = result.plan
    for name in plan.uploads:
        click.echo(f"  upload  {name}")
    for name in plan.deletes:
        click.echo(f"  delete  {name}")
    would = "would " if result.dry_run else ""
    summary = (
        f"{'Dry run, nothing changed. ' if result.dry_run else ''}{result.target}: "
        f"{would}upload {len(plan.uploads)}, unchanged {len(plan.unchanged)}, "
        f"{would}delete {len(plan.deletes)}"
    )
    if plan.kept:
        summary += f"; {len(plan.kept)} no longer in the site kept (--delete removes them)"
    click.echo(summary)
