"""The backstop: a nearest-neighbour vote, on the bundled embedder, over labelled sentences.

The rules catch what they name; people find other words for the same reproach. A sentence no rule
flagged is embedded (use-m3, offline) and compared with sentences known to blame (every rule's
``flag`` examples and ``coach/rules/backstop-<lang>.yaml``) and known to be fine (the rules'
``pass`` examples and the clean list there). When it sits clearly closer to the blaming ones
(mean of the k nearest, minus the same for the clean ones, above ``threshold``), it gets one flag
of kind ``tone`` over the sentence, with a plain why. It can only add flags. The threshold is set
on the dev split of the labelled drafts (benchmarks/check.py) so that clean drafts stay clean.
If the embedder cannot load, the backstop is silent and the rules work alone.
"""

from __future__ import annotations

import re
import threading
from functools import cache

import numpy as np
import yaml

from coach import rules
from coach.tone import Flag, fold

EMBEDDER = "use-m3"
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_lock = threading.Lock()
# Markers of a sentence that reaches out; the backstop leaves such a sentence to the rules.
_OPENING = {"acknowledge", "ask-view", "solution-question", "proposal", "contribution"}


@cache
def _settings(language: str) -> dict:
    path = rules.RULES_DIR / f"backstop-{language}.yaml"
    return yaml.safe_load(path.read_text("utf-8")) if path.is_file() else {}


def _embed(texts: list[str]) -> np.ndarray | None:
    try:
        from coach.embeddings import get_embedder

        vectors = np.asarray(get_embedder(EMBEDDER).embed_documents(texts), dtype=np.float32)
    except Exception:  # noqa: BLE001 - no embedder, no backstop: the rules still work
        return None
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


@cache
def _bank(language: str) -> tuple[np.ndarray, np.ndarray] | None:
    ruleset = rules.load(language)
    extra = _settings(language)
    blaming = [e for r in ruleset.flags for e in r.examples.get("flag", [])]
    clean = [e for r in ruleset.flags for e in r.examples.get("pass", [])]
    blaming += extra.get("blaming", [])
    clean += extra.get("clean", [])
    vectors = _embed(blaming + clean)
    if vectors is None:
        return None
    return vectors[: len(blaming)], vectors[len(blaming) :]


def scores(sentences: list[str], language: str) -> list[float]:
    """How much closer each sentence sits to the blaming examples than to the clean ones."""
    with _lock:
        bank = _bank(language)
    if bank is None or not sentences:
        return [0.0] * len(sentences)
    vectors = _embed(sentences)
    if vectors is None:
        return [0.0] * len(sentences)
    k = int(_settings(language).get("k", 3))
    blaming, clean = bank
    near_blame = np.sort(vectors @ blaming.T, axis=1)[:, -k:].mean(axis=1)
    near_clean = np.sort(vectors @ clean.T, axis=1)[:, -k:].mean(axis=1)
    return (near_blame - near_clean).tolist()


def threshold(language: str) -> float:
    return float(_settings(language).get("threshold", 1.0))


@cache
def _target(language: str):
    source = _settings(language).get("target")
    if not source:
        return None
    return rules.compile_pattern(source, rules.load(language).lexicon, f"backstop-{language}.yaml")


def backstop_flags(text: str, language: str, flags: list[Flag]) -> list[Flag]:
    """A ``tone`` flag on each sentence of ``text`` no rule flagged that reads like blame."""
    candidates = []
    for match in _SENTENCE.finditer(text):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        end = match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if len(re.findall(r"\w+", text[start:end])) < 4:
            continue
        if any(f.start < end and start < f.end for f in flags):
            continue
        target = _target(language)
        folded = fold(text[start:end])
        if target is not None and not target.search(folded):
            continue  # no one to land on: a plain statement of what happened
        if any(kind in _OPENING and rx.search(folded) for kind, rx in rules.load(language).markers):
            continue  # it acknowledges, asks or proposes: the rules alone judge such a sentence
        candidates.append((start, end))
    if not candidates:
        return []
    values = scores([text[s:e] for s, e in candidates], language)
    bar = threshold(language)
    why = rules.load(language).text["backstop_why"]
    found = []
    for (s, e), value in zip(candidates, values, strict=True):
        if value > bar:
            found.append(Flag("tone", text[s:e], s, e, why, "backstop"))
        elif text[s:e].endswith("?"):
            continue  # a question is the rules' to judge, as in the rehearsal
        elif (kind := jab_by_meaning(text[s:e], language)) is not None:
            found.append(_jab_flag(text, s, e, kind, language))
    return found


# The rehearsal's reader of jabs by meaning (coach/rehearsal/prototypes.yaml) hears the other
# person's side: "you're overreacting", "nobody on your side bothered to open the deck". It is a
# second opinion on a sentence the vote above let pass; its kinds map onto the checker's.
_JAB_KIND = {
    "blame": "blame",
    "sarcasm": "contempt",
    "dismiss": "contempt",
    "deflect": "defensive",
    "threaten": "demand",
}


def jab_by_meaning(sentence: str, language: str) -> str | None:
    from coach.rehearsal.moves import jab_by_meaning as read

    return read(sentence, language)


def _jab_flag(text: str, start: int, end: int, jab: str, language: str) -> Flag:
    kind = _JAB_KIND.get(jab, "tone")
    why = rules.load(language).kinds[kind].why if kind != "tone" else ""
    return Flag(kind, text[start:end], start, end, why, f"meaning.{jab}")
