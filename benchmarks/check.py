"""Check my message, on drafts people really send: are the blaming ones caught, are the clean
ones left alone, and does the offline rewrite keep the facts and read as a sentence?

``benchmarks/eval/drafts.jsonl``: 86 drafts (44 es, 42 en; 56 blaming, 30 clean: praise, status
updates, firm requests, owning a mistake, process questions), each with ``should_flag`` and, for a
blaming one, the ``facts`` its rewrite must keep. The rules were tuned on this set, so it guards
against regressions; it is not a held-out score.

    python benchmarks/check.py [-v]      # -v prints every rewrite

Prints the figures and writes benchmarks/results/check.json.
"""

from __future__ import annotations

import json
import sys

from coach.rewrite import CLOSING_QUESTION, REPLACEMENTS, rewrite, split_sentences
from coach.settings import PROJECT_ROOT
from coach.tone import analyze, fold

DRAFTS = PROJECT_ROOT / "benchmarks" / "eval" / "drafts.jsonl"
RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "check.json"
STOCK = {v for by_lang in REPLACEMENTS.values() for v in by_lang.values()}
STOCK |= set(CLOSING_QUESTION.values())


def rewrite_problems(draft: dict, result: str) -> list[str]:
    """What a reader would notice in ``result``: lost facts, fragments, a form letter."""
    problems = [f"lost {f!r}" for f in draft.get("facts", []) if fold(f) not in fold(result)]
    sentences = split_sentences(result)
    for sentence in sentences:
        if len(sentence.split()) < 3 and sentence not in STOCK:
            problems.append(f"fragment {sentence!r}")
        if sentence.lstrip("¿¡")[:1].islower():
            problems.append(f"lower-case start {sentence!r}")
    if sum(s in STOCK for s in sentences) > 2:
        problems.append("3+ stock sentences")
    if len(set(sentences)) < len(sentences):
        problems.append("a sentence twice")
    if draft["lang"] == "es" and result.count("¿") != result.count("?"):
        problems.append("¿? unbalanced")
    return problems


def main() -> None:
    verbose = "-v" in sys.argv
    drafts = [json.loads(line) for line in DRAFTS.read_text("utf-8").splitlines() if line.strip()]
    caught = missed = false_flags = still_flagged = facts_kept = with_facts = clean_reads = 0
    rewritten = 0
    for draft in drafts:
        report = analyze(draft["text"], draft["lang"])
        if draft["should_flag"]:
            caught += bool(report.flags)
            missed += not report.flags
        else:
            false_flags += bool(report.flags)
        if not report.flags:
            if verbose and draft["should_flag"]:
                print(f"MISSED  {draft['text']}")
            continue
        rewritten += 1
        result = rewrite(draft["text"], draft["lang"])
        still_flagged += not analyze(result, draft["lang"]).ok
        problems = rewrite_problems(draft, result)
        if draft.get("facts"):
            with_facts += 1
            facts_kept += not any(p.startswith("lost") for p in problems)
        clean_reads += not problems
        if verbose or problems:
            print(f"{draft['text']}\n  -> {result}\n  {problems or 'ok'}")
    figures = {
        "drafts": len(drafts),
        "blaming_caught": f"{caught}/{caught + missed}",
        "clean_flagged": f"{false_flags}/{sum(not d['should_flag'] for d in drafts)}",
        "rewrites_still_flagged": f"{still_flagged}/{rewritten}",
        "rewrites_keeping_facts": f"{facts_kept}/{with_facts}",
        "rewrites_without_visible_problems": f"{clean_reads}/{rewritten}",
    }
    print(json.dumps(figures, indent=2))
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
