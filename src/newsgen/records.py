"""``Article`` to and from Markdown with YAML front matter: the record format of ``articles/``.

The front matter keys and their order are the contract between ingest and build (and the
people who edit records by hand), so both directions live here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from newsgen.errors import NewsgenError
from newsgen.model import Article, Entities, Quote, Source
from newsgen.yaml_events import dump_mapping

# libyaml is several times faster; the pure-Python classes read and write the same YAML.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

ENTITY_KINDS = ("people", "places", "organizations")


class _Checked:
    """Constructor checks for both loaders: duplicate keys and impossible dates are errors."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        first: dict[object, int] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in first:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (first at line {first[key]})",
                    key_node.start_mark,
                )
            first[key] = key_node.start_mark.line + 1  # a file line: see load_article
        return super().construct_mapping(node, deep)  # type: ignore[misc]


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # 2024-02-30 looks like a date to YAML, then fails
        raise yaml.constructor.ConstructorError(
            None, None, f"impossible date {node.value!r}: {exc}", node.start_mark
        ) from None


class _FastLoader(_Checked, _SafeLoader):  # type: ignore[misc]
    pass


class _NoAliasLoader(_Checked, yaml.SafeLoader):
    """The pure-Python safe loader, which can refuse aliases (libyaml composes them in C)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in records", event.start_mark
            )
        return super().compose_node(parent, index)


for _loader in (_FastLoader, _NoAliasLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class _RecordHandler(YAMLHandler):
    """Front matter loaded with the safe loader only, and written in a stable, readable form."""

    def load(self, fm: str, **kwargs: object) -> Any:
        # An alias bomb (anchors nested 9 deep) is refused; without '&' or '*' there can be
        # no alias, and the fast C loader reads the front matter.
        if "&" in fm or "*" in fm:
            metadata = yaml.load(fm, Loader=_NoAliasLoader)
        else:
            metadata = _load_plain(fm)
        if metadata is not None and not isinstance(metadata, Mapping):
            # python-frontmatter would drop it silently; a list here is a mistake to report.
            raise NewsgenError("front matter must be a mapping", line=2)
        return metadata

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        text = dump_mapping(
            metadata, _SafeDumper, lambda: _yaml_dump(metadata), allow_unicode=True, width=100
        )
        return text.rstrip("\n")


def _yaml_dump(metadata: dict[str, object]) -> str:
    """The front matter as PyYAML writes it: ``yaml_events.dump_mapping`` writes the same,
    faster, and calls this for what it does not handle."""
    text: str = yaml.dump(
        metadata,
        Dumper=_SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text


_HANDLER = _RecordHandler()

_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "map", "seq"))


class _NotPlain(Exception):
    """A front matter the plain walk leaves to PyYAML's constructor."""


def _load_plain(fm: str) -> Any:
    """``yaml.load(fm, Loader=_FastLoader)``, faster for what records hold.

    libyaml parses and composes the nodes in C; PyYAML then constructs objects from them in
    Python, a quarter of loading a record (0.08 of 0.33 ms). A record is mappings of
    string keys, lists and strings, with a few numbers, booleans and dates: those strings,
    mappings and lists are made here straight from the nodes, and every other scalar by
    the loader itself. A duplicate or non-string key, or anything raising, goes the
    loader's whole way, so errors are PyYAML's (tests/test_records.py holds the two to the
    same data)."""
    loader = _FastLoader(fm)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain(node, loader)
        except (_NotPlain, yaml.YAMLError):
            pass  # reported, or handled, by the loader's own way below
    finally:
        loader.dispose()
    return yaml.load(fm, Loader=_FastLoader)


def _plain(node: yaml.Node, loader: Any) -> Any:
    tag, kind = node.tag, type(node)
    if kind is yaml.ScalarNode and tag == _STR:
        return node.value
    if kind is yaml.MappingNode and tag == _MAP:
        keys = [
            key.value for key, _ in node.value if type(key) is yaml.ScalarNode and key.tag == _STR
        ]
        if len(keys) != len(node.value) or len(set(keys)) != len(keys):
            raise _NotPlain  # a duplicate key is an error; a merge key ("<<") is merged
        return {
            key: _plain(value, loader) for key, (_, value) in zip(keys, node.value, strict=True)
        }
    if kind is yaml.SequenceNode and tag == _SEQ:
        return [_plain(item, loader) for item in node.value]
    return loader.construct_object(node, deep=True)


def article_to_metadata(article: Article) -> dict[str, object]:
    """The front matter of ``article``, keys in the documented order, empty values left out."""
    meta: dict[str, object] = {
        "title": article.title,
        "kicker": article.kicker,
        "slug": article.slug,
        "id": article.id,
        "date": _format_date(article.date),
        "byline": article.byline,
        "source": _source_to_dict(article.source),
        "topics": list(article.topics),
        "summary": article.summary,
        "word_count": article.word_count,
        "quotes": [_quote_to_dict(q) for q in article.quotes],
        "entities": {kind: list(getattr(article.entities, kind)) for kind in ENTITY_KINDS},
        "origin": article.origin,
        "duplicate_of": article.duplicate_of,
        "draft": article.draft or None,
    }
    return {key: value for key, value in meta.items() if value is not None}


def dump_article(article: Article) -> str:
    """The whole record file: front matter, a blank line, the Markdown body, a final newline."""
    post = frontmatter.Post(article.body, handler=_HANDLER, **article_to_metadata(article))
    text: str = frontmatter.dumps(post, handler=_HANDLER)
    return text.rstrip("\n") + "\n"


FIELDS = (
    "title", "kicker", "slug", "id", "date", "byline", "source", "topics", "summary",
    "word_count", "quotes", "entities", "origin", "duplicate_of", "draft",
)  # fmt: skip
_TEXT_FIELDS = ("title", "kicker", "slug", "id", "byline", "summary", "origin", "duplicate_of")


def load_article_checked(text: str, path: str) -> tuple[Article, list[NewsgenError]]:
    """``load_article``, and warnings for what is read but worth a look: unknown fields (a
    typo, or a ``template:`` a record may not choose) and numbers read as text."""
    # The front matter is parsed once (YAML is most of the cost of loading a record).
    metadata, body = _parse(text, path)
    article = metadata_to_article(metadata, body, path)
    warnings = []
    for key, value in metadata.items():
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            if key in ("template", "layout"):
                hint = "; a page's template comes from its kind, never from a record"
            line = _key_line(text, str(key))
            warnings.append(NewsgenError(f"unknown field '{key}' ignored{hint}", path, line))
        elif key in _TEXT_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
            line = _key_line(text, str(key))
            warnings.append(
                NewsgenError(f"field '{key}' is the number {value}; read as text", path, line)
            )
    return article, warnings


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_article(text: str, path: str) -> Article:
    """Parse a record file. Raises ``NewsgenError`` naming ``path`` and the line at fault."""
    return metadata_to_article(*_parse(text, path), path)


def _parse(text: str, path: str) -> tuple[Mapping[str, Any], str]:
    """A record's front matter and body, or ``NewsgenError`` naming the line at fault."""
    text = _normalise(text)
    if not text.strip():
        raise NewsgenError("empty article", path)
    if not text.startswith("---\n"):
        raise NewsgenError("no front matter: a record starts with a '---' line", path, 1)
    if "\n---" not in text[3:]:
        raise NewsgenError("front matter not closed: no second '---' line", path, 1)
    split = _split(text)
    if split is None:
        return {}, text.strip()  # as python-frontmatter reads it: no front matter at all
    front, body = split
    try:
        loaded = _HANDLER.load(front)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        # The YAML text starts right after "---" (its newline included), so its 0-based line
        # numbers are already shifted by the "---" line: +1 makes them 1-based file lines.
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise NewsgenError(f"invalid YAML: {exc.problem}", path, line, column) from None
    except yaml.reader.ReaderError as exc:  # a control character; position counts in the YAML
        line = text.count("\n", 0, 3 + exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise NewsgenError(
            f"invalid YAML: control character U+{code:04X} is not allowed", path, line
        ) from None
    except yaml.YAMLError as exc:
        raise NewsgenError(f"invalid YAML: {exc}", path, 2) from None
    except NewsgenError as exc:
        raise exc.located(path) from None
    metadata = loaded if isinstance(loaded, dict) else {}
    return metadata, body


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a normalised record as ``frontmatter.parse`` cuts it; None
    when there is no front matter to cut."""
    try:
        front, body = _HANDLER.split(text.strip())
    except ValueError:
        return None
    return front, body.strip()


def _body(body: str) -> str:
    return body.strip("\n") + ("\n" if body.strip() else "")


def body_of(text: str) -> str:
    """The body ``load_article`` gives for the record ``text``, without reading its front
    matter: the build reads bodies again from record files it has parsed before."""
    text = _normalise(text)
    split = _split(text)
    return _body(split[1] if split is not None else text.strip())


def metadata_to_article(meta: Mapping[str, Any], body: str, path: str) -> Article:
    """Validate front matter values and build the ``Article``; every value is type-checked."""
    fields = _Fields(meta, path)
    title = fields.text("title", required=True)
    assert title is not None
    slug = fields.text("slug") or ""
    if not slug:
        raise NewsgenError("missing required field 'slug'", path)
    return Article(
        id=fields.text("id") or "",
        slug=slug,
        title=title,
        body=_body(body),
        origin=fields.text("origin") or path,
        kicker=fields.text("kicker"),
        date=fields.date("date"),
        byline=fields.text("byline"),
        source=fields.source("source"),
        topics=fields.text_list("topics"),
        quotes=fields.quotes("quotes"),
        entities=fields.entities("entities"),
        summary=fields.text("summary") or "",
        word_count=fields.integer("word_count"),
        duplicate_of=fields.text("duplicate_of"),
        draft=fields.boolean("draft"),
    )


class _Fields:
    """Typed access to front matter values, with errors that name the file and the key."""

    def __init__(self, meta: Mapping[str, Any], path: str) -> None:
        self.meta = meta
        self.path = path

    def _fail(self, key: str, expected: str) -> NewsgenError:
        got = type(self.meta.get(key)).__name__
        return NewsgenError(f"field '{key}' must be {expected}, not {got}", self.path)

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.meta.get(key)
        if value is None or value == "":
            if required:
                raise NewsgenError(f"missing required field '{key}'", self.path)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self._fail(key, "text")
        return str(value)

    def integer(self, key: str) -> int:
        value = self.meta.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "a whole number")
        return value

    def boolean(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.meta.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):  # YAML already parsed it (datetime is a date too)
            return value
        if isinstance(value, str):
            try:
                return (
                    dt.datetime.fromisoformat(value)
                    if "T" in value
                    else dt.date.fromisoformat(value)
                )
            except ValueError:
                pass
        raise NewsgenError(
            f"field '{key}' must be an ISO date (2024-05-31) or date-time, not {value!r}",
            self.path,
        )

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "a list of text")
        return tuple(value)

    def source(self, key: str) -> Source | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self._fail(key, "a mapping with 'name' and/or 'url'")
        sub = _Fields(value, self.path)
        name, url = sub.text("name"), sub.text("url")
        return Source(name, url) if name or url else None

    def quotes(self, key: str) -> tuple[Quote, ...]:
        value = self.meta.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self._fail(key, "a list of mappings with 'text', 'speaker' and 'role'")
        quotes = []
        for item in value:
            sub = _Fields(item, self.path)
            text = sub.text("text", required=True)
            assert text is not None
            quotes.append(Quote(text, sub.text("speaker"), sub.text("role")))
        return tuple(quotes)

    def entities(self, key: str) -> Entities:
        value = self.meta.get(key)
        if value is None:
            return Entities()
        if not isinstance(value, Mapping):
            raise self._fail(key, "a mapping of people, places and organizations")
        sub = _Fields(value, self.path)
        return Entities(*(sub.text_list(kind) for kind in ENTITY_KINDS))


def _format_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _source_to_dict(source: Source | None) -> dict[str, str] | None:
    if source is None:
        return None
    items = {"name": source.name, "url": source.url}
    return {k: v for k, v in items.items() if v is not None}


def _quote_to_dict(quote: Quote) -> dict[str, str | None]:
    return {"text": quote.text, "speaker": quote.speaker, "role": quote.role}
