"""Readers learned from labelled examples: a logistic regression over the bundled embedder.

Rules name the phrasings someone thought of; people find other words for the same thing. A
``LinearReader`` learns from sentences labelled yes/no (written for it, in YAML next to the
rules) and gives each new sentence a probability; a ``LabelReader`` learns one or more fields,
each with a few labels (who is asking, which playbook was written for it), and gives each
label a share. It trains at first use (a few seconds, most
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
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import yaml

from coach.errors import CoachError

EMBEDDER = "use-m3"
RULES = Path(__file__).parent / "rules"


def embed(texts: Sequence[str], embedder: str = EMBEDDER) -> np.ndarray | None:
    """Unit vectors for ``texts``, or ``None`` when the embedder cannot load."""
    try:
        from coach.embeddings import get_embedder

        vectors = np.asarray(get_embedder(embedder).embed_documents(list(texts)), dtype=np.float64)
    except Exception:  # noqa: BLE001 - no embedder, no learned reader: the rules still work
        return None
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def unit(vector: Sequence[float] | np.ndarray) -> np.ndarray:
    """One vector as a 1 x dim row of length 1."""
    row = np.asarray(vector, dtype=np.float64).reshape(1, -1)
    return row / max(float(np.linalg.norm(row)), 1e-9)


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


def kept(
    name: str, key: object, compute: Callable[[], dict[str, np.ndarray] | None]
) -> dict[str, np.ndarray] | None:
    """Arrays kept in the data dir's cache under ``name`` and a hash of ``key`` (what they were
    computed from): read when there, else ``compute()``d and written (atomically). A damaged
    file or an unusable data dir only means computing again."""
    digest = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:20]
    file = f"{name}-{digest}.npz"
    try:
        with np.load(_cache_dir() / file) as saved:
            return {k: saved[k] for k in saved.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, CoachError):
        pass  # not computed here yet, a damaged file or no usable data dir
    arrays = compute()
    if arrays is None:
        return None
    try:
        path = _cache_dir() / file
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        with open(part, "wb") as out:
            np.savez(out, **arrays)
        part.replace(path)
    except (OSError, CoachError) as exc:  # e.g. a read-only data dir: compute again next start
        print(f"coach: could not keep the {name} reader: {exc}", file=sys.stderr)
    return arrays


def labelled_items(stem: str, languages: Sequence[str] = ("en", "es")) -> list[dict]:
    """The ``items`` of ``coach/rules/<stem>-<lang>.yaml`` that have a question ``q``. A file
    that cannot be read is reported and skipped: the rules still work without it."""
    items: list[dict] = []
    for lang in languages:
        path = RULES / f"{stem}-{lang}.yaml"
        if not path.is_file():
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            print(f"coach: {path.name} could not be read: {exc}", file=sys.stderr)
            continue
        if isinstance(data, dict):
            items += [
                i
                for i in data.get("items") or []
                if isinstance(i, dict) and isinstance(i.get("q"), str)
            ]
    return items


def one_vs_rest(
    vectors: np.ndarray, labels: Sequence[str | None], classes: Sequence[str], l2: float
) -> tuple[np.ndarray, np.ndarray]:
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


def shares(model: tuple[np.ndarray, np.ndarray], vectors: np.ndarray) -> np.ndarray:
    """Per text, each class's share of the one-vs-rest probabilities (rows sum to 1)."""
    w, b = model
    p = 1.0 / (1.0 + np.exp(-(vectors @ w.T + b)))
    return p / np.maximum(p.sum(axis=1, keepdims=True), 1e-9)


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
        def compute() -> dict[str, np.ndarray] | None:
            vectors = embed(yes + no)
            if vectors is None:
                return None
            w, b = train(vectors, np.array([1.0] * len(yes) + [0.0] * len(no)), self._l2)
            return {"w": w, "b": np.array(b)}

        arrays = kept("reader", [EMBEDDER, self._l2, yes, no], compute)
        if arrays is None or "w" not in arrays or "b" not in arrays:
            return None
        return arrays["w"], float(arrays["b"])

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        model = self._trained()
        vectors = embed(texts) if model is not None and texts else None
        if vectors is None:
            return [0.0] * len(texts)
        w, b = model
        return (1.0 / (1.0 + np.exp(-(vectors @ w + b)))).tolist()


class LabelReader:
    """Shares per label for each field of ``labels`` ({field: classes}), learned from
    ``examples()`` (dicts with the text under ``q`` and a class, or None, per field)."""

    def __init__(
        self,
        name: str,
        examples: Callable[[], Sequence[dict]],
        labels: Callable[[], dict[str, tuple[str, ...]]],
        embedder: str = EMBEDDER,
        l2: float = 1e-3,
    ) -> None:
        self._name = name
        self._examples = examples
        self._labels = labels
        self._embedder = embedder
        self._l2 = l2
        self._models: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self._classes: dict[str, tuple[str, ...]] = {}
        self._tried = False
        self._lock = threading.Lock()

    def _trained(self) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
        with self._lock:
            if not self._tried:
                self._tried = True
                items = list(self._examples())
                if items:
                    self._classes = self._labels()
                    self._models = self._cached(items)
            return self._models

    def _cached(self, items: list[dict]) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
        def compute() -> dict[str, np.ndarray] | None:
            vectors = embed([i["q"] for i in items], self._embedder)
            if vectors is None:
                return None
            arrays = {}
            for f, classes in self._classes.items():
                w, b = one_vs_rest(vectors, [i.get(f) for i in items], classes, self._l2)
                arrays |= {f"{f}_w": w, f"{f}_b": b}
            return arrays

        key = [self._embedder, self._l2, self._classes, items]
        arrays = kept(self._name, key, compute)
        if arrays is None or any(f"{f}_w" not in arrays for f in self._classes):
            return None
        return {f: (arrays[f"{f}_w"], arrays[f"{f}_b"]) for f in self._classes}

    def warm(self) -> bool:
        """Train now (or read the cached weights), e.g. in a start-up thread, so the first
        question that needs the reader does not wait for it. True when it is ready."""
        return self._trained() is not None

    def read(self, text: str, vector: np.ndarray | None = None) -> dict[str, dict[str, float]]:
        """{field: {label: share}}; empty dicts without a trained reader. ``vector`` is the
        text's vector when the caller already has it (retrieval embeds the same question)."""
        models = self._trained()
        if models is None:
            return {f: {} for f in self._classes}
        vectors = embed([text], self._embedder) if vector is None else unit(vector)
        if vectors is None:
            return {f: {} for f in self._classes}
        return {
            f: dict(zip(classes, shares(models[f], vectors)[0].tolist(), strict=True))
            for f, classes in self._classes.items()
        }
