"""What ingest tells the user: a progress bar while it works, a short report when done."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import track

from newsgen.ingest import Report

T = TypeVar("T")
PROGRESS_MIN_FILES = 200  # a bar for a handful of files is noise


def progress_bar(items: Iterable[T], total: int) -> Iterator[T]:
    if total < PROGRESS_MIN_FILES:
        yield from items
        return
    yield from track(items, total=total, description="Ingesting", console=Console(stderr=True))


def print_ingest_report(report: Report, quiet: bool = False) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for line in report.errors:
        err.print(f"[red]error[/red] {line}")
    for line in [*report.warnings, *report.kept_edited, *report.duplicates]:
        err.print(f"[yellow]warning[/yellow] {line}")
    if quiet:
        return
    out = Console(highlight=False)
    out.print(
        f"ingest: {report.read} read, {len(report.written)} written, {report.unchanged} "
        f"unchanged, {report.skipped} skipped ({len(report.errors)} errors, "
        f"{len(report.duplicates)} exact duplicates), {len(report.near_duplicates)} near "
        f"duplicates, {len(report.kept_edited)} kept as edited by hand, "
        f"{len(report.warnings)} warnings"
    )
    if report.furniture_lines:
        out.print(
            f"ingest: {report.furniture_lines} lines repeated across the site's pages "
            "(promotions, notices) were left out of the bodies"
        )
