"""`coach eval`: retrieval and answer quality on a labelled question set."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from coach.answer import Coach
from coach.errors import CoachError
from coach.language import detect_language
from coach.settings import PROJECT_ROOT

DEFAULT_EVAL_FILE = PROJECT_ROOT / "benchmarks" / "eval" / "questions.jsonl"


@dataclass
class EvalCase:
    q: str
    language: str
    principles: list[str]
    playbooks: list[str]
    split: str = "dev"


def load_cases(path: Path, split: str = "all") -> list[EvalCase]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            case = EvalCase(
                row["q"],
                row["language"],
                row["principles"],
                row["playbooks"],
                row.get("split", "dev"),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CoachError(f"{path}, line {number}: not an eval case ({exc})") from None
        if split in ("all", case.split):
            cases.append(case)
    return cases


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def has_steps_and_question(answer: str) -> bool:
    """Concrete steps (a numbered list of 3+) and a question or next step for the other person."""
    steps = re.findall(r"^\d+\.\s+\S", answer, re.MULTILINE)
    return len(steps) >= 3 and "?" in answer


def run_eval(coach: Coach, cases: list[EvalCase]) -> dict:
    rows = []
    for case in cases:
        record = coach.ask(case.q)
        ranked = [doc_id for doc_id, _ in coach.rank(case.q).playbooks]
        expected = set(case.principles)
        top3 = record.sources[:3]
        rank = next((n for n, d in enumerate(ranked, 1) if d in case.playbooks), None)
        rows.append(
            {
                "q": case.q,
                "principle_hit1": bool(
                    record.sources and expected & set(record.sources[0].principles)
                ),
                "principle_hit3": any(expected & set(s.principles) for s in top3),
                "playbook_hit3": rank is not None and rank <= 3,
                "rr": 1 / rank if rank else 0.0,
                "language_ok": record.language == case.language
                and detect_language(record.answer) == case.language,
                "tone_ok": record.tone["ok"],
                "shape_ok": has_steps_and_question(record.answer),
                "latency_ms": record.latency_ms,
                "top": ranked[:3],
                "expected": case.playbooks,
            }
        )
    n = len(rows) or 1
    latencies = [r["latency_ms"] for r in rows] or [0.0]
    return {
        "questions": len(rows),
        "principle_hit@1": sum(r["principle_hit1"] for r in rows) / n,
        "principle_hit@3": sum(r["principle_hit3"] for r in rows) / n,
        "playbook_hit@3": sum(r["playbook_hit3"] for r in rows) / n,
        "mrr": sum(r["rr"] for r in rows) / n,
        "language_match": sum(r["language_ok"] for r in rows) / n,
        "tone_pass": sum(r["tone_ok"] for r in rows) / n,
        "shape_pass": sum(r["shape_ok"] for r in rows) / n,
        "latency_p50_ms": statistics.median(latencies),
        "latency_p95_ms": _percentile(latencies, 95),
        "rows": rows,
    }
