"""A learned reader of who is asking and from which side: one-vs-rest logistic regression over the
bundled embedder, trained on labelled situations written for it.

The rules in ``coach.situation`` read the phrasings someone listed; people tell the same story
in other words ("Priya went straight to my boss instead of talking to me" is a side received
with no rule's verb in it). This reader learns asker and stance from
``coach/rules/situations-<lang>.yaml`` (items: ``q``, ``asker``, ``stance``; written
independently of the rules and of every eval set) and gives each question a probability per
label (a ``coach.learned.LabelReader``: trained at first use, weights kept in the data dir under
a hash of the examples). Without the embedder it reads nothing and the rules work alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from coach.learned import LabelReader, labelled_items

LABELS = {
    "asker": ("marketing", "sales", "leadership", "finance", "other"),
    "stance": ("received", "caused", "mediating", "initiating"),
}


@cache
def corpus(languages: tuple[str, ...] = ("en", "es")) -> tuple[dict, ...]:
    """The labelled situations, each ``{"q", "asker", "stance"}`` (a label may be null)."""
    return tuple(
        {"q": item["q"], **{f: item.get(f) if item.get(f) in LABELS[f] else None for f in LABELS}}
        for item in labelled_items("situations", languages)
    )


def knn(
    train_vectors: np.ndarray,
    labels: Sequence[str | None],
    classes: Sequence[str],
    vectors: np.ndarray,
    k: int = 7,
) -> np.ndarray:
    """The cosine-weighted vote of the ``k`` closest labelled items, as shares per class
    (benchmarks/situation_reader.py compares it with the regression)."""
    rows = [i for i, label in enumerate(labels) if label is not None]
    sims = vectors @ train_vectors[rows].T
    out = np.zeros((len(vectors), len(classes)))
    for n, row in enumerate(sims):
        for j in np.argsort(-row)[:k]:
            out[n, classes.index(labels[rows[j]])] += max(row[j], 0.0)
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-9)


@cache
def reader() -> LabelReader:
    """The process-wide reader of asker and stance (trained on first use)."""
    return LabelReader("situations", corpus, lambda: LABELS)
