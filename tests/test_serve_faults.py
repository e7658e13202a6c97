"""``newsgen serve`` as a separate process, under load and killed: many clients while it
rebuilds a hundred times a second get only whole pages of one build (RELIABILITY.md load
test 1, shortened; ``bench/serve_load.py`` runs the full 30 s), and a ``kill -9`` in the
middle of a rebuild needs no cleanup by hand before the next start (load test 4)."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from serve_load import (  # noqa: E402  (a bench script, shared so both check the same things)
    ARTICLE_URL,
    RECORD,
    TITLE,
    make_project,
    start_server,
)

LOAD_ARGS = ["--seconds", "10", "--rate", "100", "--clients", "4"]


def test_serving_under_load_while_rebuilding_gives_only_whole_pages() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "serve_load.py"), *LOAD_ARGS],
        capture_output=True,
        text=True,
        timeout=240,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 failed requests" in done.stdout


def get(port: int, url: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_kill_9_during_a_rebuild_needs_no_cleanup_before_the_next_start(tmp_path: Path) -> None:
    project = make_project(tmp_path, articles=100)  # a rebuild long enough to be inside
    record = project / RECORD
    server = start_server(project)
    try:
        status, page = get(server.port, ARTICLE_URL)
        assert status == 200 and TITLE in page

        record.write_text(record.read_text().replace("talks stall", "talks were killed"))
        # A new site title changes every page: a rebuild long enough to be killed inside
        # (an edit alone renders its few pages in a fraction of a second).
        config = project / "newsgen.yaml"
        config.write_text(config.read_text().replace("The Fixture Times", "The Killed Times"))
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            # while it rebuilds, the last good build is served, whole
            status, page = get(server.port, ARTICLE_URL)
            assert status == 200 and page.rstrip().endswith("</html>")
        assert server.builds == 1, "the rebuild was over before the kill"
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
    finally:
        if server.process.poll() is None:
            server.process.kill()
    dead = project / ".newsgen-cache" / "serve" / str(server.process.pid)
    assert dead.exists()  # what the killed process left
    assert "talks were killed" in record.read_text()  # sources are never written by a build
    assert not (project / "site").exists()

    again = start_server(project)
    try:
        status, page = get(again.port, ARTICLE_URL)
        assert status == 200 and "arms talks were killed" in page
        assert not dead.exists(), "the next start removes what a killed serve left"
    finally:
        again.process.send_signal(signal.SIGINT)
        assert again.process.wait(timeout=20) == 0
