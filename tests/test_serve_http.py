"""``newsgen serve`` over real HTTP on 127.0.0.1: pages, the 404 page, content types, folder
URLs, and every traversal form refused while a canary file beside the site is never served."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgen.errors import NewsgenError
from newsgen.serve import ServeOptions, serve
from newsgen.serve.reload import ReloadHub
from newsgen.serve.server import LiveSite, SiteServer
from tests.serve_support import ARTICLE_URL, copy_fixture, fetch, running

CANARY = "CANARY-d41d8cd98f00"
FILES = {
    "index.html": "<!DOCTYPE html><html><body><h1>Home</h1></body></html>",
    "404.html": "<!DOCTYPE html><html><body><h1>Nothing here</h1></body></html>",
    "articles/a/index.html": "<!DOCTYPE html><html><body><h1>Article A</h1></body></html>",
    "assets/style.css": "body { color: #111 }",
    "feed.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
    "search.json": '{"pages": []}',
    "timeline.svg": '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "robots.txt": "User-agent: *",
    "empty/.keep": "",
}


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A hand-made site folder served on an ephemeral port, with secrets beside it."""
    tmp = tmp_path_factory.mktemp("http")
    site = tmp / "site"
    for name, text in FILES.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    (tmp / "canary.txt").write_text(CANARY)
    (tmp / "site-secret").mkdir()
    (tmp / "site-secret" / "canary.txt").write_text(CANARY)
    (site / "link-out.txt").symlink_to(tmp / "canary.txt")
    (site / "dir-out").symlink_to(tmp / "site-secret", target_is_directory=True)
    (site / "index-out").mkdir()
    (site / "index-out" / "index.html").symlink_to(tmp / "canary.txt")
    server = SiteServer("127.0.0.1", 0, LiveSite(site), ReloadHub())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.port
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("target", "kind", "text"),
    [
        ("/", "text/html; charset=utf-8", "<h1>Home</h1>"),
        ("/index.html", "text/html; charset=utf-8", "<h1>Home</h1>"),
        ("/articles/a/", "text/html; charset=utf-8", "<h1>Article A</h1>"),
        ("/articles/a/?ref=feed", "text/html; charset=utf-8", "<h1>Article A</h1>"),
        ("/assets/style.css", "text/css; charset=utf-8", "color: #111"),
        ("/feed.xml", "application/xml; charset=utf-8", "<feed"),
        ("/search.json", "application/json", '"pages"'),
        ("/timeline.svg", "image/svg+xml", "<svg"),
        ("/robots.txt", "text/plain; charset=utf-8", "User-agent"),
    ],
)
def test_pages_are_served_with_their_content_type(
    handmade: int, target: str, kind: str, text: str
) -> None:
    response = fetch(handmade, target)
    assert response.status == 200
    assert response.headers["content-type"] == kind
    assert response.headers["x-content-type-options"] == "nosniff"
    assert text in response.text
    assert response.headers["content-length"] == str(len(response.body))


def test_only_html_pages_get_the_reload_script(handmade: int) -> None:
    assert "/__newsgen/events" in fetch(handmade, "/").text
    assert "/__newsgen/events" not in fetch(handmade, "/feed.xml").text
    assert "/__newsgen/events" not in fetch(handmade, "/search.json").text


@pytest.mark.parametrize("target", ["/nope", "/articles/b/", "/index.html/", "/.keep", "/empty/"])
def test_a_missing_page_gets_the_sites_404_page_with_status_404(handmade: int, target: str) -> None:
    response = fetch(handmade, target)
    assert response.status == 404
    assert "<h1>Nothing here</h1>" in response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("target", "location"),
    [("/articles/a", "/articles/a/"), ("/articles", "/articles/"), ("/articles/a?x=1", None)],
)
def test_a_folder_url_without_slash_redirects_and_never_lists(
    handmade: int, target: str, location: str | None
) -> None:
    response = fetch(handmade, target)
    assert response.status == 301
    assert response.headers["location"] == (location or "/articles/a/")
    listing = fetch(handmade, "/articles/")
    assert listing.status == 404  # a folder without index.html: no directory listing
    assert "Article A" not in listing.text and "a/" not in listing.text.split("</h1>")[0]


def test_head_sends_headers_only(handmade: int) -> None:
    response = fetch(handmade, "/assets/style.css", "HEAD")
    assert response.status == 200 and response.body == b""
    assert int(response.headers["content-length"]) == len(FILES["assets/style.css"])


TRAVERSALS = [
    "/../canary.txt",
    "/../../../../../../etc/passwd",
    "/%2e%2e/canary.txt",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/canary.txt",
    "/..%2fcanary.txt",
    "/..%2f..%2f..%2f..%2fetc/passwd",
    "/assets/..%2f..%2fcanary.txt",
    "/assets/%2e%2e/%2e%2e/canary.txt",
    "/%2e%2e%2fcanary.txt",
    "/..\\canary.txt",
    "/..%5ccanary.txt",
    "/%5c..%5ccanary.txt",
    "//etc/passwd",
    "//" + "/".join(["tmp", "canary.txt"]),
    "/%2f%2fetc/passwd",
    "/%2fetc/passwd",
    "/%00",
    "/canary.txt%00.html",
    "/index.html%00/../../canary.txt",
    "/../site-secret/canary.txt",  # a sibling whose name starts like the site folder's
    "/assets/../../site-secret/canary.txt",
    "/link-out.txt",  # a symlink inside the site pointing out of it
    "/dir-out/canary.txt",
    "/dir-out/",
    "/index-out/",
    "/index-out/index.html",
    "/%ff/../canary.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_a_path_out_of_the_site_is_refused_and_nothing_leaks(handmade: int, target: str) -> None:
    response = fetch(handmade, target)
    assert response.status in (400, 403, 404)
    assert CANARY not in response.text
    assert "root:" not in response.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_only_reading_methods_are_served(handmade: int, method: str) -> None:
    assert fetch(handmade, "/", method).status == 501


def test_the_built_site_is_served_with_links_to_this_server(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    with running(project) as serve_:
        port = serve_.port
        home = fetch(port, "/")
        assert home.status == 200 and ARTICLE_URL in home.text
        assert f"http://127.0.0.1:{port}/" in home.text  # the canonical link: this server
        article = fetch(port, ARTICLE_URL)
        assert "Leaders meet in Vladivostok" in article.text
        missing = fetch(port, "/articles/no-such-article/")
        assert missing.status == 404 and "Page not found" in missing.text
        assert fetch(port, "/feed.xml").headers["content-type"].startswith("application/xml")
        assert fetch(port, "/assets/style.css").status == 200
        # the draft stays out unless asked for
        assert fetch(port, "/articles/unpublished-draft/").status == 404
    assert not (project / "site").exists(), "serve must not write the project's site/"


def test_a_port_in_use_gets_a_clear_message_and_a_suggestion(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        said: list[str] = []
        with pytest.raises(NewsgenError) as caught:
            serve(ServeOptions(copy_fixture(tmp_path), port=port), False, said.append)
    message = str(caught.value)
    assert f"port {port}" in message and "in use" in message
    assert f"--port {port + 1}" in message and "--port 0" in message


def test_the_cli_warns_about_a_non_local_host_and_explains_a_taken_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from newsgen.cli import main

    monkeypatch.chdir(copy_fixture(tmp_path))
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 1
    assert "warning: serving on 0.0.0.0" in result.output
    assert f"error: port {port} on 0.0.0.0 is already in use" in result.output
