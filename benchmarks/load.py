"""Many people asking at once: latency per answer and errors, against a real `coach serve`.

Each simulated user asks its questions one after another over plain HTTP (Gradio's call API, as
a browser's fetch or curl makes it); all users start together.

    python benchmarks/load.py [--users 1 20 50] [--questions 3]
Writes benchmarks/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from running import QUESTIONS, ask, coach_serve  # benchmarks/running.py, next to this script

from coach.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "load.json"


def user(base: str, number: int, questions: int) -> list[float | None]:
    times: list[float | None] = []
    for n in range(questions):
        try:
            question = QUESTIONS[(number + n) % len(QUESTIONS)]
            times.append(ask(base, question, client=f"10.42.{number // 250}.{number % 250 + 1}"))
        except Exception:
            times.append(None)
    return times


def round_of(base: str, users: int, questions: int) -> dict:
    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        per_user = list(pool.map(lambda n: user(base, n, questions), range(users)))
    wall = time.perf_counter() - started
    done = sorted(t for times in per_user for t in times if t is not None)
    asked = users * questions
    return {
        "users": users,
        "answers": len(done),
        "errors": asked - len(done),
        "wall_s": round(wall, 2),
        "answers_per_s": round(len(done) / wall, 1),
        "p50_s": round(statistics.median(done), 3) if done else None,
        "p95_s": round(done[min(len(done) - 1, int(0.95 * len(done)))], 3) if done else None,
        "max_s": round(done[-1], 3) if done else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20, 50])
    parser.add_argument("--questions", type=int, default=3, help="questions per user")
    parser.add_argument("--port", type=int, default=7890)
    args = parser.parse_args()
    with coach_serve(args.port) as url:
        base = url.rstrip("/")
        ask(base, QUESTIONS[0])  # warm
        rounds = [round_of(base, users, args.questions) for users in args.users]
    for r in rounds:
        print(
            f"{r['users']:>3} users: {r['answers']} answers, {r['errors']} errors, "
            f"p50 {r['p50_s']} s, p95 {r['p95_s']} s, max {r['max_s']} s, "
            f"{r['answers_per_s']} answers/s"
        )
    RESULTS.write_text(json.dumps({"rounds": rounds}, indent=2) + "\n")


if __name__ == "__main__":
    main()
