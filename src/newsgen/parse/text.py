"""Bytes off the open web to clean, normalised text: encoding, mojibake, unicode, controls."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ftfy
from ftfy.chardata import HTML_ENTITY_RE

from newsgen.errors import NewsgenError
from newsgen.sniff import MAX_BYTES, looks_binary

# ftfy repairs mojibake ("itâ€™s" -> "it’s") but by default also straightens curly quotes,
# which are the evidence the quote finder reads: keep them.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=False)
# A line of ASCII and common typography has nothing for ftfy to fix: mojibake needs the
# Latin-1 or Cyrillic letters that UTF-8 lead bytes turn into, an HTML entity needs "&", a
# terminal escape "\x1b"; these curly quotes, dashes and ellipsis are continuation bytes in
# every Windows code page ftfy tries and lead bytes only in MacRoman, where what follows them
# would have to be a non-ASCII letter. ftfy costs about a millisecond per article when
# called on every line; this leaves it the few percent of lines that need it.
# "&" is plain unless it opens what ftfy decodes as an entity (its own pattern, asked only
# of the text or line that holds an "&": "AT&T" and "Q&A" are the common cases).
_PLAIN_LINE = re.compile(r"[\t\x20-\x7e‘’“”–—…]*\n?")
_PLAIN_TEXT = re.compile(r"[\t\n\x20-\x7e‘’“”–—…]*")

# Control characters other than newline and tab; zero-width and bidi marks that only hide text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Runs of spaces, to become one space: all but a lone " " (the space between any two words,
# which matching and replacing with itself made the costliest step of cleaning).
_SPACES = re.compile(
    r" [ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
    r"|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
)

# Every match of ``_SPACES`` holds two spaces or one of these (its pattern, less " "); a
# search for them is a tenth of the cost of the substitution, which most texts do not need.
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")


@dataclass(frozen=True)
class Decoded:
    text: str
    warnings: tuple[str, ...] = ()


def decode(data: bytes, path: str, max_bytes: int = MAX_BYTES) -> Decoded:
    """Decode a raw file: UTF-8 (with or without BOM), else cp1252 with a warning.

    Raises ``NewsgenError`` for files that are not text at all or too large to be an article.
    """
    if len(data) > max_bytes:
        raise NewsgenError(
            f"file too large for an article ({len(data) / 1e6:.1f} MB; the limit is "
            f"{max_bytes / 1e6:.0f} MB)",
            path,
        )
    if looks_binary(data):
        raise NewsgenError("binary file skipped: this is not article text", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        text = data.decode("cp1252", errors="replace")
        return Decoded(
            text,
            (f"{path}:{line}: not valid UTF-8 (byte {exc.start}); read as Windows-1252",),
        )


def clean(text: str) -> str:
    """Repair mojibake, normalise to NFC, drop control characters, use ``\\n`` line endings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _PLAIN_TEXT.fullmatch(text) and _no_entity(text):
        # ASCII and common typography (most articles): nothing for ftfy, no control
        # character, NFC already, and of the odd spaces only a tab can be there. Each of those
        # passes over the whole text cost 40-60 µs.
        odd_space = "\t" in text
    else:
        # ftfy first: mojibake can carry C1 control bytes ("â\x80\x99") that it turns back
        # into text.
        text = fix_mojibake(text)
        text = _CONTROL.sub("", text)
        text = unicodedata.normalize("NFC", text)
        odd_space = _ODD_SPACE.search(text) is not None
    # One pass for the whole text: runs of spaces never hold a line break.
    if "  " in text or odd_space:  # else ``_SPACES`` has nothing to replace
        text = _SPACES.sub(" ", text)
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(lines).strip("\n")


def fix_mojibake(text: str) -> str:
    """``ftfy.fix_text`` with our settings: line by line as ftfy works, skipping plain lines."""
    if _PLAIN_TEXT.fullmatch(text) and _no_entity(text):
        return text  # every line plain: most articles, seen in one pass
    config = _FTFY
    lines = text.split("\n")
    out = []
    for index, line in enumerate(lines):
        segment = line + "\n" if index < len(lines) - 1 else line
        plain = _PLAIN_LINE.fullmatch(segment) and _no_entity(segment)
        out.append(segment if plain else ftfy.fix_text(segment, config))
        if "<" in segment:  # as ftfy does: in a text with tags, entities are left alone
            config = config._replace(unescape_html=False)
    return "".join(out)


def _no_entity(text: str) -> bool:
    return "&" not in text or HTML_ENTITY_RE.search(text) is None
