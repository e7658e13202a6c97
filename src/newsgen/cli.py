"""The ``newsgen`` command. Each subcommand is a thin wrapper over a recipe module."""

from __future__ import annotations

from pathlib import Path

import click

from newsgen import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgen")
def main() -> None:
    """Turn raw, scraped news articles into a browsable, searchable static archive.

    \b
    Typical session:
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
    from newsgen.report import print_ingest_report, progress_bar

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


def _topic_rules() -> dict[str, list[str]]:
    """Topic rules from ``newsgen.yaml`` (topic name -> keywords), if the file has any."""
    return {}
