"""Live reload: one build version shared by every open page, pushed as server-sent events.

Each served HTML page carries the version it was built from; the script reloads the page
when the events endpoint reports another one. The endpoint sends the current version as soon
as a page connects, so a rebuild that finishes while the page is still loading is not missed.
The failed-build notice is injected the same way, over the last good page.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass

EVENTS_PATH = "/__newsgen/events"
KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True)
class BuildState:
    """What the pages should show: which build, and why the latest rebuild failed, if it did."""

    version: str
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


class ReloadHub:
    """The current ``BuildState`` and a way to wait for the next one (thread-safe)."""

    def __init__(self) -> None:
        # A per-process token, so pages left open across a restart of serve reload too.
        self._token = secrets.token_hex(4)
        self._count = 0
        self._closed = False
        self._changed = threading.Condition()
        self._state = BuildState(self._version())

    def _version(self) -> str:
        return f"{self._token}-{self._count}"

    @property
    def state(self) -> BuildState:
        return self._state

    @property
    def closed(self) -> bool:
        return self._closed

    def publish(self, errors: Sequence[str] = ()) -> BuildState:
        """A rebuild finished (``errors`` empty when it succeeded): tell every page."""
        with self._changed:
            self._count += 1
            self._state = BuildState(self._version(), tuple(errors))
            self._changed.notify_all()
            return self._state

    def wait_for_change(self, seen: str, timeout: float) -> BuildState | None:
        """The state once its version differs from ``seen``; None on timeout or close."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._state.version != seen, timeout)
            if self._closed or self._state.version == seen:
                return None
            return self._state

    def close(self) -> None:
        """Wake every waiting events stream so the server can stop."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def sse_event(name: str, state: BuildState) -> bytes:
    data = json.dumps({"version": state.version, "ok": state.ok, "errors": list(state.errors)})
    return f"event: {name}\ndata: {data}\n\n".encode()


def reload_script(version: str) -> str:
    return (
        "<script data-newsgen-reload>(() => {"
        f"const built = {json.dumps(version)};"
        f"const events = new EventSource({json.dumps(EVENTS_PATH)});"
        "const check = (e) => { if (JSON.parse(e.data).version !== built) location.reload(); };"
        'events.addEventListener("hello", check);'
        'events.addEventListener("reload", check);'
        "})();</script>"
    )


def error_notice(errors: Sequence[str]) -> str:
    """The failed-build panel: every ``path:line: message``, escaped, over the whole page."""
    items = "\n".join(html.escape(line) for line in errors)
    return (
        '<div id="newsgen-error" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
        "overflow:auto;margin:0;padding:2rem;background:#fff;color:#111;"
        'font:16px/1.5 system-ui,sans-serif">'
        '<h1 style="color:#a00;font-size:1.5rem;margin:0 0 1rem">The rebuild failed</h1>'
        "<p>Fix the file and save: this page reloads by itself. Until then the last good "
        "build is served underneath.</p>"
        f'<pre style="white-space:pre-wrap;font:14px/1.5 monospace">{items}</pre>'
        '<button type="button" onclick="this.parentNode.remove()">Show the last good page'
        "</button></div>"
    )


def inject(page: bytes, snippet: str) -> bytes:
    """``page`` with ``snippet`` just before its last ``</body>`` (or at the end)."""
    at = page.lower().rfind(b"</body>")
    extra = snippet.encode()
    return page + extra if at < 0 else page[:at] + extra + page[at:]


def decorate(page: bytes, state: BuildState) -> bytes:
    """A served HTML page: the reload script, and the failure notice when there is one."""
    notice = "" if state.ok else error_notice(state.errors)
    return inject(page, notice + reload_script(state.version))


def error_page(state: BuildState) -> bytes:
    """A page of its own for when there is no good build at all to show underneath."""
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed - newsgen serve</title></head><body></body></html>"
    )
    return decorate(page.encode(), state)
