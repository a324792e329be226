"""Rehearsal benchmark: labelled learner scripts played offline at level tense (issue 15).

    .venv/bin/python benchmarks/rehearsal.py --split dev|holdout [--show N] [--json PATH]

The scripts (benchmarks/eval/scripts-<split>.jsonl) were written before any tuning: four learner
types (skilled, vague, passive-aggressive, recovering) on eight scenarios, in Spanish and English,
split by scenario and language. Tune on dev; the holdout is read, never edited.

Per type it prints: mean score, outcome counts, turns flagged (mean per rehearsal), repair
credited (recovering: the repair turn scored 70 or more), agreement matching the learner's days
and owners (skilled), and rehearsals in which the counterpart said a line twice. Then the targets.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.embeddings import get_embedder  # noqa: E402
from coach.rehearsal.engine import Session  # noqa: E402
from coach.rehearsal.reading import Reader  # noqa: E402
from coach.rehearsal.scenarios import load_scenarios  # noqa: E402
from coach.tone import fold  # noqa: E402

TYPES = ("skilled", "vague", "passive-aggressive", "recovering")
# How an owner the learner named reads in the counterpart's agreement (the counterpart speaks).
OWNER_WORDS = {
    "en": {
        "me": r"\byou(?:'ll|r)?\b",
        "you": r"\b(?:i|i'll|i'm|me|my|we)\b",
        "we": r"\b(?:we|we'll|us|together|both|the two of us|the three of us)\b",
    },
    "es": {
        "me": r"\b(?:tu|tus|te|ti|tu equipo)\b",
        "you": r"\b(?:yo|me|mi|mis|mi equipo)\b",
        "we": r"\b(?:juntos|juntas|los dos|las dos|los tres|nosotros|nosotras)\b|\w+(?:amos|emos|imos)\b",
    },
}


def load(split: str) -> list[dict]:
    path = ROOT / "benchmarks" / "eval" / f"scripts-{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def agreement_text(session: Session) -> str:
    agreement = getattr(session, "agreement", None)
    if isinstance(agreement, dict) and agreement.get("text"):
        return agreement["text"]
    return session.turns[-1].counterpart if session.turns else ""


def agreement_matches(session: Session, expect: dict, language: str) -> bool:
    if session.outcome != "resolved":
        return False
    text = fold(agreement_text(session))
    for day in expect.get("days", []):
        if not re.search(
            rf"\b{re.escape(fold(day))}(?:st|nd|rd|th)?\b", text
        ):  # "12" is "the 12th"
            return False
    for owner in expect.get("owners", []):
        pattern = OWNER_WORDS[language].get(owner) or rf"\b{re.escape(fold(owner))}\b"
        if not re.search(pattern, text):
            return False
    return True


def play(script: dict, scenarios: dict, reader) -> dict:
    scenario = scenarios[(script["scenario"], script["language"])]
    session = Session(scenario, level=script.get("level", "tense"), seed=0, reader=reader)
    for line in script["turns"]:
        if session.finished:
            break
        session.turn(line)
    card = session.scorecard()
    lines = [session.opening] + [t.counterpart for t in session.turns]
    repair = script.get("repair_turn")
    repair_score = (
        session.turns[repair - 1].feedback.score
        if repair and repair <= len(session.turns)
        else None
    )
    return {
        "id": script["id"],
        "type": script["type"],
        "score": card["score"],
        "outcome": session.outcome,
        "flagged": sum(1 for t in session.turns if t.feedback.flags),
        "repair_score": repair_score,
        "agreement": agreement_matches(session, script["expect"], script["language"])
        if script["type"] == "skilled"
        else None,
        "repeated": len(lines) != len(set(lines)),
        "transcript": [(t.user, t.counterpart, t.feedback.score, t.tension) for t in session.turns],
        "agreement_text": agreement_text(session) if session.outcome == "resolved" else "",
    }


def report(results: list[dict]) -> tuple[str, dict]:
    by_type = defaultdict(list)
    for r in results:
        by_type[r["type"]].append(r)
    out = [f"{len(results)} scripts, level tense", ""]
    summary = {}
    for kind in TYPES:
        rows = by_type.get(kind, [])
        if not rows:
            continue
        mean = sum(r["score"] for r in rows) / len(rows)
        outcomes = Counter(r["outcome"] for r in rows)
        flagged = sum(r["flagged"] for r in rows) / len(rows)
        at_least_two = sum(r["flagged"] >= 2 for r in rows)
        repeated = sum(r["repeated"] for r in rows)
        line = (
            f"{kind:<19} n={len(rows):<2} score {mean:5.1f} (min {min(r['score'] for r in rows)}, "
            f"max {max(r['score'] for r in rows)})  outcomes {dict(outcomes)}  "
            f"turns flagged {flagged:.1f} (≥2: {at_least_two}/{len(rows)})  repeated {repeated}"
        )
        item = {
            "n": len(rows),
            "mean_score": round(mean, 1),
            "min_score": min(r["score"] for r in rows),
            "max_score": max(r["score"] for r in rows),
            "outcomes": dict(outcomes),
            "turns_flagged_mean": round(flagged, 2),
            "flagged_at_least_two": at_least_two,
            "repeated": repeated,
        }
        if kind == "recovering":
            scores = [r["repair_score"] for r in rows if r["repair_score"] is not None]
            credited = sum(s >= 70 for s in scores)
            line += f"  repair credited {credited}/{len(rows)} (mean repair turn {sum(scores) / max(1, len(scores)):.0f})"
            item["repair_credited"] = credited
        if kind == "skilled":
            matched = sum(bool(r["agreement"]) for r in rows)
            line += f"  agreement matches {matched}/{len(rows)}"
            item["agreement_matches"] = matched
        out.append(line)
        summary[kind] = item
    out += ["", "Targets:"]
    checks = []
    rows = by_type
    if rows.get("skilled"):
        s = rows["skilled"]
        checks.append(
            (
                "skilled ≥ 75 and resolved (each)",
                all(r["score"] >= 75 and r["outcome"] == "resolved" for r in s),
            )
        )
        checks.append(("agreements match days and owners 100%", all(r["agreement"] for r in s)))
    if rows.get("vague"):
        checks.append(
            (
                "vague ≤ 55 and not resolved (each)",
                all(r["score"] <= 55 and r["outcome"] != "resolved" for r in rows["vague"]),
            )
        )
    if rows.get("passive-aggressive"):
        checks.append(
            (
                "passive-aggressive ≤ 40 with ≥ 2 turns flagged (each)",
                all(r["score"] <= 40 and r["flagged"] >= 2 for r in rows["passive-aggressive"]),
            )
        )
    if rows.get("recovering"):
        checks.append(
            (
                "recovering ≥ 60 with the repair turn ≥ 70 (each)",
                all(
                    r["score"] >= 60 and (r["repair_score"] or 0) >= 70 for r in rows["recovering"]
                ),
            )
        )
    checks.append(("no repeated counterpart line", not any(r["repeated"] for r in results)))
    for name, ok in checks:
        out.append(f"  [{'x' if ok else ' '}] {name}")
    misses = [
        r["id"]
        for r in results
        if (
            r["type"] == "skilled"
            and (r["score"] < 75 or r["outcome"] != "resolved" or not r["agreement"])
        )
        or (r["type"] == "vague" and (r["score"] > 55 or r["outcome"] == "resolved"))
        or (r["type"] == "passive-aggressive" and (r["score"] > 40 or r["flagged"] < 2))
        or (r["type"] == "recovering" and (r["score"] < 60 or (r["repair_score"] or 0) < 70))
        or r["repeated"]
    ]
    out.append(f"  misses ({len(misses)}): " + ", ".join(misses))
    summary["targets"] = {name: ok for name, ok in checks}
    return "\n".join(out), summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "holdout"), default="dev")
    parser.add_argument("--show", type=int, default=0, help="print this many transcripts")
    parser.add_argument("--only", default="", help="only scripts whose id contains this")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    scenarios = load_scenarios([ROOT / "knowledge"])
    reader = Reader.for_embedder(get_embedder("use-m3"))
    scripts = [s for s in load(args.split) if args.only in s["id"]]
    results = [play(s, scenarios, reader) for s in scripts]
    text, summary = report(results)
    print(f"split {args.split}: " + text)
    for r in results[: args.show]:
        print(f"\n== {r['id']}  score {r['score']}  {r['outcome']}")
        for user, reply, score, tension in r["transcript"]:
            print(f"  L [{score:3}] {user}\n  C (t{tension}) {reply}")
    if args.json:
        args.json.write_text(
            json.dumps({"summary": summary, "results": results}, ensure_ascii=False, indent=1)
        )


if __name__ == "__main__":
    main()
