"""``newsgen serve``: build, serve on 127.0.0.1, rebuild on change, reload open pages."""

from __future__ import annotations

import signal
import webbrowser
from collections.abc import Callable
from types import FrameType

from newsgen.errors import NewsgenError
from newsgen.serve.app import ServeOptions, ServeSession, exposure_warning
from newsgen.serve.rebuild import Rebuilder, RebuilderFactory, incremental_rebuilder
from newsgen.serve.server import port_in_use

__all__ = ["Rebuilder", "RebuilderFactory", "ServeOptions", "ServeSession", "serve"]


def serve(
    options: ServeOptions,
    open_browser: bool,
    say: Callable[[str], None],
    make_rebuilder: RebuilderFactory = incremental_rebuilder,
) -> None:
    """Run until Ctrl-C (or SIGTERM). Raises ``NewsgenError`` when it cannot start."""
    warning = exposure_warning(options.host)
    if warning:
        say(warning)
    try:
        session = ServeSession(options, make_rebuilder, say)
    except OSError as exc:
        if port_in_use(exc):
            raise NewsgenError(
                f"port {options.port} on {options.host} is already in use (another newsgen "
                f"serve?); try --port {options.port + 1}, or --port 0 for any free port"
            ) from None
        raise NewsgenError(f"cannot listen on {options.host}:{options.port}: {exc}") from None

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        say("building...")
        session.open()
        say(f"Serving {session.url} (Ctrl-C to stop); watching seeds/, articles/, templates/")
        if open_browser:
            webbrowser.open(session.url)
        session.run()
    except KeyboardInterrupt:
        say("stopping")
    finally:
        session.close()
        signal.signal(signal.SIGTERM, previous)
