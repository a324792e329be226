"""Run the app in a background thread on a free local port (for tests and quick experiments)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# Debian's Chromium, headless and quiet: for the browser tests and benchmarks/browser.py.
# Never `playwright install`: it downloads a browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextmanager
def serving(
    app, host: str = "127.0.0.1", port: int | None = None, timeout: float = 30
) -> Iterator[str]:
    """Serve an ASGI ``app`` (e.g. ``ui.app.create_server(...)``) and yield its base URL."""
    import uvicorn

    from ui.guard import server_config

    port = port or free_port(host)
    server = uvicorn.Server(
        server_config(
            app,
            host=host,
            port=port,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, name=f"coach-ui-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the app did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
