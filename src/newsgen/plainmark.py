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

# Text that Markdown reads as nothing but text: no syntax character, control or tab.
_TEXT = r"[^\x00-\x1f\x7f*_`\[\]<>&\\|{}]"
# A block's first character: a letter or an opening mark, which starts no list, quote,
# code block, header, rule, fence, table or definition. Its last: not a space (a line break).
_FIRST = r"(?:[^\W\d_]|[“‘\"'(])"
_LAST = r"(?<!\s)"
_PARAGRAPH = re.compile(rf"{_FIRST}{_TEXT}*{_LAST}")
# "#" inside a paragraph is text ("We're #1"); in a heading it may close the heading.
_HEADING = re.compile(rf"## ({_FIRST}(?:(?!#){_TEXT})*{_LAST})")


def plain_html(body: str) -> str | None:
    """What Python-Markdown makes of ``body``, when ``body`` is plain paragraphs and ``##``
    headings; None when it holds anything else."""
    blocks = body.removesuffix("\n").split("\n\n")
    out = []
    for block in blocks:
        if (heading := _HEADING.fullmatch(block)) is not None:
            out.append(f"<h2>{heading[1]}</h2>")
        elif _PARAGRAPH.fullmatch(block) is not None:
            out.append(f"<p>{block}</p>")
        else:
            return None
    return "\n".join(out)
