"""Article dates in the site's time zone: sorting, bucketing and formatting, without locale.

An article date is a ``date``, a naive ``datetime`` (read as site-local) or an aware one.
Month names are spelled here, not by ``strftime``, so output never depends on the locale.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from newsgen.model import Article

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def zone(name: str) -> dt.tzinfo:
    """The site time zone; UTC needs no tz database."""
    return dt.UTC if name == "UTC" else zoneinfo.ZoneInfo(name)


def local_datetime(value: dt.date | None, tz: dt.tzinfo) -> dt.datetime | None:
    """``value`` as an aware datetime in ``tz``; a plain date is midnight there."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    return dt.datetime.combine(value, dt.time(), tz)


def local_date(value: dt.date | None, tz: dt.tzinfo) -> dt.date | None:
    stamp = local_datetime(value, tz)
    return stamp.date() if stamp is not None else None


def sort_key(article: Article, tz: dt.tzinfo) -> tuple[int, float, str]:
    """Newest first, undated after every dated article, ties broken by slug."""
    stamp = local_datetime(article.date, tz)
    if stamp is None:
        return (1, 0.0, article.slug)
    return (0, -stamp.timestamp(), article.slug)


def human(value: dt.date | None, tz: dt.tzinfo) -> str:
    """ "5 March 2024", or "Undated"."""
    day = local_date(value, tz)
    if day is None:
        return "Undated"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def iso(value: dt.date | None, tz: dt.tzinfo) -> str:
    """The machine-readable form: a date alone, or a full timestamp when the record has one."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        stamp = local_datetime(value, tz)
        assert stamp is not None
        return stamp.isoformat()
    return value.isoformat()


def rfc3339(value: dt.date | None, tz: dt.tzinfo, fallback: dt.datetime) -> str:
    """A full timestamp for feeds and sitemaps (they require one); undated uses ``fallback``."""
    stamp = local_datetime(value, tz) or fallback.astimezone(tz)
    return stamp.replace(microsecond=0).isoformat()


def month_name(key: str) -> str:
    """ "2024-03" -> "March 2024"."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"
