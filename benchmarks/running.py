"""A real `coach serve` on a port, with its own fresh data dir, for the benchmarks that talk to one."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time

import httpx


@contextlib.contextmanager
def coach_serve(port: int):
    """Start `coach serve` (it builds its index first), wait until it answers, yield its URL."""
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "serve", "--port", str(port)],
            env={**os.environ, "COACH_DATA_DIR": tmp},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("coach serve did not start")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)
