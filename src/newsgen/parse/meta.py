"""Article metadata carried in the text: byline, date, source and dateline lines.

Each finder looks at one line and returns what it found or None, so the segmenter can try
them in turn and drop the lines they claim from the body.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from newsgen.model import Source
from newsgen.parse import lexicon
from newsgen.parse.gender import usual_pronoun

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
# Unambiguous written forms only: "5 September 2023", "September 5, 2023", "2023-09-05".
# Numeric day/month orders ("03/05/2024") are ambiguous across countries: left undated.
DATE_TEXT = re.compile(
    rf"{_WEEKDAY}(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"(?:(?:(?:published|posted|updated|date|dated)(?: on)?|on):?\s*)?"
    rf"(?P<date>{DATE_TEXT.pattern})"
    r"(?:\s*(?:at\s*)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\.?",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|der|bin|al|da|di|la|le))*"
# A writer's degrees after the name: "By Carl Greer, PhD, PsyD", "By Kelly Brogan, MD".
_DEGREES = r"(?:,?\s*(?:PhD|Ph\.D\.|MD|M\.D\.|PsyD|DO|RN|ND|MPH|MBA|MSc|MA|MS|DC|CPP|Esq\.?))*"
_BYLINE = re.compile(
    rf"(?i:by|written by|author):?\s+(?P<name>{_NAME}(?:\s+(?:and|&)\s+{_NAME})*){_DEGREES}"
    r"(?:\s*[,|–—-]\s*(?P<outlet>[\w .’'&-]{2,60}?))?:?",
)
# "Greg Hunter’s USAWatchdog.com": the writer's own site named after the writer.
_POSSESSIVE = re.compile(r"[’']s\s+\S.*")
# "By Looking at Lyme Disease on Friday Dec 29 2017 04:24": the writer and the day, one line.
_BYLINE_ON_DATE = re.compile(
    r"(?i:by):?\s+(?P<name>[A-Z][\w’'.-]*(?:\s+[\w’'.&-]+){0,5}?)(?:\s+on|\s*[:,|–—-])\s+"
    r"(?P<date>.{6,60})"
)
_SOURCE_LINE = re.compile(
    r"(?:source|sources|originally published (?:at|on|by)|first published (?:at|on|by)|"
    r"republished from|via|read the original(?: article)?(?: at)?)\s*:?\s*(?P<value>.{2,300})",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"”]+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"(?:[\w-]+\.)+(?:com|org|net|co\.uk|news|info|gov|edu|io)\b\S*", re.I)
# "WASHINGTON (Reuters) -" / "MOSCOW, Sept 5 (AFP) —" at the start of the first paragraph.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'-]{2,40}?)(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?)?\s*"
    r"(?:\((?P<agency>[A-Za-z][\w .&-]{1,30})\)\s*)?[-–—]+\s+(?=\S)"
)


def find_date(line: str) -> dt.date | None:
    """A line that is only a date (optionally "Published: ..."), as a ``date``."""
    if len(line) > 80:
        return None
    match = _DATE_LINE.fullmatch(line.strip())
    return parse_date(match.group("date")) if match else None


def parse_date(text: str) -> dt.date | None:
    try:
        parsed = dateparser.parse(text, default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    if parsed is None or not 1800 <= parsed.year <= 2200:
        return None
    return parsed.date()


def find_byline(line: str) -> str | None:
    """ "By Jane Doe" / "By Jane Doe, Reuters" -> "Jane Doe". Long lines are prose."""
    if len(line) > 100 or len(line.split()) > 12:
        return None
    match = _BYLINE.fullmatch(line.strip())
    if match is None:
        return None
    name = _POSSESSIVE.sub("", match.group("name")).strip(" ,")
    return name.title() if name.isupper() else name  # "PAUL FASSA" -> "Paul Fassa"


def find_byline_on_date(line: str) -> tuple[str, dt.date] | None:
    """ "By Jane Doe on Friday Dec 29 2017 04:24" -> ("Jane Doe", 2017-12-29)."""
    if len(line) > 120:
        return None
    match = _BYLINE_ON_DATE.fullmatch(line.strip())
    if match is None:
        return None
    day = find_date(match.group("date"))
    return (match.group("name"), day) if day else None


_SIGN_OFF = re.compile(r"[–—-]?\s*(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z’'-]+){1,2})\.?")


def find_sign_off(line: str) -> str | None:
    """A writer's name standing alone as an article's last line ("Jim-Kouri", "— Jane Doe"),
    as blogs sign their posts: "Jim Kouri". Its first word must be a given name."""
    match = _SIGN_OFF.fullmatch(line.strip())
    if match is None:
        return None
    parts = re.split(r"[ -]", match.group("name"), maxsplit=1)
    given = parts[0] in lexicon.GIVEN_NAMES or usual_pronoun(parts[0]) is not None
    return " ".join(parts) if given else None


# A publication's name ("Economic Prism / GoldSeek", "the Daily Bugle") or its address.
_OUTLET = (
    r"(?-i:[A-Z][\w.’'&-]*(?: (?:[A-Z][\w.’'&-]*|of|the|on|and|&|/|blog|website|site|magazine))"
    r"{0,7}|[\w-]+(?:\.[\w-]+)+)"
)
# A syndication credit: "This article was written by Tyler Durden and originally published at
# Zero Hedge.", "This article was originally published by Michael Snyder at his Economic
# Collapse Blog.", "This piece was originally produced for and posted by MNI News."
_CREDIT = re.compile(
    r"this (?:article|piece|post|story|essay|report|column) (?:(?:was|has been) )?"
    rf"(?:(?:written|authored) by (?P<writer>{_NAME}) and )?"
    r"(?:originally|first) (?:published|produced|posted|appeared)(?: for and posted)?"
    rf"(?: (?:at|on|in|by) (?P<first>{_OUTLET}))?"
    rf"(?: at (?:his|her|their|the) (?P<site>{_OUTLET}))?\s*\.?",
    re.IGNORECASE,
)


# A header strip of fields: "news.goldseek.com / By: Jim Willie CB, GoldenJackass.com /
# 26 December 2017" (site, writer, day), each field one of the kinds above.
_FIELD_SEPARATOR = re.compile(r"\s+[/|•]\s+")


def find_meta_strip(line: str) -> tuple[str | None, dt.date | None, Source | None] | None:
    """(byline, date, source) of a line made only of such fields, two at least."""
    if len(line) > 160:
        return None
    fields = _FIELD_SEPARATOR.split(line.strip())
    if not 2 <= len(fields) <= 4:
        return None
    byline, date, source = None, None, None
    for field in fields:
        if byline is None and (name := find_byline(field)):
            byline = name
        elif date is None and (day := find_date(field)):
            date = day
        elif source is None and (site := _BARE_DOMAIN.fullmatch(field)):
            url = "https://" + site.group(0)
            source = Source(name=domain_name(url), url=url)
        else:
            return None
    return byline, date, source


def find_credit(line: str) -> tuple[str | None, Source] | None:
    """A syndication credit as (writer or None, where it first appeared)."""
    if len(line) > 200:
        return None
    match = _CREDIT.fullmatch(line.strip())
    if match is None or match.group("first") is None:
        return None
    writer, first, site = match.group("writer", "first", "site")
    if site:  # "published by Michael Snyder at his Blog": the writer, then the site
        writer, first = writer or first, site
    return writer, Source(name=first.strip().rstrip("."))


def find_source(line: str) -> Source | None:
    """ "Source: AFP", "Originally published at URL", "Source: https://..." as a ``Source``."""
    if len(line) > 320:
        return None
    match = _SOURCE_LINE.fullmatch(line.strip())
    if match is None:
        return None
    value = match.group("value").strip()
    url_match = _URL.search(value) or _BARE_DOMAIN.search(value)
    if url_match is None:
        name = value.strip(" .")
        return Source(name=name) if len(name.split()) <= 6 else None
    url = url_match.group(0).rstrip(".,;)")
    if not url.lower().startswith("http"):
        url = "https://" + url
    name = value[: url_match.start()].strip(" :-–—,") or domain_name(url)
    return Source(name=name, url=url)


def source_from_url_line(line: str) -> Source | None:
    """A line that is only a URL, at the end of an article, is where it was taken from."""
    stripped = line.strip()
    if " " in stripped or not _URL.fullmatch(stripped):
        return None
    url = stripped if stripped.lower().startswith("http") else "https://" + stripped
    return Source(name=domain_name(url), url=url)


def domain_name(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


# The outlet's name opening the first paragraph with no place: "(CNN)Hurricane Matthew ...",
# "(Natural News) If you thought ..." (not "(Updated) ...": a label, no outlet).
_AGENCY_OPENING = re.compile(
    r"\((?P<agency>[A-Z][\w.&/-]*(?: [A-Z][\w.&/-]*){0,2})\)\s*(?:[-–—]+\s*)?(?=[A-Z“\"‘])"
)
_NOT_AGENCIES = {"Update", "Updated", "Video", "Photo", "Photos", "Watch", "Opinion", "Audio"}


def split_dateline(paragraph: str) -> tuple[str, str | None, str | None]:
    """Remove a wire dateline from the first paragraph: (rest, place, agency)."""
    match = _DATELINE.match(paragraph)
    opening = _AGENCY_OPENING.match(paragraph)
    if (match is None or not match.group("place").isupper()) and opening is not None:
        agency = opening.group("agency")
        if agency not in _NOT_AGENCIES and not any(c.isdigit() for c in agency):
            return paragraph[opening.end() :], None, agency
    if match is None or not match.group("place").isupper():
        return paragraph, None, None
    place = match.group("place").strip().title()
    return paragraph[match.end() :], place, match.group("agency")
