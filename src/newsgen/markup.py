"""Article Markdown to safe HTML: Python-Markdown, then nh3, so nothing from a body runs.

Bodies come off the open web. Python-Markdown passes raw HTML through, so its output is
untrusted too; nh3 (Ammonia) keeps an allow-list of tags, attributes and URL schemes.

Bodies can also be built to hang Python-Markdown (#798, #1619): its link scanner walks from
every ``[`` to the matching ``]``, so thousands of unclosed brackets (``<![`` repeated) take
minutes, and deep list nesting overflows the stack. ``check_markdown`` refuses the known
shapes up front (deterministic, linear time); ``body_html`` also runs under a wall-clock
limit that works in any thread or worker process (see ``deadline``), for the unknown ones.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from newsgen.deadline import TimeLimitExceeded, run_with_limit
from newsgen.errors import NewsgenError
from newsgen.plainmark import plain_html

if TYPE_CHECKING:
    import markdown

# Characters Python-Markdown's link scanner walks, summed over every '[' of a block. A body
# with 1,000 ordinary links scans ~30,000; 4,000 unclosed '[' scan 24 million (15 s).
MAX_BRACKET_SCAN = 200_000
# Rendering 1 MB of ordinary Markdown takes ~4 s here: the limit leaves a wide margin.
RENDER_SECONDS, RENDER_SECONDS_PER_MB = 10.0, 10.0
_BRACKET = re.compile(r"\\.|[\[\]]|\n[ \t]*\n")
# Each nesting level re-parses the block below it, and recursion follows: lines indented
# 2,000 columns (1,000 list levels) take 13 s and then overflow the stack, and 300 levels of
# "> - " take 7 s. A line's container prefix (indent, '>', list markers) is capped.
MAX_NESTING_PREFIX = 100
# A line's prefix, found after its newline: a pattern starting with a literal is searched
# for several times faster than one anchored with ^ in MULTILINE mode (every record is checked).
_PREFIX = re.compile(r"\n((?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])+)")

# C0 controls (but tab and newline) are invalid in XML: one in a title would break the feeds.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])

_IMG_NO_ALT = re.compile(r"<img (?![^>]*\balt=)")

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}


# Characters no URL may hold raw (WHATWG URL, as the Nu validator checks it); a URL from a
# record or a body is escaped as an attribute already, this keeps it a valid URL too.
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_URL_ILLEGAL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]|%(?![0-9A-Fa-f]{2})')


def safe_url(url: str) -> str:
    """``url`` with the characters a URL may not contain percent-encoded; a second ``#``
    (only one fragment is allowed) too."""
    url = _URL_ILLEGAL.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), url)
    authority = _AUTHORITY.match(url)  # brackets are legal there only (IPv6 hosts)
    start = authority.end() if authority else 0
    rest = url[start:].replace("[", "%5B").replace("]", "%5D")
    head, hash_, fragment = rest.partition("#")
    return url[:start] + head + hash_ + fragment.replace("#", "%23")


def _url_attribute(tag: str, attribute: str, value: str) -> str:
    return safe_url(value) if attribute in ("href", "src") else value


def clean_text(text: str) -> str:
    """``text`` without characters that no HTML or XML page may contain; ``text`` itself
    when it has none."""
    # Every value a template prints passes here (hundreds per page): the C-level checks
    # answer for almost all of them without a regex substitution. Every character the
    # pattern removes is non-printable, so a printable text has none.
    if text.isprintable():
        return text
    if len(text) < 256:
        if _CONTROL.search(text) is None:
            return text
    elif (
        # A long text (a macro's output, with newlines): the pattern's ASCII characters are
        # the bytes its UTF-8 drops when they are deleted, found by C loops several times
        # faster than the regex engine's scan, character by character.
        len(data := text.encode("utf-8", "surrogatepass"))
        == len(data.translate(None, _CONTROL_BYTES))
        and "\ufffe" not in text
        and "\uffff" not in text
    ):
        return text
    return _CONTROL.sub("", text)


def check_markdown(body: str) -> None:
    """Raise ``NewsgenError`` for a body Python-Markdown would take quadratic time over.

    Line numbers count in ``body``: pass the whole record and they are the file's lines.
    """
    for prefix in _PREFIX.finditer("\n" + body):  # the first line has its newline too
        if len(prefix[1].expandtabs(4)) > MAX_NESTING_PREFIX:
            raise NewsgenError(
                f"lists, quotes or indentation nested more than {MAX_NESTING_PREFIX} columns "
                "deep: Markdown cannot render that in reasonable time",
                line=body.count("\n", 0, prefix.start()) + 1,
            )
    if "[" not in body:
        return  # no bracket to scan from
    scan, opened = 0, []
    for match in _BRACKET.finditer(body):
        token = match[0]
        if token == "[":
            opened.append(match.start())
        elif token == "]":
            if opened:
                scan += match.start() - opened.pop()
        elif token[0] == "\n":  # a blank line ends the block: unclosed '[' scanned to here
            scan += sum(match.start() - start for start in opened)
            opened.clear()
        if scan > MAX_BRACKET_SCAN:
            break
    scan += sum(len(body) - start for start in opened)
    if scan > MAX_BRACKET_SCAN:
        line = body.count("\n", 0, opened[0] if opened else 0) + 1
        raise NewsgenError(
            "too many nested or unclosed '[' brackets for Markdown to render in reasonable "
            "time (Python-Markdown #798); escape them as \\[",
            line=line,
        )


_IDLE = threading.local()  # this thread's converter, when not in use


def _new_markdown() -> markdown.Markdown:
    # Imported here, like nh3 in ``sanitised``: most bodies need neither (``plain_html``),
    # and an edit's build that renders only such bodies saves their 18 ms of imports.
    import markdown

    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def render_limit(body: str) -> float:
    """Seconds one body may take to render: generous, and longer for long bodies."""
    return RENDER_SECONDS + RENDER_SECONDS_PER_MB * len(body) / 1e6


def _converted(text: str) -> str:
    """Python-Markdown's HTML of ``text``, under the time limit."""
    # One converter per thread, reset for each body (making one per body was a sixth of the
    # Markdown time). Taken out while in use and put back only after a complete conversion:
    # one stopped half-way (time limit, recursion) may hold its parser state, so it is dropped.
    md = _IDLE.__dict__.pop("md", None) or _new_markdown()
    limit = render_limit(text)
    try:
        html = run_with_limit(limit, lambda: md.reset().convert(text))
        _IDLE.md = md
    except TimeLimitExceeded:
        raise NewsgenError(f"Markdown took longer than {limit:.0f} s to render; refused") from None
    except RecursionError:
        raise NewsgenError("Markdown nested too deeply to render (lists or quotes)") from None
    return html


def body_html(body: str) -> str:
    """The sanitised HTML of a Markdown body.

    The article title is the page's one ``h1``: a body that uses ``# Heading`` has all its
    headings shifted down one level, so the outline stays in order. Raises ``NewsgenError``
    (without a path: the caller knows the file) for a body that cannot be rendered safely.
    """
    text = clean_text(body)
    plain = plain_html(text)  # most bodies: prose and "##" headings, no parser needed
    if plain is not None:
        # Nothing for the checks below to find: no bracket, no nesting, no h1, no img.
        return plain_sanitised(plain)
    check_markdown(body)
    html = _converted(text)
    if re.search(r"<h1\b", html):
        html = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)
    return sanitised(html)


def sanitised(html: str) -> str:
    """``html`` with nothing but the allowed tags, attributes and URL schemes (nh3)."""
    import nh3

    html = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,  # no target=_blank is allowed, so no rel is needed; <a> stays valid
        strip_comments=True,
        attribute_filter=_url_attribute,
    )
    # An image the body gives no text for is decoration to a screen reader, and HTML needs alt.
    return _IMG_NO_ALT.sub('<img alt="" ', html)


def plain_sanitised(plain: str) -> str:
    """``sanitised(plain)`` for what ``plain_html`` gives, without parsing it again: that is
    ``<p>`` and ``<h2>`` around text with no ``<``, ``>``, ``&`` or control character, which
    nh3 writes back as it was but for the no-break space, which it writes as an entity
    (tests/test_plainmark.py checks this against nh3 itself)."""
    return plain.replace("\xa0", "&nbsp;")
