"""Whatever text comes in, the parser returns an Article or raises NewsgenError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.errors import NewsgenError
from newsgen.model import Article
from newsgen.parse import parse_raw
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
