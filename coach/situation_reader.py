"""A learned reader of who is asking and from which side: one-vs-rest logistic regression over the
bundled embedder, trained on labelled situations written for it.

The rules in ``coach.situation`` read the phrasings someone listed; people tell the same story
in other words ("Priya went straight to my boss instead of talking to me" is a side received
with no rule's verb in it). This reader learns asker and stance from
``coach/rules/situations-<lang>.yaml`` (items: ``q``, ``asker``, ``stance``; written
independently of the rules and of every eval set) and gives each question a probability per
label. Like ``coach.learned.LinearReader`` it trains at first use and keeps the weights in the
data dir under a hash of the examples, so the same examples always give the same reader and
there are no weights to ship. Without the embedder it reads nothing and the rules work alone.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from coach.errors import CoachError
from coach.learned import EMBEDDER, embed, train

LABELS = {
    "asker": ("marketing", "sales", "leadership", "finance", "other"),
    "stance": ("received", "caused", "mediating", "initiating"),
}
CORPUS = Path(__file__).parent / "rules"
L2 = 1e-3


@cache
def corpus(languages: tuple[str, ...] = ("en", "es")) -> tuple[dict, ...]:
    """The labelled situations, each ``{"q", "asker", "stance"}`` (a label may be null)."""
    items: list[dict] = []
    for lang in languages:
        path = CORPUS / f"situations-{lang}.yaml"
        if not path.is_file():
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:  # the rules still work
            print(f"coach: {path.name} could not be read: {exc}", file=sys.stderr)
            continue
        if not isinstance(data, dict):
            continue
        for item in data.get("items") or []:
            if isinstance(item, dict) and isinstance(item.get("q"), str):
                items.append(
                    {
                        "q": item["q"],
                        **{f: item.get(f) if item.get(f) in LABELS[f] else None for f in LABELS},
                    }
                )
    return tuple(items)


def fit(vectors: np.ndarray, labels: Sequence[str | None], classes: Sequence[str], l2: float = L2):
    """One binary regression per class (that class against the others), over the items that
    carry a label. Returns (weights classes x dim, biases)."""
    rows = [i for i, label in enumerate(labels) if label is not None]
    x = vectors[rows]
    weights, biases = [], []
    for c in classes:
        y = np.array([1.0 if labels[i] == c else 0.0 for i in rows])
        if y.sum() == 0 or y.sum() == len(y):  # nothing to tell apart: this class never wins
            weights.append(np.zeros(vectors.shape[1]))
            biases.append(-10.0)
            continue
        w, b = train(x, y, l2)
        weights.append(w)
        biases.append(b)
    return np.array(weights), np.array(biases)


def predict(model: tuple[np.ndarray, np.ndarray], vectors: np.ndarray) -> np.ndarray:
    """Per question, each class's share of the one-vs-rest probabilities (rows sum to 1)."""
    w, b = model
    p = 1.0 / (1.0 + np.exp(-(vectors @ w.T + b)))
    return p / np.maximum(p.sum(axis=1, keepdims=True), 1e-9)


def knn(
    train_vectors: np.ndarray,
    labels: Sequence[str | None],
    classes: Sequence[str],
    vectors: np.ndarray,
    k: int = 7,
) -> np.ndarray:
    """The cosine-weighted vote of the ``k`` closest labelled items, as shares per class."""
    rows = [i for i, label in enumerate(labels) if label is not None]
    sims = vectors @ train_vectors[rows].T
    out = np.zeros((len(vectors), len(classes)))
    for n, row in enumerate(sims):
        for j in np.argsort(-row)[:k]:
            out[n, classes.index(labels[rows[j]])] += max(row[j], 0.0)
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-9)


def _cache_dir() -> Path:
    from coach.settings import get_settings

    return get_settings().data_dir / "cache"


class SituationReader:
    """P(label) for asker and stance, learned from ``examples()``."""

    def __init__(
        self,
        examples: Callable[[], Sequence[dict]] = corpus,
        embedder: str = EMBEDDER,
        l2: float = L2,
    ) -> None:
        self._examples = examples
        self._embedder = embedder
        self._l2 = l2
        self._models: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self._tried = False
        self._lock = threading.Lock()

    def _trained(self) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
        with self._lock:
            if not self._tried:
                self._tried = True
                items = list(self._examples())
                if items:
                    self._models = self._cached(items)
            return self._models

    def _cached(self, items: list[dict]) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
        key = json.dumps([self._embedder, self._l2, LABELS, items], ensure_ascii=False)
        name = f"situations-{hashlib.sha256(key.encode()).hexdigest()[:20]}.npz"
        try:
            with np.load(_cache_dir() / name) as saved:
                return {f: (saved[f"{f}_w"], saved[f"{f}_b"]) for f in LABELS}
        except (OSError, ValueError, KeyError, CoachError):
            pass  # not trained here yet, a damaged file or no usable data dir: train again
        vectors = embed([i["q"] for i in items], self._embedder)
        if vectors is None:
            return None
        models = {f: fit(vectors, [i[f] for i in items], LABELS[f], self._l2) for f in LABELS}
        try:
            path = _cache_dir() / name
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(".part")
            with open(part, "wb") as out:
                np.savez(
                    out, **{f"{f}_{p}": m[n] for f, m in models.items() for n, p in enumerate("wb")}
                )
            part.replace(path)
        except (OSError, CoachError) as exc:  # e.g. a read-only data dir: train again next start
            print(f"coach: could not keep the situation reader: {exc}", file=sys.stderr)
        return models

    def warm(self) -> bool:
        """Train now (or read the cached weights), e.g. in a start-up thread, so the first
        question that needs the reader does not wait ~20 s for it. True when it is ready."""
        return self._trained() is not None

    def read(self, question: str, vector: np.ndarray | None = None) -> dict[str, dict[str, float]]:
        """{"asker": {label: p}, "stance": {label: p}}; empty dicts without a trained reader.
        ``vector`` is the question's unit vector when the caller already has it."""
        models = self._trained()
        if models is None:
            return {f: {} for f in LABELS}
        if vector is None:
            vectors = embed([question], self._embedder)
            if vectors is None:
                return {f: {} for f in LABELS}
        else:
            vectors = np.asarray(vector, dtype=np.float64).reshape(1, -1)
            vectors = vectors / max(float(np.linalg.norm(vectors)), 1e-9)
        return {
            f: dict(zip(LABELS[f], predict(models[f], vectors)[0].tolist(), strict=True))
            for f in LABELS
        }


@cache
def reader() -> SituationReader:
    """The process-wide reader (trained on first use)."""
    return SituationReader()
