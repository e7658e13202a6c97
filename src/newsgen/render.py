"""The Jinja environment and its filters; ``Page`` to text.

Autoescape everywhere but plain text, ``StrictUndefined`` so a template typo fails the build
instead of printing nothing, and a theme lookup that tells where it looked when it fails.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import traceback
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import jinja2
import jinja2.bccache
import jinja2.compiler
import jinja2.nodes
import jinja2.runtime
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup, escape

try:  # markupsafe's escaping of a str to a str, without making a Markup of it
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover (no compiled speedups, or another markupsafe)

    def _escape_inner(s: str, /) -> str:
        return str(escape(s))


from newsgen.archive import Archive, Term
from newsgen.config import Config
from newsgen.dates import human, iso, month_name, rfc3339, zone
from newsgen.digest import STRUCTURAL_FILTERS, Tracer
from newsgen.errors import NewsgenError
from newsgen.markup import body_html, clean_text, safe_url
from newsgen.model import Article
from newsgen.plan import SECTIONS, Page, Urls

THEME = Path(__file__).parent / "theme"
# Every section in the header navigation: these index pages always exist, even when empty.
NAV = (
    ("topics", "Topics"),
    ("people", "People"),
    ("places", "Places"),
    ("organizations", "Organizations"),
    ("quotes", "Quotes"),
    ("archive", "Archive"),
)


class _ContainedLoader(jinja2.FileSystemLoader):
    """A folder loader that refuses templates resolving outside its folder (symlinks out)."""

    def __init__(self, root: Path) -> None:
        super().__init__(str(root))
        self.root = root.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise NewsgenError(f"template '{template}' resolves outside {self.root}", filename)
        return source, filename, uptodate


class _PrintingCodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles ``{{ value }}`` in an autoescaped template to ``environment.printed(value)``
    where Jinja writes ``escape(environment.finalize(value))``: one call instead of three for
    each of the hundred values a page prints, and Markup printed as it is, where ``escape``
    copied it (an article's body, and each macro's output at every level it passed through).
    Anything else (plain text templates, a volatile autoescape) compiles as Jinja has it."""

    def _printing(self, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> bool:
        context = frame.eval_ctx
        return bool(
            context.autoescape and not context.volatile and finalize.src == "environment.finalize("
        )

    def _output_child_pre(
        self, node: jinja2.nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._printing(frame, finalize):
            self.write("environment.printed(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: jinja2.nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._printing(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class TracingEnvironment(jinja2.Environment):
    """An environment that tells its ``tracer`` which entities templates read (the cache's
    dependency record); with the tracer stopped it costs one attribute test per lookup."""

    code_generator_class = _PrintingCodeGenerator
    tracer: Tracer
    printed: Callable[[Any], str]  # what ``{{ value }}`` prints (``_PrintingCodeGenerator``)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._loaded: dict[str, jinja2.Template] = {}

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        # A plain dict, where Jinja makes a ChainMap over the environment's globals: each page
        # copies its template's globals into its context and makes a set of their names (for
        # the page and for each macro import), and a ChainMap is slow to read whole. newsgen
        # sets the globals before any template loads (``make_environment``), never after.
        return {**self.globals, **(d or {})}

    def _load_template(
        self, name: str, globals: MutableMapping[str, Any] | None
    ) -> jinja2.Template:
        # Jinja's cache is an LRU with a lock, asked for the page's template, the one it
        # extends and each it imports from, on every page; no template changes while an
        # environment lives (``auto_reload=False``), so a dict that keeps them all will do.
        if globals:
            return super()._load_template(name, globals)
        found = self._loaded.get(name)
        if found is None:
            found = self._loaded[name] = super()._load_template(name, globals)
        return found

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Every ``a.b`` of every page comes here (a hundred per article page): the tracer is
        # asked only about classes that may be entities, articles are recorded on the spot,
        # and Jinja's own lookup is inlined (the same steps as ``Environment.getattr``).
        keys = self.tracer.keys
        kind = type(obj)
        if keys is not None:
            if kind is Article:
                keys.add("a:" + obj.slug)
            elif kind is Term:  # a term's name on every link to it: ``Tracer.read``'s key
                keys.add(f"t:{obj.kind}:{obj.slug}")
            elif kind not in self.tracer.ignored:
                self.tracer.read(obj, attribute)
        methods = _MAPPING_ATTRIBUTES.get(kind)
        if methods is None or attribute in methods:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        # A key of a plain mapping (``urls.feed``, ``entities.people``: ten a page), looked
        # up without the AttributeError that ``getattr`` would raise and catch first.
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self.tracer.keys is not None and type(obj) not in self.tracer.ignored:
            self.tracer.read(obj, argument)
        return super().getitem(obj, argument)


# Exact mapping classes -> every attribute their instances have (they have no ``__dict__``):
# any other name of ``a.b`` on one is a key.
_MAPPING_ATTRIBUTES: dict[type, frozenset[str]] = {
    kind: frozenset(dir(kind)) for kind in (dict, MappingProxyType)
}


class Cleaned:
    """Markup made free of control characters once, known by identity: printing it again
    needs no second look. At most ``size`` are held (each object, so its id stays its own),
    the oldest dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._held: dict[int, Markup] = {}

    def add(self, value: Markup) -> Markup:
        """``value`` cleaned, and remembered."""
        cleaned = clean_text(value)
        value = value if cleaned is value else Markup(cleaned)
        if len(self._held) >= self.size:
            del self._held[next(iter(self._held))]
        self._held[id(value)] = value
        return value

    def __contains__(self, value: object) -> bool:
        return self._held.get(id(value)) is value

    def clear(self) -> None:
        self._held.clear()


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process: ``newsgen serve`` builds again
    and again with the same templates (compiling them was a third of an edit's rebuild). A
    changed template has another checksum, so Jinja compiles it anew. Every environment
    newsgen makes has the same settings, so their compiled code is the same.

    With a ``folder`` (the build cache's), they are kept there too, for the next process: a
    one-edit ``newsgen build`` renders a few pages, and compiling their templates was a
    tenth of it. Jinja checks what it reads (its format, the Python version, the template's
    checksum); a file that cannot be read or written is only a miss."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self.folder: Path | None = None
        self._kept: set[Path] = set()  # files this process wrote or read

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self.folder is not None:
            with contextlib.suppress(OSError):
                code = (self.folder / bucket.key).read_bytes()
                self._kept.add(self.folder / bucket.key)
        if code is not None:
            try:
                bucket.bytecode_from_string(code)
            except Exception:  # a damaged file: Jinja catches only some of what it raises
                bucket.reset()
        if bucket.code is not None and code is not None:
            # Compiled for another folder earlier in this process: this one has it too.
            self._keep(bucket.key, code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        self._keep(bucket.key, code, again=True)  # new code: whatever the file held is stale

    def _keep(self, key: str, code: bytes, again: bool = False) -> None:
        if self.folder is None or (self.folder / key in self._kept and not again):
            return
        self._kept.add(self.folder / key)
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            spare = self.folder / f".{key}.{os.getpid()}"
            spare.write_bytes(code)
            os.replace(spare, self.folder / key)


_COMPILED = _CompiledTemplates()


def keep_compiled_in(folder: Path | None) -> None:
    """Keep compiled templates in ``folder`` as well as in memory (None: memory only)."""
    _COMPILED.folder = folder


def compile_templates(config: Config, archive: Archive, overrides: Path | None) -> None:
    """Compile every template into the process's cache now, so that the first page this
    process renders later (``newsgen serve``'s first save) does not wait for it."""
    env = make_environment(config, archive, overrides)
    for name in env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml"))):
        # One that no page uses may be broken: the build reports those that pages use.
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def template_loader(overrides: Path | None) -> jinja2.BaseLoader:
    """The project's ``templates/`` first, then the theme; ``default/`` always names the
    theme, so an override can extend the template it replaces."""
    theme = _ContainedLoader(THEME)
    chain: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"default": theme})]
    if overrides is not None:
        chain.append(_ContainedLoader(overrides))
    chain.append(theme)
    return jinja2.ChoiceLoader(chain)


def make_environment(
    config: Config,
    archive: Archive,
    overrides: Path | None,
    markdown: Callable[[Article], str] = lambda article: body_html(article.body),
) -> TracingEnvironment:
    """The environment, over ``template_loader(overrides)``. ``markdown`` gives
    an article's body as HTML: the default renders a body the article holds; the build's
    (``renderjob``) reads a body that was left in its record file, and caches the HTML."""
    tracer = Tracer()
    # Markup that holds no control character: the bodies in ``body``'s cache and the teasers
    # in ``once``'s memo (printed again and again, and long: cleaning them was most of it).
    bodies, teasers = Cleaned(256), Cleaned(50_000)

    def finalize(value: Any) -> Any:
        # Every printed value comes here (a hundred per page); strings, the most, first.
        kind = type(value)
        if kind is str:
            return value if value.isprintable() else clean_text(value)
        if kind is Markup:
            if value in teasers or value in bodies:
                return value
            cleaned = clean_text(value)
            return value if cleaned is value else Markup(cleaned)
        tracer.read_all(value)  # an entity printed whole is read whole
        return _finalize(value)

    def printed(value: Any) -> str:
        # ``escape(finalize(value))``, as Jinja would print it, in one call; Markup as it is.
        kind = type(value)
        if kind is str:
            return _escape_inner(value if value.isprintable() else clean_text(value))
        if kind is Markup:
            markup = cast(Markup, value)
            return markup if markup in teasers or markup in bodies else clean_text(markup)
        if kind is int or kind is float:
            # No entity, no control character, nothing to escape (a chart's bar is four).
            return str(value)
        return escape(finalize(value))

    env = TracingEnvironment(
        loader=template_loader(overrides),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
        # An environment lives for one build: no template changes under it, so no stat of
        # every template file (and of macros.html per import) on every page.
        auto_reload=False,
    )
    urls = Urls(config)
    tz = zone(config.timezone)
    base_path, base_url = config.base_path, config.base_url

    # An article's URL is asked for on every page that links to it: worked out once.
    article_urls: dict[str, tuple[Article, str]] = {}

    def url_of(target: Article | Term | str) -> str:
        if isinstance(target, Article):
            found = article_urls.get(target.slug)
            if found is None or found[0] is not target:
                found = article_urls[target.slug] = (target, urls.article(target))
            return found[1]
        return urls.of(target)

    # The most used filters (two dozen links a page), traced on their own: a URL given as
    # a string is no entity, and needs neither the tracer nor a look at its class.
    def href(target: Article | Term | str) -> str:
        if type(target) is str:
            return base_path + target
        read(target)
        return base_path + url_of(target)

    def absolute(target: Article | Term | str) -> str:
        if type(target) is str:
            return base_url + target
        read(target)
        return base_url + url_of(target)

    def read(target: object) -> None:
        # ``tracer.read_all``, with the entities linked to most (two dozen a page) recorded
        # on the spot, as ``TracingEnvironment.getattr`` does.
        keys = tracer.keys
        if keys is None:
            return
        kind = type(target)
        if kind is Article:
            keys.add("a:" + cast(Article, target).slug)
        elif kind is Term:
            term = cast(Term, target)
            keys.add(f"t:{term.kind}:{term.slug}")
        else:
            tracer.read_all(target)

    @functools.lru_cache(maxsize=256)
    def body(slug: str) -> Markup:
        # Rendered once per article although the page, the feed and topic feeds all use it
        # (the feeds show the newest articles, a few hundred at most); bounded, as an
        # archive's HTML does not fit in memory (2,048 bodies were 20 MB in each worker).
        article = by_slug[slug]
        try:
            return bodies.add(Markup(markdown(article)))
        except NewsgenError as exc:  # a body too slow or too deep to render: name the file
            raise exc.located(article.origin) from None

    by_slug = {a.slug: a for a in archive.articles}
    env.filters.update(
        href=href,
        absolute=absolute,
        human=lambda d: human(d, tz),
        iso=lambda d: iso(d, tz),
        rfc3339=lambda d: rfc3339(d, tz, archive.updated),
        month_name=month_name,
        body=lambda a: body(a.slug),
        # Feeds carry HTML as escaped text: drop the Markup mark so autoescape escapes it.
        as_text=lambda s: "".join(str(s)),
        ld=lambda a: _json_ld(a, config, absolute, tz),
        safe_url=safe_url,
        plural=lambda n, word, many=None: f"{n} {word if n == 1 else (many or word + 's')}",
    )
    # A source URL from a record lands in an href: only web URLs, never javascript: or data:.
    env.tests["web_url"] = lambda u: isinstance(u, str) and u.startswith(("https://", "http://"))
    env.globals.update(
        site=config,
        archive=archive,
        nav=NAV,
        urls=SECTIONS,
        updated=archive.updated,
    )
    env.tracer = tracer
    env.printed = printed
    for name, function in list(env.filters.items()):
        if name not in STRUCTURAL_FILTERS and function not in (href, absolute):
            env.filters[name] = tracer.wrap(cast(Callable[..., Any], function))
    for name, function in list(env.tests.items()):
        env.tests[name] = tracer.wrap(cast(Callable[..., Any], function))
    env.filters["once"] = _once(tracer, teasers)  # not wrapped: it replays what the macro read
    return env


def _once(tracer: Tracer, cleaned: Cleaned) -> Callable[..., Markup]:
    """The ``once`` filter: ``{{ teaser|once(article, 3) }}`` is ``{{ teaser(article, 3) }}``
    rendered once per build for the same arguments (the same objects), not on every page that
    shows it: a teaser appears on a dozen listings. The macro's reads are traced when it
    first renders and added to every page that uses the result, so the cache's dependency
    record is the same. Only for macros whose output depends on their arguments and the
    globals alone (imported without context, no ``caller``), as the theme's teaser and
    speaker do (a quote's speaker is printed on its article, its person's pages and the
    quote listings: twenty a page there, each a lookup in the people taxonomy)."""
    memo: dict[tuple[Any, ...], tuple[Markup, tuple[str, ...], tuple[Any, ...]]] = {}

    def once(macro: jinja2.runtime.Macro, *args: Any) -> Markup:
        # The code object is the macro's identity across the modules of each import.
        key = (macro._func.__code__, *map(id, args))
        found = memo.get(key)
        if found is None:
            html, read = tracer.apart(lambda: macro(*args))
            if len(memo) >= 50_000:  # bounded: a huge archive's teasers do not fit
                memo.clear()
                cleaned.clear()
            # The keys interned: each entity's key once, not once per teaser that read it.
            # A tuple: a teaser reads one key or two, and a frozenset of one is 216 bytes.
            keys = tuple(map(sys.intern, read))
            # args held: their ids stay theirs
            found = memo[key] = (cleaned.add(Markup(html)), keys, args)
        if tracer.keys is not None:
            tracer.keys.update(found[1])
        return found[0]

    return once


def _finalize(value: Any) -> Any:
    # Control characters from scraped text would make a page invalid and a feed unparseable.
    if isinstance(value, Markup):
        cleaned = clean_text(value)
        return value if cleaned is value else Markup(cleaned)
    if isinstance(value, str):
        return clean_text(value)
    return value


def _json_ld(
    article: Article, config: Config, absolute: Callable[[Article], str], tz: Any
) -> dict[str, Any]:
    """schema.org NewsArticle data; the template serialises it with ``tojson`` (escaped)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": clean_text(article.title),
        "url": absolute(article),
        "mainEntityOfPage": absolute(article),
        "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.title},
    }
    if article.date is not None:
        data["datePublished"] = iso(article.date, tz)
    if article.byline:
        data["author"] = {"@type": "Person", "name": clean_text(article.byline)}
    if article.summary:
        data["description"] = clean_text(article.summary)
    if article.topics:
        data["articleSection"] = [clean_text(t) for t in article.topics]
    mentions = [
        {"@type": kind, "name": clean_text(name)}
        for kind, names in (
            ("Person", article.entities.people),
            ("Place", article.entities.places),
            ("Organization", article.entities.organizations),
        )
        for name in names
    ]
    if mentions:
        data["mentions"] = mentions
    return data


def render_pages(
    pages: Sequence[Page], env: jinja2.Environment, overrides: Path | None
) -> dict[str, bytes]:
    """Every page as bytes, by output path. Raw files (CSS) are copied, not rendered."""
    out: dict[str, bytes] = {}
    for page in pages:
        out[page.path] = render_page(page, env, overrides).encode("utf-8")
    return out


def render_traced(
    page: Page, env: TracingEnvironment, overrides: Path | None
) -> tuple[str, frozenset[str]]:
    """The page's text and the keys of the entities its templates read."""
    env.tracer.start()
    try:
        text = render_page(page, env, overrides)
    finally:
        keys = env.tracer.stop()
    return text, frozenset(keys)


def render_page(page: Page, env: jinja2.Environment, overrides: Path | None) -> str:
    try:
        if page.template.startswith("static/"):
            assert env.loader is not None
            return env.loader.get_source(env, page.template)[0]
        template = env.get_template(page.template)
        return template.render(page=page, **page.context)
    except jinja2.TemplateNotFound as exc:
        places = [str(p) for p in (overrides, THEME) if p is not None]
        raise NewsgenError(
            f"template '{exc.name}' not found; looked in {', '.join(places)}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise NewsgenError(f"{exc.message} (while rendering /{page.url})", *_where()) from None
    except jinja2.TemplateSyntaxError as exc:
        raise NewsgenError(f"template syntax: {exc.message}", exc.filename, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise NewsgenError(f"{exc.message} (while rendering /{page.url})", *_where()) from None


def _where() -> tuple[str | None, int | None]:
    """The template file and line being rendered, read from the traceback Jinja rewrites."""
    tb = sys.exc_info()[2]
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(tb):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            found = (frame.filename, frame.lineno)
    return found


def page_counts(pages: Sequence[Page]) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for page in pages:
        counts[page.kind] = counts.get(page.kind, 0) + 1
    return dict(sorted(counts.items()))
