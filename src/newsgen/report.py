"""The build report a person reads at the end of ``newsgen build``: counts, problems, health."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsgen.build import BuildResult


def print_report(result: BuildResult, console: Console, problems: Console) -> None:
    """The summary on ``console``; each error and warning on ``problems`` (stderr), one a line."""
    for problem in result.errors:
        problems.print(f"[red]error[/]: {escape(str(problem))}", highlight=False, soft_wrap=True)
    for problem in result.warnings:
        problems.print(
            f"[yellow]warning[/]: {escape(str(problem))}", highlight=False, soft_wrap=True
        )
    table = Table(title="Pages", show_edge=False, title_justify="left")
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind, count in result.pages.items():
        table.add_row(kind, str(count))
    table.add_row("[b]all files[/]", f"[b]{result.files}[/]")
    console.print(table)
    h = result.health
    console.print(
        "Archive health: "
        f"{h.articles} articles, {h.undated} undated, "
        f"{h.quotes_without_speaker} of {h.quotes} quotes without a speaker, "
        f"{h.without_topic} with no topic, {h.duplicates} duplicates"
        + (f"; left out: {result.drafts_skipped} drafts" if result.drafts_skipped else "")
        + (f", {result.future_skipped} future" if result.future_skipped else ""),
        highlight=False,
        soft_wrap=True,
    )
    for path in result.cleaned:
        console.print(
            f"removed {escape(path)}, left by an interrupted build", highlight=False, soft_wrap=True
        )
    where = f"written to {result.out}/" if result.written else "[red]not written[/] (--strict)"
    # What the build did, so that an editor can tell a quick rebuild from a whole one.
    did = {
        "replayed": "nothing changed",
        "resumed": f"an edit: {result.rendered} of {result.files} pages rendered",
    }.get(result.way, f"{result.rendered} of {result.files} pages rendered")
    console.print(
        f"{len(result.errors)} errors, {len(result.warnings)} warnings; "
        f"built in {result.seconds:.2f} s ({did}), {where}",
        highlight=False,
        soft_wrap=True,
    )
