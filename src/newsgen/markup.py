"""Article Markdown to safe HTML: Python-Markdown, then nh3, so nothing from a body runs.

Bodies come off the open web. Python-Markdown passes raw HTML through, so its output is
untrusted too; nh3 (Ammonia) keeps an allow-list of tags, attributes and URL schemes.
"""

from __future__ import annotations

import re

import markdown
import nh3

# C0 controls (but tab and newline) are invalid in XML: one in a title would break the feeds.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

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


def clean_text(text: str) -> str:
    """``text`` without characters that no HTML or XML page may contain."""
    return _CONTROL.sub("", text)


def body_html(body: str) -> str:
    """The sanitised HTML of a Markdown body.

    The article title is the page's one ``h1``: a body that uses ``# Heading`` has all its
    headings shifted down one level, so the outline stays in order.
    """
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    html = md.convert(clean_text(body))
    if re.search(r"<h1\b", html):
        html = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)
    html = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,  # no target=_blank is allowed, so no rel is needed; <a> stays valid
        strip_comments=True,
    )
    # An image the body gives no text for is decoration to a screen reader, and HTML needs alt.
    return _IMG_NO_ALT.sub('<img alt="" ', html)
