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
        if value.tzinfo is None:
            return value.replace(tzinfo=tz)
        try:
            return value.astimezone(tz)
        except OverflowError:  # year 1 or 9999 cannot move across a day boundary: keep as is
            return value
    return dt.datetime.combine(value, dt.time(), tz)


def local_date(value: dt.date | None, tz: dt.tzinfo) -> dt.date | None:
    stamp = local_datetime(value, tz)
    return stamp.date() if stamp is not None else None


def sort_key(article: Article, tz: dt.tzinfo) -> tuple[int, int, str]:
    """Newest first, undated after every dated article, ties broken by slug.

    Local wall-clock seconds, not ``timestamp()``, which overflows at year 1 and 9999.
    """
    stamp = local_datetime(article.date, tz)
    if stamp is None:
        return (1, 0, article.slug)
    seconds = stamp.toordinal() * 86400 + stamp.hour * 3600 + stamp.minute * 60 + stamp.second
    return (0, -seconds, article.slug)


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
    stamp = local_datetime(value, tz) or local_datetime(fallback, tz)
    assert stamp is not None
    return stamp.replace(microsecond=0).isoformat()


def month_name(key: str) -> str:
    """ "2024-03" -> "March 2024"."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"
