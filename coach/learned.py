"""Readers learned from labelled examples: a logistic regression over the bundled embedder.

Rules name the phrasings someone thought of; people find other words for the same thing. A
``LinearReader`` learns from sentences labelled yes/no (written for it, in YAML next to the
rules) and gives each new sentence a probability. It trains at first use (a few seconds, most
of it embedding the examples) and keeps the weights in the data dir under a hash of the examples,
so later starts read them in milliseconds; there are no weights to ship or to keep in step with
the examples: the same examples always give the same reader. When the embedder cannot load, it
answers 0.0 and the rules work alone.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from coach.errors import CoachError

EMBEDDER = "use-m3"


def embed(texts: Sequence[str], embedder: str = EMBEDDER) -> np.ndarray | None:
    """Unit vectors for ``texts``, or ``None`` when the embedder cannot load."""
    try:
        from coach.embeddings import get_embedder

        vectors = np.asarray(get_embedder(embedder).embed_documents(list(texts)), dtype=np.float64)
    except Exception:  # noqa: BLE001 - no embedder, no learned reader: the rules still work
        return None
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def train(vectors: np.ndarray, labels: np.ndarray, l2: float = 1e-4, steps: int = 2000):
    """Logistic regression by full-batch gradient descent, each class weighted to half the loss
    (the two lists are rarely the same length). Deterministic: same data, same weights."""
    weights = np.where(labels == 1, 0.5 / labels.sum(), 0.5 / (1 - labels).sum())
    w = np.zeros(vectors.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(vectors @ w + b)))
        g = (p - labels) * weights
        w -= 2.0 * (vectors.T @ g + l2 * w)
        b -= 2.0 * g.sum()
    return w, b


def _cache_dir() -> Path:
    from coach.settings import get_settings

    return get_settings().data_dir / "cache"


class LinearReader:
    """P(yes) for a sentence, learned from ``examples()`` -> (yes sentences, no sentences)."""

    def __init__(self, examples: Callable[[], tuple[list[str], list[str]]], l2: float = 1e-4):
        self._examples = examples
        self._l2 = l2
        self._model: tuple[np.ndarray, float] | None = None
        self._tried = False
        self._lock = threading.Lock()

    def _trained(self) -> tuple[np.ndarray, float] | None:
        with self._lock:
            if not self._tried:
                self._tried = True
                yes, no = self._examples()
                if yes and no:
                    self._model = self._cached(yes, no)
            return self._model

    def _cached(self, yes: list[str], no: list[str]) -> tuple[np.ndarray, float] | None:
        key = json.dumps([EMBEDDER, self._l2, yes, no], ensure_ascii=False)
        name = f"reader-{hashlib.sha256(key.encode()).hexdigest()[:20]}.npy"
        try:
            path = _cache_dir() / name
            saved = np.load(path)
            if saved.ndim == 1 and saved.size > 1:
                return saved[:-1], float(saved[-1])
        except (OSError, ValueError, CoachError):
            pass  # not trained here yet, a damaged file or no usable data dir: train again
        vectors = embed(yes + no)
        if vectors is None:
            return None
        w, b = train(vectors, np.array([1.0] * len(yes) + [0.0] * len(no)), self._l2)
        try:
            path = _cache_dir() / name
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(".part")
            with open(part, "wb") as out:
                np.save(out, np.append(w, b))
            part.replace(path)
        except (OSError, CoachError) as exc:  # e.g. a read-only data dir: train again next start
            print(f"coach: could not keep the learned reader: {exc}", file=sys.stderr)
        return w, b

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        model = self._trained()
        vectors = embed(texts) if model is not None and texts else None
        if vectors is None:
            return [0.0] * len(texts)
        w, b = model
        return (1.0 / (1.0 + np.exp(-(vectors @ w + b)))).tolist()
