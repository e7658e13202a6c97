"""Edit-to-visible time of ``newsgen serve``: ``python bench/serve_latency.py [N] [--edits 7]``.

Starts ``newsgen serve`` on a project of N articles (the fixture's records, copied and
varied), then saves one record at a time and measures from the write to the moment an
events-stream client (what an open page listens to) receives the reload event. Prints the
median and the maximum; the target is under 0.5 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from serve_load import RECORD, TITLE, make_project, save_atomically, start_server


def next_event(response: http.client.HTTPResponse) -> tuple[str, dict[str, object]]:
    name, data = "message", ""
    while True:
        line = response.fp.readline().decode()
        if not line:
            raise EOFError("the events stream closed")
        line = line.rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and data:
            return name, json.loads(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="?", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    fixture_records = 13
    with tempfile.TemporaryDirectory(prefix="newsgen-serve-latency-") as tmp:
        project = make_project(Path(tmp), max(0, args.articles - fixture_records))
        started = time.perf_counter()
        server = start_server(project, timeout=600)
        startup = time.perf_counter() - started
        print(f"{args.articles} articles: first build and start {startup:.2f} s")
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        conn.request("GET", "/__newsgen/events")
        events = conn.getresponse()
        next_event(events)  # hello: the current build
        record = project / RECORD
        original = record.read_text(encoding="utf-8")
        times = []
        try:
            for edit in range(1, args.edits + 1):
                time.sleep(0.5)  # a person does not save twice in one batch
                text = original.replace(TITLE, f"{TITLE} (latency edit {edit})")
                written = time.perf_counter()
                save_atomically(record, text)
                name, state = next_event(events)
                elapsed = time.perf_counter() - written
                if name != "reload" or not state.get("ok"):
                    print(f"edit {edit}: unexpected {name} {state}")
                    return 1
                times.append(elapsed)
                built = [line for line in server.output if line.startswith("built:")]
                print(f"edit {edit}: {elapsed:.3f} s (serve: {built[-1] if built else '?'})")
        finally:
            conn.close()
            server.process.send_signal(signal.SIGINT)
            server.process.wait(timeout=300)  # it removes its build folders on the way out
        print(
            f"edit-to-visible at {args.articles} articles over {len(times)} edits: "
            f"median {statistics.median(times):.3f} s, max {max(times):.3f} s (target < 0.5 s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
