"""Coverage over time as bar geometry for an inline SVG: articles per month, no JavaScript.

The template draws the bars; this module only measures, so the theme can restyle the chart.
"""

from __future__ import annotations

import datetime as dt
import sys
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
    months: tuple[str, ...]  # every month from the first to the last, "2024-03"
    counts: tuple[int, ...]  # the dated articles of each
    first: str  # "March 2024"
    last: str
    peak: int
    total: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def bars(self) -> tuple[Bar, ...]:
        """The chart's bars, measured when it is drawn. Kept in the planned model, they were
        a sixth of the objects a resumed edit's build loads (a ``Bar``, a label and four
        floats a month of every term's chart)."""
        slot = self.width / len(self.months)
        bars = []
        for i, (month, n) in enumerate(zip(self.months, self.counts, strict=True)):
            height = round((self.height - 4) * n / self.peak, 2)
            noun = "article" if n == 1 else "articles"
            bars.append(
                Bar(
                    month=month,
                    label=f"{month_name(month)}: {n} {noun}",
                    count=n,
                    x=round(i * slot + slot * 0.1, 2),
                    y=round(self.height - height, 2),
                    width=round(max(slot * 0.8, 1.0), 2),
                    height=height,
                )
            )
        return tuple(bars)

    @property
    def summary(self) -> str:
        """The chart said in words, for screen readers and the SVG <desc>."""
        if self.first == self.last:
            return f"{self.total} dated articles, all in {self.first}."
        return (
            f"{self.total} dated articles from {self.first} to {self.last}; "
            f"at most {self.peak} in one month."
        )


def _months(first: str, last: str) -> list[str]:
    out = []
    year, month = int(first[:4]), int(first[5:])
    while (year, month) <= (int(last[:4]), int(last[5:])):
        out.append(sys.intern(f"{year:04d}-{month:02d}"))  # one string per month, pickled once
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_key(value: dt.date | None, tz: dt.tzinfo) -> str | None:
    """ "2024-03": the month of a date in ``tz``; None for no date."""
    day = local_date(value, tz)
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def timeline(dates: Iterable[dt.date | None], tz: dt.tzinfo) -> Timeline | None:
    """Bars for every month from the first to the last dated article; None when none is dated."""
    return timeline_of(m for m in (month_key(v, tz) for v in dates) if m is not None)


def timeline_of(months: Iterable[str]) -> Timeline | None:
    """``timeline`` of the dated articles' months (``month_key``), in any order."""
    counts = Counter(months)
    if not counts:
        return None
    # "YYYY-MM" keys sort as the months do.
    span = _months(min(counts), max(counts))[-MAX_MONTHS:]
    peak = max(counts[m] for m in span)
    return Timeline(
        months=tuple(span),
        counts=tuple(counts[m] for m in span),
        first=month_name(span[0]),
        last=month_name(span[-1]),
        peak=peak,
        total=sum(counts[m] for m in span),
    )
