"""The learned reader of asker and stance (coach/situation_reader.py), measured.

5-fold cross-validation on its corpus (coach/rules/situations-<lang>.yaml), then trained on the
whole corpus and read on the situation dev sets it never saw (dev, dev2, dev3a, dev3b; never the
holdout), for a logistic regression and a kNN vote over each embedder. Also how sure it is when
right: accuracy and coverage above a probability threshold, where it would stand in for the rules.

    python benchmarks/situation_reader.py [--embedders use-m3,e5-small]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.learned import embed, one_vs_rest  # noqa: E402
from coach.learned import shares as regression_shares  # noqa: E402
from coach.situation_reader import LABELS, corpus, knn  # noqa: E402

EVAL = ROOT / "benchmarks" / "eval"
SETS = {
    "dev": (EVAL / "situations.jsonl", "dev"),
    "dev2": (EVAL / "situations-dev2.jsonl", "dev2"),
    "dev3a": (EVAL / "situations-dev3.jsonl", "dev3a"),
    "dev3b": (EVAL / "situations-dev3.jsonl", "dev3b"),
}
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)


def eval_rows(name: str) -> list[dict]:
    path, split = SETS[name]
    assert split != "holdout"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["split"] == split and not r.get("harmful")]


def text_of(row: dict) -> str:
    """What the reader sees: the conversation's user turns, the question last."""
    return " ".join([*(row.get("history") or []), row["q"]])


def vectors(texts: list[str], embedder: str, cache: Path) -> np.ndarray:
    key = hashlib.sha256(json.dumps([embedder, texts]).encode()).hexdigest()[:20]
    path = cache / f"vectors-{key}.npy"
    if path.is_file():
        return np.load(path)
    found = embed(texts, embedder)
    if found is None:
        raise SystemExit(f"embedder {embedder} did not load")
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, found)
    return found


def shares(method: str, train_x, train_labels, classes, test_x, l2: float, k: int) -> np.ndarray:
    if method == "lr":
        return regression_shares(one_vs_rest(train_x, train_labels, classes, l2), test_x)
    return knn(train_x, train_labels, classes, test_x, k)


def accuracy(probs: np.ndarray, labels: list, classes) -> tuple[float, int]:
    rows = [i for i, label in enumerate(labels) if label is not None]
    right = sum(classes[int(np.argmax(probs[i]))] == labels[i] for i in rows)
    return right / max(len(rows), 1), len(rows)


def above(probs: np.ndarray, labels: list, classes, threshold: float) -> str:
    rows = [i for i, label in enumerate(labels) if label is not None]
    sure = [i for i in rows if probs[i].max() >= threshold]
    right = sum(classes[int(np.argmax(probs[i]))] == labels[i] for i in sure)
    return f"{right}/{len(sure)} of {len(rows)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="use-m3,e5-small")
    parser.add_argument("--methods", default="lr,knn")
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--k", type=int, default=7)
    parser.add_argument(
        "--cache", default=str(Path(tempfile.gettempdir()) / "coach-reader-vectors")
    )
    args = parser.parse_args()
    cache = Path(args.cache)
    items = list(corpus())
    print(f"corpus: {len(items)} labelled situations")
    order = np.random.default_rng(0).permutation(len(items))
    folds = np.array_split(order, 5)
    sets = {name: eval_rows(name) for name in SETS}
    results = {}
    for embedder in args.embedders.split(","):
        x = vectors([i["q"] for i in items], embedder, cache)
        eval_x = {
            n: vectors([text_of(r) for r in rows], embedder, cache) for n, rows in sets.items()
        }
        for method in args.methods.split(","):
            for field, classes in LABELS.items():
                labels = [i[field] for i in items]
                cv = np.zeros((len(items), len(classes)))
                for fold in folds:
                    train_rows = np.setdiff1d(order, fold)
                    cv[fold] = shares(
                        method,
                        x[train_rows],
                        [labels[i] for i in train_rows],
                        classes,
                        x[fold],
                        args.l2,
                        args.k,
                    )
                acc, n = accuracy(cv, labels, classes)
                line = {"cv": round(acc, 3), "cv_n": n}
                line["cv_sure"] = {t: above(cv, labels, classes, t) for t in THRESHOLDS}
                for name, rows in sets.items():
                    probs = shares(method, x, labels, classes, eval_x[name], args.l2, args.k)
                    gold = [r[field] for r in rows]
                    acc, n = accuracy(probs, gold, classes)
                    line[name] = round(acc, 3)
                    line[name + "_sure"] = {t: above(probs, gold, classes, t) for t in THRESHOLDS}
                results[f"{embedder} {method} {field}"] = line
                print(f"{embedder:9} {method:3} {field:6}", json.dumps(line))
    out = ROOT / "benchmarks" / "results" / "situation-reader.json"
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
