"""Coverage over time as bar geometry for an inline SVG: articles per month, no JavaScript.

The template draws the bars; this module only measures, so the theme can restyle the chart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsgen.dates import local_date, month_name

WIDTH, HEIGHT = 600, 120
MAX_MONTHS = 120  # ten years is as much as a bar chart this wide can show legibly


@dataclass(frozen=True, slots=True)
class Bar:
    month: str  # "2024-03"
    label: str  # "March 2024: 4 articles"
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Timeline:
    bars: tuple[Bar, ...]
    first: str  # "March 2024"
    last: str
    peak: int
    total: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def summary(self) -> str:
        """The chart said in words, for screen readers and the SVG <desc>."""
        if self.first == self.last:
            return f"{self.total} dated articles, all in {self.first}."
        return (
            f"{self.total} dated articles from {self.first} to {self.last}; "
            f"at most {self.peak} in one month."
        )


def _months(first: dt.date, last: dt.date) -> list[str]:
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def timeline(dates: Iterable[dt.date | None], tz: dt.tzinfo) -> Timeline | None:
    """Bars for every month from the first to the last dated article; None when none is dated."""
    days = [d for d in (local_date(v, tz) for v in dates) if d is not None]
    if not days:
        return None
    counts = Counter(f"{d.year:04d}-{d.month:02d}" for d in days)
    months = _months(min(days), max(days))[-MAX_MONTHS:]
    peak = max(counts[m] for m in months)
    slot = WIDTH / len(months)
    bars = []
    for i, month in enumerate(months):
        n = counts[month]
        height = round((HEIGHT - 4) * n / peak, 2)
        noun = "article" if n == 1 else "articles"
        bars.append(
            Bar(
                month=month,
                label=f"{month_name(month)}: {n} {noun}",
                count=n,
                x=round(i * slot + slot * 0.1, 2),
                y=round(HEIGHT - height, 2),
                width=round(max(slot * 0.8, 1.0), 2),
                height=height,
            )
        )
    return Timeline(
        bars=tuple(bars),
        first=month_name(months[0]),
        last=month_name(months[-1]),
        peak=peak,
        total=sum(counts[m] for m in months),
    )
