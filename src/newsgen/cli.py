"""The ``newsgen`` command. Each subcommand is a thin wrapper over a recipe module."""

from __future__ import annotations

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
