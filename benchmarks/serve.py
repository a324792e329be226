"""Seconds from `coach serve` to its first answer, with the index built: over plain HTTP (Gradio's
call API, as a browser or curl makes it) and through gradio_client (which first fetches the app's
config and API description).

    python benchmarks/serve.py [--runs 3]
Writes benchmarks/results/serve.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from coach.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "serve.json"


def first_http_answer(port: int) -> bool:
    """One /advise call over plain HTTP (Gradio's call API), as a browser or curl would make it."""
    import httpx

    base = f"http://127.0.0.1:{port}/gradio_api/call/advise"
    event = httpx.post(base, json={"data": ["sales says our leads are garbage"]}, timeout=30)
    event.raise_for_status()
    result = httpx.get(f"{base}/{event.json()['event_id']}", timeout=30)
    return "event: complete" in result.text


def first_answer_seconds(data_dir: str, port: int, via: str) -> float:
    from gradio_client import Client  # imported before the clock starts: it is the client's cost

    env = {**os.environ, "COACH_DATA_DIR": data_dir}
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "coach.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                if via == "http":
                    if not first_http_answer(port):
                        raise RuntimeError("no answer")
                else:
                    client = Client(f"http://127.0.0.1:{port}/", verbose=False)
                    client.predict("sales says our leads are garbage", api_name="/advise")
                return time.perf_counter() - started
            except Exception:
                if server.poll() is not None or time.perf_counter() - started > 120:
                    raise
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "coach.cli", "index", "--quiet"],
            check=True,
            env={**os.environ, "COACH_DATA_DIR": tmp},
            capture_output=True,
        )
        import gradio_client  # noqa: F401  (load the client outside the measured runs)

        http = [first_answer_seconds(tmp, 7900 + n, "http") for n in range(args.runs)]
        client = [first_answer_seconds(tmp, 7950 + n, "client") for n in range(args.runs)]
    result = {
        "http_first_answer_s": [round(t, 2) for t in http],
        "http_median_s": round(statistics.median(http), 2),
        "gradio_client_first_answer_s": [round(t, 2) for t in client],
        "gradio_client_median_s": round(statistics.median(client), 2),
    }
    print(json.dumps(result))
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
