"""Plain bodies to HTML without the Markdown parser: the common case, proven identical.

Python-Markdown is the renderer, and it takes about 3 ms for an 800-word body: most of a
clean build's time. Yet almost every body newsgen ingest writes is prose paragraphs and
``## `` headings, with no character any Markdown syntax (inline or block) starts with. For
such a body Python-Markdown's output is a foregone conclusion: each paragraph in ``<p>``,
each heading in ``<h2>``, the text unchanged, one newline between blocks. ``plain_html``
gives exactly that and declines (returns None) everything else, which the parser renders.

The characters that decline a body are every one that Python-Markdown (with the ``extra``
and ``sane_lists`` extensions ``markup`` uses) treats specially: emphasis and code (``*``,
``_``, backtick), links, images, footnotes and abbreviations (``[``, ``]``), raw HTML and
autolinks (``<``, ``>``), entities (``&``), escapes (``\\``), tables (``|``), attribute lists
(``{``, ``}``), and any control character or tab (the parser normalises those). A block must
be a single line, start with a letter or an opening quote mark or bracket (so no list,
quote, code, header, rule, fence or definition starts it) and end without a space (no hard
line break). ``tests/test_plainmark.py`` checks the claim against Python-Markdown itself,
on generated bodies full of the characters above and on every record in the test data.
"""

from __future__ import annotations

import re

# What a plain body is, as patterns: the definition, which ``plain_html`` checks in a faster
# way (tests/test_plainmark.py holds it to these, block by block).
# Text that Markdown reads as nothing but text: no syntax character, control or tab.
_TEXT = r"[^\x00-\x1f\x7f*_`\[\]<>&\\|{}]"
# A block's first character: a letter or an opening mark, which starts no list, quote,
# code block, header, rule, fence, table or definition. Its last: not a space (a line break).
_FIRST = r"(?:[^\W\d_]|[“‘\"'(])"
_LAST = r"(?<!\s)"
_PARAGRAPH = re.compile(rf"{_FIRST}{_TEXT}*{_LAST}")
# "#" inside a paragraph is text ("We're #1"); in a heading it may close the heading.
_HEADING = re.compile(rf"## ({_FIRST}(?:(?!#){_TEXT})*{_LAST})")


# The same characters as bytes, less the newline (blocks are split at blank lines first, and
# a newline left inside a block is refused on its own): every one is ASCII, so deleting them
# from a body's UTF-8 takes away exactly those characters, and nothing else.
_SYNTAX = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F]) + b"*_`[]<>&\\|{}"
_FIRST_CHARACTER = re.compile(_FIRST)


def plain_html(body: str) -> str | None:
    """What Python-Markdown makes of ``body``, when ``body`` is plain paragraphs and ``##``
    headings; None when it holds anything else."""
    text = body.removesuffix("\n")
    # ``_TEXT`` for every character at once, in C: matching the patterns below character by
    # character was about 45 us an article, four fifths of rendering a plain body.
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw.translate(None, _SYNTAX)) != len(raw):
        return None
    out = []
    for block in text.split("\n\n"):
        # What is left of ``_PARAGRAPH`` and ``_HEADING``: a single line whose first character
        # starts no syntax and whose last is not white space (``str.isspace`` is the
        # patterns' \s); a heading holds no "#" past its marker.
        if "\n" in block or block[-1:].isspace():
            return None
        if block.startswith("## "):
            heading = block[3:]
            if "#" in heading or _FIRST_CHARACTER.match(heading) is None:
                return None
            out.append(f"<h2>{heading}</h2>")
        elif _FIRST_CHARACTER.match(block) is not None:
            out.append(f"<p>{block}</p>")
        else:
            return None
    return "\n".join(out)
