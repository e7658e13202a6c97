"""The HTTP side of ``newsgen serve``: a threaded stdlib server over the live site folder.

The standard library is enough here: one process, a handful of local clients, GET and HEAD
only, and an events stream that is a plain long response. Every request looks up the live
folder afresh, so a swap in of a new build is seen by the next request and never halfway.
"""

from __future__ import annotations

import errno
import socket
import socketserver
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsgen.serve.paths import (
    Found,
    Missing,
    Redirect,
    Refused,
    SitePath,
    content_type,
    locate,
    parse_path,
)
from newsgen.serve.reload import (
    EVENTS_PATH,
    KEEPALIVE_SECONDS,
    BuildState,
    ReloadHub,
    decorate,
    error_page,
    sse_event,
)

NOT_FOUND_PAGE = "404.html"
# A builder that swaps its output folder in place leaves it missing for an instant between
# two renames; a request arriving then waits for the new folder rather than getting a 404.
SWAP_WAIT_SECONDS = 0.5


class LiveSite:
    """The folder holding the good build being served (None before the first one)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True  # an open events stream must not keep the process alive
    # A restart right after Ctrl-C may rebind at once; a port with a live listener still fails.
    allow_reuse_address = True

    def __init__(self, host: str, port: int, site: LiveSite, hub: ReloadHub) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.site = site
        self.hub = hub
        super().__init__((host, port), Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for a fully qualified name; nothing here uses it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def port_in_use(exc: OSError) -> bool:
    return exc.errno == errno.EADDRINUSE


class Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "newsgen-serve"
    sys_version = ""
    # An idle keep-alive connection holds a thread; let it go after a while. The events
    # stream is unaffected: it only writes, at least every KEEPALIVE_SECONDS.
    timeout = 60

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request buries the rebuild messages editors need to see

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        if self.path.split("?", 1)[0] == EVENTS_PATH and not head:
            self._events()
            return
        parsed = parse_path(self.path)
        if isinstance(parsed, Refused) and parsed.status != HTTPStatus.NOT_FOUND:
            self._send(parsed.status, f"{parsed.reason}\n".encode(), "text/plain", head)
            return
        # The state before the folder: serve switches the folder first, then announces it,
        # so a page never carries a newer version than its content (it would not reload).
        state = self.server.hub.state
        root = self.server.site.root
        if root is None:
            self._send(500, error_page(state), "text/html", head)
            return
        where = Missing() if isinstance(parsed, Refused) else self._locate(root, parsed)
        if isinstance(where, Found):
            try:
                self._send_file(HTTPStatus.OK, where.file, state, head)
                return
            except OSError:
                pass  # gone since it was located (an old build removed): a 404 like any other
        elif isinstance(where, Redirect):
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head, where.location)
            return
        elif isinstance(where, Refused):
            self._send(where.status, f"{where.reason}\n".encode(), "text/plain", head)
            return
        self._not_found(root, state, head)

    def _locate(self, root: Path, path: SitePath) -> Found | Redirect | Missing | Refused:
        deadline = time.monotonic() + SWAP_WAIT_SECONDS
        where = locate(root, path)
        while isinstance(where, Missing) and not root.is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)
            where = locate(root, path)
        return where

    def _not_found(self, root: Path, state: BuildState, head: bool) -> None:
        try:
            self._send_file(HTTPStatus.NOT_FOUND, root / NOT_FOUND_PAGE, state, head)
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)

    def _send_file(self, status: int, file: Path, state: BuildState, head: bool) -> None:
        body = file.read_bytes()
        kind = content_type(file.name)
        if kind.startswith("text/html"):
            body = decorate(body, state)
        self._send(status, body, kind, head)

    def _send(
        self, status: int, body: bytes, kind: str, head: bool, location: str | None = None
    ) -> None:
        if kind in ("text/plain", "text/html"):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # A preview must never show a page older than the files: no caching at all.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        hub = self.server.hub
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        state = hub.state
        try:
            self.wfile.write(b"retry: 1000\n\n" + sse_event("hello", state))
            self.wfile.flush()
            seen = state.version
            while not hub.closed:
                new = hub.wait_for_change(seen, KEEPALIVE_SECONDS)
                if new is None:
                    # A comment line: keeps proxies from timing out, finds closed clients.
                    self.wfile.write(b": keepalive\n\n")
                else:
                    self.wfile.write(sse_event("reload", new))
                    seen = new.version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
