"""Article bodies kept out of the build's memory, and read again where a page needs one.

Bodies are most of an archive's bytes (about 7 KB an article against 1-2 KB of metadata), and
only the pages that print them need them: an article's page and the feeds. So the build holds
articles without their bodies (``Article.body_ref``: the record file and the body's digest),
and the process that renders a page reads the body from the record file again. The digest
makes that safe: a record changed since it was parsed is an error naming the file, never a
page that mixes the old metadata with the new body.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from newsgen.errors import NewsgenError
from newsgen.model import Article, BodyRef

CHANGED = "changed while the site was being built; build again"


def digest(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def without_body(article: Article, record: str) -> Article:
    """``article`` parsed from ``record`` (a project-relative path), its body left there."""
    ref = BodyRef(record, digest(article.body))
    return dataclasses.replace(article, body="", body_ref=ref)


def body_digest(article: Article) -> str:
    """The digest of the article's body, held or not."""
    return article.body_ref.digest if article.body_ref is not None else digest(article.body)


def body_text(article: Article, project: Path) -> str:
    """The article's body: its own, or read again from its record file in ``project``."""
    from newsgen.records import body_of  # YAML: imported where a body is read, not by a replay

    ref = article.body_ref
    if ref is None:
        return article.body
    try:
        text = (project / ref.record).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise NewsgenError(CHANGED, ref.record) from None
    body = body_of(text)
    if digest(body) != ref.digest:
        raise NewsgenError(CHANGED, ref.record)
    return body
