"""The pure parts of ``newsgen serve``, as tables: which request paths name a site file,
what a changed file asks to be redone, where the reload script goes, what a page is served as.
"""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from newsgen.serve.app import exposure_warning, site_url
from newsgen.serve.paths import Refused, SitePath, content_type, parse_path
from newsgen.serve.reload import BuildState, decorate, error_page, inject
from newsgen.serve.watch import Changes, classify, is_noise

ACCEPTED = [
    ("/", (), True),
    ("/index.html", ("index.html",), False),
    ("/articles/x/", ("articles", "x"), True),
    ("/articles/x", ("articles", "x"), False),
    ("/articles/x/?utm=1#top", ("articles", "x"), True),
    ("/people/jos%C3%A9/", ("people", "josé"), True),
    ("/a%20b.html", ("a b.html",), False),
    ("/%252e%252e/x", ("%2e%2e", "x"), False),  # double-encoded: a literal name, not ".."
    ("/a..b/c", ("a..b", "c"), False),
]


@pytest.mark.parametrize(("target", "segments", "slash"), ACCEPTED)
def test_a_plain_site_path_is_split_into_its_segments(
    target: str, segments: tuple[str, ...], slash: bool
) -> None:
    assert parse_path(target) == SitePath(segments, slash)


REFUSED = [
    ("/../../etc/passwd", 403),
    ("/articles/../../etc/passwd", 403),
    ("/%2e%2e/%2e%2e/etc/passwd", 403),
    ("/%2E%2E/etc/passwd", 403),
    ("/..%2f..%2fetc/passwd", 403),
    ("/..%2F..%2Fetc%2Fpasswd", 403),
    ("/./index.html", 403),
    ("/%2e/index.html", 403),
    ("//etc/passwd", 403),
    ("//abs/path", 403),
    ("/articles//x/", 403),
    ("/%2f%2fetc/passwd", 403),
    ("/..\\..\\etc\\passwd", 403),
    ("/%5c..%5c..%5cetc/passwd", 403),
    ("/..%5c..%5cetc/passwd", 403),
    ("/%00", 403),
    ("/index.html%00.css", 403),
    ("/%ff%fe", 400),
    ("etc/passwd", 400),
    ("http://example.org/", 400),
    ("/.git/config", 404),
    ("/.nojekyll", 404),
    ("/articles/.x.md.swp", 404),
]


@pytest.mark.parametrize(("target", "status"), REFUSED)
def test_every_traversal_form_is_refused_before_touching_the_disk(target: str, status: int) -> None:
    refused = parse_path(target)
    assert isinstance(refused, Refused)
    assert refused.status == status


@pytest.mark.parametrize(
    ("path", "url"),
    [
        (SitePath(("topics",), True), "/topics/"),
        (SitePath(("people", "josé"), True), "/people/jos%C3%A9/"),
        (SitePath((), True), "/"),
        (SitePath(("a b",), False), "/a%20b"),
    ],
)
def test_the_canonical_url_is_re_encoded_and_never_protocol_relative(
    path: SitePath, url: str
) -> None:
    assert path.url == url


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("feed.xml", "application/xml; charset=utf-8"),
        ("search.json", "application/json"),
        ("timeline.svg", "image/svg+xml"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("photo.JPG", "image/jpeg"),
        ("font.woff2", "font/woff2"),
        ("mystery.bin-ary", "application/octet-stream"),
    ],
)
def test_content_types(name: str, kind: str) -> None:
    assert content_type(name) == kind


P = Path("/p")


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("/p/articles/x.md", Changes(records=frozenset({P / "articles/x.md"}))),
        ("/p/seeds/politics/a.txt", Changes(seeds=frozenset({P / "seeds/politics/a.txt"}))),
        ("/p/seeds/a.txt", Changes(seeds=frozenset({P / "seeds/a.txt"}))),
        ("/p/newsgen.yaml", Changes(site_wide=frozenset({P / "newsgen.yaml"}))),
        ("/p/templates/article.html", Changes(site_wide=frozenset({P / "templates/article.html"}))),
        ("/p/templates/static/x.css", Changes(site_wide=frozenset({P / "templates/static/x.css"}))),
        # what editors, tools and newsgen itself leave beside real files
        ("/p/articles/.x.md.swp", Changes()),
        ("/p/articles/.x.md.swx", Changes()),
        ("/p/articles/x.md~", Changes()),
        ("/p/articles/4913", Changes()),
        ("/p/templates/4913", Changes()),
        ("/p/articles/#x.md#", Changes()),
        ("/p/articles/.#x.md", Changes()),
        ("/p/articles/x.md___jb_tmp___", Changes()),
        ("/p/articles/.x.md.tmp-1234", Changes()),
        ("/p/articles/.newsgen-ingest.json", Changes()),
        ("/p/templates/.article.html.swp", Changes()),
        ("/p/articles/x.md.bak", Changes()),
        # what the build does not read
        ("/p/articles/notes.txt", Changes()),
        ("/p/articles/sub/x.md", Changes()),
        ("/p/seeds/a.md", Changes()),
        ("/p/site/index.html", Changes()),
        ("/p/.newsgen-cache/serve/1/build-1/index.html", Changes()),
        ("/p/.git/index", Changes()),
        ("/p/README.md", Changes()),
        ("/elsewhere/articles/x.md", Changes()),
        # a content folder that appears or goes: everything in it changed
        ("/p/articles", Changes(site_wide=frozenset({P / "articles"}))),
        ("/p/templates", Changes(site_wide=frozenset({P / "templates"}))),
        ("/p/seeds", Changes(seeds=frozenset({P / "seeds"}))),
        ("/p/seeds/politics", Changes()),
    ],
)
def test_each_changed_path_asks_for_what_it_affects(changed: str, expected: Changes) -> None:
    assert classify(P, [PurePath(changed)]) == expected


def test_a_batch_is_grouped_and_noise_dropped() -> None:
    batch = [P / "articles/a.md", P / "articles/.a.md.swp", P / "articles/b.md", P / "4913"]
    changes = classify(P, batch)
    assert changes.records == {P / "articles/a.md", P / "articles/b.md"}
    assert not changes.seeds and not changes.site_wide
    assert not classify(P, [P / "articles/a.md~"])


@pytest.mark.parametrize(
    ("name", "noise"),
    [("x.md", False), ("2024-report.md", False), ("4913", True), ("x~", True), (".x", True)],
)
def test_noise(name: str, noise: bool) -> None:
    assert is_noise(name) is noise


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (b"<html><body><p>x</p></body></html>", b"<html><body><p>x</p>S</body></html>"),
        (b"<HTML><BODY>x</BODY></HTML>", b"<HTML><BODY>xS</BODY></HTML>"),
        (b"<p>no body tag", b"<p>no body tagS"),
        # the last </body> is the real one; an earlier one can only be text in a script
        (
            b"<body><script>'</body>'</script></body>",
            b"<body><script>'</body>'</script>S</body>",
        ),
        (b"", b"S"),
    ],
)
def test_the_script_goes_just_before_the_closing_body_tag(page: bytes, expected: bytes) -> None:
    assert inject(page, "S") == expected


def test_a_good_build_gets_only_the_reload_script_with_its_version() -> None:
    page = decorate(b"<body></body>", BuildState("abc-3"))
    assert b'const built = "abc-3"' in page
    assert b"/__newsgen/events" in page
    assert b"newsgen-error" not in page


def test_a_failed_build_shows_every_error_escaped() -> None:
    state = BuildState("abc-4", ("articles/x.md:3: bad <date>", "articles/y.md:1: no title"))
    page = decorate(b"<body><h1>Last good</h1></body>", state)
    assert b"<h1>Last good</h1>" in page
    assert b'role="alert"' in page
    assert b"articles/x.md:3: bad &lt;date&gt;" in page
    assert b"articles/y.md:1: no title" in page
    assert b"<date>" not in page
    assert b"articles/x.md:3:" in error_page(state)


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000/"),
        ("localhost", 9, "http://localhost:9/"),
        ("0.0.0.0", 8000, "http://127.0.0.1:8000/"),
        ("::", 8000, "http://[::1]:8000/"),
        ("::1", 8001, "http://[::1]:8001/"),
    ],
)
def test_site_url(host: str, port: int, url: str) -> None:
    assert site_url(host, port) == url


@pytest.mark.parametrize(
    ("host", "warned"),
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True), ("::", True)],
)
def test_only_a_non_loopback_host_is_warned_about(host: str, warned: bool) -> None:
    assert (exposure_warning(host) is not None) is warned
