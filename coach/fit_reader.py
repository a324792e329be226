"""A learned reader of which playbook was written for a situation.

Retrieval ranks playbooks by closeness in meaning, and a neighbouring situation is as close as
the right one ("the CMO wants the SDRs under marketing" sits next to the budget deadlock). This
reader learns from ``coach/rules/fit-<lang>.yaml``: situations told the way managers tell them,
written independently of the playbooks' own wording and of every eval set, each labelled with
the playbook written for it or ``null`` (near the work, but nothing here covers it).
``coach.fit.choose`` adds a playbook's share to retrieval's score. Playbooks the corpus does not
name (a trainer's upload) get no share and compete on retrieval alone.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from coach.learned import LabelReader, labelled_items

NONE = "none"


@cache
def corpus(languages: tuple[str, ...] = ("en", "es")) -> tuple[dict, ...]:
    """The labelled situations, each ``{"q", "playbook"}`` (``none`` when nothing fits)."""
    return tuple(
        {"q": item["q"], "playbook": str(item.get("playbook") or NONE)}
        for item in labelled_items("fit", languages)
    )


def _labels() -> dict[str, tuple[str, ...]]:
    return {"playbook": tuple(sorted({item["playbook"] for item in corpus()}))}


@cache
def _reader() -> LabelReader:
    return LabelReader("fit", corpus, _labels)


def warm() -> bool:
    """Train the reader now (or read its cached weights). True when it is ready."""
    return _reader().warm()


def read(text: str, vector: np.ndarray | None = None) -> dict[str, float]:
    """Each playbook's share for ``text`` (``none`` left out); empty without the embedder.
    ``vector``: the text's vector when the caller already has it."""
    shares = _reader().read(text, vector).get("playbook") or {}
    return {playbook: share for playbook, share in shares.items() if playbook != NONE}
