"""A real `coach serve` on a port, with its own fresh data dir, for the benchmarks that talk to one."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time

import httpx

# The questions the load benchmarks ask, in both languages, round robin.
QUESTIONS = [
    "sales says our leads are garbage, what do I say tomorrow?",
    "nadie da seguimiento a los leads de la feria",
    "my peer in sales criticised my campaign in front of everyone",
    "no nos ponemos de acuerdo con el presupuesto de descuentos",
    "the weekly sync between marketing and sales keeps getting cancelled",
    "el director comercial no conoce el plan de marketing",
]


@contextlib.contextmanager
def coach_serve(port: int, data_dir=None, env: dict | None = None, timeout: float = 120):
    """Start `coach serve` on ``data_dir`` (a fresh temporary one by default; it builds its index
    first), with ``env`` added to the environment, wait until it answers, yield its URL."""
    url = f"http://127.0.0.1:{port}/"
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = stack.enter_context(tempfile.TemporaryDirectory())
        server = subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "serve", "--port", str(port)],
            env={**os.environ, "COACH_DATA_DIR": str(data_dir), **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + timeout
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
