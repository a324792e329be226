"""Seconds from `coach serve` to its first answer through gradio_client, with the index built.

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


def first_answer_seconds(data_dir: str, port: int) -> float:
    from gradio_client import Client

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
        times = [first_answer_seconds(tmp, 7900 + n) for n in range(args.runs)]
    result = {"runs": times, "median_s": round(statistics.median(times), 2)}
    print(json.dumps(result))
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
