"""Advice that fits the person asking (issue 10): reading, fit, follow-ups, declines, length.

Runs the offline coach over benchmarks/eval/situations.jsonl (fresh situations, labelled before
tuning; dev = tuning, holdout = the figures to report) and prints one table.

    python benchmarks/advice.py --split holdout
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.answer import Coach, invented_figures  # noqa: E402
from coach.parts import yours  # noqa: E402
from coach.settings import Settings  # noqa: E402
from coach.situation import objection_in  # noqa: E402

SET = ROOT / "benchmarks" / "eval" / "situations.jsonl"
# A second dev set, written later by someone who had seen neither the first set nor the rules.
DEV2 = ROOT / "benchmarks" / "eval" / "situations-dev2.jsonl"
# A third, written in session 7 the same way: dev3a to tune on, dev3b to check a change before
# the holdout is run.
DEV3 = ROOT / "benchmarks" / "eval" / "situations-dev3.jsonl"
# A fourth, written in session 11 before the reader of who acted, to check it (not tuned on).
DEV4 = ROOT / "benchmarks" / "eval" / "situations-dev4.jsonl"
SOURCES = {"dev2": DEV2, "dev3a": DEV3, "dev3b": DEV3, "dev4": DEV4}


def body(answer: str) -> str:
    """The answer without its sources list."""
    return re.split(r"\n\*\*(?:Sources|Fuentes)\*\*", answer)[0]


def run(split: str, data_dir: Path | None = None) -> dict:
    source = SOURCES.get(split, SET)
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if split == "all" or r["split"] == split]
    settings = Settings(data_dir=data_dir or Path(tempfile.mkdtemp()))
    coach = Coach(settings)
    hits, total, latencies, words, invented = Counter(), Counter(), [], [], 0
    misses = []
    for row in rows:
        history = []
        for earlier in row.get("history") or []:
            first = coach.ask(earlier)
            history += [
                {"role": "user", "content": earlier},
                {"role": "assistant", "content": first.answer},
            ]
        started = time.perf_counter()
        record = coach.ask(row["q"], history)
        latencies.append((time.perf_counter() - started) * 1000)
        reading = record.situation or {}
        for field in ("asker", "stance"):
            if row[field] is not None:
                total[field] += 1
                hits[field] += reading.get(field) == row[field]
        for field in ("when", "counterpart"):
            if row[field] and not row.get("harmful"):
                # Said back to the asker counts: "mi vendedor estrella" -> "tu vendedor estrella".
                said = {row[field].lower(), yours(row[field], row["language"]).lower()}
                total[field + " kept"] += 1
                hits[field + " kept"] += any(w in record.answer.lower() for w in said)
                total[field + " kept (literal)"] += 1
                hits[field + " kept (literal)"] += row[field].lower() in record.answer.lower()
        if row["harmful"]:
            total["harmful declined"] += 1
            hits["harmful declined"] += record.kind == "decline"
        else:
            total["fair not declined"] += 1
            hits["fair not declined"] += record.kind != "decline"
            total["fit"] += 1
            expected = {row["playbook"], *row.get("acceptable", [])} - {None}
            fit = record.fit if record.kind == "advice" else "none"
            right = fit == row["fit"] and (fit != "fits" or record.playbook in expected)
            hits["fit"] += right
            if not right:
                misses.append((row["id"], row["fit"], row["playbook"], fit, record.playbook))
            if fit == "fits":
                total["fits: right playbook"] += 1
                hits["fits: right playbook"] += record.playbook in expected
        if row.get("objection"):
            total["follow-up same playbook"] += 1
            hits["follow-up same playbook"] += record.playbook == row["playbook"]
            total["follow-up objection read"] += 1
            hits["follow-up objection read"] += objection_in(row["q"]) == row["objection"]
        if record.kind == "advice":
            text = body(record.answer)
            words.append(len(text.split()))
            given = row["q"] + " " + " ".join(row.get("history") or [])
            invented += bool(invented_figures(text, given))
    return {
        "split": split,
        "n": len(rows),
        "rates": {k: (hits[k], total[k]) for k in total},
        "invented_figures": invented,
        "words_median": statistics.median(words) if words else 0,
        "words_max": max(words, default=0),
        "latency_p50_ms": round(statistics.median(latencies), 1),
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split",
        default="holdout",
        choices=["dev", "dev2", "dev3a", "dev3b", "dev4", "holdout", "all"],
    )
    parser.add_argument("--misses", action="store_true", help="list the fit misses")
    args = parser.parse_args()
    result = run(args.split)
    table = Table(title=f"Advice for the asker ({result['split']}, {result['n']} situations)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, (hit, total) in result["rates"].items():
        table.add_row(name, f"{hit}/{total} = {hit / total:.2f}" if total else "-")
    table.add_row("answers with a figure not in the question", str(result["invented_figures"]))
    table.add_row("body words (median / max)", f"{result['words_median']} / {result['words_max']}")
    table.add_row("p50 latency (ms)", str(result["latency_p50_ms"]))
    Console().print(table)
    if args.misses:
        for miss in result["misses"]:
            print(*miss)
    out = ROOT / "benchmarks" / "results" / f"advice-{args.split}.json"
    out.write_text(json.dumps({k: v for k, v in result.items() if k != "misses"}, indent=2))


if __name__ == "__main__":
    main()
