"""What a page's output depends on, as digests: the keys of the build cache.

A page's output is a function of its template set, the configuration, its context and the
parts of the model its templates read. The context is digested in full, except that an
*entity* in it (an article, a term, a taxonomy) stands as its key; which entities a template
then reads is recorded while it renders (``Tracer``), and the page's fingerprint includes the
digest of each one read. So editing an article re-renders the pages that show it, not every
page of every taxonomy it is in, and a page that read nothing new is never re-rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Set
from typing import Any, TypeVar

from markupsafe import Markup

from newsgen.archive import Archive, Taxonomy, Term
from newsgen.config import Config
from newsgen.hashing import blake
from newsgen.model import Article, Quote, Source
from newsgen.model import Entities as Entities_
from newsgen.plan import Pager
from newsgen.timeline import Bar, Timeline

T = TypeVar("T")
Key = str  # "a:<slug>", "t:<kind>:<slug>", "x:<kind>", "r:<archive attribute>"


def entity_key(value: object) -> Key | None:
    """The key of an entity, None for a plain value."""
    if isinstance(value, Article):
        return f"a:{value.slug}"
    if isinstance(value, Term):
        return f"t:{value.kind}:{value.slug}"
    if isinstance(value, Taxonomy):
        return f"x:{value.kind}"
    if isinstance(value, Archive):
        return "r:*"
    return None


def value_text(value: object, out: list[str]) -> None:
    """A canonical text of ``value`` with entities as their keys (appended to ``out``)."""
    kind = type(value)
    if kind is str:
        out.append(f"s{len(value)}:{value};")  # type: ignore[arg-type]
    elif value is None or kind is int or kind is bool or kind is float:
        out.append(f"{value!r};")
    elif kind is tuple or kind is list:
        if len(value) > 16:  # type: ignore[arg-type]
            # Long tuples (a person's quotes, a listing's page URLs) recur on many pages.
            out.append(_long_digest(value))  # type: ignore[arg-type]
            return
        out.append("(")
        for item in value:  # type: ignore[attr-defined]
            value_text(item, out)
        out.append(")")
    elif kind is Article:
        out.append(f"@a:{value.slug};")  # type: ignore[attr-defined]
    elif kind is Term:
        out.append(f"@t:{value.kind}:{value.slug};")  # type: ignore[attr-defined]
    elif kind is dict:
        # A page's context: the same text as any Mapping's below, without the ABC's test.
        _mapping_text(value, out)  # type: ignore[arg-type]
    elif kind is dt.datetime or kind is dt.date:
        out.append(f"{value!r};")
    elif kind is Pager:
        # As any dataclass's below: the URLs of its listing are one tuple shared by every
        # page of the listing, digested once (``_long_digest``); its repr, per page, made
        # the digests of a listing's pages quadratic in their number.
        out.append("Pager(")
        value_text(value.number, out)  # type: ignore[attr-defined]
        value_text(value.urls, out)  # type: ignore[attr-defined]
        out.append(")")
    elif kind in _PLAIN_DATA:
        out.append(_plain_digest(value))
    elif (key := entity_key(value)) is not None:
        out.append(f"@{key};")
    elif isinstance(value, str):
        # The class too: Markup and str render differently under autoescape.
        out.append(f"{kind.__name__}{len(value)}:{value};")
    elif isinstance(value, dt.date):
        out.append(f"{value!r};")
    elif isinstance(value, Mapping):
        _mapping_text(value, out)
    elif isinstance(value, tuple | list):
        out.append(kind.__name__ + "(")
        for item in value:
            value_text(item, out)
        out.append(")")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(kind.__qualname__ + "(")
        for f in dataclasses.fields(value):
            value_text(getattr(value, f.name), out)
        out.append(")")
    elif isinstance(value, dt.tzinfo):
        out.append(f"tz:{value!r};")
    else:
        # Anything else (a property-only class, a callable) cannot be compared: never cached.
        raise TypeError(f"no digest for {kind.__name__}")


def _mapping_text(value: Mapping[object, object], out: list[str]) -> None:
    out.append("{")
    for k in sorted(value, key=repr):
        value_text(k, out)
        value_text(value[k], out)
    out.append("}")


# Frozen dataclasses of plain values only (no entity inside): their repr says it all, fast.
_PLAIN_DATA = frozenset({Timeline, Bar, Quote, Source, Entities_, Config})

# id -> (the object, its digest): the object is held so that its id is not reused.
_LONG: dict[int, tuple[object, str]] = {}


def _plain_digest(value: object) -> str:
    # A timeline or pager object is shared by many pages of one listing: its repr once.
    found = _LONG.get(id(value))
    if found is not None and found[0] is value:
        return found[1]
    digest = "#" + blake(repr(value)) + ";"
    if len(_LONG) > 100_000:
        _LONG.clear()
    _LONG[id(value)] = (value, digest)
    return digest


def _long_digest(value: tuple[object, ...] | list[object]) -> str:
    found = _LONG.get(id(value))
    if found is not None and found[0] is value and type(value) is tuple:
        return found[1]
    out: list[str] = ["("]
    for item in value:
        value_text(item, out)
    out.append(")")
    digest = "#" + blake("".join(out)) + ";"
    if type(value) is tuple:  # a list may change; a tuple of these values does not
        if len(_LONG) > 100_000:
            _LONG.clear()
        _LONG[id(value)] = (value, digest)
    return digest


def value_digest(value: object) -> str:
    out: list[str] = []
    value_text(value, out)
    return blake("".join(out))


# id -> (the article, its digest): the incremental builder keeps unchanged Article objects
# from one rebuild to the next, so each version of an article is digested once.
_ARTICLES: dict[int, tuple[Article, str]] = {}


def article_digest(article: Article) -> str:
    found = _ARTICLES.get(id(article))
    if found is not None and found[0] is article:
        return found[1]
    digest = value_digest([getattr(article, f.name) for f in dataclasses.fields(article)])
    if len(_ARTICLES) > 400_000:
        _ARTICLES.clear()
    _ARTICLES[id(article)] = (article, digest)
    return digest


# The same for terms: after an edit that keeps every article's terms, the incremental builder's
# archive holds the same Term objects (a topic of thousands of articles is one long digest).
_TERMS: dict[int, tuple[Term, str]] = {}


def term_digest(term: Term) -> str:
    found = _TERMS.get(id(term))
    if found is not None and found[0] is term:
        return found[1]
    digest = blake("\x00".join([term.kind, term.name, term.slug, *(a.slug for a in term.articles)]))
    if len(_TERMS) > 100_000:
        _TERMS.clear()
    _TERMS[id(term)] = (term, digest)
    return digest


class Entities:
    """The entities of one build, found by key, each digested once.

    ``records``: the article loaded from each record file, by ``id``, -> the record's digest.
    Such an article is digested by its record's: the same text gives the same article (the
    parser's code is in every page's fingerprint), and hashing every field of 10,000
    articles was 0.4 s of CPU in each worker of a clean build."""

    def __init__(self, archive: Archive, records: Mapping[int, str] | None = None) -> None:
        self.archive = archive
        self._records = records or {}
        self.articles = {a.slug: a for a in archive.articles}
        self.terms = {
            f"t:{t.kind}:{t.slug}": t
            for terms in (
                *(x.terms for x in archive.taxonomies.values()),
                archive.years,
                *archive.months.values(),
            )
            for t in terms
        }
        self._digests: dict[Key, str] = {}

    def digest(self, key: Key) -> str | None:
        """The digest of what ``key`` names now; None when it no longer exists."""
        found = self._digests.get(key)
        if found is None:
            found = self._compute(key)
            if found is not None:
                self._digests[key] = found
        return found

    def _compute(self, key: Key) -> str | None:
        kind, _, rest = key.partition(":")
        if kind == "a":
            article = self.articles.get(rest)
            if article is None:
                return None
            record = self._records.get(id(article))
            return article_digest(article) if record is None else blake("record", record)
        if kind == "t":
            term = self.terms.get(key)
            if term is None:
                return None
            return term_digest(term)
        if kind == "x":
            taxonomy = self.archive.taxonomies.get(rest)
            if taxonomy is None:
                return None
            return value_digest(
                (
                    taxonomy.kind,
                    taxonomy.title,
                    taxonomy.singular,
                    [(t.kind, t.name, t.slug) for t in taxonomy.terms],
                    {n: t.slug for n, t in taxonomy.by_name.items()},
                )
            )
        if kind == "r":
            # The archive is read attribute by attribute: its taxonomies mapping rarely changes.
            if rest == "*":
                archive = self.archive
                return value_digest([getattr(archive, f.name) for f in dataclasses.fields(archive)])
            if not hasattr(self.archive, rest):
                return None
            return value_digest(getattr(self.archive, rest))
        return None

    def fingerprint(self, base: str, keys: Iterable[Key]) -> str | None:
        """``base`` (template set, config, context) with the digest of every entity read."""
        parts = [base]
        for key in sorted(keys):
            digest = self.digest(key)
            if digest is None:
                return None
            parts.append(f"{key}={digest}")
        return blake("\n".join(parts))


_PLAIN = frozenset({str, Markup, int, float, bool, type(None)})
# Classes whose values are never entities: the plain ones, then each class seen that is not.
_NOT_ENTITIES: set[type] = set(_PLAIN)
# Classes ``Tracer.read_all`` records nothing of: the plain ones, then each class seen that
# is neither an entity nor a sequence or mapping to look into.
_LEAVES: set[type] = set(_PLAIN)
# Filters that look only at a sequence's length or order, never at what its entities hold.
STRUCTURAL_FILTERS = frozenset(
    {"length", "count", "first", "last", "list", "reverse", "batch", "slice", "default", "d"}
)


class Tracer:
    """Records which entities templates read while one page renders.

    Jinja routes every ``a.b`` and ``a[b]`` through ``Environment.getattr``/``getitem``, so
    that is where reads are seen; filters and tests get the entities they are passed, and
    the output hook the ones printed whole. The one read not seen is comparing two entities
    with ``==`` in a template; the default theme never does.
    """

    def __init__(self) -> None:
        self.keys: set[Key] | None = None
        # What ``read`` would ignore: a caller on a hot path tests this before calling it.
        self.ignored: Set[type] = _NOT_ENTITIES

    def start(self) -> None:
        self.keys = set()

    def stop(self) -> set[Key]:
        keys, self.keys = self.keys or set(), None
        return keys

    def apart(self, call: Callable[[], T]) -> tuple[T, frozenset[Key]]:
        """``call()`` and the keys it read, traced on their own (also when no page is being
        traced); the page being traced, if any, is not told of them."""
        outer, self.keys = self.keys, set()
        try:
            result = call()
        finally:
            keys, self.keys = self.keys, outer
        return result, frozenset(keys)

    def read(self, obj: object, attribute: object = None) -> None:
        keys = self.keys
        kind = type(obj)
        if keys is None or kind in _NOT_ENTITIES:
            return
        if kind is Article:
            keys.add(f"a:{obj.slug}")  # type: ignore[attr-defined]
        elif kind is Term:
            keys.add(f"t:{obj.kind}:{obj.slug}")  # type: ignore[attr-defined]
        elif kind is Archive:
            keys.add(f"r:{attribute}" if isinstance(attribute, str) else "r:*")
        elif (key := entity_key(obj)) is not None:
            keys.add(key)
        elif len(_NOT_ENTITIES) < 1000:
            # Whether a value is an entity depends on its class alone: ask once per class.
            _NOT_ENTITIES.add(kind)

    def read_all(self, value: object) -> None:
        """An entity, or the entities in a list, handed whole to Python code."""
        kind = type(value)
        if self.keys is None or kind in _LEAVES:
            return
        if kind is Article or kind is Term:  # most often given to a filter: before the ABCs
            self.read(value)
        elif isinstance(value, tuple | list):
            for item in value:
                self.read(item)
        elif isinstance(value, dict | Mapping):  # a dict is found before the ABC test
            for item in value.values():
                self.read(item)
        else:
            self.read(value)
            if kind in _NOT_ENTITIES and len(_LEAVES) < 1000:
                # Neither an entity nor a container (a date given to ``iso``): whatever
                # ``read_all`` is given of this class, it records nothing. Asked once.
                _LEAVES.add(kind)

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """A filter or test that records the entities it is given."""

        def traced(*args: Any, **kwargs: Any) -> Any:
            if self.keys is not None:
                for arg in args:
                    # Most are strings or dates: no call for a class read_all would skip.
                    if type(arg) not in _LEAVES:
                        self.read_all(arg)
                for arg in kwargs.values():
                    self.read_all(arg)
            return function(*args, **kwargs)

        if hasattr(function, "jinja_pass_arg"):  # keep @pass_environment and friends working
            traced.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
        return traced
