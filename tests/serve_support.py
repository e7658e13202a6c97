"""What the ``newsgen serve`` tests share: a running session on a copy of a project, an
events-stream client, and plain HTTP fetches over 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsgen.build import BuildOptions, BuildResult
from newsgen.serve.app import ServeOptions, ServeSession
from newsgen.serve.rebuild import Rebuilder, incremental_rebuilder
from tests.helpers import FIXTURE

ARTICLE_URL = "/articles/leaders-meet-in-vladivostok/"
ARTICLE_RECORD = "articles/01-summit.md"


def copy_fixture(tmp: Path) -> Path:
    project = tmp / "project"
    shutil.copytree(FIXTURE, project)
    return project


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(port: int, target: str, method: str = "GET") -> Response:
    """One request with ``target`` sent exactly as given (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
    finally:
        conn.close()


class Events:
    """A client of the server-sent events endpoint, reading one event at a time."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", "/__newsgen/events")
        # The connection hands its socket to a response it will close: keep it for timeouts.
        assert self.conn.sock is not None
        self.sock = self.conn.sock
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type") == "text/event-stream"

    def next(self, timeout: float = 30) -> tuple[str, dict[str, Any]]:
        self.sock.settimeout(timeout)
        name, data = "message", ""
        while True:
            line = self.resp.fp.readline().decode()
            if not line:
                raise EOFError("the events stream closed")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data = line[len("data: ") :]
            elif line == "" and data:
                return name, json.loads(data)

    def close(self) -> None:
        self.resp.close()
        self.conn.close()


@dataclass
class CountingRebuilder:
    """The plain rebuilder, counted: how many rebuilds, and with which changed paths."""

    inner: Rebuilder
    calls: list[frozenset[Path]] = field(default_factory=list)

    def rebuild(self, changed: Collection[Path]) -> BuildResult:
        self.calls.append(frozenset(changed))
        return self.inner.rebuild(changed)


@dataclass
class Running:
    session: ServeSession
    rebuilder: CountingRebuilder
    said: list[str]

    @property
    def port(self) -> int:
        return self.session.server.port


@contextmanager
def running(project: Path, drafts: bool = False) -> Iterator[Running]:
    """``newsgen serve`` on ``project`` in this process, on an ephemeral port."""
    said: list[str] = []
    made: list[CountingRebuilder] = []

    def make(
        project: Path, options_for: Callable[[Path], BuildOptions], workdir: Path
    ) -> Rebuilder:
        made.append(CountingRebuilder(incremental_rebuilder(project, options_for, workdir)))
        return made[0]

    session = ServeSession(
        ServeOptions(project, port=0, drafts=drafts), make_rebuilder=make, say=said.append
    )
    loop = threading.Thread(target=session.run, daemon=True)
    try:
        session.open()
        loop.start()
        yield Running(session, made[0], said)
    finally:
        session.stop()
        if loop.is_alive():
            loop.join(timeout=30)
        session.close()


def wait_for(check: Callable[[], bool], timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port
