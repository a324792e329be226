"""From an answer to a rehearsal: the lines an answer suggests saying, and the scenario closest
to the question, so a learner can try a line on the counterpart at once (offline)."""

from __future__ import annotations

import math
import re
import threading

# "What you could say" items: a list item that is one quoted sentence (straight or curly quotes).
_SAID = re.compile(r'^\s*[-*]\s+["“«](?P<line>[^\n]{8,600}?)["”»]\s*$', re.MULTILINE)
MAX_LINES = 6
MAX_LINE_CHARS = 600

_vectors: dict[tuple, list[float]] = {}
_vectors_lock = threading.Lock()


def said_lines(answer: str | None) -> list[str]:
    """The quoted lines to say in an answer's Markdown, in order, without repeats."""
    found: list[str] = []
    for match in _SAID.finditer(answer or ""):
        line = match.group("line").strip()
        if line and line not in found:
            found.append(line)
    return found[:MAX_LINES]


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _scenario_text(scenario) -> str:
    return f"{scenario.title}. {scenario.summary}"


def closest_scenario(scenarios: dict, embedder, text: str, lang: str) -> str | None:
    """The id of the scenario (in ``lang`` when there is one) closest in meaning to ``text``,
    by the app's own embedder; scenario vectors are computed once per process."""
    pool = [(key, s) for key, s in sorted(scenarios.items()) if key[1] == lang] or sorted(
        scenarios.items()
    )
    if not pool:
        return None
    if embedder is None:
        return pool[0][0][0]
    with _vectors_lock:
        missing = [(key, s) for key, s in pool if (key, _scenario_text(s)) not in _vectors]
        if missing:
            vectors = embedder.embed_documents([_scenario_text(s) for _, s in missing])
            for (key, s), vector in zip(missing, vectors, strict=True):
                _vectors[(key, _scenario_text(s))] = vector
    query = embedder.embed_query(text[:2000])
    best = max(pool, key=lambda item: _cosine(query, _vectors[(item[0], _scenario_text(item[1]))]))
    return best[0][0]
