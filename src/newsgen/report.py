"""The build report a person reads at the end of ``newsgen build``: counts, problems, health.

Plain lines through click, which colours them on a terminal and not in a pipe or a log. The
report was a rich table once; importing rich cost 30 ms, 3% of a one-article edit's build.
"""

from __future__ import annotations

import click

from newsgen.build import BuildResult


def print_report(result: BuildResult) -> None:
    """The summary on stdout; each error and warning on stderr, one a line."""
    for problem in result.errors:
        click.echo(f"{click.style('error', fg='red')}: {problem}", err=True)
    for problem in result.warnings:
        click.echo(f"{click.style('warning', fg='yellow')}: {problem}", err=True)
    rows = [*((kind, str(count)) for kind, count in result.pages.items())]
    rows.append(("all files", str(result.files)))
    width = max(len(kind) for kind, _ in rows)
    digits = max(len(count) for _, count in rows)
    click.echo("Pages")
    for kind, count in rows:
        line = f"  {kind:<{width}}  {count:>{digits}}"
        click.echo(click.style(line, bold=True) if kind == "all files" else line)
    h = result.health
    click.echo(
        "Archive health: "
        f"{h.articles} articles, {h.undated} undated, "
        f"{h.quotes_without_speaker} of {h.quotes} quotes without a speaker, "
        f"{h.without_topic} with no topic, {h.duplicates} duplicates"
        + (f"; left out: {result.drafts_skipped} drafts" if result.drafts_skipped else "")
        + (f", {result.future_skipped} future" if result.future_skipped else "")
    )
    for path in result.cleaned:
        click.echo(f"removed {path}, left by an interrupted build")
    where = f"written to {result.out}/" if result.written else click.style("not written", fg="red")
    if not result.written:
        where += " (--strict)"
    # What the build did, so that an editor can tell a quick rebuild from a whole one.
    did = {
        "replayed": "nothing changed",
        "resumed": f"an edit: {result.rendered} of {result.files} pages rendered",
    }.get(result.way, f"{result.rendered} of {result.files} pages rendered")
    if result.indexed is not None:  # indexing can take most of a build: say what it did
        made, kept = result.indexed.made, result.indexed.kept
        if made + kept == 1:
            did += "; search index " + ("made" if made else "kept")
        else:
            did += f"; search index: {made} of {made + kept} shards made, {kept} kept"
    click.echo(
        f"{len(result.errors)} errors, {len(result.warnings)} warnings; "
        f"built in {result.seconds:.2f} s ({did}), {where}"
    )
