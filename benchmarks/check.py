"""Check my message on drafts nobody tuned on: are the blaming ones caught (and the exact
phrases), are the clean ones left alone, and does the offline rewrite fix the offending part?

Sets (``benchmarks/eval/``):
- ``drafts-holdout.jsonl`` (123): written before tuning, never looked at while tuning; the score.
- ``drafts-dev.jsonl`` (178): the same kind of drafts, used to tune the rules, repairs and backstop.
- ``drafts.jsonl`` (86): the first set; the rules were tuned on it, so it guards regressions.
- ``drafts-fresh.jsonl`` (100): written later by someone who had not seen the rules, in the words
  people really use when annoyed (sarcasm, "you're overreacting", veiled threats); held out.
- ``drafts-fresh-dev.jsonl`` (120): the same kind as fresh, written without seeing fresh or the rules;
  used to tune for it (40+40 blaming en/es, 20+20 clean near misses).
- ``drafts-fresh-dev2.jsonl`` (120: 40+40 blaming en/es, 20+20 clean near misses): written in
  session 10 before any change for it, in shapes rare in fresh-dev and dev (passive-aggressive status
  updates, condescension, veiled threats, mock gratitude, dismissed feelings, moralising, third-person
  scapegoating to a group, insinuation, guilt trips, ultimatums, comparisons with another team,
  public call-outs, emoji sarcasm, Mexican Spanish: "ya ni la hacen", "ahí se ven"); the clean ones
  are firm or frustrated but fair twins of them. Measured once before any change for it (22/80
  blaming flagged, 1/40 clean flagged), then tuned on.
- ``drafts-fresh-dev3.jsonl`` (60: 20+20 blaming en/es, 10+10 clean near misses): written in
  session 10 after the changes for fresh-dev2, in shapes and words not used for them (mock
  welcomes, "per yours, apparently whenever", "I'm not your assistant", "no nos hagamos",
  "sorpréndanme"), to see whether those changes generalise: 9/40 blaming flagged, 0/20 clean
  (7/40 before session 10), so they barely did; tuned on afterwards.
- ``drafts-probe.jsonl`` (90: 30 blaming, 60 clean near misses, half each language): written in
  session 8 by the helper tuning the checker, before that tuning, and not tuned on (two batches: the
  first written before any change, the second after the changes and measured once). Blaming drafts
  carry no spans, drop words or facts: only the flagged/clean figures mean something here. Two
  clean drafts of the first batch share praise words ("easy", "spot on") with the praise list
  widened in session 8: their 2 -> 0 is not evidence.
- ``drafts-clean-dev.jsonl`` (500: 250 en, 250 es, all clean): fair drafts to a colleague in the
  other team, written in session 9, concentrated on near misses (firm requests and deadlines, bad
  news, plain disagreement, frank feedback on work, self-criticism, praise with always/never,
  "finally"/"again" thanks, who-owns-it questions, reminders, open escalations, jokes, warm "you
  guys"/"ustedes", numbers and names). Five batches per language, each measured before any change
  for it: the first 120 (8/240 flagged), then 40 harder ones ("as I mentioned", "seriously, thank
  you", "why is X empty?", chasers; 7/80 flagged), then 40 more (pleas, shared messes, "you never
  need to ask", "nobody reads…, me included"; 9/80 flagged), then 30 more (nudges, apologies, open
  bluntness, shout-outs; 3/60 flagged), then 20 more of every kind (3/40 flagged). Tuned on
  afterwards: only the clean figure means something, and it shows where fair drafts get flagged.
- ``drafts-nearmiss-dev.jsonl`` (260: 80+80 clean near misses en/es, 50+50 blaming en/es):
  written in session 11, in four batches. The clean ones share words with blame ("never mind",
  reminders, "as discussed", frank frustration with no target, sincere thanks, "ya van 3 veces…,
  ¿me ayudas?", praise with "finally"/"por fin", "interesting data", "qué detalle que te
  acordaras"); the blaming ones are sarcasm or contempt with no stock word (mock politeness,
  rhetorical questions, faint praise, "interesting choice", "bold of you", "qué detalle de tu
  parte", "ya me acostumbré"). Batch 1 (120) written before any change: 12/40 blaming flagged, 4/80
  clean flagged. Batches 2 (40), 3 (60) and 4 (40), each written after the changes for the ones
  before it and measured once before being tuned on: blaming 4/20, 5/20, 3/20 flagged, exactly
  what the rules of before session 11 flag on them, so the sarcasm families did not generalise;
  clean 0/20, 0/40 (1/40 before session 11), 0/20.

Each blaming draft has ``spans`` (phrases that must be flagged), ``drop`` (words the rewrite must
not keep) and ``facts`` (names, dates, numbers, objects the rewrite must keep).

    python benchmarks/check.py [--set holdout,old] [-v]   # -v prints every rewrite

Prints a table and writes benchmarks/results/check.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from coach.rewrite import rewrite, split_sentences
from coach.settings import PROJECT_ROOT
from coach.tone import analyze, fold

EVAL = PROJECT_ROOT / "benchmarks" / "eval"
SETS = {
    "holdout": EVAL / "drafts-holdout.jsonl",
    "dev": EVAL / "drafts-dev.jsonl",
    "old": EVAL / "drafts.jsonl",
    "fresh": EVAL / "drafts-fresh.jsonl",
    "fresh-dev": EVAL / "drafts-fresh-dev.jsonl",
    "fresh-dev2": EVAL / "drafts-fresh-dev2.jsonl",
    "fresh-dev3": EVAL / "drafts-fresh-dev3.jsonl",
    "probe": EVAL / "drafts-probe.jsonl",
    "clean-dev": EVAL / "drafts-clean-dev.jsonl",
    "nearmiss-dev": EVAL / "drafts-nearmiss-dev.jsonl",
}
RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "check.json"
TARGETS = {
    "blaming_flagged": ">= 90%",
    "clean_flagged": "<= 3%",
    "rewrites_drop_and_keep": ">= 90%",
    "rewrites_pass_check": "100%",
    "p50_ms_rules": "<= 5",
    "p50_ms_backstop": "<= 30",
}


def load(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def rewrite_problems(draft: dict, result: str, backstop: bool) -> list[str]:
    """What is wrong with ``result``: offending words kept, facts lost, too long, still flagged."""
    folded = fold(result)
    problems = [f"kept {w!r}" for w in draft.get("drop", []) if fold(w) in folded]
    problems += [f"lost {f!r}" for f in draft.get("facts", []) if fold(f) not in folded]
    if len(result.split()) > len(draft["text"].split()) + 20:
        problems.append("longer than the draft + 20 words")
    if not analyze(result, draft["lang"], backstop=backstop).ok:
        problems.append("still flagged")
    if draft["lang"] == "es" and result.count("¿") != result.count("?"):
        problems.append("¿? unbalanced")
    if any(s.lstrip("¿¡")[:1].islower() for s in split_sentences(result)):
        problems.append("lower-case start")
    return problems


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "0/0"


def timed(drafts: list[dict], backstop: bool) -> float:
    times = []
    for draft in drafts:
        started = time.perf_counter()
        analyze(draft["text"], draft["lang"], backstop=backstop)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def evaluate(drafts: list[dict], backstop: bool, verbose: bool) -> dict:
    blaming = [d for d in drafts if d["should_flag"]]
    clean = [d for d in drafts if not d["should_flag"]]
    flagged = spans = spans_total = 0
    rewritten = dropped = kept = short = passing = drop_and_keep = 0
    for draft in blaming:
        report = analyze(draft["text"], draft["lang"], backstop=backstop)
        flagged += not report.ok
        for span in draft.get("spans", []):
            spans_total += 1
            start = draft["text"].index(span)
            end = start + len(span)
            spans += any(f.start < end and start < f.end for f in report.flags)
        if report.ok:
            if verbose:
                print(f"MISSED  {draft['text']}")
            continue
        rewritten += 1
        result = rewrite(draft["text"], draft["lang"])
        problems = rewrite_problems(draft, result, backstop)
        no_kept = not any(p.startswith("kept") for p in problems)
        no_lost = not any(p.startswith("lost") for p in problems)
        dropped += no_kept
        kept += no_lost
        drop_and_keep += no_kept and no_lost
        short += "longer than the draft + 20 words" not in problems
        passing += "still flagged" not in problems
        if verbose or problems:
            rules = ", ".join(f.rule for f in report.flags) if report.flags else ""
            print(f"{draft['text']}\n  [{rules}]\n  -> {result}\n  {problems or 'ok'}")
    false_flags = []
    for draft in clean:
        report = analyze(draft["text"], draft["lang"], backstop=backstop)
        if not report.ok:
            false_flags.append(draft["text"])
            print(f"FALSE   {draft['text']}  [{', '.join(f.rule for f in report.flags)}]")
    return {
        "drafts": len(drafts),
        "blaming_flagged": pct(flagged, len(blaming)),
        "clean_flagged": pct(len(false_flags), len(clean)),
        "spans_caught": pct(spans, spans_total),
        "rewrites_drop_offending": pct(dropped, rewritten),
        "rewrites_keep_facts": pct(kept, rewritten),
        "rewrites_drop_and_keep": pct(drop_and_keep, rewritten),
        "rewrites_within_20_words": pct(short, rewritten),
        "rewrites_pass_check": pct(passing, rewritten),
        "p50_ms_rules": timed(drafts, backstop=False),
        "p50_ms_backstop": timed(drafts, backstop=True) if backstop else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        default="holdout,old",
        help="holdout, dev, old, fresh, fresh-dev, fresh-dev2, fresh-dev3, probe, clean-dev, nearmiss-dev (comma-separated)",
    )
    parser.add_argument("--no-backstop", action="store_true", help="rules only")
    parser.add_argument("-v", action="store_true", help="print every rewrite")
    args = parser.parse_args()
    backstop = not args.no_backstop
    if backstop:
        analyze("warm up", "en", backstop=True)  # loads the embedder once, outside the timings
    figures = {}
    for name in args.set.split(","):
        print(f"== {name} ==")
        figures[name] = evaluate(load(SETS[name]), backstop, args.v)
    names = list(figures)
    rows = list(next(iter(figures.values())))
    width = max(map(len, rows))
    print(f"\n{'':{width}}  " + "  ".join(f"{n:>16}" for n in names) + f"  {'target':>8}")
    for row in rows:
        cells = "  ".join(f"{figures[n][row]!s:>16}" for n in names)
        print(f"{row:{width}}  {cells}  {TARGETS.get(row, ''):>8}")
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
