"""Whatever text comes in, the parsers return a result or raise NewsgenError: never a crash.

Raw text (ingest), records (build) and Markdown bodies; rendered Markdown is always inert.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.deadline import run_with_limit
from newsgen.errors import NewsgenError
from newsgen.markup import body_html
from newsgen.model import Article
from newsgen.parse import parse_raw
from newsgen.parse.text import decode
from newsgen.records import load_article_checked
from newsgen.slugs import make_slug as slugify

QUOTES = "“”‘’\"'«»"
pieces = st.sampled_from(
    [
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "\x00",
        "\t",
        "said",
        "he said",
        "Mr.",
        "Jake Sullivan",
        ":",
        "Source link",
        "Leave a Reply",
        "By Jane Doe",
        "WASHINGTON (Reuters) - ",
        "ukrainewarned",
        "TimesKim",
        "##",
        "<script>",
        "[x](y)",
        *QUOTES,
    ]
)
raw_text = st.lists(st.text(max_size=30) | pieces, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(raw_text)
def test_parser_returns_article_or_newsgen_error(text: str) -> None:
    try:
        article = parse_raw(text, "fuzz.txt")
    except NewsgenError as error:
        assert "fuzz.txt" in str(error)
        return
    assert isinstance(article, Article)
    assert article.title
    assert article.slug == slugify(article.slug)


@given(st.text(max_size=200))
def test_slugs_are_url_safe_and_idempotent(text: str) -> None:
    slug = slugify(text)
    assert slug
    assert slugify(slug) == slug
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)


# The readers of untrusted text under Hypothesis (bench/fuzz.py runs the long version).
record_pieces = st.sampled_from(
    [
        "---\n",
        "title: ",
        "slug: ",
        "date: ",
        "2024-02-30",
        "2024-01-01T10:00:00Z",
        "topics: ",
        "[a, b]",
        "- x\n",
        "&a ",
        "*a",
        "!!python/object/apply:os.system ['true']",
        ": ",
        '"',
        "'",
        "\n",
        "\r\n",
        "\r",
        "\ufeff",
        "\x00",
        "\t",
        "{",
        "}",
        "quotes: [{text: a}]",
        "entities: {people: [x]}",
        "draft: yes",
    ]
)
record_text = st.lists(st.text(max_size=15) | record_pieces, max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(record_text)
def test_record_reader_returns_article_or_newsgen_error(text: str) -> None:
    try:
        article, warnings = load_article_checked("---\n" + text, "x.md")
    except NewsgenError as error:
        assert str(error).startswith("x.md")
        return
    assert isinstance(article, Article) and article.title and article.slug
    assert all(w.path == "x.md" for w in warnings)


markdown_pieces = st.sampled_from(
    [
        "[", "]", "(", ")", "![", "](", "<", ">", "<![", "<!--", "<script>", "</script>",
        "<img src=x onerror=alert(1)>", "javascript:alert(1)", "data:text/html,x", "`", "```",
        "> ", "- ", "1. ", "    ", "*", "_", "#", "\n", "\n\n", "{: onclick=x }", "&#", '"',
        "<svg onload=alert(1)>", "<a href='javascript:x'>", "<iframe>", "<style>", "\x00",
    ]
)  # fmt: skip
markdown_text = st.lists(st.text(max_size=10) | markdown_pieces, max_size=60).map("".join)


class _Runnable(HTMLParser):
    """What a browser could run in a fragment: script-like tags, handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "style", "svg", "object", "embed", "base", "meta"):
            self.found.append(tag)
        for name, value in attrs:
            url = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")


@settings(max_examples=300, deadline=None)
@given(markdown_text)
def test_markdown_renders_inert_html_or_refuses(body: str) -> None:
    try:
        html = body_html(body)
    except NewsgenError:
        return
    runnable = _Runnable()
    runnable.feed(html)
    assert not runnable.found, html


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | record_text.map(lambda t: t.encode("utf-8")))
def test_raw_bytes_decode_and_parse_or_refuse(data: bytes) -> None:
    try:
        parse_raw(decode(data, "fuzz.txt").text, "fuzz.txt")
    except NewsgenError as error:
        assert "fuzz.txt" in str(error)


def test_a_huge_run_of_letters_does_not_hang_the_parser() -> None:
    # Found by bench/fuzz.py: a 50 kB "word" took wordninja 40 s; this one would take minutes.
    text = "A headline\n\n" + "x" * 200_000 + "\n"
    article = run_with_limit(60, lambda: parse_raw(text, "huge.txt"))
    assert article.title == "A headline"
