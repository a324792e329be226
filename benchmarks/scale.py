"""Scale: a knowledge base many times the shipped one, as an organisation adding its own playbooks.

For each size, writes that many extra playbooks (variants of the shipped ones: same format, the
sentences of each section shuffled and the title renamed, so every one embeds differently) into an
extra knowledge folder, then measures in fresh processes what a user of that deployment waits for:

- ``coach index`` from nothing, and its throughput in sections per second;
- ``coach index`` after one playbook changed (an upload by a trainer);
- opening the coach (what an app server does at start: load every section, build BM25);
- a warm answer, p50 and p95, over the eval questions;
- whether the right playbooks are still found among many near-duplicates (playbook hit@3 on the
  eval set, a variant counting as the playbook it came from);
- peak memory of the answering process.

    python benchmarks/scale.py [--sizes 0,200,1000]

Prints a table and writes benchmarks/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coach.settings import PROJECT_ROOT, Settings, quiet_telemetry

quiet_telemetry()

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "scale.json"
SHIPPED = PROJECT_ROOT / "knowledge"
PLAYBOOKS = SHIPPED / "playbooks"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_VARIANT = re.compile(r"-v\d+$")  # a variant answers as well as the playbook it came from


def variant(text: str, number: int, rng: random.Random) -> str:
    """A shipped playbook renamed to ``-v<number>`` with each paragraph's sentences shuffled."""
    front, body = text.split("\n---\n", 1)
    front = re.sub(r"^id: (.+)$", rf"id: \1-v{number}", front, count=1, flags=re.M)
    front = re.sub(r'^title: "(.+)"$', rf'title: "\1 ({number})"', front, count=1, flags=re.M)
    paragraphs = []
    for paragraph in body.split("\n"):
        if paragraph.startswith(("#", "-", "1", "2", "3", "4", "5")) or not paragraph.strip():
            paragraphs.append(paragraph)
            continue
        sentences = _SENTENCE_END.split(paragraph)
        rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
    return front + "\n---\n" + "\n".join(paragraphs)


def write_extra(folder: Path, count: int) -> None:
    shipped = sorted(PLAYBOOKS.glob("*/*.md"))
    rng = random.Random(7)
    for number in range(count):
        source = shipped[number % len(shipped)]
        target = folder / source.parent.name / f"{source.stem}-v{number}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(variant(source.read_text(encoding="utf-8"), number, rng), "utf-8")


def run_cli(args: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "coach.cli", *args], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started, done.stdout.decode()


def answer_side(settings: Settings) -> dict:
    """Open the coach and answer the eval questions, in this (fresh) process."""
    from coach.answer import Coach
    from coach.evaluate import DEFAULT_EVAL_FILE, load_cases

    started = time.perf_counter()
    coach = Coach(settings)
    coach.ask("warm-up: sales says our leads are garbage")  # first use loads the library
    opened = time.perf_counter() - started
    cases = load_cases(DEFAULT_EVAL_FILE, "all")
    seconds, hits = [], 0
    for case in cases:
        t0 = time.perf_counter()
        coach.ask(case.q)
        seconds.append(time.perf_counter() - t0)
        ranked = [_VARIANT.sub("", doc_id) for doc_id, _ in coach.rank(case.q).playbooks]
        top = list(dict.fromkeys(ranked))[:3]  # three different playbooks, variants merged
        hits += any(doc_id in case.playbooks for doc_id in top)
    seconds.sort()
    return {
        "open_coach_s": round(opened, 2),
        "ask_p50_ms": round(1000 * statistics.median(seconds), 1),
        "ask_p95_ms": round(1000 * seconds[int(0.95 * (len(seconds) - 1))], 1),
        "playbook_hit_at_3": round(hits / len(cases), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measure(extra: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "extra"
        folder.mkdir()
        write_extra(folder, extra)
        env = {
            **os.environ,
            "COACH_DATA_DIR": str(Path(tmp) / "data"),
            "COACH_KNOWLEDGE_DIRS": f"{SHIPPED},{folder}",
        }
        fresh, _ = run_cli(["index", "--quiet"], env)
        settings = Settings(data_dir=Path(tmp) / "data", knowledge_dirs=[SHIPPED, folder])
        from coach.index import KnowledgeIndex

        sections = sum(d["sections"] for d in KnowledgeIndex(settings).documents())
        touched = next(folder.glob("*/*.md"), None)
        if touched is None:  # no extra playbooks: a trainer uploads one
            touched = folder / "en" / "new.md"
            touched.parent.mkdir()
            text = (PLAYBOOKS / "en" / "lead-quality.md").read_text("utf-8")
            touched.write_text(variant(text, 0, random.Random(1)), "utf-8")
        else:
            touched.write_text(touched.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        one_changed, _ = run_cli(["index", "--quiet"], env)
        answers = subprocess.run(
            [sys.executable, __file__, "--answer-side", str(Path(tmp) / "data"), str(folder)],
            capture_output=True,
            text=True,
        )
        if answers.returncode:
            raise SystemExit(answers.stderr)
        return {
            "extra_playbooks": extra,
            "sections": sections,
            "index_fresh_s": round(fresh, 1),
            "sections_per_s": round(sections / fresh),
            "reindex_one_changed_s": round(one_changed, 1),
            **json.loads(answers.stdout.strip().splitlines()[-1]),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0,200,1000")
    parser.add_argument("--answer-side", nargs=2, metavar=("DATA_DIR", "EXTRA"))
    args = parser.parse_args()
    if args.answer_side:
        data_dir, extra = args.answer_side
        settings = Settings(data_dir=data_dir, knowledge_dirs=[SHIPPED, extra])
        print(json.dumps(answer_side(settings)))
        return
    rows = [measure(int(size)) for size in args.sizes.split(",")]
    columns = list(rows[0])
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[c]) for c in columns))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"cores": os.cpu_count(), "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
