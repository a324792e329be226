"""Core figures: indexing time (fresh and unchanged), warm answer latency, and retrieval quality
per embedder on the eval set. Prints a table and writes benchmarks/results/core.json.

    python benchmarks/core.py [--embedders use-m3,e5-small] [--split all]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coach.settings import PROJECT_ROOT, Settings, quiet_telemetry

quiet_telemetry()

from coach.answer import Coach  # noqa: E402
from coach.evaluate import DEFAULT_EVAL_FILE, load_cases, run_eval  # noqa: E402
from coach.index import KnowledgeIndex  # noqa: E402

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "core.json"


def cli_seconds(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "coach.cli", *args], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def measure(embedder: str, split: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedder=embedder)
        env = {**os.environ, "COACH_DATA_DIR": tmp, "COACH_EMBEDDER": embedder}
        fresh = cli_seconds(["index", "--quiet"], env)  # a new process, as on a fresh machine
        unchanged = cli_seconds(["index", "--quiet"], env)
        in_process = KnowledgeIndex(settings).update(progress=False).seconds
        coach = Coach(settings)
        result = run_eval(coach, load_cases(DEFAULT_EVAL_FILE, split))
        result.pop("rows")
        return {
            "embedder": embedder,
            "index_fresh_s": fresh,
            "reindex_unchanged_cli_s": unchanged,
            "reindex_unchanged_in_process_s": in_process,
            **result,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedders", default="use-m3,e5-small")
    parser.add_argument("--split", default="all")
    args = parser.parse_args()
    rows = [measure(name, args.split) for name in args.embedders.split(",")]
    keys = [k for k in rows[0] if k != "embedder"]
    print(f"{'metric':32}" + "".join(f"{r['embedder']:>12}" for r in rows))
    for key in keys:
        print(
            f"{key:32}"
            + "".join(
                f"{r[key]:>12.3f}" if isinstance(r[key], float) else f"{r[key]:>12}" for r in rows
            )
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"split": args.split, "machine": f"{os.cpu_count()} cores", "results": rows}, indent=2
        )
        + "\n"
    )
    print(f"\nwritten to {RESULTS.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
