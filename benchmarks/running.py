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


def ask(base: str, question: str, client: str | None = None) -> float:
    """Seconds until the whole answer to ``question`` arrived from ``base`` (no trailing slash);
    raises if it did not. ``client``: the address to ask from (X-Forwarded-For, trusted from
    127.0.0.1 as from a proxy), so that each simulated user is its own client, as in a
    classroom: from one address the per-client queue share refuses most of 50 users."""
    started = time.perf_counter()
    headers = {"X-Forwarded-For": client} if client else {}
    with httpx.Client(timeout=120, headers=headers) as http:
        event = http.post(f"{base}/gradio_api/call/advise", json={"data": [question]})
        event.raise_for_status()
        result = http.get(f"{base}/gradio_api/call/advise/{event.json()['event_id']}")
    if "event: complete" not in result.text:
        raise RuntimeError(result.text[-300:])
    return time.perf_counter() - started
