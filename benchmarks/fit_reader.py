"""A first look at a learned reader of fit (issue 10): a one-vs-rest logistic regression over
use-m3, trained on ``coach/rules/fit-<lang>.yaml`` (situations labelled with the playbook
written for them, or none), against retrieval alone and blended with it.

Measured on the first questions of the dev sets only (dev, dev2, dev3a; never dev3b or the
holdout): the share of fair questions whose labelled playbook (or an acceptable one) comes
first, and how many "none" questions the reader calls none.

    python benchmarks/fit_reader.py [--weights 0,1,2,3]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.fit_reader import corpus as fit_corpus  # noqa: E402
from coach.learned import embed, one_vs_rest  # noqa: E402
from coach.learned import shares as predict  # noqa: E402

SETS = {
    "situations.jsonl": "dev",
    "situations-dev2.jsonl": "dev2",
    "situations-dev3.jsonl": "dev3a",
}


def corpus() -> tuple[list[str], list[str]]:
    items = fit_corpus()
    return [i["q"] for i in items], [i["playbook"] for i in items]


def dev_rows() -> list[dict]:
    rows = []
    for name, split in SETS.items():
        for line in (ROOT / "benchmarks" / "eval" / name).read_text("utf-8").splitlines():
            row = json.loads(line)
            if row["split"] == split and not row.get("harmful") and not row.get("history"):
                rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default="0,1,2,3", help="blend weights of the reader")
    args = parser.parse_args()
    from coach.answer import Coach
    from coach.settings import get_settings

    texts, labels = corpus()
    classes = sorted(set(labels))
    model = one_vs_rest(embed(texts), labels, classes, 1e-3)
    rows = dev_rows()
    probs = predict(model, embed([r["q"] for r in rows]))
    coach = Coach(get_settings())
    rankings = [dict(coach.retriever.rank(r["q"]).playbooks) for r in rows]
    fair = [i for i, r in enumerate(rows) if r["fit"] in ("fits", "related") and r["playbook"]]
    nones = [i for i, r in enumerate(rows) if r["fit"] == "none"]
    result = {"corpus": len(texts), "fair": len(fair), "none": len(nones)}
    alone = sum(classes[int(np.argmax(probs[i]))] in _ok(rows[i]) for i in fair)
    result["reader alone, top-1"] = round(alone / len(fair), 3)
    result["reader says none, on none"] = (
        f"{sum(classes[int(np.argmax(probs[i]))] == 'none' for i in nones)}/{len(nones)}"
    )
    for w in [float(x) for x in args.weights.split(",")]:
        hits = 0
        for i in fair:
            p = dict(zip(classes, probs[i], strict=True))
            best = max(rankings[i], key=lambda d: rankings[i][d] + w * p.get(d, 0.0))
            hits += best in _ok(rows[i])
        result[f"retrieval + {w:g} x reader, top-1"] = round(hits / len(fair), 3)
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / "fit-reader.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def _ok(row: dict) -> set:
    return {row["playbook"], *row.get("acceptable", [])}


if __name__ == "__main__":
    main()
