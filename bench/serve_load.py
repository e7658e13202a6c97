"""``newsgen serve`` under load while it rebuilds (RELIABILITY.md, load test 1).

    python bench/serve_load.py [--seconds 30] [--rate 100] [--clients 8] [--articles 0]

Starts ``newsgen serve --port 0`` on a copy of the test fixture (plus ``--articles`` copies
of its records), then for ``--seconds``: ``--clients`` threads fetch pages over keep-alive
connections while a writer saves a record ``--rate`` times a second (an atomic save that
puts an edit number in its title, and a touch of another record). It checks that every
response is a 200, that every page is whole and from one build (all the edit numbers on it
agree), that no client ever sees an older edit after a newer one, that the last edit shows
in the end, that the server listens on 127.0.0.1 only, and that Ctrl-C stops it cleanly.
Prints the figures; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "data" / "site-fixture"
RECORD = "articles/01-summit.md"
TITLE = "Leaders meet in Vladivostok as arms talks stall"
ARTICLE_URL = "/articles/leaders-meet-in-vladivostok/"
URLS = [
    "/",
    ARTICLE_URL,
    "/topics/politics/",
    "/people/jake-sullivan/",
    "/archive/2024/03/",
    "/assets/style.css",
    "/feed.xml",
]
COPIED = [f"0{n}" for n in range(1, 7)]  # published fixture records with plain titles
EDIT = re.compile(rb"arms talks \(edit (\d+)\)")


def make_project(folder: Path, articles: int) -> Path:
    """The fixture project plus ``articles`` varied copies of its published records."""
    project = folder / "project"
    shutil.copytree(FIXTURE, project)
    sources = sorted(p for p in (project / "articles").glob("*.md") if p.name[:2] in COPIED)
    for n in range(articles):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^slug: (.+)$", rf"slug: \1-copy-{n}", text, count=1)
        text = re.sub(r"(?m)^id: (.+)$", rf"id: \1-c{n}", text, count=1)
        text = re.sub(r"(?m)^title: (.+)$", rf"title: \1 (copy {n})", text, count=1)
        (project / "articles" / f"copy-{n:05d}.md").write_text(text, encoding="utf-8")
    return project


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)

    @property
    def builds(self) -> int:
        return sum(1 for line in self.output if line.startswith(("built:", "build failed")))


def _ctrl_c_stops() -> None:
    """In the server's process before it starts: SIGINT as a terminal's Ctrl-C delivers it.
    Run from a script's background job (``cmd &`` with no job control), this process and its
    children inherit SIGINT ignored, and Python then never turns it into KeyboardInterrupt:
    every "Ctrl-C stops the server" check would fail for the way it was started."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_server(project: Path, timeout: float = 120) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "serve", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_ctrl_c_stops,
    )
    assert process.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        output.append(line.rstrip("\n"))
        found = re.search(r"Serving http://127\.0\.0\.1:(\d+)/", line)
        if found:
            server = Server(process, int(found.group(1)), output)
            threading.Thread(target=_drain, args=(server,), daemon=True).start()
            return server
        if time.monotonic() > deadline:
            break
    process.kill()
    raise RuntimeError("newsgen serve did not start:\n" + "\n".join(output))


def _drain(server: Server) -> None:
    assert server.process.stdout is not None
    for line in server.process.stdout:
        server.output.append(line.rstrip("\n"))


def save_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@dataclass
class Tally:
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, message: str) -> None:
        with self.lock:
            if len(self.failures) < 50:
                self.failures.append(message)


def check_page(url: str, status: int, body: bytes, newest: list[int], tally: Tally) -> None:
    if status != 200:
        tally.fail(f"{url}: status {status}")
        return
    if url.endswith("/"):
        if not body.rstrip().endswith(b"</html>") or body.count(b"data-newsgen-reload") != 1:
            tally.fail(f"{url}: not a whole page ({len(body)} bytes)")
        edits = {int(n) for n in EDIT.findall(body)}
        if len(edits) > 1:
            tally.fail(f"{url}: parts of different builds on one page: {sorted(edits)}")
        if url == ARTICLE_URL:
            edit = max(edits, default=0)
            if edit < newest[0]:
                tally.fail(f"{url}: edit {edit} after edit {newest[0]}: an older build came back")
            newest[0] = max(newest[0], edit)


def client(port: int, until: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    newest = [0]
    n = 0
    while time.monotonic() < until:
        url = URLS[n % len(URLS)]
        n += 1
        started = time.perf_counter()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            tally.fail(f"{url}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        with tally.lock:
            tally.requests += 1
            tally.latencies.append(time.perf_counter() - started)
        check_page(url, response.status, body, newest, tally)
    conn.close()


def writer(project: Path, rate: float, until: float) -> int:
    """Save the record ``rate`` times a second; returns the last edit number written."""
    record = project / RECORD
    original = record.read_text(encoding="utf-8")
    others = sorted((project / "articles").glob("0[2-7]-*.md"))
    edit = 0
    tick = time.monotonic()
    while tick < until:
        edit += 1
        title = TITLE.replace("arms talks stall", f"arms talks (edit {edit})")
        save_atomically(record, original.replace(TITLE, title))
        os.utime(others[edit % len(others)])
        tick += 1 / rate
        time.sleep(max(0.0, tick - time.monotonic()))
    return edit


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port``, from /proc/net/tcp and tcp6 (hex, as the kernel
    writes them: 0100007F is 127.0.0.1)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def run(seconds: float, rate: float, clients: int, articles: int) -> list[str]:
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="newsgen-serve-load-") as tmp:
        project = make_project(Path(tmp), articles)
        server = start_server(project)
        try:
            addresses = listening_addresses(server.port)
            if addresses != {"0100007F"}:
                failures.append(f"listening on {addresses}, not 127.0.0.1 only")
            tally = Tally()
            until = time.monotonic() + seconds
            threads = [
                threading.Thread(target=client, args=(server.port, until, tally))
                for _ in range(clients)
            ]
            for thread in threads:
                thread.start()
            builds_before = server.builds
            last = writer(project, rate, until)
            for thread in threads:
                thread.join()
            failures += tally.failures
            shown = wait_for_edit(server.port, last, timeout=60)
            if shown != last:
                failures.append(f"the last edit ({last}) never showed; the page has {shown}")
            lat = sorted(tally.latencies)
            print(
                f"{seconds:.0f} s, {clients} clients, {rate:.0f} saves/s, "
                f"{articles + 13} articles: {tally.requests} requests "
                f"({tally.requests / seconds:.0f}/s), latency median "
                f"{statistics.median(lat) * 1000:.1f} ms, p99 "
                f"{lat[int(len(lat) * 0.99)] * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms; "
                f"{last} saves -> {server.builds - builds_before} rebuilds; "
                f"{len(tally.failures)} failed requests"
            )
        finally:
            failures += stop(server, project)
    return failures


def wait_for_edit(port: int, edit: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    shown = 0
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", ARTICLE_URL)
        body = conn.getresponse().read()
        conn.close()
        shown = max((int(n) for n in EDIT.findall(body)), default=0)
        if shown == edit:
            break
        time.sleep(0.2)
    return shown


def stop(server: Server, project: Path) -> list[str]:
    """Ctrl-C: the server must exit 0 within seconds and leave no build folder behind."""
    server.process.send_signal(signal.SIGINT)
    try:
        code = server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        return ["Ctrl-C did not stop newsgen serve within 20 s"]
    problems = [] if code == 0 else [f"newsgen serve exited {code} on Ctrl-C"]
    left = project / ".newsgen-cache" / "serve" / str(server.process.pid)
    if left.exists():
        problems.append(f"{left} left behind after Ctrl-C")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rate", type=float, default=100, help="saves per second")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--articles", type=int, default=0, help="extra records")
    args = parser.parse_args()
    failures = run(args.seconds, args.rate, args.clients, args.articles)
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
